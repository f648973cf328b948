// The scan benchmark's corpus: CloudTrail log files as an organization trail delivers them (S3 layout, gzip,
// about 2,000 records a file), with realistic variety: IAM users, role sessions (SSO, EC2, Lambda), AWS
// services and now and then root; calls across a dozen services with the request parameters each takes;
// errors, read-only and write calls; and a few risky actions the built-in rules look for. About 1.2 KB per
// record, as in real trails. Deterministic: a seeded generator, so two runs read the same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Rng } from '../fixtures/rng.js';

const gzipAsync = promisify(gzip);

export { Rng };

/** A version-4-shaped id with the variant fixed to 'a' (the corpus's request and event ids). */
function uuid(r: Rng): string {
  const h = r.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

export const ORG_ID = 'o-benchorg123';
export const ACCOUNTS = ['210000000001', '210000000002', '210000000003', '210000000004'];
export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'ci-deployer', 'terraform'];
const ROLES = [
  { name: 'AWSReservedSSO_AdministratorAccess_6f1a2b3c4d5e6f70', session: () => 'alice@example.com' },
  { name: 'AWSReservedSSO_ReadOnly_0a1b2c3d4e5f6071', session: () => 'bob@example.com' },
  // Sessions are reused as they are in real trails: a task, an instance or a CI run keeps its credentials for hours.
  { name: 'orders-api-ecs-task', session: (r: Rng) => `${(r.int(0, 39) * 2654435761 % 4294967296).toString(16).padStart(8, '0')}0a1b2c3d4e5f60718293a4b5c6d7e8f9` },
  { name: 'ingest-lambda-role', session: () => 'ingest-lambda' },
  { name: 'eks-node-group', session: (r: Rng) => `i-0${(r.int(0, 23) * 40503 + 1000003).toString(16).padStart(16, '0')}` },
  { name: 'GitHubActionsDeploy', session: (r: Rng) => `GitHubActions-${9000001 + r.int(0, 11)}` },
];
const AGENTS = [
  'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0-1012-aws md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#s3api.list-objects-v2',
  'aws-sdk-js/3.637.0 ua/2.1 os/linux#5.10.223-211.872.amzn2.x86_64 lang/js md/nodejs#20.17.0 api/dynamodb#3.637.0 m/E,N',
  'Boto3/1.35.10 md/Botocore#1.35.10 ua/2.0 os/linux#5.10.223-211.872.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.5 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.10',
  'APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.64.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.4 ua/2.1 os/linux lang/go#1.22.6 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.177.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36',
];

interface Call {
  source: string;
  name: string;
  readOnly: boolean;
  params: (r: Rng, account: string, region: string) => Record<string, unknown> | null;
  weight: number;
}

const CALLS: Call[] = [
  { source: 's3.amazonaws.com', name: 'GetObject', readOnly: true, weight: 18, params: (r) => ({ bucketName: 'orders-data-prod', key: `exports/2026/09/${r.hex(12)}.parquet`, Host: 'orders-data-prod.s3.amazonaws.com' }) },
  { source: 's3.amazonaws.com', name: 'PutObject', readOnly: false, weight: 10, params: (r) => ({ bucketName: 'ingest-landing', key: `raw/${r.hex(16)}.json.gz`, Host: 'ingest-landing.s3.us-east-1.amazonaws.com', 'x-amz-server-side-encryption': 'aws:kms' }) },
  { source: 's3.amazonaws.com', name: 'ListObjectsV2', readOnly: true, weight: 6, params: () => ({ bucketName: 'orders-data-prod', 'list-type': '2', prefix: 'exports/', Host: 'orders-data-prod.s3.amazonaws.com' }) },
  { source: 'dynamodb.amazonaws.com', name: 'GetItem', readOnly: true, weight: 12, params: (r) => ({ tableName: 'orders', key: { orderId: { S: uuid(r) } }, consistentRead: false }) },
  { source: 'dynamodb.amazonaws.com', name: 'PutItem', readOnly: false, weight: 6, params: () => ({ tableName: 'orders', returnValues: 'NONE' }) },
  { source: 'ec2.amazonaws.com', name: 'DescribeInstances', readOnly: true, weight: 8, params: (r) => ({ instancesSet: { items: [{ instanceId: `i-0${r.hex(16)}` }] }, filterSet: {} }) },
  { source: 'ec2.amazonaws.com', name: 'DescribeSecurityGroups', readOnly: true, weight: 3, params: () => ({ securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} }) },
  { source: 'sts.amazonaws.com', name: 'AssumeRole', readOnly: true, weight: 7, params: (r, account) => ({ roleArn: `arn:aws:iam::${account}:role/orders-api-ecs-task`, roleSessionName: r.hex(32), durationSeconds: 3600 }) },
  { source: 'sts.amazonaws.com', name: 'GetCallerIdentity', readOnly: true, weight: 3, params: () => null },
  { source: 'kms.amazonaws.com', name: 'Decrypt', readOnly: true, weight: 9, params: (r, account, region) => ({ encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::orders-data-prod/exports/${r.hex(8)}` }, keyId: `arn:aws:kms:${region}:${account}:key/${uuid(r)}` }) },
  { source: 'kms.amazonaws.com', name: 'GenerateDataKey', readOnly: true, weight: 5, params: (_r, account, region) => ({ keyId: `arn:aws:kms:${region}:${account}:alias/aws/s3`, keySpec: 'AES_256' }) },
  { source: 'lambda.amazonaws.com', name: 'Invoke', readOnly: false, weight: 4, params: (r, account, region) => ({ functionName: `arn:aws:lambda:${region}:${account}:function:ingest-${r.int(0, 4)}`, invocationType: 'Event' }) },
  { source: 'logs.amazonaws.com', name: 'CreateLogStream', readOnly: false, weight: 3, params: (r) => ({ logGroupName: '/ecs/orders-api', logStreamName: `ecs/orders-api/${r.hex(32)}` }) },
  { source: 'secretsmanager.amazonaws.com', name: 'GetSecretValue', readOnly: true, weight: 2, params: () => ({ secretId: 'prod/orders/db' }) },
  { source: 'ssm.amazonaws.com', name: 'GetParameters', readOnly: true, weight: 2, params: () => ({ names: ['/orders/prod/feature-flags', '/orders/prod/endpoint'], withDecryption: false }) },
  { source: 'iam.amazonaws.com', name: 'GetRole', readOnly: true, weight: 2, params: () => ({ roleName: 'orders-api-ecs-task' }) },
  { source: 'iam.amazonaws.com', name: 'ListAttachedRolePolicies', readOnly: true, weight: 1, params: () => ({ roleName: 'ingest-lambda-role' }) },
  { source: 'cloudtrail.amazonaws.com', name: 'LookupEvents', readOnly: true, weight: 1, params: () => ({ maxResults: 50, lookupAttributes: [{ attributeKey: 'EventName', attributeValue: 'ConsoleLogin' }] }) },
  // Risky actions, rare, so a scan has detections to find.
  { source: 's3.amazonaws.com', name: 'PutBucketPolicy', readOnly: false, weight: 0.02, params: () => ({ bucketName: 'orders-data-prod', bucketPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders-data-prod/*' }] }, policy: [''] }) },
  { source: 'cloudtrail.amazonaws.com', name: 'StopLogging', readOnly: false, weight: 0.005, params: (_r, account, region) => ({ name: `arn:aws:cloudtrail:${region}:${account}:trail/org-trail` }) },
  { source: 'iam.amazonaws.com', name: 'AttachUserPolicy', readOnly: false, weight: 0.01, params: () => ({ userName: 'ci-deployer', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }) },
  { source: 'ec2.amazonaws.com', name: 'AuthorizeSecurityGroupIngress', readOnly: false, weight: 0.05, params: (r) => ({ groupId: `sg-0${r.hex(16)}`, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } }) },
];
const TOTAL_WEIGHT = CALLS.reduce((n, c) => n + c.weight, 0);

function pickCall(r: Rng): Call {
  let roll = r.next() * TOTAL_WEIGHT;
  for (const c of CALLS) {
    roll -= c.weight;
    if (roll < 0) return c;
  }
  return CALLS[0] as Call;
}

function identity(r: Rng, account: string, time: string): Record<string, unknown> {
  const kind = r.next();
  if (kind < 0.35) {
    const user = r.pick(USERS);
    return { type: 'IAMUser', principalId: `AIDA${r.upper(17)}`, arn: `arn:aws:iam::${account}:user/${user}`, accountId: account, accessKeyId: `AKIA${r.upper(16)}`, userName: user };
  }
  if (kind < 0.93) {
    const role = r.pick(ROLES);
    const session = role.session(r);
    const roleId = `AROA${r.upper(17)}`;
    return {
      type: 'AssumedRole', principalId: `${roleId}:${session}`, arn: `arn:aws:sts::${account}:assumed-role/${role.name}/${session}`, accountId: account, accessKeyId: `ASIA${r.upper(16)}`,
      sessionContext: { sessionIssuer: { type: 'Role', principalId: roleId, arn: `arn:aws:iam::${account}:role/${role.name}`, accountId: account, userName: role.name }, webIdFederationData: {}, attributes: { creationDate: time, mfaAuthenticated: 'false' } },
    };
  }
  if (kind < 0.999) return { type: 'AWSService', invokedBy: r.pick(['lambda.amazonaws.com', 'ecs-tasks.amazonaws.com', 'cloudformation.amazonaws.com']) };
  return { type: 'Root', principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account, accessKeyId: `ASIA${r.upper(16)}`, sessionContext: { attributes: { creationDate: time, mfaAuthenticated: 'true' } } };
}

const ERRORS = [
  { errorCode: 'AccessDenied', errorMessage: 'User is not authorized to perform this action because no identity-based policy allows the action' },
  { errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' },
  { errorCode: 'ResourceNotFoundException', errorMessage: 'Requested resource not found' },
];

export function makeRecord(r: Rng, account: string, region: string, ms: number): Record<string, unknown> {
  const time = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const call = pickCall(r);
  const id = identity(r, account, time);
  const record: Record<string, unknown> = {
    eventVersion: '1.10',
    userIdentity: id,
    eventTime: time,
    eventSource: call.source,
    eventName: call.name,
    awsRegion: region,
    sourceIPAddress: id['type'] === 'AWSService' ? String(id['invokedBy']) : `${r.pick(['198.51.100', '203.0.113', '192.0.2', '10.20.30'])}.${r.int(0, 254)}`,
    userAgent: id['type'] === 'AWSService' ? String(id['invokedBy']) : r.pick(AGENTS),
    requestParameters: call.params(r, account, region),
    responseElements: null,
    requestID: uuid(r),
    eventID: uuid(r),
    readOnly: call.readOnly,
    resources: call.source === 's3.amazonaws.com' ? [{ accountId: account, type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::orders-data-prod' }] : undefined,
    eventType: 'AwsApiCall',
    managementEvent: !['GetObject', 'PutObject', 'GetItem', 'PutItem', 'Invoke'].includes(call.name),
    recipientAccountId: account,
    eventCategory: ['GetObject', 'PutObject', 'GetItem', 'PutItem', 'Invoke'].includes(call.name) ? 'Data' : 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${call.source.replace('.amazonaws.com', '')}.${region}.amazonaws.com` },
  };
  if (r.next() < 0.05) Object.assign(record, r.pick(ERRORS));
  return record;
}

export interface Corpus {
  dir: string;
  files: number;
  events: number;
  bytes: number;
  from: number;
  to: number;
}

/**
 * Writes `events` records in files of `perFile`, spread over the accounts and regions as one organization
 * trail delivers them: each account-region gets a file about every five minutes.
 */
export async function writeCorpus(dir: string, events: number, perFile = 2000): Promise<Corpus> {
  const r = new Rng(20260914);
  const leaves = ACCOUNTS.flatMap((account) => REGIONS.map((region) => ({ account, region })));
  const files = Math.ceil(events / perFile);
  const start = Date.parse('2026-09-14T00:00:00Z');
  const step = 300_000;
  let written = 0;
  let bytes = 0;
  const pending: Promise<void>[] = [];
  for (let f = 0; f < files; f++) {
    const leaf = leaves[f % leaves.length] as { account: string; region: string };
    const slot = Math.floor(f / leaves.length);
    const delivered = start + (slot + 1) * step + r.int(0, 59) * 1000;
    const n = Math.min(perFile, events - written);
    const records = Array.from({ length: n }, (_, i) => makeRecord(r, leaf.account, leaf.region, delivered - step + Math.floor((i / n) * (step - 90_000))));
    written += n;
    const iso = new Date(delivered).toISOString();
    const stamp = `${iso.slice(0, 10).replace(/-/g, '')}T${iso.slice(11, 16).replace(':', '')}Z`;
    const key = `AWSLogs/${ORG_ID}/${leaf.account}/CloudTrail/${leaf.region}/${iso.slice(0, 10).replace(/-/g, '/')}/${leaf.account}_CloudTrail_${leaf.region}_${stamp}_${r.upper(16)}.json.gz`;
    const json = Buffer.from(JSON.stringify({ Records: records }));
    bytes += json.length;
    pending.push(
      gzipAsync(json).then((gz) => {
        mkdirSync(dirname(join(dir, key)), { recursive: true });
        writeFileSync(join(dir, key), gz);
      }),
    );
    if (pending.length >= 4) await pending.shift();
  }
  await Promise.all(pending);
  return { dir, files, events: written, bytes, from: start, to: start + (Math.ceil(files / leaves.length) + 1) * step };
}
