// The walk over one digest chain, newest to oldest, as `aws cloudtrail validate-logs` walks it: list the
// chain's digests in the range, start from the newest, follow previousDigestS3Object links (into another
// bucket too), and after a break (a missing or invalid digest, or a digest that starts a new chain) go on
// with the next older digest in the listing. The walk yields what it finds; the caller verifies log files.
import { digestKeyFor, digestPrefix, parseDigestKey, sameChain, type ChainId, type DigestKey } from '../evidence/s3-layout.js';
import { loadDigest, type DigestOutcome, type KeyLookup, type LoadedDigest } from './digest.js';
import { MAX_DIGEST_FILE_BYTES } from './gzip.js';
import type { ObjectStore, StoredObject } from './store.js';

export type ChainEvent =
  | { type: 'digest'; backfill: boolean; bucket: string; key: string; outcome: DigestOutcome }
  /** A digest started a new chain while older digests exist: no logs were delivered between the two. */
  | { type: 'gap'; backfill: boolean; bucket: string; from: Date; to: Date; olderKey: string; newerKey: string }
  /** Stricter: a followed link whose hash or signature does not match the digest it leads to. */
  | { type: 'link-mismatch'; bucket: string; key: string; newerKey: string; field: 'previousDigestHashValue' | 'previousDigestSignature' }
  /** A link led to a digest the walk had visited already (digests pointing at each other): the walk ends. */
  | { type: 'cycle'; bucket: string; key: string; newerKey: string }
  /** The walk visited MAX_DIGESTS_PER_WALK digests and stopped: the rest of the chain is unproven. */
  | { type: 'too-long'; bucket: string; key: string; limit: number };

export interface WalkRange {
  /** Inclusive start; undefined: from the oldest digest in the listing. */
  start: Date | undefined;
  end: Date;
}

const HOUR = 3600_000;
/** Digests read ahead of the walk: the next older listed digests are almost always the next links. */
const READ_AHEAD = 4;
/**
 * Digests one walk visits at most: a chain has one digest an hour, so this is over eleven years of one
 * account and region. A walk that reaches it stops with a chain problem rather than run on.
 */
export const MAX_DIGESTS_PER_WALK = 100_000;

/** Digest keys of the chain whose file-name time lies in [start, end + 1 h], in S3 order. */
export async function listChainDigests(store: ObjectStore, bucket: string, chain: ChainId, start: Date | undefined, end: Date): Promise<{ standard: DigestKey[]; backfill: DigestKey[] }> {
  const standard: DigestKey[] = [];
  const backfill: DigestKey[] = [];
  const until = new Date(end.getTime() + HOUR);
  // The CLI starts the listing a minute before the start time so a digest ending exactly then is included.
  const startAfter = start === undefined ? undefined : digestKeyFor(chain, new Date(start.getTime() - 60_000));
  for await (const key of store.list(bucket, digestPrefix(chain), startAfter)) {
    const parsed = parseDigestKey(key);
    if (parsed === undefined || !sameChain(parsed, chain)) continue;
    if (parsed.end > until) break;
    if (start !== undefined && parsed.end < start) continue;
    (parsed.backfill ? backfill : standard).push(parsed);
  }
  return { standard, backfill };
}

export interface WalkInput {
  store: ObjectStore;
  chain: ChainId;
  bucket: string;
  range: WalkRange;
  lookup: KeyLookup;
  backfill: boolean;
  /** The listing of the starting bucket, when the caller already has it. */
  listing?: DigestKey[];
}

export async function* walkChain(input: WalkInput): AsyncGenerator<ChainEvent> {
  const { store, chain, range, lookup, backfill } = input;
  let bucket = input.bucket;
  const listFor = async (b: string, end: Date): Promise<DigestKey[]> => {
    const listed = await listChainDigests(store, b, chain, range.start, end);
    return backfill ? listed.backfill : listed.standard;
  };
  const digests = [...(input.listing ?? (await listFor(bucket, range.end)))];
  let pending = digests;
  const start = range.start ?? digests[0]?.end;
  if (start === undefined) return;

  const newest = lastDigest(pending);
  let key = newest?.key;
  let lastStart = newest?.end;
  let link: { newer: LoadedDigest } | undefined;
  const ahead = new Map<string, Promise<StoredObject | undefined>>();
  const consumed = new Set<string>();
  const readAhead = (k: string): void => {
    const id = `${bucket}/${k}`;
    if (ahead.has(id) || consumed.has(id)) return;
    const read = store.get(bucket, k, MAX_DIGEST_FILE_BYTES);
    // A read ahead that fails is reported when the walk reaches it, not as an unhandled rejection.
    read.catch(() => undefined);
    ahead.set(id, read);
  };
  while (key !== undefined && lastStart !== undefined && start <= lastStart) {
    // Only a link can lead back (the listing is consumed newest to oldest): a repeat is a cycle, and a
    // walk that followed it would never end.
    if (consumed.has(`${bucket}/${key}`)) {
      yield { type: 'cycle', bucket, key, newerKey: link?.newer.key ?? key };
      return;
    }
    if (consumed.size >= MAX_DIGESTS_PER_WALK) {
      yield { type: 'too-long', bucket, key, limit: MAX_DIGESTS_PER_WALK };
      return;
    }
    for (const d of olderThan(pending, key, READ_AHEAD)) readAhead(d.key);
    const read = ahead.get(`${bucket}/${key}`) ?? store.get(bucket, key, MAX_DIGEST_FILE_BYTES);
    ahead.delete(`${bucket}/${key}`);
    consumed.add(`${bucket}/${key}`);
    const outcome = await loadDigest(read, bucket, key, lookup, backfill);
    yield { type: 'digest', backfill, bucket, key, outcome };
    if (outcome.kind === 'valid') {
      const digest = outcome.digest;
      if (link !== undefined) yield* linkMismatches(link.newer, digest);
      lastStart = digest.start;
      if (digest.previous === undefined) {
        link = undefined;
        const older = lastDigest(pending, key);
        if (older !== undefined) yield { type: 'gap', backfill, bucket, from: older.end, to: lastStart, olderKey: older.key, newerKey: key };
        key = older?.key;
      } else {
        link = { newer: digest };
        key = digest.previous.key;
        if (digest.previous.bucket !== bucket) {
          bucket = digest.previous.bucket;
          pending = await listFor(bucket, digest.end);
        }
      }
    } else {
      // The walk goes on with the next older listed digest; the start of the proven range stays where the
      // last valid digest put it, as in the CLI.
      link = undefined;
      key = lastDigest(pending, key)?.key;
    }
  }
}

/** The `count` newest listed digests older than `key` (the listing is in time order). */
function olderThan(digests: DigestKey[], key: string, count: number): DigestKey[] {
  const end = parseDigestKey(key)?.end;
  if (end === undefined) return [];
  let lo = 0;
  let hi = digests.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((digests[mid] as DigestKey).end < end) lo = mid + 1;
    else hi = mid;
  }
  return digests.slice(Math.max(0, lo - count), lo);
}

/** The newest listed digest (removing it), or the newest one older than `before` (removing those passed). */
function lastDigest(digests: DigestKey[], before?: string): DigestKey | undefined {
  if (before === undefined) return digests.pop();
  const parsed = parseDigestKey(before);
  while (digests.length > 0) {
    const candidate = digests.pop() as DigestKey;
    if (parsed === undefined || candidate.end < parsed.end) return candidate;
  }
  return undefined;
}

function* linkMismatches(newer: LoadedDigest, older: LoadedDigest): Generator<ChainEvent> {
  const base = { type: 'link-mismatch' as const, bucket: older.bucket, key: older.key, newerKey: newer.key };
  const hash = newer.fields.previousDigestHashValue;
  if (typeof hash !== 'string' || hash.toLowerCase() !== older.sha256) yield { ...base, field: 'previousDigestHashValue' };
  if (newer.fields.previousDigestSignature !== older.signature) yield { ...base, field: 'previousDigestSignature' };
}
