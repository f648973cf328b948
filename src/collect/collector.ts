// The collection itself: every account in scope (a bounded number at once), every enabled region of each
// (in parallel, calls bounded by the scheduler), and the evidence followed to where it lives: a trail's
// status in its home region, its bucket in the owning account and the bucket's region, its key in the key's
// account and region, an alarm's or EventBridge rule's topic in the topic's account. What lives outside the scope is recorded as
// not collected and no file is written for it, so the checks say MANUAL rather than guess.
// One exception: when --accounts narrows the scope within an organization, the organization trails that record
// the accounts in scope are still read where they live (the management account's trails, status and selectors,
// their bucket and key wherever those are), since they decide whether those accounts are covered; every such
// read is listed in `extra` (the manifest's collection.extra) with why it was made.
import type { Trail } from '../aws/sdk/cloudtrail.js';
import { parseTrailArn } from '../evidence/estate.js';
import type { AccountAccess, CollectSession, ClientSet } from './clients.js';
import { describeTrails, eventDataStores, lookupEvents, trailDetails } from './cloudtrail.js';
import { alarms } from './cloudwatch.js';
import { enabledRegions } from './ec2.js';
import { eventRules } from './events.js';
import { keyEvidence, keyLocation } from './kms.js';
import { logGroupsAndFilters } from './logs.js';
import { describeOrganization } from './organizations.js';
import { organizationTrails, ownerSearchOrder, type ExtraEvidence, type OrganizationTrailsHost } from './organization-trails.js';
import type { NotCollected, Recorder } from './record.js';
import { accountPublicAccessBlock, bucketEvidence, ownedBuckets } from './s3.js';
import type { Pacer } from '../aws/scheduler.js';
import type { Scope } from './scope.js';
import { parseTopicArn, topicSubscriptions } from './sns.js';
import type { BucketPlace, LogSources, SeenTrail } from './trail-logs.js';
import { normalizePrefix } from '../evidence/s3-layout.js';
import { isSafePath } from './writer.js';

export interface CollectorOptions {
  /** --regions: only these (each account's enabled ones among them). */
  regions?: string[] | undefined;
  lookupEvents: boolean;
  /** Whether Organizations is asked at all (--no-org: not). */
  organization: boolean;
  /** Accounts collected at once; their regions run in parallel under the scheduler's bound. */
  accountParallelism: number;
}

export interface CollectorProgress {
  accountsDone: number;
  regionsDone: number;
  regionsKnown: number;
}

export class Collector {
  readonly notCollected: NotCollected[] = [];
  /** Evidence read outside the scope (organization trails of a narrowed scope), with why. */
  readonly extra: ExtraEvidence[] = [];
  readonly progress: CollectorProgress = { accountsDone: 0, regionsDone: 0, regionsKnown: 0 };
  /** Regions collected, across accounts (the manifest's scope when --regions is not given). */
  readonly regions = new Set<string>();
  /** Account-regions whose DescribeTrails answered: the run collected something usable. */
  trailListings = 0;
  private readonly inScope: Set<string>;
  /** The management account whose organization trails a narrowed scope still needs; undefined when not narrowed. */
  private readonly management: string | undefined;
  /** Accounts outside the scope that may be read for an organization trail's evidence (its owner, bucket, key). */
  private readonly outside = new Set<string>();
  private readonly once = new Map<string, Promise<void>>();
  private readonly bucketLists = new Map<string, Promise<Set<string> | undefined>>();
  /** Each trail bucket's owner and region once followed (for --logs), or why it was not collected. */
  private readonly bucketPlaces = new Map<string, Promise<BucketPlace | { reason: string }>>();
  /** Every trail found, once per ARN (for --logs). */
  private readonly seenTrails = new Map<string, SeenTrail>();
  /** The regions collected for each account. */
  private readonly accountRegions = new Map<string, string[]>();

  constructor(
    private readonly options: CollectorOptions,
    private readonly session: CollectSession,
    private readonly rec: Recorder,
    private readonly scope: Scope,
    private readonly pacer: Pacer,
  ) {
    this.inScope = new Set(scope.accounts);
    const management = scope.managementAccountId;
    if (scope.narrowed && options.organization && management !== undefined && !this.inScope.has(management)) {
      this.management = management;
      this.outside.add(management);
    }
  }

  async run(): Promise<void> {
    await Promise.all([this.runAccounts(), this.management === undefined ? undefined : organizationTrails(this.host(), this.management)]);
  }

  private async runAccounts(): Promise<void> {
    const queue = [...this.scope.accounts];
    const worker = async (): Promise<void> => {
      for (let account = queue.shift(); account !== undefined; account = queue.shift()) {
        await this.collectAccount(account);
        this.progress.accountsDone++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(queue.length, Math.max(1, this.options.accountParallelism)) }, worker));
  }

  private async collectAccount(account: string): Promise<void> {
    const access = await this.session.credentialsFor(account);
    if (!access.ok) {
      this.notCollected.push({ kind: 'account', id: account, reason: `cannot assume ${access.roleArn}: ${access.error.name}: ${firstLine(access.error.message)}` });
      return;
    }
    const global = this.session.clients(account, this.session.options.region, access.credentials);
    const isCaller = account === this.scope.identity.Account;
    // The caller's DescribeRegions and DescribeOrganization were made while resolving the scope.
    const [enabled] = await Promise.all([
      isCaller ? Promise.resolve(this.scope.callerRegions) : enabledRegions(this.rec, global),
      accountPublicAccessBlock(this.rec, global),
      isCaller || !this.options.organization ? Promise.resolve(undefined) : describeOrganization(this.rec, global),
    ]);
    const wanted = this.options.regions;
    const regions = enabled === undefined
      ? (wanted ?? this.scope.callerRegions ?? [this.session.options.region])
      : wanted === undefined ? enabled : wanted.filter((r) => enabled.includes(r));
    this.progress.regionsKnown += regions.length;
    this.accountRegions.set(account, regions);
    await Promise.all(regions.map(async (region) => {
      this.regions.add(region);
      await this.collectRegion(account, region, access.credentials);
      this.progress.regionsDone++;
    }));
  }

  private async collectRegion(account: string, region: string, credentials: ClientSet['credentials']): Promise<void> {
    const clients = this.session.clients(account, region, credentials);
    const trails = await describeTrails(this.rec, clients);
    if (trails !== undefined) this.trailListings++;
    await Promise.all([
      ...(trails ?? []).map((trail) => this.followTrail(trail, account)),
      eventDataStores(this.rec, clients).then((ids) => {
        for (const id of ids) this.notCollected.push({ kind: 'event-data-store', id, reason: `account ${account} ${region}: the store's id cannot be a file name` });
      }),
      logGroupsAndFilters(this.rec, clients),
      alarms(this.rec, clients).then((topics) => Promise.all(topics.map((t) => this.followTopic(t)))),
      eventRules(this.rec, clients).then(({ topics, unsafeNames }) => {
        for (const name of unsafeNames) this.notCollected.push({ kind: 'event-rule', id: name, reason: `account ${account} ${region}: the rule's name cannot be a file name` });
        return Promise.all(topics.map((t) => this.followTopic(t)));
      }),
      this.options.lookupEvents ? lookupEvents(this.rec, clients, this.pacer) : undefined,
    ]);
  }

  /** Runs `task` once per key for the whole run (a trail seen from 200 accounts is read once). */
  private onceFor(key: string, task: () => Promise<void>): Promise<void> {
    let pending = this.once.get(key);
    if (pending === undefined) {
      pending = task();
      this.once.set(key, pending);
    }
    return pending;
  }

  /** Credentials for an account in scope (or read for an organization trail) that could be reached; undefined otherwise. */
  private async reachable(account: string, evenOutside = true): Promise<Extract<AccountAccess, { ok: true }> | undefined> {
    if (!this.inScope.has(account) && !(evenOutside && this.outside.has(account))) return undefined;
    const access = await this.session.credentialsFor(account);
    return access.ok ? access : undefined;
  }

  /** What organizationTrails() works through. */
  private host(): OrganizationTrailsHost {
    return {
      session: this.session, rec: this.rec, scope: this.scope, regions: this.options.regions, notCollected: this.notCollected,
      inScope: (account) => this.inScope.has(account),
      allowOutside: (account) => void this.outside.add(account),
      noteExtra: (account, region, what, why) => this.noteExtra(account, region, what, why),
      followTrail: (trail, seenFrom) => this.followTrail(trail, seenFrom),
    };
  }

  private followTrail(trail: Trail, seenFrom: string): Promise<void> {
    const arn = trail.TrailARN;
    const parsed = arn === undefined ? undefined : parseTrailArn(arn);
    if (arn === undefined || parsed === undefined) return Promise.resolve();
    return this.onceFor(`trail ${arn}`, async () => {
      const name = trail.Name ?? parsed.name;
      const home = trail.HomeRegion ?? parsed.region;
      if (trail.S3BucketName !== undefined) {
        this.seenTrails.set(arn, {
          arn, owner: parsed.account, home, multiRegion: trail.IsMultiRegionTrail === true, organization: trail.IsOrganizationTrail === true,
          bucket: trail.S3BucketName, prefix: normalizePrefix(trail.S3KeyPrefix),
        });
      }
      if (!isSafePath(name)) {
        this.notCollected.push({ kind: 'trail', id: arn, reason: 'the trail name cannot be a file name' });
        return;
      }
      // The owner's home region when the owner is reachable; else where it was seen (a member account may ask
      // for its organization trail's status by ARN).
      const owner = await this.reachable(parsed.account);
      const via = owner === undefined ? seenFrom : parsed.account;
      const credentials = owner?.credentials ?? (await this.reachable(seenFrom))?.credentials;
      if (credentials === undefined) return;
      await trailDetails(this.rec, this.session.clients(via, home, credentials), arn, name);
      this.noteExtra(via, home, `trail ${name}: cloudtrail:GetTrailStatus, GetEventSelectors, GetInsightSelectors`, `organization trail ${arn} records the accounts in scope`);
      await Promise.all([
        trail.S3BucketName === undefined ? undefined : this.followBucket(trail.S3BucketName, parsed.account, home),
        trail.KmsKeyId === undefined ? undefined : this.followKey(trail.KmsKeyId, parsed.account, home),
      ]);
    });
  }

  private async followBucket(bucket: string, trailOwner: string, trailHome: string): Promise<void> {
    let place = this.bucketPlaces.get(bucket);
    if (place === undefined) {
      place = this.locateBucket(bucket, trailOwner, trailHome);
      this.bucketPlaces.set(bucket, place);
    }
    await place;
  }

  /** Collects a bucket's evidence in the account that owns it and the bucket's region, and says where that is. */
  private async locateBucket(bucket: string, trailOwner: string, trailHome: string): Promise<BucketPlace | { reason: string }> {
    if (!isSafePath(bucket)) {
      const reason = 'the bucket name cannot be a file name';
      this.notCollected.push({ kind: 'bucket', id: bucket, reason });
      return { reason };
    }
    const owner = await this.bucketOwner(bucket, trailOwner);
    if (typeof owner !== 'string') {
      this.notCollected.push({ kind: 'bucket', id: bucket, reason: owner.reason });
      return owner;
    }
    const access = await this.reachable(owner);
    if (access === undefined) return { reason: `its owner ${owner} could not be reached` };
    const inRegion = (region: string): ClientSet => this.session.clients(owner, region, access.credentials);
    const region = await bucketEvidence(this.rec, inRegion(this.session.options.region), inRegion, bucket, trailHome);
    this.noteExtra(owner, region, `bucket ${bucket}: s3 bucket settings (${BUCKET_OPERATIONS})`, `receives the logs of a trail that records the accounts in scope`);
    return { bucket, account: owner, region, clients: inRegion(region) };
  }

  /** What `--logs` copies from: the trails found, their buckets, the accounts and regions in scope. */
  logSources(): LogSources {
    const union = this.options.regions ?? [...this.regions].sort();
    return {
      trails: [...this.seenTrails.values()],
      bucketPlace: (bucket) => this.bucketPlaces.get(bucket) ?? Promise.resolve({ reason: 'the trail\'s bucket was not followed' }),
      regionsOf: (account) => this.accountRegions.get(account) ?? union,
      accounts: this.scope.accounts,
      organizationId: this.scope.organizationId,
      callerClients: (region) => this.session.clients(this.scope.identity.Account, region, this.session.base),
    };
  }

  /**
   * The account in scope that owns a bucket, from ListBuckets (the trail's owner first, then every other
   * account). When no listing names it and the trail owner's listing failed, the owner is assumed to be the
   * trail's owner, whose calls then answer (or fail) for themselves.
   */
  private async bucketOwner(bucket: string, trailOwner: string): Promise<string | { reason: string }> {
    const others = this.scope.accounts.filter((a) => a !== trailOwner);
    const batches = [[trailOwner], others, ...chunks(this.ownerSearch(trailOwner), 8)];
    const lists = new Map<string, Set<string> | undefined>();
    for (const batch of batches) {
      const reachable = batch.filter((a) => this.inScope.has(a) || this.outside.has(a));
      const found = await Promise.all(reachable.map(async (a) => [a, await this.bucketsOf(a)] as const));
      for (const [a, names] of found) {
        lists.set(a, names);
        if (names?.has(bucket)) return a;
      }
    }
    const ownerReadable = this.inScope.has(trailOwner) || this.outside.has(trailOwner);
    if (ownerReadable && lists.get(trailOwner) === undefined && (await this.reachable(trailOwner)) !== undefined) return trailOwner;
    const failed = [...lists.entries()].filter(([, v]) => v === undefined).map(([a]) => a);
    const searched = lists.size - (this.inScope.has(trailOwner) ? 0 : 1) - others.length;
    return {
      reason: `owned by none of the ${this.scope.accounts.length} accounts in scope${ownerReadable ? '' : ` (the trail's owner ${trailOwner} is not in scope)`}` +
        (searched > 0 ? ` nor of the ${searched} other accounts of the organization searched` : '') +
        (failed.length > 0 ? `; the bucket lists of ${failed.join(', ')} could not be read` : ''),
    };
  }

  /** With a narrowed scope, the other accounts of the organization to search for a bucket's owner; each may be read from then on. */
  private ownerSearch(trailOwner: string): string[] {
    if (this.management === undefined) return [];
    const ordered = ownerSearchOrder(this.scope.organizationAccounts ?? [], (a) => a === trailOwner || this.inScope.has(a));
    for (const a of ordered) this.outside.add(a);
    return ordered;
  }

  /** Records a read made outside the scope, once per account, region and what. */
  private noteExtra(account: string, region: string, what: string, why: string): void {
    if (this.inScope.has(account)) return;
    if (this.extra.some((e) => e.account === account && e.region === region && e.what === what)) return;
    this.extra.push({ account, region, what, why });
  }

  private bucketsOf(account: string): Promise<Set<string> | undefined> {
    let pending = this.bucketLists.get(account);
    if (pending === undefined) {
      pending = this.reachable(account).then((access) =>
        access === undefined ? undefined : ownedBuckets(this.rec.scheduler, this.session.clients(account, this.session.options.region, access.credentials)));
      this.bucketLists.set(account, pending);
    }
    return pending;
  }

  private followKey(ref: string, trailOwner: string, trailHome: string): Promise<void> {
    const where = keyLocation(ref, trailOwner, trailHome);
    return this.onceFor(`key ${where.account}/${where.region}/${ref}`, async () => {
      const access = await this.reachable(where.account);
      if (access === undefined) {
        this.notCollected.push({ kind: 'key', id: ref, reason: `account ${where.account} is not in scope or could not be reached` });
        return;
      }
      const named = await keyEvidence(this.rec, this.session.clients(where.account, where.region, access.credentials), ref, where.keyId);
      if (named) this.noteExtra(where.account, where.region, `key ${ref}: kms:DescribeKey, GetKeyRotationStatus, GetKeyPolicy`, 'encrypts the logs of a trail that records the accounts in scope');
      if (!named) this.notCollected.push({ kind: 'key', id: ref, reason: 'DescribeKey did not name the key (an alias that cannot be resolved)' });
    });
  }

  private followTopic(arn: string): Promise<void> {
    const topic = parseTopicArn(arn);
    if (topic === undefined) return Promise.resolve();
    return this.onceFor(`topic ${arn}`, async () => {
      const access = await this.reachable(topic.account, false);
      if (access === undefined) {
        this.notCollected.push({ kind: 'topic', id: arn, reason: `account ${topic.account} is not in scope or could not be reached` });
        return;
      }
      await topicSubscriptions(this.rec, this.session.clients(topic.account, topic.region, access.credentials), arn, topic.name);
    });
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const BUCKET_OPERATIONS = 'GetBucketLocation, GetBucketPolicy, GetBucketPolicyStatus, GetPublicAccessBlock, GetBucketAcl, GetBucketVersioning, GetBucketLogging, GetBucketEncryption, GetBucketLifecycleConfiguration, GetObjectLockConfiguration';

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
