// The inputs bench:hostile starts from: a small evidence bundle whose one trail has a signed, unbroken digest
// chain over real gzip log files (so trail.log-integrity PASSes before anything is tampered with), a folder of
// log files for `scan`, and a canary file outside every evidence root whose bytes and SHA-256 must never
// appear in anything trailproof writes. Everything is generated here (no test helpers, no network): a fresh
// RSA key signs the digests the way CloudTrail does (SHA256withRSA over the signed string).
import { createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { signedString } from '../../src/integrity/digest.js';
import { digestKeyFor, type ChainId } from '../../src/evidence/s3-layout.js';

export const ACCOUNT = '111111111111';
export const REGION = 'us-east-1';
export const BUCKET = 'hostile-trail-logs';
export const TRAIL = 'main';
export const COLLECTED_AT = '2026-10-01T06:00:00.000Z';
export const CHAIN: ChainId = { prefix: '', orgId: '', account: ACCOUNT, region: REGION, trail: TRAIL, homeRegion: REGION };

/** Text no evidence holds: finding it (or its hash) in an output proves a read outside the evidence. */
export const CANARY_MARKER = 'trailproof-hostile-canary-6f1d2c';

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface SigningKey {
  privateKey: KeyObject;
  value: string;
  fingerprint: string;
}

export function newSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = createPublicKey(privateKey).export({ type: 'pkcs1', format: 'der' });
  return { privateKey, value: der.toString('base64'), fingerprint: createHash('md5').update(der).digest('hex') };
}

export function publicKeysDocument(keys: SigningKey[]): unknown {
  return { PublicKeyList: keys.map((k) => ({ Value: k.value, ValidityStartTime: '2026-01-01T00:00:00Z', ValidityEndTime: '2027-01-01T00:00:00Z', Fingerprint: k.fingerprint })) };
}

/** A file tree in memory: bundle-relative path -> bytes. The manifest lists what `listed` says. */
export class Tree {
  readonly files = new Map<string, Buffer>();
  readonly unlisted = new Set<string>();

  put(path: string, content: Buffer | string | object): this {
    this.files.set(path, Buffer.isBuffer(content) ? content : Buffer.from(typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n'));
    return this;
  }

  manifest(extra: Record<string, unknown> = {}): Record<string, unknown> {
    const files: Record<string, string> = {};
    for (const [path, bytes] of [...this.files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) if (!this.unlisted.has(path)) files[path] = sha256Hex(bytes);
    return {
      tool: 'trailproof-bench-hostile', version: '0.0.0', collectedAt: COLLECTED_AT,
      identity: { Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:role/Auditor` },
      scope: { accounts: [ACCOUNT], regions: [REGION] }, ...extra, files,
    };
  }

  /** Writes the files and (unless told not to) manifest.json into dir. */
  write(dir: string, manifest: Record<string, unknown> | undefined = this.manifest()): string {
    for (const [path, bytes] of this.files) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, bytes);
    }
    mkdirSync(dir, { recursive: true });
    if (manifest !== undefined) writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    return dir;
  }
}

export interface Digest {
  key: string;
  fields: Record<string, unknown>;
  inflated: Buffer;
  signature: string;
}

/** Signs digest fields as CloudTrail does; the digest's JSON is gzipped at its key with its metadata sidecar. */
export function signDigest(fields: Record<string, unknown>, key: SigningKey): Digest {
  const inflated = Buffer.from(JSON.stringify(fields));
  const signature = sign('sha256', signedString(fields, sha256Hex(inflated)), key.privateKey).toString('hex');
  return { key: String(fields.digestS3Object), fields, inflated, signature };
}

export function putDigest(tree: Tree, d: Digest, gz: Buffer = gzipSync(d.inflated)): void {
  tree.put(`logs/${d.key}`, gz);
  tree.put(`logs/${d.key}.metadata.json`, { signature: d.signature, 'signature-algorithm': 'SHA256withRSA' });
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function record(eventName: string, at: Date, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09', eventTime: iso(at), eventSource: 's3.amazonaws.com', eventName, awsRegion: REGION, sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0', userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/mallory`, accountId: ACCOUNT, userName: 'mallory' },
    requestParameters: { bucketName: 'prod-data' }, responseElements: null, eventID: sha256Hex(`${eventName}${at.toISOString()}`).slice(0, 36),
    eventType: 'AwsApiCall', recipientAccountId: ACCOUNT, readOnly: false, ...extra,
  };
}

export function logKey(at: Date, n: number): string {
  const day = at.toISOString().slice(0, 10).replace(/-/g, '/');
  const stamp = at.toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';
  return `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/${day}/${ACCOUNT}_CloudTrail_${REGION}_${stamp}_h0st1le${n}.json.gz`;
}

export interface BaseBundle {
  tree: Tree;
  key: SigningKey;
  digests: Digest[];
  logKeys: string[];
}

/** The trail's configuration files: logging, multi-region, validating its log files into BUCKET. */
function postureFiles(tree: Tree, key: SigningKey): void {
  const at = `accounts/${ACCOUNT}/${REGION}`;
  tree.put(`${at}/cloudtrail/DescribeTrails.json`, { trailList: [{
    Name: TRAIL, TrailARN: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${TRAIL}`, HomeRegion: REGION, S3BucketName: BUCKET,
    IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true, LogFileValidationEnabled: true, IsOrganizationTrail: false, HasCustomEventSelectors: false,
  }] });
  tree.put(`${at}/cloudtrail/GetTrailStatus/${TRAIL}.json`, { IsLogging: true, LatestDeliveryTime: COLLECTED_AT });
  tree.put(`${at}/cloudtrail/ListPublicKeys.json`, publicKeysDocument([key]) as object);
  tree.put(`accounts/${ACCOUNT}/global/ec2/DescribeRegions.json`, { Regions: [{ RegionName: REGION, OptInStatus: 'opt-in-not-required' }] });
}

/** Three hours of a signed chain, two log files an hour, and the trail that writes them. */
export function baseBundle(key: SigningKey = newSigningKey()): BaseBundle {
  const tree = new Tree();
  postureFiles(tree, key);
  const digests: Digest[] = [];
  const logKeys: string[] = [];
  const first = new Date('2026-09-30T20:00:00Z');
  let previous: Digest | null = null;
  for (let h = 0; h < 3; h++) {
    const start = new Date(first.getTime() + h * 3600_000);
    const end = new Date(start.getTime() + 3600_000);
    const logFiles = [];
    for (let n = 0; n < 2; n++) {
      const at = new Date(start.getTime() + (n + 1) * 20 * 60_000);
      const inflated = Buffer.from(JSON.stringify({ Records: [record(n === 0 ? 'DeleteBucket' : 'GetObject', at)] }));
      const k = logKey(at, h * 2 + n);
      tree.put(`logs/${k}`, gzipSync(inflated));
      logKeys.push(k);
      logFiles.push({ s3Bucket: BUCKET, s3Object: k, hashValue: sha256Hex(inflated), hashAlgorithm: 'SHA-256', newestEventTime: iso(at), oldestEventTime: iso(at) });
    }
    const d: Digest = signDigest(digestFields(start, end, key, previous, logFiles), key);
    putDigest(tree, d);
    digests.push(d);
    previous = d;
  }
  return { tree, key, digests, logKeys };
}

export function digestFields(start: Date, end: Date, key: SigningKey, previous: Digest | null, logFiles: unknown[], digestKey = digestKeyFor(CHAIN, end)): Record<string, unknown> {
  return {
    awsAccountId: ACCOUNT, digestStartTime: iso(start), digestEndTime: iso(end), digestS3Bucket: BUCKET, digestS3Object: digestKey,
    digestPublicKeyFingerprint: key.fingerprint, digestSignatureAlgorithm: 'SHA256withRSA', newestEventTime: null, oldestEventTime: null,
    previousDigestS3Bucket: previous === null ? null : BUCKET, previousDigestS3Object: previous === null ? null : previous.key,
    previousDigestHashValue: previous === null ? null : sha256Hex(previous.inflated), previousDigestHashAlgorithm: previous === null ? null : 'SHA-256',
    previousDigestSignature: previous === null ? null : previous.signature, logFiles,
  };
}
