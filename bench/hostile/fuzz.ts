// Generated hostile inputs for bench:hostile: fast-check draws them from a fixed seed (the same inputs every
// run, so figures compare), one family per parser of untrusted input that the CLI exposes: bundle
// manifests, log files, LookupEvents lines, Sigma rule files, config files, findings files given to
// `report`, and digest files. Each keeps a good input beside the bad one where it can, so that "the rest
// goes on" is judged too.
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import type { Case, Outcome } from './cases.js';
import { ACCOUNT, BUCKET, REGION, baseBundle, digestFields, logKey, publicKeysDocument, putDigest, record, signDigest } from './fixtures.js';

const SEED = 20261206;

function draw<T>(arb: fc.Arbitrary<T>, runs: number, salt: number): T[] {
  return fc.sample(arb, { seed: SEED + salt, numRuns: runs });
}

const stillDetects = (o: Outcome): string | undefined => {
  try {
    const f = JSON.parse(o.outputs.get('findings.json') ?? '') as { detections: { ruleId: string }[] };
    return f.detections.some((d) => d.ruleId === 's3-bucket-deleted') ? undefined : 'the DeleteBucket beside the bad input was not detected';
  } catch {
    return `no findings.json (exit ${o.exit})`;
  }
};

function goodLogs(dir: string): void {
  const at = new Date('2026-09-30T21:05:00Z');
  const path = join(dir, ...logKey(at, 1).split('/'));
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, gzipSync(JSON.stringify({ Records: [record('DeleteBucket', at)] })));
}

/** Values shaped like CloudTrail records with random holes, types and nesting. */
const recordish = fc.record({
  eventTime: fc.oneof(fc.constant('2026-09-30T22:00:00Z'), fc.string(), fc.integer(), fc.constant(null)),
  eventName: fc.oneof(fc.constantFrom('DeleteBucket', 'StopLogging', 'ConsoleLogin', 'PutBucketPolicy'), fc.string(), fc.anything()),
  eventSource: fc.oneof(fc.constantFrom('s3.amazonaws.com', 'cloudtrail.amazonaws.com'), fc.anything()),
  userIdentity: fc.anything({ maxDepth: 4 }),
  requestParameters: fc.anything({ maxDepth: 6, withNullPrototype: true }),
  responseElements: fc.anything({ maxDepth: 3 }),
  sourceIPAddress: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()),
  errorCode: fc.oneof(fc.constant(undefined), fc.string()),
}, { requiredKeys: [] });

const scanArgs = (logs: string, out: string, ...more: string[]): string[] => ['scan', '--logs', logs, '--out', out, '--format', 'json', '--fail-on', 'none', '--no-progress', ...more];

export function fuzzCases(runs: number): Case[] {
  const cases: Case[] = [];
  const logBodies = draw(fc.oneof(
    fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)),
    fc.uint8Array({ maxLength: 4096 }).map((b) => gzipSync(Buffer.from(b))),
    fc.jsonValue().map((v) => gzipSync(JSON.stringify(v))),
    fc.array(recordish, { maxLength: 8 }).map((records) => gzipSync(JSON.stringify({ Records: records }))),
  ), runs, 1);
  logBodies.forEach((body, i) => cases.push({
    name: `fuzz log file #${i} (${body.length} bytes)`,
    build: (work) => {
      const logs = join(work, 'logs');
      goodLogs(logs);
      const path = join(logs, ...logKey(new Date('2026-09-30T22:00:00Z'), 7).split('/'));
      writeFileSync(path, body);
      return { args: scanArgs(logs, join(work, 'out')), silentPass: stillDetects };
    },
  }));

  const rules = draw(fc.oneof(
    fc.anything({ maxDepth: 4 }).map((v) => stringify(v)),
    fc.record({ detection: fc.dictionary(fc.string(), fc.anything({ maxDepth: 3 })), condition: fc.string() }).map((d) => stringify({
      title: 'fuzz', id: '5f0e1d3c-0000-4000-8000-000000000002', logsource: { product: 'aws', service: 'cloudtrail' }, level: 'high', detection: { ...d.detection, condition: d.condition },
    })),
    fc.tuple(fc.constantFrom('selection', 'not selection', 'selection and 1 of them', 'all of sel*', 'selection | count() > 2'), fc.string()).map(([c, s]) => stringify({
      title: 'fuzz', id: '5f0e1d3c-0000-4000-8000-000000000003', logsource: { product: 'aws', service: 'cloudtrail' }, level: 'high',
      detection: { selection: { [`eventName|${s}`]: s }, condition: `${c} ${s}` },
    })),
  ), runs, 2);
  rules.forEach((text, i) => cases.push({
    name: `fuzz rule file #${i}`,
    build: (work) => {
      const dir = join(work, 'rules');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'fuzz.yml'), text);
      const logs = join(work, 'logs');
      goodLogs(logs);
      return { args: scanArgs(logs, join(work, 'out'), '--rules', dir), silentPass: stillDetects };
    },
  }));

  const configs = draw(fc.oneof(fc.anything({ maxDepth: 4 }).map((v) => stringify(v)), fc.string({ maxLength: 200 })), runs, 3);
  configs.forEach((text, i) => cases.push({
    name: `fuzz config file #${i}`,
    build: (work) => {
      const config = join(work, 'config.yml');
      writeFileSync(config, text);
      const bundle = baseBundle().tree.write(join(work, 'bundle'));
      return { args: ['audit', '--bundle', bundle, '--config', config, '--out', join(work, 'out'), '--format', 'json', '--no-progress'] };
    },
  }));

  const manifests = draw(fc.oneof(
    fc.anything({ maxDepth: 4 }),
    fc.record({ tool: fc.anything(), version: fc.anything(), collectedAt: fc.oneof(fc.string(), fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString()))), identity: fc.anything({ maxDepth: 2 }), scope: fc.anything({ maxDepth: 2 }), files: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-f]{64}$/))) }, { requiredKeys: [] }),
  ), runs, 4);
  manifests.forEach((m, i) => cases.push({
    name: `fuzz manifest #${i}`,
    build: (work) => {
      const b = baseBundle();
      const bundle = b.tree.write(join(work, 'bundle'), undefined);
      writeFileSync(join(bundle, 'manifest.json'), JSON.stringify(m) ?? 'null');
      return { args: ['audit', '--bundle', bundle, '--out', join(work, 'out'), '--format', 'json', '--no-progress'] };
    },
  }));

  const findingsFiles = draw(fc.oneof(
    fc.jsonValue(),
    fc.record({ schemaVersion: fc.constant('1'), tool: fc.anything({ maxDepth: 2 }), run: fc.anything({ maxDepth: 3 }), summary: fc.anything({ maxDepth: 2 }), results: fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 4 }), detections: fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 4 }), waivers: fc.anything({ maxDepth: 2 }) }, { requiredKeys: [] }),
  ), runs, 5);
  findingsFiles.forEach((f, i) => cases.push({
    name: `fuzz findings file for report #${i}`,
    build: (work) => {
      const path = join(work, 'findings-in.json');
      writeFileSync(path, JSON.stringify(f) ?? 'null');
      return { args: ['report', '--findings', path, '--out', join(work, 'out'), '--format', 'markdown,junit,sarif,csv', '--no-progress'] };
    },
  }));

  const lines = draw(fc.array(fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue().map((v) => JSON.stringify(v)), recordish.map((r) => JSON.stringify({ EventId: 'x', CloudTrailEvent: JSON.stringify(r) }))), { maxLength: 6 }), runs, 6);
  lines.forEach((ls, i) => cases.push({
    name: `fuzz LookupEvents.jsonl #${i}`,
    build: (work) => {
      const b = baseBundle();
      const good = JSON.stringify({ EventId: 'e1', EventName: 'DeleteBucket', CloudTrailEvent: JSON.stringify(record('DeleteBucket', new Date('2026-09-30T21:10:00Z'))) });
      b.tree.put(`accounts/${ACCOUNT}/${REGION}/cloudtrail/LookupEvents.jsonl`, [good, ...ls].join('\n') + '\n');
      const bundle = b.tree.write(join(work, 'bundle'));
      return { args: ['scan', '--bundle', bundle, '--out', join(work, 'out'), '--format', 'json', '--fail-on', 'none', '--no-progress'], silentPass: stillDetects };
    },
  }));

  const digestPatches = draw(fc.dictionary(fc.constantFrom('digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestS3Object', 'previousDigestS3Object', 'previousDigestS3Bucket', 'logFiles', 'previousDigestSignature', 'digestPublicKeyFingerprint'), fc.anything({ maxDepth: 3 })), runs, 7);
  digestPatches.forEach((patch, i) => cases.push({
    name: `fuzz digest fields #${i}`,
    build: (work, ctx) => {
      const b = baseBundle(ctx.key);
      const last = b.digests[b.digests.length - 1];
      if (last !== undefined) {
        const start = new Date(String(last.fields.digestEndTime));
        const fields = { ...digestFields(start, new Date(start.getTime() + 3600_000), ctx.key, last, [{ s3Bucket: BUCKET, s3Object: b.logKeys[0], hashValue: '0'.repeat(64), hashAlgorithm: 'SHA-256' }]), ...patch };
        putDigest(b.tree, signDigest({ ...fields, digestS3Object: digestFields(start, new Date(start.getTime() + 3600_000), ctx.key, last, []).digestS3Object }, ctx.key));
      }
      const bundle = b.tree.write(join(work, 'bundle'));
      const keys = join(work, 'keys.json');
      writeFileSync(keys, JSON.stringify(publicKeysDocument([ctx.key])));
      return { args: ['validate-logs', '--logs', join(bundle, 'logs'), '--public-keys', keys, '--to', '2026-10-01T06:00:00Z', '--no-progress'] };
    },
  }));
  return cases;
}
