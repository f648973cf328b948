// The scripted events of the demo organization's story (examples/README.md): the root sign-in, the console
// sign-in without MFA that made the prod trail bucket public, Winter deleting the production bucket, the denied
// StopLogging, the staging key scheduled for deletion, and stolen instance credentials probing the prod account.
import type { PolicyDocument } from '../../src/evidence/aws.js';
import { role, ssoRole, type ScriptedRecord, UA } from './activity.js';
import { instanceIds, s3Additional, s3Host } from './actions.js';
import { Rng, cloudTrailRecord, iamUserIdentity, rootIdentity, tls, type RecordInput, type UserIdentity } from './events.js';
import { trailArnOf } from './aws.js';
import { ACCOUNTS, BUCKETS, KEYS, MARCO, NETWORKS, SCPS, TRAILS, WINTER, cliUserAgent } from './profile.js';
import { cloudTrailBucketPolicy, keyArnOf } from './storage.js';

const STORY_SEED = 20260914;
const S3_CONSOLE_UA = '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750 Linux/5.10.225-191.878.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.412-b09 java/1.8.0_412 vendor/Oracle_Corporation cfg/retry-mode/standard]';

/** The prod trail's bucket policy after marco's change: CloudTrail's old unbound grants plus a public read. */
export function prodTrailBucketPolicy(): PolicyDocument {
  return cloudTrailBucketPolicy({
    bucket: BUCKETS.prodTrailLogs,
    trailArns: [trailArnOf(TRAILS.prod)],
    accounts: [ACCOUNTS.prod],
    unbound: true,
    extra: [{ Sid: 'AllowBIVendorRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKETS.prodTrailLogs}/*` }],
  });
}

function signIn(account: string, identity: UserIdentity, at: string, ip: string, mfa: boolean, success: boolean, rng: Rng, extra: Record<string, unknown> = {}): RecordInput {
  const input: RecordInput = {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: at,
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: 'us-east-1',
    sourceIPAddress: ip,
    userAgent: UA.chrome,
    responseElements: { ConsoleLogin: success ? 'Success' : 'Failure' },
    additionalEventData: {
      LoginTo: `https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_${rng.hex(16)}`,
      MobileVersion: 'No',
      ...extra,
      MFAUsed: mfa ? 'Yes' : 'No',
    },
    eventID: rng.uuid(),
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    recipientAccountId: account,
    tlsDetails: tls('signin.aws.amazon.com'),
  };
  if (!success) input.errorMessage = 'Failed authentication';
  return input;
}

function winterCall(rng: Rng, at: string, name: string, cmd: string, params: unknown, opts: { data?: boolean; readOnly: boolean; source?: string; objects?: boolean; bytesIn?: number }): RecordInput {
  const s3 = (opts.source ?? 's3.amazonaws.com') === 's3.amazonaws.com';
  const host = (params as { Host?: string } | null)?.Host ?? 'sts.us-east-1.amazonaws.com';
  const bucketArn = `arn:aws:s3:::${BUCKETS.customerData}`;
  const input: RecordInput = {
    eventVersion: s3 ? '1.10' : '1.08',
    userIdentity: iamUserIdentity(WINTER.account, WINTER.userName, WINTER.principalId, WINTER.accessKeyId),
    eventTime: at,
    eventSource: opts.source ?? 's3.amazonaws.com',
    eventName: name,
    awsRegion: 'us-east-1',
    sourceIPAddress: WINTER.ip,
    userAgent: cliUserAgent(cmd),
    requestParameters: params,
    requestID: s3 ? rng.upper(16) : rng.uuid(),
    eventID: rng.uuid(),
    readOnly: opts.readOnly,
    recipientAccountId: WINTER.account,
    eventCategory: opts.data === true ? 'Data' : 'Management',
    tlsDetails: tls(host),
  };
  if (s3) input.additionalEventData = s3Additional(rng, 0, opts.bytesIn ?? 0);
  if (s3 && name !== 'ListBuckets') {
    input.resources = opts.objects === true
      ? [{ type: 'AWS::S3::Object', ARNPrefix: `${bucketArn}/` }, { accountId: WINTER.account, type: 'AWS::S3::Bucket', ARN: bucketArn }]
      : [{ accountId: WINTER.account, type: 'AWS::S3::Bucket', ARN: bucketArn }];
  }
  return input;
}

/** Winter (IAM user, access key, AWS CLI from 192.0.2.55) empties and deletes example-prod-customer-data. */
function winterDeletesBucket(rng: Rng): RecordInput[] {
  const bucket = BUCKETS.customerData;
  const host = s3Host(bucket, 'us-east-1');
  const out: RecordInput[] = [
    winterCall(rng, '2026-09-14T03:24:51Z', 'GetCallerIdentity', 'sts.get-caller-identity', null, { readOnly: true, source: 'sts.amazonaws.com' }),
    winterCall(rng, '2026-09-14T03:25:13Z', 'ListBuckets', 's3api.list-buckets', { Host: 's3.us-east-1.amazonaws.com' }, { readOnly: true }),
    winterCall(rng, '2026-09-14T03:25:40Z', 'GetBucketVersioning', 's3api.get-bucket-versioning', { bucketName: bucket, Host: host, versioning: '' }, { readOnly: true }),
    winterCall(rng, '2026-09-14T03:26:02Z', 'PutBucketVersioning', 's3api.put-bucket-versioning',
      { bucketName: bucket, Host: host, versioning: '', VersioningConfiguration: { Status: 'Suspended', xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' } }, { readOnly: false, bytesIn: 123 }),
    winterCall(rng, '2026-09-14T03:26:31Z', 'ListObjects', 's3api.list-objects-v2', { 'list-type': '2', bucketName: bucket, 'encoding-type': 'url', prefix: '', Host: host }, { data: true, readOnly: true, objects: true }),
    winterCall(rng, '2026-09-14T03:26:58Z', 'ListObjectVersions', 's3api.list-object-versions', { bucketName: bucket, Host: host, versions: '', 'encoding-type': 'url', prefix: '' }, { data: true, readOnly: true, objects: true }),
  ];
  for (let i = 0; i < 8; i++) {
    const second = 27 * 60 + 20 + i * 34;
    const at = `2026-09-14T03:${String(Math.floor(second / 60)).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}Z`;
    out.push(winterCall(rng, at, 'DeleteObjects', 's3api.delete-objects', { bucketName: bucket, Host: host, delete: '' }, { data: true, readOnly: false, objects: true, bytesIn: rng.int(61000, 74000) }));
  }
  out.push(winterCall(rng, '2026-09-14T03:32:07Z', 'DeleteBucket', 's3api.delete-bucket', { bucketName: bucket, Host: host }, { readOnly: false }));
  return out;
}

function rootSignInAndContactChange(rng: Rng): RecordInput[] {
  const account = ACCOUNTS.management;
  const ip = NETWORKS.office[0];
  const session: UserIdentity = { ...rootIdentity(account, `ASIA${rng.upper(16)}`), sessionContext: { attributes: { creationDate: '2026-09-13T08:14:52Z', mfaAuthenticated: 'true' } } };
  const consoleCall = (at: string, name: string, readOnly: boolean, params: unknown): RecordInput => ({
    eventVersion: '1.09', userIdentity: session, eventTime: at, eventSource: 'account.amazonaws.com', eventName: name, awsRegion: 'us-east-1', sourceIPAddress: ip,
    userAgent: UA.chrome, requestParameters: params, requestID: rng.uuid(), eventID: rng.uuid(), readOnly, recipientAccountId: account,
    tlsDetails: tls('account.us-east-1.amazonaws.com'), sessionCredentialFromConsole: true,
  });
  return [
    signIn(account, rootIdentity(account, ''), '2026-09-13T08:14:52Z', ip, true, true, rng, { MFAIdentifier: `arn:aws:iam::${account}:mfa/root-account-mfa-device` }),
    consoleCall('2026-09-13T08:15:40Z', 'GetAlternateContact', true, { alternateContactType: 'SECURITY' }),
    consoleCall('2026-09-13T08:17:05Z', 'PutAlternateContact', false,
      { alternateContactType: 'SECURITY', emailAddress: 'HIDDEN_DUE_TO_SECURITY_REASONS', name: 'HIDDEN_DUE_TO_SECURITY_REASONS', phoneNumber: 'HIDDEN_DUE_TO_SECURITY_REASONS', title: 'HIDDEN_DUE_TO_SECURITY_REASONS' }),
  ];
}

/** marco signs in without MFA and opens the prod trail's bucket to "the BI vendor". */
function marcoMakesTrailBucketPublic(rng: Rng): RecordInput[] {
  const ip = NETWORKS.home[1];
  const user = iamUserIdentity(MARCO.account, MARCO.userName, MARCO.principalId);
  const consoleUser: UserIdentity = { ...user, accessKeyId: `ASIA${rng.upper(16)}`, sessionContext: { attributes: { creationDate: '2026-09-13T16:41:09Z', mfaAuthenticated: 'false' } } };
  const bucket = BUCKETS.prodTrailLogs;
  return [
    signIn(MARCO.account, user, '2026-09-13T16:41:09Z', ip, false, true, rng),
    {
      eventVersion: '1.10', userIdentity: consoleUser, eventTime: '2026-09-13T16:48:31Z', eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', awsRegion: 'us-east-1',
      sourceIPAddress: ip, userAgent: S3_CONSOLE_UA,
      requestParameters: { bucketPolicy: prodTrailBucketPolicy(), bucketName: bucket, Host: 's3.amazonaws.com', policy: '' },
      additionalEventData: s3Additional(rng, 0, 1184), requestID: rng.upper(16), eventID: rng.uuid(), readOnly: false,
      resources: [{ accountId: MARCO.account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }], recipientAccountId: MARCO.account,
      tlsDetails: tls('s3.amazonaws.com'), sessionCredentialFromConsole: true,
    },
  ];
}

function deniedStopLogging(rng: Rng): RecordInput {
  const identity = ssoRole(ACCOUNTS.staging, 'PowerUserAccess', 'ravi@example.com')(Date.parse('2026-09-14T11:05:33Z'));
  const orgTrail = trailArnOf(TRAILS.org);
  return {
    userIdentity: identity, eventTime: '2026-09-14T11:05:33Z', eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', awsRegion: 'us-east-1',
    sourceIPAddress: NETWORKS.home[0], userAgent: cliUserAgent('cloudtrail.stop-logging'), errorCode: 'AccessDenied',
    errorMessage: `User: ${String(identity['arn'])} is not authorized to perform: cloudtrail:StopLogging on resource: ${orgTrail} with an explicit deny in a service control policy: ${SCPS.protectBaseline}`,
    requestParameters: { name: orgTrail }, requestID: rng.uuid(), eventID: rng.uuid(), readOnly: false, recipientAccountId: ACCOUNTS.staging,
    tlsDetails: tls('cloudtrail.us-east-1.amazonaws.com'),
  };
}

function stagingKeyScheduledForDeletion(rng: Rng): RecordInput {
  const at = '2026-09-15T09:12:40Z';
  const identity = ssoRole(ACCOUNTS.staging, 'PowerUserAccess', 'mia@example.com')(Date.parse(at));
  const arn = keyArnOf(KEYS.stagingLegacy);
  return {
    userIdentity: identity, eventTime: at, eventSource: 'kms.amazonaws.com', eventName: 'ScheduleKeyDeletion', awsRegion: KEYS.stagingLegacy.region,
    sourceIPAddress: NETWORKS.office[2], userAgent: 'AWS Internal', requestParameters: { keyId: arn, pendingWindowInDays: 30 },
    responseElements: { keyId: arn, deletionDate: 'Oct 16, 2026, 12:00:00 AM', keyState: 'PendingDeletion', pendingWindowInDays: 30 },
    requestID: rng.uuid(), eventID: rng.uuid(), readOnly: false, resources: [{ accountId: ACCOUNTS.staging, type: 'AWS::KMS::Key', ARN: arn }],
    recipientAccountId: ACCOUNTS.staging, tlsDetails: tls(`kms.${KEYS.stagingLegacy.region}.amazonaws.com`), sessionCredentialFromConsole: true,
  };
}

/** The orders worker's instance credentials, used from outside AWS: failed sign-ins, then an enumeration that is denied. */
function stolenCredentialsProbe(rng: Rng): RecordInput[] {
  const account = ACCOUNTS.prod;
  const ip = NETWORKS.attacker;
  const out: RecordInput[] = [];
  const marco = iamUserIdentity(MARCO.account, MARCO.userName, MARCO.principalId);
  for (const at of ['2026-09-15T01:02:11Z', '2026-09-15T01:02:40Z', '2026-09-15T01:03:19Z']) out.push(signIn(account, marco, at, ip, false, false, rng));
  const instance = instanceIds(account)[1] as string;
  const identityAt = role(account, 'orders-worker-ec2', { session: () => instance, ec2: true });
  const agent = 'Boto3/1.34.162 md/Botocore#1.34.162 ua/2.0 os/linux#6.6.15-amd64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.162';
  const probes: [string, string, string, string, string][] = [
    ['sts.amazonaws.com', 'GetCallerIdentity', '', '', 'sts.us-east-1.amazonaws.com'],
    ['iam.amazonaws.com', 'ListUsers', 'iam:ListUsers', 'AccessDenied', 'iam.amazonaws.com'],
    ['iam.amazonaws.com', 'ListRoles', 'iam:ListRoles', 'AccessDenied', 'iam.amazonaws.com'],
    ['iam.amazonaws.com', 'GetAccountAuthorizationDetails', 'iam:GetAccountAuthorizationDetails', 'AccessDenied', 'iam.amazonaws.com'],
    ['iam.amazonaws.com', 'ListAttachedRolePolicies', 'iam:ListAttachedRolePolicies', 'AccessDenied', 'iam.amazonaws.com'],
    ['ec2.amazonaws.com', 'DescribeInstances', 'ec2:DescribeInstances', 'Client.UnauthorizedOperation', 'ec2.us-east-1.amazonaws.com'],
    ['ec2.amazonaws.com', 'DescribeSecurityGroups', 'ec2:DescribeSecurityGroups', 'Client.UnauthorizedOperation', 'ec2.us-east-1.amazonaws.com'],
    ['s3.amazonaws.com', 'ListBuckets', 's3:ListAllMyBuckets', 'AccessDenied', 's3.us-east-1.amazonaws.com'],
    ['secretsmanager.amazonaws.com', 'ListSecrets', 'secretsmanager:ListSecrets', 'AccessDenied', 'secretsmanager.us-east-1.amazonaws.com'],
    ['ssm.amazonaws.com', 'DescribeParameters', 'ssm:DescribeParameters', 'AccessDenied', 'ssm.us-east-1.amazonaws.com'],
    ['lambda.amazonaws.com', 'ListFunctions20150331', 'lambda:ListFunctions', 'AccessDenied', 'lambda.us-east-1.amazonaws.com'],
    ['dynamodb.amazonaws.com', 'ListTables', 'dynamodb:ListTables', 'AccessDenied', 'dynamodb.us-east-1.amazonaws.com'],
    ['kms.amazonaws.com', 'ListKeys', 'kms:ListKeys', 'AccessDenied', 'kms.us-east-1.amazonaws.com'],
    ['organizations.amazonaws.com', 'DescribeOrganization', 'organizations:DescribeOrganization', 'AccessDeniedException', 'organizations.us-east-1.amazonaws.com'],
  ];
  let second = Date.parse('2026-09-15T01:10:04Z');
  // Tools like this walk the list more than once (pagination, retries): 3 passes, about 40 calls in 3 minutes.
  for (let pass = 0; pass < 3; pass++) {
    for (const [source, name, action, code, host] of probes) {
      if (pass > 0 && code === '') continue;
      const identity = identityAt(second);
      const at = new Date(second).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const input: RecordInput = {
        eventVersion: '1.09', userIdentity: identity, eventTime: at, eventSource: source, eventName: name, awsRegion: 'us-east-1', sourceIPAddress: ip, userAgent: agent,
        requestID: rng.uuid(), eventID: rng.uuid(), readOnly: true, recipientAccountId: account, tlsDetails: tls(host, 'TLSv1.2'),
      };
      if (code !== '') {
        input.errorCode = code;
        const base = `User: ${String(identity['arn'])} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
        input.errorMessage = code === 'Client.UnauthorizedOperation' ? `You are not authorized to perform this operation. ${base}` : source === 's3.amazonaws.com' ? 'Access Denied' : base;
      }
      out.push(input);
      second += rng.int(3, 6) * 1000;
    }
  }
  return out;
}

/** Every scripted record with the account whose logs hold it and the region of the call. */
export function storyRecords(): ScriptedRecord[] {
  const rng = new Rng(STORY_SEED);
  const place = (account: string, inputs: RecordInput[]): ScriptedRecord[] => inputs.map((input) => ({ account, region: input.awsRegion, record: cloudTrailRecord(input) }));
  return [
    ...place(ACCOUNTS.management, rootSignInAndContactChange(rng)),
    ...place(ACCOUNTS.prod, marcoMakesTrailBucketPublic(rng)),
    ...place(ACCOUNTS.prod, winterDeletesBucket(rng)),
    ...place(ACCOUNTS.staging, [deniedStopLogging(rng)]),
    ...place(ACCOUNTS.staging, [stagingKeyScheduledForDeletion(rng)]),
    ...place(ACCOUNTS.prod, stolenCredentialsProbe(rng)),
  ];
}
