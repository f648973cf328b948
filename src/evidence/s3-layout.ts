// The S3 delivery layout, the one place it is parsed and built: where CloudTrail puts log and digest files
// in a bucket (`[prefix/]AWSLogs/[<orgId>/]<account>/CloudTrail[-Digest]/<region>/YYYY/MM/DD/<file>`), read and
// rebuilt the way `aws cloudtrail validate-logs` does (the key names a chain: account, region, trail; and the
// digest's end time, which the listing and the walk order by), the digest sidecar a bundle keeps beside a copied
// digest (CONTRACT section 5), and the looser file and folder names the event readers prune by. Integrity
// (src/integrity), `collect --logs` (src/collect/log-window.ts, trail-logs.ts) and the event readers
// (src/events/readers/layout.ts) all read the layout here.

/** One digest chain: the digests one trail writes for one account and one source region. */
export interface ChainId {
  /** The trail's S3 key prefix, without the trailing slash; '' when none. */
  prefix: string;
  /** Organization id for organization trails (o-...), '' otherwise. */
  orgId: string;
  account: string;
  /** The region whose activity the digests cover. */
  region: string;
  trail: string;
  homeRegion: string;
}

export interface DigestKey extends ChainId {
  key: string;
  /** The digest end time from the file name, as written there (YYYYMMDDTHHMMSSZ). */
  stamp: string;
  end: Date;
  backfill: boolean;
}

export interface LogKey {
  key: string;
  prefix: string;
  orgId: string;
  account: string;
  region: string;
  /** Delivery time from the file name (minute precision). */
  delivered: Date;
}

const ORG = '(?:(o-[a-z0-9]{10,32})/)?';
const DIGEST_KEY = new RegExp(
  `^(?:(.+)/)?AWSLogs/${ORG}(\\d{12})/CloudTrail-Digest/([a-z0-9-]+)/\\d{4}/\\d{2}/\\d{2}/(\\d{12})_CloudTrail-Digest_([a-z0-9-]+)_(.+)_([a-z0-9-]+)_(\\d{8}T\\d{6}Z)(_backfill)?\\.json\\.gz$`,
);
const LOG_KEY = new RegExp(
  `^(?:(.+)/)?AWSLogs/${ORG}(\\d{12})/CloudTrail/([a-z0-9-]+)/\\d{4}/\\d{2}/\\d{2}/(\\d{12})_CloudTrail_([a-z0-9-]+)_(\\d{8}T\\d{4}Z)_[A-Za-z0-9]+\\.json\\.gz$`,
);

export const SIDECAR_SUFFIX = '.metadata.json';

export function parseDigestKey(key: string): DigestKey | undefined {
  const m = DIGEST_KEY.exec(key);
  if (!m) return undefined;
  const [, prefix = '', orgId = '', account, region, fileAccount, fileRegion, trail, homeRegion, stamp, backfill] = m as unknown as (string | undefined)[];
  if (account !== fileAccount || region !== fileRegion || stamp === undefined) return undefined;
  const end = parseStamp(stamp);
  if (end === undefined) return undefined;
  return { key, prefix, orgId, account: account as string, region: region as string, trail: trail as string, homeRegion: homeRegion as string, stamp, end, backfill: backfill !== undefined };
}

export function parseLogKey(key: string): LogKey | undefined {
  const m = LOG_KEY.exec(key);
  if (!m) return undefined;
  const [, prefix = '', orgId = '', account, region, fileAccount, fileRegion, stamp] = m as unknown as (string | undefined)[];
  if (account !== fileAccount || region !== fileRegion || stamp === undefined) return undefined;
  const delivered = parseStamp(stamp.replace('Z', '00Z'));
  return delivered === undefined ? undefined : { key, prefix, orgId, account: account as string, region: region as string, delivered };
}

/** 20260914T031500Z -> Date; undefined when it is not a real instant. */
export function parseStamp(stamp: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Date -> 20260914T031500Z, the form in digest file names (and the CLI's lexicographic bounds). */
export function formatStamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

export function chainKey(c: ChainId): string {
  return [c.prefix, c.orgId, c.account, c.region, c.trail, c.homeRegion].join('|');
}

export function sameChain(a: ChainId, b: ChainId): boolean {
  return chainKey(a) === chainKey(b);
}

/** The prefix every digest of the chain's account and region starts with (the CLI's listing prefix). */
export function digestPrefix(c: Omit<ChainId, 'trail' | 'homeRegion'>): string {
  const base = `AWSLogs/${c.orgId ? `${c.orgId}/` : ''}${c.account}/CloudTrail-Digest/${c.region}`;
  return c.prefix ? `${c.prefix}/${base}` : base;
}

/** The prefix of the log files of an account and region. */
export function logPrefix(c: Omit<ChainId, 'trail' | 'homeRegion'>): string {
  const base = `AWSLogs/${c.orgId ? `${c.orgId}/` : ''}${c.account}/CloudTrail/${c.region}`;
  return c.prefix ? `${c.prefix}/${base}` : base;
}

/** The key CloudTrail would give the chain's digest ending at `end` (a listing bound; it need not exist). */
export function digestKeyFor(c: ChainId, end: Date, backfill = false): string {
  const day = end.toISOString().slice(0, 10).replace(/-/g, '/');
  const name = `${c.account}_CloudTrail-Digest_${c.region}_${c.trail}_${c.homeRegion}_${formatStamp(end)}${backfill ? '_backfill' : ''}.json.gz`;
  return `${digestPrefix(c)}/${day}/${name}`;
}

/** The chain a trail writes for one account and region. */
export function describeChain(c: ChainId): string {
  return `trail ${c.trail} (home ${c.homeRegion}), account ${c.account}${c.orgId ? ` of ${c.orgId}` : ''}, region ${c.region}${c.prefix ? `, prefix ${c.prefix}` : ''}`;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `[prefix/]AWSLogs/[orgId/]<account>/`: where a trail writes one account's files. */
export function accountBase(prefix: string, orgId: string, account: string): string {
  return `${prefix === '' ? '' : `${prefix}/`}AWSLogs/${orgId === '' ? '' : `${orgId}/`}${account}/`;
}

/** A trail's S3KeyPrefix as the key layout uses it: no leading or trailing slash. */
export function normalizePrefix(prefix: string | undefined): string {
  return (prefix ?? '').replace(/^\/+|\/+$/g, '');
}

/** The sidecar's JSON for an object's user metadata: names lower-case, sorted, two-space indented. */
export function sidecarJson(metadata: Record<string, string>): string {
  const sorted = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v] as const).sort(([a], [b]) => compareStrings(a, b)));
  return JSON.stringify(sorted, null, 2) + '\n';
}

// File and folder names as the readers of a local copy or a listing see them: looser than the keys above (a
// file a user unpacked may have lost its .gz; the random suffix is not checked), because a name only decides
// what to open or skip, never whether a file is genuine.
const ACCOUNT = /^\d{12}$/;
const ORG_FOLDER = /^o-[a-z0-9]{10,32}$/;
const LOG_NAME = /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/]*\.json(\.gz)?$/;
const OTHER_CLOUDTRAIL_FILE = /_CloudTrail-(Digest|Insight)_/;

/** Facts a file's name gives. */
export interface LogName {
  account: string;
  region: string;
  /** The delivery minute, epoch ms. */
  delivered: number;
}

export function parseLogName(name: string): LogName | undefined {
  const m = LOG_NAME.exec(name);
  if (!m) return undefined;
  const [, account, region, y, mo, d, h, mi] = m as unknown as string[];
  const delivered = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  if (Number.isNaN(delivered)) return undefined;
  return { account: account as string, region: region as string, delivered };
}

/** Whether a file name is a log file this reader reads (not a digest, an Insights file or a sidecar). */
export function isLogFileName(name: string): boolean {
  if (!/\.json(\.gz)?$/.test(name) || name.endsWith('.metadata.json')) return false;
  return !OTHER_CLOUDTRAIL_FILE.test(name);
}

/** Whether segment i of a folder path is an account folder (under AWSLogs/ or an organization folder). */
export function isAccountDir(segments: readonly string[], i: number): boolean {
  if (i < 1 || !ACCOUNT.test(segments[i] ?? '')) return false;
  const parent = segments[i - 1] ?? '';
  return parent === 'AWSLogs' || ORG_FOLDER.test(parent);
}
