// Builds an organization in moto through the SDK, as an administrator would in AWS: a management account
// with an organization trail, a log archive account holding its bucket and key, a dev account with its own
// single-region trail, and a vendor account (left out of the audit) holding a legacy trail's bucket.
// moto's gaps are worked around here, never in the product: CreateTrail wants the bucket in the trail's own
// account, so a bucket that lives elsewhere is created there first and moved after the trail exists.
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateAccountCommand, CreateOrganizationCommand, EnableAWSServiceAccessCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateBucketCommand, DeleteBucketCommand, PutBucketPolicyCommand, PutBucketVersioningCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

// The SDK warns once per process that its future releases need a newer Node; not news in a test run.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

export const MANAGEMENT = '123456789012';
export const ORG_BUCKET = 'example-org-cloudtrail';
export const DEV_BUCKET = 'example-dev-cloudtrail';
export const LEGACY_BUCKET = 'example-vendor-archive';

export interface MotoOrg {
  organizationId: string;
  logArchive: string;
  dev: string;
  vendor: string;
  keyArn: string;
  /** The topic dev's EventBridge rule (root-usage, eu-west-1) notifies. */
  eventTopicArn: string;
}

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Credentials in a member account, through the role Organizations created in it. */
export async function assumeInto(endpoint: string, account: string): Promise<Creds> {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'setup' }));
  return { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' };
}

export async function buildMotoOrg(endpoint: string): Promise<MotoOrg> {
  const root: Creds = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  const cfg = (region: string, credentials: Creds = root) => ({ endpoint, region, credentials, forcePathStyle: true });

  const org = new OrganizationsClient(cfg('us-east-1'));
  const organizationId = (await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization?.Id ?? '';
  await org.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'cloudtrail.amazonaws.com' }));
  const create = async (name: string): Promise<string> =>
    (await org.send(new CreateAccountCommand({ AccountName: name, Email: `aws+${name}@example.com` }))).CreateAccountStatus?.AccountId ?? '';
  const logArchive = await create('log-archive');
  const dev = await create('dev');
  const vendor = await create('vendor');
  const into = (account: string): Promise<Creds> => assumeInto(endpoint, account);
  const [logCreds, devCreds, vendorCreds] = [await into(logArchive), await into(dev), await into(vendor)];

  // The organization trail's key in the log archive account, rotated.
  const kms = new KMSClient(cfg('us-east-1', logCreds));
  const keyArn = (await kms.send(new CreateKeyCommand({ Description: 'CloudTrail logs' }))).KeyMetadata?.Arn ?? '';
  await kms.send(new EnableKeyRotationCommand({ KeyId: keyArn }));

  // Monitoring in the management account: the trail's log group, an alarm and the topic it notifies.
  const logs = new CloudWatchLogsClient(cfg('us-east-1'));
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'aws-cloudtrail-logs-org' }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'aws-cloudtrail-logs-org', retentionInDays: 400 }));
  const sns = new SNSClient(cfg('us-east-1'));
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'security-alerts' }))).TopicArn ?? '';
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: 'security@example.com' }));
  await new CloudWatchClient(cfg('us-east-1')).send(new PutMetricAlarmCommand({
    AlarmName: 'cloudtrail-changes', MetricName: 'CloudTrailChanges', Namespace: 'CISBenchmark', Statistic: 'Sum', Period: 300,
    EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [topicArn],
  }));

  // The organization trail: created against a bucket of its own account (moto), which then moves to the log archive account.
  const s3Mgmt = new S3Client(cfg('us-east-1'));
  await s3Mgmt.send(new CreateBucketCommand({ Bucket: ORG_BUCKET }));
  const mgmtTrails = new CloudTrailClient(cfg('us-east-1'));
  await mgmtTrails.send(new CreateTrailCommand({
    Name: 'org-trail', S3BucketName: ORG_BUCKET, IsMultiRegionTrail: true, IsOrganizationTrail: true, EnableLogFileValidation: true,
    IncludeGlobalServiceEvents: true, KmsKeyId: keyArn, CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${MANAGEMENT}:log-group:aws-cloudtrail-logs-org:*`,
    CloudWatchLogsRoleArn: `arn:aws:iam::${MANAGEMENT}:role/CloudTrailToCloudWatch`,
  }));
  await mgmtTrails.send(new StartLoggingCommand({ Name: 'org-trail' }));
  await s3Mgmt.send(new DeleteBucketCommand({ Bucket: ORG_BUCKET }));
  const s3Log = new S3Client(cfg('eu-west-1', logCreds));
  await s3Log.send(new CreateBucketCommand({ Bucket: ORG_BUCKET, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  await s3Log.send(new PutBucketVersioningCommand({ Bucket: ORG_BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3Log.send(new PutPublicAccessBlockCommand({ Bucket: ORG_BUCKET, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
  // moto refuses object reads under a policy with a Condition; the real policy stays for the posture checks,
  // and the --logs suite removes it before it copies objects (see moto.test.ts).
  await s3Log.send(new PutBucketPolicyCommand({ Bucket: ORG_BUCKET, Policy: JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${ORG_BUCKET}/AWSLogs/*`, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org-trail` } } },
      { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${ORG_BUCKET}`, `arn:aws:s3:::${ORG_BUCKET}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ],
  }) }));

  // Dev: its own single-region trail without log file validation or KMS, in eu-west-1.
  const s3Dev = new S3Client(cfg('eu-west-1', devCreds));
  await s3Dev.send(new CreateBucketCommand({ Bucket: DEV_BUCKET, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  const devTrails = new CloudTrailClient(cfg('eu-west-1', devCreds));
  await devTrails.send(new CreateTrailCommand({ Name: 'dev-trail', S3BucketName: DEV_BUCKET, IsMultiRegionTrail: false, EnableLogFileValidation: false }));
  await devTrails.send(new StartLoggingCommand({ Name: 'dev-trail' }));

  // A legacy dev trail writing to a vendor's bucket: created against dev's bucket (moto), which then moves to the vendor account.
  const s3DevUs = new S3Client(cfg('us-east-1', devCreds));
  await s3DevUs.send(new CreateBucketCommand({ Bucket: LEGACY_BUCKET }));
  await new CloudTrailClient(cfg('us-east-1', devCreds)).send(new CreateTrailCommand({ Name: 'legacy-trail', S3BucketName: LEGACY_BUCKET, IsMultiRegionTrail: false, EnableLogFileValidation: true }));
  await s3DevUs.send(new DeleteBucketCommand({ Bucket: LEGACY_BUCKET }));
  await new S3Client(cfg('us-east-1', vendorCreds)).send(new CreateBucketCommand({ Bucket: LEGACY_BUCKET }));

  // Dev: an EventBridge rule on root activity notifying a subscribed topic, the alternative CIS 4.3 accepts.
  const devSns = new SNSClient(cfg('eu-west-1', devCreds));
  const eventTopicArn = (await devSns.send(new CreateTopicCommand({ Name: 'root-activity' }))).TopicArn ?? '';
  await devSns.send(new SubscribeCommand({ TopicArn: eventTopicArn, Protocol: 'email', Endpoint: 'oncall@example.com' }));
  const events = new EventBridgeClient(cfg('eu-west-1', devCreds));
  await events.send(new PutRuleCommand({ Name: 'root-usage', State: 'ENABLED', EventPattern: JSON.stringify({ detail: { userIdentity: { type: ['Root'] } } }) }));
  await events.send(new PutTargetsCommand({ Rule: 'root-usage', Targets: [{ Id: 'notify', Arn: eventTopicArn }] }));

  return { organizationId, logArchive, dev, vendor, keyArn, eventTopicArn };
}
