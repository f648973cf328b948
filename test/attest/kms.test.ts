// Signing with an AWS KMS key, against moto over HTTP: `audit --sign-kms-key` signs through KMS Sign
// (ECC_NIST_P256, ECDSA_SHA_256, MessageType DIGEST), its keyid is the SHA-256 of the key's public half
// (GetPublicKey), and `verify --kms-key` checks through KMS Verify: the untouched folder verifies, a flipped
// byte or signature does not. (moto 5.2 hashes a DIGEST message again before signing, in Sign and Verify
// alike, so a moto signature verifies through moto's Verify but not with openssl over the PAE; against AWS
// KMS the signature is the plain ECDSA over SHA-256(PAE) that the openssl test checks for a local key.)
import { expect } from 'chai';
import { CreateAliasCommand, CreateKeyCommand, GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyFingerprint } from '../../src/attest/keys.js';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { BundleBuilder } from '../../fixtures/bundle-builder.js';
import { withEnv } from '../helpers/env.js';
import { requireMoto, startMoto, type MotoServer } from '../helpers/moto.js';

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined, AWS_REGION: 'eu-west-1' };

describe('signed evidence with an AWS KMS key (moto)', function () {
  let moto: MotoServer;
  let keyArn: string;
  let keyid: string;

  before(async function () {
    requireMoto(this);
    moto = await startMoto();
    const kms = new KMSClient({ region: 'eu-west-1', endpoint: moto.url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const created = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Description: 'trailproof attestation test' }));
    keyArn = created.KeyMetadata?.Arn ?? '';
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/trailproof-signing', TargetKeyId: keyArn }));
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: keyArn }));
    keyid = keyFingerprint(pub.PublicKey as Uint8Array);
  });

  after(async () => {
    await moto?.stop();
  });

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    return withEnv(CREDENTIALS, async () => {
      const io = memoryIo();
      io.env = { ...io.env, ...CREDENTIALS, AWS_ENDPOINT_URL_KMS: moto.url };
      const code = await main(args, io);
      return { code, out: io.out, err: io.err };
    });
  }

  it('signs through KMS Sign and verifies through KMS Verify; a flipped byte or signature fails', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trailproof-kms-'));
    const bundle = new BundleBuilder().write(join(root, 'evidence'));
    const out = join(root, 'report');
    const audit = await run(['audit', '--bundle', bundle, '--out', out, '--format', 'json,junit,html', '--fail-on', 'none', '--quiet', '--sign-kms-key', 'alias/trailproof-signing']);
    expect(audit.code, audit.err).to.equal(0);
    const envelope = JSON.parse(readFileSync(join(out, 'attestation.intoto.jsonl'), 'utf8')) as { payload: string; signatures: { keyid: string; sig: string }[] };
    expect(envelope.signatures.map((s) => s.keyid)).to.deep.equal([keyid]);
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { predicate: { signer: { kind: string; algorithm: string } } };
    expect(statement.predicate.signer).to.deep.equal({ keyid, kind: 'kms', algorithm: 'ecdsa-p256-sha256' });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).to.contain(`data-keyid="${keyid}"`).and.contain('AWS KMS key alias/trailproof-signing');

    const ok = await run(['verify', '--dir', out, '--kms-key', keyArn]);
    expect(ok.code, ok.err).to.equal(0);
    expect(ok.out).to.contain(`4 files match the attestation signed by ${keyid}`);

    const flipped = mkdtempSync(join(tmpdir(), 'trailproof-kms-flip-'));
    cpSync(out, flipped, { recursive: true });
    const junit = readFileSync(join(flipped, 'junit.xml'));
    junit[5] = (junit[5] as number) ^ 1;
    writeFileSync(join(flipped, 'junit.xml'), junit);
    const bad = await run(['verify', '--dir', flipped, '--kms-key', keyArn, '--bundle', bundle]);
    expect(bad.code).to.equal(1);
    expect(bad.err).to.contain('junit.xml: SHA-256');

    const badSig = mkdtempSync(join(tmpdir(), 'trailproof-kms-sig-'));
    cpSync(out, badSig, { recursive: true });
    const sig = Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64');
    sig[sig.length - 3] = (sig[sig.length - 3] as number) ^ 1;
    writeFileSync(join(badSig, 'attestation.intoto.jsonl'), JSON.stringify({ ...envelope, signatures: [{ keyid, sig: sig.toString('base64') }] }) + '\n');
    const rejected = await run(['verify', '--dir', badSig, '--kms-key', keyArn, '--bundle', bundle]);
    expect(rejected.code).to.equal(1);
    expect(rejected.err).to.contain('the signature does not verify');
  });

  it('exits 2 naming the key when KMS has no such key, or the key is not a P-256 signing key', async () => {
    const bundle = new BundleBuilder().writeTemp();
    const out = mkdtempSync(join(tmpdir(), 'trailproof-kms-bad-'));
    const missing = await run(['audit', '--bundle', bundle, '--out', out, '--quiet', '--sign-kms-key', 'alias/no-such-key']);
    expect(missing.code).to.equal(2);
    expect(missing.err).to.match(/^trailproof: --sign-kms-key alias\/no-such-key: KMS GetPublicKey failed: NotFoundException/);
    const kms = new KMSClient({ region: 'eu-west-1', endpoint: moto.url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const rsa = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }));
    const wrong = await run(['audit', '--bundle', bundle, '--out', out, '--quiet', '--sign-kms-key', rsa.KeyMetadata?.Arn ?? '']);
    expect(wrong.code).to.equal(2);
    expect(wrong.err).to.contain('a RSA_2048 key for SIGN_VERIFY; trailproof signs with an ECC_NIST_P256 key');
  });
});
