// Turns a unit into CloudTrail records, handing each to a callback: a log file is inflated (gzip is known by
// its magic number, not its name), then either read in batches of records of which a selector picks those to
// parse (a scan with the prefilter), or parsed whole (a delivered file is a few MB at most; JSON.parse of the
// whole text is several times faster than any streaming parser in JavaScript); a LookupEvents.jsonl is read
// line by line. A file that cannot be read is reported by name with the reason, and skipped.
import { isAscii } from 'node:buffer';
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { gunzipSync } from 'node:zlib';
import { errorMessage } from '../../errors.js';
import type { Selection } from '../prefilter.js';
import type { CloudTrailRecord } from '../record.js';
import { recordBatches, recordRange } from './batches.js';
import type { LogUnit, SkippedInput } from './types.js';

/** Inflated size past which a file is refused rather than held in memory (CloudTrail's files are far smaller). */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;

/** Buffers this large have an ArrayBuffer of their own (Node pools only those under 4 KB). */
const OWN_BUFFER_BYTES = 64 * 1024;

export interface DecodeStats {
  /** Events handed to the callback. */
  events: number;
  /** JSON text parsed, in bytes. */
  bytes: number;
  problems: SkippedInput[];
  /** Files whose SHA-256 differs from the one the bundle manifest lists (read all the same). */
  modified: string[];
  /** Records a selector left unparsed that it counted in scope (see Selection.unparsedInScope). */
  unparsedInScope: number;
}

/**
 * `ordinal`: the record's place among the unit's records (0-based), whether or not the others are handed
 * over; `possible`: from a selector, the rules the record could match (see Selection.possible).
 */
export type RecordCallback = (record: CloudTrailRecord, ordinal: number, possible?: Uint8Array | null) => void;

/**
 * Picks the records worth parsing (see prefilter.ts) in a batch of a log file's records (`{...},{...}`, as
 * CloudTrail joins them). `ascii`: the text holds no character above 0x7f.
 */
export type RecordSelector = (text: string, ascii: boolean) => Selection;

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Why JSON text is not a log file, in a few words. */
function jsonProblem(err: unknown): string {
  return `bad JSON: ${errorMessage(err).replace(/^JSON\.parse: /, '').split('\n')[0] ?? ''}`;
}

/**
 * Inflates on the calling thread: it runs on a worker whose job this is, and the asynchronous form would
 * only add a callback per 16 KB chunk and a copy (a log file inflates to a few MB).
 */
function inflate(bytes: Buffer): Buffer {
  if (!isGzip(bytes)) return bytes;
  try {
    // The trailer's last four bytes give the inflated size (mod 4 GiB): one output chunk of that size spares
    // the copy that joins chunks (for a 200 MB file, chunks of a smaller cap and their join held 400 MB at
    // once). Trusted only as a size hint, capped at the refusal size: a trailer that lies low costs a copy,
    // one that lies high costs address space only (the pages never written are never resident).
    const hint = bytes.length >= 18 ? bytes.readUInt32LE(bytes.length - 4) + 1 : 0;
    const chunkSize = Math.min(Math.max(hint, 64 * 1024), MAX_INFLATED_BYTES + 1);
    return gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES, chunkSize });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`larger than ${MAX_INFLATED_BYTES / 1024 / 1024} MiB inflated`, { cause: err });
    throw new Error(`bad gzip: ${errorMessage(err)}`, { cause: err });
  }
}

/**
 * Parses a log file's text and hands over its Records (those from ordinal `from` on: the ones before were
 * handed over already); returns the problem when it is not a log file.
 */
function emitLogFile(text: string, onRecord: RecordCallback, stats: DecodeStats, name: string, from = 0): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    // From a batch on (see emitLogBytes), the records before it were handed over already: say so.
    stats.problems.push({ name, reason: jsonProblem(err) + (from > 0 ? ` (its first ${from} records were read)` : ''), events: null });
    return;
  }
  const records = isObject(doc) ? doc['Records'] : undefined;
  if (!Array.isArray(records)) {
    stats.problems.push({ name, reason: 'not a CloudTrail log file: no Records array', events: null });
    return;
  }
  let bad = 0;
  for (let i = from; i < records.length; i++) {
    const record: unknown = records[i];
    if (isObject(record)) onRecord(record as CloudTrailRecord, stats.events++);
    else bad++;
  }
  if (bad > 0) stats.problems.push({ name, reason: `${bad} record(s) that are not JSON objects`, events: bad });
}

/**
 * A log file's bytes. With a selector and a file in CloudTrail's form, the records are read a batch at a
 * time (readers/batches.ts) and only those the selector picks are parsed and handed over; each batch is
 * parsed before any of its records is handed over, so a pick that does not parse (the split was wrong) falls
 * back to parsing the file whole from that batch on, with nothing handed twice. Otherwise the file is
 * parsed whole.
 */
function emitLogBytes(bytes: Buffer, select: RecordSelector | undefined, onRecord: RecordCallback, stats: DecodeStats, name: string): void {
  // Pure ASCII (nearly every log file) decodes as Latin-1 to the same text, several times faster than UTF-8.
  const ascii = isAscii(bytes);
  const encoding = ascii ? 'latin1' : 'utf8';
  const range = select === undefined ? null : recordRange(bytes);
  if (select !== undefined && range !== null) {
    const first = stats.events;
    for (const [start, end] of recordBatches(bytes, range.from, range.to)) {
      const text = bytes.toString(encoding, start, end);
      const selection = select(text, ascii);
      const picked = parseSelected(text, selection);
      if (picked === null) {
        emitLogFile(bytes.toString(encoding), onRecord, stats, name, stats.events - first);
        return;
      }
      const base = stats.events;
      stats.events += selection.count;
      stats.unparsedInScope += selection.unparsedInScope ?? selection.count - picked.length;
      for (let i = 0; i < picked.length; i++) onRecord(picked[i] as CloudTrailRecord, base - first + (selection.candidates[i] as number), selection.possible[i]);
    }
    return;
  }
  emitLogFile(bytes.toString(encoding), onRecord, stats, name);
}

/** The picked records parsed, or null when one is not a JSON object (the split was wrong: parse the file whole). */
function parseSelected(text: string, selection: Selection): CloudTrailRecord[] | null {
  const { candidates, starts, ends } = selection;
  const out = new Array<CloudTrailRecord>(candidates.length);
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i] as number;
    let record: unknown;
    try {
      record = JSON.parse(text.slice(starts[r], ends[r]));
    } catch {
      return null;
    }
    if (!isObject(record)) return null;
    out[i] = record as CloudTrailRecord;
  }
  return out;
}

/**
 * Frees a buffer we own and are done with now, rather than at the next full collection. A buffer that lived
 * through a few minor collections (a file's bytes do, while its records are parsed) is freed only when a
 * full collection finds it dead, and a worker reading file after file piles up hundreds of MB of them in
 * between. Moving the memory to a fresh ArrayBuffer nobody holds lets the next minor collection free it.
 */
function release(bytes: Buffer): void {
  const { buffer } = bytes;
  // Small buffers may be slices of Node's shared pool, which must not be taken from its other users.
  if (buffer instanceof ArrayBuffer && buffer.byteLength >= OWN_BUFFER_BYTES) structuredClone(buffer, { transfer: [buffer] });
}

function iso(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString().replace(/\.000Z$/, 'Z');
  return undefined;
}

/**
 * A LookupEvents `Event` as a record: its `CloudTrailEvent` text parsed, or, when that is missing, the
 * record rebuilt from the Event's own fields (eventID, eventName, eventTime, eventSource, user name).
 */
export function recordFromLookupEvent(event: Record<string, unknown>, where: { account?: string; region?: string } = {}): CloudTrailRecord {
  const text = event['CloudTrailEvent'];
  if (typeof text === 'string' && text !== '') {
    const parsed: unknown = JSON.parse(text);
    if (!isObject(parsed)) throw new Error('CloudTrailEvent is not a JSON object');
    return parsed as CloudTrailRecord;
  }
  const record: CloudTrailRecord = {};
  const put = (key: string, value: unknown): void => {
    if (value !== undefined && value !== null) record[key] = value;
  };
  put('eventID', event['EventId']);
  put('eventName', event['EventName']);
  put('eventTime', iso(event['EventTime']));
  put('eventSource', event['EventSource']);
  if (typeof event['ReadOnly'] === 'string') record.readOnly = event['ReadOnly'] === 'true';
  const identity: Record<string, unknown> = {};
  if (typeof event['Username'] === 'string') identity['userName'] = event['Username'];
  if (typeof event['AccessKeyId'] === 'string') identity['accessKeyId'] = event['AccessKeyId'];
  if (Object.keys(identity).length > 0) record.userIdentity = identity;
  put('awsRegion', where.region);
  put('recipientAccountId', where.account);
  const resources = event['Resources'];
  if (Array.isArray(resources)) {
    record.resources = resources.filter(isObject).map((r) => ({ ARN: String(r['ResourceName'] ?? ''), type: String(r['ResourceType'] ?? '') }));
  }
  return record;
}

async function emitJsonl(path: string, name: string, where: { account?: string; region?: string }, onRecord: RecordCallback, stats: DecodeStats, hash: Hash | undefined): Promise<void> {
  const input = createReadStream(path);
  if (hash !== undefined) input.on('data', (chunk) => hash.update(chunk));
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    stats.bytes += Buffer.byteLength(line) + 1;
    if (line.trim() === '') continue;
    let record: CloudTrailRecord;
    try {
      const event: unknown = JSON.parse(line);
      if (!isObject(event)) throw new Error('not a LookupEvents Event object');
      record = recordFromLookupEvent(event, where);
    } catch (err) {
      stats.problems.push({ name: `${name}:${n}`, reason: err instanceof SyntaxError ? jsonProblem(err) : errorMessage(err), events: 1 });
      continue;
    }
    onRecord(record, stats.events++);
  }
}

/** Carries a throw of the caller's callback past the "file is unreadable" handling: that is a bug, not a bad file. */
class CallbackFailure extends Error {}

/**
 * Hands every record of a unit to onRecord (with `select`, only the records of log files it picks, though
 * all are counted); what could not be read is in the returned problems.
 */
export async function decodeUnit(unit: LogUnit, onRecord: RecordCallback, select?: RecordSelector): Promise<DecodeStats> {
  const stats: DecodeStats = { events: 0, bytes: 0, problems: [], modified: [], unparsedInScope: 0 };
  const guarded: RecordCallback = (record, ordinal, possible) => {
    try {
      onRecord(record, ordinal, possible);
    } catch (err) {
      throw new CallbackFailure('record callback failed', { cause: err });
    }
  };
  try {
    switch (unit.kind) {
      case 'file': {
        const raw = await readFile(unit.path);
        if (unit.sha256 !== undefined && createHash('sha256').update(raw).digest('hex') !== unit.sha256) stats.modified.push(unit.name);
        const inflated = inflate(raw);
        stats.bytes = inflated.length;
        emitLogBytes(inflated, select, guarded, stats, unit.name);
        release(inflated);
        if (inflated !== raw) release(raw);
        break;
      }
      case 'bytes': {
        const raw = Buffer.from(unit.bytes.buffer, unit.bytes.byteOffset, unit.bytes.byteLength);
        const inflated = inflate(raw);
        stats.bytes = inflated.length;
        emitLogBytes(inflated, select, guarded, stats, unit.name);
        // The unit's bytes are this reader's alone (moved to this thread, or read for it).
        release(inflated);
        if (inflated !== raw) release(raw);
        break;
      }
      case 'jsonl': {
        const where: { account?: string; region?: string } = {};
        if (unit.account !== undefined) where.account = unit.account;
        if (unit.region !== undefined) where.region = unit.region;
        const hash = unit.sha256 === undefined ? undefined : createHash('sha256');
        await emitJsonl(unit.path, unit.name, where, guarded, stats, hash);
        if (hash !== undefined && hash.digest('hex') !== unit.sha256) stats.modified.push(unit.name);
        break;
      }
      case 'records':
        for (const record of unit.records) guarded(record, stats.events++);
        break;
    }
  } catch (err) {
    if (err instanceof CallbackFailure) throw err.cause;
    stats.problems.push({ name: unit.name, reason: errorMessage(err), events: null });
  }
  return stats;
}
