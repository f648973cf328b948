// `npm run bench`: an organization of 1,000 accounts x 17 regions, audited by the real CLI in a child
// process. Prints wall time and peak memory (maxRSS) beside the targets: under 10 s and under 500 MB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/paths.js';
import { BundleBuilder, trailArn } from '../fixtures/bundle-builder.js';
import { BENCH_REGIONS, BENCH_MGMT, BENCH_LOG_ARCHIVE } from './estate.js';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000);
const REGIONS = BENCH_REGIONS;
const MGMT = BENCH_MGMT;
const LOG_ARCHIVE = BENCH_LOG_ARCHIVE;
const ORG_ID = 'o-bench12345';
const collectedAt = '2026-10-01T06:00:00.000Z';

function accountId(i: number): string {
  return String(100000000000 + i);
}

function generate(dir: string): void {
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => accountId(i));
  const b = new BundleBuilder({ accounts, regions: REGIONS, collectedAt, tool: 'trailproof-bench', version: '1' });
  const orgTrailArn = trailArn(MGMT, 'us-east-1', 'org-trail');
  const keyArn = `arn:aws:kms:us-east-1:${LOG_ARCHIVE}:key/0b7f1c52-1111-4d3a-9b7e-000000000001`;
  const orgTrail = {
    Name: 'org-trail', TrailARN: orgTrailArn, HomeRegion: 'us-east-1', S3BucketName: 'bench-org-cloudtrail', IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: true, IsOrganizationTrail: true, LogFileValidationEnabled: true, KmsKeyId: keyArn, HasCustomEventSelectors: true, HasInsightSelectors: false,
    CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${MGMT}:log-group:aws-cloudtrail-logs-org:*`,
  };
  const status = { IsLogging: true, LatestDeliveryTime: '2026-10-01T05:55:00.000Z', LatestCloudWatchLogsDeliveryTime: '2026-10-01T05:55:00.000Z', StartLoggingTime: '2024-01-01T00:00:00.000Z' };
  const selectors = { TrailARN: orgTrailArn, AdvancedEventSelectors: [{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] };
  b.put(MGMT, 'global', 'organizations/ListAccounts.json', { Accounts: accounts.map((id) => ({ Id: id, Arn: `arn:aws:organizations::${MGMT}:account/${ORG_ID}/${id}`, Name: `account-${id}`, Email: `aws+${id}@example.com`, Status: 'ACTIVE', State: 'ACTIVE', JoinedMethod: 'CREATED', JoinedTimestamp: '2024-01-01T00:00:00.000Z' })) });
  b.put(MGMT, 'global', 'organizations/ListAWSServiceAccessForOrganization.json', { EnabledServicePrincipals: [{ ServicePrincipal: 'cloudtrail.amazonaws.com', DateEnabled: '2024-01-01T00:00:00.000Z' }] });
  b.put(MGMT, 'global', 'organizations/ListDelegatedAdministrators.json', { DelegatedAdministrators: [] });
  b.put(MGMT, 'us-east-1', 'cloudtrail/GetTrailStatus/org-trail.json', status);
  b.put(MGMT, 'us-east-1', 'cloudtrail/GetEventSelectors/org-trail.json', selectors);
  b.putError(MGMT, 'us-east-1', 'cloudtrail/GetInsightSelectors/org-trail.json', 'InsightNotEnabledException', `Trail ${orgTrailArn} does not have Insights enabled.`);
  b.put(LOG_ARCHIVE, 'us-east-1', `kms/${keyArn.split('/')[1]}/DescribeKey.json`, { KeyMetadata: { KeyId: keyArn.split('/')[1], Arn: keyArn, AWSAccountId: LOG_ARCHIVE, KeyManager: 'CUSTOMER', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS', Enabled: true } });
  b.put(LOG_ARCHIVE, 'us-east-1', `kms/${keyArn.split('/')[1]}/GetKeyRotationStatus.json`, { KeyRotationEnabled: true, RotationPeriodInDays: 365 });
  const bucketOps: Record<string, unknown> = {
    GetBucketPolicy: { Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::bench-org-cloudtrail/AWSLogs/*', Condition: { StringEquals: { 'aws:SourceArn': orgTrailArn } } }, { Sid: 'DenyInsecure', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::bench-org-cloudtrail', 'arn:aws:s3:::bench-org-cloudtrail/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }) },
    GetBucketPolicyStatus: { PolicyStatus: { IsPublic: false } },
    GetPublicAccessBlock: { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } },
    GetBucketAcl: { Owner: { ID: 'owner' }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'owner' }, Permission: 'FULL_CONTROL' }] },
    GetBucketVersioning: { Status: 'Enabled', MFADelete: 'Disabled' },
    GetBucketLogging: { LoggingEnabled: { TargetBucket: 'bench-access-logs', TargetPrefix: 'cloudtrail/' } },
    GetBucketEncryption: { ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn }, BucketKeyEnabled: true }] } },
    GetBucketLifecycleConfiguration: { Rules: [{ ID: 'keep-7y', Status: 'Enabled', Filter: { Prefix: 'AWSLogs/' }, Expiration: { Days: 2557 } }] },
    GetObjectLockConfiguration: { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } } },
    GetBucketLocation: { LocationConstraint: null },
  };
  for (const [op, response] of Object.entries(bucketOps)) b.put(LOG_ARCHIVE, 'us-east-1', `s3/bench-org-cloudtrail/${op}.json`, response);
  b.put(MGMT, 'us-east-1', 'logs/DescribeLogGroups.json', { logGroups: [{ logGroupName: 'aws-cloudtrail-logs-org', arn: `arn:aws:logs:us-east-1:${MGMT}:log-group:aws-cloudtrail-logs-org:*`, retentionInDays: 400 }] });

  for (const [i, account] of accounts.entries()) {
    b.put(account, 'global', 'organizations/DescribeOrganization.json', { Organization: { Id: ORG_ID, Arn: `arn:aws:organizations::${MGMT}:organization/${ORG_ID}`, FeatureSet: 'ALL', MasterAccountArn: `arn:aws:organizations::${MGMT}:account/${ORG_ID}/${MGMT}`, MasterAccountId: MGMT, MasterAccountEmail: 'aws@example.com' } });
    b.put(account, 'global', 'ec2/DescribeRegions.json', { Regions: REGIONS.map((r) => ({ RegionName: r, Endpoint: `ec2.${r}.amazonaws.com`, OptInStatus: 'opt-in-not-required' })) });
    // One account in ten keeps a regional trail of its own: an extra, billed copy of management events.
    const own = i % 10 === 5 ? { Name: 'local-trail', TrailARN: trailArn(account, 'eu-west-1', 'local-trail'), HomeRegion: 'eu-west-1', S3BucketName: `local-trail-${account}`, IncludeGlobalServiceEvents: false, IsMultiRegionTrail: false, IsOrganizationTrail: false, LogFileValidationEnabled: false, HasCustomEventSelectors: false, HasInsightSelectors: false } : undefined;
    for (const region of REGIONS) {
      const trails: Record<string, unknown>[] = [orgTrail];
      if (own && region === 'eu-west-1') trails.push(own);
      b.put(account, region, 'cloudtrail/DescribeTrails.json', { trailList: trails });
      b.put(account, region, 'cloudtrail/ListEventDataStores.json', { EventDataStores: [] });
      if (account !== MGMT || region !== 'us-east-1') b.put(account, region, 'logs/DescribeLogGroups.json', { logGroups: [] });
      b.put(account, region, 'logs/DescribeMetricFilters.json', { metricFilters: [] });
      b.put(account, region, 'cloudwatch/DescribeAlarms.json', { MetricAlarms: [], CompositeAlarms: [] });
    }
    if (own) {
      b.put(account, 'eu-west-1', 'cloudtrail/GetTrailStatus/local-trail.json', status);
      b.put(account, 'eu-west-1', 'cloudtrail/GetEventSelectors/local-trail.json', { TrailARN: own.TrailARN, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] });
      b.putError(account, 'eu-west-1', 'cloudtrail/GetInsightSelectors/local-trail.json', 'InsightNotEnabledException', 'Insights not enabled.');
      for (const [op, response] of Object.entries(bucketOps)) b.put(account, 'eu-west-1', `s3/local-trail-${account}/${op}.json`, op === 'GetBucketPolicy' ? { $error: { name: 'NoSuchBucketPolicy', message: 'The bucket policy does not exist' } } : response);
    }
  }
  b.identity = { Account: MGMT, Arn: `arn:aws:sts::${MGMT}:assumed-role/TrailproofAudit/bench`, UserId: 'AROABENCH:bench' };
  b.write(dir);
}

function mb(kb: number): string {
  return `${(kb / 1024).toFixed(0)} MB`;
}

const dir = mkdtempSync(join(tmpdir(), 'trailproof-bench-'));
// BENCH_KEEP=1 leaves the generated bundle for profiling.
const keep = process.env.BENCH_KEEP === '1';
try {
  const g0 = process.hrtime.bigint();
  generate(join(dir, 'bundle'));
  const genMs = Number(process.hrtime.bigint() - g0) / 1e6;
  console.log(`generated ${ACCOUNTS} accounts x ${REGIONS.length} regions in ${(genMs / 1000).toFixed(1)} s`);

  // The child reports its own peak RSS; the parent times the whole process as a user would wait for it.
  const script = `const m = await import(${JSON.stringify(join(packageRoot, 'dist/src/cli/main.js'))});
const code = await m.main(${JSON.stringify(['audit', '--bundle', join(dir, 'bundle'), '--out', join(dir, 'out'), '--format', 'json,junit', '--quiet'])});
process.stderr.write(JSON.stringify({ code, maxRssKb: process.resourceUsage().maxRSS }) + '\\n');`;
  const t0 = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const stats = JSON.parse(run.stderr.trim().split('\n').pop() ?? '{}') as { code?: number; maxRssKb?: number };
  if (stats.maxRssKb === undefined) throw new Error(`audit failed: ${run.stderr}`);
  const ok = wallMs < 10_000 && stats.maxRssKb < 500 * 1024;
  console.log(`audit: wall ${(wallMs / 1000).toFixed(2)} s, peak memory ${mb(stats.maxRssKb)}, exit ${stats.code} (targets: < 10 s, < 500 MB) ${ok ? 'OK' : 'MISSED'}`);
} finally {
  if (keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
