// The log and digest files of an evidence bundle as an ObjectStore, backed by the manifest and not by the
// disk: the listing is the manifest's keys under logs/ (a file dropped beside them is never listed), a get
// serves only a listed file, read through the containment of src/evidence/contained.ts and checked against
// the manifest's SHA-256 as it is read. A listed file that is missing reads as not found, one that is unsafe
// to read (a symlink out of the bundle, a FIFO, past the size bound) as refused, and one whose bytes no
// longer match the manifest is served as it is (the digest then judges it) and marked modified on the
// bundle, so the audit refuses the evidence as it refuses any modified file.
import type { Bundle } from '../evidence/bundle.js';
import { sha256 } from '../evidence/bundle.js';
import { ContainedRoot, pathProblem, readContained } from '../evidence/contained.js';
import { MAX_LOG_FILE_BYTES } from './gzip.js';
import { SIDECAR_SUFFIX, compareStrings } from '../evidence/s3-layout.js';
import { sidecarMetadataOf, type ObjectStore, type StoredObject } from './store.js';

export const LOGS_FOLDER = 'logs';

export class ManifestStore implements ObjectStore {
  private readonly keys: string[];
  private readonly listed: ReadonlySet<string>;
  private readonly root: ContainedRoot;

  constructor(private readonly bundle: Bundle) {
    const prefix = `${LOGS_FOLDER}/`;
    const keys = bundle.files().filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
    this.listed = new Set(keys);
    this.root = new ContainedRoot(bundle.dir);
    this.keys = keys.filter((k) => !k.endsWith(SIDECAR_SUFFIX)).sort(compareStrings);
  }

  async *list(_bucket: string, prefix: string, startAfter?: string): AsyncIterable<string> {
    for (const key of this.keys) {
      if (key.startsWith(prefix) && (startAfter === undefined || key > startAfter)) yield key;
    }
  }

  async get(_bucket: string, key: string, maxBytes: number = MAX_LOG_FILE_BYTES): Promise<StoredObject | undefined> {
    // A key from digest content that would climb out is refused as such, not merely "not found".
    const problem = pathProblem(key);
    if (problem !== undefined) return { body: Buffer.alloc(0), metadata: {}, refused: `${problem}: it would resolve outside the bundle's ${LOGS_FOLDER}/` };
    if (!this.listed.has(key)) return undefined;
    const body = await this.readListed(key, maxBytes);
    if (typeof body === 'string') return { body: Buffer.alloc(0), metadata: {}, refused: body };
    if (body === undefined) return undefined;
    const object: StoredObject = { body, metadata: {} };
    const sidecarKey = `${key}${SIDECAR_SUFFIX}`;
    if (!this.listed.has(sidecarKey)) return object;
    // The sidecar was read and parsed when the bundle was opened (it is a listed .json file).
    const read = this.bundle.read<unknown>(`${LOGS_FOLDER}/${sidecarKey}`);
    if (read.kind === 'missing') {
      const refusal = this.bundle.integrity.refused?.find((r) => r.file === `${LOGS_FOLDER}/${sidecarKey}`);
      if (refusal !== undefined) object.metadataProblem = `metadata sidecar ${this.describe('', sidecarKey)} was not read: ${refusal.reason}`;
      return object;
    }
    const metadata = read.kind === 'ok' ? sidecarMetadataOf(read.value, this.describe('', sidecarKey)) : `metadata sidecar ${this.describe('', sidecarKey)} holds an error document`;
    if (typeof metadata === 'string') object.metadataProblem = metadata;
    else object.metadata = metadata;
    return object;
  }

  describe(_bucket: string, key: string): string {
    return `${LOGS_FOLDER}/${key}`;
  }

  /** The listed file's bytes, undefined when missing, or why it was refused. */
  private async readListed(key: string, maxBytes: number): Promise<Buffer | string | undefined> {
    const file = `${LOGS_FOLDER}/${key}`;
    const read = await readContained(this.root, file, maxBytes);
    if (read.kind === 'missing') return undefined;
    if (read.kind === 'refused') return read.reason;
    if (sha256(read.bytes) !== this.bundle.manifest.files[file]) this.bundle.markModified(file);
    return read.bytes;
  }
}
