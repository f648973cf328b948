// Who trailproof calls AWS as. The caller's credentials come from the SDK's default chain (environment, SSO,
// shared files, container or instance role), or from a named profile; another account is reached through a
// role assumed from those (`--assume-role NAME`, with `--external-id` where the role demands one). An
// answer is shared by every client that uses it and renewed shortly before it expires.
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { clientConfig, makeClient, type ClientSettings, type CredentialProvider, type Credentials } from './clients.js';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from './sdk/sts.js';

export type { CredentialProvider, Credentials } from './clients.js';

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

/** The caller's credentials: the SDK's default chain, or the named profile's. */
export function callerCredentials(profile: string | undefined): CredentialProvider {
  return fromNodeProviderChain(profile === undefined ? {} : { profile }) as CredentialProvider;
}

/** The ARN of role NAME in an account, in the caller's partition (aws, aws-cn, aws-us-gov). */
export function roleArn(partition: string, account: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

export interface AssumedRole {
  roleArn: string;
  /** Shows in the account's CloudTrail as who did it: trailproof-collect, trailproof-events ... */
  sessionName: string;
  externalId?: string | undefined;
  /** How the STS client that assumes it is made (region, the caller's profile). */
  sts: ClientSettings;
}

/** Credentials of a role, assumed through the SDK's provider (which renews them itself). */
export function assumedRoleCredentials(role: AssumedRole): CredentialProvider {
  return fromTemporaryCredentials({
    params: { RoleArn: role.roleArn, RoleSessionName: role.sessionName, ...(role.externalId === undefined ? {} : { ExternalId: role.externalId }) },
    clientConfig: clientConfig(role.sts),
  }) as CredentialProvider;
}

/** One AssumeRole call, for a caller that schedules and counts it itself (the collection). */
export async function assumeRoleOnce(role: AssumedRole & { durationSeconds: number }): Promise<Credentials> {
  const sts = makeClient(STSClient, role.sts);
  try {
    const input = { RoleArn: role.roleArn, RoleSessionName: role.sessionName, DurationSeconds: role.durationSeconds, ...(role.externalId === undefined ? {} : { ExternalId: role.externalId }) };
    const { Credentials: c } = await sts.send(new AssumeRoleCommand(input));
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw Object.assign(new Error(`STS AssumeRole for ${role.roleArn} returned no credentials`), { name: 'InvalidResponse' });
    const credentials: Credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey };
    if (c.SessionToken !== undefined) credentials.sessionToken = c.SessionToken;
    if (c.Expiration !== undefined) credentials.expiration = c.Expiration;
    return credentials;
  } finally {
    release(sts, role.sts);
  }
}

export interface CallerIdentity {
  account: string;
  arn: string;
  /** From the ARN: the partition every other ARN the run builds must use. */
  partition: string;
}

/** The account, ARN and partition of whoever the credentials belong to (sts:GetCallerIdentity, which any principal may call). */
export async function callerIdentity(settings: ClientSettings, abortSignal?: AbortSignal): Promise<CallerIdentity> {
  const sts = makeClient(STSClient, settings);
  try {
    const answer = await sts.send(new GetCallerIdentityCommand({}), abortSignal === undefined ? {} : { abortSignal });
    return { account: answer.Account ?? '', arn: answer.Arn ?? '', partition: partitionOf(answer.Arn ?? '') };
  } finally {
    release(sts, settings);
  }
}

// Destroying a client destroys its connection agents: a pooled client leaves them to the pool's owner.
function release(client: { destroy(): void }, settings: ClientSettings): void {
  if (settings.pool === undefined) client.destroy();
}

export function partitionOf(arn: string): string {
  return /^arn:([^:]+):/.exec(arn)?.[1] ?? 'aws';
}

