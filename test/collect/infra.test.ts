// The collector's parts on their own: the scheduler (bound, timeout, pacing, error kinds), the bundle writer
// (atomic, refuses to overwrite), the tar.gz writer (read back by the system tar), the progress display, the
// SigV4 signer (AWS's test vector and botocore), the S3 Control call and the SDK's adaptive retry over HTTP.
import { expect } from 'chai';
import { requirePart } from '../helpers/real-parts.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scheduler, sleep } from '../../src/aws/scheduler.js';
import { CollectSession } from '../../src/collect/clients.js';
import { Progress, progressLine } from '../../src/collect/progress.js';
import { S3ControlClient, signV4 } from '../../src/aws/s3control.js';
import { writeTarGz } from '../../src/collect/tar.js';
import { BundleWriter, evidenceJson } from '../../src/collect/writer.js';
import { TrailproofError } from '../../src/errors.js';

const EMPTY_SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'trailproof-infra-'));
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('collect: bundle writer', () => {
  it('writes nothing at the target until the manifest is committed, then renames the folder into place', async () => {
    const target = join(tmp(), 'bundle');
    const writer = await BundleWriter.create(target);
    await writer.writeJson('accounts/111111111111/global/ec2/DescribeRegions.json', { Regions: [], $metadata: { httpStatusCode: 200 }, At: new Date('2026-01-02T03:04:05Z') });
    expect(existsSync(target)).to.equal(false);
    const manifest = await writer.commit({ tool: 'trailproof' });
    expect(existsSync(writer.tempDir)).to.equal(false);
    const stored = readFileSync(join(target, 'accounts/111111111111/global/ec2/DescribeRegions.json'), 'utf8');
    expect(stored).to.equal('{\n  "Regions": [],\n  "At": "2026-01-02T03:04:05.000Z"\n}\n');
    expect(manifest['files']).to.have.keys('accounts/111111111111/global/ec2/DescribeRegions.json');
  });

  it('leaves nothing behind when a run is abandoned', async () => {
    const target = join(tmp(), 'bundle');
    const writer = await BundleWriter.create(target);
    await writer.writeJson('accounts/111111111111/global/ec2/DescribeRegions.json', {});
    await writer.abort();
    expect(existsSync(writer.tempDir)).to.equal(false);
    expect(existsSync(target)).to.equal(false);
  });

  it('refuses a target folder that holds anything, and accepts an empty one', async () => {
    const full = tmp();
    writeFileSync(join(full, 'findings.json'), '{}');
    try {
      await BundleWriter.create(full);
      expect.fail('expected a refusal');
    } catch (err) {
      expect(err).to.be.instanceOf(TrailproofError);
      expect((err as TrailproofError).message).to.match(/already exists and is not empty/);
    }
    const empty = join(tmp(), 'empty');
    mkdirSync(empty);
    const writer = await BundleWriter.create(empty);
    await writer.commit({});
    expect(existsSync(join(empty, 'manifest.json'))).to.equal(true);
  });

  it('refuses a path that would leave the bundle, and keeps the first answer for a path', async () => {
    const writer = await BundleWriter.create(join(tmp(), 'bundle'));
    let thrown: unknown;
    await writer.writeJson('accounts/../../etc/x.json', {}).catch((err: unknown) => (thrown = err));
    expect(String(thrown)).to.match(/unsafe bundle path/);
    expect(await writer.writeJson('a/b.json', { first: true })).to.equal(true);
    expect(await writer.writeJson('a/b.json', { first: false })).to.equal(false);
    await writer.abort();
  });

  it('drops $metadata only at its own key', () => {
    expect(evidenceJson({ $metadata: 1, a: { b: 2 } })).to.equal('{\n  "a": {\n    "b": 2\n  }\n}\n');
  });
});

describe('collect: tar.gz archive', () => {
  it('is read back by the system tar, long names included, byte for byte', async function () {
    requirePart(this, 'tar', spawnSync('tar', ['--version']).status === 0 ? undefined : 'no tar command on PATH (apt-get install tar)');
    const root = tmp();
    const long = `accounts/111111111111/eu-west-1/s3/${'a'.repeat(60)}/GetBucketLifecycleConfiguration.json`;
    const files = { 'manifest.json': '{}\n', [long]: 'x'.repeat(1000), 'accounts/empty.jsonl': '' };
    for (const [f, content] of Object.entries(files)) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), content);
    }
    const archive = join(tmp(), 'bundle.tar.gz');
    const sha = await writeTarGz(root, Object.keys(files), 'bundle', archive, Date.UTC(2026, 9, 1));
    expect(sha).to.match(/^[0-9a-f]{64}$/);
    const listing = spawnSync('tar', ['-tzf', archive], { encoding: 'utf8' });
    expect(listing.stdout.trim().split('\n').sort()).to.deep.equal(Object.keys(files).map((f) => `bundle/${f}`).sort());
    const out = tmp();
    expect(spawnSync('tar', ['-xzf', archive, '-C', out]).status).to.equal(0);
    for (const [f, content] of Object.entries(files)) expect(readFileSync(join(out, 'bundle', f), 'utf8')).to.equal(content);
    const again = await writeTarGz(root, Object.keys(files), 'bundle', join(tmp(), 'again.tar.gz'), Date.UTC(2026, 9, 1));
    expect(again).to.equal(sha);
  });
});

describe('collect: progress display', () => {
  it('says accounts, regions, calls, errors and the time left', () => {
    const line = progressLine({ accountsDone: 50, accountsTotal: 200, regionsDone: 800, regionsKnown: 850, calls: 4200, errors: 3 }, 30_000);
    expect(line).to.equal('collecting: 50/200 accounts, 800/850 regions, 4200 calls, 3 errors, 30s elapsed, ETA 1m30s');
  });

  it('prints plain lines when stderr is not a terminal, and nothing when off', async () => {
    const written: string[] = [];
    const counts = () => ({ accountsDone: 1, accountsTotal: 2, regionsDone: 1, regionsKnown: 4, calls: 9, errors: 0 });
    const lines = new Progress({ mode: 'lines', write: (t) => written.push(t), counts, intervalMs: 20 });
    lines.start();
    // Waits for two lines (up to 10 s) rather than a fixed 70 ms a loaded machine may not honour.
    for (const deadline = Date.now() + 10_000; written.length < 2 && Date.now() < deadline;) await sleep(10);
    lines.stop();
    expect(written.length).to.be.at.least(2);
    expect(written[0]).to.match(/^trailproof: collecting: 1\/2 accounts, 1\/4 regions, 9 calls, 0 errors, \d+s elapsed, ETA \d+s\n$/);
    const off: string[] = [];
    const none = new Progress({ mode: 'off', write: (t) => off.push(t), counts, intervalMs: 5 });
    none.start();
    await sleep(20);
    none.stop();
    expect(off).to.deep.equal([]);
  });
});

describe('collect: S3 Control over HTTP', () => {
  it("signs like AWS's Signature Version 4 test suite (get-vanilla)", () => {
    const auth = signV4({ method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, payloadHash: EMPTY_SHA, region: 'us-east-1', service: 'service', credentials: EXAMPLE, amzDate: '20150830T123600Z' });
    expect(auth).to.equal('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  });

  it("signs an S3 Control request as botocore's SigV4Auth does", function () {
    const script = [
      'from botocore.auth import SigV4Auth', 'from botocore.awsrequest import AWSRequest', 'from botocore.credentials import Credentials',
      "r = AWSRequest(method='GET', url='https://123456789012.s3-control.eu-west-1.amazonaws.com/v20180820/configuration/publicAccessBlock', headers={'x-amz-account-id': '123456789012', 'x-amz-content-sha256': '" + EMPTY_SHA + "'})",
      "SigV4Auth(Credentials('AKIDEXAMPLE', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'session-token'), 's3', 'eu-west-1').add_auth(r)",
      "print(r.headers['X-Amz-Date']); print(r.headers['Authorization'])",
    ].join('\n');
    const run = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
    requirePart(this, 'botocore', run.status === 0 ? undefined : `python3 cannot sign with botocore (apt-get install python3-botocore, or pip install botocore): ${(run.stderr ?? '').trim().split('\n').pop() ?? ''}`);
    const [date, expected] = run.stdout.trim().split('\n');
    const auth = signV4({
      method: 'GET', url: new URL('https://123456789012.s3-control.eu-west-1.amazonaws.com/v20180820/configuration/publicAccessBlock'),
      headers: { 'x-amz-account-id': '123456789012', 'x-amz-content-sha256': EMPTY_SHA, 'x-amz-security-token': 'session-token' },
      payloadHash: EMPTY_SHA, region: 'eu-west-1', service: 's3', credentials: EXAMPLE, amzDate: date as string,
    });
    expect(auth).to.equal(expected);
  });

  it("reads the account's Block Public Access, and a missing one as its AWS error", async () => {
    const seen: IncomingMessage[] = [];
    const { server, url } = await serve((req, res) => {
      seen.push(req);
      if (req.headers['x-amz-account-id'] === '111111111111') {
        res.writeHead(200, { 'content-type': 'application/xml' }).end('<?xml version="1.0"?><GetPublicAccessBlockOutput><PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>false</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration></GetPublicAccessBlockOutput>');
      } else {
        res.writeHead(404, { 'content-type': 'application/xml' }).end('<?xml version="1.0"?><ErrorResponse><Error><Code>NoSuchPublicAccessBlockConfiguration</Code><Message>The public access block configuration was not found</Message></Error></ErrorResponse>');
      }
    });
    try {
      const client = new S3ControlClient({ region: 'eu-west-1', credentials: async () => ({ ...EXAMPLE, sessionToken: 'tok' }), endpoint: url });
      const out = await client.getPublicAccessBlock('111111111111', new AbortController().signal);
      expect(out).to.deep.equal({ PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true } });
      expect(seen[0]?.url).to.equal('/v20180820/configuration/publicAccessBlock');
      expect(seen[0]?.headers['authorization']).to.match(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=host;x-amz-account-id;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
      expect(seen[0]?.headers['x-amz-security-token']).to.equal('tok');
      const missing = await client.getPublicAccessBlock('222222222222', new AbortController().signal).catch((err: unknown) => err);
      expect(missing).to.deep.include({ name: 'NoSuchPublicAccessBlockConfiguration', message: 'The public access block configuration was not found', $metadata: { httpStatusCode: 404 } });
    } finally {
      server.close();
    }
  });
});

describe('collect: SDK clients', () => {
  it("use the SDK's adaptive retry mode, which retries a throttled call over HTTP", async () => {
    let requests = 0;
    const { server, url } = await serve((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => {
        if (requests === 1) res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ThrottlingException' }).end('{"__type":"ThrottlingException","message":"Rate exceeded"}');
        else res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{"trailList":[]}');
      });
    });
    const saved = process.env['AWS_ENDPOINT_URL'];
    process.env['AWS_ENDPOINT_URL'] = url;
    const scheduler = new Scheduler({ concurrency: 1, callTimeoutMs: 5000 });
    const session = new CollectSession({ region: 'us-east-1', concurrency: 1, callTimeoutMs: 5000, credentials: async () => EXAMPLE }, scheduler);
    try {
      const client = session.clients('111111111111', 'us-east-1', session.base).cloudtrail;
      expect(await client.config.retryStrategy()).to.have.property('mode', 'adaptive');
      const { DescribeTrailsCommand } = await import('@aws-sdk/client-cloudtrail');
      const out = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
      expect(out.trailList).to.deep.equal([]);
      expect(out.$metadata.attempts).to.equal(2);
      expect(requests).to.equal(2);
    } finally {
      if (saved === undefined) delete process.env['AWS_ENDPOINT_URL'];
      else process.env['AWS_ENDPOINT_URL'] = saved;
      session.destroy();
      server.close();
    }
  });
});
