// Log integrity for an audit: the digest chains a bundle's logs/ folder holds, verified once before the
// checks run (the work reads files and is asynchronous; checks are pure and synchronous), grouped by trail,
// and attached to the bundle for `trail.log-integrity` to read.
import { join } from 'node:path';
import type { Bundle } from '../evidence/bundle.js';
import { errorMessage } from '../errors.js';
import { discoverChains, type FoundChain } from './discover.js';
import { parsePublicKeys, type PublicKeyEntry } from './keys.js';
import { chainKey, parseDigestKey, type DigestKey } from './layout.js';
import { LocalStore } from './store.js';
import { validateChains, type ValidationReport } from './validate.js';

export const LOGS_FOLDER = 'logs';
const PUBLIC_KEYS_FILE = /^accounts\/\d{12}\/[a-z0-9-]+\/cloudtrail\/ListPublicKeys\.json$/;

/** The chains of one trail in one bucket (an organization trail has one per member account and region). */
export interface TrailChains {
  bucket: string;
  prefix: string;
  trail: string;
  homeRegion: string;
  /** Bundle-relative paths of the digest files of these chains. */
  digestFiles: string[];
  report?: ValidationReport;
  /** Why the chains could not be verified (unreadable files), when they could not. */
  error?: string;
}

export interface BundleLogIntegrity {
  /** Bundle-relative ListPublicKeys files the keys came from; empty when the bundle holds none. */
  keyFiles: string[];
  trails: TrailChains[];
}

/** The group a chain belongs to: one trail writing to one bucket and prefix. */
export function trailGroupKey(g: { bucket: string; prefix: string; trail: string; homeRegion: string }): string {
  return [g.bucket, g.prefix, g.trail, g.homeRegion].join('|');
}

/** Digest files in the bundle (bundle-relative paths under logs/), parsed. */
export function bundleDigestFiles(files: readonly string[]): { file: string; chain: DigestKey }[] {
  const out: { file: string; chain: DigestKey }[] = [];
  for (const file of files) {
    if (!file.startsWith(`${LOGS_FOLDER}/`)) continue;
    const parsed = parseDigestKey(file.slice(LOGS_FOLDER.length + 1));
    if (parsed !== undefined) out.push({ file, chain: parsed });
  }
  return out;
}

/** Verifies every digest chain under the bundle's logs/ up to its collection time, grouped by trail. */
export async function verifyBundleLogs(bundle: Bundle, concurrency = 8): Promise<BundleLogIntegrity> {
  const digestFiles = bundleDigestFiles(bundle.files());
  const keyFiles = bundle.files().filter((f) => PUBLIC_KEYS_FILE.test(f)).sort();
  const keys: PublicKeyEntry[] = [];
  for (const file of keyFiles) {
    const read = bundle.read<unknown>(file);
    if (read.kind === 'ok') keys.push(...parsePublicKeys(read.value, file));
  }
  if (digestFiles.length === 0) return { keyFiles, trails: [] };
  const store = new LocalStore(join(bundle.dir, LOGS_FOLDER), LOGS_FOLDER);
  const groups = new Map<string, { group: TrailChains; chains: FoundChain[] }>();
  const groupOfChain = new Map<string, TrailChains>();
  for (const found of await discoverChains(store, undefined)) {
    const { prefix, trail, homeRegion } = found.chain;
    const id = trailGroupKey({ bucket: found.bucket, prefix, trail, homeRegion });
    const entry = groups.get(id) ?? { group: { bucket: found.bucket, prefix, trail, homeRegion, digestFiles: [] }, chains: [] };
    entry.chains.push(found);
    groups.set(id, entry);
    groupOfChain.set(chainKey(found.chain), entry.group);
  }
  for (const { file, chain } of digestFiles) groupOfChain.get(chainKey(chain))?.digestFiles.push(file);
  const trails: TrailChains[] = [];
  for (const { group, chains } of groups.values()) {
    if (keys.length > 0) {
      try {
        group.report = await validateChains({ store, chains, keys, keysSource: keyFiles.join(', '), start: undefined, end: bundle.collectedAt, concurrency });
      } catch (err) {
        group.error = errorMessage(err);
      }
    }
    trails.push(group);
  }
  return { keyFiles, trails };
}

const attached = new WeakMap<Bundle, BundleLogIntegrity>();

/** Makes the verification available to `trail.log-integrity` for this bundle. */
export function attachLogIntegrity(bundle: Bundle, integrity: BundleLogIntegrity): void {
  attached.set(bundle, integrity);
}

export function logIntegrityOf(bundle: Bundle): BundleLogIntegrity | undefined {
  return attached.get(bundle);
}
