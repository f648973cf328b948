// Property-based tests (fast-check) over the parts that read untrusted evidence: the bundle reader over
// random manifests and random file trees (regular files, folders, FIFOs, symlinks in and out of the bundle,
// keys that climb or are absolute) never crashes, never blocks and never reads outside the bundle; digest
// parsing never throws on random bytes; and the chain walk over random digest graphs (links to older,
// newer, missing or the same digest, forged hashes and signatures) always ends and never comes out clean
// while a digest it verified carries a forged link.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { Bundle } from '../../src/evidence/bundle.js';
import { readContainedSync } from '../../src/evidence/contained.js';
import { TrailproofError } from '../../src/errors.js';
import { loadDigest } from '../../src/integrity/digest.js';
import { keysInRange, parsePublicKeys } from '../../src/integrity/keys.js';
import { digestKeyFor } from '../../src/evidence/s3-layout.js';
import { ManifestStore } from '../../src/integrity/manifest-store.js';
import type { ObjectStore, StoredObject } from '../../src/integrity/store.js';
import { validateChains } from '../../src/integrity/validate.js';
import { digestFields, digestMetadata, publicKeysDocument, signDigest, type DigestSpec } from '../../fixtures/cloudtrail-digest.js';
import { chainOf, signingKey } from '../../fixtures/integrity-vectors.js';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** Resolves `promise` or fails the property when it takes longer than `ms` (a walk or a read that never ends). */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('hostile evidence: properties', function () {
  this.timeout(180_000);

  describe('the bundle reader over random manifests and file trees', () => {
    const segment = fc.constantFrom('a', 'b', 'logs', 'accounts', 'x.json', 'y.json', 'z.json.gz', 'manifest.json');
    const relPath = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
    const entry = fc.record({
      path: relPath,
      kind: fc.constantFrom('json', 'bytes', 'fifo', 'dir', 'symlink-out', 'symlink-dir-out', 'symlink-in', 'symlink-loop'),
    });
    const hostileKey = fc.constantFrom('../outside/secret.json', '../../etc/passwd', '/etc/passwd', 'a/../../outside/secret.json', 'a\\..\\x.json', '', 'a//x.json', './x.json', 'constructor', '__proto__');
    const manifestKey = fc.oneof(relPath, hostileKey);

    const bytesOf = (path: string, kind: string): Buffer => (kind === 'json' ? Buffer.from(JSON.stringify({ path })) : Buffer.from([0, 1, 2, 3]));

    it('never throws anything but a TrailproofError, never blocks, and never reads the canary outside', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(entry, { maxLength: 12 }), fc.array(fc.tuple(manifestKey, fc.boolean()), { maxLength: 12 }), async (entries, keys) => {
          const base = mkdtempSync(join(tmpdir(), 'trailproof-prop-'));
          const root = join(base, 'bundle');
          const outside = join(base, 'outside');
          mkdirSync(root);
          mkdirSync(outside);
          const marker = `CANARY-${Math.random().toString(36).slice(2)}`;
          const canaryBytes = Buffer.from(JSON.stringify({ marker }));
          writeFileSync(join(outside, 'secret.json'), canaryBytes);
          try {
            // The manifest first: an entry may then try to replace it (a FIFO, a folder), as a hostile bundle would.
            const files: Record<string, string> = {};
            for (const [key, matching] of keys) {
              const planned = entries.filter((e) => e.path === key && (e.kind === 'json' || e.kind === 'bytes')).pop();
              files[key] = matching && planned !== undefined ? sha(bytesOf(planned.path, planned.kind)) : 'f'.repeat(64);
            }
            writeFileSync(join(root, 'manifest.json'), JSON.stringify({
              tool: 't', version: '1', collectedAt: '2026-10-01T00:00:00Z', identity: { Account: '111111111111', Arn: 'arn:aws:iam::111111111111:root' },
              scope: { accounts: [], regions: [] }, files,
            }));
            for (const { path, kind } of entries) {
              const full = join(root, ...path.split('/'));
              try {
                mkdirSync(dirname(full), { recursive: true });
                if (kind === 'json' || kind === 'bytes') {
                  // Non-blocking: an earlier entry may have left a FIFO (or a link to one) at this path, and a
                  // plain open for writing would wait for a reader forever (ENXIO instead: the entry is left out).
                  const fd = openSync(full, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NONBLOCK);
                  try {
                    writeSync(fd, bytesOf(path, kind));
                  } finally {
                    closeSync(fd);
                  }
                } else if (kind === 'fifo') execFileSync('mkfifo', [full], { stdio: 'ignore' });
                else if (kind === 'dir') mkdirSync(full);
                else if (kind === 'symlink-out') symlinkSync(join(outside, 'secret.json'), full);
                else if (kind === 'symlink-dir-out') symlinkSync(outside, full);
                else if (kind === 'symlink-in') symlinkSync(join(root, 'x.json'), full);
                else symlinkSync(full, full);
              } catch {
                // The random tree asked for something impossible (a file where a folder is): leave it out.
              }
            }
            let bundle: Bundle;
            try {
              bundle = await within(10_000, 'Bundle.open', Promise.resolve().then(() => Bundle.open(root)));
            } catch (err) {
              if (err instanceof TrailproofError) return;
              throw err;
            }
            const canarySha = sha(canaryBytes);
            for (const file of bundle.files()) {
              expect(bundle.source(file)?.sha256).to.not.equal(canarySha);
              const read = bundle.read<unknown>(file);
              if (read.kind === 'ok') expect(JSON.stringify(read.value)).to.not.contain(marker);
            }
            // The integrity store answers the same keys, and the climbing ones, without reaching outside.
            const store = new ManifestStore(bundle);
            for (const [key] of keys) {
              const object = await within(10_000, `ManifestStore.get ${key}`, store.get('', key.replace(/^logs\//, '')));
              if (object !== undefined) expect(object.body.toString('utf8')).to.not.contain(marker);
            }
            for (const r of bundle.integrity.refused ?? []) expect(r.reason).to.be.a('string').and.not.equal('');
          } finally {
            rmSync(base, { recursive: true, force: true });
          }
        }),
        { numRuns: 60 },
      );
    });

    it('contains every path: a read through contained.ts never returns bytes from outside the root', () => {
      const base = mkdtempSync(join(tmpdir(), 'trailproof-prop-'));
      const root = join(base, 'root');
      mkdirSync(join(root, 'in'), { recursive: true });
      writeFileSync(join(base, 'secret'), 'SECRET');
      writeFileSync(join(root, 'in', 'ok'), 'OK');
      symlinkSync(join(base, 'secret'), join(root, 'in', 'out'));
      symlinkSync(base, join(root, 'up'));
      const part = fc.constantFrom('..', '.', 'in', 'ok', 'out', 'up', 'secret', 'root', '', '/');
      fc.assert(
        fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
          const read = readContainedSync(root, parts.join('/'));
          if (read.kind === 'ok') expect(read.bytes.toString()).to.equal('OK');
        }),
        { numRuns: 500 },
      );
      rmSync(base, { recursive: true, force: true });
    });
  });

  describe('digest parsing', () => {
    it('judges any bytes as a digest without throwing', async () => {
      const lookup = { keys: keysInRange(parsePublicKeys(publicKeysDocument([signingKey()]), 'k'), new Date(0), new Date('2030-01-01')), backfillKeys: () => new Map(), region: 'us-east-1' };
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)), fc.jsonValue().map((v) => gzipSync(JSON.stringify(v))), fc.string().map((s) => gzipSync(s))),
          fc.dictionary(fc.constantFrom('signature', 'signature-algorithm', 'backfill-generation-timestamp'), fc.string()),
          fc.boolean(),
          async (body, metadata, backfill) => {
            const outcome = await loadDigest(Promise.resolve({ body, metadata }), 'b', 'k', lookup, backfill);
            expect(outcome.kind).to.equal('invalid');
          },
        ),
        { numRuns: 300 },
      );
    });
  });

  describe('the chain walk over random digest graphs', () => {
    class MemoryStore implements ObjectStore {
      constructor(private readonly objects: Map<string, StoredObject>) {}
      async *list(_bucket: string, prefix: string, startAfter?: string): AsyncIterable<string> {
        for (const key of [...this.objects.keys()].sort()) if (key.startsWith(prefix) && (startAfter === undefined || key > startAfter)) yield key;
      }
      async get(_bucket: string, key: string): Promise<StoredObject | undefined> {
        return this.objects.get(key);
      }
      describe(_bucket: string, key: string): string {
        return key;
      }
    }

    const chain = chainOf();
    const BUCKET = 'prop-bucket';
    /** Per digest after the first: where its previous link leads (an index, possibly itself or newer, -1 nowhere, null a restart) and which link fields are honest. */
    const link = fc.record({ to: fc.option(fc.integer({ min: -1, max: 7 }), { nil: null }), hashOk: fc.boolean(), sigOk: fc.boolean() });

    it('always ends, and is never clean while a verified digest carries a forged link', async () => {
      const key = signingKey();
      const keys = parsePublicKeys(publicKeysDocument([key]), 'keys');
      await fc.assert(
        fc.asyncProperty(fc.array(link, { minLength: 0, maxLength: 7 }), async (links) => {
          const n = links.length + 1;
          const ends = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 8, 14, 1 + i, 0, 31)));
          const keyOf = (i: number): string => digestKeyFor(chain, ends[i] as Date);
          const digests: DigestSpec[] = [];
          const forged: boolean[] = [];
          for (let i = 0; i < n; i++) {
            // The oldest digest starts the chain: its link would lead before the range, which no walk follows.
            const l = i === 0 ? { to: null, hashOk: true, sigOk: true } : (links[i - 1] as { to: number | null; hashOk: boolean; sigOk: boolean });
            const fields = digestFields({ chain, bucket: BUCKET, start: new Date((ends[i] as Date).getTime() - 3600_000), end: ends[i] as Date, key, previous: null, logFiles: [] });
            let isForged = false;
            if (l.to !== null) {
              const target = l.to >= n ? n - 1 : l.to;
              const known = target >= 0 && target < i ? digests[target] : undefined;
              fields.previousDigestS3Bucket = BUCKET;
              fields.previousDigestS3Object = target < 0 ? digestKeyFor(chain, new Date(Date.UTC(2026, 8, 13))) : keyOf(target);
              fields.previousDigestHashAlgorithm = 'SHA-256';
              fields.previousDigestHashValue = known !== undefined && l.hashOk ? sha(known.inflated) : 'ab'.repeat(32);
              fields.previousDigestSignature = known !== undefined && l.sigOk ? known.signature : 'cd'.repeat(256);
              // A link is honest only to an older digest that exists, with its true hash and signature.
              isForged = target >= 0 && (known === undefined || !l.hashOk || !l.sigOk);
            }
            digests.push(signDigest(fields, key));
            forged.push(isForged);
          }
          const store = new MemoryStore(new Map(digests.map((d) => [d.key, { body: gzipSync(d.inflated), metadata: digestMetadata(d) }])));
          const report = await within(10_000, 'validateChains', validateChains({ store, chains: [{ chain, bucket: BUCKET }], keys, keysSource: 'keys', start: undefined, end: new Date(Date.UTC(2026, 8, 15)), verbose: true }));
          const verified = new Set((report.files ?? []).filter((f) => f.type === 'digest' && f.valid).map((f) => f.key));
          const forgedAndVerified = digests.filter((d, i) => forged[i] === true && verified.has(d.key));
          if (forgedAndVerified.length > 0) expect(report.problems, `forged links in ${forgedAndVerified.map((d) => d.key).join(', ')} passed`).to.not.deep.equal([]);
        }),
        { numRuns: 80 },
      );
    });
  });
});
