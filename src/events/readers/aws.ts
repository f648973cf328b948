// AWS clients for the live event sources: S3 for `--logs s3://...`, CloudTrail per account and region for
// `--lookup-events`. Credentials come from the SDK's default chain (or --profile); another account is read
// through --assume-role. Loaded only when a live source is asked for, so an offline scan never loads the SDK.
import { makeClient } from '../../aws/clients.js';
import { assumedRoleCredentials, callerIdentity, roleArn, type CallerIdentity } from '../../aws/credentials.js';
import { regionProvider, resolveRegion } from '../../aws/region.js';
import { CloudTrailClient } from '../../aws/sdk/cloudtrail.js';
import { S3Client } from '../../aws/sdk/s3.js';
import { TrailproofError, errorMessage } from '../../errors.js';
import type { LookupTarget } from './lookup-events.js';

export interface LiveOptions {
  profile?: string;
  /** Regions to read (LookupEvents is regional); default: the region resolved as src/aws/region.ts says. */
  /** --region: the region read when --regions names none. */
  region?: string | undefined;
  regions: string[];
  /** Accounts to read; default: the caller's. */
  accounts: string[];
  /** Role name assumed in every account other than the caller's. */
  assumeRole?: string;
}

export function s3Client(profile: string | undefined, flag?: string): S3Client {
  // A bucket in another region is followed there; the first call goes to the resolved region, else us-east-1.
  const region = regionProvider({ flag, env: process.env, profile, fallback: 'us-east-1', flagName: '--region', purpose: '--logs s3://' });
  return makeClient(S3Client, { region, profile, s3: { followRegionRedirects: true } });
}

function insufficient(what: string, err: unknown): TrailproofError {
  const name = (err as { name?: string }).name;
  return new TrailproofError('TP_EVIDENCE_INSUFFICIENT', `${what}: ${name ? `${name}: ` : ''}${errorMessage(err)}`, { exitCode: 3 });
}

/** One CloudTrail client per account and region asked for. */
export async function lookupTargets(options: LiveOptions): Promise<LookupTarget[]> {
  const regions = options.regions.length > 0
    ? options.regions
    : [await resolveRegion({ flag: options.region, env: process.env, profile: options.profile, flagName: '--regions (LookupEvents is read region by region)', purpose: '--lookup-events' })];
  const home = regions[0] as string;
  let caller: CallerIdentity;
  try {
    caller = await callerIdentity({ region: home, profile: options.profile });
  } catch (err) {
    throw insufficient('--lookup-events: cannot establish who the caller is (sts:GetCallerIdentity)', err);
  }
  const self = caller.account;
  const accounts = options.accounts.length > 0 ? options.accounts : [self];
  const others = accounts.filter((a) => a !== self);
  if (others.length > 0 && options.assumeRole === undefined) {
    throw new TrailproofError('TP_USAGE', `--accounts ${others.join(',')}: reading another account's event history needs --assume-role ROLE_NAME (the caller is in ${self})`);
  }
  const targets: LookupTarget[] = [];
  for (const account of accounts) {
    const credentials =
      account === self
        ? undefined
        : assumedRoleCredentials({ roleArn: roleArn(caller.partition, account, options.assumeRole ?? ''), sessionName: 'trailproof-events', sts: { region: home, profile: options.profile } });
    for (const region of regions) {
      targets.push({ account, region, client: makeClient(CloudTrailClient, { region, profile: options.profile, credentials, retry: { mode: 'standard', maxAttempts: 5 } }) });
    }
  }
  return targets;
}
