// Reads an evidence bundle (CONTRACT section 2): validates the manifest, checks every file's SHA-256 against
// it, parses the JSON responses once, and answers typed reads that say ok, missing or error. The manifest
// is the evidence: only the files it lists are read, each through the containment of contained.ts (inside
// the bundle, a regular file, within the size bound), and files lying beside them unlisted are only named.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { TrailproofError, errorMessage } from '../errors.js';
import type { EvidenceRef, IntegrityReport } from '../model/types.js';
import { ContainedRoot, findUnlisted, readContainedSync } from './contained.js';
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
   * Only files the manifest lists are ever read, so a file added to the folder cannot change a verdict;
   * such files are named (`integrity.unlisted`) by a walk that lists folders and opens no file. A listed
   * path that is unsafe to read (a symlink out of the bundle, a FIFO, device or folder, a file past the
   * size bound) is refused unread: reads of it are missing and `integrity.refused` names it with why.
   */
  static open(dir: string, options: OpenOptions = {}): Bundle {
    const manifestPath = join(dir, 'manifest.json');
    let manifestBytes: Buffer;
    try {
      if (!statSync(dir).isDirectory()) throw new Error('not a directory');
      // Contained like every other file: a manifest that is a FIFO or a symlink out is refused, not read.
      const read = readContainedSync(dir, 'manifest.json');
      if (read.kind !== 'ok') throw new Error(read.kind === 'missing' ? 'no such file' : read.reason);
      manifestBytes = read.bytes;
    } catch (err) {
      throw new TrailproofError('TP_BUNDLE_UNREADABLE', `cannot read evidence bundle ${dir}: ${manifestPath}: ${errorMessage(err)}`);
    }
    const manifest = validateManifest(parseJson(manifestBytes, 'manifest.json'));
    const manifestSha256 = sha256(manifestBytes);

    const parsed = new Map<string, unknown>();
    const hashes = new Map<string, string>();
    const modified = new Set<string>();
    const missing: string[] = [];
    const refused: { file: string; reason: string }[] = [];
    const root = new ContainedRoot(dir);
    for (const [file, expected] of Object.entries(manifest.files)) {
      const read = readContainedSync(root, file);
      if (read.kind === 'missing') missing.push(file);
      if (read.kind === 'refused') refused.push({ file, reason: read.reason });
      if (read.kind !== 'ok') continue;
      const bytes = read.bytes;
      const actual = sha256(bytes);
      hashes.set(file, actual);
      if (actual !== expected) modified.add(file);
      if (file.endsWith('.json')) parsed.set(file, parseJson(bytes, file));
    }
    const unlisted = findUnlisted(dir, (file) => Object.hasOwn(manifest.files, file));
    const integrity: IntegrityReport = {
      verified: modified.size === 0 && missing.length === 0 && refused.length === 0,
      manifestSha256,
      modified: [...modified].sort(),
      missing: missing.sort(),
      allowedModified: options.allowModified === true,
      unlisted: unlisted.named,
      unlistedTotal: unlisted.total,
    };
    if (refused.length > 0) integrity.refused = refused.sort((a, b) => (a.file < b.file ? -1 : 1));
    if (unlisted.incomplete) integrity.unlistedIncomplete = true;
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

  /**
   * Records that a listed file no longer matched the manifest when it was read again after opening (the
   * log-integrity verification reads log and digest files a second time): the audit refuses it as it
   * refuses a file modified before opening.
   */
  markModified(file: string): void {
    if (this.modified.has(file)) return;
    this.modified.add(file);
    this.integrity.modified = [...this.modified].sort();
    this.integrity.verified = false;
  }

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
