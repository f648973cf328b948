import { expect } from 'chai';
import { check } from '../../../checks/bucket/versioning-mfa-delete.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { MANAGEMENT, Scenario, type BucketSpec } from '../log-bucket-estate.js';

const BUCKET = 'acme-cloudtrail-logs';
const ARN = `arn:aws:s3:::${BUCKET}`;
const FILE = `accounts/${MANAGEMENT}/us-east-1/s3/${BUCKET}/GetBucketVersioning.json`;

function run(bucket: Partial<BucketSpec> = {}, options: Record<string, unknown> = {}): ReturnType<typeof resultFor> {
  const s = new Scenario();
  s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
  s.bucket({ name: BUCKET, account: MANAGEMENT, ...bucket });
  return resultFor(runCheck(check, s.build(), options), ARN);
}

describe('bucket.versioning-mfa-delete', () => {
  it('PASSes a versioned bucket without MFA delete by default', () => {
    const r = run();
    expect(r.status).to.equal('PASS');
    expect(r.message).to.equal(`Bucket ${BUCKET} keeps every version of its log objects (versioning enabled, MFA delete off).`);
    expect(r.evidence.map((e) => e.pointer)).to.deep.equal(['/Status', '/MFADelete']);
    expect(r.evidence[0]?.file).to.equal(FILE);
  });

  it('FAILs a bucket without MFA delete when requireMfaDelete is set', () => {
    const r = run({}, { requireMfaDelete: true });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('has versioning enabled but MFA delete off');
    expect(r.details).to.deep.equal({ versioning: 'Enabled', mfaDelete: 'off', requireMfaDelete: true });
  });

  it('PASSes a bucket with MFA delete when requireMfaDelete is set', () => {
    const r = run({ responses: { GetBucketVersioning: { Status: 'Enabled', MFADelete: 'Enabled' } } }, { requireMfaDelete: true });
    expect(r.status).to.equal('PASS');
    expect(r.message).to.include('MFA delete enabled');
  });

  it('FAILs a bucket whose versioning is suspended', () => {
    const r = run({ responses: { GetBucketVersioning: { Status: 'Suspended', MFADelete: 'Disabled' } } });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(`Bucket ${BUCKET} (logs of main-trail) has versioning suspended: overwritten or deleted log objects are no longer kept.`);
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '/Status' });
  });

  it('FAILs a bucket that never had versioning', () => {
    const r = run({ responses: { GetBucketVersioning: {} } });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.include('has never had versioning enabled');
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '' });
  });

  it('ERRORs on a denied or missing GetBucketVersioning', () => {
    expect(run({ errors: { GetBucketVersioning: 'AccessDenied' } })).to.include({ status: 'ERROR', message: `Bucket ${BUCKET}: ${FILE} holds a failed call: AccessDenied: AccessDenied (simulated)` });
    expect(run({ omit: ['GetBucketVersioning'] }).message).to.include(`${FILE} is missing from the bundle`);
  });

  it('is MANUAL for a bucket in an account that was not collected', () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: 'outsider-logs' });
    expect(resultFor(runCheck(check, s.build()), 'arn:aws:s3:::outsider-logs').status).to.equal('MANUAL');
  });
});
