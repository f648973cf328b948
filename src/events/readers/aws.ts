// AWS clients for the live event sources: S3 for `--logs s3://...`, CloudTrail per account and region for
// `--lookup-events`. Credentials come from the SDK's default chain (or --profile); another account is read
// through --assume-role. Loaded only when a live source is asked for, so an offline scan never loads the SDK.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { TrailproofError, errorMessage } from '../../errors.js';
import type { LookupTarget } from './lookup-events.js';

export interface LiveOptions {
  profile?: string;
  /** Regions to read (LookupEvents is regional); default: the SDK's configured region. */
  regions: string[];
  /** Accounts to read; default: the caller's. */
  accounts: string[];
  /** Role name assumed in every account other than the caller's. */
  assumeRole?: string;
}

function withProfile<T extends object>(config: T, profile: string | undefined): T & { profile?: string } {
  return profile === undefined ? config : { ...config, profile };
}

export function s3Client(profile: string | undefined): S3Client {
  // A bucket in another region is followed there; the region for the first call comes from the SDK's chain.
  return new S3Client(withProfile({ followRegionRedirects: true, region: process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1' }, profile));
}

function insufficient(what: string, err: unknown): TrailproofError {
  const name = (err as { name?: string }).name;
  return new TrailproofError('TP_EVIDENCE_INSUFFICIENT', `${what}: ${name ? `${name}: ` : ''}${errorMessage(err)}`, { exitCode: 3 });
}

/** One CloudTrail client per account and region asked for. */
export async function lookupTargets(options: LiveOptions): Promise<LookupTarget[]> {
  let regions = options.regions;
  if (regions.length === 0) {
    const probe = new CloudTrailClient(withProfile({}, options.profile));
    try {
      regions = [await probe.config.region()];
    } catch {
      throw new TrailproofError('TP_USAGE', '--lookup-events: no region: give --regions (LookupEvents is read region by region) or set AWS_REGION');
    } finally {
      probe.destroy();
    }
  }
  const home = regions[0] as string;
  const sts = new STSClient(withProfile({ region: home }, options.profile));
  let caller: { Account?: string | undefined; Arn?: string | undefined };
  try {
    caller = await sts.send(new GetCallerIdentityCommand({}));
  } catch (err) {
    throw insufficient('--lookup-events: cannot establish who the caller is (sts:GetCallerIdentity)', err);
  }
  const self = caller.Account ?? '';
  const partition = /^arn:([^:]+):/.exec(caller.Arn ?? '')?.[1] ?? 'aws';
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
        : fromTemporaryCredentials({
            params: { RoleArn: `arn:${partition}:iam::${account}:role/${options.assumeRole ?? ''}`, RoleSessionName: 'trailproof-events' },
            clientConfig: withProfile({ region: home }, options.profile),
          });
    for (const region of regions) {
      const config = withProfile({ region, maxAttempts: 5 }, options.profile);
      targets.push({ account, region, client: new CloudTrailClient(credentials === undefined ? config : { ...config, credentials }) });
    }
  }
  return targets;
}
