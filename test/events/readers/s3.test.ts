// Reading logs straight from S3, against moto over real HTTP: listing a folder level at a time with out-of-scope
// accounts, regions and days never listed or fetched, bodies streamed through gunzip, a corrupt object named.
import { expect } from 'chai';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import { findEvents } from '../../../src/events/find.js';
import { parseS3Url, s3Logs } from '../../../src/events/readers/s3.js';
import type { ScanScope } from '../../../src/events/readers/types.js';
import { main } from '../../../src/cli/main.js';
import { memoryIo } from '../../../src/cli/io.js';
import { TrailproofError } from '../../../src/errors.js';
import { logBytes, logKey, record, type LogFile } from '../helpers.js';
import { withEnv } from '../../helpers/env.js';
import { requireMoto, startMoto, type Moto } from '../moto.js';

const everything = { names: [], errorsOnly: false };
const BUCKET = 'example-org-cloudtrail-logs';
const PREFIX = 'org-trail';

interface Call {
  command: string;
  input: Record<string, unknown>;
}

function client(endpoint: string, calls?: Call[]): S3Client {
  const c = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  if (calls !== undefined) {
    c.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push({ command: String(context.commandName), input: args.input as Record<string, unknown> });
        return next(args);
      },
      { step: 'initialize', name: 'recordCalls' },
    );
  }
  return c;
}

describe('S3 logs (--logs s3://bucket/prefix) against moto', function () {
  let moto: Moto | undefined;
  const keys: Record<string, string> = {};

  before(async function () {
    process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
    requireMoto(this);
    moto = await startMoto();
    const s3 = client(moto.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const put = async (name: string, file: LogFile): Promise<void> => {
      const key = `${PREFIX}/${logKey(file)}`;
      keys[name] = key;
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: logBytes(file) }));
    };
    const org = 'o-a1b2c3d4e5';
    const garbage = Buffer.from('never fetched');
    await put('day1', { orgId: org, account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T10:05:00Z', records: [record({ time: '2026-09-14T10:01:00Z', name: 'First' })] });
    await put('day1b', { orgId: org, account: '222222222222', region: 'us-east-1', delivered: '2026-09-14T11:05:00Z', suffix: 'Second000000000', records: [record({ time: '2026-09-14T11:01:00Z', name: 'Second', account: '222222222222' })] });
    await put('day2', { orgId: org, account: '111111111111', region: 'us-east-1', delivered: '2026-09-15T00:04:00Z', records: [record({ time: '2026-09-15T00:01:00Z', name: 'Third' })] });
    const whole = gzipSync(Buffer.from(JSON.stringify({ Records: [record({ time: '2026-09-14T12:00:00Z', name: 'Lost' })] })));
    await put('corrupt', { orgId: org, account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T12:05:00Z', suffix: 'Corrupt00000000', records: [], bytes: whole.subarray(0, whole.length - 20) });
    await put('oldDay', { orgId: org, account: '111111111111', region: 'us-east-1', delivered: '2026-08-01T10:05:00Z', records: [], bytes: garbage });
    await put('otherAccount', { orgId: org, account: '333333333333', region: 'us-east-1', delivered: '2026-09-14T10:05:00Z', records: [], bytes: garbage });
    await put('otherRegion', { orgId: org, account: '111111111111', region: 'eu-west-1', delivered: '2026-09-14T10:05:00Z', records: [], bytes: garbage });
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/AWSLogs/${org}/111111111111/CloudTrail-Digest/us-east-1/2026/09/14/digest.json.gz`, Body: garbage }));
  });

  after(async () => {
    await moto?.stop();
  });

  it('lists by account, region and day, fetches only the objects in scope, and names a corrupt one', async () => {
    const calls: Call[] = [];
    const scope: ScanScope = { from: Date.parse('2026-09-14T00:00:00Z'), to: Date.parse('2026-09-14T23:59:59.999Z'), accounts: ['111111111111', '222222222222'], regions: ['us-east-1'] };
    const source = s3Logs(client((moto as Moto).endpoint, calls), `s3://${BUCKET}/${PREFIX}`, scope, 2);
    const found = await findEvents([source], { query: everything, scope, workers: 0, sort: 'time' });

    expect(found.events.map((e) => e.eventName)).to.deep.equal(['First', 'Second']);
    const fetched = calls.filter((c) => c.command === 'GetObjectCommand').map((c) => c.input['Key']);
    expect(fetched).to.have.members([keys['day1'], keys['day1b'], keys['corrupt'], keys['day2']]);
    const listed = calls.filter((c) => c.command === 'ListObjectsV2Command').map((c) => String(c.input['Prefix']));
    expect(listed.every((p) => !p.includes('333333333333') && !p.includes('eu-west-1') && !p.includes('/2026/08/') && !p.includes('CloudTrail-Digest'))).to.equal(true, listed.join('\n'));
    expect(listed).to.include(`${PREFIX}/AWSLogs/o-a1b2c3d4e5/111111111111/CloudTrail/us-east-1/2026/09/14/`);

    expect(found.stats.skipped).to.have.length(1);
    expect(found.stats.skipped[0]?.name).to.equal(`s3://${BUCKET}/${keys['corrupt']}`);
    expect(found.stats.skipped[0]?.reason).to.match(/^bad gzip/);
    expect(found.stats.files).to.equal(4);
    expect(found.stats.filesSkipped).to.equal(1);
    expect(found.stats.events).to.equal(3);
    expect(found.stats.eventsInScope).to.equal(2);
  });

  it('reads every day present when the range is open, in delivery order', async () => {
    const scope: ScanScope = { from: null, to: null, accounts: ['111111111111'], regions: ['us-east-1'] };
    const found = await findEvents([s3Logs(client((moto as Moto).endpoint), `s3://${BUCKET}/${PREFIX}/`, scope)], { query: everything, scope, workers: 0, sort: 'time' });
    expect(found.events.map((e) => e.eventName)).to.deep.equal(['First', 'Third']);
    // The 2026-08-01 object holds garbage: with an open range it is read, and named as unreadable.
    expect(found.stats.skipped.map((s) => s.name).sort()).to.deep.equal([`s3://${BUCKET}/${keys['corrupt']}`, `s3://${BUCKET}/${keys['oldDay']}`].sort());
  });

  it('is what `trailproof events --logs s3://...` reads, with the endpoint and credentials from the environment', async () => {
    const env = { AWS_ENDPOINT_URL_S3: (moto as Moto).endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_PROFILE: undefined };
    await withEnv(env, async () => {
      const io = memoryIo();
      const code = await main(['events', '--logs', `s3://${BUCKET}/${PREFIX}`, '--name', 'Second', '--format', 'jsonl', '--no-progress'], io);
      expect(code, io.err).to.equal(0);
      expect(io.out.trim().split('\n').map((l) => (JSON.parse(l) as { eventName: string }).eventName)).to.deep.equal(['Second']);
      // Nothing is out of scope here: the objects holding garbage are read too, and named.
      expect(io.err).to.contain(`read s3://${BUCKET}/${PREFIX}: 3 files read, 4 skipped; 3 events`);
    });
  });

  it('refuses a bucket it cannot list, naming it', async () => {
    const scope: ScanScope = { from: null, to: null, accounts: [], regions: [] };
    let error: unknown;
    try {
      await findEvents([s3Logs(client((moto as Moto).endpoint), 's3://no-such-bucket-here/x', scope)], { query: everything, scope, workers: 0, sort: 'time' });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(TrailproofError);
    expect((error as TrailproofError).message).to.match(/^--logs s3:\/\/no-such-bucket-here\/x: cannot list the bucket: NoSuchBucket/);
    expect((error as TrailproofError).exitCode).to.equal(2);
  });
});

describe('S3 helpers', () => {
  it('parses s3:// URLs and refuses others', () => {
    expect(parseS3Url('s3://bucket-name/AWSLogs/o-1/')).to.deep.equal({ bucket: 'bucket-name', prefix: 'AWSLogs/o-1/' });
    expect(parseS3Url('s3://bucket-name')).to.deep.equal({ bucket: 'bucket-name', prefix: '' });
    expect(() => parseS3Url('s3:/bucket')).to.throw(/expected s3:\/\/bucket/);
  });
});
