// Reads an evidence bundle (CONTRACT section 2): validates the manifest, checks every file's SHA-256 against
// it, parses the JSON responses once, and answers typed reads that say ok, missing or error.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TrailproofError, errorMessage } from '../errors.js';
import type { EvidenceRef, IntegrityReport } from '../model/types.js';
import { validateManifest, type Manifest } from './manifest.js';

/** Where a read came from: enough to build an EvidenceRef for any JSON Pointer into it. */
export interface Source {
  file: string;
  sha256: string;
  tampered: boolean;
}

export type Read<T> =
  | { kind: 'ok'; value: T; source: Source }
  | { kind: 'missing'; file: string }
  | { kind: 'error'; error: { name: string; message: string }; source: Source };

export function evidenceRef(source: Source, pointer = ''): EvidenceRef {
  const ref: EvidenceRef = { file: source.file, sha256: source.sha256, pointer };
  if (source.tampered) ref.tampered = true;
  return ref;
}

/** The ref a read offers: the file (and pointer) for ok and error reads, nothing for a missing one. */
export function readRef(read: Read<unknown>, pointer = ''): EvidenceRef[] {
  return read.kind === 'missing' ? [] : [evidenceRef(read.source, read.kind === 'error' ? '/$error' : pointer)];
}

/** One line that says why a read is not usable, naming the call (file) and error. */
export function describeUnusable(read: Exclude<Read<unknown>, { kind: 'ok' }>): string {
  return read.kind === 'missing'
    ? `${read.file} is missing from the bundle (call not collected)`
    : `${read.source.file} holds a failed call: ${read.error.name}: ${read.error.message}`;
}

export interface OpenOptions {
  /** Recorded in the integrity report: the caller accepts files that do not match the manifest. */
  allowModified?: boolean;
}

export class Bundle {
  private constructor(
    readonly dir: string,
    readonly manifest: Manifest,
    readonly manifestSha256: string,
    private readonly parsed: Map<string, unknown>,
    private readonly hashes: Map<string, string>,
    private readonly modified: Set<string>,
    readonly integrity: IntegrityReport,
  ) {}

  /**
   * Opens a bundle. Files that do not match the manifest are not fatal here: reads of them are marked
   * tampered and `integrity` lists them, so the caller can finish the audit and then refuse it (exit 2).
   * Only files the manifest lists are ever read, so a file added to the folder cannot change a verdict
   * (and the folder is not walked: a walk costs seconds on an organization of a thousand accounts).
   */
  static open(dir: string, options: OpenOptions = {}): Bundle {
    const manifestPath = join(dir, 'manifest.json');
    let manifestBytes: Buffer;
    try {
      if (!statSync(dir).isDirectory()) throw new Error('not a directory');
      manifestBytes = readFileSync(manifestPath);
    } catch (err) {
      throw new TrailproofError('TP_BUNDLE_UNREADABLE', `cannot read evidence bundle ${dir}: ${manifestPath}: ${errorMessage(err)}`);
    }
    const manifest = validateManifest(parseJson(manifestBytes, 'manifest.json'));
    const manifestSha256 = sha256(manifestBytes);

    const parsed = new Map<string, unknown>();
    const hashes = new Map<string, string>();
    const modified = new Set<string>();
    const missing: string[] = [];
    for (const [file, expected] of Object.entries(manifest.files)) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(dir, file));
      } catch {
        missing.push(file);
        continue;
      }
      const actual = sha256(bytes);
      hashes.set(file, actual);
      if (actual !== expected) modified.add(file);
      if (file.endsWith('.json')) parsed.set(file, parseJson(bytes, file));
    }
    const integrity: IntegrityReport = {
      verified: modified.size === 0 && missing.length === 0,
      manifestSha256,
      modified: [...modified].sort(),
      missing: missing.sort(),
      allowedModified: options.allowModified === true,
    };
    return new Bundle(dir, manifest, manifestSha256, parsed, hashes, modified, integrity);
  }

  get collectedAt(): Date {
    return new Date(this.manifest.collectedAt);
  }

  /** Every bundle-relative path the manifest lists (present or not). */
  files(): readonly string[] {
    // Listed once: the estate, the log-integrity verification and the event readers each walk it.
    this.fileList ??= Object.freeze(Object.keys(this.manifest.files));
    return this.fileList;
  }
  private fileList: readonly string[] | undefined;

  has(file: string): boolean {
    return this.hashes.has(file);
  }

  source(file: string): Source | undefined {
    const sha = this.hashes.get(file);
    return sha === undefined ? undefined : { file, sha256: sha, tampered: this.modified.has(file) };
  }

  /** A typed read of one stored API response; `$error` files become error reads. */
  read<T>(file: string): Read<T> {
    const source = this.source(file);
    const value = this.parsed.get(file);
    if (source === undefined || value === undefined) return { kind: 'missing', file };
    if (isErrorDocument(value)) {
      return { kind: 'error', source, error: { name: String(value.$error.name ?? 'Error'), message: String(value.$error.message ?? '') } };
    }
    return { kind: 'ok', value: value as T, source };
  }
}

function isErrorDocument(value: unknown): value is { $error: { name?: unknown; message?: unknown } } {
  return typeof value === 'object' && value !== null && '$error' in value && typeof (value as { $error: unknown }).$error === 'object';
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** JSON.parse with an error that names the file, line and column. */
export function parseJson(bytes: Buffer | string, file: string): unknown {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = errorMessage(err);
    const at = /position (\d+)/.exec(message);
    const offset = at?.[1] !== undefined ? Number(at[1]) : text.length;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const reason = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
    throw new TrailproofError('TP_BUNDLE_MALFORMED', `malformed JSON in ${file} at line ${line}, column ${column}: ${reason}`);
  }
}
