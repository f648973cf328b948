// A small, realistic audit for report tests: three accounts, every status, two framework views, waivers (one
// expired), risky events (Winter's DeleteBucket among them) and an evidence bundle on disk that the results
// cite, so excerpts can be read back. Plus the previous quarter's findings for "changes since".
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Detection, EvidenceRef, Findings, FrameworkRequirementView, Result, Status } from '../../src/model/types.js';
import { BundleBuilder } from '../../fixtures/bundle-builder.js';
import { resultId } from '../../src/engine/result-id.js';

export const MGMT = '111111111111';
export const LOGS = '222222222222';
export const PROD = '444444444444';
export const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/org-trail`;
export const LOG_BUCKET = 'arn:aws:s3:::example-cloudtrail-logs-222222222222';
export const WINTER = `arn:aws:iam::${PROD}:user/Winter`;

const POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `${LOG_BUCKET}/AWSLogs/*` },
  ],
};

export function fixtureBundle(): BundleBuilder {
  return new BundleBuilder({ accounts: [MGMT, LOGS, PROD], regions: ['us-east-1', 'eu-west-1'], collectedAt: '2026-10-01T06:00:00.000Z' })
    .put(MGMT, 'global', 'organizations/DescribeOrganization.json', { Organization: { Id: 'o-exampleorg1', MasterAccountId: MGMT } })
    .put(MGMT, 'global', 'organizations/ListAccounts.json', {
      Accounts: [
        { Id: MGMT, Name: 'Management', Status: 'ACTIVE' },
        { Id: LOGS, Name: 'Log Archive', Status: 'ACTIVE' },
        { Id: PROD, Name: 'Production', Status: 'ACTIVE' },
        { Id: '555555555555', Name: 'Sandbox', Status: 'ACTIVE' },
      ],
    })
    .describeTrails(MGMT, 'us-east-1', [
      { Name: 'org-trail', TrailARN: TRAIL_ARN, HomeRegion: 'us-east-1', S3BucketName: 'example-cloudtrail-logs-222222222222', IsMultiRegionTrail: true, IsOrganizationTrail: true, LogFileValidationEnabled: false, IncludeGlobalServiceEvents: true },
    ])
    .put(LOGS, 'us-east-1', 's3/example-cloudtrail-logs-222222222222/GetBucketPolicy.json', { Policy: JSON.stringify(POLICY) })
    .put(LOGS, 'us-east-1', 's3/example-cloudtrail-logs-222222222222/GetBucketVersioning.json', { Status: 'Enabled', MFADelete: 'Disabled' })
    .putError(PROD, 'eu-west-1', 'cloudtrail/DescribeTrails.json', 'AccessDeniedException', 'User is not authorized to perform: cloudtrail:DescribeTrails');
}

export interface WrittenFixture {
  dir: string;
  manifestSha256: string;
  ref(file: string, pointer: string): EvidenceRef;
}

export function writeFixtureBundle(): WrittenFixture {
  const builder = fixtureBundle();
  const dir = builder.writeTemp('trailproof-report-bundle-');
  const manifestSha256 = createHash('sha256').update(readFileSync(join(dir, 'manifest.json'))).digest('hex');
  const files = builder.manifest().files as Record<string, string>;
  return {
    dir,
    manifestSha256,
    ref(file, pointer) {
      const sha256 = files[file];
      if (sha256 === undefined) throw new Error(`fixture bundle has no ${file}`);
      return { file, sha256, pointer };
    },
  };
}

const TRAILS_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/DescribeTrails.json`;
const POLICY_FILE = `accounts/${LOGS}/us-east-1/s3/example-cloudtrail-logs-222222222222/GetBucketPolicy.json`;
const VERSIONING_FILE = `accounts/${LOGS}/us-east-1/s3/example-cloudtrail-logs-222222222222/GetBucketVersioning.json`;
const PROD_TRAILS_FILE = `accounts/${PROD}/eu-west-1/cloudtrail/DescribeTrails.json`;

function result(partial: Partial<Result> & Pick<Result, 'checkId' | 'title' | 'status' | 'account' | 'region' | 'resource' | 'message'>): Result {
  return { id: resultId(partial.checkId, partial.account, partial.region, partial.resource), severity: 'medium', evidence: [], frameworks: {}, ...partial };
}

export function winterDetection(): Detection {
  return {
    ruleId: 's3-bucket-deleted',
    title: 'S3 bucket deleted',
    severity: 'high',
    eventTime: '2026-09-14T03:32:07Z',
    eventName: 'DeleteBucket',
    eventSource: 's3.amazonaws.com',
    eventId: '5f8c2b1e-7d3a-4c6e-9b0f-2a1d3e4f5a6b',
    actor: WINTER,
    actorType: 'IAMUser',
    sourceIPAddress: '192.0.2.55',
    userAgent: '[aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#s3api.delete-bucket]',
    account: PROD,
    region: 'us-east-1',
    errorCode: null,
    count: 1,
    firstSeen: '2026-09-14T03:32:07Z',
    lastSeen: '2026-09-14T03:32:07Z',
    requestParameters: { bucketName: 'example-prod-customer-data', Host: 'example-prod-customer-data.s3.amazonaws.com' },
  };
}

export function fixtureDetections(): Detection[] {
  return [
    winterDetection(),
    {
      ruleId: 'console-login-failures', title: 'Repeated console sign-in failures', severity: 'medium', eventTime: '2026-09-13T22:10:41Z', eventName: 'ConsoleLogin',
      eventSource: 'signin.amazonaws.com', eventId: 'b1c2d3e4-0000-4000-8000-000000000001', actor: `arn:aws:iam::${PROD}:user/Winter`, actorType: 'IAMUser',
      sourceIPAddress: '192.0.2.55', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', account: PROD, region: 'us-east-1', errorCode: 'Failed authentication',
      count: 7, firstSeen: '2026-09-13T22:04:02Z', lastSeen: '2026-09-13T22:10:41Z',
    },
    {
      ruleId: 'root-account-usage', title: 'Root user used', severity: 'high', eventTime: '2026-08-02T09:15:00Z', eventName: 'GetAccountSummary',
      eventSource: 'iam.amazonaws.com', eventId: 'c1c2d3e4-0000-4000-8000-000000000002', actor: `arn:aws:iam::${MGMT}:root`, actorType: 'Root',
      sourceIPAddress: '198.51.100.7', userAgent: 'console.amazonaws.com', account: MGMT, region: 'us-east-1', errorCode: null,
      count: 1, firstSeen: '2026-08-02T09:15:00Z', lastSeen: '2026-08-02T09:15:00Z',
    },
  ];
}

export function fixtureFindings(bundle?: WrittenFixture): Findings {
  const ref = (file: string, pointer: string): EvidenceRef => bundle?.ref(file, pointer) ?? { file, pointer, sha256: createHash('sha256').update(file).digest('hex') };
  const results: Result[] = [
    result({ checkId: 'trail.multi-region', title: 'A logging multi-region trail records management events', severity: 'high', status: 'PASS', account: MGMT, region: 'global', resource: TRAIL_ARN, message: `Organization trail org-trail records read and write management events in every region.`, evidence: [ref(TRAILS_FILE, '/trailList/0/IsMultiRegionTrail')], frameworks: { 'cis-aws-3.0': ['3.1'], 'aws-fsbp': ['CloudTrail.1'] } }),
    result({
      checkId: 'trail.log-file-validation', title: 'Trails validate their log files', severity: 'medium', status: 'FAIL', account: MGMT, region: 'us-east-1', resource: TRAIL_ARN,
      message: 'Trail org-trail does not validate its log files.', evidence: [ref(TRAILS_FILE, '/trailList/0/LogFileValidationEnabled')], frameworks: { 'cis-aws-3.0': ['3.2'], 'aws-fsbp': ['CloudTrail.4'] },
      remediation: { text: 'Turn on log file validation.', cli: 'aws cloudtrail update-trail --name org-trail --enable-log-file-validation' },
    }),
    result({
      checkId: 'bucket.secure-transport', title: 'Trail log buckets refuse requests without TLS', severity: 'high', status: 'FAIL', account: LOGS, region: 'us-east-1', resource: LOG_BUCKET,
      message: 'Bucket example-cloudtrail-logs-222222222222 has no statement denying aws:SecureTransport false.', evidence: [ref(POLICY_FILE, '/Policy')], frameworks: { 'cis-aws-3.0': ['3.3'] },
      remediation: { text: 'Add a Deny statement for aws:SecureTransport = false.', cli: 'aws s3api put-bucket-policy --bucket example-cloudtrail-logs-222222222222 --policy file://policy.json' },
    }),
    result({
      checkId: 'bucket.versioning-mfa-delete', title: 'Trail log buckets keep versions', severity: 'medium', status: 'WAIVED', account: LOGS, region: 'us-east-1', resource: LOG_BUCKET,
      message: 'Versioning is enabled but MFA delete is not.', evidence: [ref(VERSIONING_FILE, '/MFADelete')], frameworks: { 'cis-aws-3.0': ['3.3'] },
      waiver: { reason: 'MFA delete cannot be enabled by automation; compensated by Object Lock.', owner: 'security@example.com', expires: '2026-12-31', originalStatus: 'FAIL' },
    }),
    result({ checkId: 'trail.management-events', title: 'Every region is recorded by a logging trail', severity: 'high', status: 'ERROR', account: PROD, region: 'eu-west-1', resource: `arn:aws:cloudtrail:eu-west-1:${PROD}:trail/*`, message: `${PROD_TRAILS_FILE} holds a failed call: AccessDeniedException: User is not authorized to perform: cloudtrail:DescribeTrails`, evidence: [ref(PROD_TRAILS_FILE, '/$error')], frameworks: { 'cis-aws-3.0': ['3.1'] } }),
    result({ checkId: 'trail.s3-data-events', title: 'S3 object events are recorded', severity: 'medium', status: 'MANUAL', account: MGMT, region: 'us-east-1', resource: TRAIL_ARN, message: 'Data events are narrowed to 2 buckets: confirm they are the buckets that matter.', evidence: [ref(TRAILS_FILE, '/trailList/0')], frameworks: {}, remediation: { text: 'Review the selector scope.' } }),
    result({ checkId: 'retention.s3-lifecycle', title: 'Trail log prefixes are kept long enough', severity: 'low', status: 'NOT_APPLICABLE', account: LOGS, region: 'us-east-1', resource: LOG_BUCKET, message: 'No lifecycle rule applies to the trail log prefix.' }),
    result({ checkId: 'trail.kms-encryption', title: 'Trails encrypt log files with a KMS key', severity: 'medium', status: 'PASS', account: MGMT, region: 'us-east-1', resource: TRAIL_ARN, message: 'Trail org-trail encrypts with a customer managed key.', frameworks: { 'cis-aws-3.0': ['3.5'] } }),
  ];
  const summary = { PASS: 0, FAIL: 0, MANUAL: 0, ERROR: 0, NOT_APPLICABLE: 0, WAIVED: 0, NOT_TESTED: 0, detections: 0, observations: 0 } as Findings['summary'];
  for (const r of results) summary[r.status]++;
  const detections = fixtureDetections();
  summary.detections = detections.length;
  const req = (id: string, title: string, checks: string[], status: Status | 'NOT_ASSESSED', counts: Partial<Record<Status, number>>): FrameworkRequirementView => ({ id, title, checks, status, counts });
  return {
    schemaVersion: '1',
    tool: { name: 'trailproof', version: '0.1.0' },
    run: {
      id: '7b0e2c56-3f0a-4f4e-9d7e-2f1e9c0a1b2c',
      startedAt: '2026-10-01T06:05:00.000Z',
      finishedAt: '2026-10-01T06:05:03.000Z',
      source: 'bundle',
      scope: { accounts: [MGMT, LOGS, PROD], regions: ['eu-west-1', 'us-east-1'] },
      period: { from: '2026-07-01T00:00:00.000Z', to: '2026-09-30T23:59:59.999Z' },
      collectedAt: '2026-10-01T06:00:00.000Z',
      failOn: 'high',
      bundle: { path: bundle?.dir ?? 'evidence/2026-q3', manifestSha256: bundle?.manifestSha256 ?? 'f'.repeat(64), tool: 'trailproof-test-builder', version: '0.0.0' },
    },
    summary,
    results,
    detections,
    waivers: [
      { checkId: 'bucket.versioning-mfa-delete', resource: LOG_BUCKET, account: LOGS, reason: 'MFA delete cannot be enabled by automation; compensated by Object Lock.', owner: 'security@example.com', expires: '2026-12-31', expired: false, matched: 1 },
      { checkId: 'trail.kms-encryption', resource: 'arn:aws:cloudtrail:*:*:trail/legacy-*', reason: 'Legacy trails retired in Q2; exception no longer needed.', owner: 'platform@example.com', expires: '2026-06-30', expired: true, matched: 0 },
    ],
    integrity: { verified: true, manifestSha256: bundle?.manifestSha256 ?? 'f'.repeat(64), modified: [], missing: [], allowedModified: false },
    frameworks: [
      {
        id: 'cis-aws-3.0', title: 'CIS Amazon Web Services Foundations Benchmark', version: '3.0.0',
        requirements: [
          req('3.1', 'Ensure CloudTrail is enabled in all regions', ['trail.multi-region', 'trail.management-events'], 'ERROR', { PASS: 1, ERROR: 1 }),
          req('3.2', 'Ensure CloudTrail log file validation is enabled', ['trail.log-file-validation'], 'FAIL', { FAIL: 1 }),
          req('3.3', 'Ensure the S3 bucket used to store CloudTrail logs is not publicly accessible', ['bucket.secure-transport', 'bucket.versioning-mfa-delete'], 'FAIL', { FAIL: 1, WAIVED: 1 }),
          req('3.5', 'Ensure CloudTrail logs are encrypted at rest using KMS CMKs', ['trail.kms-encryption'], 'PASS', { PASS: 1 }),
          req('3.7', 'Ensure VPC flow logging is enabled in all VPCs', [], 'NOT_ASSESSED', {}),
        ],
      },
      {
        id: 'aws-fsbp', title: 'AWS Foundational Security Best Practices', version: '1.0.0',
        requirements: [
          req('CloudTrail.1', 'CloudTrail should be enabled with at least one multi-Region trail', ['trail.multi-region'], 'PASS', { PASS: 1 }),
          req('CloudTrail.4', 'CloudTrail log file validation should be enabled', ['trail.log-file-validation'], 'FAIL', { FAIL: 1 }),
        ],
      },
    ],
  };
}

/** The previous quarter: log-file validation passed, a KMS failure since fixed, versioning failed (now waived). */
export function previousFindings(current: Findings): Findings {
  const prev = structuredClone(current);
  prev.run.id = '3a1d9e44-1b2c-4d5e-8f90-a1b2c3d4e5f6';
  prev.run.period = { from: '2026-04-01T00:00:00.000Z', to: '2026-06-30T23:59:59.999Z' };
  prev.run.startedAt = '2026-07-01T06:05:00.000Z';
  prev.run.finishedAt = '2026-07-01T06:05:02.000Z';
  prev.run.collectedAt = '2026-07-01T06:00:00.000Z';
  const set = (checkId: string, status: Status): void => {
    const r = prev.results.find((x) => x.checkId === checkId);
    if (!r) throw new Error(checkId);
    r.status = status;
    delete r.waiver;
  };
  set('trail.log-file-validation', 'PASS');
  set('trail.kms-encryption', 'FAIL');
  set('bucket.versioning-mfa-delete', 'FAIL');
  prev.results.push({ id: resultId('bucket.access-logging', LOGS, 'us-east-1', 'arn:aws:s3:::old-trail-bucket'), checkId: 'bucket.access-logging', title: 'Trail log buckets log access', severity: 'low', status: 'FAIL', account: LOGS, region: 'us-east-1', resource: 'arn:aws:s3:::old-trail-bucket', message: 'Bucket old-trail-bucket has no server access logging.', evidence: [], frameworks: {} });
  prev.detections = prev.detections.slice(2);
  prev.summary = { PASS: 0, FAIL: 0, MANUAL: 0, ERROR: 0, NOT_APPLICABLE: 0, WAIVED: 0, NOT_TESTED: 0, observations: 0, detections: prev.detections.length };
  for (const r of prev.results) prev.summary[r.status]++;
  return prev;
}
