// The live form: from a trail ARN to the digest chains in its bucket. GetTrail gives the bucket and prefix,
// GetTrailStatus whether it is logging, DescribeOrganization the organization id of an organization trail,
// and the bucket's CloudTrail-Digest folders the regions that have digests.
import { CloudTrailClient, GetTrailCommand, GetTrailStatusCommand, ListPublicKeysCommand } from '../aws/sdk/cloudtrail.js';
import { DescribeOrganizationCommand, OrganizationsClient } from '../aws/sdk/organizations.js';
import { makeClient } from '../aws/clients.js';
import { TrailproofError } from '../errors.js';
import { parseTrailArn } from '../evidence/estate.js';
import type { PublicKeyEntry } from './keys.js';
import type { ChainId } from '../evidence/s3-layout.js';
import { clientSettings, failure, type AwsClientConfig, type S3Store } from './s3-store.js';

export interface LiveTrail {
  arn: string;
  bucket: string;
  chains: ChainId[];
  logging: boolean;
}

export async function resolveTrail(store: S3Store, config: AwsClientConfig, arn: string, accountId: string | undefined, regions: string[]): Promise<LiveTrail> {
  const parsed = parseTrailArn(arn);
  if (parsed === undefined) throw new TrailproofError('TP_USAGE', `--trail: "${arn}" is not a trail ARN (arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME)`);
  const cloudtrail = makeClient(CloudTrailClient, clientSettings(config, parsed.region, 'other'));
  let trail;
  try {
    trail = (await cloudtrail.send(new GetTrailCommand({ Name: arn }))).Trail;
  } catch (err) {
    throw failure(`GetTrail ${arn}`, err);
  }
  if (trail?.S3BucketName === undefined) throw new TrailproofError('TP_USAGE', `GetTrail ${arn}: the trail has no S3 bucket`);
  let logging: boolean;
  try {
    logging = (await cloudtrail.send(new GetTrailStatusCommand({ Name: arn }))).IsLogging === true;
  } catch (err) {
    throw failure(`GetTrailStatus ${arn}`, err);
  }
  let orgId = '';
  if (trail.IsOrganizationTrail === true) {
    if (accountId === undefined) throw new TrailproofError('TP_USAGE', `${arn} is an organization trail: give --account-id, the member account whose logs to validate`);
    const organizations = makeClient(OrganizationsClient, clientSettings(config, parsed.region, 'other'));
    try {
      orgId = (await organizations.send(new DescribeOrganizationCommand({}))).Organization?.Id ?? '';
    } catch (err) {
      throw failure('DescribeOrganization', err);
    }
    if (orgId === '') throw new TrailproofError('TP_USAGE', 'DescribeOrganization returned no organization id');
  }
  const account = accountId ?? parsed.account;
  const prefix = (trail.S3KeyPrefix ?? '').replace(/\/+$/, '');
  const base = `${prefix ? `${prefix}/` : ''}AWSLogs/${orgId ? `${orgId}/` : ''}${account}/CloudTrail-Digest/`;
  const found = await store.subfolders(trail.S3BucketName, base);
  const wanted = regions.length > 0 ? regions : found.length > 0 ? found : [parsed.region];
  const chains = wanted.sort().map((region) => ({ prefix, orgId, account, region, trail: trail.Name ?? parsed.name, homeRegion: trail.HomeRegion ?? parsed.region }));
  return { arn, bucket: trail.S3BucketName, chains, logging };
}

/** ListPublicKeys in each region, for a time range (what the AWS CLI calls; S3-compatible servers lack it). */
export async function listPublicKeys(config: AwsClientConfig, regions: string[], start: Date, end: Date): Promise<PublicKeyEntry[]> {
  const keys: PublicKeyEntry[] = [];
  for (const region of [...new Set(regions)]) {
    const client = makeClient(CloudTrailClient, clientSettings(config, region, 'other'));
    let token: string | undefined;
    do {
      let page;
      try {
        page = await client.send(new ListPublicKeysCommand({ StartTime: start, EndTime: end, ...(token === undefined ? {} : { NextToken: token }) }));
      } catch (err) {
        throw failure(`ListPublicKeys in ${region}`, err);
      }
      for (const k of page.PublicKeyList ?? []) {
        if (k.Fingerprint !== undefined && k.Value !== undefined) keys.push({ fingerprint: k.Fingerprint, der: Buffer.from(k.Value), validFrom: k.ValidityStartTime, validTo: k.ValidityEndTime });
      }
      token = page.NextToken;
    } while (token !== undefined);
  }
  return keys;
}
