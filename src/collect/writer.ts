// Writes an evidence bundle (CONTRACT section 2) as it is collected: every response into a temporary folder
// beside the target, its SHA-256 kept for the manifest, and the folder renamed into place only when the
// manifest is written, so a reader never sees half a bundle.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TrailproofError, errorMessage } from '../errors.js';

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/** A bundle-relative path is only made of plain names (no `..`, no separators from AWS-supplied names). */
export function isSafePath(path: string): boolean {
  return path.split('/').every((s) => SEGMENT.test(s) && s !== '.' && s !== '..');
}

/** A response as stored: `$metadata` dropped, dates as ISO-8601 strings (Date.toJSON), two-space indented. */
export function evidenceJson(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => (key === '$metadata' ? undefined : v), 2) + '\n';
}

/** Lines written one by one (LookupEvents), hashed as they go; commit() makes the file part of the bundle. */
export interface LineFile {
  write(line: string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Temporary folders of bundles being written in this process, for removePartialBundles. */
const inProgress = new Set<string>();

/**
 * Removes every bundle folder this process is still writing, synchronously: for an interrupt (Ctrl-C), when
 * no await will run again. A collection that did not finish leaves nothing behind.
 */
export function removePartialBundles(): string[] {
  const removed = [...inProgress];
  for (const dir of removed) rmSync(dir, { recursive: true, force: true });
  inProgress.clear();
  return removed;
}

export class BundleWriter {
  private readonly hashes = new Map<string, string>();
  private readonly dirs = new Set<string>();

  private constructor(readonly target: string, readonly tempDir: string) {}

  /** Refuses a target that holds anything: evidence is never written over evidence. */
  static async create(target: string): Promise<BundleWriter> {
    if (existsSync(target)) {
      let empty: boolean;
      try {
        empty = statSync(target).isDirectory() && readdirSync(target).length === 0;
      } catch {
        empty = false;
      }
      if (!empty) throw new TrailproofError('TP_USAGE', `--out ${target}: the folder already exists and is not empty; choose a new folder for the bundle`);
    }
    const parent = dirname(target);
    const tempDir = join(parent, `.${basename(target)}.partial-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(tempDir, { recursive: true });
    } catch (err) {
      throw new TrailproofError('TP_USAGE', `--out ${target}: cannot create ${tempDir}: ${errorMessage(err)}`);
    }
    inProgress.add(tempDir);
    return new BundleWriter(target, tempDir);
  }

  /** Bundle-relative paths written so far, with their SHA-256. */
  get files(): ReadonlyMap<string, string> {
    return this.hashes;
  }

  has(path: string): boolean {
    return this.hashes.has(path);
  }

  /** Writes one response; false when the path was already written (the first answer stays). */
  async writeJson(path: string, value: unknown): Promise<boolean> {
    const full = await this.claim(path);
    if (full === undefined) return false;
    const text = evidenceJson(value);
    this.hashes.set(path, createHash('sha256').update(text).digest('hex'));
    await writeFile(full, text);
    return true;
  }

  /** Writes bytes as they are (a copied log file); false when the path was already written. */
  async writeBytes(path: string, bytes: Uint8Array): Promise<boolean> {
    const full = await this.claim(path);
    if (full === undefined) return false;
    this.hashes.set(path, createHash('sha256').update(bytes).digest('hex'));
    await writeFile(full, bytes);
    return true;
  }

  /** Opens a JSON Lines file; undefined when the path was already written. */
  async openLines(path: string): Promise<LineFile | undefined> {
    const full = await this.claim(path);
    if (full === undefined) return undefined;
    this.hashes.set(path, '');
    const hash = createHash('sha256');
    const stream = createWriteStream(full);
    const failed = new Promise<never>((_, reject) => stream.once('error', reject));
    failed.catch(() => undefined);
    const closed = (): Promise<void> => Promise.race([failed, new Promise<void>((resolve) => stream.end(resolve))]);
    return {
      write: async (line) => {
        const text = line + '\n';
        hash.update(text);
        if (!stream.write(text)) await Promise.race([failed, new Promise<void>((resolve) => stream.once('drain', resolve))]);
      },
      commit: async () => {
        await closed();
        this.hashes.set(path, hash.digest('hex'));
      },
      abort: async () => {
        await closed().catch(() => undefined);
        this.hashes.delete(path);
        await rm(full, { force: true });
      },
    };
  }

  /** Writes manifest.json (given the rest of it; `files` is filled in) and renames the folder into place. */
  async commit(manifest: Record<string, unknown>): Promise<Record<string, unknown>> {
    const files: Record<string, string> = {};
    for (const path of [...this.hashes.keys()].sort()) files[path] = this.hashes.get(path) as string;
    const full = { ...manifest, files };
    await writeFile(join(this.tempDir, 'manifest.json'), JSON.stringify(full, null, 2) + '\n');
    try {
      if (existsSync(this.target)) await rmdir(this.target); // empty, checked at create
      await rename(this.tempDir, this.target);
      inProgress.delete(this.tempDir);
    } catch (err) {
      throw new TrailproofError('TP_OUTPUT_FAILED', `cannot move the collected bundle ${this.tempDir} to ${this.target}: ${errorMessage(err)}`);
    }
    return full;
  }

  /** Removes the temporary folder (a run that did not finish leaves nothing behind). */
  async abort(): Promise<void> {
    await rm(this.tempDir, { recursive: true, force: true });
    inProgress.delete(this.tempDir);
  }

  private async claim(path: string): Promise<string | undefined> {
    if (!isSafePath(path)) throw new Error(`unsafe bundle path ${JSON.stringify(path)}`);
    if (this.hashes.has(path)) return undefined;
    this.hashes.set(path, '');
    const full = join(this.tempDir, path);
    const dir = dirname(full);
    if (!this.dirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.dirs.add(dir);
    }
    return full;
  }
}
