// `--logs DIR`: CloudTrail log files in a local folder, in the S3 delivery layout (with or without an
// organization folder, from the bucket root or any folder inside it) or loose. Folders and files out of
// scope are left out by name; the files are opened where the units are processed, never here.
//
// Containment: what a log file's name points at must be a regular file inside DIR. A symbolic link is
// followed only to a regular file inside DIR (read at its real path); a link out of DIR, a link to a folder
// (which could loop), a FIFO, socket or device is refused with its reason, counted as a skipped input, and
// never opened. (The reader opens files without blocking and checks them again: see open.ts.)
import { statSync, type Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { TrailproofError, errorMessage } from '../../errors.js';
import { fileKind } from './open.js';
import type { FileUnit, LogSource, Pruned, ScanScope, SkippedInput } from './types.js';
import { walkLayout, type Tree, type TreeListing, type WalkState, newWalkState } from './walk.js';

const LOG_NAME = /\.json(\.gz)?$/;

/** Whether `path` is `root` or inside it (both real paths). */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** Why an entry with a log file's name that is not a regular file is not read, or its file (real path: a link) and size. */
async function linkedLogFile(entry: Dirent, full: string, realRoot: string): Promise<{ refused: string } | { target?: string; size: number }> {
  if (!entry.isSymbolicLink()) return { refused: `${entryKind(entry)}, not a regular file: not read` };
  let target: string;
  try {
    target = await realpath(full);
  } catch (err) {
    return { refused: `a symbolic link that leads nowhere: ${errorMessage(err)}` };
  }
  if (!inside(realRoot, target)) return { refused: `a symbolic link to ${target}, outside the --logs folder: not read` };
  const info = await stat(target);
  if (!info.isFile()) return { refused: `a symbolic link to ${fileKind(info)}, not a regular file: not read` };
  return { target, size: info.size };
}

function entryKind(entry: Dirent): string {
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  return 'not a file or folder';
}

function localTree(dir: string, displayRoot: string, realRoot: string, state: WalkState): Tree {
  const root = resolve(dir).split(sep).filter((s) => s !== '');
  const pathOf = (segments: readonly string[]): string => sep + segments.join(sep);
  const tree: Tree = {
    root,
    async list(segments) {
      let entries;
      try {
        entries = await readdir(pathOf(segments), { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      const listing: TreeListing = { dirs: [], files: [] };
      for (const entry of entries) {
        if (entry.isDirectory()) listing.dirs.push(entry.name);
        else if (entry.isSymbolicLink() && !LOG_NAME.test(entry.name)) {
          // A link under a folder's name (or any other) is not followed: it could lead out of DIR or loop.
          const target = await stat(join(pathOf(segments), entry.name)).catch(() => undefined);
          if (target?.isDirectory() === true) state.skipped.push({ name: tree.display(segments, entry.name), reason: 'a symbolic link to a folder: not followed', events: null });
        } else if (LOG_NAME.test(entry.name)) {
          const full = join(pathOf(segments), entry.name);
          // A regular file is sized with a synchronous stat (a few microseconds on a local disk): the promise
          // form's trip to the thread pool and back, once per file on the thread that merges the results,
          // was the larger part of the walk's cost on a corpus of small files.
          const file = entry.isFile() ? { size: statSync(full).size } : await linkedLogFile(entry, full, realRoot);
          if ('refused' in file) state.skipped.push({ name: tree.display(segments, entry.name), reason: file.refused, events: null });
          else listing.files.push({ name: entry.name, size: file.size, ...(file.target === undefined ? {} : { target: file.target }) });
        }
      }
      return listing;
    },
    display(segments, file) {
      const full = file === undefined ? pathOf(segments) : join(pathOf(segments), file);
      const rel = relative(resolve(dir), full);
      return rel === '' ? displayRoot : join(displayRoot, rel);
    },
  };
  return tree;
}

/** A local folder of log files. `displayRoot` is how the folder is named in messages (the path as given). */
export function localLogs(dir: string, scope: ScanScope, displayRoot: string = dir): LogSource {
  const state: WalkState = newWalkState();
  return {
    describe: `logs ${displayRoot}`,
    async *units() {
      try {
        const info = await stat(dir);
        if (!info.isDirectory()) throw new Error('not a folder');
      } catch (err) {
        throw new TrailproofError('TP_USAGE', `--logs ${displayRoot}: cannot read the folder: ${errorMessage(err)}`);
      }
      const tree = localTree(dir, displayRoot, await realpath(dir), state);
      for await (const entry of walkLayout(tree, scope, state)) {
        const unit: FileUnit = {
          kind: 'file',
          name: entry.display,
          path: entry.target ?? sep + [...entry.segments, entry.name].join(sep),
          size: entry.size,
          delivered: entry.delivered,
        };
        yield unit;
      }
    },
    skipped: (): SkippedInput[] => state.skipped,
    pruned: (): Pruned => state.pruned,
    mayRepeat: () => state.mayRepeat,
  };
}
