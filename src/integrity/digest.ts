// One digest file, loaded and judged the way the AWS CLI judges it, in the same order: present, a gzip of a
// JSON object, signed (object metadata), the required fields present, at the location it names, signed by
// a known key, and the signature valid over the signed string.
import { createHash } from 'node:crypto';
import { GzipFormatError, inflateFirstMember } from './gzip.js';
import { verifySignature, type PublicKeyEntry } from './keys.js';
import type { StoredObject } from './store.js';

export interface LogEntry {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
}

export interface LoadedDigest {
  bucket: string;
  key: string;
  fields: Record<string, unknown>;
  start: Date;
  end: Date;
  /** Hex SHA-256 of the inflated digest (what the next digest's previousDigestHashValue names). */
  sha256: string;
  /** The signature from the object metadata (what the next digest's previousDigestSignature names). */
  signature: string;
  previous: { bucket: string; key: string } | undefined;
  logFiles: (LogEntry | { malformed: string })[];
  trailingBytes: number;
}

export type DigestReason = 'not-found' | 'refused' | 'malformed' | 'moved' | 'unknown-key' | 'untrusted-key' | 'bad-key' | 'bad-signature';

export type DigestOutcome = { kind: 'valid'; digest: LoadedDigest } | { kind: 'invalid'; reason: DigestReason; detail: string };

/** The fields the CLI requires before it judges a digest. */
const REQUIRED = ['digestPublicKeyFingerprint', 'digestS3Bucket', 'digestS3Object', 'previousDigestSignature', 'digestEndTime', 'digestStartTime'];

export const REASON_TEXT: Record<DigestReason, string> = {
  'not-found': 'not found',
  refused: 'refused unread',
  malformed: 'invalid format',
  moved: 'has been moved from its original location',
  'unknown-key': 'public key not found',
  'untrusted-key': 'signed by a key outside the trusted fingerprints',
  'bad-key': 'unable to load the public key',
  'bad-signature': 'signature verification failed',
};

/** The string CloudTrail signs: end time, bucket/key, hex SHA-256 of the inflated digest, previous signature. */
export function signedString(fields: Record<string, unknown>, inflatedSha256: string): Buffer {
  const previous = fields.previousDigestSignature;
  const text = `${String(fields.digestEndTime)}\n${String(fields.digestS3Bucket)}/${String(fields.digestS3Object)}\n${inflatedSha256}\n${previous === null || previous === undefined ? 'null' : String(previous)}`;
  return Buffer.from(text, 'utf8');
}

export interface KeyLookup {
  /** Keys for the range being validated; backfill digests add theirs as they go. */
  keys: Map<string, PublicKeyEntry>;
  /** Keys valid within one hour of a backfill digest's generation time. */
  backfillKeys(at: Date): Map<string, PublicKeyEntry>;
  region: string;
  /** Fingerprints the auditor pinned: a digest signed by any other key is invalid, whatever keys are known. */
  pinned?: ReadonlySet<string>;
}

/** `fetched` is the object as read from the store (undefined: no such key). */
export async function loadDigest(fetched: Promise<StoredObject | undefined>, bucket: string, key: string, lookup: KeyLookup, backfill: boolean): Promise<DigestOutcome> {
  const invalid = (reason: DigestReason, detail: string = REASON_TEXT[reason]): DigestOutcome => ({ kind: 'invalid', reason, detail });
  const object = await fetched;
  if (object === undefined) return invalid('not-found');
  if (object.refused !== undefined) return invalid('refused', `refused unread: ${object.refused}`);

  let inflated: { data: Buffer; trailingBytes: number; truncated: boolean };
  let fields: Record<string, unknown>;
  try {
    inflated = await inflateFirstMember(object.body);
    if (inflated.truncated) return invalid('malformed', 'invalid format: the gzip data is truncated');
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(inflated.data));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return invalid('malformed', 'invalid format: not a JSON object');
    fields = parsed as Record<string, unknown>;
  } catch (err) {
    return invalid('malformed', `invalid format: ${err instanceof GzipFormatError ? err.message : 'not valid JSON'}`);
  }
  if (object.metadataProblem !== undefined) return invalid('bad-signature', `signature verification failed: ${object.metadataProblem}`);
  const signature = object.metadata.signature;
  if (signature === undefined || object.metadata['signature-algorithm'] === undefined) {
    return invalid('bad-signature', 'signature verification failed: no signature and signature-algorithm in the object metadata');
  }
  let generatedAt: Date | undefined;
  if (backfill) {
    const stamp = object.metadata['backfill-generation-timestamp'];
    if (stamp === undefined) return invalid('malformed', 'invalid format: a backfill digest without backfill-generation-timestamp metadata');
    generatedAt = new Date(stamp);
    if (Number.isNaN(generatedAt.getTime())) return invalid('malformed', `invalid format: unreadable backfill-generation-timestamp "${stamp}"`);
  }
  const missing = REQUIRED.filter((name) => !(name in fields));
  if (missing.length > 0) return invalid('malformed', `invalid format: missing ${missing.join(', ')}`);
  if (fields.digestS3Bucket !== bucket || fields.digestS3Object !== key) {
    return invalid('moved', `has been moved from its original location (it names s3://${String(fields.digestS3Bucket)}/${String(fields.digestS3Object)})`);
  }
  const fingerprint = String(fields.digestPublicKeyFingerprint);
  if (lookup.pinned !== undefined && !lookup.pinned.has(fingerprint)) {
    return invalid('untrusted-key', `signed by public key ${fingerprint}, which is not one of the trusted fingerprints (${[...lookup.pinned].sort().join(', ')})`);
  }
  if (!lookup.keys.has(fingerprint) && generatedAt !== undefined) {
    for (const [fp, entry] of lookup.backfillKeys(generatedAt)) lookup.keys.set(fp, entry);
  }
  const entry = lookup.keys.get(fingerprint);
  if (entry === undefined) return invalid('unknown-key', `public key not found in region ${lookup.region} for fingerprint ${fingerprint}`);

  const sha256 = createHash('sha256').update(inflated.data).digest('hex');
  switch (verifySignature(entry, signedString(fields, sha256), signature)) {
    case 'bad-key':
      return invalid('bad-key', `unable to load PKCS #1 key with fingerprint ${fingerprint}`);
    case 'bad-signature-encoding':
      return invalid('bad-signature', 'signature verification failed: the signature metadata is not hex');
    case 'bad-signature':
      return invalid('bad-signature');
    case 'valid':
      break;
  }
  const start = new Date(String(fields.digestStartTime));
  const end = new Date(String(fields.digestEndTime));
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return invalid('malformed', 'invalid format: unreadable digestStartTime or digestEndTime');
  const previousBucket = fields.previousDigestS3Bucket;
  const previousKey = fields.previousDigestS3Object;
  return {
    kind: 'valid',
    digest: {
      bucket,
      key,
      fields,
      start,
      end,
      sha256,
      signature,
      previous: typeof previousBucket === 'string' && typeof previousKey === 'string' ? { bucket: previousBucket, key: previousKey } : undefined,
      logFiles: logEntries(fields.logFiles),
      trailingBytes: inflated.trailingBytes,
    },
  };
}

function logEntries(value: unknown): (LogEntry | { malformed: string })[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [{ malformed: 'logFiles is not a list' }];
  return value.map((e: unknown, i) => {
    const entry = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
    const { s3Bucket, s3Object, hashValue } = entry;
    if (typeof s3Bucket === 'string' && typeof s3Object === 'string' && typeof hashValue === 'string') return { s3Bucket, s3Object, hashValue };
    return { malformed: `logFiles/${i} lacks s3Bucket, s3Object or hashValue` };
  });
}
