// `npm run bench:validate`: 30 days of hourly digests with 24 log files each (720 digests, 17,280 logs),
// validated offline by `trailproof validate-logs`, against a bare baseline over the same log files: read,
// gunzip and SHA-256, with the same parallelism. Target: validation at no less than 80% of the baseline's
// speed (all the signature checks, the chain walk and the first-member rule included).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { main } from '../src/cli/main.js';
import { memoryIo } from '../src/cli/io.js';
import { Pool } from '../src/integrity/pool.js';
import { chainOf, isoSeconds, pathOf, tempDir, writeChain, writeKeys } from '../fixtures/integrity-vectors.js';
import type { ChainId } from '../src/evidence/s3-layout.js';

const DAYS = 30;
const LOGS_PER_HOUR = 24;
const RECORDS_PER_LOG = 60;
const CONCURRENCY = 8;
const TARGET = 0.8;
const gunzipAsync = promisify(gunzip);

/** A log file of realistic size: RECORDS_PER_LOG management and data events. */
function bigLog(chain: ChainId, at: Date, n: number): Buffer {
  const records = [];
  for (let i = 0; i < RECORDS_PER_LOG; i++) {
    records.push({
      eventVersion: '1.09', userIdentity: { type: 'AssumedRole', principalId: `AROAEXAMPLE${n % 97}:session-${i}`, arn: `arn:aws:sts::${chain.account}:assumed-role/app/session-${i}`, accountId: chain.account },
      eventTime: isoSeconds(new Date(at.getTime() - i * 1000)), eventSource: 's3.amazonaws.com', eventName: i % 3 === 0 ? 'PutObject' : 'GetObject', awsRegion: chain.region,
      sourceIPAddress: `198.51.100.${(n + i) % 255}`, userAgent: 'aws-sdk-java/2.20.0', requestParameters: { bucketName: 'example-data', key: `objects/${n}/${i}.json` },
      responseElements: null, requestID: `${n.toString(16)}${i.toString(16)}REQ`, eventID: `00000000-0000-4000-8000-${String(n * 100 + i).padStart(12, '0')}`,
      readOnly: i % 3 !== 0, eventType: 'AwsApiCall', managementEvent: false, recipientAccountId: chain.account,
    });
  }
  return Buffer.from(JSON.stringify({ Records: records }));
}

async function baseline(paths: string[]): Promise<{ ms: number; bytes: number }> {
  const pool = new Pool(CONCURRENCY);
  let bytes = 0;
  const started = performance.now();
  for (const path of paths) {
    await pool.add(async () => {
      const inflated = await gunzipAsync(await readFile(path));
      createHash('sha256').update(inflated).digest('hex');
      bytes += inflated.length;
    });
  }
  await pool.drain();
  return { ms: performance.now() - started, bytes };
}

async function validate(dir: string, keys: string): Promise<number> {
  const io = memoryIo();
  const started = performance.now();
  const code = await main(['validate-logs', '--logs', dir, '--public-keys', keys, '--format', 'json', '--concurrency', String(CONCURRENCY), '--quiet'], io);
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`validate-logs exited ${code}: ${io.err}${io.out.slice(0, 2000)}`);
  return ms;
}

const generated = performance.now();
const v = writeChain({ chain: chainOf(), hours: DAYS * 24, logsPerHour: LOGS_PER_HOUR, firstEnd: '2026-09-01T01:00:31Z', logBody: bigLog });
const keys = writeKeys(tempDir());
console.error(`generated ${v.digests.length} digests and ${v.logs.length} log files in ${((performance.now() - generated) / 1000).toFixed(1)} s`);
const paths = v.logs.map((l) => pathOf(v, l.key));

// Warm both paths once (file cache, JIT), then take the best of five interleaved runs of each (a shared machine is noisy).
await baseline(paths);
await validate(v.dir, keys);
const base: number[] = [];
const ours: number[] = [];
let inflatedBytes = 0;
for (let i = 0; i < 5; i++) {
  const b = await baseline(paths);
  base.push(b.ms);
  inflatedBytes = b.bytes;
  ours.push(await validate(v.dir, keys));
}
const bestBase = Math.min(...base);
const bestOurs = Math.min(...ours);
const ratio = bestBase / bestOurs;
const mb = inflatedBytes / 1e6;
console.log(`validate-logs: ${v.digests.length} digests, ${v.logs.length} log files (${mb.toFixed(0)} MB inflated)`);
console.log(`  baseline gunzip + SHA-256: ${bestBase.toFixed(0)} ms (${(mb / (bestBase / 1000)).toFixed(0)} MB/s)`);
console.log(`  trailproof validate-logs:  ${bestOurs.toFixed(0)} ms (${(mb / (bestOurs / 1000)).toFixed(0)} MB/s)`);
console.log(`  speed relative to baseline: ${(ratio * 100).toFixed(0)}% (target >= ${TARGET * 100}%): ${ratio >= TARGET ? 'MET' : 'MISSED'}`);
rmSync(v.dir, { recursive: true, force: true });
if (ratio < TARGET) process.exitCode = 1;
