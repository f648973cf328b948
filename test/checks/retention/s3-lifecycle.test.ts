import { expect } from 'chai';
import { check } from '../../../checks/retention/s3-lifecycle.js';
import type { LifecycleRule } from '../../../src/evidence/aws.js';
import { describeCheck } from '../../../src/check-tester.js';
import { LOG_ARCHIVE, MANAGEMENT, MEMBER, Scenario, type BucketSpec } from '../log-bucket-estate.js';

const BUCKET = 'acme-cloudtrail-logs';
const ARN = `arn:aws:s3:::${BUCKET}`;
const FILE = `accounts/${MANAGEMENT}/us-east-1/s3/${BUCKET}/GetBucketLifecycleConfiguration.json`;

/** Trail main-trail (under `prefix`) logging to BUCKET, whose lifecycle rules are `rules`. */
function withRules(rules: LifecycleRule[], prefix?: string): () => ReturnType<Scenario['build']> {
  return () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET, ...(prefix === undefined ? {} : { prefix }) });
    return s.bucket({ name: BUCKET, account: MANAGEMENT, responses: { GetBucketLifecycleConfiguration: { Rules: rules } } }).build();
  };
}

/** Trail main-trail logging to BUCKET, whose lifecycle responses are the defaults changed by `bucket`. */
function scenario(bucket: Partial<BucketSpec> = {}): () => ReturnType<Scenario['build']> {
  return () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
    return s.bucket({ name: BUCKET, account: MANAGEMENT, ...bucket }).build();
  };
}

const expireAfter = (days: number, filter: LifecycleRule['Filter'] = { Prefix: 'AWSLogs/' }): LifecycleRule => ({ ID: `expire-${days}`, Status: 'Enabled', Filter: filter, Expiration: { Days: days } });
const archiveAfter = (days: number, storageClass: string): LifecycleRule => ({ ID: `to-${storageClass}`, Status: 'Enabled', Filter: { Prefix: '' }, Transitions: [{ Days: days, StorageClass: storageClass }] });

/** A log-archive bucket shared by trails of two accounts, and a bucket in an account not collected. */
function logArchive(): ReturnType<Scenario['build']> {
  const s = new Scenario({ accounts: [MANAGEMENT, MEMBER, LOG_ARCHIVE] });
  s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
  s.trail({ account: MEMBER, name: 'member-trail', bucket: BUCKET, prefix: 'member' });
  s.trail({ account: MEMBER, name: 'side-trail', bucket: 'uncollected-logs' });
  s.bucket({ name: BUCKET, account: LOG_ARCHIVE, region: 'eu-west-1', responses: { GetBucketLifecycleConfiguration: { Rules: [expireAfter(30, { Prefix: 'member/' })] } } });
  return s.build();
}

describeCheck(check, {
  valid: [
    {
      name: 'archiving after 180 days and expiring after seven years, citing the covering rule', bundle: scenario(), resource: ARN, status: 'PASS', messageId: 'kept',
      check(r) {
        expect(r.message).to.equal(`Bucket ${BUCKET} keeps trail logs under AWSLogs/ at least 365 days, readable at least 90 days (1 enabled lifecycle rule applies to them).`);
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '/Rules/0' });
      },
    },
    { name: 'a rule that expires logs after 365 days', bundle: withRules([expireAfter(365)]), resource: ARN, status: 'PASS', messageId: 'kept' },
    { name: 'a rule that expires logs after 90 days with minRetentionDays 90', bundle: withRules([expireAfter(90)]), options: { minRetentionDays: 90 }, resource: ARN, status: 'PASS', messageId: 'kept' },
    { name: 'a rule that moves logs to GLACIER after 30 days with minHotDays 30', bundle: withRules([archiveAfter(30, 'GLACIER')]), options: { minHotDays: 30 }, resource: ARN, status: 'PASS', messageId: 'kept' },
    { name: 'a rule that moves logs to GLACIER_IR after 30 days (still readable)', bundle: withRules([archiveAfter(30, 'GLACIER_IR')]), resource: ARN, status: 'PASS', messageId: 'kept' },
    {
      name: 'a rule with a tag filter, ignored: CloudTrail does not tag its objects',
      bundle: withRules([expireAfter(30, { And: { Prefix: 'AWSLogs/', Tags: [{ Key: 'temp', Value: 'true' }] } }), expireAfter(7, { Tag: { Key: 'scratch', Value: 'yes' } })]),
      resource: ARN, status: 'PASS', messageId: 'kept', check: (r) => expect(r.message).to.include('no enabled lifecycle rule applies to them'),
    },
    {
      name: 'a rule for another prefix and a disabled rule, ignored', bundle: withRules([expireAfter(30, { Prefix: 'access-logs/' }), { ...expireAfter(1), Status: 'Disabled' }]),
      resource: ARN, status: 'PASS', messageId: 'kept', check: (r) => expect(r.evidence[0]).to.include({ pointer: '/Rules' }),
    },
    { name: 'a legacy rule-level Prefix for another prefix', bundle: withRules([{ ID: 'legacy', Status: 'Enabled', Prefix: 'tmp/', Expiration: { Days: 60 } }]), resource: ARN, status: 'PASS', messageId: 'kept' },
    { name: 'a prefixed trail whose own log prefix no rule reaches', bundle: withRules([expireAfter(30, { Prefix: 'AWSLogs/' })], 'cloudtrail'), resource: ARN, status: 'PASS', messageId: 'kept' },
    {
      name: 'NoSuchLifecycleConfiguration, judged as logs kept until deleted', bundle: scenario({ errors: { GetBucketLifecycleConfiguration: 'NoSuchLifecycleConfiguration' } }),
      resource: ARN, status: 'PASS', messageId: 'noRules',
      check(r) {
        expect(r.message).to.equal(`Bucket ${BUCKET} has no lifecycle rules: logs are kept until deleted.`);
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '/$error' });
      },
    },
  ],
  invalid: [
    {
      name: 'a rule that expires logs after 90 days', bundle: withRules([expireAfter(90)]), resource: ARN, status: 'FAIL', messageId: 'early',
      check(r) {
        expect(r.message).to.equal(`Bucket ${BUCKET} (logs of main-trail) has lifecycle rules that remove trail logs under AWSLogs/ too early: rule "expire-90" expires log objects after 90 days (minimum 365).`);
        expect(r.evidence.map((e) => e.pointer)).to.deep.equal(['/Rules/0/Expiration']);
        expect(r.details?.['violations']).to.have.length(1);
      },
    },
    {
      name: 'a rule that moves logs to GLACIER after 30 days', bundle: withRules([archiveAfter(30, 'GLACIER')]), resource: ARN, status: 'FAIL', messageId: 'early',
      check(r) {
        expect(r.message).to.include('rule "to-GLACIER" moves log objects to GLACIER, where they cannot be read without a restore, after 30 days (minimum 90 days readable)');
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '/Rules/0/Transitions/0' });
      },
    },
    {
      name: 'a rule that deletes noncurrent log versions early', bundle: withRules([{ ID: 'noncurrent', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }]),
      resource: ARN, status: 'FAIL', messageId: 'early', check: (r) => expect(r.message).to.include('permanently deletes noncurrent log object versions 30 days after they become noncurrent'),
    },
    {
      name: 'a legacy rule-level Prefix, read', bundle: withRules([{ ID: 'legacy', Status: 'Enabled', Prefix: 'AWSLogs/', Expiration: { Days: 60 } }]), resource: ARN, status: 'FAIL', messageId: 'early',
      check: (r) => expect(r.message).to.include('rule "legacy" expires log objects after 60 days'),
    },
    {
      name: 'a prefixed trail, judged by its own log prefix', bundle: withRules([expireAfter(30, { Prefix: 'cloudtrail/AWSLogs/' })], 'cloudtrail'), resource: ARN, status: 'FAIL', messageId: 'early',
      check: (r) => expect(r.message).to.include('trail logs under cloudtrail/AWSLogs/ too early'),
    },
    {
      name: 'every trail writing to the bucket, reporting each prefix a rule reaches',
      bundle: () => {
        const s = new Scenario();
        s.trail({ account: MANAGEMENT, name: 'a-trail', bucket: BUCKET, prefix: 'team-a' });
        s.trail({ account: MANAGEMENT, name: 'b-trail', bucket: BUCKET, prefix: 'team-b/' });
        s.bucket({ name: BUCKET, account: MANAGEMENT, responses: { GetBucketLifecycleConfiguration: { Rules: [expireAfter(30, { Prefix: 'team-b/' }), expireAfter(10, { Prefix: '' })] } } });
        return s.build();
      },
      resource: ARN, status: 'FAIL', messageId: 'early',
      check(r) {
        expect(r.message).to.include('under team-a/AWSLogs/, team-b/AWSLogs/ too early');
        const violations = r.details?.['violations'] as { ruleId: string; logPrefixes: string[] }[];
        expect(violations.map((v) => [v.ruleId, v.logPrefixes])).to.deep.equal([
          ['expire-30', ['team-b/AWSLogs/']],
          ['expire-10', ['team-a/AWSLogs/', 'team-b/AWSLogs/']],
        ]);
      },
    },
    {
      name: 'a denied lifecycle configuration', bundle: scenario({ errors: { GetBucketLifecycleConfiguration: 'AccessDenied' } }), resource: ARN, status: 'ERROR',
      check: (r) => expect(r.message).to.equal(`Bucket ${BUCKET}: ${FILE} holds a failed call: AccessDenied: AccessDenied (simulated)`),
    },
    {
      name: 'a lifecycle configuration missing from the bundle', bundle: () => scenario()().remove(FILE), resource: ARN, status: 'ERROR',
      check: (r) => expect(r.message).to.include(`${FILE} is missing from the bundle`),
    },
    {
      name: 'a log-archive bucket shared by trails of two accounts', bundle: logArchive, resource: ARN, status: 'FAIL', messageId: 'early',
      check(r) {
        expect(r).to.include({ account: LOG_ARCHIVE, region: 'eu-west-1' });
        expect(r.message).to.include('(logs of main-trail, member-trail)');
        expect(r.evidence[0]?.file).to.equal(`accounts/${LOG_ARCHIVE}/eu-west-1/s3/${BUCKET}/GetBucketLifecycleConfiguration.json`);
      },
    },
    {
      name: 'a bucket in an account that was not collected', bundle: logArchive, resource: 'arn:aws:s3:::uncollected-logs', status: 'MANUAL',
      check: (r) => expect(r).to.include({ account: MEMBER, region: 'global' }),
    },
  ],
});
