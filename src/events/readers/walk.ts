// Walks a tree in the S3 delivery layout (a local folder or a bucket listing) day by day: first the
// account/region folders in scope, then, for each day in order, the files of every such folder, sorted by
// delivery. Memory holds the region folders and one day's file names, never a whole corpus's listing; the
// order is close to event time, which is what lets correlation run as a stream.
import { errorMessage } from '../../errors.js';
import { byDelivery, daysOf, descend, keepFile, position } from './layout.js';
import type { Pruned, ScanScope, SkippedInput } from './types.js';

export interface TreeListing {
  dirs: string[];
  /** `target`: where a local symbolic link leads (its real path, checked to be inside the root). */
  files: { name: string; size: number; target?: string }[];
}

/** A folder tree, local or remote. */
export interface Tree {
  /** The root's path as folder names (absolute for a local folder, the key prefix for a bucket). */
  root: string[];
  /** The folders and files in a folder; undefined when it does not exist. */
  list(segments: readonly string[]): Promise<TreeListing | undefined>;
  /** A name for messages: a path or URL. */
  display(segments: readonly string[], file?: string): string;
}

export interface FileEntry {
  segments: string[];
  name: string;
  size: number;
  delivered: number | null;
  display: string;
  /** The real path to read, when the entry is a symbolic link. */
  target?: string;
}

export interface WalkState {
  pruned: Pruned;
  skipped: SkippedInput[];
  /** Set when an account and region is found under two paths (two trails) or files lie outside the layout. */
  mayRepeat: boolean;
}

export function newWalkState(): WalkState {
  return { pruned: { folders: 0, files: 0 }, skipped: [], mayRepeat: false };
}

/** Marks the state when two region folders hold the same account and region (two trails' copies). */
function noteRepeats(regions: readonly string[][], loose: readonly FileEntry[], state: WalkState): void {
  const seen = new Set<string>();
  for (const r of regions) {
    const at = position(r);
    const key = at.at === 'region' ? `${at.account}/${at.region}` : r.join('/');
    if (seen.has(key)) state.mayRepeat = true;
    seen.add(key);
  }
  if (loose.length > 0) state.mayRepeat = true;
}

const LIST_CONCURRENCY = 16;

/** Maps with at most `limit` promises in flight, keeping the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const run = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return out;
}

async function listOrSkip(tree: Tree, segments: readonly string[], state: WalkState): Promise<TreeListing | undefined> {
  try {
    return await tree.list(segments);
  } catch (err) {
    state.skipped.push({ name: tree.display(segments), reason: `cannot list: ${errorMessage(err)}`, events: null });
    return undefined;
  }
}

function entriesOf(tree: Tree, segments: string[], listing: TreeListing, scope: ScanScope, state: WalkState): FileEntry[] {
  const out: FileEntry[] = [];
  for (const file of listing.files) {
    const { keep, facts } = keepFile(file.name, scope);
    if (!keep) {
      if (facts !== undefined || /\.json(\.gz)?$/.test(file.name)) state.pruned.files++;
      continue;
    }
    out.push({ segments, name: file.name, size: file.size, delivered: facts?.delivered ?? null, display: tree.display(segments, file.name), ...(file.target === undefined ? {} : { target: file.target }) });
  }
  return out;
}

/** Every file under a folder (for a root inside a region folder, or loose files), sorted by delivery. */
async function walkAll(tree: Tree, segments: string[], scope: ScanScope, state: WalkState): Promise<FileEntry[]> {
  const listing = await listOrSkip(tree, segments, state);
  if (listing === undefined) return [];
  const files = entriesOf(tree, segments, listing, scope, state);
  for (const dir of [...listing.dirs].sort()) {
    const child = [...segments, dir];
    if (!descend(child, scope)) {
      state.pruned.folders++;
      continue;
    }
    files.push(...(await walkAll(tree, child, scope, state)));
  }
  return files.sort((a, b) => byDelivery({ delivered: a.delivered, name: a.display }, { delivered: b.delivered, name: b.display }));
}

/** Finds the region folders in scope; files met outside any region folder are loose. */
async function findRegions(tree: Tree, segments: string[], scope: ScanScope, state: WalkState, regions: string[][], loose: FileEntry[]): Promise<void> {
  const listing = await listOrSkip(tree, segments, state);
  if (listing === undefined) return;
  loose.push(...entriesOf(tree, segments, listing, scope, state));
  for (const dir of [...listing.dirs].sort()) {
    const child = [...segments, dir];
    if (!descend(child, scope)) {
      state.pruned.folders++;
      continue;
    }
    if (position(child).at === 'region') regions.push(child);
    else await findRegions(tree, child, scope, state, regions, loose);
  }
}

/** The dated folders (YYYY/MM/DD) present under the region folders, for an unbounded scope. */
async function presentDays(tree: Tree, regions: string[][], scope: ScanScope, state: WalkState): Promise<string[]> {
  const days = new Set<string>();
  const under = async (segments: string[], depth: number, path: string[]): Promise<void> => {
    const listing = await listOrSkip(tree, segments, state);
    if (listing === undefined) return;
    for (const dir of listing.dirs) {
      const child = [...segments, dir];
      if (!/^\d+$/.test(dir)) continue;
      if (!descend(child, scope)) {
        state.pruned.folders++;
        continue;
      }
      if (depth === 2) days.add([...path, dir].join('/'));
      else await under(child, depth + 1, [...path, dir]);
    }
  };
  await mapLimit(regions, LIST_CONCURRENCY, (r) => under(r, 0, []));
  return [...days].sort();
}

/** Yields the files in scope, day by day, each day's files in delivery order. */
export async function* walkLayout(tree: Tree, scope: ScanScope, state: WalkState): AsyncGenerator<FileEntry> {
  const at = position(tree.root).at;
  if (at === 'year' || at === 'month' || at === 'day') {
    yield* await walkAll(tree, tree.root, scope, state);
    return;
  }
  const regions: string[][] = [];
  const loose: FileEntry[] = [];
  if (at === 'region') regions.push(tree.root);
  else await findRegions(tree, tree.root, scope, state, regions, loose);
  noteRepeats(regions, loose, state);
  yield* loose.sort((a, b) => byDelivery({ delivered: a.delivered, name: a.display }, { delivered: b.delivered, name: b.display }));
  if (regions.length === 0) return;

  const days = daysOf(scope) ?? (await presentDays(tree, regions, scope, state));
  for (const day of days) {
    const parts = day.split('/');
    const listings = await mapLimit(regions, LIST_CONCURRENCY, async (region) => {
      const segments = [...region, ...parts];
      let listing: TreeListing | undefined;
      try {
        listing = await tree.list(segments);
      } catch (err) {
        state.skipped.push({ name: tree.display(segments), reason: `cannot list: ${errorMessage(err)}`, events: null });
      }
      return listing === undefined ? [] : entriesOf(tree, segments, listing, scope, state);
    });
    yield* listings.flat().sort((a, b) => byDelivery({ delivered: a.delivered, name: a.display }, { delivered: b.delivered, name: b.display }));
  }
}
