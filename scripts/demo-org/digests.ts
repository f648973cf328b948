// The organization trail's digest files in the demo bundle: for every member account and region that has log
// files, one digest an hour over the three days of logs, each listing the log files delivered in its hour
// (none in a quiet hour, as CloudTrail does), chained by previousDigest*, signed with the demo key, with the
// sidecar `collect` writes for the S3 metadata and the ListPublicKeys output a validator needs.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ChainId } from '../../src/evidence/s3-layout.js';
import { sidecarJson } from '../../src/evidence/s3-layout.js';
import type { BundleBuilder } from '../../fixtures/bundle-builder.js';
import { digestFields, digestLogFile, digestMetadata, publicKeysDocument, signDigest, signingKeyOf, type DigestLogFile, type DigestSpec, type SigningKey } from '../../fixtures/cloudtrail-digest.js';
import { logObjectKey, stableHex, type LogFileInput } from './events.js';
import { DEMO_SIGNING_KEY_PEM } from './signing-key.js';

const HOUR = 3600_000;

let demoKey: SigningKey | undefined;

/** The demo's CloudTrail signing key (a fixed test key: see demo-org-signing-key.ts), parsed once. */
export function demoSigningKey(): SigningKey {
  demoKey ??= signingKeyOf(DEMO_SIGNING_KEY_PEM);
  return demoKey;
}

/** When the key was valid: the log period and the collection, with room on both sides. */
export const DEMO_KEY_VALIDITY = { from: '2026-09-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' } as const;

export interface TrailDigestsSpec {
  orgId: string;
  trail: string;
  homeRegion: string;
  bucket: string;
  /** Midnight UTC of the first day (epoch milliseconds). */
  firstDay: number;
  days: number;
  /** The trail's log files, as added to the bundle (their bytes are read back from it). */
  logs: LogFileInput[];
}

/**
 * Adds the digest chains of an organization trail for every account and region among `logs`: digests end at a
 * fixed minute and second past each hour (different per chain, as CloudTrail's are), the first one starting
 * before the first day's midnight and the last ending after the last day's, so every hour of the period is
 * covered. Returns the bundle paths of the digest files, oldest first per chain.
 */
export function addTrailDigests(b: BundleBuilder, spec: TrailDigestsSpec): string[] {
  const key = demoSigningKey();
  const chains = new Map<string, LogFileInput[]>();
  for (const log of spec.logs) {
    const id = `${log.account}/${log.region}`;
    chains.set(id, [...(chains.get(id) ?? []), log]);
  }
  const written: string[] = [];
  for (const id of [...chains.keys()].sort()) {
    const logs = chains.get(id) as LogFileInput[];
    const [account = '', region = ''] = id.split('/');
    const chain: ChainId = { prefix: '', orgId: spec.orgId, account, region, trail: spec.trail, homeRegion: spec.homeRegion };
    const offset = (parseInt(stableHex(8, `digest/${spec.trail}/${id}`), 16) % 3600) * 1000;
    const firstEnd = spec.firstDay + offset;
    // The chain goes back to before the copied period: the first copied digest links to the one before it,
    // which the bundle does not hold (a copy of a period, not of the trail's whole history).
    let previous: DigestSpec = signDigest(digestFields({ chain, bucket: spec.bucket, start: new Date(firstEnd - 2 * HOUR), end: new Date(firstEnd - HOUR), key, previous: null, logFiles: [] }), key);
    for (let h = 0; h <= spec.days * 24; h++) {
      const end = firstEnd + h * HOUR;
      const start = end - HOUR;
      const listed = logs.filter((l) => l.deliveredAt >= start && l.deliveredAt < end).sort((x, y) => x.deliveredAt - y.deliveredAt || logObjectKey(x).localeCompare(logObjectKey(y)));
      const logFiles = listed.map((l) => logEntry(b, spec.bucket, l));
      const digest = signDigest(digestFields({ chain, bucket: spec.bucket, start: new Date(start), end: new Date(end), key, previous, logFiles }), key);
      const path = `logs/${digest.key}`;
      b.file(path, gzipDigest(digest));
      b.file(`${path}.metadata.json`, sidecarJson(digestMetadata(digest)));
      written.push(path);
      previous = digest;
    }
  }
  return written;
}

function logEntry(b: BundleBuilder, bucket: string, log: LogFileInput): DigestLogFile {
  const objectKey = logObjectKey(log);
  const gz = b.files.get(`logs/${objectKey}`);
  if (gz === undefined) throw new Error(`addTrailDigests: log file logs/${objectKey} is not in the bundle (add the log files first)`);
  const times = log.records.map((r) => String(r['eventTime'])).sort();
  return digestLogFile(bucket, objectKey, gunzipSync(gz), times[0] ?? '', times[times.length - 1] ?? '');
}

function gzipDigest(digest: DigestSpec): Buffer {
  return gzipSync(digest.inflated, { level: 9 });
}

/** ListPublicKeys of the trail's home region, as `collect` stores it: the demo key, valid over the period. */
export function addPublicKeys(b: BundleBuilder, account: string, region: string): string {
  const path = `accounts/${account}/${region}/cloudtrail/ListPublicKeys.json`;
  b.file(path, publicKeysDocument([demoSigningKey()], DEMO_KEY_VALIDITY.from, DEMO_KEY_VALIDITY.to));
  return path;
}
