// The one way trailproof makes an AWS SDK client. Every client gets a region (a name, or a provider that
// resolves it on first use: region.ts), the retry mode and attempts the caller asks for, connection and
// request timeouts so that a connection that never answers fails the call instead of holding the run, an
// explicit endpoint when one was given (else the SDK's own: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the
// profile's endpoint_url), and the profile or credentials of the session. Callers pass the SDK's client class
// (from src/aws/sdk/*), so each SDK package is loaded only by the code that uses its service.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
export type CredentialProvider = () => Promise<Credentials>;

/** Until a TCP (and TLS) connection must be up. */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;
/** How long a request may go without a byte of answer. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** The SDK's own default: one call and two retries, in the standard mode. */
export const DEFAULT_RETRY: RetrySettings = { mode: 'standard', maxAttempts: 3 };

export interface RetrySettings {
  /** `adaptive` also slows the client down on throttling answers (the collection, the query engines). */
  mode: 'standard' | 'adaptive';
  /** Attempts per call within the SDK, the first included. */
  maxAttempts: number;
}

export interface ClientSettings {
  /** A region name, or a provider resolving it on the client's first call (resolveRegion). */
  region: string | (() => Promise<string>);
  /** Default: the SDK's chain for `profile`. */
  credentials?: CredentialProvider | undefined;
  profile?: string | undefined;
  retry?: RetrySettings | undefined;
  timeouts?: { connectionMs: number; requestMs: number } | undefined;
  /** Connections shared by many clients (the collection's thousands of account-region clients). */
  pool?: ConnectionPool | undefined;
  /** An endpoint given by flag or configuration (resolveEndpoint); undefined lets the SDK find one. */
  endpoint?: string | undefined;
  /** S3 only: follow a bucket to its own region; address buckets by path (S3-compatible servers). */
  s3?: { followRegionRedirects?: boolean; forcePathStyle?: boolean } | undefined;
}

/** One keep-alive pool of connections for many clients, reused across accounts that reach the same endpoint. */
export class ConnectionPool {
  readonly httpsAgent: HttpsAgent;
  readonly httpAgent: HttpAgent;

  constructor(maxSockets: number) {
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets });
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets });
  }

  destroy(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }
}

/** The SDK client configuration for the settings (also what fromTemporaryCredentials takes for its STS client). */
export function clientConfig(settings: ClientSettings): Record<string, unknown> {
  const retry = settings.retry ?? DEFAULT_RETRY;
  const timeouts = settings.timeouts ?? { connectionMs: DEFAULT_CONNECTION_TIMEOUT_MS, requestMs: DEFAULT_REQUEST_TIMEOUT_MS };
  const requestHandler: Record<string, unknown> = { connectionTimeout: timeouts.connectionMs, requestTimeout: timeouts.requestMs };
  if (settings.pool !== undefined) {
    requestHandler['httpsAgent'] = settings.pool.httpsAgent;
    requestHandler['httpAgent'] = settings.pool.httpAgent;
  }
  const config: Record<string, unknown> = { region: settings.region, retryMode: retry.mode, maxAttempts: retry.maxAttempts, requestHandler };
  if (settings.credentials !== undefined) config['credentials'] = settings.credentials;
  if (settings.profile !== undefined) config['profile'] = settings.profile;
  if (settings.endpoint !== undefined) config['endpoint'] = settings.endpoint;
  if (settings.s3?.followRegionRedirects === true) config['followRegionRedirects'] = true;
  if (settings.s3?.forcePathStyle === true) config['forcePathStyle'] = true;
  return config;
}

/** A client of the SDK class given (S3Client, CloudTrailClient ... from src/aws/sdk), configured as above. */
export function makeClient<C>(Client: new (config: never) => C, settings: ClientSettings): C {
  quietSdkNodeWarning();
  return new Client(clientConfig(settings) as never);
}

/**
 * The SDK warns on stderr, at its first client, that its releases from 2027 need Node 22; trailproof supports
 * Node 20 (package.json engines), and the warning would only interleave with the command's own output (collect
 * silenced it alone before; every command that calls AWS does now). A user's own setting is kept.
 */
export function quietSdkNodeWarning(): void {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
}
