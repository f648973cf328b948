import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ValidationReport } from '../../src/integrity/validate.js';
import { requireMoto, startMoto, type Moto } from './moto.js';
import { BUCKET, chainOf, pathOf, signingKey, tempDir, writeChain, writeKeys, type Vectors } from '../../fixtures/integrity-vectors.js';

const ACCOUNT = '123456789012'; // moto's account
const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;

/** The compiled tree this test runs from; the real CLI entry (bin/trailproof.js) when that tree is dist/. */
function cliCommand(): string[] {
  const compiled = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const repo = join(compiled, '..');
  if (relative(repo, compiled) === 'dist' && existsSync(join(repo, 'bin', 'trailproof.js'))) return [join(repo, 'bin', 'trailproof.js')];
  const mainJs = join(compiled, 'src', 'cli', 'main.js');
  // The same two lines as bin/trailproof.js, pointed at this compiled tree.
  return ['--input-type=module', '-e', `import { main } from ${JSON.stringify(mainJs)}; process.exitCode = await main(process.argv.slice(1));`];
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...cliCommand(), ...args], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

async function upload(s3: S3Client, v: Vectors): Promise<void> {
  for (const d of v.digests) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: d.key, Body: readFileSync(pathOf(v, d.key)), Metadata: { signature: d.signature, 'signature-algorithm': 'SHA256withRSA' } }));
  }
  for (const l of v.logs) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: l.key, Body: readFileSync(pathOf(v, l.key)) }));
}

describe('validate-logs --trail against S3 over HTTP (moto on loopback)', function () {
  this.timeout(120_000);
  let moto: Moto | undefined;
  let v: Vectors;
  let keysFile: string;
  let s3: S3Client;

  before(async function () {
    requireMoto(this);
    moto = await startMoto();
    const config = { region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    s3 = new S3Client(config);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const cloudtrail = new CloudTrailClient(config);
    await cloudtrail.send(new CreateTrailCommand({ Name: 'main', S3BucketName: BUCKET, EnableLogFileValidation: true }));
    await cloudtrail.send(new StartLoggingCommand({ Name: 'main' }));
    v = writeChain({ chain: chainOf({ account: ACCOUNT }), hours: 4, emptyHours: [1] });
    keysFile = writeKeys(tempDir(), [signingKey()]);
    await upload(s3, v);
  });

  after(async () => {
    await moto?.stop();
  });

  it('validates the trail from its bucket with the signature from the object metadata and exits 0', async () => {
    const run = await runCli(['validate-logs', '--trail', TRAIL, '--public-keys', keysFile, '--from', '2026-09-14T00:00:00Z', '--to', '2026-09-14T04:30:00Z', '--no-stricter', '--format', 'json'], moto!.env);
    expect(run.err).to.not.match(/^trailproof: /m);
    expect(run.code).to.equal(0);
    const report = JSON.parse(run.out) as ValidationReport;
    expect(report.summary).to.deep.include({ digests: { valid: 4, total: 4 }, logs: { valid: 6, total: 6 }, invalid: 0 });
    expect(report.chains.map((c) => [c.bucket, c.chain.account, c.chain.region, c.chain.trail])).to.deep.equal([[BUCKET, ACCOUNT, 'us-east-1', 'main']]);
  });

  it('reports a stale chain while the trail is logging (GetTrailStatus) as a stricter problem', async () => {
    const run = await runCli(['validate-logs', '--trail', TRAIL, '--public-keys', keysFile, '--from', '2026-09-14T00:00:00Z', '--to', '2026-09-14T09:00:00Z'], moto!.env);
    expect(run.code).to.equal(1);
    expect(run.out).to.contain('STRICTER: the newest digest ends 2026-09-14T04:00:31Z, more than 2 hours before 2026-09-14T09:00:00Z, while the trail is logging');
  });

  it('exits 1 naming the object when a log in the bucket was replaced', async () => {
    const tampered = v.logs[2]!;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: tampered.key, Body: gzipSync(Buffer.from('{"Records":[]}')) }));
    const run = await runCli(['validate-logs', '--trail', TRAIL, '--public-keys', keysFile, '--from', '2026-09-14T00:00:00Z', '--to', '2026-09-14T04:30:00Z', '--no-stricter'], moto!.env);
    expect(run.code).to.equal(1);
    expect(run.out).to.contain(`Log file s3://${BUCKET}/${tampered.key}: INVALID: hash value doesn't match`);
    expect(run.out).to.contain('5/6 log files valid, 1/6 log files INVALID');
  });

  it('exits 2 with one line when the trail does not exist', async () => {
    const run = await runCli(['validate-logs', '--trail', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/nope`, '--public-keys', keysFile], moto!.env);
    expect(run.code).to.equal(2);
    // The SDK may print its own Node version warning; trailproof says one line.
    const ours = run.err.split('\n').filter((l) => l.startsWith('trailproof:'));
    expect(ours).to.have.length(1);
    expect(ours[0]).to.match(/^trailproof: GetTrail arn:aws:cloudtrail:us-east-1:123456789012:trail\/nope failed: TrailNotFoundException/);
  });
});
