// Realistic trail estates for the per-trail, per-key and event-data-store check tests: every collected account
// and region gets its DescribeTrails (home entries, shadow entries of multi-region trails, organization trails
// seen from member accounts), and each trail its GetTrailStatus, GetEventSelectors and GetInsightSelectors in
// the owner's home region. Tests vary only what they are about.
import type { GetTrailStatusResponse, KeyMetadata, Trail } from '../../src/evidence/aws.js';
import { BundleBuilder, trailArn } from '../../fixtures/bundle-builder.js';

export const COLLECTED_AT = '2026-10-01T06:00:00.000Z';
export const MGMT = '111111111111';
export const MEMBER = '222222222222';
export const OUTSIDER = '333333333333';
export const ORG_ID = 'o-h6example01';

/** An ISO time this many hours before `from` (the manifest's collectedAt by default). */
export function hoursBefore(hours: number, from = COLLECTED_AT): string {
  return new Date(Date.parse(from) - hours * 3_600_000).toISOString();
}

export function keyArn(account: string, region: string, keyId: string): string {
  return `arn:aws:kms:${region}:${account}:key/${keyId}`;
}

export function builder(accounts: string[] = [MGMT], regions: string[] = ['us-east-1', 'eu-west-1'], collectedAt = COLLECTED_AT): BundleBuilder {
  return new BundleBuilder({ accounts, regions, collectedAt });
}

export interface TrailSpec {
  account: string;
  name: string;
  /** Defaults to the builder's first region. */
  homeRegion?: string;
  /** Defaults to true. */
  multiRegion?: boolean;
  organization?: boolean;
  /** Collected accounts that see this organization trail in their DescribeTrails. */
  members?: string[];
  kmsKeyId?: string;
  logGroupArn?: string;
  /** Other DescribeTrails members, merged over the defaults. */
  config?: Partial<Trail>;
  /** GetTrailStatus members merged over a healthy status (undefined removes one); null writes no GetTrailStatus file. */
  status?: { [K in keyof GetTrailStatusResponse]?: GetTrailStatusResponse[K] | undefined } | null;
  /** Account whose home-region folder holds the trail's status files (default: the owner). */
  statusAccount?: string;
}

function homeOf(b: BundleBuilder, spec: TrailSpec): string {
  return spec.homeRegion ?? b.regions[0] ?? 'us-east-1';
}

export function trailEntry(b: BundleBuilder, spec: TrailSpec): Trail {
  const home = homeOf(b, spec);
  const entry: Trail = {
    Name: spec.name,
    S3BucketName: `cloudtrail-logs-${spec.account}`,
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: spec.multiRegion ?? true,
    HomeRegion: home,
    TrailARN: trailArn(spec.account, home, spec.name),
    LogFileValidationEnabled: true,
    HasCustomEventSelectors: false,
    HasInsightSelectors: false,
    IsOrganizationTrail: spec.organization ?? false,
  };
  if (spec.kmsKeyId !== undefined) entry.KmsKeyId = spec.kmsKeyId;
  if (spec.logGroupArn !== undefined) {
    entry.CloudWatchLogsLogGroupArn = spec.logGroupArn;
    entry.CloudWatchLogsRoleArn = `arn:aws:iam::${spec.account}:role/CloudTrailToCloudWatch`;
  }
  return { ...entry, ...spec.config };
}

export function healthyStatus(spec: TrailSpec): GetTrailStatusResponse {
  const status: GetTrailStatusResponse = {
    IsLogging: true,
    LatestDeliveryTime: hoursBefore(1),
    LatestDigestDeliveryTime: hoursBefore(1),
    StartLoggingTime: '2025-01-15T10:00:00.000Z',
  };
  if (spec.logGroupArn !== undefined) status.LatestCloudWatchLogsDeliveryTime = hoursBefore(0.5);
  const merged = Object.entries({ ...status, ...spec.status }).filter(([, value]) => value !== undefined);
  return Object.fromEntries(merged) as GetTrailStatusResponse;
}

function visibleIn(b: BundleBuilder, spec: TrailSpec, account: string, region: string): boolean {
  const here = (spec.multiRegion ?? true) || homeOf(b, spec) === region;
  if (spec.account === account) return here;
  return spec.organization === true && (spec.members ?? []).includes(account) && here;
}

/** Writes DescribeTrails for every collected account and region, then each trail's own status files. */
export function writeTrails(b: BundleBuilder, specs: TrailSpec[]): BundleBuilder {
  for (const account of b.accounts) {
    for (const region of b.regions) {
      b.describeTrails(account, region, specs.filter((s) => visibleIn(b, s, account, region)).map((s) => trailEntry(b, s)));
    }
  }
  for (const spec of specs) {
    const where = spec.statusAccount ?? spec.account;
    if (!b.accounts.includes(where)) continue;
    const home = homeOf(b, spec);
    const arn = trailArn(spec.account, home, spec.name);
    if (spec.status !== null) b.put(where, home, `cloudtrail/GetTrailStatus/${spec.name}.json`, healthyStatus(spec));
    b.put(where, home, `cloudtrail/GetEventSelectors/${spec.name}.json`, {
      TrailARN: arn,
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }],
    });
    b.putError(where, home, `cloudtrail/GetInsightSelectors/${spec.name}.json`, 'InsightNotEnabledException', `Trail ${arn} does not have Insights enabled.`);
  }
  return b;
}

/** DescribeOrganization in every collected account of the organization, ListAccounts in the management account. */
export function writeOrganization(b: BundleBuilder, management: string, members: string[]): BundleBuilder {
  const organization = {
    Id: ORG_ID,
    Arn: `arn:aws:organizations::${management}:organization/${ORG_ID}`,
    FeatureSet: 'ALL',
    MasterAccountArn: `arn:aws:organizations::${management}:account/${ORG_ID}/${management}`,
    MasterAccountId: management,
    MasterAccountEmail: 'aws-management@example.com',
  };
  for (const account of [management, ...members].filter((a) => b.accounts.includes(a))) {
    b.put(account, 'global', 'organizations/DescribeOrganization.json', { Organization: organization });
  }
  if (b.accounts.includes(management)) {
    b.put(management, 'global', 'organizations/ListAccounts.json', {
      Accounts: [management, ...members].map((id) => ({ Id: id, Name: `account-${id}`, State: 'ACTIVE', Status: 'ACTIVE' })),
    });
  }
  return b;
}

export interface KeySpec {
  account: string;
  region: string;
  keyId: string;
  metadata?: Partial<KeyMetadata>;
  /** KeyRotationEnabled; null writes no GetKeyRotationStatus file. */
  rotation?: boolean | null;
}

/** DescribeKey, GetKeyRotationStatus and GetKeyPolicy of a customer managed, enabled, rotated key. */
export function writeKey(b: BundleBuilder, spec: KeySpec): BundleBuilder {
  const dir = `kms/${spec.keyId}`;
  const arn = keyArn(spec.account, spec.region, spec.keyId);
  b.put(spec.account, spec.region, `${dir}/DescribeKey.json`, {
    KeyMetadata: {
      AWSAccountId: spec.account,
      KeyId: spec.keyId,
      Arn: arn,
      KeyManager: 'CUSTOMER',
      KeyState: 'Enabled',
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      Origin: 'AWS_KMS',
      MultiRegion: false,
      ...spec.metadata,
    },
  });
  if (spec.rotation !== null) {
    b.put(spec.account, spec.region, `${dir}/GetKeyRotationStatus.json`, { KeyRotationEnabled: spec.rotation ?? true, KeyId: arn, RotationPeriodInDays: 365 });
  }
  b.put(spec.account, spec.region, `${dir}/GetKeyPolicy.json`, { PolicyName: 'default', Policy: '{"Version":"2012-10-17","Statement":[]}' });
  return b;
}

export function pointersOf(evidence: { file: string; pointer: string }[]): string[] {
  return evidence.map((e) => `${e.file}#${e.pointer}`);
}
