// `collect --logs`: each trail's log and digest files of a period copied into the bundle's logs/ folder at
// their S3 keys (the S3KeyPrefix kept: a digest names its files by their full keys, so the copy validates
// exactly as the bucket would), each digest with its S3 metadata in a `<file>.metadata.json` sidecar
// (CONTRACT section 5), and CloudTrail's public keys for the regions whose digests were copied. Listings run
// through the account that owns the bucket, in the bucket's region, one day folder at a time; every call goes
// through the scheduler. A listing or an object that cannot be read is counted, kept in the manifest and
// written as an `$error` document beside the bucket's other evidence, so a gap is never taken for a clean copy.
import { paginateListPublicKeys } from '../aws/sdk/cloudtrail.js';
import { GetObjectCommand, paginateListObjectsV2 } from '../aws/sdk/s3.js';
import { SIDECAR_SUFFIX, accountBase, parseDigestKey, sidecarJson } from '../evidence/s3-layout.js';
import type { ClientSet } from './clients.js';
import { LOG_KINDS, dayFolders, spanOf, wanted, type LogKind, type LogsWindow } from './log-window.js';
import { MAX_PAGES, filePath, mergePages, store, type Recorder } from './record.js';
import type { CallError, ErrorKind } from '../aws/errors.js';
import type { Outcome } from '../aws/scheduler.js';
import { isSafePath } from './writer.js';

/** A trail as the collection found it (once per ARN, an organization trail included). */
export interface SeenTrail {
  arn: string;
  owner: string;
  home: string;
  multiRegion: boolean;
  organization: boolean;
  bucket: string;
  /** S3KeyPrefix without leading or trailing slashes; '' when none. */
  prefix: string;
}

/** A bucket in scope: the account that owns it, its region and that account's clients there. */
export interface BucketPlace {
  bucket: string;
  account: string;
  region: string;
  clients: ClientSet;
}

/** What the collection knows that the copy needs. */
export interface LogSources {
  trails: SeenTrail[];
  bucketPlace(bucket: string): Promise<BucketPlace | { reason: string }>;
  /** Regions in scope for an account (its enabled ones, or the run's when it could not be read). */
  regionsOf(account: string): string[];
  accounts: string[];
  organizationId: string | undefined;
  /** The caller's clients in a region (ListPublicKeys: the keys are the same for every account). */
  callerClients(region: string): ClientSet;
}

export type LogCall = 'ListObjectsV2' | 'GetObject' | 'ListPublicKeys';

export interface LogFailure {
  /** The trail and bucket concerned (absent for ListPublicKeys, which is about a region). */
  trail?: string;
  bucket?: string;
  /** The call that failed; absent when no call could be made (a bucket outside the scope). */
  call?: LogCall;
  account?: string;
  region?: string;
  prefix?: string;
  key?: string;
  kind: ErrorKind | 'not-collected';
  error: CallError;
}

export interface TrailCopy {
  trail: string;
  bucket: string;
  prefix: string;
  /** Where the bucket was read: its owner account and region (absent when it was not collected). */
  account?: string;
  region?: string;
  organizationIds: string[];
  logFiles: number;
  digestFiles: number;
  bytes: number;
  failures: number;
  notCollected?: string;
}

export interface LogsResult {
  from: string;
  to: string;
  logFiles: number;
  digestFiles: number;
  bytes: number;
  trails: TrailCopy[];
  /** Bundle-relative ListPublicKeys files written (answers or $error). */
  publicKeys: string[];
  failureCount: number;
  failuresByKind: Partial<Record<LogFailure['kind'], number>>;
  /** The first failures, in the order they happened (all of them are counted). */
  failures: LogFailure[];
}

export const LOGS_FOLDER = 'logs';
/** Failures kept in the manifest; more are counted. */
export const MAX_FAILURES_KEPT = 1000;
const HOUR = 3600_000;

/** One account's files of one kind in one region of a bucket: `.../CloudTrail[-Digest]/<region>/`. */
interface RegionFolder {
  trail: TrailCopy;
  place: BucketPlace;
  folder: string;
  kind: LogKind;
}

/** Each region folder's day folders of the period, made as they are asked for (a year of days is never held). */
function* dayListings(folders: RegionFolder[], window: LogsWindow): Generator<RegionFolder & { prefix: string }> {
  for (const f of folders) for (const day of dayFolders(spanOf(window, f.kind))) yield { ...f, prefix: `${f.folder}${day}/` };
}

export class TrailLogs {
  /** Log files copied so far, for the progress display. */
  copied = 0;
  /** Region folders already planned (bucket/folder): two trails writing to the same folders copy them once. */
  private readonly planned = new Set<string>();
  /** Folder listings (bucket/prefix), asked once however many trails share them. */
  private readonly folderListings = new Map<string, Promise<string[] | undefined>>();
  private readonly digestRegions = new Set<string>();
  private readonly failures: LogFailure[] = [];
  private failureCount = 0;
  private readonly failuresByKind: Partial<Record<LogFailure['kind'], number>> = {};

  constructor(private readonly rec: Recorder, private readonly sources: LogSources, private readonly window: LogsWindow, private readonly parallelListings: number) {}

  async run(): Promise<LogsResult> {
    const trails = [...this.sources.trails].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    const copies: TrailCopy[] = [];
    const folders: RegionFolder[] = [];
    await Promise.all(trails.map(async (trail) => {
      const copy: TrailCopy = { trail: trail.arn, bucket: trail.bucket, prefix: trail.prefix, organizationIds: [], logFiles: 0, digestFiles: 0, bytes: 0, failures: 0 };
      copies.push(copy);
      folders.push(...(await this.plan(trail, copy)));
    }));
    folders.sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
    // Day folders a bounded number at a time: each holds its keys while they are copied.
    const days = dayListings(folders, this.window);
    await Promise.all(Array.from({ length: this.parallelListings }, async () => {
      for (let next = days.next(); next.done !== true; next = days.next()) await this.copyFolder(next.value);
    }));
    const publicKeys = await this.publicKeys();
    copies.sort((a, b) => (a.trail < b.trail ? -1 : a.trail > b.trail ? 1 : 0));
    const sum = (pick: (c: TrailCopy) => number): number => copies.reduce((n, c) => n + pick(c), 0);
    return {
      from: this.window.from.toISOString(), to: this.window.to.toISOString(),
      logFiles: sum((c) => c.logFiles), digestFiles: sum((c) => c.digestFiles), bytes: sum((c) => c.bytes),
      trails: copies, publicKeys, failureCount: this.failureCount, failuresByKind: this.failuresByKind, failures: this.failures,
    };
  }

  /** The region folders to copy for a trail: per account and organization folder, the regions that have files. */
  private async plan(trail: SeenTrail, copy: TrailCopy): Promise<RegionFolder[]> {
    const place = await this.sources.bucketPlace(trail.bucket);
    if ('reason' in place) {
      copy.notCollected = place.reason;
      await this.fail(copy, undefined, { kind: 'not-collected', error: { name: 'NotCollected', message: `bucket ${trail.bucket}: ${place.reason}` } });
      return [];
    }
    copy.account = place.account;
    copy.region = place.region;
    const orgIds = trail.organization ? await this.organizationFolders(trail, place, copy) : [''];
    copy.organizationIds = orgIds.filter((o) => o !== '');
    // An organization trail writes every member's files; another trail only its own account's.
    const accounts = trail.organization ? this.sources.accounts : [trail.owner];
    const out: RegionFolder[] = [];
    await Promise.all(orgIds.flatMap((orgId) => accounts.map(async (account) => {
      const base = accountBase(trail.prefix, orgId, account);
      const inScope = new Set(trail.multiRegion ? this.sources.regionsOf(account) : [trail.home]);
      for (const kind of LOG_KINDS) {
        const folder = `${base}${kind}/`;
        const regions = await this.folders(copy, place, folder);
        for (const region of (regions ?? []).filter((r) => inScope.has(r))) {
          const regionFolder = `${folder}${region}/`;
          if (this.planned.has(`${trail.bucket}/${regionFolder}`)) continue;
          this.planned.add(`${trail.bucket}/${regionFolder}`);
          out.push({ trail: copy, place, kind, folder: regionFolder });
        }
      }
    })));
    return out;
  }

  /** The organization folders under AWSLogs/: the organization's id when known, else the o-... folders found. */
  private async organizationFolders(trail: SeenTrail, place: BucketPlace, copy: TrailCopy): Promise<string[]> {
    if (this.sources.organizationId !== undefined) return [this.sources.organizationId];
    const found = await this.folders(copy, place, `${trail.prefix === '' ? '' : `${trail.prefix}/`}AWSLogs/`);
    return (found ?? []).filter((f) => /^o-[a-z0-9]{10,32}$/.test(f)).sort();
  }

  /**
   * The folder names right under a prefix; undefined when the listing failed. The failure is recorded once,
   * and counted against every trail whose copy it leaves incomplete.
   */
  private async folders(copy: TrailCopy, place: BucketPlace, prefix: string): Promise<string[] | undefined> {
    const id = `${place.bucket}/${prefix}`;
    const known = this.folderListings.get(id);
    if (known !== undefined) {
      const folders = await known;
      if (folders === undefined) copy.failures++;
      return folders;
    }
    const pending = this.list(place, prefix, true).then(async (outcome) => {
      if (outcome.ok) return outcome.value.folders;
      await this.failed(copy, place, 'ListObjectsV2', { prefix }, outcome);
      return undefined;
    });
    this.folderListings.set(id, pending);
    return pending;
  }

  private list(place: BucketPlace, prefix: string, delimited: boolean): Promise<Outcome<{ keys: string[]; folders: string[] }>> {
    return this.rec.scheduler.call({ action: 's3:ListBucket', account: place.account, region: place.region }, async (abortSignal, heartbeat) => {
      const keys: string[] = [];
      const folders: string[] = [];
      let pages = 0;
      const input = { Bucket: place.bucket, Prefix: prefix, ...(delimited ? { Delimiter: '/' } : {}) };
      for await (const page of paginateListObjectsV2({ client: place.clients.s3 }, input, { abortSignal })) {
        for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
        for (const p of page.CommonPrefixes ?? []) if (p.Prefix !== undefined) folders.push(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
        heartbeat();
        if (++pages > MAX_PAGES) throw Object.assign(new Error(`ListObjectsV2 s3://${place.bucket}/${prefix}: more than ${MAX_PAGES} pages; the listing is not complete`), { name: 'PaginationLimitExceeded' });
      }
      return { keys, folders };
    });
  }

  private async copyFolder({ trail, place, prefix, kind }: RegionFolder & { prefix: string }): Promise<void> {
    const listing = await this.list(place, prefix, false);
    if (!listing.ok) {
      await this.failed(trail, place, 'ListObjectsV2', { prefix }, listing);
      return;
    }
    const span = spanOf(this.window, kind);
    await Promise.all(listing.value.keys.filter((key) => wanted(key, kind, span)).map((key) => this.copyObject(trail, place, key, kind)));
  }

  private async copyObject(trail: TrailCopy, place: BucketPlace, key: string, kind: LogKind): Promise<void> {
    const path = `${LOGS_FOLDER}/${key}`;
    if (!isSafePath(path)) {
      await this.fail(trail, place, { call: 'GetObject', key, kind: 'other', error: { name: 'UnsafeKey', message: `s3://${place.bucket}/${key}: the key cannot be a file name in the bundle` } });
      return;
    }
    const outcome = await this.rec.scheduler.call({ action: 's3:GetObject', account: place.account, region: place.region }, async (abortSignal) => {
      const response = await place.clients.s3.send(new GetObjectCommand({ Bucket: place.bucket, Key: key }), { abortSignal });
      if (response.Body === undefined) throw Object.assign(new Error(`GetObject s3://${place.bucket}/${key} returned no body`), { name: 'InvalidResponse' });
      return { body: await response.Body.transformToByteArray(), metadata: response.Metadata ?? {} };
    });
    if (!outcome.ok) {
      await this.failed(trail, place, 'GetObject', { key }, outcome);
      return;
    }
    const { body, metadata } = outcome.value;
    if (!(await this.rec.writer.writeBytes(path, body))) return; // the same key through another trail
    trail.bytes += body.byteLength;
    if (kind === 'CloudTrail') {
      trail.logFiles++;
      this.copied++;
      return;
    }
    // The signature CloudTrail put on the object, without which the copied digest cannot be verified.
    await this.rec.writer.writeBytes(`${path}${SIDECAR_SUFFIX}`, Buffer.from(sidecarJson(metadata)));
    trail.digestFiles++;
    const digest = parseDigestKey(key);
    if (digest !== undefined) {
      this.digestRegions.add(digest.region);
      this.digestRegions.add(digest.homeRegion);
    }
  }

  /**
   * ListPublicKeys in each region whose digests were copied (and each such trail's home region), for the
   * period, through the caller's account. `Value` (a blob) is stored base64, as the API's JSON carries it
   * and as `validate-logs --public-keys` reads it.
   */
  private async publicKeys(): Promise<string[]> {
    const start = new Date(this.window.from.getTime() - HOUR);
    const end = new Date(Math.min(this.window.to.getTime() + 2 * HOUR, Date.now()));
    const written: string[] = [];
    await Promise.all([...this.digestRegions].sort().map(async (region) => {
      const clients = this.sources.callerClients(region);
      const place = { account: clients.account, where: region };
      const outcome = await this.rec.scheduler.call({ action: 'cloudtrail:ListPublicKeys', account: clients.account, region }, async (abortSignal, heartbeat) => {
        const pages = [];
        for await (const page of paginateListPublicKeys({ client: clients.cloudtrail }, { StartTime: start, EndTime: end }, { abortSignal })) {
          pages.push({ ...page, PublicKeyList: (page.PublicKeyList ?? []).map((k) => (k.Value === undefined ? k : { ...k, Value: Buffer.from(k.Value).toString('base64') })) });
          heartbeat();
          if (pages.length > MAX_PAGES) throw Object.assign(new Error(`ListPublicKeys in ${region}: more than ${MAX_PAGES} pages`), { name: 'PaginationLimitExceeded' });
        }
        return mergePages(pages, ['PublicKeyList']);
      });
      await store(this.rec, place, 'cloudtrail/ListPublicKeys.json', outcome);
      if (!outcome.ok) this.count({ call: 'ListPublicKeys', account: clients.account, region, kind: outcome.kind === 'not-configured' ? 'other' : outcome.kind, error: outcome.error });
      if (outcome.ok || !outcome.skipped) written.push(filePath(place, 'cloudtrail/ListPublicKeys.json'));
    }));
    return written.sort();
  }

  private failed(trail: TrailCopy, place: BucketPlace, call: LogCall, at: { prefix?: string; key?: string }, outcome: Extract<Outcome<unknown>, { ok: false }>): Promise<void> {
    const kind = outcome.kind === 'not-configured' ? 'other' : outcome.kind;
    return this.fail(trail, place, { call, ...at, kind, error: outcome.error });
  }

  /**
   * Records a failure: counted, kept in the manifest, and (for a call on a bucket in scope) the first one of
   * each call written as `accounts/<owner>/<region>/s3/<bucket>/<Call>.json`, `{"$error": ..., "Bucket",
   * "Prefix" | "Key"}`, where the checks find the bucket's other evidence.
   */
  private async fail(trail: TrailCopy, place: BucketPlace | undefined, failure: Omit<LogFailure, 'trail' | 'bucket' | 'account' | 'region'>): Promise<void> {
    trail.failures++;
    const full: LogFailure = { trail: trail.trail, bucket: trail.bucket, ...(place === undefined ? {} : { account: place.account, region: place.region }), ...failure };
    this.count(full);
    if (place === undefined || failure.call === undefined || failure.call === 'ListPublicKeys') return;
    const request = failure.key === undefined ? { Prefix: failure.prefix ?? '' } : { Key: failure.key };
    await this.rec.writer.writeJson(filePath({ account: place.account, where: place.region }, `s3/${place.bucket}/${failure.call}.json`), { $error: failure.error, Bucket: place.bucket, ...request });
  }

  private count(failure: LogFailure): void {
    this.failureCount++;
    this.failuresByKind[failure.kind] = (this.failuresByKind[failure.kind] ?? 0) + 1;
    if (this.failures.length < MAX_FAILURES_KEPT) this.failures.push(failure);
  }
}
