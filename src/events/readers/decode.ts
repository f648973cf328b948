// Turns a unit into CloudTrail records, handing each to a callback: a log file is inflated (gzip is known by
// its magic number, not its name), then either read in batches of records of which a selector picks those to
// parse (a scan with the prefilter), or parsed whole (a delivered file is a few MB at most; JSON.parse of the
// whole text is several times faster than any streaming parser in JavaScript); a LookupEvents.jsonl is read
// line by line, each line bounded. A file that cannot be read is reported by name with the reason, and
// skipped; a record or line that cannot be read (bad JSON, nested past MAX_RECORD_DEPTH, a line past
// MAX_JSONL_LINE_BYTES) is reported by file and place, and the rest of the file goes on.
import { isAscii } from 'node:buffer';
import { createHash, type Hash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { errorMessage } from '../../errors.js';
import { TOO_DEEP, textTooDeep, valueTooDeep } from '../depth.js';
import type { Selection } from '../prefilter.js';
import type { CloudTrailRecord } from '../record.js';
import { recordBatches, recordRange } from './batches.js';
import { openRegularFile, readWhole } from './open.js';
import type { LogUnit, SkippedInput } from './types.js';

/**
 * Size past which a log file is refused rather than held in memory, as stored and inflated (CloudTrail's
 * files are a few MB): checked before a local file is read, and as gzip inflates, whatever its trailer says.
 */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;

/** Longest LookupEvents.jsonl line read (an Event is a few KB); a longer one is skipped as that line's problem. */
export const MAX_JSONL_LINE_BYTES = 16 * 1024 * 1024;

const MIB = 1024 * 1024;

/**
 * A unit's buffers (as read and inflated) are released as soon as it is done with them (release() below) when
 * it inflated to at least this much: the processing of a file that large allocates enough for its buffers to
 * outlive a few minor collections. A smaller file's buffers die young, and the release (a structured clone to
 * detach the buffer, ~25 us) cost more than it saved: on bench:scan's small-file corpus (files of 50 records,
 * ~66 KB inflated) it was 2 % of the scan's CPU.
 */
export const RELEASE_MIN_BYTES = 1024 * 1024;

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
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`larger than ${MAX_INFLATED_BYTES / MIB} MiB inflated (MAX_INFLATED_BYTES)`, { cause: err });
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
    if (!isObject(record)) bad++;
    else if (valueTooDeep(record)) {
      stats.problems.push({ name: `${name}: record ${i}`, reason: TOO_DEEP, events: 1 });
      stats.events++;
    } else onRecord(record as CloudTrailRecord, stats.events++);
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
      for (let i = 0; i < picked.length; i++) {
        const record = picked[i];
        const ordinal = base - first + (selection.candidates[i] as number);
        if (record === TOO_DEEP_RECORD) stats.problems.push({ name: `${name}: record ${ordinal}`, reason: TOO_DEEP, events: 1 });
        else onRecord(record as CloudTrailRecord, ordinal, selection.possible[i]);
      }
    }
    return;
  }
  emitLogFile(bytes.toString(encoding), onRecord, stats, name);
}

/** Stands for a picked record refused for its depth (TOO_DEEP), never parsed. */
const TOO_DEEP_RECORD: CloudTrailRecord = Object.freeze({});

/**
 * The picked records parsed (TOO_DEEP_RECORD for one nested too deep), or null when one is not a JSON
 * object (the split was wrong: parse the file whole).
 */
function parseSelected(text: string, selection: Selection): CloudTrailRecord[] | null {
  const { candidates, starts, ends } = selection;
  const out = new Array<CloudTrailRecord>(candidates.length);
  for (let i = 0; i < candidates.length; i++) {
    const r = candidates[i] as number;
    const start = starts[r] as number;
    const end = ends[r] as number;
    if (textTooDeep(text, start, end)) {
      out[i] = TOO_DEEP_RECORD;
      continue;
    }
    let record: unknown;
    try {
      record = JSON.parse(text.slice(start, end));
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

/** Releases a unit's buffers once it is done with them, when it was large (RELEASE_MIN_BYTES). */
function releaseUnit(raw: Buffer, inflated: Buffer): void {
  if (inflated.length < RELEASE_MIN_BYTES) return;
  release(inflated);
  if (inflated !== raw) release(raw);
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
    if (textTooDeep(text)) throw new Error(`CloudTrailEvent ${TOO_DEEP}`);
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

/**
 * The lines of a stream (LF or CRLF), each at most `max` bytes: a longer line comes as null with its length,
 * its bytes dropped as they arrive (never held), and the lines after it come as usual.
 */
export async function* boundedLines(input: AsyncIterable<Buffer>, max: number): AsyncGenerator<{ line: Buffer | null; bytes: number }> {
  let parts: Buffer[] = [];
  let held = 0;
  let length = 0;
  let over = false;
  const take = (piece: Buffer): void => {
    length += piece.length;
    if (over) return;
    if (held + piece.length > max) {
      over = true;
      parts = [];
      held = 0;
      return;
    }
    parts.push(piece);
    held += piece.length;
  };
  const finish = (): { line: Buffer | null; bytes: number } => {
    let line: Buffer | null = null;
    if (!over) {
      line = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, held);
      if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    }
    const out = { line, bytes: length };
    parts = [];
    held = 0;
    length = 0;
    over = false;
    return out;
  };
  for await (const chunk of input) {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a, from); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      take(chunk.subarray(from, nl));
      yield finish();
      from = nl + 1;
    }
    if (from < chunk.length) take(chunk.subarray(from));
  }
  if (length > 0 || over) yield finish();
}

/** A LookupEvents line as a record; throws what is wrong with it. */
function lookupLine(text: string, where: { account?: string; region?: string }): CloudTrailRecord {
  if (textTooDeep(text)) throw new Error(TOO_DEEP);
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (err) {
    throw new Error(jsonProblem(err), { cause: err });
  }
  if (!isObject(event)) throw new Error('not a LookupEvents Event object');
  try {
    return recordFromLookupEvent(event, where);
  } catch (err) {
    throw err instanceof SyntaxError ? new Error(`CloudTrailEvent: ${jsonProblem(err)}`, { cause: err }) : err;
  }
}

async function emitJsonl(path: string, name: string, where: { account?: string; region?: string }, onRecord: RecordCallback, stats: DecodeStats, hash: Hash | undefined): Promise<void> {
  const handle = await openRegularFile(path);
  try {
    const input = handle.createReadStream({ autoClose: false, highWaterMark: 256 * 1024 });
    if (hash !== undefined) input.on('data', (chunk) => hash.update(chunk));
    let n = 0;
    for await (const { line, bytes } of boundedLines(input, MAX_JSONL_LINE_BYTES)) {
      n++;
      stats.bytes += bytes + 1;
      if (line === null) {
        stats.problems.push({ name: `${name}:${n}`, reason: `line of ${(bytes / MIB).toFixed(1)} MiB, longer than ${MAX_JSONL_LINE_BYTES / MIB} MiB (MAX_JSONL_LINE_BYTES)`, events: 1 });
        continue;
      }
      const text = line.toString('utf8');
      if (text.trim() === '') continue;
      let record: CloudTrailRecord;
      try {
        record = lookupLine(text, where);
      } catch (err) {
        stats.problems.push({ name: `${name}:${n}`, reason: errorMessage(err), events: 1 });
        continue;
      }
      onRecord(record, stats.events++);
    }
  } finally {
    await handle.close();
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
        const raw = await readWhole(unit.path, MAX_INFLATED_BYTES, 'MAX_INFLATED_BYTES', unit.size);
        if (unit.sha256 !== undefined && createHash('sha256').update(raw).digest('hex') !== unit.sha256) stats.modified.push(unit.name);
        const inflated = inflate(raw);
        stats.bytes = inflated.length;
        emitLogBytes(inflated, select, guarded, stats, unit.name);
        releaseUnit(raw, inflated);
        break;
      }
      case 'bytes': {
        const raw = Buffer.from(unit.bytes.buffer, unit.bytes.byteOffset, unit.bytes.byteLength);
        if (raw.length > MAX_INFLATED_BYTES) throw new Error(`${(raw.length / MIB).toFixed(1)} MiB, larger than ${MAX_INFLATED_BYTES / MIB} MiB (MAX_INFLATED_BYTES)`);
        const inflated = inflate(raw);
        stats.bytes = inflated.length;
        emitLogBytes(inflated, select, guarded, stats, unit.name);
        // The unit's bytes are this reader's alone (moved to this thread, or read for it).
        releaseUnit(raw, inflated);
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
        for (const record of unit.records) {
          if (valueTooDeep(record)) stats.problems.push({ name: `${unit.name}: record ${stats.events}`, reason: TOO_DEEP, events: 1 });
          else guarded(record, stats.events);
          stats.events++;
        }
        break;
    }
  } catch (err) {
    if (err instanceof CallbackFailure) throw err.cause;
    stats.problems.push({ name: unit.name, reason: errorMessage(err), events: null });
  }
  return stats;
}
