import { expect } from 'chai';
import { check } from '../../../checks/bucket/object-lock.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { MANAGEMENT, Scenario, type BucketSpec } from '../log-bucket-estate.js';

const BUCKET = 'acme-cloudtrail-logs';
const ARN = `arn:aws:s3:::${BUCKET}`;
const FILE = `accounts/${MANAGEMENT}/us-east-1/s3/${BUCKET}/GetObjectLockConfiguration.json`;

function run(bucket: Partial<BucketSpec> = {}, options: Record<string, unknown> = {}): ReturnType<typeof resultFor> {
  const s = new Scenario();
  s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
  s.bucket({ name: BUCKET, account: MANAGEMENT, ...bucket });
  return resultFor(runCheck(check, s.build(), options), ARN);
}

function lock(retention: Record<string, unknown> | undefined): Partial<BucketSpec> {
  return { responses: { GetObjectLockConfiguration: { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', ...(retention === undefined ? {} : { Rule: { DefaultRetention: retention } }) } } } };
}

describe('bucket.object-lock', () => {
  it('PASSes a one-year COMPLIANCE default retention, counting a year as 365 days', () => {
    const r = run();
    expect(r.status).to.equal('PASS');
    expect(r.message).to.equal(`Bucket ${BUCKET} locks every new log object for 365 days (COMPLIANCE mode: nobody, the root user included, can delete or shorten the lock).`);
    expect(r.details).to.deep.equal({ objectLock: true, mode: 'COMPLIANCE', retentionDays: 365, minRetentionDays: 365 });
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '/ObjectLockConfiguration/Rule/DefaultRetention' });
  });

  it('says GOVERNANCE mode can be bypassed', () => {
    const r = run(lock({ Mode: 'GOVERNANCE', Days: 400 }));
    expect(r.status).to.equal('PASS');
    expect(r.message).to.include('GOVERNANCE mode: principals with s3:BypassGovernanceRetention can still delete locked versions');
  });

  it('FAILs a default retention shorter than minRetentionDays', () => {
    const r = run(lock({ Mode: 'GOVERNANCE', Days: 30 }));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('locks new log objects for only 30 days (GOVERNANCE mode');
    expect(r.message).to.include('at least 365 days are required');
  });

  it('honours the minRetentionDays option', () => {
    expect(run(lock({ Mode: 'COMPLIANCE', Days: 90 }), { minRetentionDays: 90 }).status).to.equal('PASS');
    expect(run({}, { minRetentionDays: 2555 }).status).to.equal('FAIL');
  });

  it('FAILs Object Lock without a default retention', () => {
    const r = run(lock(undefined));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('has Object Lock enabled but no default retention');
  });

  it('judges ObjectLockConfigurationNotFoundError as Object Lock not configured', () => {
    const r = run({ errors: { GetObjectLockConfiguration: 'ObjectLockConfigurationNotFoundError' } });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(`Bucket ${BUCKET} (logs of main-trail) does not have Object Lock: log objects can be deleted by anyone allowed to.`);
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '/$error' });
  });

  it('ERRORs on a denied or missing GetObjectLockConfiguration', () => {
    const denied = run({ errors: { GetObjectLockConfiguration: 'AccessDenied' } });
    expect(denied.status).to.equal('ERROR');
    expect(denied.message).to.include(`${FILE} holds a failed call: AccessDenied`);
    expect(run({ omit: ['GetObjectLockConfiguration'] }).message).to.include(`${FILE} is missing from the bundle`);
  });

  it('is MANUAL for a bucket in an account that was not collected', () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: 'outsider-logs' });
    expect(resultFor(runCheck(check, s.build()), 'arn:aws:s3:::outsider-logs').status).to.equal('MANUAL');
  });
});
