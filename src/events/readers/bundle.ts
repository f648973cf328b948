// `--bundle DIR`: the events an evidence bundle holds, its `logs/` (S3 delivery layout) and every
// `accounts/<account>/<region>/cloudtrail/LookupEvents.jsonl`. As for the posture checks, only files the
// manifest lists are read (a file dropped into the folder cannot change a detection) and each is checked
// against the manifest's SHA-256 as it is read.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { TrailproofError, errorMessage } from '../../errors.js';
import { parseJson } from '../../evidence/bundle.js';
import { ContainedRoot, locateContained, readContainedSync } from '../../evidence/contained.js';
import { validateManifest, type Manifest } from '../../evidence/manifest.js';
import { byDelivery, descend, keepFile } from './layout.js';
import type { FileUnit, JsonlUnit, LogSource, LogUnit, Pruned, ScanScope, SkippedInput } from './types.js';

const LOOKUP_EVENTS = /^accounts\/(\d{12})\/([a-z0-9-]+)\/cloudtrail\/LookupEvents\.jsonl$/;

export function readManifest(dir: string, flag = '--bundle'): Manifest {
  const path = join(dir, 'manifest.json');
  let bytes: Buffer;
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    const read = readContainedSync(dir, 'manifest.json');
    if (read.kind !== 'ok') throw new Error(read.kind === 'missing' ? 'no such file' : read.reason);
    bytes = read.bytes;
  } catch (err) {
    throw new TrailproofError('TP_BUNDLE_UNREADABLE', `${flag} ${dir}: cannot read the evidence bundle: ${path}: ${errorMessage(err)}`);
  }
  return validateManifest(parseJson(bytes, 'manifest.json'));
}

/** Whether a bundle's manifest lists any events (log files or LookupEvents), for `audit` to decide to scan. */
export function bundleHasEvents(manifest: Manifest): boolean {
  return Object.keys(manifest.files).some((f) => (f.startsWith('logs/') && keepFile(f.slice(f.lastIndexOf('/') + 1), { from: null, to: null, accounts: [], regions: [] }).keep) || LOOKUP_EVENTS.test(f));
}

export interface BundlePlan {
  units: LogUnit[];
  pruned: Pruned;
  skipped: SkippedInput[];
  mayRepeat: boolean;
}

/** The units of a bundle in dispatch order: LookupEvents files first (their order is not by delivery), then logs by delivery. */
export function planBundle(dir: string, manifest: Manifest, scope: ScanScope): BundlePlan {
  const pruned: Pruned = { folders: 0, files: 0 };
  const skipped: SkippedInput[] = [];
  const lookups: JsonlUnit[] = [];
  const logs: FileUnit[] = [];
  const folderVerdicts = new Map<string, boolean>();
  const folderKept = (parts: string[]): boolean => {
    // A folder is in scope when every folder above it is: decided once per folder, as the walker would.
    for (let i = 1; i <= parts.length; i++) {
      const key = parts.slice(0, i).join('/');
      let verdict = folderVerdicts.get(key);
      if (verdict === undefined) {
        verdict = descend(parts.slice(0, i), scope);
        folderVerdicts.set(key, verdict);
        if (!verdict) pruned.folders++;
      }
      if (!verdict) return false;
    }
    return true;
  };
  const root = new ContainedRoot(dir);
  const present = (file: string): number | undefined => {
    // The manifest key is evidence content: it must lead to a regular file inside the bundle (no symlink
    // out, no FIFO that would block the reader), within the size bound (src/evidence/contained.ts).
    const located = locateContained(root, file);
    if (located.kind === 'ok') return located.size;
    skipped.push({ name: file, reason: located.kind === 'missing' ? 'listed in the bundle manifest but missing' : `refused unread: ${located.reason}`, events: null });
    return undefined;
  };

  for (const [file, sha256] of Object.entries(manifest.files)) {
    const lookup = LOOKUP_EVENTS.exec(file);
    if (lookup) {
      const [, account, region] = lookup as unknown as [string, string, string];
      if ((scope.accounts.length > 0 && !scope.accounts.includes(account)) || (scope.regions.length > 0 && !scope.regions.includes(region))) {
        pruned.files++;
        continue;
      }
      const size = present(file);
      if (size !== undefined) lookups.push({ kind: 'jsonl', name: file, path: join(dir, file), size, delivered: null, sha256, account, region });
      continue;
    }
    if (!file.startsWith('logs/')) continue;
    const parts = file.slice('logs/'.length).split('/');
    const name = parts.pop() as string;
    if (!folderKept(parts)) continue;
    const { keep, facts } = keepFile(name, scope);
    if (!keep) {
      if (facts !== undefined) pruned.files++;
      continue;
    }
    const size = present(file);
    if (size !== undefined) logs.push({ kind: 'file', name: file, path: join(dir, file), size, delivered: facts?.delivered ?? null, sha256 });
  }
  lookups.sort((a, b) => (a.name < b.name ? -1 : 1));
  logs.sort(byDelivery);
  return { units: [...lookups, ...logs], pruned, skipped, mayRepeat: (lookups.length > 0 && logs.length > 0) || twoTrails(logs) };
}

/** Whether the logs hold one account and region under two paths (an organization trail and an account trail). */
function twoTrails(logs: readonly FileUnit[]): boolean {
  const origin = new Map<string, string>();
  for (const unit of logs) {
    const dir = unit.name.slice(0, unit.name.lastIndexOf('/'));
    const m = /^(.*)\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/\d+\/\d+\/\d+$/.exec(dir);
    if (!m) return true;
    const leaf = `${m[2] ?? ''}/${m[3] ?? ''}`;
    const known = origin.get(leaf);
    if (known !== undefined && known !== m[1]) return true;
    origin.set(leaf, m[1] ?? '');
  }
  return false;
}

export function bundleEvents(dir: string, scope: ScanScope, displayRoot: string = dir): LogSource {
  let plan: BundlePlan | undefined;
  const planned = (): BundlePlan => {
    plan ??= planBundle(dir, readManifest(dir), scope);
    return plan;
  };
  return {
    describe: `bundle ${displayRoot}`,
    async *units() {
      yield* planned().units;
    },
    skipped: () => plan?.skipped ?? [],
    pruned: () => plan?.pruned ?? { folders: 0, files: 0 },
    mayRepeat: () => plan?.mayRepeat ?? true,
  };
}
