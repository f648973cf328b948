import { expect } from 'chai';
import { appendFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { digestKeyFor } from '../../src/evidence/s3-layout.js';
import { requireAwsCli, runAwsCli, runTrailproof, type CliRun, type TrailproofRun } from './harness.js';
import {
  BUCKET, chainOf, logKeyFor, logBody, pathOf, publicKeysDocument, readSidecar, resign, signingKey, tempDir, writeChain, writeKeys, writeObject, type Vectors,
} from '../../fixtures/integrity-vectors.js';

const RANGE = { start: '2026-09-14T00:00:00Z', end: '2026-09-14T06:00:00Z' };

async function both(v: Vectors, extraArgs: string[] = [], keys = [signingKey()]): Promise<{ cli: CliRun; tp: TrailproofRun }> {
  const keysFile = writeKeys(tempDir(), keys);
  const tp = await runTrailproof(['--logs', v.dir, '--public-keys', keysFile, '--from', RANGE.start, '--to', RANGE.end, '--bucket', v.bucket, ...extraArgs]);
  const cli = runAwsCli(v, publicKeysDocument(keys), RANGE);
  return { cli, tp };
}

function stricterReasons(tp: TrailproofRun): string[] {
  return tp.report.problems.filter((p) => p.level === 'stricter').map((p) => p.reason).sort();
}

describe('validate-logs gives the AWS CLI verdicts for the same files', function () {
  this.timeout(60_000);
  before(function () {
    requireAwsCli(this);
    signingKey(1);
  });

  it('agrees on a valid chain with an hour without activity, and both exit 0', async () => {
    const v = writeChain({ hours: 5, emptyHours: [2] });
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.verdicts.filter((x) => x.type === 'digest')).to.have.length(5);
    expect(tp.verdicts.filter((x) => x.type === 'log')).to.have.length(8);
    expect([tp.exit, cli.exit]).to.deep.equal([0, 0]);
    expect(tp.report.summary).to.deep.include({ digests: { valid: 5, total: 5 }, logs: { valid: 8, total: 8 }, invalid: 0, stricter: 0, gaps: 0 });
    expect(tp.report.proven).to.deep.equal({ from: '2026-09-14T00:00:31Z', to: '2026-09-14T05:00:31Z' });
  });

  it('agrees on a chain restart (previous fields null): a gap, not an error', async () => {
    const v = writeChain({ hours: 5, restartAt: [3] });
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(cli.gaps).to.equal(1);
    expect(tp.report.gaps).to.deep.equal([{ chain: 'trail main (home us-east-1), account 111111111111, region us-east-1', backfill: false, from: '2026-09-14T03:00:31Z', to: '2026-09-14T03:00:31Z' }]);
    expect([tp.exit, cli.exit]).to.deep.equal([0, 0]);
  });

  it('agrees when logging was off for an hour (no digest, the next one restarts the chain)', async () => {
    const v = writeChain({ hours: 5, skipHours: [2] });
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.report.gaps.map((g) => [g.from, g.to])).to.deep.equal([['2026-09-14T02:00:31Z', '2026-09-14T03:00:31Z']]);
    expect(tp.exit).to.equal(0);
  });

  it('agrees on a missing digest', async () => {
    const v = writeChain({ hours: 5 });
    rmSync(pathOf(v, v.digests[2]!.key));
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.verdicts.find((x) => x.key === v.digests[2]!.key)?.verdict).to.equal('not-found');
    expect([tp.exit, cli.exit]).to.deep.equal([1, 1]);
  });

  it('agrees on a moved digest (its key differs from digestS3Object)', async () => {
    const v = writeChain({ hours: 4 });
    const moved = digestKeyFor(v.chain, new Date('2026-09-14T04:10:00Z'));
    const from = pathOf(v, v.digests[3]!.key);
    writeObject(v.dir, moved, Buffer.alloc(0));
    renameSync(from, pathOf(v, moved));
    renameSync(`${from}.metadata.json`, `${pathOf(v, moved)}.metadata.json`);
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.verdicts.find((x) => x.key === moved)?.verdict).to.equal('moved');
    expect(tp.exit).to.equal(1);
  });

  it('agrees on a digest signed by an unknown key', async () => {
    const v = writeChain({ hours: 4 });
    resign(v, 3, (f) => { f.digestPublicKeyFingerprint = signingKey(1).fingerprint; }, signingKey(1));
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.verdicts.find((x) => x.key === v.digests[3]!.key)?.verdict).to.equal('unknown-key');
    expect(tp.exit).to.equal(1);
  });

  it('agrees on a bad signature', async () => {
    const v = writeChain({ hours: 4 });
    const meta = readSidecar(v, v.digests[1]!.key);
    const sig = meta.signature as string;
    meta.signature = (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1);
    writeFileSync(`${pathOf(v, v.digests[1]!.key)}.metadata.json`, JSON.stringify(meta));
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.verdicts.find((x) => x.key === v.digests[1]!.key)?.verdict).to.equal('bad-signature');
  });

  it('agrees on a digest without its signature metadata', async () => {
    const v = writeChain({ hours: 3 });
    rmSync(`${pathOf(v, v.digests[1]!.key)}.metadata.json`);
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.verdicts.find((x) => x.key === v.digests[1]!.key)?.verdict).to.equal('bad-signature');
  });

  it('agrees on a malformed digest (not gzip) and on a digest that is not JSON', async () => {
    const v = writeChain({ hours: 4 });
    writeFileSync(pathOf(v, v.digests[1]!.key), 'this is not gzip');
    writeFileSync(pathOf(v, v.digests[2]!.key), gzipSync('{"digestS3Bucket": '));
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.verdicts.filter((x) => x.verdict === 'malformed').map((x) => x.key)).to.deep.equal([v.digests[1]!.key, v.digests[2]!.key]);
  });

  it('agrees on a missing log file', async () => {
    const v = writeChain({ hours: 3 });
    rmSync(pathOf(v, v.logs[1]!.key));
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.verdicts.find((x) => x.key === v.logs[1]!.key)?.verdict).to.equal('not-found');
    expect([tp.exit, cli.exit]).to.deep.equal([1, 1]);
  });

  it('agrees on a log file whose hash does not match', async () => {
    const v = writeChain({ hours: 3 });
    writeFileSync(pathOf(v, v.logs[2]!.key), gzipSync(Buffer.from(v.logs[2]!.inflated.toString().replace('GetObject', 'PutObject'))));
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.verdicts.find((x) => x.key === v.logs[2]!.key)?.verdict).to.equal('hash-mismatch');
    const problem = tp.report.problems.find((p) => p.key === v.logs[2]!.key);
    expect(problem?.message).to.match(/^Log file .+\.json\.gz: INVALID: hash value doesn't match \(digest lists [0-9a-f]{64}, the file hashes to [0-9a-f]{64}\)$/);
  });

  it('agrees on a log file that is not gzip', async () => {
    const v = writeChain({ hours: 2 });
    writeFileSync(pathOf(v, v.logs[0]!.key), 'plain text');
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.verdicts.find((x) => x.key === v.logs[0]!.key)?.verdict).to.equal('malformed');
  });

  it('hashes the first gzip member only, like the CLI, and reports the bytes after it as stricter', async () => {
    const v = writeChain({ hours: 3 });
    appendFileSync(pathOf(v, v.logs[1]!.key), gzipSync('{"Records":[{"eventName":"DeleteTrail"}]}'));
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(cli.exit).to.equal(0);
    expect(tp.verdicts.find((x) => x.key === v.logs[1]!.key)?.verdict).to.equal('valid');
    expect(stricterReasons(tp)).to.deep.equal(['trailing-data']);
    expect(tp.exit).to.equal(1);
  });

  it('reports a previousDigestHashValue and previousDigestSignature that do not match as stricter only', async () => {
    const v = writeChain({ hours: 4 });
    resign(v, 3, (f) => {
      f.previousDigestHashValue = '0'.repeat(64);
      f.previousDigestSignature = 'ab'.repeat(256);
    });
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(cli.exit).to.equal(0);
    expect(stricterReasons(tp)).to.deep.equal(['previous-hash-mismatch', 'previous-signature-mismatch']);
    expect(tp.report.problems.every((p) => p.key === v.digests[2]!.key)).to.equal(true);
    expect(tp.exit).to.equal(1);
  });

  it('reports a stale newest digest while the trail is logging as stricter only', async () => {
    const v = writeChain({ hours: 3 });
    const { cli, tp } = await both(v, ['--logging']);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(stricterReasons(tp)).to.deep.equal(['stale']);
    expect(tp.report.problems[0]?.message).to.equal(
      'Chain trail main (home us-east-1), account 111111111111, region us-east-1: STRICTER: the newest digest ends 2026-09-14T03:00:31Z, more than 2 hours before 2026-09-14T06:00:00Z, while the trail is logging (digests may have been deleted or delivery stopped)',
    );
  });

  it('reports a log file present for the period but listed in no digest as stricter only', async () => {
    const v = writeChain({ hours: 3 });
    const at = new Date('2026-09-14T01:20:00Z');
    const extra = logKeyFor(v.chain, at, 'UnlistedLogFile1');
    writeObject(v.dir, extra, gzipSync(logBody(v.chain, at, 99)));
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.report.problems.map((p) => [p.reason, p.key])).to.deep.equal([['unlisted-log', extra]]);
  });

  it('agrees on an organization trail with a key prefix', async () => {
    const chain = chainOf({ prefix: 'org/trails', orgId: 'o-exampleorgid', account: '222222222222', region: 'eu-west-1' });
    const v = writeChain({ hours: 3, chain });
    rmSync(pathOf(v, v.logs[0]!.key));
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.verdicts.filter((x) => x.type === 'digest')).to.have.length(3);
    expect(tp.verdicts[0]?.key.startsWith('org/trails/AWSLogs/o-exampleorgid/222222222222/CloudTrail-Digest/eu-west-1/')).to.equal(true);
  });

  it('agrees on a digest chain that continues in another bucket', async () => {
    const v = writeChain({ hours: 4 });
    // The two oldest digests were delivered to the trail's former bucket.
    for (const i of [0, 1]) resign(v, i, (f) => { f.digestS3Bucket = 'former-bucket'; });
    resign(v, 2, (f) => { f.previousDigestS3Bucket = 'former-bucket'; f.previousDigestSignature = v.digests[1]!.signature; });
    resign(v, 1, (f) => { f.previousDigestS3Bucket = 'former-bucket'; f.previousDigestSignature = v.digests[0]!.signature; });
    resign(v, 2, (f) => { f.previousDigestSignature = v.digests[1]!.signature; });
    resign(v, 3, (f) => { f.previousDigestSignature = v.digests[2]!.signature; });
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.verdicts.filter((x) => x.type === 'digest' && x.verdict === 'valid')).to.have.length(4);
  });

  it('agrees on a backfill digest', async () => {
    const v = writeChain({ hours: 3 });
    const at = new Date('2026-09-14T01:40:00Z');
    const late = logKeyFor(v.chain, at, 'LateDeliveredLog');
    const inflated = logBody(v.chain, at, 7);
    writeObject(v.dir, late, gzipSync(inflated));
    const key = digestKeyFor(v.chain, new Date('2026-09-14T02:00:31Z'), true);
    const { createHash } = await import('node:crypto');
    const { signDigest, writeDigest } = await import('../../fixtures/integrity-vectors.js');
    const digest = signDigest({
      ...v.digests[1]!.fields, digestS3Object: key, previousDigestS3Bucket: null, previousDigestS3Object: null, previousDigestHashValue: null, previousDigestSignature: null,
      logFiles: [{ s3Bucket: BUCKET, s3Object: late, hashValue: createHash('sha256').update(inflated).digest('hex'), hashAlgorithm: 'SHA-256' }],
    }, signingKey());
    writeDigest(v.dir, digest, { 'backfill-generation-timestamp': '2026-09-14T02:30:00Z' });
    const { cli, tp } = await both(v);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.verdicts.filter((x) => x.type === 'backfill-digest')).to.deep.equal([{ type: 'backfill-digest', key, verdict: 'valid' }]);
    expect(tp.report.summary.backfillDigests).to.deep.equal({ valid: 1, total: 1 });
    expect(stricterReasons(tp)).to.deep.equal([]);
  });

  it('keeps the verdicts of files outside --from/--to out, as the CLI does', async () => {
    const v = writeChain({ hours: 8 });
    const keysFile = writeKeys(tempDir());
    const range = { start: '2026-09-14T03:30:00Z', end: '2026-09-14T05:10:00Z' };
    const tp = await runTrailproof(['--logs', v.dir, '--public-keys', keysFile, '--from', range.start, '--to', range.end, '--bucket', v.bucket]);
    const cli = runAwsCli(v, publicKeysDocument([signingKey()]), range);
    expect(tp.verdicts).to.deep.equal(cli.verdicts);
    expect(tp.verdicts.filter((x) => x.type === 'digest').map((x) => x.key.slice(-24, -8))).to.deep.equal(['20260914T040031Z', '20260914T050031Z', '20260914T060031Z']);
    expect([tp.exit, cli.exit]).to.deep.equal([0, 0]);
  });
});
