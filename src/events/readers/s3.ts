// `--logs s3://bucket/prefix`: log files straight from the bucket. The layout is listed a folder level at a
// time (ListObjectsV2 with a delimiter), so accounts, regions and days out of scope are never listed; objects
// are read into memory as stored (no temporary files; the thread that parses one inflates it), a bounded
// number at a time, in delivery order.
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '../../aws/sdk/s3.js';
import { TrailproofError, errorMessage } from '../../errors.js';
import { MAX_INFLATED_BYTES } from './decode.js';
import type { BytesUnit, LogSource, Pruned, ScanScope, SkippedInput } from './types.js';
import { walkLayout, type FileEntry, type Tree, type TreeListing, type WalkState, newWalkState } from './walk.js';

/** Objects fetched at once: enough to hide S3's latency, few enough that memory stays flat. */
export const DEFAULT_S3_CONCURRENCY = 8;

export interface S3Location {
  bucket: string;
  /** Key prefix without a leading slash; '' for the bucket root. */
  prefix: string;
}

export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!m) throw new TrailproofError('TP_USAGE', `--logs ${url}: expected s3://bucket or s3://bucket/prefix`);
  return { bucket: m[1] as string, prefix: (m[2] ?? '').replace(/^\/+/, '') };
}

function s3Tree(client: S3Client, location: S3Location): Tree {
  const root = location.prefix.split('/').filter((s) => s !== '');
  const keyOf = (segments: readonly string[]): string => (segments.length === 0 ? '' : segments.join('/') + '/');
  return {
    root,
    async list(segments) {
      const prefix = keyOf(segments);
      const listing: TreeListing = { dirs: [], files: [] };
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
        for (const p of page.CommonPrefixes ?? []) {
          const name = (p.Prefix ?? '').slice(prefix.length).replace(/\/$/, '');
          if (name !== '') listing.dirs.push(name);
        }
        for (const o of page.Contents ?? []) {
          const name = (o.Key ?? '').slice(prefix.length);
          if (name !== '' && !name.includes('/')) listing.files.push({ name, size: o.Size ?? 0 });
        }
        token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return listing.dirs.length === 0 && listing.files.length === 0 ? undefined : listing;
    },
    display(segments, file) {
      return `s3://${location.bucket}/${keyOf(segments)}${file ?? ''}`;
    },
  };
}

/** Collects a stream into one buffer, refusing more than MAX_INFLATED_BYTES. */
async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > MAX_INFLATED_BYTES) throw new Error(`larger than ${MAX_INFLATED_BYTES / 1024 / 1024} MiB (MAX_INFLATED_BYTES)`);
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, total);
}

/** An object body as inflated JSON text bytes: gzip (known by its magic number) streamed through gunzip. */
/** Runs fn over the items with at most `limit` in flight, yielding results in input order. */
async function* orderedPrefetch<T, R>(items: AsyncIterable<T>, limit: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  const queue: Promise<R>[] = [];
  for await (const item of items) {
    queue.push(fn(item));
    if (queue.length >= limit) yield await (queue.shift() as Promise<R>);
  }
  while (queue.length > 0) yield await (queue.shift() as Promise<R>);
}

/** Refuses credentials and access problems at the root listing: nothing could be read (exit 3), not a bad file. */
function rootFailure(url: string, err: unknown): TrailproofError {
  const name = (err as { name?: string }).name ?? '';
  const insufficient = /Credential|AccessDenied|Forbidden|ExpiredToken|InvalidAccessKeyId|SignatureDoesNotMatch/.test(name + ' ' + errorMessage(err));
  return new TrailproofError(insufficient ? 'TP_EVIDENCE_INSUFFICIENT' : 'TP_USAGE', `--logs ${url}: cannot list the bucket: ${name ? `${name}: ` : ''}${errorMessage(err)}`, { exitCode: insufficient ? 3 : 2 });
}

export function s3Logs(client: S3Client, url: string, scope: ScanScope, concurrency = DEFAULT_S3_CONCURRENCY): LogSource {
  const location = parseS3Url(url);
  const state: WalkState = newWalkState();
  return {
    describe: url,
    async *units() {
      const tree = s3Tree(client, location);
      try {
        await tree.list(tree.root);
      } catch (err) {
        throw rootFailure(url, err);
      }
      const fetch = async (entry: FileEntry): Promise<BytesUnit | undefined> => {
        const key = [...entry.segments, entry.name].join('/');
        try {
          const res = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }));
          const body = res.Body as AsyncIterable<Uint8Array> | undefined;
          if (body === undefined) throw new Error('empty response body');
          // As stored: the thread that parses the file inflates it, off this one, and a tenth of the bytes travel there.
          const bytes = await collect(body);
          return { kind: 'bytes', name: entry.display, size: entry.size, delivered: entry.delivered, bytes };
        } catch (err) {
          state.skipped.push({ name: entry.display, reason: errorMessage(err), events: null });
          return undefined;
        }
      };
      for await (const unit of orderedPrefetch(walkLayout(tree, scope, state), concurrency, fetch)) {
        if (unit !== undefined) yield unit;
      }
    },
    skipped: (): SkippedInput[] => state.skipped,
    pruned: (): Pruned => state.pruned,
    mayRepeat: () => state.mayRepeat,
  };
}
