// Digest and log files read straight from S3: ListObjectsV2 and GetObject, each bucket through a client in
// its own region (GetBucketLocation). The digest signature comes from the object metadata; objects
// encrypted with SSE-KMS are decrypted by S3 as usual (the caller needs kms:Decrypt on the trail's key).
import { GetBucketLocationCommand, GetObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '../aws/sdk/s3.js';
import { makeClient, type ClientSettings } from '../aws/clients.js';
import { classify, toCallError } from '../aws/errors.js';
import { TrailproofError, errorMessage } from '../errors.js';
import type { ObjectStore, StoredObject } from './store.js';
import { MAX_LOG_FILE_BYTES } from './gzip.js';

export interface AwsClientConfig {
  region?: string;
  /** --profile: the credentials (and default region) of this profile instead of the default chain. */
  profile?: string;
  /** S3's own endpoint (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, e.g. an S3-compatible server); path-style addressing then. */
  endpoint?: string;
}

/**
 * The client settings for a region. S3 takes the S3 endpoint (an S3-compatible server, addressed by path); any
 * other service (CloudTrail, Organizations) never does: the SDK finds its own (AWS_ENDPOINT_URL_<SERVICE>).
 */
export function clientSettings(base: AwsClientConfig, region: string, service: 'S3' | 'other' = 'S3'): ClientSettings {
  const profile = base.profile === undefined ? {} : { profile: base.profile };
  return base.endpoint === undefined || service !== 'S3' ? { region, ...profile } : { region, ...profile, endpoint: base.endpoint, s3: { forcePathStyle: true } };
}

export class S3Store implements ObjectStore {
  private readonly clients = new Map<string, S3Client>();
  private readonly regions = new Map<string, Promise<string>>();

  constructor(private readonly config: AwsClientConfig) {}

  private client(region: string): S3Client {
    let client = this.clients.get(region);
    if (client === undefined) {
      client = makeClient(S3Client, clientSettings(this.config, region));
      this.clients.set(region, client);
    }
    return client;
  }

  /** The bucket's region, asked once. */
  bucketRegion(bucket: string): Promise<string> {
    let region = this.regions.get(bucket);
    if (region === undefined) {
      region = this.client(this.config.region ?? 'us-east-1')
        .send(new GetBucketLocationCommand({ Bucket: bucket }))
        .then((r) => (r.LocationConstraint === undefined || (r.LocationConstraint as string) === '' ? 'us-east-1' : r.LocationConstraint === 'EU' ? 'eu-west-1' : r.LocationConstraint))
        .catch((err: unknown) => {
          throw failure(`GetBucketLocation ${bucket}`, err);
        });
      this.regions.set(bucket, region);
    }
    return region;
  }

  async *list(bucket: string, prefix: string, startAfter?: string): AsyncIterable<string> {
    const client = this.client(await this.bucketRegion(bucket));
    let token: string | undefined;
    do {
      const input: ConstructorParameters<typeof ListObjectsV2Command>[0] = { Bucket: bucket, Prefix: prefix };
      if (token !== undefined) input.ContinuationToken = token;
      else if (startAfter !== undefined) input.StartAfter = startAfter;
      let page;
      try {
        page = await client.send(new ListObjectsV2Command(input));
      } catch (err) {
        throw failure(`ListObjectsV2 s3://${bucket}/${prefix}`, err);
      }
      for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  /** The "folders" right under a prefix (ListObjectsV2 with a delimiter). */
  async subfolders(bucket: string, prefix: string): Promise<string[]> {
    const client = this.client(await this.bucketRegion(bucket));
    const out: string[] = [];
    let token: string | undefined;
    do {
      const input: ConstructorParameters<typeof ListObjectsV2Command>[0] = { Bucket: bucket, Prefix: prefix, Delimiter: '/' };
      if (token !== undefined) input.ContinuationToken = token;
      let page;
      try {
        page = await client.send(new ListObjectsV2Command(input));
      } catch (err) {
        throw failure(`ListObjectsV2 s3://${bucket}/${prefix}`, err);
      }
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix !== undefined) out.push(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return out;
  }

  async get(bucket: string, key: string, maxBytes: number = MAX_LOG_FILE_BYTES): Promise<StoredObject | undefined> {
    const client = this.client(await this.bucketRegion(bucket));
    try {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (response.ContentLength !== undefined && response.ContentLength > maxBytes) {
        (response.Body as { destroy?: () => void } | undefined)?.destroy?.();
        return { body: Buffer.alloc(0), metadata: {}, refused: `larger than the ${maxBytes}-byte bound (${response.ContentLength} bytes)` };
      }
      const body = Buffer.from(await (response.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(response.Metadata ?? {})) metadata[k.toLowerCase()] = v;
      return { body, metadata };
    } catch (err) {
      if (err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.$metadata.httpStatusCode === 404)) return undefined;
      throw failure(`GetObject s3://${bucket}/${key}`, err);
    }
  }

  describe(bucket: string, key: string): string {
    return `s3://${bucket}/${key}`;
  }
}

/** An AWS call that failed: the input could not be read (exit 3 when access is denied, as src/aws classifies it, else 2). */
export function failure(call: string, err: unknown): TrailproofError {
  const name = err instanceof Error ? err.name : 'Error';
  const { error, status } = toCallError(err);
  const denied = classify(error, status) === 'denied';
  return new TrailproofError(denied ? 'TP_EVIDENCE_INSUFFICIENT' : 'TP_USAGE', `${call} failed: ${name}: ${errorMessage(err)}`, { exitCode: denied ? 3 : 2, cause: err });
}
