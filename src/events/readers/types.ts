// What the readers hand the scan pipeline: units of work (a log file, a LookupEvents file, an object's bytes,
// a page of live events), each small enough to parse whole, in an order close to event time. A unit is plain
// data so it can be posted to a worker thread; the records it holds are parsed where the unit is processed.
import type { CloudTrailRecord } from '../record.js';

interface UnitBase {
  /** How the unit is named in messages and the skipped list: a path relative to the source, an s3:// URL. */
  name: string;
  /** Bytes as stored (compressed size for .gz), for throughput figures. */
  size: number;
  /**
   * When CloudTrail delivered the file (from its name, minute precision, epoch ms), or null when unknown.
   * Every event in the file happened before it; the pipeline orders correlation input by it.
   */
  delivered: number | null;
  /** The SHA-256 (hex) a bundle's manifest lists for the file: checked as it is read. */
  sha256?: string;
}

/** A local log file (.json.gz or .json) with a `Records` array. */
export interface FileUnit extends UnitBase {
  kind: 'file';
  path: string;
}

/** A bundle's LookupEvents.jsonl: one LookupEvents `Event` per line. */
export interface JsonlUnit extends UnitBase {
  kind: 'jsonl';
  path: string;
  /** The account and region the file was collected in (from its bundle path), for Events without CloudTrailEvent. */
  account?: string;
  region?: string;
}

/** An object read from S3 as stored: a log file, gzip or plain JSON (decodeUnit inflates it where it parses it). */
export interface BytesUnit extends UnitBase {
  kind: 'bytes';
  bytes: Uint8Array;
}

/** Records that came from an API (live LookupEvents), already in the record shape. */
export interface RecordsUnit extends UnitBase {
  kind: 'records';
  records: CloudTrailRecord[];
}

export type LogUnit = FileUnit | JsonlUnit | BytesUnit | RecordsUnit;

/** A file or line that could not be read; the rest of the scan goes on without it. */
export interface SkippedInput {
  name: string;
  reason: string;
  /** Events lost when known (a bad line is one event); null when the whole file is lost. */
  events: number | null;
}

/** What to read: the instants, accounts and regions asked for. Empty lists mean all. */
export interface ScanScope {
  /** First instant included, epoch ms, or null. */
  from: number | null;
  /** Last instant included, epoch ms, or null. */
  to: number | null;
  accounts: string[];
  regions: string[];
}

export const FULL_SCOPE: ScanScope = { from: null, to: null, accounts: [], regions: [] };

export interface Pruned {
  folders: number;
  files: number;
}

/** A source of units, in dispatch order. Listing and prefetching stay bounded. */
export interface LogSource {
  /** Describes the source for the summary: `logs DIR`, `s3://bucket/prefix`, `bundle DIR`, `LookupEvents`. */
  describe: string;
  units(): AsyncIterable<LogUnit>;
  /** Inputs the source itself could not read (a listing that failed, a file that vanished). */
  skipped(): SkippedInput[];
  /** Folders and files the source left out by their key, unopened (date, account or region out of scope). */
  pruned(): Pruned;
  /**
   * Whether one event can come twice (two trails deliver the same account and region, LookupEvents beside
   * the logs, loose files): then the scan drops second copies. Known once the first unit is out.
   */
  mayRepeat(): boolean;
}
