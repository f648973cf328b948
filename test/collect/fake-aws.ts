// A modelled AWS estate behind aws-sdk-client-mock: every client the collector uses answers from one
// description of an organization (accounts, regions, trails, buckets, keys, log groups, alarms, EventBridge
// rules, events), as the account whose credentials signed the call and in the client's region. Cross-account
// reads are denied the way AWS denies them, so a call made with the wrong account's credentials shows up as
// AccessDenied.
// Scenario hooks inject failures (denied, throttled, hanging calls); `latencyMs` makes it a benchmark.
import { mockClient } from 'aws-sdk-client-mock';
import * as CT from '@aws-sdk/client-cloudtrail';
import * as CW from '@aws-sdk/client-cloudwatch';
import * as CWL from '@aws-sdk/client-cloudwatch-logs';
import * as EC2 from '@aws-sdk/client-ec2';
import * as EB from '@aws-sdk/client-eventbridge';
import * as KMS from '@aws-sdk/client-kms';
import * as ORG from '@aws-sdk/client-organizations';
import * as S3 from '@aws-sdk/client-s3';
import * as SNS from '@aws-sdk/client-sns';
import * as STS from '@aws-sdk/client-sts';
import type { S3ControlApi } from '../../src/aws/s3control.js';

// The SDK warns once per process that its future releases need a newer Node; not news in a test run.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

export interface FakeTrail {
  owner: string;
  name: string;
  home: string;
  multiRegion: boolean;
  organization?: boolean;
  bucket: string;
  kmsKeyId?: string;
  logGroupArn?: string;
  validation?: boolean;
  logging?: boolean;
  prefix?: string;
}

export interface FakeBucket {
  name: string;
  owner: string;
  region: string;
  versioning?: 'Enabled' | 'Suspended';
}

/** An object in a fake bucket; `kmsDenied`: SSE-KMS encrypted with a key the reader may not use. */
export interface FakeObject {
  key: string;
  body: Buffer;
  metadata?: Record<string, string>;
  kmsDenied?: boolean;
}

/** A ListPublicKeys entry (DER bytes, as the SDK returns the blob). */
export interface FakePublicKey {
  der: Buffer;
  fingerprint: string;
  from: Date;
  to: Date;
}

export interface FakeKey {
  account: string;
  region: string;
  id: string;
  rotation: boolean;
}

/** An EventBridge rule on the default bus, with the ARNs it targets. */
export interface FakeEventRule {
  name: string;
  pattern: Record<string, unknown>;
  state?: 'ENABLED' | 'DISABLED';
  targets: string[];
}

export interface FakeCall {
  service: string;
  op: string;
  account: string;
  region: string;
  input: Record<string, unknown>;
  at: number;
}

export interface FakeEstate {
  caller: string;
  /** Organization members (ACTIVE) with their management account; none: no organization. */
  organization?: { id: string; management: string; members: string[]; suspended?: string[] };
  /** Regions enabled in every account; `optedOut` lists regions that are not. */
  regions: string[];
  optedOut?: string[];
  trails?: FakeTrail[];
  buckets?: FakeBucket[];
  keys?: FakeKey[];
  /** Log groups per "account/region". */
  logGroups?: Record<string, string[]>;
  /** Alarms per "account/region", each notifying the given topic ARNs. */
  alarms?: Record<string, { name: string; topics: string[] }[]>;
  /** EventBridge rules of the default bus per "account/region". */
  eventRules?: Record<string, FakeEventRule[]>;
  /** Subscription endpoints per topic ARN. */
  topics?: Record<string, string[]>;
  /** Event data store ids per "account/region". */
  eventDataStores?: Record<string, string[]>;
  /** LookupEvents events per "account/region". */
  events?: Record<string, number>;
  /** Accounts without an account-level S3 Block Public Access configuration. */
  publicAccessBlockOff?: string[];
  /** Objects per bucket name. */
  objects?: Record<string, FakeObject[]>;
  /** CloudTrail's public keys (every region answers the same). */
  publicKeys?: FakePublicKey[];
  /** Accounts whose audit role cannot be assumed. */
  unassumable?: string[];
  /** Items per page of every paginated answer. */
  pageSize?: number;
  latencyMs?: number;
  /** Returns an error to throw, 'hang' for a call that never answers, or undefined to answer. */
  fault?: (call: FakeCall) => Error | 'hang' | undefined;
  /** Keep every call in `calls` (off for the benchmark). */
  record?: boolean;
}

export function awsError(name: string, message = `${name} (fake)`, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

export const CREATED = new Date('2024-01-02T03:04:05.000Z');
const keyOf = (account: string): string => `AKIAFAKE${account}`;
const accountOfKey = (key: string): string => key.replace(/^(AKIAFAKE|ASIAFAKE)/, '');

export function trailArn(t: Pick<FakeTrail, 'owner' | 'home' | 'name'>): string {
  return `arn:aws:cloudtrail:${t.home}:${t.owner}:trail/${t.name}`;
}

/** Static credentials for the caller, as the collector's `credentials` option takes them. */
export function callerCredentials(account: string): () => Promise<{ accessKeyId: string; secretAccessKey: string }> {
  return async () => ({ accessKeyId: keyOf(account), secretAccessKey: 'fake' });
}

function page<T>(items: T[], token: unknown, size: number): { items: T[]; next?: string } {
  const start = typeof token === 'string' ? Number(token) : 0;
  const end = start + size;
  return end < items.length ? { items: items.slice(start, end), next: String(end) } : { items: items.slice(start) };
}

type Handler = (input: Record<string, unknown>, where: { account: string; region: string }) => unknown;

export class FakeAws {
  readonly calls: FakeCall[] = [];
  callCount = 0;
  private readonly mocks: { restore(): void; resetHistory(): void }[] = [];

  constructor(readonly estate: FakeEstate) {}

  get size(): number {
    return this.estate.pageSize ?? 2;
  }

  inOrg(account: string): boolean {
    return this.estate.organization?.members.includes(account) === true;
  }

  /** The S3 Control client for the collector's `s3control` option. */
  s3control = (config: { region: string; credentials: () => Promise<{ accessKeyId: string }> }): S3ControlApi => ({
    getPublicAccessBlock: async (accountId) => {
      const account = accountOfKey((await config.credentials()).accessKeyId);
      await this.gate('s3control', 'GetPublicAccessBlock', account, config.region, { AccountId: accountId });
      if (account !== accountId) throw awsError('AccessDenied', 'Access Denied', 403);
      if ((this.estate.publicAccessBlockOff ?? []).includes(accountId)) throw awsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404);
      return { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } };
    },
  });

  install(): this {
    const e = this.estate;
    const trails = e.trails ?? [];
    const size = this.size;
    const regionsOf = (): { RegionName: string; OptInStatus: string }[] => [
      ...e.regions.map((r) => ({ RegionName: r, OptInStatus: r.startsWith('af-') ? 'opted-in' : 'opt-in-not-required' })),
      ...(e.optedOut ?? []).map((r) => ({ RegionName: r, OptInStatus: 'not-opted-in' })),
    ];
    const visible = (account: string, region: string): FakeTrail[] => trails.filter((t) =>
      (t.home === region || t.multiRegion) && (t.owner === account || (t.organization === true && this.inOrg(account) && this.inOrg(t.owner))));
    const trailByArn = (arn: unknown, account: string): FakeTrail => {
      const t = trails.find((x) => trailArn(x) === arn);
      if (t === undefined || !visible(account, t.home).includes(t)) throw awsError('TrailNotFoundException', `Unknown trail: ${String(arn)} for the user: ${account}`);
      return t;
    };
    const bucketFor = (input: Record<string, unknown>, account: string): FakeBucket => {
      const b = (e.buckets ?? []).find((x) => x.name === input['Bucket']);
      if (b === undefined) throw awsError('NoSuchBucket', 'The specified bucket does not exist', 404);
      if (b.owner !== account) throw awsError('AccessDenied', 'Access Denied', 403);
      return b;
    };
    const keyFor = (input: Record<string, unknown>, where: { account: string; region: string }): FakeKey => {
      const ref = String(input['KeyId']);
      const k = (e.keys ?? []).find((x) => ref === x.id || ref === `arn:aws:kms:${x.region}:${x.account}:key/${x.id}`);
      if (k === undefined || k.region !== where.region) throw awsError('NotFoundException', `Key '${ref}' does not exist`);
      if (k.account !== where.account) throw awsError('AccessDeniedException', `User is not authorized to perform kms:DescribeKey on ${ref}`);
      return k;
    };

    this.mock(STS.STSClient, 'sts', [
      [STS.GetCallerIdentityCommand, (_input, w) => ({ Account: w.account, Arn: `arn:aws:iam::${w.account}:user/auditor`, UserId: 'AIDAFAKEAUDITOR' })],
      [STS.AssumeRoleCommand, (input) => {
        const target = /^arn:aws:iam::(\d{12}):role\//.exec(String(input['RoleArn']))?.[1] ?? '';
        if ((e.unassumable ?? []).includes(target)) throw awsError('AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${String(input['RoleArn'])}`, 403);
        return { Credentials: { AccessKeyId: `ASIAFAKE${target}`, SecretAccessKey: 'fake', SessionToken: 'token', Expiration: new Date(Date.now() + 3600_000) } };
      }],
    ]);
    const org = e.organization;
    const orgDoc = org && { Id: org.id, Arn: `arn:aws:organizations::${org.management}:organization/${org.id}`, FeatureSet: 'ALL', MasterAccountId: org.management, MasterAccountArn: `arn:aws:organizations::${org.management}:account/${org.id}/${org.management}`, MasterAccountEmail: 'root@example.com' };
    const onlyManagement = (account: string): void => {
      if (org === undefined) throw awsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
      if (account !== org.management) throw awsError('AccessDeniedException', 'You don\'t have permissions to access this resource.');
    };
    this.mock(ORG.OrganizationsClient, 'organizations', [
      [ORG.DescribeOrganizationCommand, (_input, w) => {
        if (org === undefined || !this.inOrg(w.account)) throw awsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
        return { Organization: orgDoc };
      }],
      [ORG.ListAccountsCommand, (input, w) => {
        onlyManagement(w.account);
        const all = [...(org?.members ?? []).map((id) => ({ id, state: 'ACTIVE' })), ...(org?.suspended ?? []).map((id) => ({ id, state: 'SUSPENDED' }))];
        const p = page(all, input['NextToken'], size);
        return { Accounts: p.items.map(({ id, state }) => ({ Id: id, Name: `account-${id}`, Email: `aws+${id}@example.com`, Status: state, State: state, JoinedMethod: 'CREATED', JoinedTimestamp: CREATED })), NextToken: p.next };
      }],
      [ORG.ListAWSServiceAccessForOrganizationCommand, (_input, w) => {
        onlyManagement(w.account);
        return { EnabledServicePrincipals: [{ ServicePrincipal: 'cloudtrail.amazonaws.com', DateEnabled: CREATED }] };
      }],
      [ORG.ListDelegatedAdministratorsCommand, (_input, w) => {
        onlyManagement(w.account);
        return { DelegatedAdministrators: [] };
      }],
    ]);
    this.mock(EC2.EC2Client, 'ec2', [[EC2.DescribeRegionsCommand, () => ({ Regions: regionsOf() })]]);
    this.mock(CT.CloudTrailClient, 'cloudtrail', [
      [CT.DescribeTrailsCommand, (_input, w) => ({
        trailList: visible(w.account, w.region).map((t) => ({
          Name: t.name, S3BucketName: t.bucket, IncludeGlobalServiceEvents: true, IsMultiRegionTrail: t.multiRegion, HomeRegion: t.home,
          TrailARN: trailArn(t), LogFileValidationEnabled: t.validation ?? true, HasCustomEventSelectors: false, HasInsightSelectors: false,
          IsOrganizationTrail: t.organization === true, ...(t.prefix === undefined ? {} : { S3KeyPrefix: t.prefix }),
          ...(t.kmsKeyId === undefined ? {} : { KmsKeyId: t.kmsKeyId }), ...(t.logGroupArn === undefined ? {} : { CloudWatchLogsLogGroupArn: t.logGroupArn }),
        })),
      })],
      [CT.GetTrailStatusCommand, (input, w) => {
        const t = trailByArn(input['Name'], w.account);
        return { IsLogging: t.logging ?? true, LatestDeliveryTime: new Date('2026-09-30T23:55:00.000Z'), StartLoggingTime: CREATED };
      }],
      [CT.GetEventSelectorsCommand, (input, w) => ({ TrailARN: trailArn(trailByArn(input['TrailName'], w.account)), EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] })],
      [CT.GetInsightSelectorsCommand, (input, w) => {
        const t = trailByArn(input['TrailName'], w.account);
        throw awsError('InsightNotEnabledException', `Trail ${trailArn(t)} does not have Insights enabled.`);
      }],
      [CT.ListEventDataStoresCommand, (input, w) => {
        const ids = e.eventDataStores?.[`${w.account}/${w.region}`] ?? [];
        const p = page(ids, input['NextToken'], size);
        return { EventDataStores: p.items.map((id) => ({ EventDataStoreArn: `arn:aws:cloudtrail:${w.region}:${w.account}:eventdatastore/${id}`, Name: `store-${id}` })), NextToken: p.next };
      }],
      [CT.ListPublicKeysCommand, (input) => {
        const start = input['StartTime'] as Date | undefined;
        const end = input['EndTime'] as Date | undefined;
        const valid = (e.publicKeys ?? []).filter((k) => (end === undefined || k.from <= end) && (start === undefined || k.to >= start));
        const p = page(valid, input['NextToken'], size);
        return { PublicKeyList: p.items.map((k) => ({ Value: new Uint8Array(k.der), ValidityStartTime: k.from, ValidityEndTime: k.to, Fingerprint: k.fingerprint })), NextToken: p.next };
      }],
      [CT.GetEventDataStoreCommand, (input) => ({ EventDataStoreArn: input['EventDataStore'], Name: 'store', Status: 'ENABLED', RetentionPeriod: 2557, TerminationProtectionEnabled: true, MultiRegionEnabled: true, OrganizationEnabled: false, CreatedTimestamp: CREATED })],
      [CT.LookupEventsCommand, (input, w) => {
        const n = e.events?.[`${w.account}/${w.region}`] ?? 0;
        const all = Array.from({ length: n }, (_, i) => i);
        const p = page(all, input['NextToken'], size);
        return {
          Events: p.items.map((i) => ({ EventId: `event-${i}`, EventName: 'DescribeTrails', EventTime: new Date(Date.UTC(2026, 8, 14, 3, 32, i)), EventSource: 'cloudtrail.amazonaws.com', Username: 'Winter', CloudTrailEvent: JSON.stringify({ eventVersion: '1.09', eventID: `event-${i}` }) })),
          NextToken: p.next,
        };
      }],
    ]);
    this.mock(S3.S3Client, 's3', [
      [S3.ListBucketsCommand, (input, w) => {
        const owned = (e.buckets ?? []).filter((b) => b.owner === w.account);
        const p = page(owned, input['ContinuationToken'], size);
        return { Buckets: p.items.map((b) => ({ Name: b.name, CreationDate: CREATED })), Owner: { ID: `canonical-${w.account}` }, ContinuationToken: p.next };
      }],
      [S3.ListObjectsV2Command, (input, w) => {
        const b = bucketFor(input, w.account);
        const prefix = String(input['Prefix'] ?? '');
        const keys = (e.objects?.[b.name] ?? []).map((o) => o.key).filter((k) => k.startsWith(prefix)).sort();
        // With a delimiter, keys below the next '/' fold into one common prefix; both count toward a page.
        const entries: { key?: string; folder?: string }[] = [];
        for (const key of keys) {
          const cut = input['Delimiter'] === '/' ? key.indexOf('/', prefix.length) : -1;
          const folder = cut < 0 ? undefined : key.slice(0, cut + 1);
          if (folder === undefined) entries.push({ key });
          else if (entries[entries.length - 1]?.folder !== folder) entries.push({ folder });
        }
        const p = page(entries, input['ContinuationToken'], size);
        return {
          Name: b.name, Prefix: prefix, KeyCount: p.items.length, IsTruncated: p.next !== undefined, NextContinuationToken: p.next,
          Contents: p.items.filter((x) => x.key !== undefined).map((x) => ({ Key: x.key, Size: 1, LastModified: CREATED })),
          CommonPrefixes: p.items.filter((x) => x.folder !== undefined).map((x) => ({ Prefix: x.folder })),
        };
      }],
      [S3.GetObjectCommand, (input, w) => {
        const b = bucketFor(input, w.account);
        const o = (e.objects?.[b.name] ?? []).find((x) => x.key === input['Key']);
        if (o === undefined) throw awsError('NoSuchKey', 'The specified key does not exist.', 404);
        if (o.kmsDenied === true) throw awsError('AccessDenied', `User: arn:aws:sts::${w.account}:assumed-role/TrailproofAudit/trailproof-collect is not authorized to perform: kms:Decrypt on the resource associated with this ciphertext because no identity-based policy allows the kms:Decrypt action`, 403);
        const body = o.body;
        return { Body: { transformToByteArray: async () => new Uint8Array(body) }, Metadata: o.metadata ?? {}, ContentLength: body.length };
      }],
      [S3.GetBucketLocationCommand, (input, w) => {
        const b = bucketFor(input, w.account);
        return b.region === 'us-east-1' ? {} : { LocationConstraint: b.region };
      }],
      [S3.GetBucketPolicyCommand, (input, w) => {
        const b = bucketFor(input, w.account);
        return { Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${b.name}`, `arn:aws:s3:::${b.name}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }) };
      }],
      [S3.GetBucketPolicyStatusCommand, (input, w) => (bucketFor(input, w.account), { PolicyStatus: { IsPublic: false } })],
      [S3.GetPublicAccessBlockCommand, (input, w) => (bucketFor(input, w.account), { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } })],
      [S3.GetBucketAclCommand, (input, w) => (bucketFor(input, w.account), { Owner: { ID: `canonical-${w.account}` }, Grants: [{ Grantee: { ID: `canonical-${w.account}`, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }] })],
      [S3.GetBucketVersioningCommand, (input, w) => {
        const b = bucketFor(input, w.account);
        return b.versioning === undefined ? {} : { Status: b.versioning };
      }],
      [S3.GetBucketLoggingCommand, (input, w) => (bucketFor(input, w.account), {})],
      [S3.GetBucketEncryptionCommand, (input, w) => (bucketFor(input, w.account), { ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }] } })],
      [S3.GetBucketLifecycleConfigurationCommand, (input, w) => {
        bucketFor(input, w.account);
        throw awsError('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', 404);
      }],
      [S3.GetObjectLockConfigurationCommand, (input, w) => {
        bucketFor(input, w.account);
        throw awsError('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404);
      }],
    ]);
    this.mock(KMS.KMSClient, 'kms', [
      [KMS.DescribeKeyCommand, (input, w) => {
        const k = keyFor(input, w);
        return { KeyMetadata: { KeyId: k.id, Arn: `arn:aws:kms:${k.region}:${k.account}:key/${k.id}`, AWSAccountId: k.account, KeyManager: 'CUSTOMER', KeyState: 'Enabled', CreationDate: CREATED, Enabled: true } };
      }],
      [KMS.GetKeyRotationStatusCommand, (input, w) => ({ KeyRotationEnabled: keyFor(input, w).rotation, RotationPeriodInDays: 365 })],
      [KMS.GetKeyPolicyCommand, (input, w) => (keyFor(input, w), { Policy: '{"Version":"2012-10-17","Statement":[]}', PolicyName: 'default' })],
    ]);
    this.mock(CWL.CloudWatchLogsClient, 'logs', [
      [CWL.DescribeLogGroupsCommand, (input, w) => {
        const names = e.logGroups?.[`${w.account}/${w.region}`] ?? [];
        const p = page(names, input['nextToken'], size);
        return { logGroups: p.items.map((n) => ({ logGroupName: n, arn: `arn:aws:logs:${w.region}:${w.account}:log-group:${n}:*`, creationTime: CREATED.getTime(), retentionInDays: 400, storedBytes: 1 })), nextToken: p.next };
      }],
      [CWL.DescribeMetricFiltersCommand, () => ({ metricFilters: [] })],
    ]);
    this.mock(CW.CloudWatchClient, 'cloudwatch', [
      [CW.DescribeAlarmsCommand, (_input, w) => ({
        MetricAlarms: (e.alarms?.[`${w.account}/${w.region}`] ?? []).map((a) => ({ AlarmName: a.name, AlarmActions: a.topics, OKActions: [], InsufficientDataActions: [], StateValue: 'OK', StateUpdatedTimestamp: CREATED })),
        CompositeAlarms: [],
      })],
    ]);
    const rulesOf = (w: { account: string; region: string }): FakeEventRule[] => e.eventRules?.[`${w.account}/${w.region}`] ?? [];
    this.mock(EB.EventBridgeClient, 'events', [
      [EB.ListRulesCommand, (input, w) => {
        const p = page(rulesOf(w), input['NextToken'], size);
        return {
          Rules: p.items.map((r) => ({
            Name: r.name, Arn: `arn:aws:events:${w.region}:${w.account}:rule/${r.name}`, EventPattern: JSON.stringify(r.pattern),
            State: r.state ?? 'ENABLED', EventBusName: 'default',
          })),
          NextToken: p.next,
        };
      }],
      [EB.ListTargetsByRuleCommand, (input, w) => {
        const rule = rulesOf(w).find((r) => r.name === input['Rule']);
        if (rule === undefined) throw awsError('ResourceNotFoundException', `Rule ${String(input['Rule'])} does not exist on EventBus default.`);
        const p = page(rule.targets, input['NextToken'], size);
        return { Targets: p.items.map((arn, i) => ({ Id: `target-${i}`, Arn: arn })), NextToken: p.next };
      }],
    ]);
    this.mock(SNS.SNSClient, 'sns', [
      [SNS.ListSubscriptionsByTopicCommand, (input, w) => {
        const arn = String(input['TopicArn']);
        const parts = arn.split(':');
        if (parts[4] !== w.account || parts[3] !== w.region) throw awsError('AuthorizationError', `not authorized to access ${arn}`, 403);
        const p = page(e.topics?.[arn] ?? [], input['NextToken'], size);
        return { Subscriptions: p.items.map((endpoint, i) => ({ SubscriptionArn: `${arn}:sub-${i}`, Protocol: 'email', Endpoint: endpoint, TopicArn: arn, Owner: w.account })), NextToken: p.next };
      }],
    ]);
    return this;
  }

  restore(): void {
    for (const m of this.mocks) m.restore();
    this.mocks.length = 0;
  }

  /** Calls of one operation, for assertions. */
  made(op: string): FakeCall[] {
    return this.calls.filter((c) => c.op === op);
  }

  private async gate(service: string, op: string, account: string, region: string, input: Record<string, unknown>): Promise<void> {
    this.callCount++;
    const call = { service, op, account, region, input, at: Date.now() };
    if (this.estate.record !== false) this.calls.push(call);
    // sinon keeps every call's arguments and client: a benchmark that records nothing lets them go.
    else if (this.callCount % 1000 === 0) for (const m of this.mocks) m.resetHistory();
    if (this.estate.latencyMs) await new Promise((r) => setTimeout(r, this.estate.latencyMs));
    const fault = this.estate.fault?.(call);
    if (fault === 'hang') await new Promise(() => undefined);
    if (fault instanceof Error) throw fault;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each client class has its own command types
  private mock(client: any, service: string, handlers: [command: any, handler: Handler][]): void {
    const m = mockClient(client);
    for (const [command, handler] of handlers) {
      const op = String((command as { name: string }).name).replace(/Command$/, '');
      m.on(command).callsFake(async (input: Record<string, unknown>, getClient: () => { config: unknown }) => {
        const config = getClient().config as { credentials: () => Promise<{ accessKeyId: string }>; region: () => Promise<string> };
        const account = accountOfKey((await config.credentials()).accessKeyId);
        const region = await config.region();
        await this.gate(service, op, account, region, input);
        return handler(input, { account, region });
      });
    }
    this.mocks.push(m);
  }
}
