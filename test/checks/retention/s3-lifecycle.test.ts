import { expect } from 'chai';
import { check } from '../../../checks/retention/s3-lifecycle.js';
import type { LifecycleRule } from '../../../src/evidence/aws.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { LOG_ARCHIVE, MANAGEMENT, MEMBER, Scenario } from '../log-bucket-estate.js';

const BUCKET = 'acme-cloudtrail-logs';
const ARN = `arn:aws:s3:::${BUCKET}`;
const FILE = `accounts/${MANAGEMENT}/us-east-1/s3/${BUCKET}/GetBucketLifecycleConfiguration.json`;

function withRules(rules: LifecycleRule[], prefix?: string): Scenario {
  const s = new Scenario();
  s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET, ...(prefix === undefined ? {} : { prefix }) });
  return s.bucket({ name: BUCKET, account: MANAGEMENT, responses: { GetBucketLifecycleConfiguration: { Rules: rules } } });
}

function run(s: Scenario, options: Record<string, unknown> = {}): ReturnType<typeof resultFor> {
  return resultFor(runCheck(check, s.build(), options), ARN);
}

const expireAfter = (days: number, filter: LifecycleRule['Filter'] = { Prefix: 'AWSLogs/' }): LifecycleRule => ({ ID: `expire-${days}`, Status: 'Enabled', Filter: filter, Expiration: { Days: days } });
const archiveAfter = (days: number, storageClass: string): LifecycleRule => ({ ID: `to-${storageClass}`, Status: 'Enabled', Filter: { Prefix: '' }, Transitions: [{ Days: days, StorageClass: storageClass }] });

describe('retention.s3-lifecycle', () => {
  it('PASSes archiving after 180 days and expiring after seven years, citing the covering rule', () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
    s.bucket({ name: BUCKET, account: MANAGEMENT });
    const r = run(s);
    expect(r.status).to.equal('PASS');
    expect(r.message).to.equal(`Bucket ${BUCKET} keeps trail logs under AWSLogs/ at least 365 days, readable at least 90 days (1 enabled lifecycle rule applies to them).`);
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '/Rules/0' });
  });

  it('FAILs a rule that expires logs after 90 days', () => {
    const r = run(withRules([expireAfter(90)]));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(`Bucket ${BUCKET} (logs of main-trail) has lifecycle rules that remove trail logs under AWSLogs/ too early: rule "expire-90" expires log objects after 90 days (minimum 365).`);
    expect(r.evidence.map((e) => e.pointer)).to.deep.equal(['/Rules/0/Expiration']);
    expect(r.details?.['violations']).to.have.length(1);
  });

  it('PASSes a rule that expires logs after 365 days', () => {
    expect(run(withRules([expireAfter(365)])).status).to.equal('PASS');
  });

  it('honours minRetentionDays and minHotDays', () => {
    expect(run(withRules([expireAfter(90)]), { minRetentionDays: 90 }).status).to.equal('PASS');
    expect(run(withRules([archiveAfter(30, 'GLACIER')]), { minHotDays: 30 }).status).to.equal('PASS');
  });

  it('FAILs a rule that moves logs to GLACIER after 30 days', () => {
    const r = run(withRules([archiveAfter(30, 'GLACIER')]));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('rule "to-GLACIER" moves log objects to GLACIER, where they cannot be read without a restore, after 30 days (minimum 90 days readable)');
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '/Rules/0/Transitions/0' });
  });

  it('PASSes a rule that moves logs to GLACIER_IR after 30 days (still readable)', () => {
    expect(run(withRules([archiveAfter(30, 'GLACIER_IR')])).status).to.equal('PASS');
  });

  it('FAILs a rule that deletes noncurrent log versions early', () => {
    const r = run(withRules([{ ID: 'noncurrent', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }]));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('permanently deletes noncurrent log object versions 30 days after they become noncurrent');
  });

  it('ignores a rule with a tag filter: CloudTrail does not tag its objects', () => {
    const r = run(withRules([expireAfter(30, { And: { Prefix: 'AWSLogs/', Tags: [{ Key: 'temp', Value: 'true' }] } }), expireAfter(7, { Tag: { Key: 'scratch', Value: 'yes' } })]));
    expect(r.status).to.equal('PASS');
    expect(r.message).to.include('no enabled lifecycle rule applies to them');
  });

  it('ignores a rule for another prefix and a disabled rule', () => {
    const r = run(withRules([expireAfter(30, { Prefix: 'access-logs/' }), { ...expireAfter(1), Status: 'Disabled' }]));
    expect(r.status).to.equal('PASS');
    expect(r.evidence[0]).to.include({ pointer: '/Rules' });
  });

  it('reads the legacy rule-level Prefix', () => {
    const r = run(withRules([{ ID: 'legacy', Status: 'Enabled', Prefix: 'AWSLogs/', Expiration: { Days: 60 } }]));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('rule "legacy" expires log objects after 60 days');
    expect(run(withRules([{ ID: 'legacy', Status: 'Enabled', Prefix: 'tmp/', Expiration: { Days: 60 } }])).status).to.equal('PASS');
  });

  it('judges a prefixed trail by its own log prefix', () => {
    const underPrefix = run(withRules([expireAfter(30, { Prefix: 'cloudtrail/AWSLogs/' })], 'cloudtrail'));
    expect(underPrefix.status).to.equal('FAIL');
    expect(underPrefix.message).to.include('trail logs under cloudtrail/AWSLogs/ too early');
    expect(run(withRules([expireAfter(30, { Prefix: 'AWSLogs/' })], 'cloudtrail')).status).to.equal('PASS');
  });

  it('judges every trail writing to the bucket, reporting each prefix a rule reaches', () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'a-trail', bucket: BUCKET, prefix: 'team-a' });
    s.trail({ account: MANAGEMENT, name: 'b-trail', bucket: BUCKET, prefix: 'team-b/' });
    s.bucket({ name: BUCKET, account: MANAGEMENT, responses: { GetBucketLifecycleConfiguration: { Rules: [expireAfter(30, { Prefix: 'team-b/' }), expireAfter(10, { Prefix: '' })] } } });
    const r = run(s);
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('under team-a/AWSLogs/, team-b/AWSLogs/ too early');
    const violations = r.details?.['violations'] as { ruleId: string; logPrefixes: string[] }[];
    expect(violations.map((v) => [v.ruleId, v.logPrefixes])).to.deep.equal([
      ['expire-30', ['team-b/AWSLogs/']],
      ['expire-10', ['team-a/AWSLogs/', 'team-b/AWSLogs/']],
    ]);
  });

  it('judges NoSuchLifecycleConfiguration as logs kept until deleted', () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
    s.bucket({ name: BUCKET, account: MANAGEMENT, errors: { GetBucketLifecycleConfiguration: 'NoSuchLifecycleConfiguration' } });
    const r = run(s);
    expect(r.status).to.equal('PASS');
    expect(r.message).to.equal(`Bucket ${BUCKET} has no lifecycle rules: logs are kept until deleted.`);
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '/$error' });
  });

  it('ERRORs on a denied or missing lifecycle configuration', () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
    s.bucket({ name: BUCKET, account: MANAGEMENT, errors: { GetBucketLifecycleConfiguration: 'AccessDenied' } });
    const denied = run(s);
    expect(denied.status).to.equal('ERROR');
    expect(denied.message).to.equal(`Bucket ${BUCKET}: ${FILE} holds a failed call: AccessDenied: AccessDenied (simulated)`);
    s.builder.remove(FILE);
    expect(run(s).message).to.include(`${FILE} is missing from the bundle`);
  });

  it('judges a log-archive bucket shared by trails of two accounts, and is MANUAL for an uncollected one', () => {
    const s = new Scenario({ accounts: [MANAGEMENT, MEMBER, LOG_ARCHIVE] });
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
    s.trail({ account: MEMBER, name: 'member-trail', bucket: BUCKET, prefix: 'member' });
    s.trail({ account: MEMBER, name: 'side-trail', bucket: 'uncollected-logs' });
    s.bucket({ name: BUCKET, account: LOG_ARCHIVE, region: 'eu-west-1', responses: { GetBucketLifecycleConfiguration: { Rules: [expireAfter(30, { Prefix: 'member/' })] } } });
    const results = runCheck(check, s.build());
    const shared = resultFor(results, ARN);
    expect(shared).to.include({ status: 'FAIL', account: LOG_ARCHIVE, region: 'eu-west-1' });
    expect(shared.message).to.include('(logs of main-trail, member-trail)');
    expect(shared.evidence[0]?.file).to.equal(`accounts/${LOG_ARCHIVE}/eu-west-1/s3/${BUCKET}/GetBucketLifecycleConfiguration.json`);
    expect(resultFor(results, 'arn:aws:s3:::uncollected-logs')).to.include({ status: 'MANUAL', account: MEMBER, region: 'global' });
  });
});
