// S3: the settings of each bucket that receives trail logs, read in the account that owns it and in the
// bucket's own region, the account's bucket list used to find that owner, and the account-level Block Public
// Access (S3 Control, through src/aws/s3control.ts).
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
} from '../aws/sdk/s3.js';
import type { ClientSet } from './clients.js';
import type { IamAction } from './policy.js';
import { mergePages, record, store, type Recorder } from './record.js';
import type { Scheduler } from '../aws/scheduler.js';

/** The bucket names an account owns (ListBuckets, all pages), or undefined when the listing failed. Not stored. */
export async function ownedBuckets(scheduler: Scheduler<IamAction>, clients: ClientSet): Promise<Set<string> | undefined> {
  const outcome = await scheduler.call({ action: 's3:ListAllMyBuckets', account: clients.account, region: 'global' }, async (abortSignal, heartbeat) => {
    const pages = [];
    for await (const page of paginateListBuckets({ client: clients.s3 }, {}, { abortSignal })) {
      pages.push(page);
      heartbeat();
    }
    return mergePages(pages, ['Buckets']);
  });
  if (!outcome.ok) return undefined;
  return new Set(((outcome.value['Buckets'] ?? []) as { Name?: string }[]).map((b) => b.Name ?? ''));
}

/** S3 answers '' (us-east-1) and 'EU' (eu-west-1) for the oldest locations. */
export function bucketRegion(constraint: string | undefined | null): string {
  if (!constraint) return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

type Send = (client: ClientSet['s3'], bucket: string, abortSignal: AbortSignal) => Promise<object>;
const BUCKET_CALLS: [operation: string, action: IamAction, send: Send][] = [
  ['GetBucketPolicy', 's3:GetBucketPolicy', (c, Bucket, abortSignal) => c.send(new GetBucketPolicyCommand({ Bucket }), { abortSignal })],
  ['GetBucketPolicyStatus', 's3:GetBucketPolicyStatus', (c, Bucket, abortSignal) => c.send(new GetBucketPolicyStatusCommand({ Bucket }), { abortSignal })],
  ['GetPublicAccessBlock', 's3:GetBucketPublicAccessBlock', (c, Bucket, abortSignal) => c.send(new GetPublicAccessBlockCommand({ Bucket }), { abortSignal })],
  ['GetBucketAcl', 's3:GetBucketAcl', (c, Bucket, abortSignal) => c.send(new GetBucketAclCommand({ Bucket }), { abortSignal })],
  ['GetBucketVersioning', 's3:GetBucketVersioning', (c, Bucket, abortSignal) => c.send(new GetBucketVersioningCommand({ Bucket }), { abortSignal })],
  ['GetBucketLogging', 's3:GetBucketLogging', (c, Bucket, abortSignal) => c.send(new GetBucketLoggingCommand({ Bucket }), { abortSignal })],
  ['GetBucketEncryption', 's3:GetEncryptionConfiguration', (c, Bucket, abortSignal) => c.send(new GetBucketEncryptionCommand({ Bucket }), { abortSignal })],
  ['GetBucketLifecycleConfiguration', 's3:GetLifecycleConfiguration', (c, Bucket, abortSignal) => c.send(new GetBucketLifecycleConfigurationCommand({ Bucket }), { abortSignal })],
  ['GetObjectLockConfiguration', 's3:GetBucketObjectLockConfiguration', (c, Bucket, abortSignal) => c.send(new GetObjectLockConfigurationCommand({ Bucket }), { abortSignal })],
];

/**
 * Every bucket call of the contract, stored under the owner's account and the bucket's region. The region is
 * GetBucketLocation's answer; when that fails the files go under `fallbackRegion` (the trail's home region).
 */
export async function bucketEvidence(rec: Recorder, locate: ClientSet, inRegion: (region: string) => ClientSet, bucket: string, fallbackRegion: string): Promise<string> {
  const account = locate.account;
  const location = await rec.scheduler.call({ action: 's3:GetBucketLocation', account, region: locate.region }, (abortSignal) =>
    locate.s3.send(new GetBucketLocationCommand({ Bucket: bucket }), { abortSignal }));
  const region = location.ok ? bucketRegion(location.value.LocationConstraint) : fallbackRegion;
  const place = { account, where: region };
  await store(rec, place, `s3/${bucket}/GetBucketLocation.json`, location);
  const clients = inRegion(region);
  await Promise.all(BUCKET_CALLS.map(async ([operation, action, send]) => {
    const outcome = await rec.scheduler.call({ action, account, region }, (abortSignal) => send(clients.s3, bucket, abortSignal));
    await store(rec, place, `s3/${bucket}/${operation}.json`, outcome);
  }));
  return region;
}

/** The account's S3 Block Public Access, stored as global/s3control/GetPublicAccessBlock.json. */
export async function accountPublicAccessBlock(rec: Recorder, clients: ClientSet): Promise<void> {
  await record(rec, { account: clients.account, where: 'global' }, 's3control/GetPublicAccessBlock.json', 's3:GetAccountPublicAccessBlock', (signal) =>
    clients.s3control.getPublicAccessBlock(clients.account, signal));
}
