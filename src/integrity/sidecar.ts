// Copying log and digest files into an evidence bundle (for `collect --logs`): each object is written at its
// key under the bundle's logs/ folder, and a digest file gets its S3 user metadata (the signature CloudTrail
// put there) in a sidecar `<file>.metadata.json` beside it (CONTRACT section 5), without which a copied
// digest cannot be verified.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TrailproofError } from '../errors.js';
import { pathProblem } from '../evidence/contained.js';
import { SIDECAR_SUFFIX, compareStrings, parseDigestKey, sidecarJson } from '../evidence/s3-layout.js';
import { Pool } from './pool.js';
import type { ObjectStore, StoredObject } from './store.js';

export function isDigestKey(key: string): boolean {
  return parseDigestKey(key) !== undefined;
}

/**
 * Writes one object under `logsDir` at its key; a digest also gets its sidecar. Returns the paths written,
 * relative to logsDir with '/' separators (for the bundle manifest).
 */
export async function writeCopiedObject(logsDir: string, key: string, object: StoredObject): Promise<string[]> {
  // The key comes from a bucket listing: it must stay a file name inside logsDir.
  const problem = pathProblem(key);
  if (problem !== undefined) throw new TrailproofError('TP_USAGE', `cannot copy ${key}: ${problem}, not a file name inside ${logsDir}`);
  if (object.refused !== undefined) throw new TrailproofError('TP_USAGE', `cannot copy ${key}: ${object.refused}`);
  const path = join(logsDir, ...key.split('/'));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, object.body);
  if (!isDigestKey(key)) return [key];
  await writeFile(`${path}${SIDECAR_SUFFIX}`, sidecarJson(object.metadata));
  return [key, `${key}${SIDECAR_SUFFIX}`];
}

export interface CopyResult {
  /** Paths written, relative to logsDir, sorted. */
  written: string[];
  /** Keys listed but gone by the time they were read. */
  vanished: string[];
}

/** Copies the listed keys of a bucket (or any store) into logsDir, a bounded number at a time. */
export async function copyLogObjects(store: ObjectStore, bucket: string, keys: Iterable<string> | AsyncIterable<string>, logsDir: string, concurrency = 8): Promise<CopyResult> {
  const pool = new Pool(concurrency);
  const written: string[] = [];
  const vanished: string[] = [];
  for await (const key of keys) {
    await pool.add(async () => {
      const object = await store.get(bucket, key);
      if (object === undefined) vanished.push(key);
      else written.push(...(await writeCopiedObject(logsDir, key, object)));
    });
  }
  await pool.drain();
  return { written: written.sort(compareStrings), vanished: vanished.sort(compareStrings) };
}
