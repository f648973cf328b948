// CloudTrail digest files as CloudTrail writes them, for test vectors and the demo organization: the digest
// JSON (fields in CloudTrail's order), the SHA256withRSA signature over the signed string, the S3 object
// metadata that carries it, and the ListPublicKeys output a validator needs. Nothing here reads the clock or
// draws randomness, so a fixed key and fixed inputs always give the same bytes.
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { signedString } from '../../src/integrity/digest.js';
import { digestKeyFor, type ChainId } from '../../src/integrity/layout.js';

export const SIGNATURE_ALGORITHM = 'SHA256withRSA';

export interface SigningKey {
  privateKey: KeyObject;
  /** base64 DER PKCS#1, as ListPublicKeys returns it. */
  value: string;
  fingerprint: string;
}

/** A signing key from an RSA private key (a KeyObject or PEM text); the fingerprint is the MD5 of the public DER. */
export function signingKeyOf(privateKey: KeyObject | string): SigningKey {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const der = createPublicKey(key).export({ type: 'pkcs1', format: 'der' });
  return { privateKey: key, value: der.toString('base64'), fingerprint: createHash('md5').update(der).digest('hex') };
}

/** The ListPublicKeys output (CONTRACT section 5) naming the keys, each valid from `from` to `to`. */
export function publicKeysDocument(keys: SigningKey[], from = '2026-01-01T00:00:00Z', to = '2027-01-01T00:00:00Z'): { PublicKeyList: Record<string, string>[] } {
  return { PublicKeyList: keys.map((k) => ({ Value: k.value, ValidityStartTime: from, ValidityEndTime: to, Fingerprint: k.fingerprint })) };
}

/** "2026-09-14T03:32:07Z": CloudTrail's digest times have no fraction. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** One entry of a digest's logFiles. */
export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  hashAlgorithm: 'SHA-256';
  newestEventTime: string;
  oldestEventTime: string;
}

/** The logFiles entry of a log file: the SHA-256 of its inflated bytes and the span of its events. */
export function digestLogFile(bucket: string, key: string, inflated: Buffer, oldestEventTime: string, newestEventTime: string): DigestLogFile {
  return { s3Bucket: bucket, s3Object: key, hashValue: sha256Hex(inflated), hashAlgorithm: 'SHA-256', newestEventTime, oldestEventTime };
}

/** A signed digest: its key, fields, the inflated JSON CloudTrail gzips, and the hex signature. */
export interface DigestSpec {
  key: string;
  fields: Record<string, unknown>;
  inflated: Buffer;
  signature: string;
}

export interface DigestInput {
  chain: ChainId;
  bucket: string;
  start: Date;
  end: Date;
  key: SigningKey;
  /** The digest before this one; null when this digest starts a chain (the trail had not been logging). */
  previous: DigestSpec | null;
  logFiles: DigestLogFile[];
}

/** The digest's fields in the order CloudTrail writes them; the event times span its log files (null when none). */
export function digestFields(input: DigestInput): Record<string, unknown> {
  const { chain, bucket, start, end, key, previous, logFiles } = input;
  const newest = logFiles.map((f) => f.newestEventTime).sort().pop();
  const oldest = logFiles.map((f) => f.oldestEventTime).sort()[0];
  return {
    awsAccountId: chain.account,
    digestStartTime: isoSeconds(start),
    digestEndTime: isoSeconds(end),
    digestS3Bucket: bucket,
    digestS3Object: digestKeyFor(chain, end),
    digestPublicKeyFingerprint: key.fingerprint,
    digestSignatureAlgorithm: SIGNATURE_ALGORITHM,
    newestEventTime: newest ?? null,
    oldestEventTime: oldest ?? null,
    previousDigestS3Bucket: previous === null ? null : previous.fields.digestS3Bucket,
    previousDigestS3Object: previous === null ? null : previous.key,
    previousDigestHashValue: previous === null ? null : sha256Hex(previous.inflated),
    previousDigestHashAlgorithm: previous === null ? null : 'SHA-256',
    previousDigestSignature: previous === null ? null : previous.signature,
    logFiles,
  };
}

/** Signs digest fields with the key; returns the spec (inflated bytes and hex signature). */
export function signDigest(fields: Record<string, unknown>, key: SigningKey): DigestSpec {
  const inflated = Buffer.from(JSON.stringify(fields));
  const signature = sign('sha256', signedString(fields, sha256Hex(inflated)), key.privateKey).toString('hex');
  return { key: String(fields.digestS3Object), fields, inflated, signature };
}

/** The S3 user metadata CloudTrail puts on a digest object (what `collect` keeps in the sidecar). */
export function digestMetadata(d: DigestSpec): Record<string, string> {
  return { signature: d.signature, 'signature-algorithm': SIGNATURE_ALGORITHM };
}
