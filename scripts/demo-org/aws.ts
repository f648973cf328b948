// Realistic AWS API responses for evidence bundles, shaped as the AWS SDK for JavaScript v3 returns them (member
// names and nesting of the service API, dates as ISO-8601 strings, `$metadata` dropped) and failed calls as
// `{"$error": {name, message}}` with the messages AWS writes. Each add* function places one resource's responses
// where the collector would (CONTRACT section 2), so tests and the benchmark can compose organizations from them.
import type { AdvancedEventSelector, EventSelector, PublicAccessBlockConfiguration, Trail } from '../../src/evidence/aws.js';
import type { BundleBuilder } from '../../fixtures/bundle-builder.js';

/** AWS returns several CloudTrail timestamps twice: as dates, and as strings without milliseconds. */
function seconds(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, 'Z');
}

export function putOrAppend(builder: BundleBuilder, path: string, member: string, item: unknown): void {
  const existing = builder.files.get(path);
  const doc = existing === undefined ? { [member]: [] } : (JSON.parse(existing.toString('utf8')) as Record<string, unknown>);
  if ('$error' in doc) return; // the call failed there: nothing to append to
  const list = Array.isArray(doc[member]) ? (doc[member] as unknown[]) : [];
  list.push(item);
  builder.file(path, { ...doc, [member]: list });
}

// ---------------------------------------------------------------------------------------------- regions, account

export type OptInStatus = 'opt-in-not-required' | 'opted-in' | 'not-opted-in';

export function describeRegions(regions: Record<string, OptInStatus>): unknown {
  return {
    Regions: Object.entries(regions).map(([name, status]) => ({ OptInStatus: status, RegionName: name, Endpoint: `ec2.${name}.amazonaws.com` })),
  };
}

export interface AccountBaseline {
  account: string;
  /** DescribeRegions(AllRegions=true). */
  regions: Record<string, OptInStatus>;
  /** Account-level S3 Block Public Access (s3control); undefined when not configured. */
  publicAccessBlock?: PublicAccessBlockConfiguration;
}

/**
 * The calls made in every account: DescribeRegions, the account's S3 Block Public Access, and per scope region
 * empty answers for trails, event data stores, log groups, metric filters and alarms (resources add to them).
 */
export function addAccountBaseline(builder: BundleBuilder, spec: AccountBaseline): void {
  const { account } = spec;
  builder.put(account, 'global', 'ec2/DescribeRegions.json', describeRegions(spec.regions));
  if (spec.publicAccessBlock === undefined) {
    builder.putError(account, 'global', 's3control/GetPublicAccessBlock.json', 'NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
  } else {
    builder.put(account, 'global', 's3control/GetPublicAccessBlock.json', { PublicAccessBlockConfiguration: spec.publicAccessBlock });
  }
  for (const region of builder.regions) {
    if (spec.regions[region] === 'not-opted-in' || spec.regions[region] === undefined) continue;
    builder.describeTrails(account, region, []);
    builder.put(account, region, 'cloudtrail/ListEventDataStores.json', { EventDataStores: [] });
    builder.put(account, region, 'logs/DescribeLogGroups.json', { logGroups: [] });
    builder.put(account, region, 'logs/DescribeMetricFilters.json', { metricFilters: [] });
    builder.put(account, region, 'cloudwatch/DescribeAlarms.json', { MetricAlarms: [], CompositeAlarms: [] });
  }
}

// ----------------------------------------------------------------------------------------------- organization

export interface OrgAccountSpec {
  id: string;
  name: string;
  email: string;
  state: 'ACTIVE' | 'SUSPENDED';
  joinedMethod: 'INVITED' | 'CREATED';
  joinedAt: string;
}

export interface OrganizationSpec {
  id: string;
  managementAccount: string;
  managementEmail: string;
  accounts: OrgAccountSpec[];
  /** [service principal, date enabled] */
  services: [string, string][];
  /** Account ids registered as delegated administrators, with the date of delegation. */
  delegatedAdministrators: [string, string][];
}

export function orgAccountArn(org: OrganizationSpec, account: string): string {
  return `arn:aws:organizations::${org.managementAccount}:account/${org.id}/${account}`;
}

/** DescribeOrganization in every scope account that belongs to it; the list calls in the management account. */
export function addOrganization(builder: BundleBuilder, org: OrganizationSpec): void {
  const describe = {
    Organization: {
      Id: org.id,
      Arn: `arn:aws:organizations::${org.managementAccount}:organization/${org.id}`,
      FeatureSet: 'ALL',
      MasterAccountArn: orgAccountArn(org, org.managementAccount),
      MasterAccountId: org.managementAccount,
      MasterAccountEmail: org.managementEmail,
      AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
    },
  };
  const members = new Set(org.accounts.filter((a) => a.state === 'ACTIVE').map((a) => a.id));
  for (const account of builder.accounts) if (members.has(account)) builder.put(account, 'global', 'organizations/DescribeOrganization.json', describe);
  const accountEntry = (a: OrgAccountSpec): Record<string, unknown> => ({
    Id: a.id,
    Arn: orgAccountArn(org, a.id),
    Email: a.email,
    Name: a.name,
    // Organizations added State in 2025 and keeps the deprecated Status beside it until it is retired.
    Status: a.state,
    State: a.state,
    JoinedMethod: a.joinedMethod,
    JoinedTimestamp: a.joinedAt,
  });
  const mgmt = org.managementAccount;
  builder.put(mgmt, 'global', 'organizations/ListAccounts.json', { Accounts: org.accounts.map(accountEntry) });
  builder.put(mgmt, 'global', 'organizations/ListAWSServiceAccessForOrganization.json', {
    EnabledServicePrincipals: org.services.map(([ServicePrincipal, DateEnabled]) => ({ ServicePrincipal, DateEnabled })),
  });
  builder.put(mgmt, 'global', 'organizations/ListDelegatedAdministrators.json', {
    DelegatedAdministrators: org.delegatedAdministrators.map(([id, delegatedAt]) => {
      const a = org.accounts.find((x) => x.id === id);
      if (a === undefined) throw new Error(`delegated administrator ${id} is not an account of the organization`);
      const { Id, Arn, Email, Name, Status, State, JoinedMethod, JoinedTimestamp } = accountEntry(a);
      return { Id, Arn, Email, Name, Status, State, JoinedMethod, JoinedTimestamp, DelegationEnabledDate: delegatedAt };
    }),
  });
}

// ---------------------------------------------------------------------------------------------------- trails

export interface TrailStatusSpec {
  logging: boolean;
  /** ISO-8601 with milliseconds. */
  latestDelivery: string;
  startedAt: string;
  stoppedAt?: string;
  cloudWatchDelivery?: string;
  digestDelivery?: string;
  deliveryError?: string;
}

/** GetTrailStatus, including the string-typed twins AWS still returns (empty strings when they do not apply). */
export function trailStatus(s: TrailStatusSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { IsLogging: s.logging };
  if (s.deliveryError !== undefined) out['LatestDeliveryError'] = s.deliveryError;
  out['LatestDeliveryTime'] = s.latestDelivery;
  out['StartLoggingTime'] = s.startedAt;
  if (s.stoppedAt !== undefined) out['StopLoggingTime'] = s.stoppedAt;
  if (s.cloudWatchDelivery !== undefined) out['LatestCloudWatchLogsDeliveryTime'] = s.cloudWatchDelivery;
  if (s.digestDelivery !== undefined) out['LatestDigestDeliveryTime'] = s.digestDelivery;
  out['LatestDeliveryAttemptTime'] = seconds(s.latestDelivery);
  out['LatestNotificationAttemptTime'] = '';
  out['LatestNotificationAttemptSucceeded'] = '';
  out['LatestDeliveryAttemptSucceeded'] = s.deliveryError === undefined ? seconds(s.latestDelivery) : '';
  out['TimeLoggingStarted'] = seconds(s.startedAt);
  out['TimeLoggingStopped'] = s.stoppedAt === undefined ? '' : seconds(s.stoppedAt);
  return out;
}

export interface TrailSpec {
  owner: string;
  name: string;
  homeRegion: string;
  multiRegion: boolean;
  organization?: boolean;
  globalServiceEvents?: boolean;
  bucket: string;
  keyPrefix?: string;
  validation: boolean;
  kmsKeyId?: string;
  logGroupArn?: string;
  cloudWatchRoleArn?: string;
  status: TrailStatusSpec;
  /** Basic or advanced selectors (a trail has one kind). */
  selectors: { EventSelectors: EventSelector[] } | { AdvancedEventSelectors: AdvancedEventSelector[] };
  /** Insights types; none means GetInsightSelectors fails with InsightNotEnabledException. */
  insights?: ('ApiCallRateInsight' | 'ApiErrorRateInsight')[];
}

export function trailArnOf(spec: Pick<TrailSpec, 'owner' | 'homeRegion' | 'name'>): string {
  return `arn:aws:cloudtrail:${spec.homeRegion}:${spec.owner}:trail/${spec.name}`;
}

/** The trail's DescribeTrails entry (the same in every account and region that sees it). */
export function trailEntry(spec: TrailSpec): Trail & Record<string, unknown> {
  const entry: Trail & Record<string, unknown> = { Name: spec.name, S3BucketName: spec.bucket };
  if (spec.keyPrefix !== undefined) entry.S3KeyPrefix = spec.keyPrefix;
  entry.IncludeGlobalServiceEvents = spec.globalServiceEvents ?? true;
  entry.IsMultiRegionTrail = spec.multiRegion;
  entry.HomeRegion = spec.homeRegion;
  entry.TrailARN = trailArnOf(spec);
  entry.LogFileValidationEnabled = spec.validation;
  if (spec.logGroupArn !== undefined) entry.CloudWatchLogsLogGroupArn = spec.logGroupArn;
  if (spec.cloudWatchRoleArn !== undefined) entry.CloudWatchLogsRoleArn = spec.cloudWatchRoleArn;
  if (spec.kmsKeyId !== undefined) entry.KmsKeyId = spec.kmsKeyId;
  entry.HasCustomEventSelectors = 'AdvancedEventSelectors' in spec.selectors || spec.selectors.EventSelectors.some((s) => (s.DataResources ?? []).length > 0 || s.ReadWriteType !== 'All');
  entry.HasInsightSelectors = (spec.insights ?? []).length > 0;
  entry.IsOrganizationTrail = spec.organization === true;
  return entry;
}

/**
 * A trail: its status, selectors and insights in the owner's home region, and its DescribeTrails entry in
 * every scope account and region that sees it (home, shadows of a multi-region trail, and for an organization
 * trail every other scope account). A place whose DescribeTrails failed is left as it is.
 */
export function addTrail(builder: BundleBuilder, spec: TrailSpec): Trail {
  const arn = trailArnOf(spec);
  const home = 'cloudtrail';
  builder.put(spec.owner, spec.homeRegion, `${home}/GetTrailStatus/${spec.name}.json`, trailStatus(spec.status));
  builder.put(spec.owner, spec.homeRegion, `${home}/GetEventSelectors/${spec.name}.json`, { TrailARN: arn, ...spec.selectors });
  if ((spec.insights ?? []).length > 0) {
    builder.put(spec.owner, spec.homeRegion, `${home}/GetInsightSelectors/${spec.name}.json`, {
      TrailARN: arn,
      InsightSelectors: (spec.insights ?? []).map((InsightType) => ({ InsightType, EventCategories: ['Management'] })),
    });
  } else {
    builder.putError(spec.owner, spec.homeRegion, `${home}/GetInsightSelectors/${spec.name}.json`, 'InsightNotEnabledException',
      `Trail ${arn} does not have Insights enabled. Edit the trail settings to enable Insights, and then try the operation again.`);
  }
  const entry = trailEntry(spec);
  for (const account of builder.accounts) {
    if (account !== spec.owner && spec.organization !== true) continue;
    for (const region of builder.regions) {
      if (region !== spec.homeRegion && !spec.multiRegion) continue;
      const path = `accounts/${account}/${region}/cloudtrail/DescribeTrails.json`;
      if (builder.files.has(path)) putOrAppend(builder, path, 'trailList', entry);
    }
  }
  return entry;
}

// -------------------------------------------------------------------------------------------- CloudTrail Lake

export interface EventDataStoreSpec {
  account: string;
  region: string;
  id: string;
  name: string;
  retentionDays: number;
  terminationProtection: boolean;
  kmsKeyId?: string;
  organization: boolean;
  multiRegion: boolean;
  billingMode: 'EXTENDABLE_RETENTION_PRICING' | 'FIXED_RETENTION_PRICING';
  createdAt: string;
  updatedAt: string;
  selectors: AdvancedEventSelector[];
}

/** ListEventDataStores lists the store by ARN and name only (its other members are deprecated there); GetEventDataStore has the rest. */
export function addEventDataStore(builder: BundleBuilder, spec: EventDataStoreSpec): string {
  const arn = `arn:aws:cloudtrail:${spec.region}:${spec.account}:eventdatastore/${spec.id}`;
  putOrAppend(builder, `accounts/${spec.account}/${spec.region}/cloudtrail/ListEventDataStores.json`, 'EventDataStores', { EventDataStoreArn: arn, Name: spec.name });
  builder.put(spec.account, spec.region, `cloudtrail/GetEventDataStore/${spec.id}.json`, {
    EventDataStoreArn: arn,
    Name: spec.name,
    Status: 'ENABLED',
    AdvancedEventSelectors: spec.selectors,
    MultiRegionEnabled: spec.multiRegion,
    OrganizationEnabled: spec.organization,
    RetentionPeriod: spec.retentionDays,
    TerminationProtectionEnabled: spec.terminationProtection,
    CreatedTimestamp: spec.createdAt,
    UpdatedTimestamp: spec.updatedAt,
    ...(spec.kmsKeyId === undefined ? {} : { KmsKeyId: spec.kmsKeyId }),
    BillingMode: spec.billingMode,
    FederationStatus: 'DISABLED',
  });
  return arn;
}
