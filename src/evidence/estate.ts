// One normalized model of the audited estate, built once from the raw responses in a bundle: the
// organization and its accounts, the regions of each account, every trail (classified by where it is seen
// from) with the trails that apply to each account and region, and each trail's bucket, KMS key and log group
// found in the account that owns them. Checks read this model; they never read files themselves.
import type * as Aws from './aws.js';
import { evidenceRef, type Bundle, type Read, type Source } from './bundle.js';
import type { EvidenceRef } from '../model/types.js';
import type { BundleLogIntegrity } from '../integrity/bundle.js';

/** How a trail appears in one account and region's DescribeTrails. */
export type TrailView = 'owned-home' | 'owned-shadow' | 'organization-foreign';

export interface Located<T> {
  value: T;
  source: Source;
  pointer: string;
}

export function locatedRef(loc: Located<unknown>, sub = ''): EvidenceRef {
  return evidenceRef(loc.source, loc.pointer + sub);
}

export interface TrailSighting {
  account: string;
  region: string;
  view: TrailView;
  entry: Located<Aws.Trail>;
}

export interface BucketModel {
  name: string;
  /** False when no response about the bucket is in the bundle: it lives in an account that was not collected. */
  collected: boolean;
  account?: string;
  region?: string;
  read<T>(operation: S3Operation): Read<T>;
}

export const S3_OPERATIONS = [
  'GetBucketPolicy', 'GetBucketPolicyStatus', 'GetPublicAccessBlock', 'GetBucketAcl', 'GetBucketVersioning',
  'GetBucketLogging', 'GetBucketEncryption', 'GetBucketLifecycleConfiguration', 'GetObjectLockConfiguration',
  'GetBucketLocation',
] as const;
export type S3Operation = (typeof S3_OPERATIONS)[number];

export interface KeyModel {
  arn: string;
  keyId: string;
  account: string;
  region: string;
  /** False when the key's account and region hold no response about it. */
  collected: boolean;
  describe: Read<Aws.DescribeKeyResponse>;
  rotation: Read<Aws.GetKeyRotationStatusResponse>;
  policy: Read<Aws.GetKeyPolicyResponse>;
}

export interface LogGroupModel {
  arn: string;
  name: string;
  account: string;
  region: string;
  /** False when the owning account was not collected. */
  collected: boolean;
  describe: Read<Aws.DescribeLogGroupsResponse>;
  /** The group's entry in DescribeLogGroups, when found. */
  group?: Located<Aws.LogGroup>;
}

export interface TrailModel {
  arn: string;
  name: string;
  homeRegion: string;
  ownerAccount: string;
  /** The DescribeTrails entry that describes it: the owner's home region when collected, else a sighting. */
  entry: Located<Aws.Trail>;
  config: Aws.Trail;
  isMultiRegion: boolean;
  isOrganizationTrail: boolean;
  sightings: TrailSighting[];
  status: Read<Aws.GetTrailStatusResponse>;
  selectors: Read<Aws.GetEventSelectorsResponse>;
  insights: Read<Aws.GetInsightSelectorsResponse>;
  bucket: BucketModel | undefined;
  key: KeyModel | undefined;
  logGroup: LogGroupModel | undefined;
}

export interface AccountModel {
  id: string;
  name: string | undefined;
  isManagement: boolean;
  inOrganization: boolean;
  /** Regions in scope that are enabled for the account. */
  regions: string[];
  describeRegions: Read<Aws.DescribeRegionsResponse>;
  /** The account's own answer: its organization, or AWSOrganizationsNotInUseException when it is in none. */
  describeOrganization: Read<Aws.DescribeOrganizationResponse>;
}

export interface AccountRegion {
  account: string;
  region: string;
  describeTrails: Read<Aws.DescribeTrailsResponse>;
  /** Trails that record this account and region: its own (home here or multi-region) and the organization's. */
  trails: TrailModel[];
  eventDataStores: Read<Aws.ListEventDataStoresResponse>;
}

export interface OrganizationModel {
  id: string;
  managementAccountId: string;
  describe: Located<Aws.Organization>;
  /** ACTIVE accounts from ListAccounts (management or delegated administrator account). */
  listAccounts: Read<Aws.ListAccountsResponse>;
  serviceAccess: Read<Aws.ListAWSServiceAccessForOrganizationResponse>;
  delegatedAdministrators: Read<Aws.ListDelegatedAdministratorsResponse>;
  members: Set<string>;
}

const TRAIL_ARN = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;
const S3_FILE = /^accounts\/(\d{12})\/([^/]+)\/s3\/([^/]+)\/([A-Za-z]+)\.json$/;
const KMS_FILE = /^accounts\/(\d{12})\/([^/]+)\/kms\/([^/]+)\/([A-Za-z]+)\.json$/;

export function parseTrailArn(arn: string): { region: string; account: string; name: string } | undefined {
  const m = TRAIL_ARN.exec(arn);
  return m ? { region: m[1] as string, account: m[2] as string, name: m[3] as string } : undefined;
}

/**
 * What was verified about the bundle before the checks ran (work that reads files and is asynchronous, so it
 * cannot happen inside a pure, synchronous check): given to the estate by the engine, read by the checks.
 */
export interface EstateVerifications {
  /** The digest-chain verification of the bundle's logs/ (absent: not verified in this run). */
  logIntegrity?: BundleLogIntegrity;
}

export class Estate {
  readonly collectedAt: Date;
  /** The verification of the bundle's log files (trail.log-integrity reads it); undefined when not run. */
  readonly logIntegrity: BundleLogIntegrity | undefined;
  readonly accounts: AccountModel[];
  readonly organization: OrganizationModel | undefined;
  readonly trails: TrailModel[];
  readonly accountRegions: AccountRegion[];
  private readonly byAccount = new Map<string, AccountRegion[]>();
  private readonly bucketIndex = new Map<string, { account: string; region: string }>();
  private readonly keyIndex = new Map<string, { account: string; region: string; dir: string }>();
  private readonly buckets = new Map<string, BucketModel>();
  /** DescribeTrails of accounts read only for their organization trails (a narrowed collection's management account). */
  private readonly outsideListings: { account: string; region: string; describeTrails: Read<Aws.DescribeTrailsResponse> }[] = [];

  constructor(readonly bundle: Bundle, verifications: EstateVerifications = {}) {
    this.collectedAt = bundle.collectedAt;
    this.logIntegrity = verifications.logIntegrity;
    const scopeAccounts = [...new Set(bundle.manifest.scope.accounts)].sort();
    this.indexResources();
    this.organization = this.readOrganization(scopeAccounts);
    this.accounts = scopeAccounts.map((id) => this.readAccount(id));

    const trails = new Map<string, { sightings: TrailSighting[] }>();
    const sight = (account: string, region: string, describeTrails: Extract<Read<Aws.DescribeTrailsResponse>, { kind: 'ok' }>, keep: (trail: Aws.Trail, owner: string) => boolean): void => {
      (describeTrails.value.trailList ?? []).forEach((trail, i) => {
        const arn = trail.TrailARN;
        const parsed = arn === undefined ? undefined : parseTrailArn(arn);
        if (arn === undefined || parsed === undefined || !keep(trail, parsed.account)) return;
        const home = trail.HomeRegion ?? parsed.region;
        const view: TrailView = parsed.account !== account ? 'organization-foreign' : home === region ? 'owned-home' : 'owned-shadow';
        const entry = { value: trail, source: describeTrails.source, pointer: `/trailList/${i}` };
        const known = trails.get(arn) ?? { sightings: [] };
        known.sightings.push({ account, region, view, entry });
        trails.set(arn, known);
      });
    };
    const perRegion: { account: string; region: string; describeTrails: Read<Aws.DescribeTrailsResponse> }[] = [];
    for (const account of this.accounts) {
      for (const region of account.regions) {
        const describeTrails = bundle.read<Aws.DescribeTrailsResponse>(`accounts/${account.id}/${region}/cloudtrail/DescribeTrails.json`);
        perRegion.push({ account: account.id, region, describeTrails });
        if (describeTrails.kind === 'ok') sight(account.id, region, describeTrails, () => true);
      }
    }
    // A collection narrowed with --accounts also holds the management account's listings (manifest
    // collection.extra): its organization trails record the accounts in scope, whether or not their own
    // listings show them. Only those trails are taken from it; the account itself is not judged.
    // When the management account could not be reached, the caller (a delegated administrator) listed them.
    const management = this.organization?.managementAccountId;
    const caller = bundle.manifest.identity.Account;
    const listers = management ? [management, ...(caller === management ? [] : [caller])].filter((a) => !scopeAccounts.includes(a)) : [];
    for (const lister of listers) {
      for (const region of [...new Set(bundle.manifest.scope.regions)].sort()) {
        const describeTrails = bundle.read<Aws.DescribeTrailsResponse>(`accounts/${lister}/${region}/cloudtrail/DescribeTrails.json`);
        if (lister === management) this.outsideListings.push({ account: lister, region, describeTrails });
        if (describeTrails.kind === 'ok') sight(lister, region, describeTrails, (trail, owner) => trail.IsOrganizationTrail === true && owner === management);
      }
    }
    this.trails = [...trails.entries()].sort(([a], [b]) => compare(a, b)).map(([arn, t]) => this.buildTrail(arn, t.sightings));

    const orgTrails = this.trails.filter((t) => t.isOrganizationTrail && this.organization !== undefined && t.ownerAccount === this.organization.managementAccountId);
    // Indexes, so an organization of thousands of accounts builds in linear time.
    const seenIn = new Map<string, TrailModel[]>();
    const ownedBy = new Map<string, TrailModel[]>();
    for (const trail of this.trails) {
      for (const s of trail.sightings) push(seenIn, `${s.account}/${s.region}`, trail);
      push(ownedBy, trail.ownerAccount, trail);
    }
    this.accountRegions = perRegion.map(({ account, region, describeTrails }) => {
      const applicable = new Set<TrailModel>(seenIn.get(`${account}/${region}`) ?? []);
      for (const trail of ownedBy.get(account) ?? []) if (trail.isMultiRegion || trail.homeRegion === region) applicable.add(trail);
      const member = this.organization?.members.has(account) === true;
      for (const trail of orgTrails) if (member && (trail.isMultiRegion || trail.homeRegion === region)) applicable.add(trail);
      const ar: AccountRegion = {
        account,
        region,
        describeTrails,
        trails: [...applicable].sort((a, b) => compare(a.arn, b.arn)),
        eventDataStores: bundle.read(`accounts/${account}/${region}/cloudtrail/ListEventDataStores.json`),
      };
      const list = this.byAccount.get(account) ?? [];
      list.push(ar);
      this.byAccount.set(account, list);
      return ar;
    });
  }

  /** The account and region views of one account, in region order. */
  regionsOf(account: string): AccountRegion[] {
    return this.byAccount.get(account) ?? [];
  }

  /** The DescribeTrails reads of an account: its own regions when it is in scope, else those read for its organization trails. */
  trailListingsOf(account: string): { region: string; describeTrails: Read<Aws.DescribeTrailsResponse> }[] {
    const own = this.regionsOf(account);
    return own.length > 0 ? own : this.outsideListings.filter((l) => l.account === account);
  }

  /** Every trail that records some region of the account. */
  trailsFor(account: string): TrailModel[] {
    const set = new Set<TrailModel>();
    for (const ar of this.regionsOf(account)) for (const t of ar.trails) set.add(t);
    return [...set].sort((a, b) => compare(a.arn, b.arn));
  }

  /** Distinct buckets that receive trail logs, each with the trails that write to it. */
  trailBuckets(): { bucket: BucketModel; trails: TrailModel[] }[] {
    const map = new Map<string, { bucket: BucketModel; trails: TrailModel[] }>();
    for (const trail of this.trails) {
      if (trail.bucket === undefined) continue;
      const entry = map.get(trail.bucket.name) ?? { bucket: trail.bucket, trails: [] };
      entry.trails.push(trail);
      map.set(trail.bucket.name, entry);
    }
    return [...map.values()].sort((a, b) => compare(a.bucket.name, b.bucket.name));
  }

  bucket(name: string): BucketModel {
    const cached = this.buckets.get(name);
    if (cached) return cached;
    const where = this.bucketIndex.get(name);
    const bundle = this.bundle;
    const model: BucketModel = where === undefined
      ? { name, collected: false, read: <T>(op: S3Operation): Read<T> => ({ kind: 'missing', file: `accounts/?/?/s3/${name}/${op}.json` }) }
      : { name, collected: true, account: where.account, region: where.region, read: <T>(op: S3Operation) => bundle.read<T>(`accounts/${where.account}/${where.region}/s3/${name}/${op}.json`) };
    this.buckets.set(name, model);
    return model;
  }

  key(arnOrId: string, fallbackAccount: string, fallbackRegion: string): KeyModel {
    const m = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/.exec(arnOrId);
    const account = m?.[2] ?? fallbackAccount;
    const region = m?.[1] ?? fallbackRegion;
    const keyId = m?.[3] ?? arnOrId;
    const found = this.keyIndex.get(arnOrId) ?? this.keyIndex.get(`${account}/${region}/${keyId}`);
    const dir = found === undefined ? `accounts/${account}/${region}/kms/${keyId}` : `accounts/${found.account}/${found.region}/kms/${found.dir}`;
    return {
      arn: m ? arnOrId : `arn:aws:kms:${region}:${account}:key/${keyId}`,
      keyId,
      account: found?.account ?? account,
      region: found?.region ?? region,
      collected: found !== undefined,
      describe: this.bundle.read(`${dir}/DescribeKey.json`),
      rotation: this.bundle.read(`${dir}/GetKeyRotationStatus.json`),
      policy: this.bundle.read(`${dir}/GetKeyPolicy.json`),
    };
  }

  isCollectedAccount(account: string): boolean {
    return this.accounts.some((a) => a.id === account);
  }

  private indexResources(): void {
    for (const file of this.bundle.files()) {
      const s3 = S3_FILE.exec(file);
      if (s3) this.bucketIndex.set(s3[3] as string, { account: s3[1] as string, region: s3[2] as string });
      const kms = KMS_FILE.exec(file);
      if (kms && kms[4] === 'DescribeKey') {
        const [account, region, dir] = [kms[1] as string, kms[2] as string, kms[3] as string];
        const where = { account, region, dir };
        this.keyIndex.set(`${account}/${region}/${dir}`, where);
        const described = this.bundle.read<Aws.DescribeKeyResponse>(file);
        if (described.kind === 'ok') {
          const meta = described.value.KeyMetadata;
          if (meta?.Arn) this.keyIndex.set(meta.Arn, where);
          if (meta?.KeyId) this.keyIndex.set(`${account}/${region}/${meta.KeyId}`, where);
        }
      }
    }
  }

  private readOrganization(scopeAccounts: string[]): OrganizationModel | undefined {
    // Any account can describe its organization; the management account (or a delegated administrator)
    // holds the account list and service access.
    let describe: Located<Aws.Organization> | undefined;
    for (const account of scopeAccounts) {
      const read = this.bundle.read<Aws.DescribeOrganizationResponse>(`accounts/${account}/global/organizations/DescribeOrganization.json`);
      if (read.kind === 'ok' && read.value.Organization?.Id) {
        describe = { value: read.value.Organization, source: read.source, pointer: '/Organization' };
        if (read.value.Organization.MasterAccountId === account) break;
      }
    }
    if (describe === undefined) return undefined;
    const managementAccountId = describe.value.MasterAccountId ?? '';
    const orgFile = (op: string): string => {
      const caller = this.bundle.manifest.identity.Account;
      const candidates = [...new Set([managementAccountId, ...scopeAccounts, caller])];
      const found = candidates.find((a) => this.bundle.read(`accounts/${a}/global/organizations/${op}.json`).kind === 'ok');
      return `accounts/${found ?? managementAccountId}/global/organizations/${op}.json`;
    };
    const listAccounts = this.bundle.read<Aws.ListAccountsResponse>(orgFile('ListAccounts'));
    const members = new Set<string>();
    if (listAccounts.kind === 'ok') {
      for (const a of listAccounts.value.Accounts ?? []) if (a.Id && (a.State ?? a.Status ?? 'ACTIVE') === 'ACTIVE') members.add(a.Id);
    }
    // Accounts that describe the same organization are members even when the list could not be read.
    for (const account of scopeAccounts) {
      const read = this.bundle.read<Aws.DescribeOrganizationResponse>(`accounts/${account}/global/organizations/DescribeOrganization.json`);
      if (read.kind === 'ok' && read.value.Organization?.Id === describe.value.Id) members.add(account);
    }
    if (managementAccountId) members.add(managementAccountId);
    return {
      id: describe.value.Id ?? '',
      managementAccountId,
      describe,
      listAccounts,
      serviceAccess: this.bundle.read(orgFile('ListAWSServiceAccessForOrganization')),
      delegatedAdministrators: this.bundle.read(orgFile('ListDelegatedAdministrators')),
      members,
    };
  }

  private readAccount(id: string): AccountModel {
    const describeRegions = this.bundle.read<Aws.DescribeRegionsResponse>(`accounts/${id}/global/ec2/DescribeRegions.json`);
    const scopeRegions = [...new Set(this.bundle.manifest.scope.regions)].sort();
    let regions = scopeRegions;
    if (describeRegions.kind === 'ok' && describeRegions.value.Regions !== undefined) {
      const enabled = new Set(
        describeRegions.value.Regions.filter((r) => r.OptInStatus === undefined || r.OptInStatus !== 'not-opted-in').map((r) => r.RegionName),
      );
      regions = scopeRegions.filter((r) => enabled.has(r));
    }
    let name: string | undefined;
    if (this.organization?.listAccounts.kind === 'ok') {
      name = this.organization.listAccounts.value.Accounts?.find((a) => a.Id === id)?.Name;
    }
    return {
      id,
      name,
      isManagement: this.organization?.managementAccountId === id,
      inOrganization: this.organization?.members.has(id) === true,
      regions,
      describeRegions,
      describeOrganization: this.bundle.read(`accounts/${id}/global/organizations/DescribeOrganization.json`),
    };
  }

  private buildTrail(arn: string, sightings: TrailSighting[]): TrailModel {
    const parsed = parseTrailArn(arn) as { region: string; account: string; name: string };
    const first = sightings[0] as TrailSighting;
    const homeRegion = first.entry.value.HomeRegion ?? parsed.region;
    const home =
      sightings.find((s) => s.account === parsed.account && s.region === homeRegion) ??
      sightings.find((s) => s.region === homeRegion) ??
      first;
    const config = home.entry.value;
    const name = config.Name ?? parsed.name;
    // Status, selectors and insights are collected in the owner's home region; a bundle of member accounts
    // only may hold them where the trail was seen instead.
    const places = [{ account: parsed.account, region: homeRegion }, ...sightings.map((s) => ({ account: s.account, region: s.region }))];
    const readAt = <T>(op: string): Read<T> => {
      let first: Read<T> | undefined;
      for (const p of places) {
        const read = this.bundle.read<T>(`accounts/${p.account}/${p.region}/cloudtrail/${op}/${name}.json`);
        if (read.kind === 'ok') return read;
        first ??= read;
      }
      return first ?? { kind: 'missing', file: `accounts/${parsed.account}/${homeRegion}/cloudtrail/${op}/${name}.json` };
    };
    const logGroupArn = config.CloudWatchLogsLogGroupArn;
    return {
      arn,
      name,
      homeRegion,
      ownerAccount: parsed.account,
      entry: home.entry,
      config,
      isMultiRegion: config.IsMultiRegionTrail === true,
      isOrganizationTrail: config.IsOrganizationTrail === true,
      sightings,
      status: readAt('GetTrailStatus'),
      selectors: readAt('GetEventSelectors'),
      insights: readAt('GetInsightSelectors'),
      bucket: config.S3BucketName ? this.bucket(config.S3BucketName) : undefined,
      key: config.KmsKeyId ? this.key(config.KmsKeyId, parsed.account, homeRegion) : undefined,
      logGroup: logGroupArn ? this.logGroup(logGroupArn) : undefined,
    };
  }

  private logGroup(arn: string): LogGroupModel | undefined {
    const m = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:(.+?)(:\*)?$/.exec(arn);
    if (!m) return undefined;
    const [region, account, name] = [m[1] as string, m[2] as string, m[3] as string];
    const describe = this.bundle.read<Aws.DescribeLogGroupsResponse>(`accounts/${account}/${region}/logs/DescribeLogGroups.json`);
    const model: LogGroupModel = { arn, name, account, region, collected: this.isCollectedAccount(account) || describe.kind !== 'missing', describe };
    if (describe.kind === 'ok') {
      const i = (describe.value.logGroups ?? []).findIndex((g) => g.logGroupName === name);
      const group = describe.value.logGroups?.[i];
      if (group) model.group = { value: group, source: describe.source, pointer: `/logGroups/${i}` };
    }
    return model;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
