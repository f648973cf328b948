// Signed CloudTrail digest chains (fixtures/integrity-vectors.ts) laid into the fake's buckets as CloudTrail
// leaves them: each digest object with its signature in the S3 user metadata, and the public key that
// ListPublicKeys returns.
import { readFileSync } from 'node:fs';
import type { ChainId } from '../../src/evidence/s3-layout.js';
import { chainOf, pathOf, signingKey, writeChain, type ChainOptions, type Vectors } from '../../fixtures/integrity-vectors.js';
import { digestMetadata, type SigningKey } from '../../fixtures/cloudtrail-digest.js';
import type { FakeObject, FakePublicKey } from '../../fixtures/fake-aws.js';

export interface BucketChain {
  vectors: Vectors;
  objects: FakeObject[];
}

/** A chain written for `chain` into `bucket`, as the bucket's objects. */
export function bucketChain(bucket: string, chain: Partial<ChainId>, options: ChainOptions = {}): BucketChain {
  const vectors = writeChain({ ...options, bucket, chain: chainOf(chain) });
  const objects: FakeObject[] = [
    ...vectors.digests.map((d) => ({ key: d.key, body: readFileSync(pathOf(vectors, d.key)), metadata: digestMetadata(d) })),
    ...vectors.logs.map((l) => ({ key: l.key, body: readFileSync(pathOf(vectors, l.key)) })),
  ];
  return { vectors, objects };
}

/** The key's ListPublicKeys entry, valid through 2026. */
export function fakePublicKey(key: SigningKey = signingKey()): FakePublicKey {
  return { der: Buffer.from(key.value, 'base64'), fingerprint: key.fingerprint, from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') };
}
