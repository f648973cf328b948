// `--logs DIR`: CloudTrail log files in a local folder, in the S3 delivery layout (with or without an
// organization folder, from the bucket root or any folder inside it) or loose. Folders and files out of
// scope are left out by name; the files are opened where the units are processed, never here.
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { TrailproofError, errorMessage } from '../../errors.js';
import type { FileUnit, LogSource, Pruned, ScanScope, SkippedInput } from './types.js';
import { walkLayout, type Tree, type TreeListing, type WalkState, newWalkState } from './walk.js';

function localTree(dir: string, displayRoot: string): Tree {
  const root = resolve(dir).split(sep).filter((s) => s !== '');
  const pathOf = (segments: readonly string[]): string => sep + segments.join(sep);
  return {
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
        else if (entry.isFile() && /\.json(\.gz)?$/.test(entry.name)) {
          const size = (await stat(join(pathOf(segments), entry.name))).size;
          listing.files.push({ name: entry.name, size });
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
      const tree = localTree(dir, displayRoot);
      for await (const entry of walkLayout(tree, scope, state)) {
        const unit: FileUnit = {
          kind: 'file',
          name: entry.display,
          path: sep + [...entry.segments, entry.name].join(sep),
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
