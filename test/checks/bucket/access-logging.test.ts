import { expect } from 'chai';
import { check } from '../../../checks/bucket/access-logging.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { LOG_ARCHIVE, MANAGEMENT, Scenario, type BucketSpec } from '../log-bucket-estate.js';

const BUCKET = 'acme-cloudtrail-logs';
const ARN = `arn:aws:s3:::${BUCKET}`;
const FILE = `accounts/${MANAGEMENT}/us-east-1/s3/${BUCKET}/GetBucketLogging.json`;

function run(bucket: Partial<BucketSpec> = {}): ReturnType<typeof resultFor> {
  const s = new Scenario();
  s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
  s.bucket({ name: BUCKET, account: MANAGEMENT, ...bucket });
  return resultFor(runCheck(check, s.build()), ARN);
}

describe('bucket.access-logging', () => {
  it('PASSes a bucket with server access logging, giving target bucket and prefix', () => {
    const r = run();
    expect(r.status).to.equal('PASS');
    expect(r.message).to.equal(`Bucket ${BUCKET} logs access to itself into bucket access-logs-bucket under prefix "${BUCKET}/".`);
    expect(r.details).to.deep.equal({ targetBucket: 'access-logs-bucket', targetPrefix: `${BUCKET}/` });
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '/LoggingEnabled' });
  });

  it('FAILs a bucket without server access logging', () => {
    const r = run({ responses: { GetBucketLogging: {} } });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(`Bucket ${BUCKET} (logs of main-trail) does not log access to itself: nobody can tell who read or deleted its log objects.`);
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '' });
  });

  it('ERRORs naming the file when GetBucketLogging was denied', () => {
    const r = run({ errors: { GetBucketLogging: 'AccessDenied' } });
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.include(`${FILE} holds a failed call: AccessDenied`);
    expect(r.evidence[0]).to.include({ file: FILE, pointer: '/$error' });
  });

  it('ERRORs when GetBucketLogging is missing from the bundle', () => {
    const r = run({ omit: ['GetBucketLogging'] });
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.include(`${FILE} is missing from the bundle`);
  });

  it('judges a log-archive bucket in another collected account, and is MANUAL for one in an uncollected account', () => {
    const s = new Scenario({ accounts: [MANAGEMENT, LOG_ARCHIVE] });
    s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: BUCKET });
    s.trail({ account: LOG_ARCHIVE, name: 'archive-trail', bucket: 'elsewhere-logs' });
    s.bucket({ name: BUCKET, account: LOG_ARCHIVE, responses: { GetBucketLogging: {} } });
    const results = runCheck(check, s.build());
    expect(resultFor(results, ARN)).to.include({ status: 'FAIL', account: LOG_ARCHIVE, region: 'us-east-1' });
    expect(resultFor(results, 'arn:aws:s3:::elsewhere-logs')).to.include({ status: 'MANUAL', account: LOG_ARCHIVE, region: 'global' });
  });
});
