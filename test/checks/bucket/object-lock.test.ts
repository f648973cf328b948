import { expect } from 'chai';
import { check } from '../../../checks/bucket/object-lock.js';
import { describeCheck } from '../../../src/check-tester.js';
import { MANAGEMENT, Scenario, type BucketSpec, outsiderBucketBundle } from '../log-bucket-estate.js';

const BUCKET = 'acme-cloudtrail-logs';
const ARN = `arn:aws:s3:::${BUCKET}`;
const FILE = `accounts/${MANAGEMENT}/us-east-1/s3/${BUCKET}/GetObjectLockConfiguration.json`;

function scenario(bucket: Partial<BucketSpec> = {}): () => ReturnType<Scenario['build']> {
  return () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
    s.bucket({ name: BUCKET, account: MANAGEMENT, ...bucket });
    return s.build();
  };
}

function lock(retention: Record<string, unknown> | undefined): Partial<BucketSpec> {
  return { responses: { GetObjectLockConfiguration: { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', ...(retention === undefined ? {} : { Rule: { DefaultRetention: retention } }) } } } };
}

describeCheck(check, {
  valid: [
    {
      name: 'a one-year COMPLIANCE default retention, counting a year as 365 days', bundle: scenario(), resource: ARN, status: 'PASS', messageId: 'locked',
      check(r) {
        expect(r.message).to.equal(`Bucket ${BUCKET} locks every new log object for 365 days (COMPLIANCE mode: nobody, the root user included, can delete or shorten the lock).`);
        expect(r.details).to.deep.equal({ objectLock: true, mode: 'COMPLIANCE', retentionDays: 365, minRetentionDays: 365 });
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '/ObjectLockConfiguration/Rule/DefaultRetention' });
      },
    },
    {
      name: 'GOVERNANCE mode, saying it can be bypassed', bundle: scenario(lock({ Mode: 'GOVERNANCE', Days: 400 })), resource: ARN, status: 'PASS', messageId: 'locked',
      check: (r) => expect(r.message).to.include('GOVERNANCE mode: principals with s3:BypassGovernanceRetention can still delete locked versions'),
    },
    { name: '90 days with minRetentionDays 90', bundle: scenario(lock({ Mode: 'COMPLIANCE', Days: 90 })), options: { minRetentionDays: 90 }, resource: ARN, status: 'PASS', messageId: 'locked' },
  ],
  invalid: [
    {
      name: 'a default retention shorter than minRetentionDays', bundle: scenario(lock({ Mode: 'GOVERNANCE', Days: 30 })), resource: ARN, status: 'FAIL', messageId: 'short',
      check: (r) => expect(r.message).to.include('locks new log objects for only 30 days (GOVERNANCE mode').and.include('at least 365 days are required'),
    },
    { name: 'one year with minRetentionDays 2555', bundle: scenario(), options: { minRetentionDays: 2555 }, resource: ARN, status: 'FAIL', messageId: 'short' },
    {
      name: 'Object Lock without a default retention', bundle: scenario(lock(undefined)), resource: ARN, status: 'FAIL', messageId: 'noDefault',
      check: (r) => expect(r.message).to.include('has Object Lock enabled but no default retention'),
    },
    {
      name: 'ObjectLockConfigurationNotFoundError, judged as Object Lock not configured', bundle: scenario({ errors: { GetObjectLockConfiguration: 'ObjectLockConfigurationNotFoundError' } }),
      resource: ARN, status: 'FAIL', messageId: 'absent',
      check(r) {
        expect(r.message).to.equal(`Bucket ${BUCKET} (logs of main-trail) does not have Object Lock: log objects can be deleted by anyone allowed to.`);
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '/$error' });
      },
    },
    {
      name: 'a denied GetObjectLockConfiguration', bundle: scenario({ errors: { GetObjectLockConfiguration: 'AccessDenied' } }), resource: ARN, status: 'ERROR',
      check: (r) => expect(r.message).to.include(`${FILE} holds a failed call: AccessDenied`),
    },
    {
      name: 'a GetObjectLockConfiguration missing from the bundle', bundle: scenario({ omit: ['GetObjectLockConfiguration'] }), resource: ARN, status: 'ERROR',
      check: (r) => expect(r.message).to.include(`${FILE} is missing from the bundle`),
    },
    {
      name: 'a bucket in an account that was not collected',
      bundle: outsiderBucketBundle,
      resource: 'arn:aws:s3:::outsider-logs', status: 'MANUAL',
    },
  ],
});
