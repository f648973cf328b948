// `npm run bench:hostile`: the real CLI, in a child process per input, over every hostile case of
// bench/hostile/ (hand-written ones for every attack issue 13 lists, and fast-check draws over every parser
// of untrusted input). Prints the figure the project tracks: inputs tried, crashes, hangs, silent passes,
// reads outside the evidence, memory blow-ups; all but the first must be 0, and the command exits 1 otherwise.
//   crash    an exit code outside CONTRACT's 0-3, a signal, "internal error" or a stack trace on stderr;
//   hang     not finished within HOSTILE_TIMEOUT_S (default 60 s), then killed;
//   silent   the case's own verdict check failed (a tampering that left a PASS, a result the bad input hid);
//   outside  the canary's marker or SHA-256 (a file beside every evidence root) appears in any output;
//   memory   peak RSS above HOSTILE_MAX_RSS_MB (default 1024), measured with /usr/bin/time when present.
// HOSTILE_RUNS (default 8) sets how many inputs each fuzz family draws; HOSTILE_ONLY a substring of case names.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { FIXED_CASES, type Case, type CaseContext, type Outcome } from './hostile/cases.js';
import { CANARY_MARKER, newSigningKey, record, sha256Hex } from './hostile/fixtures.js';
import { fuzzCases } from './hostile/fuzz.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'trailproof.js');
const TIMEOUT_S = Number(process.env.HOSTILE_TIMEOUT_S ?? 60);
const MAX_RSS_MB = Number(process.env.HOSTILE_MAX_RSS_MB ?? 1024);
const RUNS = Number(process.env.HOSTILE_RUNS ?? 8);
const PARALLEL = 2;
const OUTPUT_CAP = 8 * 1024 * 1024;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

type Verdict = 'ok' | 'crash' | 'hang' | 'silent' | 'outside' | 'memory';

interface Row {
  name: string;
  verdicts: Verdict[];
  exit: number | null;
  seconds: number;
  rssMb: number | undefined;
  why: string[];
}

function readOutputs(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && statSync(p).size < OUTPUT_CAP) out.set(e.name, readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

function run(args: string[], cwd: string): Promise<{ outcome: Outcome; seconds: number; timedOut: boolean; signal: string | null; rssMb: number | undefined }> {
  const rssFile = join(cwd, '.rss');
  const [cmd, argv] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]];
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    // Its own process group, so a hang is killed whole (/usr/bin/time and the CLI under it).
    const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, CI: '', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { if (stdout.length < OUTPUT_CAP) stdout += c.toString('latin1'); });
    child.stderr.on('data', (c: Buffer) => { if (stderr.length < OUTPUT_CAP) stderr += c.toString('latin1'); });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, TIMEOUT_S * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let rssMb: number | undefined;
      try {
        const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
        if (Number.isFinite(kb)) rssMb = Math.round(kb / 1024);
      } catch {
        rssMb = undefined;
      }
      // /usr/bin/time reports a child killed by a signal as "Command terminated by signal N" and exits 128+N.
      const signalled = signal ?? (/terminated by signal/.test(stderr) ? 'signal' : null);
      resolve({ outcome: { exit: code, stdout, stderr, outputs: readOutputs(join(cwd, 'out')) }, seconds, timedOut, signal: signalled, rssMb });
    });
  });
}

function judge(c: Case, ctx: CaseContext, canaryHashes: string[], work: string): Promise<Row> {
  let invocation;
  try {
    invocation = c.build(work, ctx);
  } catch (err) {
    return Promise.resolve({ name: c.name, verdicts: ['crash'], exit: null, seconds: 0, rssMb: undefined, why: [`the bench could not build the case: ${String(err)}`] });
  }
  return run(invocation.args, work).then(({ outcome, seconds, timedOut, signal, rssMb }) => {
    const verdicts: Verdict[] = [];
    const why: string[] = [];
    const stderrHead = outcome.stderr.split('\n').filter((l) => l.trim() !== '').slice(0, 2).join(' | ').slice(0, 240);
    if (timedOut) {
      verdicts.push('hang');
      why.push(`killed after ${TIMEOUT_S} s`);
    } else if (signal !== null || outcome.exit === null || outcome.exit < 0 || outcome.exit > 3 || /internal error/.test(outcome.stderr) || /^\s+at .+:\d+:\d+\)?$/m.test(outcome.stderr)) {
      verdicts.push('crash');
      why.push(`exit ${outcome.exit}${signal ? ` (${signal})` : ''}: ${stderrHead}`);
    }
    const everything = [outcome.stdout, outcome.stderr, ...outcome.outputs.values()].join('\n');
    if (everything.includes(CANARY_MARKER) || canaryHashes.some((h) => everything.includes(h))) {
      verdicts.push('outside');
      why.push('the canary outside the evidence shows in an output');
    }
    if (!timedOut) {
      const silent = invocation.silentPass?.(outcome);
      if (silent !== undefined) {
        verdicts.push('silent');
        why.push(silent);
      }
    }
    if (rssMb !== undefined && rssMb > MAX_RSS_MB) {
      verdicts.push('memory');
      why.push(`peak RSS ${rssMb} MB`);
    }
    if (verdicts.length === 0) verdicts.push('ok');
    return { name: c.name, verdicts, exit: outcome.exit, seconds, rssMb, why: why.length > 0 ? why : [stderrHead] };
  });
}

async function mainBench(): Promise<number> {
  const base = mkdtempSync(join(tmpdir(), 'trailproof-hostile-'));
  // The canary sits beside every case's folder: `../../canary.json.gz` from a bundle's logs/ reaches it.
  const canaryJson = Buffer.from(JSON.stringify({ IsLogging: true, Canary: CANARY_MARKER }));
  const canaryGzInflated = Buffer.from(JSON.stringify({ Records: [record('DeleteBucket', new Date('2026-09-30T21:00:00Z'), { userAgent: CANARY_MARKER, eventID: CANARY_MARKER })] }));
  const canaryGz = gzipSync(canaryGzInflated);
  const only = process.env.HOSTILE_ONLY;
  const cases = [...FIXED_CASES, ...fuzzCases(RUNS)].filter((c) => only === undefined || c.name.includes(only));
  const ctx: CaseContext = { canary: { gzPath: '', jsonPath: '' }, key: newSigningKey() };
  const canaryHashes = [sha256Hex(canaryJson), sha256Hex(canaryGz), sha256Hex(canaryGzInflated)];
  process.stderr.write(`bench:hostile: ${cases.length} inputs, ${PARALLEL} at a time, ${TIMEOUT_S} s each at most${TIME ? '' : ' (no /usr/bin/time: memory not measured)'}\n`);

  const rows: Row[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i] as Case;
      const dir = join(base, `case-${String(i).padStart(3, '0')}`);
      const work = join(dir, 'a', 'b');
      mkdirSync(work, { recursive: true });
      for (const at of [dir, join(dir, 'a'), work]) {
        writeFileSync(join(at, 'canary.json.gz'), canaryGz);
        writeFileSync(join(at, 'canary.json'), canaryJson);
      }
      const row = await judge(c, { ...ctx, canary: { gzPath: join(dir, 'canary.json.gz'), jsonPath: join(dir, 'canary.json') } }, canaryHashes, work);
      rows[i] = row;
      process.stderr.write(`  ${row.verdicts.join(',').padEnd(8)} ${row.seconds.toFixed(1).padStart(5)} s ${String(row.rssMb ?? '?').padStart(5)} MB  exit ${String(row.exit).padEnd(4)} ${row.name}${row.verdicts[0] === 'ok' ? '' : `\n           ${row.why.join('; ')}`}\n`);
      rmSync(dir, { recursive: true, force: true });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  rmSync(base, { recursive: true, force: true });

  const count = (v: Verdict): number => rows.filter((r) => r.verdicts.includes(v)).length;
  const slowest = rows.reduce((a, b) => (b.seconds > a.seconds ? b : a), rows[0] as Row);
  const peak = Math.max(...rows.map((r) => r.rssMb ?? 0));
  const figure = `${rows.length} inputs tried, ${count('crash')} crashes, ${count('hang')} hangs, ${count('silent')} silent passes, ${count('outside')} reads outside the evidence, ${count('memory')} over ${MAX_RSS_MB} MB`;
  console.log(`bench:hostile: ${figure}; slowest ${slowest.seconds.toFixed(1)} s (${slowest.name}); peak RSS ${peak} MB`);
  return count('crash') + count('hang') + count('silent') + count('outside') + count('memory') === 0 ? 0 : 1;
}

process.exitCode = await mainBench();
