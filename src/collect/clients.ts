// Credentials and SDK clients for a collection: the caller's credentials from the SDK's default chain (or a
// profile), a role assumed once per member account and shared by all of that account's clients, and clients
// made per account and region with the adaptive retry mode and timeouts, dropped when their region is done
// (an SDK client costs memory; a run of 200 accounts x 17 regions must not keep thousands of them).
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { S3ControlClient, s3ControlEndpoint, type CredentialProvider, type Credentials, type S3ControlApi } from './s3control.js';
import type { CallError, Scheduler } from './scheduler.js';

export interface SessionOptions {
  profile?: string | undefined;
  /** Region for calls that have none (STS, Organizations, DescribeRegions, S3 Control). */
  region: string;
  concurrency: number;
  callTimeoutMs: number;
  assumeRole?: string | undefined;
  externalId?: string | undefined;
  /** The caller's credentials, instead of the SDK's default chain. */
  credentials?: CredentialProvider | undefined;
  /** Attempts per call within the SDK (adaptive retry mode). */
  maxAttempts?: number | undefined;
  /** Makes the S3 Control client (tests put a fake here). */
  s3control?: ((config: { region: string; credentials: CredentialProvider }) => S3ControlApi) | undefined;
}

export type AccountAccess = { ok: true; credentials: CredentialProvider } | { ok: false; error: CallError; roleArn: string };

const REFRESH_BEFORE_MS = 5 * 60_000;

/** One shared answer per credential source, renewed shortly before it expires; a failure is not cached. */
export function memoizeCredentials(provider: CredentialProvider): CredentialProvider {
  let current: Promise<Credentials> | undefined;
  return () => {
    if (current === undefined) {
      const pending = provider();
      current = pending;
      pending.then(
        (c) => {
          if (c.expiration !== undefined) {
            const wait = Math.max(0, c.expiration.getTime() - Date.now() - REFRESH_BEFORE_MS);
            setTimeout(() => {
              if (current === pending) current = undefined;
            }, wait).unref();
          }
        },
        () => {
          if (current === pending) current = undefined;
        },
      );
    }
    return current;
  };
}

export class AwsSession {
  readonly base: CredentialProvider;
  private readonly access = new Map<string, Promise<AccountAccess>>();
  private readonly httpsAgent: HttpsAgent;
  private readonly httpAgent: HttpAgent;
  private caller = '';
  private partition = 'aws';

  constructor(readonly options: SessionOptions, private readonly scheduler: Scheduler) {
    const chain = options.credentials ?? (fromNodeProviderChain(options.profile === undefined ? {} : { profile: options.profile }) as CredentialProvider);
    this.base = memoizeCredentials(chain);
    // One pool of connections for every client: reused across accounts that hit the same endpoint.
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: Math.max(8, options.concurrency) });
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets: Math.max(8, options.concurrency) });
  }

  /** Records who the caller is: their account uses the caller's credentials, others the assumed role. */
  setCaller(account: string, arn: string): void {
    this.caller = account;
    this.partition = /^arn:([^:]+):/.exec(arn)?.[1] ?? 'aws';
  }

  roleArn(account: string): string {
    return `arn:${this.partition}:iam::${account}:role/${this.options.assumeRole ?? ''}`;
  }

  /** Credentials for an account, checked once (AssumeRole made) so a role that cannot be assumed is known up front. */
  credentialsFor(account: string): Promise<AccountAccess> {
    const known = this.access.get(account);
    if (known) return known;
    const pending = this.resolveAccess(account);
    this.access.set(account, pending);
    return pending;
  }

  clients(account: string, region: string, credentials: CredentialProvider): ClientSet {
    return new ClientSet(this, account, region, credentials);
  }

  /** The configuration every SDK client of the run shares. */
  clientConfig(region: string, credentials: CredentialProvider): CommonClientConfig {
    const config: CommonClientConfig = {
      region,
      credentials,
      retryMode: 'adaptive',
      maxAttempts: this.options.maxAttempts ?? 5,
      requestHandler: { connectionTimeout: 5000, requestTimeout: this.options.callTimeoutMs, httpsAgent: this.httpsAgent, httpAgent: this.httpAgent },
    };
    if (this.options.profile !== undefined) config.profile = this.options.profile;
    return config;
  }

  s3control(region: string, credentials: CredentialProvider): S3ControlApi {
    if (this.options.s3control) return this.options.s3control({ region, credentials });
    return new S3ControlClient({ region, credentials, endpoint: s3ControlEndpoint(process.env) });
  }

  destroy(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }

  private async resolveAccess(account: string): Promise<AccountAccess> {
    if (account === this.caller) return { ok: true, credentials: this.base };
    const roleArn = this.roleArn(account);
    // A client per AssumeRole (once an hour per account), not one kept per account for the whole run.
    const provider = memoizeCredentials(async () => {
      const sts = new STSClient(this.clientConfig(this.options.region, this.base));
      const input = { RoleArn: roleArn, RoleSessionName: 'trailproof-collect', DurationSeconds: 3600, ...(this.options.externalId === undefined ? {} : { ExternalId: this.options.externalId }) };
      const { Credentials: c } = await sts.send(new AssumeRoleCommand(input));
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw Object.assign(new Error(`STS AssumeRole for ${roleArn} returned no credentials`), { name: 'InvalidResponse' });
      const credentials: Credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey };
      if (c.SessionToken !== undefined) credentials.sessionToken = c.SessionToken;
      if (c.Expiration !== undefined) credentials.expiration = c.Expiration;
      return credentials;
    });
    const outcome = await this.scheduler.call({ action: 'sts:AssumeRole', account, region: 'global', failureKind: 'role' }, () => provider());
    return outcome.ok ? { ok: true, credentials: provider } : { ok: false, error: outcome.error, roleArn };
  }
}

export interface CommonClientConfig {
  region: string;
  credentials: CredentialProvider;
  retryMode: 'adaptive';
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; httpsAgent: HttpsAgent; httpAgent: HttpAgent };
  profile?: string;
}

/** The clients of one account and region, made on first use. */
export class ClientSet {
  private made = new Map<string, unknown>();

  constructor(private readonly session: AwsSession, readonly account: string, readonly region: string, readonly credentials: CredentialProvider) {}

  get cloudtrail(): CloudTrailClient {
    return this.make('cloudtrail', (c) => new CloudTrailClient(c));
  }
  get cloudwatch(): CloudWatchClient {
    return this.make('cloudwatch', (c) => new CloudWatchClient(c));
  }
  get logs(): CloudWatchLogsClient {
    return this.make('logs', (c) => new CloudWatchLogsClient(c));
  }
  get ec2(): EC2Client {
    return this.make('ec2', (c) => new EC2Client(c));
  }
  get events(): EventBridgeClient {
    return this.make('events', (c) => new EventBridgeClient(c));
  }
  get kms(): KMSClient {
    return this.make('kms', (c) => new KMSClient(c));
  }
  get organizations(): OrganizationsClient {
    return this.make('organizations', (c) => new OrganizationsClient(c));
  }
  get s3(): S3Client {
    // A bucket answered from the wrong regional endpoint is followed to its own region.
    return this.make('s3', (c) => new S3Client({ ...c, followRegionRedirects: true }));
  }
  get sns(): SNSClient {
    return this.make('sns', (c) => new SNSClient(c));
  }
  get sts(): STSClient {
    return this.make('sts', (c) => new STSClient(c));
  }
  get s3control(): S3ControlApi {
    return this.make('s3control', () => this.session.s3control(this.region, this.credentials));
  }

  private make<T>(name: string, create: (config: CommonClientConfig) => T): T {
    let client = this.made.get(name) as T | undefined;
    if (client === undefined) {
      client = create(this.session.clientConfig(this.region, this.credentials));
      this.made.set(name, client);
    }
    return client;
  }
}
