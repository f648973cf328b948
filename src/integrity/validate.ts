// Validates digest chains and the log files they list: the AWS CLI's verdicts for every file, plus the
// stricter checks it does not make (reported apart so the verdicts stay comparable). Digests are walked one
// chain at a time; log files are verified in parallel, a bounded number at once.
import { TrailproofError } from '../errors.js';
import type { LogKeysTrust } from '../model/types.js';
import { walkChain, listChainDigests, type ChainEvent } from './chain.js';
import { REASON_TEXT, type DigestReason, type LoadedDigest } from './digest.js';
import { GzipFormatError, MAX_LOG_FILE_BYTES, hashFirstMember } from './gzip.js';
import { keysInRange, type PublicKeyEntry } from './keys.js';
import { chainKey, compareStrings, describeChain, logPrefix, parseLogKey, type ChainId } from '../evidence/s3-layout.js';
import { Pool } from './pool.js';
import type { ObjectStore } from './store.js';

export type FileType = 'digest' | 'backfill-digest' | 'log';
export type InvalidReason = DigestReason | 'hash-mismatch' | 'chain-cycle' | 'chain-too-long';
export type StricterReason =
  | 'trailing-data' | 'truncated' | 'previous-hash-mismatch' | 'previous-signature-mismatch' | 'stale' | 'unlisted-log' | 'no-digests';

export interface Problem {
  /** invalid: the AWS CLI reports it too; stricter: only trailproof does. */
  level: 'invalid' | 'stricter';
  file: FileType | 'chain';
  reason: InvalidReason | StricterReason;
  bucket?: string;
  key?: string;
  /** The file as a path or s3:// URL, or the chain, as messages name it. */
  where: string;
  message: string;
}

export interface FileVerdict {
  type: FileType;
  bucket: string;
  key: string;
  valid: boolean;
  reason?: InvalidReason;
}

export interface Gap {
  chain: string;
  backfill: boolean;
  /** No log files were delivered between these instants. */
  from: string;
  to: string;
}

export interface Count {
  valid: number;
  total: number;
}

export interface ChainReport {
  chain: ChainId;
  bucket: string;
  digests: Count;
  backfillDigests: Count;
  logs: Count;
  /** The span the valid digests cover, clamped to the requested range as the CLI reports it. */
  provenFrom: string | null;
  provenTo: string | null;
  newestDigestEnd: string | null;
}

export interface ValidationReport {
  requested: { from: string | null; to: string };
  proven: { from: string | null; to: string | null };
  summary: { digests: Count; backfillDigests: Count; logs: Count; invalid: number; stricter: number; gaps: number };
  chains: ChainReport[];
  problems: Problem[];
  gaps: Gap[];
  /** Every file's verdict, when asked for (verbose). */
  files?: FileVerdict[];
  /** The public keys trusted and where they came from (set by the caller that chose them). */
  trust?: LogKeysTrust;
}

export interface ValidateInput {
  store: ObjectStore;
  chains: { chain: ChainId; bucket: string }[];
  keys: PublicKeyEntry[];
  /** Where the keys came from, for the error when none covers the range. */
  keysSource: string;
  start: Date | undefined;
  end: Date;
  concurrency?: number;
  /** Fingerprints the auditor pinned: digests signed by any other key are invalid ('untrusted-key'). */
  pinned?: ReadonlySet<string>;
  /** Run the stricter checks (default true). */
  stricter?: boolean;
  /** The trail was logging up to `end`: a newest digest more than two hours older is a problem. */
  logging?: boolean;
  verbose?: boolean;
  /** Called as problems are found (for streaming lines). */
  onProblem?: (problem: Problem) => void;
  onProgress?: (done: { digests: number; logs: number }) => void;
}

const HOUR = 3600_000;
const STALE_AFTER = 2 * HOUR;

export async function validateChains(input: ValidateInput): Promise<ValidationReport> {
  const { store } = input;
  const stricter = input.stricter !== false;
  const pool = new Pool(Math.max(1, input.concurrency ?? 8));
  const problems: Problem[] = [];
  const gaps: Gap[] = [];
  const files: FileVerdict[] | undefined = input.verbose ? [] : undefined;
  const listedLogs = new Set<string>();
  const coverage = new Map<string, { chain: ChainId; bucket: string; from: Date; to: Date }>();
  const report = (p: Problem): void => {
    problems.push(p);
    input.onProblem?.(p);
  };
  const progress = { digests: 0, logs: 0 };
  const chains: ChainReport[] = [];

  for (const { chain, bucket } of input.chains) {
    const cr: ChainReport = {
      chain, bucket, digests: { valid: 0, total: 0 }, backfillDigests: { valid: 0, total: 0 }, logs: { valid: 0, total: 0 },
      provenFrom: null, provenTo: null, newestDigestEnd: null,
    };
    chains.push(cr);
    const listing = await listChainDigests(store, bucket, chain, input.start, input.end);
    const start = input.start ?? listing.standard[0]?.end ?? listing.backfill[0]?.end;
    if (start === undefined) continue;
    const keys = keysInRange(input.keys, start, new Date(input.end.getTime() + 2 * HOUR));
    // With pinned fingerprints the digests are judged one by one instead: a key outside the set is their problem.
    if (keys.size === 0 && listing.standard.length > 0 && input.pinned === undefined) {
      throw new TrailproofError('TP_USAGE', `${input.keysSource}: no public key is valid between ${iso(start)} and ${iso(new Date(input.end.getTime() + 2 * HOUR))} (give the ListPublicKeys output for that time range)`);
    }
    let provenFrom: Date | undefined;
    let provenTo: Date | undefined;
    let covered: { from: Date; to: Date } | undefined;

    const onValid = async (digest: LoadedDigest, backfill: boolean): Promise<void> => {
      const from = input.start !== undefined && digest.start < input.start ? input.start : digest.start;
      const to = digest.end > input.end ? input.end : digest.end;
      if (provenFrom === undefined || from < provenFrom) provenFrom = from;
      if (provenTo === undefined || to > provenTo) provenTo = to;
      covered = { from: covered === undefined || digest.start < covered.from ? digest.start : covered.from, to: covered === undefined || digest.end > covered.to ? digest.end : covered.to };
      if (!backfill && (cr.newestDigestEnd === null || digest.end.toISOString() > cr.newestDigestEnd)) cr.newestDigestEnd = digest.end.toISOString();
      if (stricter && digest.trailingBytes > 0) {
        report(stricterProblem(backfill ? 'backfill-digest' : 'digest', 'trailing-data', digest.bucket, digest.key, store.describe(digest.bucket, digest.key), `${digest.trailingBytes} bytes after the first gzip member`));
      }
      for (const entry of digest.logFiles) {
        if ('malformed' in entry) {
          cr.logs.total++;
          report({ level: 'invalid', file: 'log', reason: 'malformed', bucket: digest.bucket, key: digest.key, where: store.describe(digest.bucket, digest.key), message: `Digest file ${store.describe(digest.bucket, digest.key)}: INVALID log entry: ${entry.malformed}` });
          continue;
        }
        listedLogs.add(`${entry.s3Bucket}/${entry.s3Object}`);
        await pool.add(async () => {
          const verdict = await verifyLog(store, entry.s3Bucket, entry.s3Object, entry.hashValue);
          cr.logs.total++;
          progress.logs++;
          const where = store.describe(entry.s3Bucket, entry.s3Object);
          if (verdict.reason === undefined) cr.logs.valid++;
          else report({ level: 'invalid', file: 'log', reason: verdict.reason, bucket: entry.s3Bucket, key: entry.s3Object, where, message: `Log file ${where}: INVALID: ${verdict.detail}` });
          files?.push(fileVerdict('log', entry.s3Bucket, entry.s3Object, verdict.reason));
          if (stricter && verdict.reason === undefined) {
            if (verdict.trailingBytes > 0) report(stricterProblem('log', 'trailing-data', entry.s3Bucket, entry.s3Object, where, `${verdict.trailingBytes} bytes after the first gzip member (the hash covers the first member only)`));
            if (verdict.truncated) report(stricterProblem('log', 'truncated', entry.s3Bucket, entry.s3Object, where, 'the gzip member is cut short (no complete trailer)'));
          }
        });
      }
    };

    for (const backfill of [false, true]) {
      const lookup = {
        keys: backfill ? new Map<string, PublicKeyEntry>() : keys,
        backfillKeys: (at: Date) => keysInRange(input.keys, new Date(at.getTime() - HOUR), new Date(at.getTime() + HOUR)),
        region: chain.homeRegion,
        ...(input.pinned === undefined ? {} : { pinned: input.pinned }),
      };
      const walk = walkChain({ store, chain, bucket, range: { start, end: input.end }, lookup, backfill, listing: backfill ? listing.backfill : listing.standard });
      for await (const event of walk) await handle(event, backfill);
    }
    cr.provenFrom = provenFrom === undefined ? null : iso(provenFrom);
    cr.provenTo = provenTo === undefined ? null : iso(provenTo);
    if (covered !== undefined) {
      const at = locationKey(chain, bucket);
      const known = coverage.get(at);
      coverage.set(at, { chain, bucket, from: known && known.from < covered.from ? known.from : covered.from, to: known && known.to > covered.to ? known.to : covered.to });
    }
    if (stricter && input.logging === true) {
      const newest = cr.newestDigestEnd === null ? undefined : new Date(cr.newestDigestEnd);
      if (newest === undefined || input.end.getTime() - newest.getTime() > STALE_AFTER) {
        report(stricterProblem('chain', 'stale', undefined, undefined, describeChain(chain), `the newest digest ${newest === undefined ? 'is missing' : `ends ${iso(newest)}`}, more than 2 hours before ${iso(input.end)}, while the trail is logging (digests may have been deleted or delivery stopped)`));
      }
    }

    async function handle(event: ChainEvent, backfill: boolean): Promise<void> {
      const type: FileType = backfill ? 'backfill-digest' : 'digest';
      const count = backfill ? cr.backfillDigests : cr.digests;
      if (event.type === 'gap') {
        gaps.push({ chain: describeChain(chain), backfill, from: iso(event.from), to: iso(event.to) });
      } else if (event.type === 'cycle' || event.type === 'too-long') {
        // Not a verdict the AWS CLI gives (its walk would not end), but a chain that cannot be walked proves nothing.
        const detail = event.type === 'cycle'
          ? `digest ${event.newerKey} links back to ${event.key}, which the walk had already visited (a cycle of previous-digest links); the walk stops there`
          : `the walk reached its bound of ${event.limit} digests at ${event.key} and stopped; older digests are unproven`;
        report({ level: 'invalid', file: 'chain', reason: event.type === 'cycle' ? 'chain-cycle' : 'chain-too-long', bucket: event.bucket, key: event.key, where: store.describe(event.bucket, event.key), message: `Chain ${describeChain(chain)}: INVALID: ${detail}` });
      } else if (event.type === 'link-mismatch') {
        if (stricter) {
          const reason = event.field === 'previousDigestHashValue' ? 'previous-hash-mismatch' : 'previous-signature-mismatch';
          const what = event.field === 'previousDigestHashValue' ? 'SHA-256' : 'signature';
          report(stricterProblem(type, reason, event.bucket, event.key, store.describe(event.bucket, event.key), `its ${what} differs from ${event.field} in the next digest ${event.newerKey}`));
        }
      } else {
        count.total++;
        progress.digests++;
        input.onProgress?.(progress);
        const where = store.describe(event.bucket, event.key);
        const label = backfill ? '(backfill) Digest file' : 'Digest file';
        if (event.outcome.kind === 'valid') {
          count.valid++;
          files?.push(fileVerdict(type, event.bucket, event.key, undefined));
          await onValid(event.outcome.digest, backfill);
        } else {
          files?.push(fileVerdict(type, event.bucket, event.key, event.outcome.reason));
          report({ level: 'invalid', file: type, reason: event.outcome.reason, bucket: event.bucket, key: event.key, where, message: `${label} ${where}: INVALID: ${event.outcome.detail}` });
        }
      }
    }
  }
  await pool.drain();

  if (stricter) {
    for (const { chain, bucket, from, to } of coverage.values()) {
      for await (const key of store.list(bucket, `${logPrefix(chain)}/`)) {
        const log = parseLogKey(key);
        // A log delivered in the last minute of the covered span may be listed by the next digest.
        if (log === undefined || log.delivered < from || log.delivered.getTime() + 60_000 > to.getTime()) continue;
        if (!listedLogs.has(`${bucket}/${key}`)) {
          report(stricterProblem('log', 'unlisted-log', bucket, key, store.describe(bucket, key), `delivered ${iso(log.delivered)}, inside the span the digests cover, but listed in no digest`));
        }
      }
    }
    if (chains.every((c) => c.digests.total + c.backfillDigests.total === 0)) {
      report(stricterProblem('chain', 'no-digests', undefined, undefined, input.chains.length === 0 ? 'the log files' : input.chains.map((c) => describeChain(c.chain)).join('; '), `no digest files found between ${input.start === undefined ? 'the beginning' : iso(input.start)} and ${iso(input.end)}: nothing is proven`));
    }
  }
  return assemble(input, chains, problems, gaps, files);
}

async function verifyLog(store: ObjectStore, bucket: string, key: string, expected: string): Promise<{ reason?: InvalidReason; detail: string; trailingBytes: number; truncated: boolean }> {
  const object = await store.get(bucket, key, MAX_LOG_FILE_BYTES);
  if (object === undefined) return { reason: 'not-found', detail: 'not found', trailingBytes: 0, truncated: false };
  if (object.refused !== undefined) return { reason: 'refused', detail: `refused unread: ${object.refused}`, trailingBytes: 0, truncated: false };
  try {
    const member = await hashFirstMember(object.body);
    if (member.sha256 !== expected) return { reason: 'hash-mismatch', detail: `hash value doesn't match (digest lists ${expected}, the file hashes to ${member.sha256})`, trailingBytes: 0, truncated: false };
    return { detail: 'valid', trailingBytes: member.trailingBytes, truncated: member.truncated };
  } catch (err) {
    if (err instanceof GzipFormatError) return { reason: 'malformed', detail: `invalid format: ${err.message}`, trailingBytes: 0, truncated: false };
    throw err;
  }
}

function stricterProblem(file: Problem['file'], reason: StricterReason, bucket: string | undefined, key: string | undefined, where: string, detail: string): Problem {
  const label = file === 'chain' ? 'Chain' : file === 'log' ? 'Log file' : file === 'digest' ? 'Digest file' : '(backfill) Digest file';
  const p: Problem = { level: 'stricter', file, reason, where, message: `${label} ${where}: STRICTER: ${detail}` };
  if (bucket !== undefined) p.bucket = bucket;
  if (key !== undefined) p.key = key;
  return p;
}

function fileVerdict(type: FileType, bucket: string, key: string, reason: InvalidReason | undefined): FileVerdict {
  return reason === undefined ? { type, bucket, key, valid: true } : { type, bucket, key, valid: false, reason };
}

function locationKey(chain: ChainId, bucket: string): string {
  return `${bucket}|${chainKey({ ...chain, trail: '', homeRegion: '' })}`;
}

function assemble(input: ValidateInput, chains: ChainReport[], problems: Problem[], gaps: Gap[], files: FileVerdict[] | undefined): ValidationReport {
  const sum = (pick: (c: ChainReport) => Count): Count => chains.reduce((acc, c) => ({ valid: acc.valid + pick(c).valid, total: acc.total + pick(c).total }), { valid: 0, total: 0 });
  const froms = chains.map((c) => c.provenFrom).filter((v): v is string => v !== null).sort();
  const tos = chains.map((c) => c.provenTo).filter((v): v is string => v !== null).sort();
  const report: ValidationReport = {
    requested: { from: input.start === undefined ? null : iso(input.start), to: iso(input.end) },
    proven: { from: froms[0] ?? null, to: tos[tos.length - 1] ?? null },
    summary: {
      digests: sum((c) => c.digests),
      backfillDigests: sum((c) => c.backfillDigests),
      logs: sum((c) => c.logs),
      invalid: problems.filter((p) => p.level === 'invalid').length,
      stricter: problems.filter((p) => p.level === 'stricter').length,
      gaps: gaps.length,
    },
    chains,
    // Log files are verified in parallel: sort so the same files always give the same report.
    problems: [...problems].sort((a, b) => compareStrings(a.where, b.where) || compareStrings(a.reason, b.reason) || compareStrings(a.message, b.message)),
    gaps,
  };
  if (files !== undefined) report.files = [...files].sort((a, b) => compareStrings(a.type, b.type) || compareStrings(a.key, b.key));
  return report;
}

export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export { REASON_TEXT };
