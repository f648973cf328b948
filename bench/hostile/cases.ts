// The hostile inputs of bench:hostile, one builder per case: each writes its input into a fresh folder and
// says how to run the real CLI on it and what would be a silent pass (a verdict the tampering should have
// changed or stated, or a result the bad input made disappear). Crashes, hangs, memory blow-ups and reads
// outside the evidence are judged for every case alike by run.ts.
import { mkdirSync, openSync, closeSync, writeSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import {
  ACCOUNT, BUCKET, CANARY_MARKER, REGION, Tree, baseBundle, digestFields, logKey, publicKeysDocument, putDigest, record, sha256Hex, signDigest,
  newSigningKey, type BaseBundle, type SigningKey,
} from './fixtures.js';

/** What one run of the CLI left: what run.ts measured, plus the files it wrote. */
export interface Outcome {
  exit: number | null;
  stdout: string;
  stderr: string;
  /** Every file in the run's output folder, by name. */
  outputs: Map<string, string>;
}

export interface Invocation {
  args: string[];
  /** A silent pass when this returns a reason; undefined when the verdict is what the tampering must give. */
  silentPass?: (o: Outcome) => string | undefined;
}

export interface Case {
  name: string;
  /** Builds the input under `work` (a fresh folder whose parent holds the canary) and says how to run it. */
  build(work: string, ctx: CaseContext): Invocation;
}

export interface CaseContext {
  /** The canary beside every evidence root: its marker or hash must never appear in an output. */
  canary: { gzPath: string; jsonPath: string };
  key: SigningKey;
}

type Finding = { checkId: string; status: string; message: string; details?: unknown };

function findings(o: Outcome): { results: Finding[]; detections: { ruleId: string }[] } | undefined {
  const text = o.outputs.get('findings.json') ?? '';
  try {
    return JSON.parse(text) as { results: Finding[]; detections: { ruleId: string }[] };
  } catch {
    return undefined;
  }
}

function integrityOf(o: Outcome): Finding | undefined {
  return findings(o)?.results.find((r) => r.checkId === 'trail.log-integrity');
}

const audit = (bundle: string, out: string, ...more: string[]): string[] => ['audit', '--bundle', bundle, '--out', out, '--format', 'json,junit,markdown,sarif', '--fail-on', 'high', '--no-progress', ...more];

/** The log-integrity verdict must not be PASS: the tampering breaks the proof. */
const integrityNotPass = (o: Outcome): string | undefined => {
  const r = integrityOf(o);
  return r?.status === 'PASS' ? `trail.log-integrity PASSed: ${r.message}` : undefined;
};

/** No output may read "passed"/"compliant" when the exit code says otherwise. */
const outputsAgree = (o: Outcome): string | undefined => {
  if (o.exit === 0) return undefined;
  const md = o.outputs.get('summary.md') ?? '';
  if (/gate[^\n]*\bpassed\b/i.test(md) || /^## trailproof audit: compliant\s*$/m.test(md)) return `exit ${o.exit} but summary.md reads passed/compliant`;
  const junit = o.outputs.get('junit.xml') ?? '';
  const root = /<testsuites[^>]*failures="(\d+)"[^>]*errors="(\d+)"/.exec(junit);
  if (root && root[1] === '0' && root[2] === '0') return `exit ${o.exit} but junit.xml has 0 failures and 0 errors`;
  return undefined;
};

const both = (...checks: ((o: Outcome) => string | undefined)[]) => (o: Outcome): string | undefined => {
  for (const c of checks) {
    const why = c(o);
    if (why !== undefined) return why;
  }
  return undefined;
};

function bundleOf(work: string, mutate: (b: BaseBundle) => void, ctx: CaseContext, manifest?: (m: Record<string, unknown>) => void): string {
  const b = baseBundle(ctx.key);
  mutate(b);
  const m = b.tree.manifest();
  manifest?.(m);
  return b.tree.write(join(work, 'bundle'), m);
}

/** A fourth hour's digest continuing the chain, listing `logFiles` (signed with the bundle's key). */
function extraDigest(b: BaseBundle, logFiles: unknown[]): void {
  const last = b.digests[b.digests.length - 1];
  if (last === undefined) return;
  const start = new Date(String(last.fields.digestEndTime));
  const d = signDigest(digestFields(start, new Date(start.getTime() + 3600_000), b.key, last, logFiles), b.key);
  putDigest(b.tree, d);
  b.digests.push(d);
}

const ZERO_HASH = '0'.repeat(64);

export const FIXED_CASES: Case[] = [
  {
    name: 'control: untouched bundle (trail.log-integrity must PASS, exit 0)',
    build: (work, ctx) => ({
      args: audit(bundleOf(work, () => undefined, ctx), join(work, 'out'), '--trusted-key-fingerprints', ctx.key.fingerprint),
      // The minimal bundle fails other checks (it holds no event selectors): the gate may say 1, never 2 or 3.
      silentPass: (o) => (integrityOf(o)?.status === 'PASS' && (o.exit === 0 || o.exit === 1) ? undefined : `control did not PASS (exit ${o.exit}, ${integrityOf(o)?.status}): the bench's fixture is wrong`),
    }),
  },
  {
    name: 'log file added beside the manifest (unlisted: never read, verdict unchanged)',
    build: (work, ctx) => {
      const bundle = bundleOf(work, (b) => {
        const k = logKey(new Date('2026-09-30T20:30:00Z'), 99);
        b.tree.put(`logs/${k}`, gzipSync(Buffer.from(JSON.stringify({ Records: [record('DeleteBucket', new Date('2026-09-30T20:30:00Z'), { userAgent: CANARY_MARKER })] }))));
        b.tree.unlisted.add(`logs/${k}`);
      }, ctx);
      return { args: audit(bundle, join(work, 'out')), silentPass: (o) => (integrityOf(o)?.status === 'PASS' ? undefined : `an unlisted file changed trail.log-integrity to ${integrityOf(o)?.status}`) };
    },
  },
  {
    name: 'log file removed from the manifest, left on disk (must not count as verified)',
    build: (work, ctx) => ({ args: audit(bundleOf(work, (b) => b.tree.unlisted.add(`logs/${b.logKeys[1] ?? ''}`), ctx), join(work, 'out')), silentPass: integrityNotPass }),
  },
  {
    name: "digest lists ../../canary.json.gz (path traversal out of the bundle)",
    build: (work, ctx) => ({
      args: audit(bundleOf(work, (b) => extraDigest(b, [{ s3Bucket: BUCKET, s3Object: '../../canary.json.gz', hashValue: ZERO_HASH, hashAlgorithm: 'SHA-256' }]), ctx), join(work, 'out')),
      silentPass: integrityNotPass,
    }),
  },
  {
    name: 'validate-logs --logs DIR over a digest listing ../../canary.json.gz',
    build: (work, ctx) => {
      const bundle = bundleOf(work, (b) => extraDigest(b, [{ s3Bucket: BUCKET, s3Object: '../../canary.json.gz', hashValue: ZERO_HASH, hashAlgorithm: 'SHA-256' }]), ctx);
      const keys = join(work, 'keys.json');
      writeFileSync(keys, JSON.stringify(publicKeysDocument([ctx.key])));
      return { args: ['validate-logs', '--logs', join(bundle, 'logs'), '--public-keys', keys, '--to', '2026-10-01T06:00:00Z', '--no-progress'], silentPass: (o) => (o.exit === 0 ? 'validate-logs exited 0' : undefined) };
    },
  },
  {
    name: 'a listed file is a symlink to a file outside the bundle (hash listed)',
    build: (work, ctx) => {
      const status = `accounts/${ACCOUNT}/${REGION}/cloudtrail/GetTrailStatus/main.json`;
      const bundle = bundleOf(work, () => undefined, ctx, (m) => {
        (m.files as Record<string, string>)[status] = sha256Hex(Buffer.from(JSON.stringify({ IsLogging: true, Canary: CANARY_MARKER })));
      });
      execFileSync('rm', ['-f', join(bundle, status)]);
      symlinkSync(ctx.canary.jsonPath, join(bundle, status));
      return { args: audit(bundle, join(work, 'out')), silentPass: (o) => (o.exit === 0 ? 'exit 0 over a bundle whose listed file leads outside it' : undefined) };
    },
  },
  {
    name: 'a listed file is a FIFO (must not block)',
    build: (work, ctx) => {
      const status = `accounts/${ACCOUNT}/${REGION}/cloudtrail/GetTrailStatus/main.json`;
      const bundle = bundleOf(work, () => undefined, ctx);
      execFileSync('rm', ['-f', join(bundle, status)]);
      execFileSync('mkfifo', [join(bundle, status)]);
      return { args: audit(bundle, join(work, 'out')), silentPass: (o) => (o.exit === 0 ? 'exit 0 over a bundle whose listed file is a FIFO' : undefined) };
    },
  },
  {
    name: 'a digest log entry is a FIFO inside the bundle (must not block)',
    build: (work, ctx) => {
      const bundle = bundleOf(work, (b) => extraDigest(b, [{ s3Bucket: BUCKET, s3Object: 'fifo.json.gz', hashValue: ZERO_HASH, hashAlgorithm: 'SHA-256' }]), ctx);
      execFileSync('mkfifo', [join(bundle, 'logs', 'fifo.json.gz')]);
      return { args: audit(bundle, join(work, 'out')), silentPass: integrityNotPass };
    },
  },
  {
    name: 'a 1 MB digest that inflates to 1 GB',
    build: (work, ctx) => {
      const bundle = bundleOf(work, (b) => {
        const newest = b.digests[b.digests.length - 1];
        if (newest === undefined) return;
        const bomb = gzipSync(Buffer.alloc(1024 * 1024 * 1024, 0x20), { level: 9 });
        b.tree.put(`logs/${newest.key}`, bomb);
      }, ctx);
      return { args: audit(bundle, join(work, 'out')), silentPass: integrityNotPass };
    },
  },
  {
    name: 'two digests whose previousDigestS3Object point at each other',
    build: (work, ctx) => {
      const bundle = bundleOf(work, (b) => {
        const last = b.digests[b.digests.length - 1];
        if (last === undefined) return;
        const t3 = new Date(new Date(String(last.fields.digestEndTime)).getTime() + 3600_000);
        const t4 = new Date(t3.getTime() + 3600_000);
        // Each names the other as its previous digest: a walk that follows links without memory never ends.
        const f3 = digestFields(new Date(t3.getTime() - 3600_000), t3, b.key, null, []);
        const f4 = digestFields(t3, t4, b.key, null, []);
        f3.previousDigestS3Bucket = BUCKET; f3.previousDigestS3Object = f4.digestS3Object; f3.previousDigestSignature = 'ab';
        f4.previousDigestS3Bucket = BUCKET; f4.previousDigestS3Object = f3.digestS3Object; f4.previousDigestSignature = 'cd';
        putDigest(b.tree, signDigest(f3, b.key));
        putDigest(b.tree, signDigest(f4, b.key));
      }, ctx);
      return { args: audit(bundle, join(work, 'out')), silentPass: integrityNotPass };
    },
  },
  {
    name: "digests signed by a key the bundle added to its own ListPublicKeys, fingerprints pinned",
    build: (work, ctx) => {
      const rogue = newSigningKey();
      const b = baseBundle(rogue);
      const bundle = b.tree.write(join(work, 'bundle'));
      return { args: audit(bundle, join(work, 'out'), '--trusted-key-fingerprints', ctx.key.fingerprint), silentPass: integrityNotPass };
    },
  },
  {
    name: "digests signed by the bundle's own key, nothing pinned (the verdict must say where the keys came from)",
    build: (work) => {
      const b = baseBundle(newSigningKey());
      return {
        args: audit(b.tree.write(join(work, 'bundle')), join(work, 'out')),
        silentPass: (o) => {
          const r = integrityOf(o);
          if (r?.status !== 'PASS') return undefined;
          return /bundle|evidence itself|came with/i.test(`${r.message} ${JSON.stringify(r.details ?? {})}`) ? undefined : 'PASS on keys the bundle brought, without saying so';
        },
      };
    },
  },
  {
    name: 'a listed file modified after collection (tampered: exit 2, no output reads passed)',
    build: (work, ctx) => {
      const bundle = bundleOf(work, () => undefined, ctx);
      writeFileSync(join(bundle, `accounts/${ACCOUNT}/${REGION}/cloudtrail/GetTrailStatus/main.json`), JSON.stringify({ IsLogging: true, LatestDeliveryTime: '2026-10-01T05:00:00Z' }));
      return { args: audit(bundle, join(work, 'out'), '--fail-on', 'none'), silentPass: both((o) => (o.exit === 2 ? undefined : `exit ${o.exit}, not 2`), outputsAgree) };
    },
  },
  {
    name: 'an undecided gate (a high check ERRORs: exit 3, no output reads passed)',
    build: (work, ctx) => {
      const bundle = bundleOf(work, (b) => b.tree.files.delete(`accounts/${ACCOUNT}/${REGION}/cloudtrail/GetTrailStatus/main.json`), ctx);
      return { args: audit(bundle, join(work, 'out')), silentPass: outputsAgree };
    },
  },
  ...recordCases(),
];

/** Log folders for `scan --logs DIR`: each holds a DeleteBucket that must still be detected. */
function logsFolder(work: string, extra: (dir: string) => void): string {
  const dir = join(work, 'logs');
  const at = new Date('2026-09-30T21:05:00Z');
  const path = join(dir, ...logKey(at, 1).split('/'));
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, gzipSync(JSON.stringify({ Records: [record('DeleteBucket', at)] })));
  extra(dir);
  return dir;
}

const stillDetects = (o: Outcome): string | undefined => {
  const f = findings(o);
  return f?.detections.some((d) => d.ruleId === 's3-bucket-deleted') ? undefined : 'the DeleteBucket beside the bad input was not detected';
};

/** A value nested `depth` objects deep, as JSON text (JSON.stringify itself would overflow building it). */
function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
}

function recordCases(): Case[] {
  const scan = (logs: string, out: string, ...more: string[]): string[] => ['scan', '--logs', logs, '--out', out, '--format', 'json', '--fail-on', 'none', '--no-progress', ...more];
  const file = (dir: string, n: number, body: Buffer): void => {
    const path = join(dir, ...logKey(new Date('2026-09-30T22:00:00Z'), n).split('/'));
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, body);
  };
  return [
    {
      name: 'a record whose requestParameters nest 6,000 deep',
      build: (work) => {
        const text = JSON.stringify({ Records: [record('PutBucketPolicy', new Date('2026-09-30T22:00:00Z'), { requestParameters: 'DEEP' })] }).replace('"DEEP"', deepJson(6000));
        return { args: scan(logsFolder(work, (d) => file(d, 2, gzipSync(text))), join(work, 'out')), silentPass: stillDetects };
      },
    },
    {
      name: 'a truncated .gz beside a good file',
      build: (work) => ({ args: scan(logsFolder(work, (d) => file(d, 2, gzipSync(JSON.stringify({ Records: [record('GetObject', new Date())] })).subarray(0, 30))), join(work, 'out')), silentPass: stillDetects }),
    },
    {
      name: 'a log file that is a symlink to a file outside the folder',
      build: (work, ctx) => ({
        args: scan(logsFolder(work, (d) => {
          const path = join(d, ...logKey(new Date('2026-09-30T22:00:00Z'), 3).split('/'));
          symlinkSync(ctx.canary.gzPath, path);
        }), join(work, 'out')),
        silentPass: stillDetects,
      }),
    },
    {
      name: 'a log file that is a FIFO',
      build: (work) => ({
        args: scan(logsFolder(work, (d) => execFileSync('mkfifo', [join(d, ...logKey(new Date('2026-09-30T22:00:00Z'), 4).split('/'))])), join(work, 'out')),
        silentPass: stillDetects,
      }),
    },
    {
      name: 'a rule with userAgent|re: ^(a+)+$ over 40-character user agents',
      build: (work) => {
        const rules = join(work, 'rules');
        mkdirSync(rules, { recursive: true });
        writeFileSync(join(rules, 'redos.yml'), stringify({ title: 'ReDoS', id: 'b7e1c2a4-0000-4000-8000-000000000001', logsource: { product: 'aws', service: 'cloudtrail' }, detection: { selection: { 'userAgent|re': '^(a+)+$' }, condition: 'selection' }, level: 'high' }));
        const logs = logsFolder(work, (d) => file(d, 5, gzipSync(JSON.stringify({ Records: [0, 1, 2].map((i) => record('GetObject', new Date(Date.UTC(2026, 8, 30, 22, i)), { userAgent: `${'a'.repeat(40)}b` })) }))));
        return { args: scan(logs, join(work, 'out'), '--rules', rules), silentPass: stillDetects };
      },
    },
    {
      name: 'a rule file with a YAML alias bomb beside a good rule',
      build: (work) => {
        const rules = join(work, 'rules');
        mkdirSync(rules, { recursive: true });
        const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
        for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
        writeFileSync(join(rules, 'bomb.yml'), lines.join('\n') + '\n');
        return { args: scan(logsFolder(work, () => undefined), join(work, 'out'), '--rules', rules), silentPass: stillDetects };
      },
    },
    {
      name: 'a config with an undefined YAML alias',
      build: (work, ctx) => {
        const config = join(work, 'config.yml');
        writeFileSync(config, 'failOn: *nowhere\n');
        return { args: audit(bundleOf(work, () => undefined, ctx), join(work, 'out'), '--config', config), silentPass: (o) => (o.exit === 2 && o.stderr.includes('config.yml') ? undefined : `exit ${o.exit} without naming config.yml`) };
      },
    },
    {
      name: 'a 600 MB line in a LookupEvents.jsonl',
      build: (work, ctx) => {
        const bundle = bundleOf(work, (b) => b.tree.put(`accounts/${ACCOUNT}/${REGION}/cloudtrail/LookupEvents.jsonl`, ''), ctx, () => undefined);
        const path = join(bundle, `accounts/${ACCOUNT}/${REGION}/cloudtrail/LookupEvents.jsonl`);
        const fd = openSync(path, 'w');
        const good = JSON.stringify({ EventId: 'e1', EventName: 'DeleteBucket', CloudTrailEvent: JSON.stringify(record('DeleteBucket', new Date('2026-09-30T21:10:00Z'))) });
        writeSync(fd, good + '\n{"EventId":"');
        const chunk = Buffer.alloc(8 * 1024 * 1024, 0x61);
        for (let i = 0; i < 75; i++) writeSync(fd, chunk);
        writeSync(fd, '"}\n');
        closeSync(fd);
        rewriteManifestHash(bundle, `accounts/${ACCOUNT}/${REGION}/cloudtrail/LookupEvents.jsonl`);
        return { args: ['scan', '--bundle', bundle, '--out', join(work, 'out'), '--format', 'json', '--fail-on', 'none', '--no-progress'], silentPass: stillDetects };
      },
    },
  ];
}

function rewriteManifestHash(bundle: string, file: string): void {
  const manifestPath = join(bundle, 'manifest.json');
  const m = JSON.parse(execFileSync('cat', [manifestPath], { encoding: 'utf8' })) as { files: Record<string, string> };
  m.files[file] = execFileSync('sha256sum', [join(bundle, file)], { encoding: 'utf8' }).split(' ')[0] as string;
  writeFileSync(manifestPath, JSON.stringify(m, null, 2) + '\n');
}

export { Tree };
