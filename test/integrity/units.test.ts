import { expect } from 'chai';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { parseRange } from '../../src/cli/commands/validate-logs.js';
import { GzipFormatError, hashFirstMember } from '../../src/integrity/gzip.js';
import { keysInRange, parsePublicKeys, verifySignature } from '../../src/integrity/keys.js';
import { digestKeyFor, parseDigestKey, parseLogKey } from '../../src/evidence/s3-layout.js';
import { Pool } from '../../src/integrity/pool.js';
import { copyLogObjects } from '../../src/integrity/sidecar.js';
import { LocalStore } from '../../src/integrity/store.js';
import { chainOf, pathOf, signingKey, tempDir, writeChain, writeKeys } from '../../fixtures/integrity-vectors.js';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe('integrity building blocks', () => {
  describe('first gzip member', () => {
    it('hashes the first member only and counts the bytes after it', async () => {
      const first = gzipSync('first member');
      const second = gzipSync('second member');
      const result = await hashFirstMember(Buffer.concat([first, second]));
      expect(result).to.deep.equal({ sha256: sha('first member'), size: 12, trailingBytes: second.length, truncated: false });
    });

    it('reads a header with a file name and says when the trailer is cut off', async () => {
      const gz = gzipSync('hello');
      // FNAME flag with a zero-terminated name after the fixed header.
      const named = Buffer.concat([gz.subarray(0, 3), Buffer.from([0x08]), gz.subarray(4, 10), Buffer.from('log.json\0'), gz.subarray(10)]);
      expect((await hashFirstMember(named)).sha256).to.equal(sha('hello'));
      expect(await hashFirstMember(gz.subarray(0, gz.length - 4))).to.deep.include({ sha256: sha('hello'), truncated: true });
    });

    it('rejects a CRC that does not match and input that is not gzip', async () => {
      const gz = Buffer.from(gzipSync('hello'));
      gz.writeUInt32LE((gz.readUInt32LE(gz.length - 8) + 1) >>> 0, gz.length - 8);
      await hashFirstMember(gz).then(() => expect.fail('accepted a bad CRC'), (err: unknown) => expect(err).to.be.instanceOf(GzipFormatError));
      await hashFirstMember(Buffer.from('not gzip')).then(() => expect.fail('accepted text'), (err: unknown) => expect(err).to.be.instanceOf(GzipFormatError));
    });
  });

  describe('delivery layout', () => {
    it('parses organization, prefixed and backfill digest keys, and rebuilds them', () => {
      const chain = chainOf({ prefix: 'a/b', orgId: 'o-abcdefghij', account: '222222222222', region: 'eu-west-1', trail: 'org_trail.1' });
      const end = new Date('2026-09-14T03:00:31Z');
      const key = digestKeyFor(chain, end, true);
      expect(key).to.equal('a/b/AWSLogs/o-abcdefghij/222222222222/CloudTrail-Digest/eu-west-1/2026/09/14/222222222222_CloudTrail-Digest_eu-west-1_org_trail.1_us-east-1_20260914T030031Z_backfill.json.gz');
      expect(parseDigestKey(key)).to.deep.include({ ...chain, stamp: '20260914T030031Z', end, backfill: true });
      expect(parseDigestKey('AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2026/09/14/222222222222_CloudTrail-Digest_us-east-1_t_us-east-1_20260914T030031Z.json.gz')).to.equal(undefined);
    });

    it('parses a log file key with its delivery time', () => {
      const log = parseLogKey('AWSLogs/111111111111/CloudTrail/us-east-1/2026/09/14/111111111111_CloudTrail_us-east-1_20260914T0332Z_Mu0KsOhtH1ar15ZZ.json.gz');
      expect(log).to.deep.include({ account: '111111111111', region: 'us-east-1', prefix: '', orgId: '', delivered: new Date('2026-09-14T03:32:00Z') });
    });
  });

  describe('public keys', () => {
    it('reads base64 DER and the SDK byte form, and picks keys by validity window', () => {
      const k = signingKey();
      const bytes = Object.fromEntries([...Buffer.from(k.value, 'base64')].map((b, i) => [String(i), b]));
      const keys = parsePublicKeys({ PublicKeyList: [
        { Value: k.value, Fingerprint: 'a', ValidityStartTime: '2026-09-01T00:00:00Z', ValidityEndTime: '2026-10-01T00:00:00Z' },
        { Value: bytes, Fingerprint: 'b', ValidityStartTime: '2026-10-01T00:00:00Z' },
      ] }, 'keys.json');
      expect(keys[1]?.der.toString('base64')).to.equal(k.value);
      expect([...keysInRange(keys, new Date('2026-09-14T00:00:00Z'), new Date('2026-09-15T00:00:00Z')).keys()]).to.deep.equal(['a']);
      expect([...keysInRange(keys, new Date('2026-09-30T00:00:00Z'), new Date('2026-10-02T00:00:00Z')).keys()]).to.deep.equal(['a', 'b']);
      expect(() => parsePublicKeys({ Keys: [] }, 'keys.json')).to.throw('keys.json: not a ListPublicKeys output (no PublicKeyList array)');
    });

    it('verifies SHA256withRSA with a PKCS#1 key and falls back to SPKI', () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const data = Buffer.from('2026-09-14T03:00:31Z\nbucket/key\nabc\nnull');
      const signature = sign('sha256', data, privateKey).toString('hex');
      const spki = { fingerprint: 'x', der: publicKey.export({ type: 'spki', format: 'der' }), validFrom: undefined, validTo: undefined };
      expect(verifySignature(spki, data, signature)).to.equal('valid');
      expect(verifySignature(spki, Buffer.from('other'), signature)).to.equal('bad-signature');
      expect(verifySignature(spki, data, 'zz')).to.equal('bad-signature-encoding');
      expect(verifySignature({ ...spki, der: Buffer.from('junk') }, data, signature)).to.equal('bad-key');
    });
  });

  it('runs at most `limit` tasks at once', async () => {
    const pool = new Pool(3);
    let running = 0;
    let peak = 0;
    for (let i = 0; i < 20; i++) {
      await pool.add(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
      });
    }
    await pool.drain();
    expect(peak).to.equal(3);
  });

  it('copies digests with their metadata sidecars (for collect --logs), and the copy validates', async () => {
    const v = writeChain({ hours: 2 });
    const source = new LocalStore(v.dir);
    const target = tempDir();
    const copied = await copyLogObjects(source, v.bucket, source.allKeys(), target, 4);
    expect(copied.written.filter((p) => p.endsWith('.metadata.json'))).to.have.length(2);
    expect(copied.vanished).to.deep.equal([]);
    const sidecar = JSON.parse(readFileSync(`${pathOf({ ...v, dir: target }, v.digests[0]!.key)}.metadata.json`, 'utf8')) as unknown;
    expect(sidecar).to.deep.equal({ signature: v.digests[0]!.signature, 'signature-algorithm': 'SHA256withRSA' });
    const io = memoryIo();
    const code = await main(['validate-logs', '--logs', target, '--public-keys', writeKeys(tempDir())], io);
    expect([code, io.err]).to.deep.equal([0, `Validating 1 digest chain in ${target}: trail main (home us-east-1), account 111111111111, region us-east-1\n`]);
  });
});

describe('validate-logs command', function () {
  this.timeout(30_000);

  it('prints one line per problem and the summary in the AWS CLI words, exit 1', async () => {
    const v = writeChain({ hours: 3 });
    const log = v.logs[0]!.key;
    const { rmSync } = await import('node:fs');
    rmSync(pathOf(v, log));
    const io = memoryIo();
    const code = await main(['validate-logs', '--logs', v.dir, '--public-keys', writeKeys(tempDir()), '--from', '2026-09-14', '--to', '2026-09-14T03:30:00Z', '--quiet'], io);
    expect(code).to.equal(1);
    expect(io.out).to.equal([
      `Log file ${join(v.dir, log)}: INVALID: not found`,
      '',
      'Chain: trail main (home us-east-1), account 111111111111, region us-east-1, bucket example-trail-logs',
      'Results requested for 2026-09-14T00:00:00Z to 2026-09-14T03:30:00Z',
      'Results found for 2026-09-14T00:00:31Z to 2026-09-14T03:00:31Z:',
      '3/3 digest files valid',
      '5/6 log files valid, 1/6 log files INVALID',
      '',
    ].join('\n'));
    expect(io.err).to.equal('');
  });

  it('exits 1 when the range holds no digest at all: nothing is proven', async () => {
    const v = writeChain({ hours: 2 });
    const io = memoryIo();
    const code = await main(['validate-logs', '--logs', v.dir, '--public-keys', writeKeys(tempDir()), '--from', '2026-10-01', '--to', '2026-10-02', '--quiet'], io);
    expect(code).to.equal(1);
    expect(io.out).to.contain('STRICTER: no digest files found between 2026-10-01T00:00:00Z and 2026-10-03T00:00:00Z: nothing is proven');
    expect(io.out).to.contain('No digests found');
  });

  for (const [name, args, message] of [
    ['neither --logs nor --trail', [], 'validate-logs needs --logs DIR|s3://bucket/prefix or --trail ARN'],
    ['--logs DIR without --public-keys', ['--logs', '.'], 'validate-logs --logs DIR needs --public-keys FILE'],
    ['an unreadable --from', ['--logs', '.', '--from', 'yesterday'], '--from: "yesterday" is not an ISO-8601 instant or date'],
    ['a bad account id', ['--logs', '.', '--account-id', '12'], '--account-id: "12" is not a 12-digit account id'],
    ['a --period with --from', ['--logs', '.', '--period', '2026-Q3', '--from', '2026-07-01'], '--period cannot be combined with --from or --to'],
  ] as const) {
    it(`exits 2 with one line for ${name}`, async () => {
      const io = memoryIo(tempDir());
      const code = await main(['validate-logs', ...args], io);
      expect(code).to.equal(2);
      expect(io.err.trim().split('\n')).to.have.length(1);
      expect(io.err).to.contain(message);
    });
  }

  it('exits 2 naming a --public-keys file that is not JSON', async () => {
    const dir = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'keys.json'), 'nope');
    const io = memoryIo(dir);
    expect(await main(['validate-logs', '--logs', dir, '--public-keys', 'keys.json'], io)).to.equal(2);
    expect(io.err).to.match(/^trailproof: --public-keys keys\.json: cannot read it as JSON/);
  });

  it('reads --period as a quarter, a month or a year, and a --to date as the end of that day', () => {
    const now = new Date('2026-11-01T00:00:00Z');
    expect(parseRange(undefined, undefined, '2026-Q3', now)).to.deep.equal({ start: new Date('2026-07-01T00:00:00Z'), end: new Date('2026-10-01T00:00:00Z') });
    expect(parseRange(undefined, undefined, '2026-12', now)).to.deep.equal({ start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
    expect(parseRange('2026-09-01', '2026-09-30', undefined, now)).to.deep.equal({ start: new Date('2026-09-01T00:00:00Z'), end: new Date('2026-10-01T00:00:00Z') });
    expect(parseRange(undefined, undefined, undefined, now)).to.deep.equal({ start: undefined, end: now });
  });
});
