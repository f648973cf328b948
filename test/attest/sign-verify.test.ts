// Signed evidence end to end, through the CLI in-process: `audit --sign-key` writes attestation.intoto.jsonl
// over every output and the bundle's manifest.json; openssl, knowing nothing of trailproof, verifies the
// envelope's signature over the DSSE PAE; `trailproof verify` accepts the untouched folder and rejects one
// flipped byte in each subject in turn (exit 1, naming the file) and a flipped signature; bad input exits 2.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pae } from '../../src/attest/dsse.js';
import { keyFingerprint } from '../../src/attest/keys.js';
import { PREDICATE_TYPE, STATEMENT_TYPE, type Statement } from '../../src/attest/statement.js';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import type { Findings } from '../../src/model/types.js';
import { BundleBuilder } from '../../fixtures/bundle-builder.js';
import { requirePart, toolMissing } from '../helpers/real-parts.js';
import { pageText, pdfInfo, requireReal, run as runTool } from '../report/real-tools.js';

interface KeyFiles {
  dir: string;
  priv: string;
  pub: string;
  publicKey: KeyObject;
}

function keyFiles(type: 'ec' | 'ed25519'): KeyFiles {
  const pair = type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-keys-'));
  const priv = join(dir, 'signing.pem');
  const pub = join(dir, 'signing.pub.pem');
  writeFileSync(priv, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(pub, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  return { dir, priv, pub, publicKey: pair.publicKey };
}

async function run(args: string[], cwd = process.cwd()): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

interface Envelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

function readEnvelopes(out: string): Envelope[] {
  return readFileSync(join(out, 'attestation.intoto.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Envelope);
}

function statementOf(envelope: Envelope): Statement {
  return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Statement;
}

function flipByte(path: string, at = 0): void {
  const bytes = readFileSync(path);
  const i = Math.min(at, bytes.length - 1);
  bytes[i] = (bytes[i] as number) ^ 0x01;
  writeFileSync(path, bytes);
}

/** An audit of a small bundle, signed, into a fresh folder beside the bundle (so the manifest subject is ../). */
async function signedAudit(key: KeyFiles, formats = 'json,junit,sarif,csv,html'): Promise<{ out: string; bundle: string; code: number; err: string }> {
  const root = mkdtempSync(join(tmpdir(), 'trailproof-attest-'));
  const bundle = new BundleBuilder().write(join(root, 'evidence'));
  const out = join(root, 'report');
  const result = await run(['audit', '--bundle', bundle, '--out', out, '--format', formats, '--fail-on', 'none', '--quiet', '--sign-key', key.priv]);
  return { out, bundle, code: result.code, err: result.err };
}

describe('signed evidence (audit --sign-key, trailproof verify)', () => {
  describe('the DSSE pre-authentication encoding', () => {
    it('is "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, with byte lengths', () => {
      expect(pae('application/vnd.in-toto+json', Buffer.from('{"é":1}')).toString('utf8')).to.equal('DSSEv1 28 application/vnd.in-toto+json 8 {"é":1}');
      expect(pae('x', Buffer.alloc(0)).toString('utf8')).to.equal('DSSEv1 1 x 0 ');
    });
  });

  for (const type of ['ec', 'ed25519'] as const) {
    describe(`with an ${type === 'ec' ? 'ECDSA P-256' : 'Ed25519'} key`, () => {
      const key = keyFiles(type);
      let audit: Awaited<ReturnType<typeof signedAudit>>;
      before(async () => {
        audit = await signedAudit(key);
      });

      it('writes one envelope holding an in-toto statement over every output and the bundle manifest', () => {
        expect(audit.code, audit.err).to.equal(0);
        const envelopes = readEnvelopes(audit.out);
        expect(envelopes).to.have.length(1);
        const envelope = envelopes[0] as Envelope;
        expect(envelope.payloadType).to.equal('application/vnd.in-toto+json');
        expect(envelope.signatures.map((s) => s.keyid)).to.deep.equal([keyFingerprint(key.publicKey)]);
        const statement = statementOf(envelope);
        expect(statement._type).to.equal(STATEMENT_TYPE);
        expect(statement.predicateType).to.equal(PREDICATE_TYPE);
        expect(statement.subject.map((s) => s.name)).to.deep.equal(['findings.json', 'findings.sarif', 'junit.xml', 'report.html', 'results.csv', '../evidence/manifest.json']);
        const findings = JSON.parse(readFileSync(join(audit.out, 'findings.json'), 'utf8')) as Findings;
        const p = statement.predicate;
        expect(p.tool).to.deep.equal({ name: 'trailproof', version: findings.tool.version });
        expect(p.command).to.equal('audit');
        expect(p.findingsSha256).to.equal(statement.subject.find((x) => x.name === 'findings.json')?.digest.sha256);
        expect(p.run.id).to.equal(findings.run.id);
        expect(p.run.outcome).to.deep.equal(findings.run.outcome);
        expect(p.run.scope).to.deep.equal(findings.run.scope);
        expect(p.evidence.collectedAt).to.equal('2026-10-01T06:00:00.000Z');
        expect(p.evidence.bundle?.manifestSubject).to.equal('../evidence/manifest.json');
        expect(p.signer.keyid).to.equal(keyFingerprint(key.publicKey));
      });

      it('shows the signing key fingerprint on the report cover', () => {
        const html = readFileSync(join(audit.out, 'report.html'), 'utf8');
        expect(html).to.contain(`data-keyid="${keyFingerprint(key.publicKey)}"`);
        expect(html).to.contain('Signed with');
      });

      it('verifies with openssl alone, from the PAE bytes', function () {
        requirePart(this, 'openssl', toolMissing('openssl', 'openssl'));
        const envelope = readEnvelopes(audit.out)[0] as Envelope;
        const work = mkdtempSync(join(tmpdir(), 'trailproof-openssl-'));
        writeFileSync(join(work, 'pae.bin'), pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64')));
        writeFileSync(join(work, 'sig.bin'), Buffer.from((envelope.signatures[0] as { sig: string }).sig, 'base64'));
        const args = type === 'ec'
          ? ['dgst', '-sha256', '-verify', key.pub, '-signature', 'sig.bin', 'pae.bin']
          : ['pkeyutl', '-verify', '-pubin', '-inkey', key.pub, '-rawin', '-in', 'pae.bin', '-sigfile', 'sig.bin'];
        const ok = spawnSync('openssl', args, { cwd: work, encoding: 'utf8' });
        expect(ok.status, ok.stderr).to.equal(0);
        expect(ok.stdout).to.match(/Verified OK|Signature Verified Successfully/);
        flipByte(join(work, 'pae.bin'), 200);
        expect(spawnSync('openssl', args, { cwd: work, encoding: 'utf8' }).status).to.equal(1);
      });

      it('verify accepts the untouched folder (exit 0)', async () => {
        const v = await run(['verify', '--dir', audit.out, '--key', key.pub]);
        expect(v.code, v.err).to.equal(0);
        expect(v.out).to.match(/^verified: .*: 6 files match the attestation signed by [0-9a-f]{64}\n$/);
      });

      it('verify rejects one flipped byte in each subject in turn (exit 1, naming it)', async () => {
        const names = statementOf(readEnvelopes(audit.out)[0] as Envelope).subject.map((s) => s.name);
        for (const name of names) {
          const copy = mkdtempSync(join(tmpdir(), 'trailproof-flip-'));
          cpSync(audit.out, join(copy, 'report'), { recursive: true });
          cpSync(audit.bundle, join(copy, 'evidence'), { recursive: true });
          flipByte(resolve(join(copy, 'report'), name), 10);
          const v = await run(['verify', '--dir', join(copy, 'report'), '--key', key.pub]);
          expect(v.code, name).to.equal(1);
          expect(v.err, name).to.contain(`trailproof: verify: ${name}: SHA-256`);
          expect(v.out, name).to.match(new RegExp(`^NOT verified: .*\\(${name.replace(/[.]/g, '\\.')}\\)\\n$`));
        }
      });

      it('verify rejects a flipped signature and a different key (exit 1)', async () => {
        const copy = mkdtempSync(join(tmpdir(), 'trailproof-sig-'));
        cpSync(audit.out, copy, { recursive: true });
        const envelope = readEnvelopes(copy)[0] as Envelope;
        const sig = Buffer.from((envelope.signatures[0] as { sig: string }).sig, 'base64');
        sig[sig.length - 5] = (sig[sig.length - 5] as number) ^ 0x01;
        (envelope.signatures[0] as { sig: string }).sig = sig.toString('base64');
        writeFileSync(join(copy, 'attestation.intoto.jsonl'), JSON.stringify(envelope) + '\n');
        const flipped = await run(['verify', '--dir', copy, '--key', key.pub, '--bundle', audit.bundle]);
        expect(flipped.code).to.equal(1);
        expect(flipped.err).to.match(/attestation\.intoto\.jsonl line 1: the signature does not verify/);
        const other = keyFiles(type);
        const wrongKey = await run(['verify', '--dir', audit.out, '--key', other.pub]);
        expect(wrongKey.code).to.equal(1);
        expect(wrongKey.err).to.match(/signed by key [0-9a-f]{64}, not by/);
      });

      it('verify rejects a payload changed under the old signature (exit 1)', async () => {
        const copy = mkdtempSync(join(tmpdir(), 'trailproof-payload-'));
        cpSync(audit.out, copy, { recursive: true });
        const envelope = readEnvelopes(copy)[0] as Envelope;
        const statement = statementOf(envelope);
        (statement.subject[0] as { digest: { sha256: string } }).digest.sha256 = '0'.repeat(64);
        envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
        writeFileSync(join(copy, 'attestation.intoto.jsonl'), JSON.stringify(envelope) + '\n');
        expect((await run(['verify', '--dir', copy, '--key', key.pub, '--bundle', audit.bundle])).code).to.equal(1);
      });
    });
  }

  describe('where the bundle manifest is', () => {
    const key = keyFiles('ec');
    it('follows a moved bundle with --bundle, and names the manifest when it is gone', async () => {
      const audit = await signedAudit(key, 'json');
      expect(readEnvelopes(audit.out)).to.have.length(1);
      const moved = `${audit.bundle}-moved`;
      renameSync(audit.bundle, moved);
      const missing = await run(['verify', '--dir', audit.out, '--key', key.pub]);
      expect(missing.code).to.equal(1);
      expect(missing.err).to.contain('../evidence/manifest.json: missing').and.contain('give --bundle DIR');
      const found = await run(['verify', '--dir', audit.out, '--key', key.pub, '--bundle', moved]);
      expect(found.code, found.err).to.equal(0);
      expect(found.out).to.contain('2 files match');
    });

    it('signs report outputs with --sign-key on `report` too, with findings.json in the folder', async () => {
      const audit = await signedAudit(key, 'json');
      const r = await run(['report', '--findings', join(audit.out, 'findings.json'), '--out', audit.out, '--format', 'junit,markdown', '--sign-key', key.priv, '--quiet']);
      expect(r.code, r.err).to.equal(0);
      const statement = statementOf(readEnvelopes(audit.out)[0] as Envelope);
      expect(statement.predicate.command).to.equal('report');
      expect(statement.subject.map((s) => s.name)).to.deep.equal(['findings.json', 'junit.xml', 'summary.md', '../evidence/manifest.json']);
      expect((await run(['verify', '--dir', audit.out, '--key', key.pub])).code).to.equal(0);
    });
  });

  describe('a signed PDF report (Chromium)', () => {
    const key = keyFiles('ec');
    before(function () {
      requireReal(this, { chromium: true, tools: ['pdftotext', 'pdfinfo'] });
    });

    it('signs report.pdf last: its cover and metadata carry the fingerprint, and verify accepts it', async () => {
      const audit = await signedAudit(key, 'json,pdf');
      expect(audit.code, audit.err).to.equal(0);
      const pdf = join(audit.out, 'report.pdf');
      const keyid = keyFingerprint(key.publicKey);
      expect(pdfInfo(pdf)['Keywords']).to.contain(`signing key sha256 ${keyid}`);
      expect(runTool('pdfinfo', ['-custom', pdf])).to.match(new RegExp(`^TrailproofSigningKeySHA256:\\s*${keyid}$`, 'm'));
      expect(pageText(pdf, 1).replace(/\s+/g, '')).to.contain(keyid);
      const v = await run(['verify', '--dir', audit.out, '--key', key.pub, '--format', 'json']);
      expect(v.code, v.err).to.equal(0);
      const answer = JSON.parse(v.out) as { verified: boolean; keyid: string; subjects: string[]; problems: unknown[] };
      expect(answer).to.deep.include({ verified: true, keyid, problems: [] });
      expect(answer.subjects).to.deep.equal(['findings.json', 'report.pdf', '../evidence/manifest.json']);
    });
  });

  describe('bad input exits 2 with one line', () => {
    const key = keyFiles('ed25519');
    it('refuses keys it cannot sign with, and signing without --out', async () => {
      const bundle = new BundleBuilder().writeTemp();
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const rsaFile = join(key.dir, 'rsa.pem');
      writeFileSync(rsaFile, rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
      const p384File = join(key.dir, 'p384.pem');
      writeFileSync(p384File, p384.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const out = mkdtempSync(join(tmpdir(), 'trailproof-bad-'));
      const cases: [string[], RegExp][] = [
        [['--sign-key', rsaFile, '--out', out], /--sign-key .*rsa\.pem: a rsa key; trailproof signs with ECDSA P-256/],
        [['--sign-key', p384File, '--out', out], /an EC key on secp384r1/],
        [['--sign-key', key.pub, '--out', out], /not a PEM private key/],
        [['--sign-key', join(key.dir, 'none.pem'), '--out', out], /--sign-key .*none\.pem: cannot read it/],
        [['--sign-key', key.priv, '--format', 'json'], /--sign-key signs the files of an output folder: give --out DIR/],
        [['--sign-key', key.priv, '--sign-kms-key', 'alias/x', '--out', out], /give one/],
      ];
      for (const [extra, pattern] of cases) {
        const r = await run(['audit', '--bundle', bundle, '--quiet', ...extra]);
        expect(r.code, extra.join(' ')).to.equal(2);
        expect(r.err.trim().split('\n'), r.err).to.have.length(1);
        expect(r.err).to.match(pattern);
      }
    });

    it('refuses a folder without an attestation, a malformed envelope, a bad key and a path subject', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'trailproof-verify-bad-'));
      const none = await run(['verify', '--dir', dir, '--key', key.pub]);
      expect([none.code, none.err]).to.deep.equal([2, `trailproof: --dir ${dir}: no attestation.intoto.jsonl (written by audit or report with --sign-key or --sign-kms-key)\n`]);
      writeFileSync(join(dir, 'attestation.intoto.jsonl'), '{"payloadType": "application/vnd.in-toto+json", "payload": "not base64!", "signatures": [{"sig": "AA=="}]}\n');
      const malformed = await run(['verify', '--dir', dir, '--key', key.pub]);
      expect(malformed.code).to.equal(2);
      expect(malformed.err).to.contain('line 1: payload is not base64');
      expect((await run(['verify', '--dir', dir, '--key', key.priv.replace('signing.pem', 'missing.pem')])).code).to.equal(2);
      expect((await run(['verify', '--dir', dir])).code).to.equal(2);
      expect((await run(['verify', '--dir', join(dir, 'nope'), '--key', key.pub])).code).to.equal(2);

      // A correctly signed statement whose output subject is a path outside the folder is refused, not read.
      const { pemSigner } = await import('../../src/attest/keys.js');
      const { signEnvelope } = await import('../../src/attest/dsse.js');
      const statement = { _type: STATEMENT_TYPE, predicateType: PREDICATE_TYPE, subject: [{ name: '../../etc/passwd', digest: { sha256: '0'.repeat(64) } }], predicate: {} };
      const envelope = await signEnvelope(Buffer.from(JSON.stringify(statement)), pemSigner(readFileSync(key.priv), key.priv));
      writeFileSync(join(dir, 'attestation.intoto.jsonl'), JSON.stringify(envelope) + '\n');
      const path = await run(['verify', '--dir', dir, '--key', key.pub]);
      expect(path.code).to.equal(2);
      expect(path.err).to.contain('subject "../../etc/passwd" is not a file name in the folder');
    });
  });
});
