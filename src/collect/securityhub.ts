// The Security Hub clients `--security-hub` imports through: the caller's credentials (a profile or the SDK's
// default chain) for the caller's own account, a role assumed with --assume-role for every other account (as
// collect does), one client per account and region. The SDK resolves the endpoint (AWS_ENDPOINT_URL_SECURITYHUB
// or AWS_ENDPOINT_URL), and retries in its adaptive mode before the importer's own throttling retries.
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { TrailproofError, errorMessage } from '../errors.js';
import type { SecurityHubApi, SecurityHubTarget } from '../output/security-hub.js';

export interface SecurityHubOptions {
  profile?: string | undefined;
  /** Region for STS (default: the profile's or AWS_REGION, else us-east-1). */
  region?: string | undefined;
  /** Role NAME assumed in every account other than the caller's. */
  assumeRole?: string | undefined;
  externalId?: string | undefined;
}

function withProfile<T extends object>(config: T, profile: string | undefined): T & { profile?: string } {
  return profile === undefined ? config : { ...config, profile };
}

/** Clients per account and region; the caller is asked once who it is. */
export async function securityHubTarget(options: SecurityHubOptions): Promise<SecurityHubTarget & { destroy(): void }> {
  const home = options.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const sts = new STSClient(withProfile({ region: home }, options.profile));
  let caller: { Account?: string | undefined; Arn?: string | undefined };
  try {
    caller = await sts.send(new GetCallerIdentityCommand({}));
  } catch (err) {
    throw new TrailproofError('TP_SECURITY_HUB_FAILED', `--security-hub: cannot establish who the caller is (sts:GetCallerIdentity): ${errorMessage(err)}; check the credentials (--profile, AWS_PROFILE)`, { exitCode: 3 });
  } finally {
    sts.destroy();
  }
  const self = caller.Account ?? '';
  const partition = /^arn:([^:]+):/.exec(caller.Arn ?? '')?.[1] ?? 'aws';
  const clients = new Map<string, SecurityHubClient>();
  return {
    async clientFor(account: string, region: string): Promise<SecurityHubApi> {
      const key = `${account}/${region}`;
      let client = clients.get(key);
      if (client === undefined) {
        if (account !== self && options.assumeRole === undefined) {
          throw Object.assign(new Error(`findings of account ${account} need --assume-role ROLE_NAME (the caller is in ${self})`), { name: 'NoRoleForAccount' });
        }
        const credentials = account === self
          ? undefined
          : fromTemporaryCredentials({
              params: { RoleArn: `arn:${partition}:iam::${account}:role/${options.assumeRole ?? ''}`, RoleSessionName: 'trailproof-security-hub', ...(options.externalId === undefined ? {} : { ExternalId: options.externalId }) },
              clientConfig: withProfile({ region: home }, options.profile),
            });
        client = new SecurityHubClient(withProfile({ region, retryMode: 'adaptive', maxAttempts: 3, ...(credentials === undefined ? {} : { credentials }) }, options.profile));
        clients.set(key, client);
      }
      const c = client;
      return {
        batchImportFindings: async (findings) => c.send(new BatchImportFindingsCommand({ Findings: findings as unknown as AwsSecurityFinding[] })),
      };
    },
    destroy(): void {
      for (const c of clients.values()) c.destroy();
    },
  };
}
