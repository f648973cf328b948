// `npm run bench:scan`: generates a corpus of CloudTrail log files (BENCH_EVENTS, default 1,000,000 events of
// about 1.2 KB in gzip files of 2,000 records) and scans it with every built-in rule, each measurement in its
// own child process so its peak memory (maxRSS, worker threads included) is its own:
//   floor       read + gunzip + JSON.parse of every file, one thread: what no scan can beat
//   scan        the full pipeline as `trailproof scan` runs it, worker threads (one per core)
//   scan-1      the same in one thread (--workers 0), for the worker speed-up
//   scan-half   half the accounts (--accounts, the others pruned by key): memory must be flat in corpus size
// Targets on a 2-core machine: >= 300,000 events/s end to end, < 300 MB, flat in corpus size.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { defaultWorkers } from '../src/events/pipeline.js';
import { localLogs } from '../src/events/readers/local.js';
import type { ScanScope } from '../src/events/readers/types.js';
import { ruleSources } from '../src/events/rules.js';
import { scanEvents } from '../src/events/scan.js';
import { ACCOUNTS, writeCorpus, type Corpus } from './scan-corpus.js';

interface Measure {
  mode: string;
  events: number;
  ms: number;
  maxRssMb: number;
  detections?: number;
  files?: number;
  skipped?: number;
  workers?: number;
}

const TARGET_EVENTS_PER_S = 300_000;
const TARGET_RSS_MB = 300;

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json.gz'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function child(mode: string, dir: string, accounts: string | undefined): Promise<Measure> {
  const started = performance.now();
  if (mode === 'floor') {
    let events = 0;
    for (const file of filesBelow(dir)) {
      const doc = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { Records: unknown[] };
      events += doc.Records.length;
    }
    return { mode, events, ms: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  }
  const scope: ScanScope = { from: null, to: null, accounts: accounts === undefined ? [] : accounts.split(','), regions: [] };
  const rules = ruleSources({ builtin: true, dirs: [] });
  const workers = mode === 'scan-1' ? 0 : defaultWorkers();
  const { detections, stats } = await scanEvents([localLogs(dir, scope)], { rules: rules.sources, scope, workers });
  return {
    mode,
    events: stats.events,
    ms: performance.now() - started,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    detections: detections.length,
    files: stats.files,
    skipped: stats.filesSkipped,
    workers,
  };
}

function measure(mode: string, dir: string, accounts?: string[]): Measure {
  const args = [fileURLToPath(import.meta.url), '--child', mode, dir, ...(accounts === undefined ? [] : [accounts.join(',')])];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  if (run.status !== 0) throw new Error(`bench child ${mode} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Measure;
}

function rate(m: Measure): number {
  return Math.round(m.events / (m.ms / 1000));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    const result = await child(process.argv[3] ?? 'scan', process.argv[4] ?? '.', process.argv[5]);
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const events = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
  // BENCH_KEEP=DIR writes the corpus there (or reuses one already there) and keeps it, for repeated runs.
  const keep = process.env['BENCH_KEEP'];
  const dir = keep ?? (await mkdtemp(join(tmpdir(), 'trailproof-scan-bench-')));
  try {
    const t0 = performance.now();
    // The corpus's description sits beside the folder, not in it (the scan would read it as a loose file).
    const described = `${dir}.corpus.json`;
    const corpus = keep !== undefined && existsSync(described) ? (JSON.parse(readFileSync(described, 'utf8')) as Corpus) : await writeCorpus(dir, events);
    if (keep !== undefined) writeFileSync(described, JSON.stringify(corpus));
    console.log(`corpus: ${corpus.events.toLocaleString('en-US')} events in ${corpus.files} files, ${(corpus.bytes / 1024 / 1024).toFixed(0)} MB of JSON ` +
      `(${Math.round(corpus.bytes / corpus.events)} bytes/event), written in ${((performance.now() - t0) / 1000).toFixed(1)}s; ${availableParallelism()} cores`);
    const floor = measure('floor', dir);
    const scan = measure('scan', dir);
    const single = measure('scan-1', dir);
    const half = measure('scan-half', dir, ACCOUNTS.slice(0, ACCOUNTS.length / 2));
    const rows = [floor, scan, single, half].map((m) => [
      m.mode.padEnd(10),
      m.events.toLocaleString('en-US').padStart(10),
      `${(m.ms / 1000).toFixed(2)}s`.padStart(8),
      `${rate(m).toLocaleString('en-US')} ev/s`.padStart(16),
      `${m.maxRssMb.toFixed(0)} MB`.padStart(8),
      m.detections === undefined ? '' : `${m.detections} detections, ${m.workers === 0 ? 'one thread' : `${m.workers} workers`}`,
    ].join('  '));
    console.log(['mode        events      time      events/s         peak RSS', ...rows].join('\n'));
    const flat = Math.abs(scan.maxRssMb - half.maxRssMb) <= Math.max(40, 0.25 * half.maxRssMb);
    console.log(`scan vs floor: ${(rate(scan) / rate(floor)).toFixed(2)}x the read+gunzip+parse floor; workers vs one thread: ${(rate(scan) / rate(single)).toFixed(2)}x`);
    console.log(`target >= ${TARGET_EVENTS_PER_S.toLocaleString('en-US')} events/s end to end: ${rate(scan) >= TARGET_EVENTS_PER_S ? 'met' : 'NOT met'} (${rate(scan).toLocaleString('en-US')})`);
    console.log(`target < ${TARGET_RSS_MB} MB: ${scan.maxRssMb < TARGET_RSS_MB ? 'met' : 'NOT met'} (${scan.maxRssMb.toFixed(0)} MB)`);
    console.log(`memory flat in corpus size: ${flat ? 'yes' : 'NO'} (${half.events.toLocaleString('en-US')} events: ${half.maxRssMb.toFixed(0)} MB; ${scan.events.toLocaleString('en-US')} events: ${scan.maxRssMb.toFixed(0)} MB)`);
    if (scan.skipped !== 0) throw new Error(`the scan skipped ${scan.skipped} files of a clean corpus`);
  } finally {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
