// A session of many AWS calls across accounts (the collection): the caller's credentials from the SDK's
// default chain (or a profile), a role assumed once per member account and shared by all of that account's
// clients, and the settings every client of the session is made with (the adaptive retry mode, timeouts, one
// pool of connections). Clients are made per account and region and dropped when their region is done (an
// SDK client costs memory; a run of 200 accounts x 17 regions must not keep thousands of them).
import { ConnectionPool, type ClientSettings, type CredentialProvider } from './clients.js';
import { assumeRoleOnce, callerCredentials, memoizeCredentials, partitionOf, roleArn } from './credentials.js';
import type { CallError } from './errors.js';
import type { Scheduler } from './scheduler.js';

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
}

export type AccountAccess = { ok: true; credentials: CredentialProvider } | { ok: false; error: CallError; roleArn: string };

const CONNECTION_TIMEOUT_MS = 5000;
const ROLE_SESSION_SECONDS = 3600;

export class AwsSession {
  readonly base: CredentialProvider;
  private readonly access = new Map<string, Promise<AccountAccess>>();
  private readonly pool: ConnectionPool;
  private caller = '';
  private partition = 'aws';

  constructor(readonly options: SessionOptions, protected readonly scheduler: Scheduler<string>) {
    this.base = memoizeCredentials(options.credentials ?? callerCredentials(options.profile));
    this.pool = new ConnectionPool(Math.max(8, options.concurrency));
  }

  /** Records who the caller is: their account uses the caller's credentials, others the assumed role. */
  setCaller(account: string, arn: string): void {
    this.caller = account;
    this.partition = partitionOf(arn);
  }

  roleArn(account: string): string {
    return roleArn(this.partition, account, this.options.assumeRole ?? '');
  }

  /** Credentials for an account, checked once (AssumeRole made) so a role that cannot be assumed is known up front. */
  credentialsFor(account: string): Promise<AccountAccess> {
    const known = this.access.get(account);
    if (known) return known;
    const pending = this.resolveAccess(account);
    this.access.set(account, pending);
    return pending;
  }

  /** The settings every SDK client of the session shares. */
  settings(region: string, credentials: CredentialProvider): ClientSettings {
    const settings: ClientSettings = {
      region,
      credentials,
      retry: { mode: 'adaptive', maxAttempts: this.options.maxAttempts ?? 5 },
      timeouts: { connectionMs: CONNECTION_TIMEOUT_MS, requestMs: this.options.callTimeoutMs },
      pool: this.pool,
    };
    if (this.options.profile !== undefined) settings.profile = this.options.profile;
    return settings;
  }

  destroy(): void {
    this.pool.destroy();
  }

  private async resolveAccess(account: string): Promise<AccountAccess> {
    if (account === this.caller) return { ok: true, credentials: this.base };
    const arn = this.roleArn(account);
    // A client per AssumeRole (once an hour per account), not one kept per account for the whole run.
    const provider = memoizeCredentials(() =>
      assumeRoleOnce({ roleArn: arn, sessionName: 'trailproof-collect', externalId: this.options.externalId, durationSeconds: ROLE_SESSION_SECONDS, sts: this.settings(this.options.region, this.base) }));
    const outcome = await this.scheduler.call({ action: 'sts:AssumeRole', account, region: 'global', failureKind: 'role' }, () => provider());
    return outcome.ok ? { ok: true, credentials: provider } : { ok: false, error: outcome.error, roleArn: arn };
  }
}
