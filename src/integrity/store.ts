// Where digest and log files are read from: a local copy of the bucket (the S3 delivery layout, with each
// digest's S3 metadata in a sidecar file), an evidence bundle's manifest (manifest-store.ts) or S3 itself
// (s3-store.ts). The validator only lists and gets. Keys come from digest content (log-file lists, previous-
// digest links), so a local get goes through the containment of src/evidence/contained.ts: a key that
// leads outside the folder, or names a FIFO, device or folder, is refused unread and the file fails.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TrailproofError, errorMessage } from '../errors.js';
import { ContainedRoot, readContained, readContainedSync } from '../evidence/contained.js';
import { MAX_LOG_FILE_BYTES } from './gzip.js';
import { SIDECAR_SUFFIX, compareStrings } from '../evidence/s3-layout.js';

/** A sidecar is a few hundred bytes of JSON. */
export const MAX_SIDECAR_BYTES = 64 * 1024;

export interface StoredObject {
  body: Buffer;
  /** The object's user metadata (`x-amz-meta-*` without the prefix, lower-case names). */
  metadata: Record<string, string>;
  /** Why the metadata could not be read (a local sidecar that is not valid JSON), when it could not. */
  metadataProblem?: string;
  /** Why the object was not read (a key leading outside the copy, not a regular file, past a size bound). */
  refused?: string;
}

export interface ObjectStore {
  /** Keys under a prefix in S3 order (ascending by UTF-8 bytes), after `startAfter` when given. */
  list(bucket: string, prefix: string, startAfter?: string): AsyncIterable<string>;
  /**
   * The object, or undefined when there is no such key; `refused` set (and no body) when it may not be read
   * or is larger than `maxBytes` (default: the log-file bound). Other failures throw (unreadable input).
   */
  get(bucket: string, key: string, maxBytes?: number): Promise<StoredObject | undefined>;
  /** How messages name an object: a local path or s3://bucket/key. */
  describe(bucket: string, key: string): string;
}

/**
 * A local copy of a log bucket: DIR holds `[prefix/]AWSLogs/...` as S3 delivered it. The copy stands for
 * every bucket a chain names (a chain that moved between buckets is read from the one folder), so buckets
 * are compared with the digests' own fields, not with the folder.
 */
export class LocalStore implements ObjectStore {
  private keys: string[] | undefined;
  /** Keys that have a sidecar, found by the same walk: no failed open per log file. */
  private readonly sidecars = new Set<string>();

  /** Folders resolved once per run: the copy is not expected to change while it is validated. */
  private readonly root: ContainedRoot;

  constructor(readonly dir: string, private readonly shownAs: string = dir) {
    this.root = new ContainedRoot(dir);
  }

  /** Every object key in the copy (sidecars excluded), sorted. */
  allKeys(): string[] {
    if (this.keys === undefined) {
      const out: string[] = [];
      const walk = (dir: string): void => {
        let entries;
        try {
          entries = readdirSync(dir, { withFileTypes: true });
        } catch (err) {
          throw new TrailproofError('TP_USAGE', `cannot read log folder ${dir}: ${errorMessage(err)}`);
        }
        for (const entry of entries) {
          const full = join(dir, entry.name);
          if (entry.isDirectory()) walk(full);
          else if (!entry.isFile()) continue;
          else if (entry.name.endsWith(SIDECAR_SUFFIX)) this.sidecars.add(relative(this.dir, full).split(sep).join('/').slice(0, -SIDECAR_SUFFIX.length));
          else out.push(relative(this.dir, full).split(sep).join('/'));
        }
      };
      walk(this.dir);
      this.keys = out.sort(compareStrings);
    }
    return this.keys;
  }

  async *list(_bucket: string, prefix: string, startAfter?: string): AsyncIterable<string> {
    for (const key of this.allKeys()) {
      if (key.startsWith(prefix) && (startAfter === undefined || key > startAfter)) yield key;
    }
  }

  async get(_bucket: string, key: string, maxBytes: number = MAX_LOG_FILE_BYTES): Promise<StoredObject | undefined> {
    const read = await readContained(this.root, key, maxBytes);
    if (read.kind === 'missing') return undefined;
    if (read.kind === 'refused') return { body: Buffer.alloc(0), metadata: {}, refused: read.reason };
    const object: StoredObject = { body: read.bytes, metadata: {} };
    this.allKeys();
    if (!this.sidecars.has(key)) return object;
    const sidecar = readSidecar(this.root, `${key}${SIDECAR_SUFFIX}`, this.describe('', `${key}${SIDECAR_SUFFIX}`));
    if (typeof sidecar === 'string') object.metadataProblem = sidecar;
    else if (sidecar !== undefined) object.metadata = sidecar;
    return object;
  }

  describe(_bucket: string, key: string): string {
    return join(this.shownAs, ...key.split('/'));
  }
}

/** A sidecar's metadata, undefined when there is none, or a string saying why it is unusable. */
function readSidecar(dir: ContainedRoot, rel: string, shown: string): Record<string, string> | string | undefined {
  const read = readContainedSync(dir, rel, MAX_SIDECAR_BYTES);
  if (read.kind === 'missing') return undefined;
  if (read.kind === 'refused') return `metadata sidecar ${shown} was not read: ${read.reason}`;
  return sidecarMetadata(read.bytes.toString('utf8'), shown);
}

/** The metadata a sidecar's text holds, or a string saying why it is unusable. */
export function sidecarMetadata(text: string, shown: string): Record<string, string> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `metadata sidecar ${shown} is not valid JSON (${errorMessage(err)})`;
  }
  return sidecarMetadataOf(value, shown);
}

/** The metadata of a parsed sidecar, or a string saying why it is unusable. */
export function sidecarMetadataOf(value: unknown, shown: string): Record<string, string> | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `metadata sidecar ${shown} is not a JSON object`;
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    // Sidecars written from a GetObject response may keep the header form of the names.
    if (typeof v === 'string') metadata[k.toLowerCase().replace(/^x-amz-meta-/, '')] = v;
  }
  return metadata;
}
