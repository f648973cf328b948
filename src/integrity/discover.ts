// The chains a bucket or a local copy holds: every digest key parsed and grouped by account, region and trail. A chain's
// bucket is the one given, or the one its newest digest names (the copy does not record it).
import { chainKey, compareStrings, parseDigestKey, type ChainId } from '../evidence/s3-layout.js';
import { MAX_DIGEST_FILE_BYTES, inflateFirstMember } from './gzip.js';
import type { ObjectStore } from './store.js';

export interface FoundChain {
  chain: ChainId;
  bucket: string;
}

/** Chains under `prefix` of the store; `bucket` undefined for a local copy whose bucket is not given. */
export async function discoverChains(store: ObjectStore, bucket: string | undefined, prefix = ''): Promise<FoundChain[]> {
  const newest = new Map<string, { chain: ChainId; key: string; end: Date }>();
  for await (const key of store.list(bucket ?? '', prefix)) {
    const parsed = parseDigestKey(key);
    if (parsed === undefined) continue;
    const { prefix, orgId, account, region, trail, homeRegion } = parsed;
    const id = chainKey(parsed);
    const known = newest.get(id);
    if (known === undefined || parsed.end > known.end) newest.set(id, { chain: { prefix, orgId, account, region, trail, homeRegion }, key, end: parsed.end });
  }
  const found: FoundChain[] = [];
  for (const [id, { chain, key }] of [...newest.entries()].sort(([a], [b]) => compareStrings(a, b))) {
    found.push({ chain, bucket: bucket ?? (await namedBucket(store, key)) ?? `unknown-bucket-of-${id.replace(/\|/g, '-')}` });
  }
  return found;
}

async function namedBucket(store: ObjectStore, key: string): Promise<string | undefined> {
  const object = await store.get('', key, MAX_DIGEST_FILE_BYTES);
  if (object === undefined || object.refused !== undefined) return undefined;
  try {
    const fields: unknown = JSON.parse((await inflateFirstMember(object.body)).data.toString('utf8'));
    const named = (fields as { digestS3Bucket?: unknown }).digestS3Bucket;
    return typeof named === 'string' ? named : undefined;
  } catch {
    // An unreadable newest digest is reported by the walk; the bucket stays unknown here.
    return undefined;
  }
}
