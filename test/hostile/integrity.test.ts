// Hostile evidence against the log-integrity verification, through the real CLI (`main`): files added beside
// or dropped from the manifest, digest keys and symlinks leading out of the bundle (a canary outside must
// never reach findings.json), FIFOs that would block a reader, a bundle that signs its own digests, a gzip
// bomb of a digest, and digests that point at each other. Each case asserts its verdict, its named reason and
// a CONTRACT exit code, and that it finished well inside a generous time budget.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { constants as zlibConstants, deflateRawSync, gzipSync } from 'node:zlib';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { Bundle } from '../../src/evidence/bundle.js';
import { MAX_UNLISTED_NAMED } from '../../src/evidence/contained.js';
import { MAX_DIGEST_INFLATED_BYTES, inflateFirstMember } from '../../src/integrity/gzip.js';
import type { Findings, Result } from '../../src/model/types.js';
import { compileSchema, loadSchema } from '../../src/schema.js';
import { trailArn, type BundleBuilder } from '../../fixtures/bundle-builder.js';
import { MGMT, builder, writeTrails } from '../checks/trail-key-estate.js';
import {
  chainOf, pathOf, publicKeysDocument, resign, signingKey, tempDir, writeChain, writeKeys, type SigningKey, type Vectors,
} from '../../fixtures/integrity-vectors.js';

const ARN = trailArn(MGMT, 'us-east-1', 'main');
const BUCKET = `cloudtrail-logs-${MGMT}`;
const BUDGET_MS = 20_000;
const validateFindings = compileSchema<Findings>(loadSchema('findings.schema.json'));
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

interface Fixture {
  v: Vectors;
  b: BundleBuilder;
}

/** Trail `main` with a chain of `hours` digests (signed by `key`) and its logs under logs/, and `keys` as the bundle's ListPublicKeys. */
function fixture(options: { hours?: number; key?: SigningKey; keys?: SigningKey[]; change?: (v: Vectors) => void } = {}): Fixture {
  const b = writeTrails(builder(), [{ account: MGMT, name: 'main', homeRegion: 'us-east-1' }]);
  const v = writeChain({ bucket: BUCKET, chain: chainOf({ account: MGMT }), hours: options.hours ?? 3, ...(options.key ? { key: options.key } : {}) });
  options.change?.(v);
  for (const file of filesUnder(v.dir)) b.file(`logs/${file}`, readFileSync(join(v.dir, file)));
  b.put(MGMT, 'us-east-1', 'cloudtrail/ListPublicKeys.json', publicKeysDocument(options.keys ?? [signingKey()]));
  return { v, b };
}

interface AuditRun {
  code: number;
  findings: Findings;
  text: string;
  err: string;
  result: Result;
  ms: number;
}

async function audit(dir: string, extra: string[] = [], cwd = process.cwd()): Promise<AuditRun> {
  const out = mkdtempSync(join(tmpdir(), 'trailproof-hostile-out-'));
  const io = memoryIo(cwd);
  const started = Date.now();
  const code = await main(['audit', '--bundle', dir, '--checks', 'trail.log-integrity', '--out', out, '--format', 'json', '--quiet', ...extra], io);
  const ms = Date.now() - started;
  const text = readFileSync(join(out, 'findings.json'), 'utf8');
  const findings = JSON.parse(text) as unknown;
  // Whatever the bundle did, findings.json stays valid against its published schema.
  expect(validateFindings(findings), JSON.stringify(validateFindings.errors)).to.equal(true);
  const result = (findings as Findings).results.find((r) => r.checkId === 'trail.log-integrity' && r.resource === ARN);
  expect(result, `no trail.log-integrity result for ${ARN}: ${io.err}`).to.not.equal(undefined);
  return { code, findings: findings as Findings, text, err: io.err, result: result as Result, ms };
}

async function validateLogs(args: string[]): Promise<{ code: number; out: string; err: string; ms: number }> {
  const io = memoryIo();
  const started = Date.now();
  const code = await main(['validate-logs', ...args, '--quiet'], io);
  return { code, out: io.out, err: io.err, ms: Date.now() - started };
}

function problemsOf(result: Result): { reason: string; key: string | null; message: string }[] {
  return ((result.details as { problems?: { reason: string; key: string | null; message: string }[] } | undefined)?.problems) ?? [];
}

function rewriteManifest(dir: string, change: (files: Record<string, string>) => void): void {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, string> };
  change(manifest.files);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

/** A folder beside the temp folders whose file must never be read: its marker and hashes stay out of every output. */
function canary(body = `CANARY-${Math.random().toString(36).slice(2)}`): { dir: string; name: string; file: string; marker: string; gz: Buffer } {
  const name = `trailproof-canary-${Math.random().toString(36).slice(2)}`;
  const dir = join(tmpdir(), name);
  mkdirSync(dir);
  const gz = gzipSync(JSON.stringify({ Records: [{ eventName: body }] }));
  const file = join(dir, 'secret.json.gz');
  writeFileSync(file, gz);
  return { dir, name, file, marker: body, gz };
}

/**
 * A gzip file of `size` zero bytes, about 1,000 times smaller, built in a moment: one 4 MiB deflate block
 * run ending in a full flush (so it can be repeated), repeated, then a final empty block. The CRC is left
 * zero: a reader that honours the bound stops long before the trailer.
 */
function gzipBomb(size: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(4 * 1024 * 1024), { level: 9, finishFlush: zlibConstants.Z_FULL_FLUSH });
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  return Buffer.concat([header, ...Array.from({ length: Math.ceil(size / (4 * 1024 * 1024)) }, () => block), deflateRawSync(Buffer.alloc(0)), trailer]);
}

function withinBudget(ms: number): void {
  expect(ms, `took ${ms} ms`).to.be.below(BUDGET_MS);
}

describe('hostile evidence: log integrity', function () {
  this.timeout(120_000);

  describe('the manifest is the evidence', () => {
    it('ignores a log file dropped beside the manifest (PASS, exit 0) and names it as unlisted', async () => {
      const { v, b } = fixture();
      const dir = b.writeTemp();
      // A log in the span the digests cover, which a disk walk would report as listed in no digest.
      const first = v.logs[0]!.key;
      const extra = first.replace(/_[0-9a-f]{16}\.json\.gz$/, '_ffffffffffffffff.json.gz');
      writeFileSync(join(dir, 'logs', ...extra.split('/')), gzipSync('{"Records":[]}'));
      const run = await audit(dir);
      expect(run.result.status).to.equal('PASS');
      expect(run.code).to.equal(0);
      expect(run.findings.integrity?.unlisted).to.deep.equal([`logs/${extra}`]);
      expect(run.findings.integrity?.unlistedTotal).to.equal(1);
      withinBudget(run.ms);
    });

    it('FAILs a log file the manifest no longer lists though it is still on disk (not found), exit 1', async () => {
      const { v, b } = fixture();
      const dir = b.writeTemp();
      const dropped = `logs/${v.logs[2]!.key}`;
      rewriteManifest(dir, (files) => delete files[dropped]);
      const run = await audit(dir);
      expect(run.result.status).to.equal('FAIL');
      expect(run.code).to.equal(1);
      expect(problemsOf(run.result).map((p) => [p.reason, p.key])).to.deep.equal([['not-found', v.logs[2]!.key]]);
      expect(run.findings.integrity?.unlisted).to.deep.equal([dropped]);
      withinBudget(run.ms);
    });

    it(`names at most ${MAX_UNLISTED_NAMED} unlisted files and counts them all`, () => {
      const { b } = fixture({ hours: 1 });
      const dir = b.writeTemp();
      mkdirSync(join(dir, 'junk'));
      for (let i = 0; i < MAX_UNLISTED_NAMED + 5; i++) writeFileSync(join(dir, 'junk', `f${String(i).padStart(5, '0')}`), '');
      const bundle = Bundle.open(dir);
      expect(bundle.integrity.unlisted).to.have.length(MAX_UNLISTED_NAMED);
      expect(bundle.integrity.unlisted?.[0]).to.equal('junk/f00000');
      expect(bundle.integrity.unlistedTotal).to.equal(MAX_UNLISTED_NAMED + 5);
      expect(bundle.integrity.verified).to.equal(true);
    });
  });

  describe('containment', () => {
    it('refuses a digest log key that climbs out of the bundle: FAIL naming it, the canary never read, exit 1', async () => {
      const c = canary();
      const escape = `../../${c.name}/secret.json.gz`;
      const { b } = fixture({
        change: (v) => {
          // The newest digest, re-signed with the bundle's key, lists the canary as one of its log files.
          resign(v, v.digests.length - 1, (fields) => {
            (fields.logFiles as Record<string, unknown>[]).push({ s3Bucket: BUCKET, s3Object: escape, hashValue: sha(JSON.stringify({ Records: [{ eventName: c.marker }] })), hashAlgorithm: 'SHA-256' });
          });
        },
      });
      const run = await audit(b.writeTemp());
      expect(run.result.status).to.equal('FAIL');
      expect(run.code).to.equal(1);
      const refused = problemsOf(run.result).find((p) => p.key === escape);
      expect(refused?.reason).to.equal('refused');
      expect(refused?.message).to.contain('climbs out');
      expect(run.text).to.not.contain(c.marker);
      expect(run.text).to.not.contain(sha(c.gz));
      withinBudget(run.ms);
    });

    it('refuses the same climbing key in validate-logs --logs DIR (exit 1), never reading the canary', async () => {
      const c = canary();
      const v = writeChain({ hours: 2 });
      const escape = `../${c.name}/secret.json.gz`;
      resign(v, 1, (fields) => {
        (fields.logFiles as Record<string, unknown>[]).push({ s3Bucket: v.bucket, s3Object: escape, hashValue: sha(JSON.stringify({ Records: [{ eventName: c.marker }] })), hashAlgorithm: 'SHA-256' });
      });
      const run = await validateLogs(['--logs', v.dir, '--public-keys', writeKeys(tempDir()), '--format', 'json', '--to', '2026-09-14T03:00:00Z']);
      expect(run.code).to.equal(1);
      const report = JSON.parse(run.out) as { problems: { reason: string; key?: string; message: string }[] };
      expect(report.problems.filter((p) => p.key === escape).map((p) => p.reason)).to.deep.equal(['refused']);
      expect(run.out).to.not.contain(c.marker);
      expect(run.out).to.not.contain(sha(c.gz));
      withinBudget(run.ms);
    });

    it('refuses a listed log file that is a symlink leading out of the bundle: FAIL and exit 2, the canary never read', async () => {
      const { v, b } = fixture();
      const dir = b.writeTemp();
      const key = v.logs[1]!.key;
      const c = canary();
      // The real log moves outside and a symlink takes its place: a reader that follows it would find it intact.
      const inside = join(dir, 'logs', ...key.split('/'));
      renameSync(inside, join(c.dir, 'moved.json.gz'));
      symlinkSync(join(c.dir, 'moved.json.gz'), inside);
      const run = await audit(dir);
      expect(run.code).to.equal(2);
      expect(run.err).to.match(/refused unread/);
      expect(run.result.status).to.equal('FAIL');
      expect(problemsOf(run.result).find((p) => p.key === key)?.message).to.contain('a symlink leading outside');
      expect(run.findings.integrity?.refused).to.deep.equal([{ file: `logs/${key}`, reason: `a symlink leading outside ${dir}` }]);
      withinBudget(run.ms);
    });

    it('refuses a posture file that is a symlink out of the bundle (exit 2): its content never reaches findings.json', async () => {
      const { b } = fixture({ hours: 1 });
      const dir = b.writeTemp();
      const c = canary();
      const file = `accounts/${MGMT}/us-east-1/cloudtrail/GetTrailStatus/main.json`;
      const json = join(c.dir, 'status.json');
      writeFileSync(json, JSON.stringify({ IsLogging: true, LatestDeliveryError: c.marker }));
      rmSync(join(dir, file));
      symlinkSync(json, join(dir, file));
      const run = await audit(dir);
      expect(run.code).to.equal(2);
      expect(run.findings.integrity?.refused?.map((r) => r.file)).to.deep.equal([file]);
      expect(run.text).to.not.contain(c.marker);
      withinBudget(run.ms);
    });

    it('does not hang on a listed log file that is a FIFO: FAIL naming it, exit 2', async () => {
      const { v, b } = fixture();
      const dir = b.writeTemp();
      const key = v.logs[0]!.key;
      const path = join(dir, 'logs', ...key.split('/'));
      rmSync(path);
      execFileSync('mkfifo', [path]);
      const run = await audit(dir);
      expect(run.code).to.equal(2);
      expect(run.result.status).to.equal('FAIL');
      expect(problemsOf(run.result).find((p) => p.key === key)?.message).to.contain('a FIFO, not a regular file');
      expect(run.findings.integrity?.refused).to.deep.equal([{ file: `logs/${key}`, reason: 'a FIFO, not a regular file' }]);
      withinBudget(run.ms);
    });

    it('does not hang on a FIFO in validate-logs --logs DIR, nor on a digest key leading to a FIFO outside', async () => {
      const v = writeChain({ hours: 2 });
      const key = v.logs[0]!.key;
      rmSync(pathOf(v, key));
      execFileSync('mkfifo', [pathOf(v, key)]);
      const outside = canary();
      execFileSync('mkfifo', [join(outside.dir, 'pipe.json.gz')]);
      resign(v, 1, (fields) => {
        (fields.logFiles as Record<string, unknown>[]).push({ s3Bucket: v.bucket, s3Object: `../${outside.name}/pipe.json.gz`, hashValue: 'a'.repeat(64), hashAlgorithm: 'SHA-256' });
      });
      const run = await validateLogs(['--logs', v.dir, '--public-keys', writeKeys(tempDir()), '--format', 'json', '--to', '2026-09-14T03:00:00Z']);
      expect(run.code).to.equal(1);
      const report = JSON.parse(run.out) as { problems: { reason: string; key?: string; message: string }[] };
      expect(report.problems.filter((p) => p.reason === 'refused').map((p) => p.key).sort()).to.deep.equal([`../${outside.name}/pipe.json.gz`, key].sort());
      withinBudget(run.ms);
    });

    it('refuses a manifest.json that is a FIFO in one line, exit 2', async () => {
      const { b } = fixture({ hours: 1 });
      const dir = b.writeTemp();
      rmSync(join(dir, 'manifest.json'));
      execFileSync('mkfifo', [join(dir, 'manifest.json')]);
      const io = memoryIo();
      const started = Date.now();
      const code = await main(['audit', '--bundle', dir, '--format', 'json', '--quiet'], io);
      expect(code).to.equal(2);
      expect(io.err).to.contain('a FIFO, not a regular file');
      withinBudget(Date.now() - started);
    });
  });

  describe('the trust anchor', () => {
    const attacker = (): SigningKey => signingKey(1);
    const aws = (): SigningKey => signingKey(0);

    it('says plainly when a bundle signs its own digests: PASS, the keys came with the bundle', async () => {
      const { b } = fixture({ key: attacker(), keys: [attacker()] });
      const run = await audit(b.writeTemp());
      expect(run.result.status).to.equal('PASS');
      expect(run.result.message).to.contain("The signing keys came with the bundle (its own ListPublicKeys files), so this proves integrity only as far as the bundle's producer is trusted.");
      expect(run.findings.integrity?.logKeys).to.deep.include({ source: 'bundle', fingerprints: [attacker().fingerprint], files: [`accounts/${MGMT}/us-east-1/cloudtrail/ListPublicKeys.json`] });
      expect((run.result.details as { trust: { source: string } }).trust.source).to.equal('bundle');
    });

    it('FAILs digests signed outside the pinned fingerprints, naming the fingerprint (exit 1)', async () => {
      const { b } = fixture({ key: attacker(), keys: [attacker(), aws()] });
      const run = await audit(b.writeTemp(), ['--trusted-key-fingerprints', aws().fingerprint]);
      expect(run.result.status).to.equal('FAIL');
      expect(run.code).to.equal(1);
      const reasons = new Set(problemsOf(run.result).map((p) => p.reason));
      expect([...reasons]).to.deep.equal(['untrusted-key']);
      expect(problemsOf(run.result)[0]?.message).to.contain(`signed by public key ${attacker().fingerprint}, which is not one of the trusted fingerprints (${aws().fingerprint})`);
      expect(run.findings.integrity?.logKeys).to.deep.include({ source: 'pinned', fingerprints: [aws().fingerprint] });
      withinBudget(run.ms);
    });

    it('pins through the config (integrity.trustedKeyFingerprints) as through the flag', async () => {
      const { b } = fixture({ key: attacker(), keys: [attacker()] });
      const configDir = tempDir();
      writeFileSync(join(configDir, 'trailproof.yml'), `integrity:\n  trustedKeyFingerprints: ["${aws().fingerprint}"]\n`);
      const run = await audit(b.writeTemp(), ['--config', join(configDir, 'trailproof.yml')]);
      expect(run.result.status).to.equal('FAIL');
      expect(run.code).to.equal(1);
      expect(problemsOf(run.result).map((p) => p.reason)).to.include('untrusted-key');
    });

    it('drops a bundle key that wears a pinned fingerprint over other key material (FAIL, exit 1)', async () => {
      // The digests claim the pinned fingerprint and the bundle's key list pairs it with the attacker's key.
      const forged: SigningKey = { ...attacker(), fingerprint: aws().fingerprint };
      const { b } = fixture({ key: forged, keys: [forged] });
      const run = await audit(b.writeTemp(), ['--trusted-key-fingerprints', aws().fingerprint]);
      expect(run.result.status).to.equal('FAIL');
      expect(run.code).to.equal(1);
      expect(new Set(problemsOf(run.result).map((p) => p.reason))).to.deep.equal(new Set(['unknown-key']));
    });

    it("trusts the auditor's --public-keys over the bundle's keys, and says so (FAIL, exit 1)", async () => {
      const { b } = fixture({ key: attacker(), keys: [attacker()] });
      const keysFile = writeKeys(tempDir(), [aws()]);
      const run = await audit(b.writeTemp(), ['--public-keys', keysFile]);
      expect(run.result.status).to.equal('FAIL');
      expect(run.code).to.equal(1);
      expect(new Set(problemsOf(run.result).map((p) => p.reason))).to.deep.equal(new Set(['unknown-key']));
      expect(run.findings.integrity?.logKeys).to.deep.include({ source: 'auditor', fingerprints: [aws().fingerprint], files: [keysFile] });
    });

    it('PASSes with the real key pinned and says the keys were pinned', async () => {
      const { b } = fixture({ key: aws(), keys: [aws(), attacker()] });
      const run = await audit(b.writeTemp(), ['--trusted-key-fingerprints', aws().fingerprint.toUpperCase()]);
      expect(run.result.status).to.equal('PASS');
      expect(run.code).to.equal(0);
      expect(run.result.message).to.contain(`The signing keys were pinned by the auditor (${aws().fingerprint}).`);
    });

    it('validate-logs --trusted-key-fingerprints FAILs digests signed by another key (exit 1); a bad fingerprint is exit 2', async () => {
      const v = writeChain({ hours: 2, key: attacker() });
      const keys = writeKeys(tempDir(), [attacker(), aws()]);
      const run = await validateLogs(['--logs', v.dir, '--public-keys', keys, '--trusted-key-fingerprints', aws().fingerprint, '--format', 'json', '--to', '2026-09-14T03:00:00Z']);
      expect(run.code).to.equal(1);
      const report = JSON.parse(run.out) as { problems: { reason: string }[]; trust: { source: string } };
      expect(new Set(report.problems.map((p) => p.reason))).to.deep.equal(new Set(['untrusted-key']));
      expect(report.trust.source).to.equal('pinned');
      const bad = await validateLogs(['--logs', v.dir, '--public-keys', keys, '--trusted-key-fingerprints', 'not-a-fingerprint']);
      expect(bad.code).to.equal(2);
      expect(bad.err).to.contain('--trusted-key-fingerprints: "not-a-fingerprint" is not a CloudTrail key fingerprint');
    });
  });

  describe('bounds', () => {
    it('stops inflating a 1 GiB digest bomb at the bound: FAIL "inflates past", in bounded time and memory', async () => {
      const bomb = gzipBomb(1024 ** 3);
      expect(bomb.length).to.be.below(1.5 * 1024 * 1024);
      const { b } = fixture({
        change: (v) => {
          const newest = v.digests[v.digests.length - 1]!.key;
          writeFileSync(pathOf(v, newest), bomb);
        },
      });
      const dir = b.writeTemp();
      const before = process.memoryUsage().rss;
      const run = await audit(dir);
      const grown = process.memoryUsage().rss - before;
      expect(run.result.status).to.equal('FAIL');
      expect(run.code).to.equal(1);
      expect(problemsOf(run.result).find((p) => p.reason === 'malformed')?.message).to.contain(`inflates past ${MAX_DIGEST_INFLATED_BYTES} bytes`);
      withinBudget(run.ms);
      expect(grown, `rss grew by ${grown} bytes`).to.be.below(512 * 1024 * 1024);
      // And the building block alone stops at the bound.
      await inflateFirstMember(bomb).then(() => expect.fail('inflated a bomb'), (err: unknown) => expect(String(err)).to.contain('inflates past'));
    });

    it('ends the walk over two digests that point at each other with a chain problem naming both (FAIL, exit 1)', async () => {
      let newer = '';
      let older = '';
      const { b } = fixture({
        change: (v) => {
          newer = v.digests[2]!.key;
          older = v.digests[1]!.key;
          // The older digest, re-signed by the bundle's own key, names the newer one as its previous digest.
          resign(v, 1, (fields) => {
            fields.previousDigestS3Object = newer;
            fields.previousDigestS3Bucket = BUCKET;
          });
        },
      });
      const run = await audit(b.writeTemp());
      expect(run.result.status).to.equal('FAIL');
      expect(run.code).to.equal(1);
      const cycle = problemsOf(run.result).find((p) => p.reason === 'chain-cycle');
      expect(cycle?.key).to.equal(newer);
      expect(cycle?.message).to.contain(`digest ${older} links back to ${newer}`);
      withinBudget(run.ms);
    });

    it('ends the same cycle in validate-logs (exit 1)', async () => {
      const v = writeChain({ hours: 3 });
      resign(v, 1, (fields) => {
        fields.previousDigestS3Object = v.digests[2]!.key;
        fields.previousDigestS3Bucket = v.bucket;
      });
      const run = await validateLogs(['--logs', v.dir, '--public-keys', writeKeys(tempDir()), '--to', '2026-09-14T04:00:00Z']);
      expect(run.code).to.equal(1);
      expect(run.out).to.contain('a cycle of previous-digest links');
      withinBudget(run.ms);
    });

    it('refuses a listed file past the size bound unread (stat before read)', async () => {
      const { MAX_DIGEST_FILE_BYTES } = await import('../../src/integrity/gzip.js');
      const v = writeChain({ hours: 2 });
      const newest = v.digests[1]!.key;
      // A sparse file: large by stat, nothing written.
      execFileSync('truncate', ['-s', String(MAX_DIGEST_FILE_BYTES + 1), pathOf(v, newest)]);
      const run = await validateLogs(['--logs', v.dir, '--public-keys', writeKeys(tempDir()), '--format', 'json', '--to', '2026-09-14T03:00:00Z']);
      expect(run.code).to.equal(1);
      const report = JSON.parse(run.out) as { problems: { reason: string; key?: string; message: string }[] };
      expect(report.problems.find((p) => p.key === newest)?.message).to.contain(`larger than the ${MAX_DIGEST_FILE_BYTES}-byte bound`);
    });
  });
});
