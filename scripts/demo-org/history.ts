// The Example Corp demo organization as it stood in the two quarters before the demo's 2026-Q3 audit, for the
// report's trends (examples/history, written by scripts/make-demo-history.ts). Each earlier estate is the Q3
// estate of buildDemoOrg() taken back in time, file by file, to what the story says was true then:
//
// - the sandbox account (vended 2026-09-29) does not exist yet; no CloudTrail log files are kept (the earlier
//   audits were posture snapshots); every trail's delivery times are just before that collection;
// - the story's Q3 events have not happened: prod-trail's bucket is not public yet (made public 2026-09-13, its
//   Block Public Access turned off earlier in Q3), the
//   staging legacy key is not pending deletion (scheduled 2026-09-15), the Lake store prod-incident-queries does
//   not exist (created 2026-09-14); in Q1 the staging legacy trail still logs (stopped 2026-06-30);
// - fixes made since: in Q1 the organization log bucket had no TLS-only Deny (added in Q2) and the organization
//   trail's log group kept 90 days (365 from Q2); the security bucket had no Object Lock before Q3.
//
// So from Q1 to Q3 some checks recover and, in Q3, prod-trail's bucket regresses. Nothing reads the clock.
import type { BundleBuilder } from '../../fixtures/bundle-builder.js';
import { eventTimeOf } from './events.js';
import { buildDemoOrg } from './generate.js';
import { ALL_BLOCKED } from './storage.js';
import { ACCOUNTS, BUCKETS, EVENT_DATA_STORES, KEYS, LOG_GROUPS, TRAILS } from './profile.js';

export interface EarlierQuarter {
  period: '2026-Q1' | '2026-Q2';
  collectedAt: string;
}

export const EARLIER_QUARTERS: readonly EarlierQuarter[] = [
  { period: '2026-Q1', collectedAt: '2026-04-01T06:00:00.000Z' },
  { period: '2026-Q2', collectedAt: '2026-07-01T06:00:00.000Z' },
];

function edit(b: BundleBuilder, path: string, change: (value: Record<string, unknown>) => unknown): void {
  const bytes = b.files.get(path);
  if (bytes === undefined) throw new Error(`demo history: ${path} is not in the demo bundle`);
  b.file(path, change(JSON.parse(bytes.toString('utf8')) as Record<string, unknown>));
}

type Statement = { Sid?: string; Condition?: Record<string, Record<string, unknown>> };

function editPolicy(b: BundleBuilder, path: string, keep: (s: Statement) => boolean): void {
  edit(b, path, (v) => {
    const policy = JSON.parse(String(v.Policy)) as { Statement: Statement[] };
    policy.Statement = policy.Statement.filter(keep);
    return { ...v, Policy: JSON.stringify(policy) };
  });
}

const s3 = (account: string, region: string, bucket: string, op: string): string => `accounts/${account}/${region}/s3/${bucket}/${op}.json`;

/** The demo estate as collected at the start of the quarter after `q` (see the file's opening). */
export function buildEarlierQuarter(q: EarlierQuarter): BundleBuilder {
  const b = buildDemoOrg();
  const collected = Date.parse(q.collectedAt);
  const before = (minutes: number): string => new Date(collected - minutes * 60_000).toISOString();
  b.collectedAt = q.collectedAt;
  const sandbox = ACCOUNTS.sandbox;
  b.accounts = b.accounts.filter((a) => a !== sandbox);
  for (const path of [...b.files.keys()]) if (path.startsWith('logs/') || path.startsWith(`accounts/${sandbox}/`)) b.remove(path);
  const mgmt = ACCOUNTS.management;
  edit(b, `accounts/${mgmt}/global/organizations/ListAccounts.json`, (v) => ({ ...v, Accounts: (v.Accounts as { Id: string }[]).filter((a) => a.Id !== sandbox) }));

  // Trails delivered minutes before each collection; the staging trail logged until 2026-06-30.
  const stagingStopped = q.collectedAt > '2026-06-30T17:04:11.528Z';
  for (const trail of Object.values(TRAILS)) {
    const path = `accounts/${trail.owner}/${trail.homeRegion}/cloudtrail/GetTrailStatus/${trail.name}.json`;
    if (trail === TRAILS.stagingLegacy && stagingStopped) continue;
    edit(b, path, (v) => {
      const out: Record<string, unknown> = { ...v, IsLogging: true, TimeLoggingStopped: '' };
      delete out.StopLoggingTime;
      for (const key of ['LatestDeliveryTime', 'LatestCloudWatchLogsDeliveryTime', 'LatestDigestDeliveryTime']) if (key in out) out[key] = before(key === 'LatestDigestDeliveryTime' ? 29 : 9);
      for (const key of ['LatestDeliveryAttemptTime', 'LatestDeliveryAttemptSucceeded']) if (out[key] !== '' && key in out) out[key] = eventTimeOf(collected - 9 * 60_000);
      return out;
    });
  }

  // Not yet made public (2026-09-13), and Block Public Access still on for the bucket (turned off some time in
  // Q3 before marco's PutBucketPolicy, outside the three days of logs).
  b.file(s3(ACCOUNTS.prod, 'us-east-1', BUCKETS.prodTrailLogs, 'GetPublicAccessBlock'), { PublicAccessBlockConfiguration: ALL_BLOCKED });
  editPolicy(b, s3(ACCOUNTS.prod, 'us-east-1', BUCKETS.prodTrailLogs, 'GetBucketPolicy'), (s) => s.Sid !== 'AllowBIVendorRead');
  edit(b, s3(ACCOUNTS.prod, 'us-east-1', BUCKETS.prodTrailLogs, 'GetBucketPolicyStatus'), () => ({ PolicyStatus: { IsPublic: false } }));
  // The staging key is not yet scheduled for deletion (2026-09-15): enabled, never rotated.
  const key = `accounts/${KEYS.stagingLegacy.account}/${KEYS.stagingLegacy.region}/kms/${KEYS.stagingLegacy.keyId}`;
  edit(b, `${key}/DescribeKey.json`, (v) => {
    const meta: Record<string, unknown> = { ...(v.KeyMetadata as Record<string, unknown>), Enabled: true, KeyState: 'Enabled' };
    delete meta.DeletionDate;
    delete meta.PendingDeletionWindowInDays;
    return { KeyMetadata: meta };
  });
  b.file(`${key}/GetKeyRotationStatus.json`, { KeyRotationEnabled: false });
  // prod-incident-queries was created on 2026-09-14.
  const store = EVENT_DATA_STORES.prodQueries;
  for (const path of [...b.files.keys()]) if (path.includes(`/GetEventDataStore/${store.id}.json`)) b.remove(path);
  for (const path of [...b.files.keys()].filter((p) => p.endsWith('/cloudtrail/ListEventDataStores.json'))) {
    edit(b, path, (v) => (Array.isArray(v.EventDataStores) ? { ...v, EventDataStores: (v.EventDataStores as { Name?: string }[]).filter((s) => s.Name !== store.name) } : v));
  }

  // Fixed during Q2: the TLS-only Deny on the organization log bucket, a year's retention for the trail's log group.
  if (q.period === '2026-Q1') {
    editPolicy(b, s3(ACCOUNTS.logArchive, 'us-east-1', BUCKETS.orgLogs, 'GetBucketPolicy'), (s) => s.Condition?.Bool?.['aws:SecureTransport'] === undefined);
    edit(b, `accounts/${LOG_GROUPS.orgTrail.account}/${LOG_GROUPS.orgTrail.region}/logs/DescribeLogGroups.json`, (v) => ({
      ...v, logGroups: (v.logGroups as { logGroupName: string }[]).map((g) => (g.logGroupName === LOG_GROUPS.orgTrail.name ? { ...g, retentionInDays: 90 } : g)),
    }));
  }
  // Object Lock on the security bucket came in Q3.
  b.putError(ACCOUNTS.security, 'eu-west-1', `s3/${BUCKETS.securityLogs}/GetObjectLockConfiguration.json`, 'ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket');
  return b;
}
