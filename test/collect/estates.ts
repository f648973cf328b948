// Organizations for the collector's tests, and the helpers that collect them through the fake and audit
// the bundle with the real engine.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectBundle, type CollectOptions, type CollectResult } from '../../src/collect/index.js';
import { loadConfig } from '../../src/config/load.js';
import { planAudit, runAudit } from '../../src/engine/audit.js';
import { loadFrameworks } from '../../src/engine/frameworks.js';
import { loadBuiltinChecks } from '../../src/engine/registry.js';
import { Bundle } from '../../src/evidence/bundle.js';
import type { Findings } from '../../src/model/types.js';
import { callerCredentials, type FakeAws, type FakeEstate } from './fake-aws.js';

export const MGMT = '111111111111';
export const LOG = '222222222222';
export const DEV = '333333333333';
export const PROD = '444444444444';
export const SUSPENDED = '555555555555';
export const OUTSIDER = '999999999999';
export const ORG_TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/org-trail`;
export const ORG_KEY_ARN = `arn:aws:kms:us-east-1:${LOG}:key/0b7f1c52-1111-4d3a-9b7e-00000000a001`;
export const TOPIC_ARN = `arn:aws:sns:us-east-1:${MGMT}:security-alerts`;
/** The topic dev's EventBridge rule notifies (no alarm notifies it). */
export const EVENT_TOPIC_ARN = `arn:aws:sns:eu-west-1:${DEV}:root-activity`;
/** CIS 4.3 (root usage) as an EventBridge pattern. */
export const ROOT_USAGE_PATTERN = {
  detail: { userIdentity: { type: ['Root'], invokedBy: [{ exists: false }] }, eventType: [{ 'anything-but': 'AwsServiceEvent' }] },
};

/**
 * Four ACTIVE accounts and a suspended one; an organization trail (bucket in the log archive account in
 * eu-west-1, key in the log archive account), a single-region trail in dev, and a trail in prod writing to a
 * bucket owned outside the organization.
 */
export function orgEstate(overrides: Partial<FakeEstate> = {}): FakeEstate {
  return {
    caller: MGMT,
    organization: { id: 'o-fake123456', management: MGMT, members: [MGMT, LOG, DEV, PROD], suspended: [SUSPENDED] },
    regions: ['us-east-1', 'eu-west-1'],
    optedOut: ['af-south-1'],
    trails: [
      { owner: MGMT, name: 'org-trail', home: 'us-east-1', multiRegion: true, organization: true, bucket: 'org-cloudtrail-logs', kmsKeyId: ORG_KEY_ARN, logGroupArn: `arn:aws:logs:us-east-1:${MGMT}:log-group:org-trail:*` },
      { owner: DEV, name: 'dev-trail', home: 'eu-west-1', multiRegion: false, bucket: 'dev-trail-logs', validation: false },
      { owner: PROD, name: 'prod-vendor', home: 'us-east-1', multiRegion: false, bucket: 'vendor-archive-bucket' },
    ],
    buckets: [
      { name: 'org-cloudtrail-logs', owner: LOG, region: 'eu-west-1', versioning: 'Enabled' },
      { name: 'access-logs', owner: LOG, region: 'eu-west-1' },
      { name: 'dev-trail-logs', owner: DEV, region: 'eu-west-1' },
      { name: 'vendor-archive-bucket', owner: OUTSIDER, region: 'us-east-1' },
    ],
    keys: [{ account: LOG, region: 'us-east-1', id: '0b7f1c52-1111-4d3a-9b7e-00000000a001', rotation: true }],
    logGroups: { [`${MGMT}/us-east-1`]: ['org-trail', 'other-a', 'other-b'] },
    alarms: { [`${MGMT}/us-east-1`]: [{ name: 'unauthorized-api-calls', topics: [TOPIC_ARN] }] },
    topics: { [TOPIC_ARN]: ['a@example.com', 'b@example.com', 'c@example.com'], [EVENT_TOPIC_ARN]: ['oncall@example.com'] },
    // Three rules and three targets: two pages of each with the default page size.
    eventRules: {
      [`${DEV}/eu-west-1`]: [
        { name: 'root-usage', pattern: ROOT_USAGE_PATTERN, targets: [`arn:aws:lambda:eu-west-1:${DEV}:function:notify`, `arn:aws:sqs:eu-west-1:${DEV}:audit-queue`, EVENT_TOPIC_ARN] },
        { name: 'retired', pattern: { source: ['aws.signin'] }, state: 'DISABLED', targets: [] },
        { name: 'ec2-state', pattern: { source: ['aws.ec2'] }, targets: [`arn:aws:sqs:eu-west-1:${DEV}:audit-queue`] },
      ],
    },
    eventDataStores: { [`${MGMT}/us-east-1`]: ['eds-1', 'eds-2', 'eds-3'] },
    events: { [`${MGMT}/us-east-1`]: 5 },
    ...overrides,
  };
}

export function tempOut(): string {
  return join(mkdtempSync(join(tmpdir(), 'trailproof-collect-')), 'bundle');
}

/** Options that collect a fake estate quickly (tiny backoffs, no pacing worth waiting for). */
export function fakeOptions(fake: FakeAws, options: Partial<CollectOptions> = {}): CollectOptions {
  return {
    out: tempOut(),
    credentials: callerCredentials(fake.estate.caller),
    s3control: fake.s3control,
    region: 'us-east-1',
    assumeRole: 'TrailproofAudit',
    callTimeoutMs: 2000,
    tuning: { throttleBaseDelayMs: 1, lookupEventsPerSecond: 1000 },
    ...options,
  };
}

export function collectFake(fake: FakeAws, options: Partial<CollectOptions> = {}): Promise<CollectResult> {
  return collectBundle(fakeOptions(fake, options));
}

/** The audit of a bundle with every built-in check, as `trailproof audit --bundle` runs it. */
export async function auditBundle(dir: string, source: 'live' | 'bundle' = 'bundle'): Promise<Findings> {
  const registry = await loadBuiltinChecks();
  const { config } = loadConfig(undefined, dir);
  const plan = planAudit(registry, loadFrameworks(), config, { checks: [] });
  return runAudit(Bundle.open(dir), plan, { source, bundlePath: dir, failOn: 'high' });
}
