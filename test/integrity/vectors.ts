// Test vectors for log-file integrity: a generated RSA key signs hourly digests over gzip log files, written
// in the S3 delivery layout with each digest's metadata in a sidecar, exactly as CloudTrail and `collect`
// would leave them. Tests then break one thing at a time.
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { signedString } from '../../src/integrity/digest.js';
import { digestKeyFor, formatStamp, logPrefix, type ChainId } from '../../src/integrity/layout.js';

export interface SigningKey {
  privateKey: KeyObject;
  /** base64 DER PKCS#1, as ListPublicKeys returns it. */
  value: string;
  fingerprint: string;
}

let cachedKeys: SigningKey[] = [];

/** RSA keys, generated once per test run (2048-bit generation takes a moment). */
export function signingKey(index = 0): SigningKey {
  while (cachedKeys.length <= index) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = publicKey.export({ type: 'pkcs1', format: 'der' });
    cachedKeys = [...cachedKeys, { privateKey: createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' })), value: der.toString('base64'), fingerprint: createHash('md5').update(der).digest('hex') }];
  }
  return cachedKeys[index] as SigningKey;
}

export function publicKeysDocument(keys: SigningKey[], from = '2026-01-01T00:00:00Z', to = '2027-01-01T00:00:00Z'): { PublicKeyList: Record<string, string>[] } {
  return { PublicKeyList: keys.map((k) => ({ Value: k.value, ValidityStartTime: from, ValidityEndTime: to, Fingerprint: k.fingerprint })) };
}

export const ACCOUNT = '111111111111';
export const BUCKET = 'example-trail-logs';

export function chainOf(overrides: Partial<ChainId> = {}): ChainId {
  return { prefix: '', orgId: '', account: ACCOUNT, region: 'us-east-1', trail: 'main', homeRegion: 'us-east-1', ...overrides };
}

export interface DigestSpec {
  key: string;
  fields: Record<string, unknown>;
  inflated: Buffer;
  signature: string;
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

export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
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

/** Signs digest fields with the key; returns the spec (inflated bytes and hex signature). */
export function signDigest(fields: Record<string, unknown>, key: SigningKey): DigestSpec {
  const inflated = Buffer.from(JSON.stringify(fields));
  const sha = createHash('sha256').update(inflated).digest('hex');
  const signature = sign('sha256', signedString(fields, sha), key.privateKey).toString('hex');
  return { key: String(fields.digestS3Object), fields, inflated, signature };
}

export function writeDigest(dir: string, d: DigestSpec, extraMetadata: Record<string, string> = {}): void {
  writeObject(dir, d.key, gzipSync(d.inflated), { signature: d.signature, 'signature-algorithm': 'SHA256withRSA', ...extraMetadata });
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
    const logFiles: Record<string, string>[] = [];
    const skipped = (options.skipHours ?? []).includes(h);
    if (!skipped && !(options.emptyHours ?? []).includes(h)) {
      for (let i = 0; i < perHour; i++) {
        const at = new Date(start.getTime() + ((i + 1) * 3600_000) / (perHour + 1));
        const logKey = logKeyFor(chain, at, `${randomBytes(8).toString('hex')}`);
        const inflated = (options.logBody ?? logBody)(chain, at, h * 1000 + i);
        writeObject(dir, logKey, gzipSync(inflated));
        logs.push({ key: logKey, inflated });
        logFiles.push({ s3Bucket: bucket, s3Object: logKey, hashValue: createHash('sha256').update(inflated).digest('hex'), hashAlgorithm: 'SHA-256', newestEventTime: isoSeconds(at), oldestEventTime: isoSeconds(at) });
      }
    }
    if (skipped) {
      previous = undefined;
      continue;
    }
    const restart = previous === undefined || (options.restartAt ?? []).includes(h);
    const digestKey = digestKeyFor(chain, end);
    const fields: Record<string, unknown> = {
      awsAccountId: chain.account,
      digestStartTime: isoSeconds(start),
      digestEndTime: isoSeconds(end),
      digestS3Bucket: bucket,
      digestS3Object: digestKey,
      digestPublicKeyFingerprint: key.fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: logFiles.length > 0 ? isoSeconds(end) : null,
      oldestEventTime: logFiles.length > 0 ? isoSeconds(start) : null,
      previousDigestS3Bucket: restart ? null : bucket,
      previousDigestS3Object: restart ? null : previous?.key,
      previousDigestHashValue: restart ? null : createHash('sha256').update((previous as DigestSpec).inflated).digest('hex'),
      previousDigestHashAlgorithm: restart ? null : 'SHA-256',
      previousDigestSignature: restart ? null : previous?.signature,
      logFiles,
    };
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
