// The Security Hub clients `--security-hub` imports through: the caller's credentials (a profile or the SDK's
// default chain) for the caller's own account, a role assumed with --assume-role for every other account (as
// collect does), one client per account and region. The SDK resolves the endpoint (AWS_ENDPOINT_URL_SECURITYHUB
// or AWS_ENDPOINT_URL), and retries in its adaptive mode before the importer's own throttling retries.
import { makeClient } from '../aws/clients.js';
import { assumedRoleCredentials, callerIdentity, roleArn, type CallerIdentity } from '../aws/credentials.js';
import { resolveRegion } from '../aws/region.js';
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '../aws/sdk/securityhub.js';
import { TrailproofError, errorMessage } from '../errors.js';
import type { SecurityHubApi, SecurityHubTarget } from '../output/security-hub.js';

export interface SecurityHubOptions {
  profile?: string | undefined;
  /** Region for STS (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's, else us-east-1). */
  region?: string | undefined;
  /** Role NAME assumed in every account other than the caller's. */
  assumeRole?: string | undefined;
  externalId?: string | undefined;
}

/** Clients per account and region; the caller is asked once who it is. */
export async function securityHubTarget(options: SecurityHubOptions): Promise<SecurityHubTarget & { destroy(): void }> {
  const home = await resolveRegion({ flag: options.region, env: process.env, profile: options.profile, fallback: 'us-east-1', flagName: '--region', purpose: '--security-hub' });
  let caller: CallerIdentity;
  try {
    caller = await callerIdentity({ region: home, profile: options.profile });
  } catch (err) {
    throw new TrailproofError('TP_SECURITY_HUB_FAILED', `--security-hub: cannot establish who the caller is (sts:GetCallerIdentity): ${errorMessage(err)}; check the credentials (--profile, AWS_PROFILE)`, { exitCode: 3 });
  }
  const self = caller.account;
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
          : assumedRoleCredentials({
              roleArn: roleArn(caller.partition, account, options.assumeRole ?? ''), sessionName: 'trailproof-security-hub', externalId: options.externalId,
              sts: { region: home, profile: options.profile },
            });
        client = makeClient(SecurityHubClient, { region, profile: options.profile, credentials, retry: { mode: 'adaptive', maxAttempts: 3 } });
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
