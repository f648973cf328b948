// `npm run bench:scan`: generates a corpus of CloudTrail log files (BENCH_EVENTS, default 1,000,000 events of
// about 1.2 KB in gzip files of 2,000 records) and scans it with every built-in rule, each measurement in its
// own child process so its peak memory (maxRSS, worker threads included) is its own:
//   floor       read + gunzip + JSON.parse of every file, one thread: the plain path's own floor
//   gunzip      read + gunzip only, one thread: what any scan of the files must spend, whatever it parses
//   scan        the full pipeline as `trailproof scan` runs it: a worker thread per core but one, the main
//               thread processing files too when they are busy (pool.ts)
//   scan-1      the same in one thread (--workers 0): with `scan`, the events/s per processing thread and the
//               parallel efficiency (issue 18); every scan prints the main thread's busy fraction (its event
//               loop utilization during the scan) and, on Linux, its CPU time per event (the busy fraction
//               counts time the thread waits for a core as busy): what limits the scan beyond a few cores
//   scan-cores  a worker per core, the main thread only merging (the default before 2026-12-06), against `scan`
//   scan-wN     N worker threads (the main thread processing too when a core is left over)
//   scan-heap   the scan with a full collection on the main thread at each tenth of the files, and its live heap
//               then: flat when what the scan holds follows the event rate (peak RSS, above, hides a slow
//               growth under the workers' and the buffers' share: a correlation window that kept evicted
//               entries grew it 14 -> 125 MB over 4,000,000 events while the peak RSS of scan-half passed)
//   scan-half   the first half of the files by delivery time (hard links in a folder beside the corpus): the
//               same event rate over half the period, so memory must be the same: flat in corpus size
//   scan-accts  half the accounts (--accounts, the others pruned by key): half the event rate; what a scan
//               holds (the reorder window, the correlation windows) follows the rate, not the corpus size
//   plain       the scan with every record parsed (no prefilter): its detections must equal the scan's
//   scan-base   the scan without the rule files that hold a correlation (their base rules feed it alone): what
//               building, sending, ordering, journaling and correlating the correlation inputs cost (issue 18)
//   scan-reverse the same files with their delivery stamps reversed (hard links renamed in a folder beside
//               the corpus): the newest events are read first, nearly every correlation input arrives late
//               and the correlations are made exact from the journal; detections must equal the scan's
//   scan-random the stamps in a random (seeded) order: the same, with inputs late by any amount
//   duckdb      DuckDB's read_json over the same files (explicit columns, a filter and a count, 2 threads):
//               the scan's time is printed as a ratio to it, beside the floor's (issue 18)
//   small       floor, duckdb and scan over a second corpus of small files (one per account, region and five
//               minutes, SMALL_FILE_RECORDS records; BENCH_SMALL_EVENTS, default 200,000 events)
//   BENCH_GAP=N where the gap to DuckDB is: N interleaved rounds of duckdb-1, scan-warm, scan-1, duckdb and scan (both
//               corpora with `small`): the per-event work on one thread, warm, and what running cold on two
//               threads adds to each side (for the scan: V8 isolates that each start cold). Two children only it
//               runs (not BENCH_MODES): scan-warm, the scan on one thread measured on its second run in the
//               process (warm), and duckdb-1, DuckDB on one thread
//   BENCH_DUCKDB_ROUNDS=N  the ratio to DuckDB from N interleaved pairs (DuckDB, then the scan, over the same
//               files; both corpora with `small`): the median of the pairs' ratios, their range, and the
//               CPU-per-event ratio, with each side's spread: on a shared machine one pair can land anywhere
//   BENCH_BASELINE=DIR  before and after from the same run (issue 21): DIR is a built checkout of an earlier
//               commit (`git worktree add DIR <commit> && cd DIR && npm ci && npm run build`); its scan child and
//               this build's run in turn over the same files in delivery order, BENCH_ROUNDS times (default 5),
//               and the medians of wall time, CPU per event and peak memory are printed side by side, with the
//               spread of each build's own runs (the machine's noise)
// Targets on a 2-core machine: >= 300,000 events/s end to end, < 300 MB, flat in corpus size.
// BENCH_MODES=floor,scan runs only those measurements (while iterating); the machine's other load shows in
// the CPU time per event, which is steadier than the rate when the cores are shared.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { defaultWorkers } from '../src/events/pipeline.js';
import { localLogs } from '../src/events/readers/local.js';
import type { ScanScope } from '../src/events/readers/types.js';
import { ruleSources } from '../src/events/rules.js';
import { scanEvents } from '../src/events/scan.js';
import { ACCOUNTS, writeCorpus, type Corpus } from './scan-corpus.js';
import { exposedGc, median } from './stats.js';

interface Measure {
  mode: string;
  events: number;
  ms: number;
  maxRssMb: number;
  /** CPU time of the whole process (every thread), ms. */
  cpuMs: number;
  detections?: number;
  /** SHA-256 of the detections' JSON, to compare the scan with the plain path. */
  digest?: string;
  files?: number;
  skipped?: number;
  workers?: number;
  /** Correlation inputs that arrived late, and what the journal and its sorted runs took. */
  late?: number;
  journalMb?: number;
  runs?: number;
  /** The main thread's event loop utilization during the scan (0..1): its busy fraction. */
  mainBusy?: number;
  /** The main thread's own CPU time during the scan, ms (Linux: /proc/thread-self/stat; absent elsewhere). */
  mainCpuMs?: number;
  /** scan-heap: the main thread's live heap, MB, after a full collection at each tenth of the files. */
  liveMb?: number[];
}

const TARGET_EVENTS_PER_S = 300_000;
const EVENT_VERSION = Buffer.from('{"eventVersion":');
const TARGET_RSS_MB = 300;
/** Records per file of the second corpus: an account-region's five minutes when it is quiet. */
const SMALL_FILE_RECORDS = 50;

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json.gz'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** The delivery stamp in a CloudTrail log file's name (`..._20260914T0005Z_...`), which sorts in time order. */
function stamp(file: string): string {
  return /_(\d{8}T\d{4}Z)_/.exec(basename(file))?.[1] ?? '';
}

/** The corpus's files as hard links whose delivery stamps (name and day folder) are permuted: a file list in another order. */
function restamped(dir: string, order: 'reverse' | 'random'): string {
  const out = `${dir}.${order}`;
  rmSync(out, { recursive: true, force: true });
  const files = filesBelow(dir).sort((a, b) => stamp(a).localeCompare(stamp(b)) || a.localeCompare(b));
  const stamps = files.map(stamp);
  if (order === 'reverse') stamps.reverse();
  else {
    let seed = 20_261_206;
    for (let i = stamps.length - 1; i > 0; i--) {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      const j = seed % (i + 1);
      [stamps[i], stamps[j]] = [stamps[j] as string, stamps[i] as string];
    }
  }
  files.forEach((file, i) => {
    const to = stamps[i] as string;
    const parts = relative(dir, file).split('/');
    const name = (parts.pop() as string).replace(`_${stamp(file)}_`, `_${to}_`);
    // The day folder follows the stamp, as CloudTrail writes it: .../YYYY/MM/DD/<name>.
    parts.splice(-3, 3, to.slice(0, 4), to.slice(4, 6), to.slice(6, 8));
    const target = join(out, ...parts, name);
    mkdirSync(dirname(target), { recursive: true });
    linkSync(file, target);
  });
  return out;
}

/** A folder of hard links to the first half of the corpus's files by delivery time. */
function firstHalf(dir: string): string {
  const half = `${dir}.half`;
  rmSync(half, { recursive: true, force: true });
  const files = filesBelow(dir).sort((a, b) => stamp(a).localeCompare(stamp(b)) || a.localeCompare(b));
  for (const file of files.slice(0, Math.ceil(files.length / 2))) {
    const to = join(half, relative(dir, file));
    mkdirSync(dirname(to), { recursive: true });
    linkSync(file, to);
  }
  return half;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * This thread's CPU time, ms, where Linux tells it (/proc/thread-self/stat: utime and stime, in clock ticks of
 * 10 ms), else undefined. The event loop's busy fraction counts time the thread is runnable but not running as
 * busy, so on shared cores it overstates the main thread's work; its CPU time does not.
 */
function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * The columns DuckDB reads of each record (an explicit schema: nothing inferred): what the built-in rules and
 * the events table read, the request and response as JSON text.
 */
const DUCKDB_RECORD = `STRUCT(eventVersion VARCHAR, eventTime VARCHAR, eventSource VARCHAR, eventName VARCHAR, awsRegion VARCHAR,
  sourceIPAddress VARCHAR, userAgent VARCHAR, errorCode VARCHAR, errorMessage VARCHAR, eventID VARCHAR, readOnly BOOLEAN,
  recipientAccountId VARCHAR, userIdentity STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, userName VARCHAR),
  requestParameters JSON, responseElements JSON)`;

/** DuckDB's threads in the side-by-side measurement: the 2 cores issue 18 compares at. */
const DUCKDB_THREADS = 2;

type DuckDbModule = { DuckDBInstance: { create(path: string): Promise<{ connect(): Promise<{ runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>; run(sql: string): Promise<unknown> }> }> } };

/**
 * The optional @duckdb/node-api, null when it is missing. Loaded before the clock starts, as the scan's modules
 * are: loading its library took 150-190 ms, which counted as DuckDB's read before 2026-12-06 (and made the
 * ratio to it look better by that much, a sixth of the small files' read).
 */
async function loadDuckDb(): Promise<DuckDbModule | null> {
  try {
    return (await import('@duckdb/node-api')) as unknown as DuckDbModule;
  } catch {
    return null;
  }
}

/**
 * DuckDB's read_json over the same files (C++: inflate, parse into the columns, a filter and a count), from
 * opening a database on: the reference issue 18 states the scan's speed against.
 */
async function duckdbRead(mod: DuckDbModule, dir: string, threads = DUCKDB_THREADS): Promise<number> {
  const instance = await mod.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`SET threads = ${threads}`);
  const files = `'${dir.replace(/'/g, "''")}/**/*.json.gz'`;
  const reader = `read_json(${files}, columns = {Records: '${DUCKDB_RECORD.replace(/\s+/g, ' ')}[]'}, format = 'auto', compression = 'gzip', maximum_object_size = 268435456)`;
  // One pass: every record counted, and those a filter keeps (failed calls, a few risky actions, root).
  const filter = `r.errorCode IS NOT NULL OR r.eventName IN ('ConsoleLogin', 'DeleteTrail', 'StopLogging', 'GetSecretValue') OR r.userIdentity.type = 'Root'`;
  const rows = (await connection.runAndReadAll(`SELECT count(*), count(*) FILTER (WHERE ${filter}) FROM (SELECT unnest(Records) AS r FROM ${reader})`)).getRows();
  return Number((rows[0] as unknown[])[0]);
}

async function child(mode: string, dir: string, accounts: string | undefined): Promise<Measure> {
  // scan-heap samples at each tenth of the files: counted before the clock starts.
  const heapFiles = mode === 'scan-heap' ? filesBelow(dir).length : 0;
  const scope: ScanScope = { from: null, to: null, accounts: accounts === undefined ? [] : accounts.split(','), regions: [] };
  const all = ruleSources({ builtin: true, dirs: [] });
  // scan-warm: the same scan once before the clock starts, so the measured one runs warm (see gapToDuckDb).
  if (mode === 'scan-warm') await scanEvents([localLogs(dir, scope)], { rules: all.sources, scope, workers: 0 });
  const duckdb = mode === 'duckdb' || mode === 'duckdb-1' ? await loadDuckDb() : null;
  const started = performance.now();
  const cpuStarted = cpuMs();
  if (mode === 'duckdb' || mode === 'duckdb-1') {
    if (duckdb === null) return { mode, events: 0, ms: 0, cpuMs: 0, maxRssMb: 0 };
    const events = await duckdbRead(duckdb, dir, mode === 'duckdb-1' ? 1 : DUCKDB_THREADS);
    return { mode, events, ms: performance.now() - started, cpuMs: cpuMs() - cpuStarted, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  }
  if (mode === 'floor' || mode === 'gunzip') {
    let events = 0;
    for (const file of filesBelow(dir)) {
      const bytes = gunzipSync(readFileSync(file));
      // Counting the records without parsing them: every record begins with its eventVersion.
      if (mode === 'gunzip') for (let p = bytes.indexOf(EVENT_VERSION); p >= 0; p = bytes.indexOf(EVENT_VERSION, p + 1)) events++;
      else events += (JSON.parse(bytes.toString('utf8')) as { Records: unknown[] }).Records.length;
    }
    return { mode, events, ms: performance.now() - started, cpuMs: cpuMs() - cpuStarted, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  }
  const rules = mode === 'scan-base' ? { ...all, sources: all.sources.filter((s) => !/^correlation:/m.test(s.text)) } : all;
  const workers = mode === 'scan-1' || mode === 'scan-warm' ? 0 : mode === 'scan-cores' ? availableParallelism() : /^scan-w\d+$/.test(mode) ? Number(mode.slice('scan-w'.length)) : defaultWorkers();
  const spill = (stats: { late: number; spill: { journalBytes: number; runs: number } | null }): Pick<Measure, 'late' | 'journalMb' | 'runs'> => ({
    late: stats.late,
    journalMb: (stats.spill?.journalBytes ?? 0) / 1024 / 1024,
    runs: stats.spill?.runs ?? 0,
  });
  const loopBefore = performance.eventLoopUtilization();
  const threadBefore = threadCpuMs();
  const liveMb: number[] = [];
  const onProgress = mode === 'scan-heap' ? liveHeapSampler(heapFiles, liveMb) : undefined;
  const { detections, stats } = await scanEvents([localLogs(dir, scope)], { rules: rules.sources, scope, workers, prefilter: mode !== 'plain', ...(onProgress === undefined ? {} : { onProgress }) });
  const mainBusy = performance.eventLoopUtilization(loopBefore).utilization;
  const threadAfter = threadCpuMs();
  return {
    mode,
    events: stats.events,
    ms: performance.now() - started,
    cpuMs: cpuMs() - cpuStarted,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    detections: detections.length,
    digest: createHash('sha256').update(JSON.stringify(detections)).digest('hex'),
    files: stats.files,
    skipped: stats.filesSkipped,
    workers,
    mainBusy,
    ...(threadBefore === undefined || threadAfter === undefined ? {} : { mainCpuMs: threadAfter - threadBefore }),
    ...spill(stats),
    ...(mode === 'scan-heap' ? { liveMb } : {}),
  };
}

/** scan-heap's progress callback: a full collection and the live heap (MB, into `out`) at each tenth of `files`. */
function liveHeapSampler(files: number, out: number[]): (progress: { files: number }) => void {
  const gc = exposedGc();
  return (progress) => {
    while (out.length < 10 && progress.files >= ((out.length + 1) * files) / 10) {
      gc();
      out.push(process.memoryUsage().heapUsed / 1024 / 1024);
    }
  };
}

/** `script`: the bench to run the child of (another build's, for BENCH_BASELINE); this one by default. */
function measure(mode: string, dir: string, accounts?: string[], script = fileURLToPath(import.meta.url)): Measure {
  const args = [script, '--child', mode, dir, ...(accounts === undefined ? [] : [accounts.join(',')])];
  const run = spawnSync(process.execPath, args, { cwd: dirname(dirname(dirname(script))), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
  if (run.status !== 0) throw new Error(`bench child ${mode} of ${script} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Measure;
}

/** Microseconds of the process's CPU per event. */
function cpuPerEvent(m: Measure): number {
  return (m.cpuMs * 1000) / m.events;
}

/** How far a set of runs spreads: the slowest over the fastest, less one (the machine's noise). */
function spread(values: number[]): string {
  return `${((Math.max(...values) / Math.min(...values) - 1) * 100).toFixed(0)} %`;
}

/**
 * Issue 21's "not slower or larger in delivery order, before and after from the same run": an earlier build's
 * scan and this one's, in turn (so both see the same load on shared cores), `rounds` times each. Compared by
 * median; each build's spread (its slowest run over its fastest, less one) says how much a single run moves.
 */
function compareWithBaseline(baseline: string, dir: string, rounds: number): void {
  const script = join(baseline, 'dist', 'bench', 'scan.bench.js');
  if (!existsSync(script)) throw new Error(`BENCH_BASELINE: ${script} not found (build the baseline checkout first: npm run build)`);
  const runs: Record<'before' | 'after', Measure[]> = { before: [], after: [] };
  for (let i = 0; i < rounds; i++) {
    runs.before.push(measure('scan', dir, undefined, script));
    runs.after.push(measure('scan', dir));
  }
  const figures = (ms: Measure[]): { wall: number[]; cpu: number[]; rss: number[] } => ({
    wall: ms.map((m) => m.ms / 1000),
    cpu: ms.map(cpuPerEvent),
    rss: ms.map((m) => m.maxRssMb),
  });
  const before = figures(runs.before);
  const after = figures(runs.after);
  const line = (label: string, unit: string, digits: number, b: number[], a: number[]): string => {
    const mb = median(b);
    const ma = median(a);
    const change = (ma / mb - 1) * 100;
    return `  ${label.padEnd(14)} before ${mb.toFixed(digits)} ${unit} (spread ${spread(b)}), after ${ma.toFixed(digits)} ${unit} (spread ${spread(a)}): ${change >= 0 ? '+' : ''}${change.toFixed(1)} %`;
  };
  const detections = (ms: Measure[]): string => [...new Set(ms.map((m) => m.detections ?? 0))].join('/');
  console.log(
    [
      `before (${baseline}) and after (this build), ${rounds} runs each in turn, files in delivery order, medians:`,
      line('wall time', 's', 2, before.wall, after.wall),
      line('CPU per event', 'us', 2, before.cpu, after.cpu),
      line('peak memory', 'MB', 0, before.rss, after.rss),
      `  detections     before ${detections(runs.before)}, after ${detections(runs.after)}`,
    ].join('\n'),
  );
}

/**
 * Issue 18's ratio from `rounds` interleaved pairs (DuckDB's read, then the scan, over the same files): the
 * median of the pairs' wall-time ratios and their range, and the ratio of the medians of CPU per event, with
 * each side's spread. A single pair on a shared machine can land anywhere (one landed at 0.94x while
 * DuckDB's CPU per event was half as much again as its usual); the median of pairs is the figure to quote.
 */
function duckDbPairs(label: string, dir: string, rounds: number): string {
  const pairs: Array<{ duck: Measure; scan: Measure }> = [];
  for (let i = 0; i < rounds; i++) pairs.push({ duck: measure('duckdb', dir), scan: measure('scan', dir) });
  if (pairs.some((p) => p.duck.events === 0)) return `${label}: DuckDB not measured (the optional @duckdb/node-api is not installed)`;
  const ratios = pairs.map((p) => p.scan.ms / p.duck.ms);
  const duckWall = pairs.map((p) => p.duck.ms / 1000);
  const scanWall = pairs.map((p) => p.scan.ms / 1000);
  const ratio = median(ratios);
  const duckCpu = median(pairs.map((p) => cpuPerEvent(p.duck)));
  const scanCpu = median(pairs.map((p) => cpuPerEvent(p.scan)));
  return (
    `${label}, ${rounds} interleaved pairs: scan ${ratio.toFixed(2)}x DuckDB's time by the median of the pairs (range ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}); ` +
    `walls DuckDB ${median(duckWall).toFixed(2)} s (spread ${spread(duckWall)}), scan ${median(scanWall).toFixed(2)} s (spread ${spread(scanWall)}); ` +
    `CPU per event DuckDB ${duckCpu.toFixed(2)} us, scan ${scanCpu.toFixed(2)} us (${(scanCpu / duckCpu).toFixed(2)}x); ` +
    `target <= 1.00: ${ratio <= 1 ? 'met' : 'NOT met'}`
  );
}

/** Whether every run found the same detections. */
function sameDetections(a: Measure[], b: Measure[]): boolean {
  return new Set([...a, ...b].map((m) => m.digest)).size === 1;
}

/**
 * Where the gap to DuckDB is (issue 18), from `rounds` interleaved rounds of five children over the same files:
 * DuckDB on one thread, the scan on one thread run warm (its second scan in the process: the modules loaded,
 * the rules compiled and the hot code optimized by the first), the scan on one thread cold (scan-1), DuckDB on
 * two threads, and the scan as it runs (cold, two threads). The one-thread pair compares the per-event work;
 * what two threads run as they do add to it is each side's cost of running cold on two threads: for the scan,
 * two V8 isolates that each load the modules, compile the rules and warm their JIT up on the files (DuckDB's
 * C++ is compiled ahead of time, once for all its threads), and handing results between them.
 */
function gapToDuckDb(label: string, dir: string, rounds: number): string {
  const runs: Record<'duck1' | 'warm' | 'cold1' | 'duck' | 'scan', Measure[]> = { duck1: [], warm: [], cold1: [], duck: [], scan: [] };
  for (let i = 0; i < rounds; i++) {
    runs.duck1.push(measure('duckdb-1', dir));
    runs.warm.push(measure('scan-warm', dir));
    runs.cold1.push(measure('scan-1', dir));
    runs.duck.push(measure('duckdb', dir));
    runs.scan.push(measure('scan', dir));
  }
  if (runs.duck.some((m) => m.events === 0)) return `${label}: DuckDB not measured (the optional @duckdb/node-api is not installed)`;
  const cpu = (ms: Measure[]): number => median(ms.map(cpuPerEvent));
  const wall = (ms: Measure[]): string => `${median(ms.map((m) => m.ms / 1000)).toFixed(2)} s`;
  const [duck1, warm, cold1, duck, scan] = [cpu(runs.duck1), cpu(runs.warm), cpu(runs.cold1), cpu(runs.duck), cpu(runs.scan)];
  const us = (x: number): string => `${x.toFixed(2)} us`;
  const perRun = (x: number): string => `${Math.round((x * median(runs.scan.map((m) => m.events))) / 1000)} ms`;
  return [
    `${label}, where the gap is (${rounds} interleaved rounds, medians of CPU per event and wall time):`,
    `  one thread, the scan warm: scan ${us(warm)}, DuckDB ${us(duck1)} (${(warm / duck1).toFixed(2)}x); walls ${wall(runs.warm)} and ${wall(runs.duck1)}`,
    `  ${DUCKDB_THREADS} threads, as they run: scan ${us(scan)}, DuckDB ${us(duck)} (${(scan / duck).toFixed(2)}x); walls ${wall(runs.scan)} and ${wall(runs.duck)}`,
    `  running cold on ${DUCKDB_THREADS} threads adds: scan ${us(scan - warm)} per event (${(((scan - warm) / warm) * 100).toFixed(0)} %, ${perRun(scan - warm)} of CPU); DuckDB's second thread ${us(duck - duck1)} (${(((duck - duck1) / duck1) * 100).toFixed(0)} %)`,
    `    of the scan's: its one thread starting cold (scan-1 against scan-warm: the modules' code run before it is optimized, the hot code compiled, the heap grown) ${us(cold1 - warm)} (${perRun(cold1 - warm)}); ` +
      `the second thread (another isolate that starts cold, results between the threads, two threads on the caches) ${us(scan - cold1)} (${perRun(scan - cold1)})`,
    // scan - duck = (warm - duck1) + ((scan - warm) - (duck - duck1)): the gap, split exactly.
    `  so of the scan's ${us(scan - duck)} per event beyond DuckDB's, the per-event work is ${us(warm - duck1)} and running cold on ${DUCKDB_THREADS} threads ${us(scan - warm - (duck - duck1))} more than DuckDB's`,
    `  detections of the warm scan and scan-1 ${sameDetections([...runs.warm, ...runs.cold1], runs.scan) ? 'the same as the scan\'s' : 'NOT the same as the scan\'s'}`,
  ].join('\n');
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
    const modes = new Set((process.env['BENCH_MODES'] ?? 'floor,gunzip,duckdb,scan,scan-base,scan-1,scan-cores,scan-half,scan-heap,scan-accts,plain,scan-reverse,scan-random,small').split(','));
    const run = (mode: string, accounts?: string[], where = dir): Measure | undefined => (modes.has(mode) ? measure(mode, where, accounts) : undefined);
    const floor = run('floor');
    const inflate = run('gunzip');
    const duck = run('duckdb');
    const scan = run('scan');
    const base = run('scan-base');
    const single = run('scan-1');
    const perCore = run('scan-cores');
    const halfDir = modes.has('scan-half') ? firstHalf(dir) : dir;
    const half = run('scan-half', undefined, halfDir);
    if (halfDir !== dir) rmSync(halfDir, { recursive: true, force: true });
    const heap = run('scan-heap');
    const accts = run('scan-accts', ACCOUNTS.slice(0, ACCOUNTS.length / 2));
    const plain = run('plain');
    const reordered = (['reverse', 'random'] as const).map((order) => {
      if (!modes.has(`scan-${order}`)) return undefined;
      const where = restamped(dir, order);
      try {
        return run(`scan-${order}`, undefined, where);
      } finally {
        rmSync(where, { recursive: true, force: true });
      }
    });
    const [reverse, random] = reordered;
    // The second corpus: small files as CloudTrail writes them for a quiet account (one per account, region
    // and five minutes, SMALL_FILE_RECORDS records each): the per-file costs (open, inflate, messages) weigh more.
    let small: { floor: Measure; duck: Measure; scan: Measure; files: number } | undefined;
    const duckRounds = Number(process.env['BENCH_DUCKDB_ROUNDS'] ?? 0);
    let smallPairs: string | undefined;
    const gapRounds = Number(process.env['BENCH_GAP'] ?? 0);
    let smallGap: string | undefined;
    if (modes.has('small')) {
      const smallDir = `${dir}.small`;
      const smallEvents = Number(process.env['BENCH_SMALL_EVENTS'] ?? Math.min(events, 200_000));
      const smallDescribed = `${smallDir}.corpus.json`;
      const smallCorpus = keep !== undefined && existsSync(smallDescribed) ? (JSON.parse(readFileSync(smallDescribed, 'utf8')) as Corpus) : await writeCorpus(smallDir, smallEvents, SMALL_FILE_RECORDS);
      if (keep !== undefined) writeFileSync(smallDescribed, JSON.stringify(smallCorpus));
      try {
        small = { floor: { ...measure('floor', smallDir), mode: 'small-floor' }, duck: { ...measure('duckdb', smallDir), mode: 'small-duckdb' }, scan: { ...measure('scan', smallDir), mode: 'small-scan' }, files: smallCorpus.files };
        if (duckRounds > 0) smallPairs = duckDbPairs(`small files vs DuckDB`, smallDir, duckRounds);
        if (gapRounds > 0) smallGap = gapToDuckDb('small files', smallDir, gapRounds);
      } finally {
        if (keep === undefined) rmSync(smallDir, { recursive: true, force: true });
      }
    }
    const measured = [floor, inflate, duck, scan, base, single, perCore, half, heap, accts, plain, reverse, random, small?.floor, small?.duck, small?.scan].filter((m): m is Measure => m !== undefined && m.events > 0);
    const rows = measured.map((m) => [
      m.mode.padEnd(10),
      m.events.toLocaleString('en-US').padStart(10),
      `${(m.ms / 1000).toFixed(2)}s`.padStart(8),
      `${rate(m).toLocaleString('en-US')} ev/s`.padStart(16),
      `${cpuPerEvent(m).toFixed(2)} us`.padStart(9),
      `${m.maxRssMb.toFixed(0)} MB`.padStart(8),
      m.detections === undefined ? '' : `${m.detections} detections, ${m.workers === 0 ? 'one thread' : `${m.workers} worker${m.workers === 1 ? '' : 's'}`}`,
      m.late === undefined ? '' : `; ${m.late.toLocaleString('en-US')} late inputs, journal ${(m.journalMb ?? 0).toFixed(0)} MB, ${m.runs ?? 0} sorted runs`,
      m.mainBusy === undefined ? '' : `; main thread busy ${(m.mainBusy * 100).toFixed(0)} %`,
      m.mainCpuMs === undefined ? '' : `, its CPU ${((m.mainCpuMs * 1000) / m.events).toFixed(2)} us/event`,
    ].join('  '));
    console.log(['mode        events      time      events/s  CPU/event  peak RSS', ...rows].join('\n'));
    if (floor !== undefined && scan !== undefined) {
      console.log(`scan vs floor: ${(rate(scan) / rate(floor)).toFixed(2)}x the read+gunzip+parse floor's rate, its CPU per event ${(cpuPerEvent(scan) / cpuPerEvent(floor)).toFixed(2)}x the floor's` +
        (single === undefined ? '' : `; workers vs one thread: ${(rate(scan) / rate(single)).toFixed(2)}x`));
    }
    // Issue 18 item 3: what a processing thread adds. The scan's processing threads are its workers, and the main
    // thread when a core is left over for it (pool.ts); per thread at 1 (scan-1) and at the default, and the
    // efficiency (N threads' rate over N times one thread's); the main thread's busy fraction says how far it is
    // from limiting.
    const threads = (m: Measure): number => (m.workers ?? 0) + ((m.workers ?? 0) < availableParallelism() ? 1 : 0);
    if (single !== undefined && scan !== undefined && threads(scan) > 1) {
      const n = threads(scan);
      // On cores shared with other work the rates follow the machine's load; the CPU per event does not: its
      // ratio is the efficiency the threads would reach on idle cores, as long as the main thread keeps up.
      console.log(`per processing thread: ${rate(single).toLocaleString('en-US')} events/s on one, ${Math.round(rate(scan) / n).toLocaleString('en-US')} at ${n} (${scan.workers ?? 0} worker${scan.workers === 1 ? "" : "s"} and the main thread); ` +
        `parallel efficiency ${((rate(scan) / (n * rate(single))) * 100).toFixed(0)} % by rate, ${((cpuPerEvent(single) / cpuPerEvent(scan)) * 100).toFixed(0)} % by CPU per event ` +
        `(${cpuPerEvent(single).toFixed(2)} us on one, ${cpuPerEvent(scan).toFixed(2)} at ${n}); main thread busy ${((scan.mainBusy ?? 0) * 100).toFixed(0)} % at ${n}`);
      // The main thread's CPU per event against the rest of the process's.
      if (scan.mainCpuMs !== undefined) {
        const main = (scan.mainCpuMs * 1000) / scan.events;
        console.log(`main thread CPU ${main.toFixed(2)} us/event at ${n} threads (merging, and processing files when the workers are busy), the rest of the process ${(cpuPerEvent(scan) - main).toFixed(2)} (workers and V8's helper threads)`);
      }
    }
    if (perCore !== undefined && scan !== undefined) {
      const main = perCore.mainCpuMs === undefined ? '' : `, the main thread's CPU ${((perCore.mainCpuMs * 1000) / perCore.events).toFixed(2)} us/event (merging only): on idle cores it keeps up with about ${((perCore.cpuMs - perCore.mainCpuMs) / perCore.mainCpuMs).toFixed(1)} cores of worker work`;
      console.log(`a worker per core (${perCore.workers ?? 0}, the main thread merging only): ${(perCore.ms / 1000).toFixed(2)} s, ${cpuPerEvent(perCore).toFixed(2)} us/event${main}; the default takes ${(scan.ms / perCore.ms).toFixed(2)}x its time`);
    }
    // Issue 18's yardstick: the scan's wall time as a ratio to DuckDB's read_json of the same files (2 threads), beside the one-thread Node floor's.
    const versusDuck = (label: string, d: Measure | undefined, sc: Measure | undefined, fl: Measure | undefined): void => {
      if (d === undefined || sc === undefined) return;
      if (d.events === 0) {
        console.log(`${label}: DuckDB not measured (the optional @duckdb/node-api is not installed)`);
        return;
      }
      const ratio = (m: Measure): string => (m.ms / d.ms).toFixed(2);
      console.log(`${label}: scan ${ratio(sc)}x DuckDB read_json's time (${DUCKDB_THREADS} threads, ${(d.ms / 1000).toFixed(2)}s, ${d.maxRssMb.toFixed(0)} MB)` +
        (fl === undefined ? '' : `, the Node floor ${ratio(fl)}x`) + `; peak memory scan ${sc.maxRssMb.toFixed(0)} MB; target <= 1.00: ${sc.ms <= d.ms ? 'met' : 'NOT met'}`);
    };
    versusDuck('vs DuckDB', duck, scan, floor);
    if (base !== undefined && scan !== undefined && duck !== undefined && duck.events > 0) {
      // What the correlations cost: the scan without the rule files that hold one, beside the whole scan and DuckDB.
      console.log(`without the correlation rules: ${(base.ms / duck.ms).toFixed(2)}x DuckDB's time, ${cpuPerEvent(base).toFixed(2)} us/event, ${base.maxRssMb.toFixed(0)} MB: ` +
        `the correlations cost ${(cpuPerEvent(scan) - cpuPerEvent(base)).toFixed(2)} us/event of CPU and ${(scan.maxRssMb - base.maxRssMb).toFixed(0)} MB here (their inputs built, packed, sent, ordered, journaled and correlated)`);
    }
    const baseline = process.env['BENCH_BASELINE'];
    if (baseline !== undefined) compareWithBaseline(baseline, dir, Number(process.env['BENCH_ROUNDS'] ?? 5));
    if (small !== undefined) versusDuck(`small files (${small.files} files of ${SMALL_FILE_RECORDS} records) vs DuckDB`, small.duck, small.scan, small.floor);
    if (duckRounds > 0) console.log(duckDbPairs('vs DuckDB', dir, duckRounds));
    if (smallPairs !== undefined) console.log(smallPairs);
    if (gapRounds > 0) console.log(gapToDuckDb('bench corpus', dir, gapRounds));
    if (smallGap !== undefined) console.log(smallGap);
    if (inflate !== undefined) {
      // The CPU a second of the target allows per event on this machine's cores, beside what inflating alone takes.
      const budget = (availableParallelism() * 1e6) / TARGET_EVENTS_PER_S;
      console.log(`CPU budget of the target on ${availableParallelism()} cores: ${budget.toFixed(2)} us per event; reading and gunzip alone take ${((inflate.cpuMs * 1000) / inflate.events).toFixed(2)} us`);
    }
    if (scan !== undefined) {
      console.log(`target >= ${TARGET_EVENTS_PER_S.toLocaleString('en-US')} events/s end to end: ${rate(scan) >= TARGET_EVENTS_PER_S ? 'met' : 'NOT met'} (${rate(scan).toLocaleString('en-US')})`);
      console.log(`target < ${TARGET_RSS_MB} MB: ${scan.maxRssMb < TARGET_RSS_MB ? 'met' : 'NOT met'} (${scan.maxRssMb.toFixed(0)} MB)`);
      if (scan.skipped !== 0) throw new Error(`the scan skipped ${scan.skipped} files of a clean corpus`);
    }
    if (scan !== undefined && half !== undefined) {
      const flat = Math.abs(scan.maxRssMb - half.maxRssMb) <= Math.max(40, 0.25 * half.maxRssMb);
      console.log(`memory flat in corpus size: ${flat ? 'yes' : 'NO'} (first half of the files, ${half.events.toLocaleString('en-US')} events: ${half.maxRssMb.toFixed(0)} MB; all, ${scan.events.toLocaleString('en-US')} events: ${scan.maxRssMb.toFixed(0)} MB)`);
    }
    if (heap?.liveMb !== undefined && heap.liveMb.length < 10) {
      // Files the walk refuses or prunes are listed by filesBelow but never reach the progress callback.
      console.log(`main thread's live heap flat in corpus size: not measured (${heap.liveMb.length} of 10 samples: some files were not scanned)`);
    } else if (heap?.liveMb !== undefined) {
      // The detections themselves grow with the corpus (a few MB here): a little slack over the half-way heap.
      const [half, end] = [heap.liveMb[4] as number, heap.liveMb[9] as number];
      const flat = end <= half * 1.25 + 4;
      console.log(`main thread's live heap flat in corpus size: ${flat ? 'yes' : 'NO'} (after a full collection at each tenth of the files: ${heap.liveMb.map((mb) => mb.toFixed(0)).join(', ')} MB)`);
    }
    if (scan !== undefined && accts !== undefined) {
      console.log(`half the accounts (half the event rate), ${accts.events.toLocaleString('en-US')} events: ${accts.maxRssMb.toFixed(0)} MB`);
    }
    for (const other of [single, perCore, plain, reverse, random]) {
      if (scan === undefined || other === undefined) continue;
      const same = other.digest === scan.digest;
      console.log(`detections of ${other.mode} equal the scan's: ${same ? 'yes' : 'NO'} (${other.detections ?? 0} and ${scan.detections ?? 0})`);
      if (!same) throw new Error(`the ${other.mode} run found other detections than the scan`);
    }
  } finally {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
