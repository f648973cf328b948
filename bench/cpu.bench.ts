// `npm run bench:cpu`: where the scan's CPU goes on every thread, beside DuckDB's read of the same files (issue 18).
// --cpu-prof sees only the threads that run JavaScript; V8 compiles optimized code and marks and sweeps the heap
// on helper threads it cannot see. Linux perf samples every thread of the process, so this runs bench:scan's
// `scan` and `duckdb` children under `perf record` (node --perf-basic-prof writes the map that names the JIT's
// frames), in turn, BENCH_ROUNDS times (default 3), and splits the samples by what the code is: JavaScript,
// the kernel, V8's JSON parser, its compiler and its garbage collector, zlib's inflate and CRC-32, indexOf's text
// search, string hashing, DuckDB. The medians per category say what the scan spends beyond DuckDB's whole read,
// and on what. Each sample counts for the function it was taken in (no call stacks): a copy or a page fault made
// for the compiler or the collector counts as "other" or "kernel", so V8's figures are lower bounds.
//   BENCH_CPU_WARM=1  also the per-event work without the cold start, one thread each: the scan's warm pass (the
//                   scan-warm child, a cold scan then a warm one, less the scan-1 child, the cold scan alone)
//                   against DuckDB on one thread, and the share of the warm pass in native code at its floor
//   BENCH_KEEP=DIR  the corpus bench:scan kept there (and DIR.small, the small files, when present); without it
//                   a corpus of BENCH_EVENTS (default 1,000,000) events is written to a temporary folder
// Needs perf (Debian: apt-get install linux-perf), the rights to use it, and the optional @duckdb/node-api.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './scan-corpus.js';
import { median } from './stats.js';

/**
 * What a sampled symbol is, tried in order: JavaScript first (a function's name may say "inflate" or "Json"),
 * then the kernel (its crc32c is not zlib's), then V8's JSON parser (whose names would read as the compiler's).
 */
const CATEGORIES: ReadonlyArray<readonly [string, RegExp]> = [
  ['JavaScript and V8 builtins', /\[JIT\]|(^|\s)JS:|Builtins_|Builtin:/],
  ['kernel', /\[k\]/],
  ['JSON.parse', /JsonParser/],
  ['V8 compiling JS', /compiler::|[Tt]urboshaft|maglev::|OptimizedCompilationJob|PipelineCompilationJob|RegisterAllocat|interpreter::|BytecodeGenerator|internal::Parser|ParserBase|internal::Scanner|PreParser|AstNode|internal::Zone/],
  ['V8 garbage collector', /Scaveng|Marking|Sweep|MarkCompact|Evacuat|RememberedSet|SlotSet|HeapObject::SizeFromMap|ArrayBufferSweeper|PagedSpace|FreeList|MemoryAllocator|GCTracer|internal::Heap::|LocalHeap|MainAllocator|PointersUpdat/],
  ['zlib inflate', /inflate|adler32/],
  ['zlib CRC-32', /crc32/],
  ['text search (indexOf)', /memchr|StringSearch|StringIndexOf/],
  ['string hashing', /StringTable|InternalizeString|ComputeAndSetRawHash|StringHasher/],
  ['DuckDB', /duckdb/i],
];
const OTHER = 'other (Node, libc, V8 runtime)';
const ORDER = [...CATEGORIES.map(([name]) => name), OTHER];
/** perf record's sampling rate, per CPU. */
const HZ = 999;

interface Sampled {
  /** Wall time of the child's work, ms (its own measure, perf's start-up excluded). */
  wallMs: number;
  /** CPU ms per category, every thread. */
  cpu: Map<string, number>;
}

function categoryOf(symbolLine: string): string {
  for (const [name, test] of CATEGORIES) if (test.test(symbolLine)) return name;
  return OTHER;
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error !== undefined) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.slice(0, 3).join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  return result.stdout;
}

/** The symbol maps --perf-basic-prof writes, by file name. */
function perfMaps(): string[] {
  try {
    return readdirSync('/tmp').filter((name) => /^perf-\d+\.map$/.test(name));
  } catch {
    return [];
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sample(script: string, mode: string, dir: string, work: string): Sampled {
  const data = join(work, 'perf.data');
  const before = new Set(perfMaps());
  try {
    // --perf-basic-prof turns V8's log on too: into the work folder, not isolate-*.log files in the current one.
    const v8Log = [`--logfile=${join(work, 'v8.log')}`, '--no-logfile-per-isolate'];
    const out = run('perf', ['record', '-q', '-F', String(HZ), '-o', data, '--', process.execPath, '--perf-basic-prof', ...v8Log, script, '--child', mode, dir]);
    const measure = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { ms: number; events: number };
    if (!(measure.events > 0)) throw new Error(`the ${mode} child read no events from ${dir}${mode === 'duckdb' ? ' (is the optional @duckdb/node-api installed?)' : ''}`);
    // The report names the JIT's frames from the child's symbol map, so the map goes only after it.
    const report = run('perf', ['report', '-i', data, '--no-children', '-g', 'none', '--sort', 'sym,dso', '--stdio', '-F', 'sample,sym,dso']);
    const cpu = new Map<string, number>();
    for (const line of report.split('\n')) {
      const m = /^\s*(\d+)\s+(.*)$/.exec(line);
      if (m === null) continue;
      const category = categoryOf(m[2] as string);
      cpu.set(category, (cpu.get(category) ?? 0) + (Number(m[1]) * 1000) / HZ);
    }
    return { wallMs: measure.ms, cpu };
  } finally {
    rmSync(data, { force: true });
    // The child's map, however it ended: a new map whose process is gone (another running process keeps its own).
    for (const name of perfMaps()) {
      if (before.has(name) || running(Number(name.slice('perf-'.length, -'.map'.length)))) continue;
      rmSync(join('/tmp', name), { force: true });
    }
  }
}

function total(s: Sampled): number {
  let sum = 0;
  for (const ms of s.cpu.values()) sum += ms;
  return sum;
}

function report(label: string, scans: Sampled[], ducks: Sampled[]): void {
  const med = (runs: Sampled[], category: string): number => median(runs.map((s) => s.cpu.get(category) ?? 0));
  const scanTotal = median(scans.map(total));
  const duckTotal = median(ducks.map(total));
  const scanWall = median(scans.map((s) => s.wallMs));
  const duckWall = median(ducks.map((s) => s.wallMs));
  console.log(`\n${label}: ${scans.length} runs each under perf, medians (perf's sampling slows both a little)`);
  console.log(`  ${'CPU, ms'.padEnd(34)}${'scan'.padStart(8)}${'DuckDB'.padStart(8)}${'scan - DuckDB'.padStart(15)}`);
  for (const category of ORDER) {
    const a = med(scans, category);
    const b = med(ducks, category);
    if (a < 1 && b < 1) continue;
    console.log(`  ${category.padEnd(34)}${a.toFixed(0).padStart(8)}${b.toFixed(0).padStart(8)}${(a - b).toFixed(0).padStart(15)}`);
  }
  console.log(`  ${'all threads'.padEnd(34)}${scanTotal.toFixed(0).padStart(8)}${duckTotal.toFixed(0).padStart(8)}${(scanTotal - duckTotal).toFixed(0).padStart(15)}`);
  console.log(`  ${'wall time'.padEnd(34)}${scanWall.toFixed(0).padStart(8)}${duckWall.toFixed(0).padStart(8)}   ratio ${(scanWall / duckWall).toFixed(2)}`);
  const v8 = (runs: Sampled[]): number => median(runs.map((s) => (s.cpu.get('V8 compiling JS') ?? 0) + (s.cpu.get('V8 garbage collector') ?? 0)));
  const own = (runs: Sampled[]): number => median(runs.map((s) => total(s) - (s.cpu.get('V8 compiling JS') ?? 0) - (s.cpu.get('V8 garbage collector') ?? 0)));
  console.log(
    `  the scan's CPU beyond DuckDB's: ${(scanTotal - duckTotal).toFixed(0)} ms; V8 compiling and collecting, beyond what DuckDB's Node host spends on them: ${(v8(scans) - v8(ducks)).toFixed(0)} ms. ` +
      `Without V8's compiling and collecting on either side, the scan's CPU is ${((own(scans) / own(ducks)) * 100).toFixed(0)} % of DuckDB's.`,
  );
}

/**
 * A warm pass's CPU by category: the scan-warm child (a cold scan on one thread, then a warm one) less the
 * scan-1 child (the cold scan alone), round by round; its wall time is the warm scan's own (the child times it).
 */
function warmPass(warm: Sampled, cold: Sampled): Sampled {
  const cpu = new Map<string, number>();
  for (const category of ORDER) cpu.set(category, Math.max(0, (warm.cpu.get(category) ?? 0) - (cold.cpu.get(category) ?? 0)));
  return { wallMs: warm.wallMs, cpu };
}

/** Code that is native and at its floor in any reader: the JSON parser, zlib, the text search, the kernel's reads. */
const NATIVE = ['JSON.parse', 'zlib inflate', 'zlib CRC-32', 'text search (indexOf)', 'kernel'];

function nativeShare(label: string, runs: Sampled[]): void {
  const share = median(runs.map((s) => NATIVE.reduce((sum, c) => sum + (s.cpu.get(c) ?? 0), 0) / total(s)));
  console.log(`  ${label}: ${NATIVE.join(', ')}: ${(share * 100).toFixed(0)} % of its CPU`);
}

async function main(): Promise<void> {
  const probe = spawnSync('perf', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    console.error('bench:cpu needs Linux perf: install it (Debian: apt-get install linux-perf) and run again.');
    process.exitCode = 1;
    return;
  }
  const script = join(dirname(fileURLToPath(import.meta.url)), 'scan.bench.js');
  const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
  const keep = process.env['BENCH_KEEP'];
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'trailproof-cpu-bench-'));
  const work = mkdtempSync(join(tmpdir(), 'trailproof-perf-'));
  try {
    if (keep === undefined) await writeCorpus(dir, Number(process.env['BENCH_EVENTS'] ?? 1_000_000));
    const corpora = [dir, `${dir}.small`].filter((d) => existsSync(d));
    for (const corpus of corpora) {
      const scans: Sampled[] = [];
      const ducks: Sampled[] = [];
      // In turn, so both see the same load on shared cores.
      for (let round = 0; round < rounds; round++) {
        ducks.push(sample(script, 'duckdb', corpus, work));
        scans.push(sample(script, 'scan', corpus, work));
      }
      const described = `${corpus}.corpus.json`;
      const events = existsSync(described) ? (JSON.parse(readFileSync(described, 'utf8')) as { events: number; files: number }) : null;
      const label = `${corpus}${events === null ? '' : ` (${events.events.toLocaleString('en-US')} events in ${events.files.toLocaleString('en-US')} files)`}`;
      report(label, scans, ducks);
      if (process.env['BENCH_CPU_WARM'] !== undefined) {
        // Issue 18: the per-event work without the cold start, one thread each (bench:scan's BENCH_GAP, by category).
        const passes: Sampled[] = [];
        const duck1s: Sampled[] = [];
        for (let round = 0; round < rounds; round++) {
          duck1s.push(sample(script, 'duckdb-1', corpus, work));
          passes.push(warmPass(sample(script, 'scan-warm', corpus, work), sample(script, 'scan-1', corpus, work)));
        }
        report(`${label}, one thread each: the scan's warm pass (scan-warm less scan-1) against DuckDB on one thread`, passes, duck1s);
        nativeShare("the scan's warm pass", passes);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
