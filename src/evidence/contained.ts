// Reading a file whose path comes from evidence content (a manifest key, a digest's log-file key, a
// previous-digest link, a sidecar name) without letting that content choose what is read. A path is read
// only when it is a plain relative path, resolves (symlinks followed) to a place inside the root, names a
// regular file (never a FIFO, device, socket or folder) and is no larger than the caller's bound; the file
// is opened non-blocking and without following a last symlink, then checked again on the open handle, so a
// file swapped after the check is refused too. Anything else is refused with a reason the caller reports
// as a failed verification of that file, never read. Also the bounded walk that names files lying in a
// bundle that its manifest does not list, without opening any of them.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, readdirSync, realpathSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { errorMessage } from '../errors.js';

/** Largest evidence file (API response, log or digest file) a bundle may list: larger is refused unread. */
export const MAX_EVIDENCE_FILE_BYTES = 1024 ** 3;
/** Unlisted files named in the findings; the total counts them all. */
export const MAX_UNLISTED_NAMED = 1000;
/** Folder entries the unlisted-file walk looks at before it stops (and says so). */
export const MAX_WALK_ENTRIES = 1_000_000;
/** Folder depth the unlisted-file walk descends to. */
export const MAX_WALK_DEPTH = 64;

// O_NONBLOCK: opening a FIFO must never wait for a writer. O_NOFOLLOW: the path was resolved already, so
// a symlink in its last part means it was swapped since. Both are 0 where the platform lacks them.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
const CHUNK = 1024 * 1024;

export type Located = { kind: 'ok'; path: string; size: number } | { kind: 'missing' } | { kind: 'refused'; reason: string };
export type ContainedRead = { kind: 'ok'; bytes: Buffer; path: string } | { kind: 'missing' } | { kind: 'refused'; reason: string };

/** Why `rel` is not a plain relative path inside a root, or undefined when it is one. */
export function pathProblem(rel: string): string | undefined {
  if (rel.length === 0) return 'an empty path';
  if (rel.includes('\0')) return 'a path with a NUL character';
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return 'an absolute path';
  if (rel.includes('\\')) return 'a path with a backslash';
  if (rel.split('/').includes('..')) return 'a path that climbs out with ".."';
  return undefined;
}

/** What kind of thing a non-regular file is, for the refusal. */
/** What a file that is not a regular file is, for a refusal reason (the event readers say it the same way). */
export function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSymbolicLink()) return 'a symlink';
  return 'not a regular file';
}

function tooLarge(size: number, maxBytes: number): string {
  return `larger than the ${maxBytes}-byte bound (${size} bytes)`;
}

type Resolved = { kind: 'ok'; path: string; stats: Stats } | { kind: 'missing' } | { kind: 'refused'; reason: string };

/**
 * One root that many paths are resolved against (a bundle's thousands of files): each folder is resolved
 * (realpath) once and checked to lie inside the root, then each file needs only an lstat, plus a realpath
 * when it is itself a symlink (which may stay inside). Keep an instance for one pass over the files; a
 * folder changed after it was resolved is not seen, so instances are not kept across runs.
 */
export class ContainedRoot {
  private readonly real: string | Error;
  private readonly folders = new Map<string, Resolved>();

  constructor(readonly root: string) {
    let real: string | Error;
    try {
      real = realpathSync.native(root);
    } catch (err) {
      real = err instanceof Error ? err : new Error(String(err));
    }
    this.real = real;
  }

  private inside(real: string): boolean {
    const root = this.real as string;
    return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
  }

  private realOf(path: string): Resolved {
    let real: string;
    try {
      real = realpathSync.native(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
      if (code === 'ELOOP') return { kind: 'refused', reason: 'a symlink loop' };
      return { kind: 'refused', reason: `cannot be resolved (${errorMessage(err)})` };
    }
    if (!this.inside(real)) return { kind: 'refused', reason: `a symlink leading outside ${this.root}` };
    try {
      return { kind: 'ok', path: real, stats: lstatSync(real) };
    } catch (err) {
      return { kind: 'refused', reason: `cannot be examined (${errorMessage(err)})` };
    }
  }

  /** The real path of `rel` when it lies inside the root, with its lstat; otherwise missing or refused. */
  resolve(rel: string): Resolved {
    const problem = pathProblem(rel);
    if (problem !== undefined) return { kind: 'refused', reason: `${problem} (it would resolve outside ${this.root})` };
    if (typeof this.real !== 'string') return { kind: 'refused', reason: `its folder ${this.root} cannot be resolved (${this.real.message})` };
    const slash = rel.lastIndexOf('/');
    const folderRel = slash < 0 ? '' : rel.slice(0, slash);
    let folder = this.folders.get(folderRel);
    if (folder === undefined) {
      folder = this.realOf(folderRel === '' ? this.root : join(this.root, ...folderRel.split('/')));
      this.folders.set(folderRel, folder);
    }
    if (folder.kind !== 'ok') return folder;
    if (!folder.stats.isDirectory()) return { kind: 'missing' };
    const path = join(folder.path, rel.slice(slash + 1));
    let stats: Stats;
    try {
      stats = lstatSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
      return { kind: 'refused', reason: `cannot be examined (${errorMessage(err)})` };
    }
    return stats.isSymbolicLink() ? this.realOf(path) : { kind: 'ok', path, stats };
  }
}

function rootOf(root: string | ContainedRoot): ContainedRoot {
  return typeof root === 'string' ? new ContainedRoot(root) : root;
}

/** Resolves `rel` under `root` and checks it (lstat) without opening it. */
export function locateContained(root: string | ContainedRoot, rel: string, maxBytes: number = MAX_EVIDENCE_FILE_BYTES): Located {
  const resolved = rootOf(root).resolve(rel);
  if (resolved.kind !== 'ok') return resolved;
  const { stats } = resolved;
  if (!stats.isFile()) return { kind: 'refused', reason: `${kindOf(stats)}, not a regular file` };
  if (stats.size > maxBytes) return { kind: 'refused', reason: tooLarge(stats.size, maxBytes) };
  return { kind: 'ok', path: resolved.path, size: stats.size };
}

/** Reads `rel` under `root` when it is contained, a regular file and within `maxBytes`. */
export function readContainedSync(root: string | ContainedRoot, rel: string, maxBytes: number = MAX_EVIDENCE_FILE_BYTES): ContainedRead {
  // Checked by lstat before opening (a FIFO or device is never opened), then again with fstat on the
  // handle (opened non-blocking, without following a last symlink): the very file that is read.
  const located = locateContained(root, rel, maxBytes);
  if (located.kind !== 'ok') return located;
  let fd: number;
  try {
    fd = openSync(located.path, OPEN_FLAGS);
  } catch (err) {
    return openFailure(err);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { kind: 'refused', reason: `${kindOf(stats)}, not a regular file` };
    if (stats.size > maxBytes) return { kind: 'refused', reason: tooLarge(stats.size, maxBytes) };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(stats.size - total, 0) + 1));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) return { kind: 'refused', reason: tooLarge(total, maxBytes) };
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
    return { kind: 'ok', bytes: Buffer.concat(chunks, total), path: located.path };
  } catch (err) {
    return { kind: 'refused', reason: `cannot be read (${errorMessage(err)})` };
  } finally {
    closeSync(fd);
  }
}

/** The asynchronous form of readContainedSync (the integrity stores read many files at once). */
export async function readContained(root: string | ContainedRoot, rel: string, maxBytes: number = MAX_EVIDENCE_FILE_BYTES): Promise<ContainedRead> {
  const located = locateContained(root, rel, maxBytes);
  if (located.kind !== 'ok') return located;
  let handle;
  try {
    handle = await open(located.path, OPEN_FLAGS);
  } catch (err) {
    return openFailure(err);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: 'refused', reason: `${kindOf(stats)}, not a regular file` };
    if (stats.size > maxBytes) return { kind: 'refused', reason: tooLarge(stats.size, maxBytes) };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(stats.size - total, 0) + 1));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) return { kind: 'refused', reason: tooLarge(total, maxBytes) };
      chunks.push(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
    }
    return { kind: 'ok', bytes: Buffer.concat(chunks, total), path: located.path };
  } catch (err) {
    return { kind: 'refused', reason: `cannot be read (${errorMessage(err)})` };
  } finally {
    await handle.close();
  }
}

function openFailure(err: unknown): ContainedRead {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { kind: 'missing' };
  if (code === 'ELOOP') return { kind: 'refused', reason: 'swapped for a symlink after it was checked' };
  return { kind: 'refused', reason: `cannot be opened (${errorMessage(err)})` };
}

export interface UnlistedFiles {
  /** Bundle-relative paths, sorted, at most MAX_UNLISTED_NAMED. */
  named: string[];
  /** Every unlisted entry found (files, symlinks, FIFOs ... anything but a folder). */
  total: number;
  /** The walk stopped at MAX_WALK_ENTRIES or MAX_WALK_DEPTH: there may be more. */
  incomplete: boolean;
}

/**
 * Entries under `root` that are not folders and that `listed` does not know, found by reading folders only
 * (no file is opened, no symlink followed). `skip` names root-level entries that belong to the bundle
 * without being listed (its manifest).
 */
export function findUnlisted(root: string, listed: (rel: string) => boolean, skip: readonly string[] = ['manifest.json']): UnlistedFiles {
  const found: string[] = [];
  let seen = 0;
  let incomplete = false;
  const walk = (dir: string, rel: string, depth: number): void => {
    if (depth > MAX_WALK_DEPTH) {
      incomplete = true;
      return;
    }
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      // A folder that cannot be listed may hide anything: it is named itself.
      found.push(`${rel}/ (folder not readable: ${(err as NodeJS.ErrnoException).code ?? errorMessage(err)})`);
      return;
    }
    for (const entry of entries) {
      if (++seen > MAX_WALK_ENTRIES) {
        incomplete = true;
        return;
      }
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(join(dir, entry.name), path, depth + 1);
      else if (!(rel === '' && skip.includes(entry.name)) && !listed(path)) found.push(path);
    }
  };
  walk(root, '', 0);
  found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { named: found.slice(0, MAX_UNLISTED_NAMED), total: found.length, incomplete };
}
