import { expect } from 'chai';
import { check } from '../../../checks/bucket/secure-transport.js';
import { describeCheck } from '../../../src/check-tester.js';
import { MANAGEMENT, Scenario, cloudTrailBucketPolicy, policyResponse, type BucketSpec, outsiderBucketBundle } from '../log-bucket-estate.js';

const BUCKET = 'acme-cloudtrail-logs';
const ARN = `arn:aws:s3:::${BUCKET}`;
const FILE = `accounts/${MANAGEMENT}/us-east-1/s3/${BUCKET}/GetBucketPolicy.json`;
const TRAIL = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/main-trail`;

/** One trail, main-trail, logging to BUCKET, whose responses are the defaults changed by `bucket`. */
function scenario(bucket: Partial<BucketSpec> = {}): () => ReturnType<Scenario['build']> {
  return () => {
    const s = new Scenario();
    const trail = s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
    s.bucket({ name: BUCKET, account: MANAGEMENT, trailArns: [trail], ...bucket });
    return s.build();
  };
}

/** The default policy with statements changed: edit receives the statement list. */
function policy(edit: (statements: Record<string, unknown>[]) => Record<string, unknown>[]): Partial<BucketSpec> {
  const doc = cloudTrailBucketPolicy(BUCKET, [TRAIL]) as { Statement: Record<string, unknown>[] };
  return { responses: { GetBucketPolicy: policyResponse({ ...doc, Statement: edit(doc.Statement) }) } };
}

describeCheck(check, {
  valid: [
    {
      name: 'a policy that denies plain HTTP and binds CloudTrail with aws:SourceArn', bundle: scenario(), resource: ARN, status: 'PASS', messageId: 'secure',
      check(r) {
        expect(r.message).to.equal(`Bucket ${BUCKET} refuses requests without TLS; its CloudTrail write grant is bound to named trails or accounts.`);
        expect(r.evidence).to.have.length(1);
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '/Policy' });
        expect(r.details).to.deep.equal({
          denyInsecureStatement: '/Statement/2',
          cloudTrailWriteGrants: [{ pointer: '/Statement/1', sid: 'AWSCloudTrailWrite', bound: true, by: 'aws:SourceArn' }],
        });
      },
    },
    {
      name: 'a grant bound with aws:SourceAccount',
      bundle: scenario(policy((st) => st.map((s) => (s['Sid'] === 'AWSCloudTrailWrite' ? { ...s, Condition: { StringEquals: { 'aws:SourceAccount': MANAGEMENT } } } : s)))),
      resource: ARN, status: 'PASS', messageId: 'secure',
    },
  ],
  invalid: [
    {
      name: 'a policy without a TLS deny', bundle: scenario(policy((st) => st.filter((s) => s['Sid'] !== 'DenyInsecureTransport'))), resource: ARN, status: 'FAIL', messageId: 'insecure',
      check(r) {
        expect(r.message).to.equal(`Bucket ${BUCKET} (logs of main-trail) has no policy statement that denies every request made without TLS (aws:SecureTransport false).`);
        expect(r.details?.['denyInsecureStatement']).to.equal(null);
      },
    },
    {
      name: 'an unbound CloudTrail write grant, as a confused deputy',
      bundle: scenario(policy((st) => st.map((s) => (s['Sid'] === 'AWSCloudTrailWrite' ? { ...s, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } } : s)))),
      resource: ARN, status: 'FAIL', messageId: 'insecure',
      check(r) {
        expect(r.message).to.include('lets CloudTrail write through statement "AWSCloudTrailWrite" without an aws:SourceArn or aws:SourceAccount condition, so a trail of any account can deliver into it');
        expect(r.details?.['cloudTrailWriteGrants']).to.deep.equal([{ pointer: '/Statement/1', sid: 'AWSCloudTrailWrite', bound: false }]);
      },
    },
    {
      name: 'both problems listed when the TLS deny is absent and a grant is unbound',
      bundle: scenario(policy((st) => st.filter((s) => s['Sid'] !== 'DenyInsecureTransport').map((s) => {
        const { Sid: _sid, Condition: _c, ...rest } = s;
        return rest;
      }))),
      resource: ARN, status: 'FAIL', messageId: 'insecure',
      check: (r) => expect(r.message).to.match(/without TLS \(aws:SecureTransport false\); and lets CloudTrail write through statement #1 without/),
    },
    {
      name: 'NoSuchBucketPolicy, judged as no policy at all', bundle: scenario({ errors: { GetBucketPolicy: 'NoSuchBucketPolicy' } }), resource: ARN, status: 'FAIL', messageId: 'noPolicy',
      check(r) {
        expect(r.message).to.equal(`Bucket ${BUCKET} (logs of main-trail) has no bucket policy: nothing refuses requests made without TLS.`);
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '/$error' });
      },
    },
    {
      name: 'a denied GetBucketPolicy, naming the file', bundle: scenario({ errors: { GetBucketPolicy: 'AccessDenied' } }), resource: ARN, status: 'ERROR',
      check: (r) => expect(r.message).to.equal(`Bucket ${BUCKET}: ${FILE} holds a failed call: AccessDenied: AccessDenied (simulated)`),
    },
    {
      name: 'a GetBucketPolicy missing from the bundle', bundle: scenario({ omit: ['GetBucketPolicy'] }), resource: ARN, status: 'ERROR',
      check: (r) => expect(r.message).to.include(`${FILE} is missing from the bundle`),
    },
    {
      name: 'a policy that is not JSON', bundle: scenario({ responses: { GetBucketPolicy: { Policy: 'not json' } } }), resource: ARN, status: 'ERROR', messageId: 'unreadablePolicy',
      check: (r) => expect(r.message).to.include('cannot be judged: bucket policy is not valid JSON'),
    },
    {
      name: 'a bucket in an account that was not collected',
      bundle: outsiderBucketBundle,
      resource: 'arn:aws:s3:::outsider-logs', status: 'MANUAL',
    },
  ],
});
