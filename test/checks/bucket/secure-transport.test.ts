import { expect } from 'chai';
import { check } from '../../../checks/bucket/secure-transport.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { MANAGEMENT, Scenario, cloudTrailBucketPolicy, policyResponse, type BucketSpec } from '../log-bucket-estate.js';

const BUCKET = 'acme-cloudtrail-logs';
const ARN = `arn:aws:s3:::${BUCKET}`;
const FILE = `accounts/${MANAGEMENT}/us-east-1/s3/${BUCKET}/GetBucketPolicy.json`;
const TRAIL = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/main-trail`;

function run(bucket: Partial<BucketSpec> = {}): ReturnType<typeof resultFor> {
  const s = new Scenario();
  const trail = s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
  s.bucket({ name: BUCKET, account: MANAGEMENT, trailArns: [trail], ...bucket });
  return resultFor(runCheck(check, s.build()), ARN);
}

/** The default policy with statements changed: edit receives the statement list. */
function policy(edit: (statements: Record<string, unknown>[]) => Record<string, unknown>[]): Partial<BucketSpec> {
  const doc = cloudTrailBucketPolicy(BUCKET, [TRAIL]) as { Statement: Record<string, unknown>[] };
  return { responses: { GetBucketPolicy: policyResponse({ ...doc, Statement: edit(doc.Statement) }) } };
}

describe('bucket.secure-transport', () => {
  it('PASSes a policy that denies plain HTTP and binds CloudTrail with aws:SourceArn', () => {
    const r = run();
    expect(r.status).to.equal('PASS');
    expect(r.message).to.equal(`Bucket ${BUCKET} refuses requests without TLS; its CloudTrail write grant is bound to named trails or accounts.`);
    expect(r.evidence).to.have.length(1);
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '/Policy' });
    expect(r.details).to.deep.equal({
      denyInsecureStatement: '/Statement/2',
      cloudTrailWriteGrants: [{ pointer: '/Statement/1', sid: 'AWSCloudTrailWrite', bound: true, by: 'aws:SourceArn' }],
    });
  });

  it('PASSes a grant bound with aws:SourceAccount', () => {
    const r = run(policy((st) => st.map((s) => (s['Sid'] === 'AWSCloudTrailWrite' ? { ...s, Condition: { StringEquals: { 'aws:SourceAccount': MANAGEMENT } } } : s))));
    expect(r.status).to.equal('PASS');
  });

  it('FAILs a policy without a TLS deny', () => {
    const r = run(policy((st) => st.filter((s) => s['Sid'] !== 'DenyInsecureTransport')));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(`Bucket ${BUCKET} (logs of main-trail) has no policy statement that denies every request made without TLS (aws:SecureTransport false).`);
    expect(r.details?.['denyInsecureStatement']).to.equal(null);
  });

  it('FAILs an unbound CloudTrail write grant as a confused deputy', () => {
    const r = run(policy((st) => st.map((s) => (s['Sid'] === 'AWSCloudTrailWrite' ? { ...s, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } } : s))));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('lets CloudTrail write through statement "AWSCloudTrailWrite" without an aws:SourceArn or aws:SourceAccount condition, so a trail of any account can deliver into it');
    expect(r.details?.['cloudTrailWriteGrants']).to.deep.equal([{ pointer: '/Statement/1', sid: 'AWSCloudTrailWrite', bound: false }]);
  });

  it('lists both problems when the TLS deny is absent and a grant is unbound', () => {
    const r = run(policy((st) => st.filter((s) => s['Sid'] !== 'DenyInsecureTransport').map((s) => {
      const { Sid: _sid, Condition: _c, ...rest } = s;
      return rest;
    })));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.match(/without TLS \(aws:SecureTransport false\); and lets CloudTrail write through statement #1 without/);
  });

  it('judges NoSuchBucketPolicy as no policy at all', () => {
    const r = run({ errors: { GetBucketPolicy: 'NoSuchBucketPolicy' } });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(`Bucket ${BUCKET} (logs of main-trail) has no bucket policy: nothing refuses requests made without TLS.`);
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '/$error' });
  });

  it('ERRORs naming the file when GetBucketPolicy was denied or is missing', () => {
    const denied = run({ errors: { GetBucketPolicy: 'AccessDenied' } });
    expect(denied.status).to.equal('ERROR');
    expect(denied.message).to.equal(`Bucket ${BUCKET}: ${FILE} holds a failed call: AccessDenied: AccessDenied (simulated)`);
    expect(run({ omit: ['GetBucketPolicy'] }).message).to.include(`${FILE} is missing from the bundle`);
  });

  it('ERRORs on a policy that is not JSON', () => {
    const r = run({ responses: { GetBucketPolicy: { Policy: 'not json' } } });
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.include('cannot be judged: bucket policy is not valid JSON');
  });

  it('is MANUAL for a bucket in an account that was not collected', () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: 'outsider-logs' });
    expect(resultFor(runCheck(check, s.build()), 'arn:aws:s3:::outsider-logs').status).to.equal('MANUAL');
  });
});
