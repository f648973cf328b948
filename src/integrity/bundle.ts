// Log integrity for an audit: the digest chains a bundle's logs/ folder holds, verified once before the
// checks run (the work reads files and is asynchronous; checks are pure and synchronous), grouped by trail,
// and given to the estate (Estate.logIntegrity) for `trail.log-integrity` to read. The files are those the manifest lists
// (manifest-store.ts), never what else lies on disk. The verification states its trust anchor: which public
// keys it trusted and where they came from (the bundle itself, CloudTrail in this run, the auditor, or a
// pinned set of fingerprints), since keys that came with the evidence prove only what its producer vouches.
import { createHash } from 'node:crypto';
import type { Bundle } from '../evidence/bundle.js';
import { errorMessage } from '../errors.js';
import type { LogKeysTrust } from '../model/types.js';
import { discoverChains, type FoundChain } from './discover.js';
import { parsePublicKeys, type PublicKeyEntry } from './keys.js';
import { chainKey, compareStrings, parseDigestKey, type DigestKey } from '../evidence/s3-layout.js';
import { LOGS_FOLDER, ManifestStore } from './manifest-store.js';
import { validateChains, type ValidationReport } from './validate.js';

export { LOGS_FOLDER };
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
  /** The keys trusted and where they came from (undefined: no keys at all). */
  trust?: LogKeysTrust;
  trails: TrailChains[];
}

/** What the auditor says about the keys to trust (flags --public-keys, --trusted-key-fingerprints, config). */
export interface KeyTrustOptions {
  /** Keys the auditor gave, and the files they were read from. */
  auditorKeys?: { keys: PublicKeyEntry[]; files: string[] };
  /** Fingerprints the auditor pinned: only digests signed by these keys can verify. */
  pinned?: string[];
  /** The bundle was collected in this run, so its ListPublicKeys files were fetched from CloudTrail now. */
  live?: boolean;
  concurrency?: number;
}

/** MD5 of the key's DER, which is how CloudTrail derives a key's Fingerprint. */
export function keyFingerprint(der: Buffer): string {
  return createHash('md5').update(der).digest('hex');
}

/** The keys to verify with and the statement of where they came from. */
export function trustedKeys(bundleKeys: PublicKeyEntry[], bundleKeyFiles: string[], options: KeyTrustOptions): { keys: PublicKeyEntry[]; trust: LogKeysTrust } {
  const auditor = options.auditorKeys;
  const keys = auditor?.keys ?? bundleKeys;
  const files = auditor?.files ?? bundleKeyFiles;
  const material = auditor !== undefined ? 'given by the auditor (--public-keys)' : options.live === true ? 'fetched from CloudTrail (ListPublicKeys) by this run' : "the bundle's own ListPublicKeys files";
  const unique = (list: string[]): string[] => [...new Set(list)].sort(compareStrings);
  if (options.pinned !== undefined && options.pinned.length > 0) {
    const pinned = new Set(options.pinned.map((f) => f.toLowerCase()));
    // A pinned fingerprint is only as good as the key behind it: an entry whose material does not hash to
    // its Fingerprint label could carry a pinned label on a key of anyone's choosing, so it is dropped.
    const kept = keys.filter((k) => pinned.has(k.fingerprint.toLowerCase()) && keyFingerprint(k.der) === k.fingerprint.toLowerCase());
    return {
      keys: kept,
      trust: {
        source: 'pinned', fingerprints: unique([...pinned]), files,
        statement: `Only digests signed by the pinned key fingerprints are accepted (each key's material must hash to its fingerprint); the key material came from ${material}.`,
      },
    };
  }
  const fingerprints = unique(keys.map((k) => k.fingerprint));
  if (auditor !== undefined) return { keys, trust: { source: 'auditor', fingerprints, files, statement: 'The public keys were given by the auditor (--public-keys).' } };
  if (options.live === true) return { keys, trust: { source: 'live', fingerprints, files, statement: 'The public keys were fetched from CloudTrail (ListPublicKeys) by the collection this audit made.' } };
  return {
    keys,
    trust: {
      source: 'bundle', fingerprints, files,
      statement: "The public keys came with the evidence (the bundle's own ListPublicKeys files): they prove the logs intact only as far as whoever produced the bundle is trusted. Give --public-keys or --trusted-key-fingerprints to anchor the verification.",
    },
  };
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

/** Verifies every digest chain the bundle's manifest lists under logs/, up to its collection time, grouped by trail. */
export async function verifyBundleLogs(bundle: Bundle, options: KeyTrustOptions = {}): Promise<BundleLogIntegrity> {
  const digestFiles = bundleDigestFiles(bundle.files());
  const keyFiles = bundle.files().filter((f) => PUBLIC_KEYS_FILE.test(f)).sort();
  const bundleKeys: PublicKeyEntry[] = [];
  for (const file of keyFiles) {
    const read = bundle.read<unknown>(file);
    if (read.kind === 'ok') bundleKeys.push(...parsePublicKeys(read.value, file));
  }
  const { keys, trust } = trustedKeys(bundleKeys, keyFiles, options);
  const anchor = { keyFiles: options.auditorKeys?.files ?? keyFiles, ...(keys.length > 0 || options.auditorKeys !== undefined || options.pinned !== undefined ? { trust } : {}) };
  if (anchor.trust !== undefined) bundle.integrity.logKeys = anchor.trust;
  if (digestFiles.length === 0) return { ...anchor, trails: [] };
  const store = new ManifestStore(bundle);
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
  const pinned = trust.source === 'pinned' ? new Set(trust.fingerprints) : undefined;
  const trails: TrailChains[] = [];
  for (const { group, chains } of groups.values()) {
    if (keys.length > 0 || pinned !== undefined) {
      try {
        group.report = await validateChains({
          store, chains, keys, keysSource: anchor.keyFiles.join(', ') || 'the pinned fingerprints', start: undefined, end: bundle.collectedAt,
          concurrency: options.concurrency ?? 8, ...(pinned === undefined ? {} : { pinned }),
        });
      } catch (err) {
        group.error = errorMessage(err);
      }
    }
    trails.push(group);
  }
  return { ...anchor, trails };
}
