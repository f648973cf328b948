import { expect } from 'chai';
import { check } from '../../../checks/bucket/access-logging.js';
import { describeCheck } from '../../../src/check-tester.js';
import { LOG_ARCHIVE, MANAGEMENT, Scenario, type BucketSpec } from '../log-bucket-estate.js';

const BUCKET = 'acme-cloudtrail-logs';
const ARN = `arn:aws:s3:::${BUCKET}`;
const FILE = `accounts/${MANAGEMENT}/us-east-1/s3/${BUCKET}/GetBucketLogging.json`;

function scenario(bucket: Partial<BucketSpec> = {}): () => ReturnType<Scenario['build']> {
  return () => {
    const s = new Scenario();
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
    s.bucket({ name: BUCKET, account: MANAGEMENT, ...bucket });
    return s.build();
  };
}

/** A log-archive bucket in another collected account, and a bucket in an account that was not collected. */
function archive(): ReturnType<Scenario['build']> {
  const s = new Scenario({ accounts: [MANAGEMENT, LOG_ARCHIVE] });
  s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
  s.trail({ account: LOG_ARCHIVE, name: 'archive-trail', bucket: 'elsewhere-logs' });
  s.bucket({ name: BUCKET, account: LOG_ARCHIVE, responses: { GetBucketLogging: {} } });
  return s.build();
}

describeCheck(check, {
  valid: [
    {
      name: 'a bucket with server access logging, giving target bucket and prefix', bundle: scenario(), resource: ARN, status: 'PASS', messageId: 'on',
      check(r) {
        expect(r.message).to.equal(`Bucket ${BUCKET} logs access to itself into bucket access-logs-bucket under prefix "${BUCKET}/".`);
        expect(r.details).to.deep.equal({ targetBucket: 'access-logs-bucket', targetPrefix: `${BUCKET}/` });
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '/LoggingEnabled' });
      },
    },
  ],
  invalid: [
    {
      name: 'a bucket without server access logging', bundle: scenario({ responses: { GetBucketLogging: {} } }), resource: ARN, status: 'FAIL', messageId: 'off',
      check(r) {
        expect(r.message).to.equal(`Bucket ${BUCKET} (logs of main-trail) does not log access to itself: nobody can tell who read or deleted its log objects.`);
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '' });
      },
    },
    {
      name: 'a denied GetBucketLogging, naming the file', bundle: scenario({ errors: { GetBucketLogging: 'AccessDenied' } }), resource: ARN, status: 'ERROR',
      check(r) {
        expect(r.message).to.include(`${FILE} holds a failed call: AccessDenied`);
        expect(r.evidence[0]).to.include({ file: FILE, pointer: '/$error' });
      },
    },
    {
      name: 'a GetBucketLogging missing from the bundle', bundle: scenario({ omit: ['GetBucketLogging'] }), resource: ARN, status: 'ERROR',
      check: (r) => expect(r.message).to.include(`${FILE} is missing from the bundle`),
    },
    {
      name: 'a log-archive bucket in another collected account, judged there', bundle: archive, resource: ARN, status: 'FAIL', messageId: 'off',
      check: (r) => expect(r).to.include({ account: LOG_ARCHIVE, region: 'us-east-1' }),
    },
    {
      name: 'a bucket in an account that was not collected', bundle: archive, resource: 'arn:aws:s3:::elsewhere-logs', status: 'MANUAL',
      check: (r) => expect(r).to.include({ account: LOG_ARCHIVE, region: 'global' }),
    },
  ],
});
