// S3 Control's GetPublicAccessBlock (the account-level S3 Block Public Access), the one call the installed SDK
// clients do not cover. It is a single signed GET, so it is made here with Signature Version 4 over fetch
// rather than with another SDK package; the collection's scheduler around it gives it the same timeout, retries
// and counts. The endpoint is resolved as every other (AWS_ENDPOINT_URL_S3_CONTROL, AWS_ENDPOINT_URL).
import { createHash, createHmac } from 'node:crypto';
import type { CredentialProvider, Credentials } from './clients.js';
import { resolveEndpoint, type Env } from './region.js';

export interface GetAccountPublicAccessBlockOutput {
  PublicAccessBlockConfiguration?: { BlockPublicAcls?: boolean; IgnorePublicAcls?: boolean; BlockPublicPolicy?: boolean; RestrictPublicBuckets?: boolean };
}

/** What the collector needs from an S3 Control client (tests put a fake in its place). */
export interface S3ControlApi {
  getPublicAccessBlock(accountId: string, signal: AbortSignal): Promise<GetAccountPublicAccessBlockOutput>;
}

export interface SignInput {
  method: string;
  url: URL;
  /** Headers to sign besides host (lower-case names). */
  headers: Record<string, string>;
  payloadHash: string;
  region: string;
  service: string;
  credentials: Credentials;
  /** YYYYMMDD'T'HHMMSS'Z' */
  amzDate: string;
}

const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Signature Version 4: the Authorization header for a request without a query string. */
export function signV4(input: SignInput): string {
  const headers: Record<string, string> = { ...input.headers, host: input.url.host, 'x-amz-date': input.amzDate };
  const names = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((n) => `${n}:${String(lower[n]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const path = input.url.pathname.split('/').map((s) => encodeURIComponent(decodeURIComponent(s))).join('/');
  const canonicalRequest = [input.method, path, '', canonicalHeaders, signedHeaders, input.payloadHash].join('\n');
  const day = input.amzDate.slice(0, 8);
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', input.amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${input.credentials.secretAccessKey}`, day), input.region), input.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

function xmlValue(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m?.[1];
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** The output as the SDK would give it: only the settings present in the XML, as booleans. */
export function parsePublicAccessBlock(xml: string): GetAccountPublicAccessBlockOutput {
  const block = /<PublicAccessBlockConfiguration>([\s\S]*?)<\/PublicAccessBlockConfiguration>/.exec(xml)?.[1];
  if (block === undefined) return {};
  const config: NonNullable<GetAccountPublicAccessBlockOutput['PublicAccessBlockConfiguration']> = {};
  for (const name of ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const) {
    const v = xmlValue(block, name);
    if (v !== undefined) config[name] = v.trim() === 'true';
  }
  return { PublicAccessBlockConfiguration: config };
}

/** An S3 Control error answer thrown in the SDK's shape (name = AWS error code, $metadata.httpStatusCode). */
export class S3ControlError extends Error {
  readonly $metadata: { httpStatusCode: number };

  constructor(name: string, message: string, status: number) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

export function dnsSuffix(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

export class S3ControlClient implements S3ControlApi {
  constructor(private readonly config: { region: string; credentials: CredentialProvider; endpoint?: string | undefined }) {}

  async getPublicAccessBlock(accountId: string, signal: AbortSignal): Promise<GetAccountPublicAccessBlockOutput> {
    const base = this.config.endpoint ?? `https://${accountId}.s3-control.${this.config.region}.${dnsSuffix(this.config.region)}`;
    const url = new URL('/v20180820/configuration/publicAccessBlock', base);
    // One quick second attempt for a server error, as the SDK's standard retry would make.
    for (let attempt = 0; ; attempt++) {
      const credentials = await this.config.credentials();
      const payloadHash = sha256('');
      const headers: Record<string, string> = { 'x-amz-account-id': accountId, 'x-amz-content-sha256': payloadHash };
      if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
      const date = amzDate(new Date());
      const authorization = signV4({ method: 'GET', url, headers, payloadHash, region: this.config.region, service: 's3', credentials, amzDate: date });
      const response = await fetch(url, { method: 'GET', headers: { ...headers, 'x-amz-date': date, authorization }, signal });
      const body = await response.text();
      if (response.ok) return parsePublicAccessBlock(body);
      if (response.status >= 500 && attempt === 0) continue;
      const code = xmlValue(body, 'Code') ?? `Http${response.status}`;
      throw new S3ControlError(code, unescapeXml(xmlValue(body, 'Message') ?? `HTTP ${response.status} from ${url.host}`), response.status);
    }
  }
}

/** The S3 Control client of a region, its endpoint resolved as every other client's (resolveEndpoint). */
export function makeS3ControlClient(region: string, credentials: CredentialProvider, env: Env = process.env): S3ControlClient {
  return new S3ControlClient({ region, credentials, endpoint: resolveEndpoint('S3_CONTROL', { env }) });
}
