import { expect } from 'chai';
import { check } from '../../../checks/bucket/versioning-mfa-delete.js';
import { describeCheck } from '../../../src/check-tester.js';
import { MANAGEMENT, Scenario, type BucketSpec, outsiderBucketBundle } from '../log-bucket-estate.js';

const BUCKET = 'acme-cloudtrail-logs';
const ARN = `arn:aws:s3:::${BUCKET}`;
const FILE = `accounts/${MANAGEMENT}/us-east-1/s3/${BUCKET}/GetBucketVersioning.json`;

function scenario(bucket: Partial<BucketSpec> = {}): () => ReturnType<Scenario['build']> {
  return () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
    s.bucket({ name: BUCKET, account: MANAGEMENT, ...bucket });
    return s.build();
  };
}

describeCheck(check, {
  valid: [
    {
      name: 'a versioned bucket without MFA delete, by default', bundle: scenario(), resource: ARN, status: 'PASS', messageId: 'enabled',
      check(r) {
        expect(r.message).to.equal(`Bucket ${BUCKET} keeps every version of its log objects (versioning enabled, MFA delete off).`);
        expect(r.evidence.map((e) => e.pointer)).to.deep.equal(['/Status', '/MFADelete']);
        expect(r.evidence[0]?.file).to.equal(FILE);
      },
    },
    {
      name: 'a bucket with MFA delete when requireMfaDelete is set', bundle: scenario({ responses: { GetBucketVersioning: { Status: 'Enabled', MFADelete: 'Enabled' } } }),
      options: { requireMfaDelete: true }, resource: ARN, status: 'PASS', messageId: 'enabled',
      check: (r) => expect(r.message).to.include('MFA delete enabled'),
    },
  ],
  invalid: [
    {
      name: 'a bucket without MFA delete when requireMfaDelete is set', bundle: scenario(), options: { requireMfaDelete: true }, resource: ARN, status: 'FAIL', messageId: 'noMfa',
      check: (r) => expect(r.details).to.deep.equal({ versioning: 'Enabled', mfaDelete: 'off', requireMfaDelete: true }),
    },
    {
      name: 'a bucket whose versioning is suspended', bundle: scenario({ responses: { GetBucketVersioning: { Status: 'Suspended', MFADelete: 'Disabled' } } }), resource: ARN, status: 'FAIL', messageId: 'suspended',
      check(r) {
        expect(r.message).to.equal(`Bucket ${BUCKET} (logs of main-trail) has versioning suspended: overwritten or deleted log objects are no longer kept.`);
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '/Status' });
      },
    },
    {
      name: 'a bucket that never had versioning', bundle: scenario({ responses: { GetBucketVersioning: {} } }), resource: ARN, status: 'FAIL', messageId: 'never',
      check(r) {
        expect(r.message).to.include('has never had versioning enabled');
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '' });
      },
    },
    {
      name: 'a denied GetBucketVersioning, naming the call', bundle: scenario({ errors: { GetBucketVersioning: 'AccessDenied' } }), resource: ARN, status: 'ERROR',
      check: (r) => expect(r.message).to.equal(`Bucket ${BUCKET}: ${FILE} holds a failed call: AccessDenied: AccessDenied (simulated)`),
    },
    {
      name: 'a GetBucketVersioning missing from the bundle', bundle: scenario({ omit: ['GetBucketVersioning'] }), resource: ARN, status: 'ERROR',
      check: (r) => expect(r.message).to.include(`${FILE} is missing from the bundle`),
    },
    {
      name: 'a bucket in an account that was not collected',
      bundle: outsiderBucketBundle,
      resource: 'arn:aws:s3:::outsider-logs', status: 'MANUAL',
    },
  ],
});
