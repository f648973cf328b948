// Test vectors for log-file integrity: a generated RSA key signs hourly digests over gzip log files, written
// in the S3 delivery layout with each digest's metadata in a sidecar, exactly as CloudTrail and `collect`
// would leave them. Tests then break one thing at a time.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { formatStamp, logPrefix, type ChainId } from '../../src/integrity/layout.js';
import {
  digestFields, digestLogFile, digestMetadata, isoSeconds, publicKeysDocument, signDigest, signingKeyOf, type DigestLogFile, type DigestSpec, type SigningKey,
} from '../helpers/cloudtrail-digest.js';

export { isoSeconds, publicKeysDocument, signDigest, type DigestSpec, type SigningKey } from '../helpers/cloudtrail-digest.js';

let cachedKeys: SigningKey[] = [];

/** RSA keys, generated once per test run (2048-bit generation takes a moment). */
export function signingKey(index = 0): SigningKey {
  while (cachedKeys.length <= index) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    cachedKeys = [...cachedKeys, signingKeyOf(privateKey)];
  }
  return cachedKeys[index] as SigningKey;
}

export const ACCOUNT = '111111111111';
export const BUCKET = 'example-trail-logs';

export function chainOf(overrides: Partial<ChainId> = {}): ChainId {
  return { prefix: '', orgId: '', account: ACCOUNT, region: 'us-east-1', trail: 'main', homeRegion: 'us-east-1', ...overrides };
}

export interface LogSpec {
  key: string;
  inflated: Buffer;
}

export interface Vectors {
  dir: string;
  chain: ChainId;
  bucket: string;
  digests: DigestSpec[];
  logs: LogSpec[];
}

export interface ChainOptions {
  dir?: string;
  chain?: ChainId;
  bucket?: string;
  /** End of the first digest period; each digest covers the hour before its end. */
  firstEnd?: string;
  hours?: number;
  logsPerHour?: number;
  /** Hours (0-based) with no activity: the digest lists no log files. */
  emptyHours?: number[];
  /** Hours whose digest starts a new chain (previous fields null), as after logging was off. */
  restartAt?: number[];
  /** Hours with no digest and no logs (logging off): the next digest restarts the chain. */
  skipHours?: number[];
  key?: SigningKey;
  /** The inflated bytes of log file n delivered at `at` (default: two small records). */
  logBody?: (chain: ChainId, at: Date, n: number) => Buffer;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'trailproof-integrity-'));
}

export function writeObject(dir: string, key: string, body: Buffer, metadata?: Record<string, string>): void {
  const path = join(dir, ...key.split('/'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, body);
  if (metadata !== undefined) writeFileSync(`${path}.metadata.json`, JSON.stringify(metadata, null, 2) + '\n');
}

export function pathOf(v: Vectors, key: string): string {
  return join(v.dir, ...key.split('/'));
}

/** A log file's key for a delivery time, in the chain's account and region. */
export function logKeyFor(chain: ChainId, at: Date, suffix: string): string {
  return `${logPrefix(chain)}/${at.toISOString().slice(0, 10).replace(/-/g, '/')}/${chain.account}_CloudTrail_${chain.region}_${formatStamp(at).slice(0, 13)}Z_${suffix}.json.gz`;
}

export function logBody(chain: ChainId, at: Date, n: number): Buffer {
  const record = {
    eventVersion: '1.09', eventTime: isoSeconds(at), eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: chain.region,
    sourceIPAddress: '192.0.2.10', userAgent: 'aws-cli/2.15.0', recipientAccountId: chain.account, eventID: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  };
  return Buffer.from(JSON.stringify({ Records: [record, { ...record, eventName: 'ListBuckets' }] }));
}

export function writeDigest(dir: string, d: DigestSpec, extraMetadata: Record<string, string> = {}): void {
  writeObject(dir, d.key, gzipSync(d.inflated), { ...digestMetadata(d), ...extraMetadata });
}

/** Writes a chain of hourly digests and their logs into dir (a new temp folder by default). */
export function writeChain(options: ChainOptions = {}): Vectors {
  const dir = options.dir ?? tempDir();
  const chain = options.chain ?? chainOf();
  const bucket = options.bucket ?? BUCKET;
  const key = options.key ?? signingKey();
  const hours = options.hours ?? 4;
  const perHour = options.logsPerHour ?? 2;
  const firstEnd = new Date(options.firstEnd ?? '2026-09-14T01:00:31Z');
  const digests: DigestSpec[] = [];
  const logs: LogSpec[] = [];
  let previous: DigestSpec | undefined;
  for (let h = 0; h < hours; h++) {
    const end = new Date(firstEnd.getTime() + h * 3600_000);
    const start = new Date(end.getTime() - 3600_000);
    const logFiles: DigestLogFile[] = [];
    const skipped = (options.skipHours ?? []).includes(h);
    if (!skipped && !(options.emptyHours ?? []).includes(h)) {
      for (let i = 0; i < perHour; i++) {
        const at = new Date(start.getTime() + ((i + 1) * 3600_000) / (perHour + 1));
        const logKey = logKeyFor(chain, at, `${randomBytes(8).toString('hex')}`);
        const inflated = (options.logBody ?? logBody)(chain, at, h * 1000 + i);
        writeObject(dir, logKey, gzipSync(inflated));
        logs.push({ key: logKey, inflated });
        logFiles.push(digestLogFile(bucket, logKey, inflated, isoSeconds(at), isoSeconds(at)));
      }
    }
    if (skipped) {
      previous = undefined;
      continue;
    }
    const restart = previous === undefined || (options.restartAt ?? []).includes(h);
    const fields = digestFields({ chain, bucket, start, end, key, previous: restart ? null : (previous as DigestSpec), logFiles });
    const digest = signDigest(fields, key);
    writeDigest(dir, digest);
    digests.push(digest);
    previous = digest;
  }
  return { dir, chain, bucket, digests, logs };
}

/** Re-signs a digest after its fields were changed (the chain after it keeps the old signature). */
export function resign(v: Vectors, index: number, change: (fields: Record<string, unknown>) => void, key: SigningKey = signingKey()): DigestSpec {
  const old = v.digests[index] as DigestSpec;
  const fields = JSON.parse(JSON.stringify(old.fields)) as Record<string, unknown>;
  change(fields);
  const digest = signDigest(fields, key);
  writeDigest(v.dir, digest);
  v.digests[index] = digest;
  return digest;
}

export function readSidecar(v: Vectors, key: string): Record<string, string> {
  return JSON.parse(readFileSync(`${pathOf(v, key)}.metadata.json`, 'utf8')) as Record<string, string>;
}

export function writeKeys(dir: string, keys: SigningKey[] = [signingKey()]): string {
  const path = join(dir, 'public-keys.json');
  writeFileSync(path, JSON.stringify(publicKeysDocument(keys), null, 2));
  return path;
}
