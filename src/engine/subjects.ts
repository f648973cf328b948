// The subjects results are about, built the same way by every check so that findings about one account or
// bucket line up across checks (and across quarters) in the reports.
import type { Subject } from './check.js';
import type { BucketModel, TrailModel } from '../evidence/estate.js';

/** An account as a whole (`global`), or the account in one region. */
export function accountSubject(account: string, region = 'global'): Subject {
  return { account, region, resource: `AWS::::Account:${account}` };
}

/**
 * A trail log bucket, placed where its files are. A bucket in an account that was not collected has no known
 * region, so it is reported under the account of the first trail that writes to it, in `global`.
 */
export function bucketSubject(bucket: BucketModel, trails: TrailModel[]): Subject {
  const resource = `arn:aws:s3:::${bucket.name}`;
  return bucket.collected && bucket.account !== undefined && bucket.region !== undefined
    ? { account: bucket.account, region: bucket.region, resource }
    : { account: trails[0]?.ownerAccount ?? '', region: 'global', resource };
}

/** A trail, placed in its owner account and home region. */
export function trailSubject(trail: TrailModel): Subject {
  return { account: trail.ownerAccount, region: trail.homeRegion, resource: trail.arn };
}
