// `trailproof gate --account NEW`: the account-vending gate, a pipeline step right after an account is created.
// It collects the new account (narrowed with --accounts, so the organization trails are still read where they
// live: see src/collect/collector.ts), runs the vending checks only (gate.checks in the config, else
// DEFAULT_GATE_CHECKS), writes JSON and JUnit, prints one summary line and exits by --fail-on like audit.
// With --wait UP_TO it tries again, with backoff, while the new account is not ready: its role cannot be
// assumed yet, the organization does not list it as ACTIVE yet, or the organization trail does not cover it
// yet; at the deadline it gives the last attempt's verdict (1 not covered, 3 could not decide).
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { TrailproofError } from '../../errors.js';
import { Bundle } from '../../evidence/bundle.js';
import { planAudit, runAudit, type AuditPlan } from '../../engine/audit.js';
import { loadFrameworks } from '../../engine/frameworks.js';
import { gateCheckIds, runOutcome } from '../../engine/gate.js';
import { CheckRegistry, loadBuiltinChecks, loadPlugin } from '../../engine/registry.js';
import type { Findings, Severity } from '../../model/types.js';
import { writeChunked } from '../../output/chunked-file.js';
import { writeFindingsFile } from '../../output/json-file.js';
import { renderers } from '../../output/index.js';
import type { CollectOptions } from '../../collect/index.js';
import { defineCommand } from '../command.js';
import type { Io } from '../io.js';
import { FAIL_ON_CHOICES, splitList } from '../options.js';
import { liveCollectOptions, liveOptions } from './collect.js';

// The gate's check list belongs to the engine (audit --gate runs it too); re-exported for the command's readers.
export { DEFAULT_GATE_CHECKS, gateCheckIds } from '../../engine/gate.js';

/** --wait: the first pause between attempts, doubled after each up to the longest; the longest wait allowed. */
export const WAIT_FIRST_DELAY_MS = 5_000;
export const WAIT_MAX_DELAY_MS = 60_000;
export const WAIT_LIMIT_MS = 6 * 3_600_000;

/** The clock --wait sleeps on; tests replace its members to make waiting take no time. */
export const waitClock = {
  now: (): number => Date.now(),
  sleep: (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms)),
};

const GATE_FORMATS = ['json', 'junit'] as const;
type GateFormat = (typeof GATE_FORMATS)[number];

/** `10m`, `90s`, `1h`, `1h30m` or plain seconds, in milliseconds; at most WAIT_LIMIT_MS. */
export function parseWait(value: string): number {
  const text = value.trim();
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  const plain = /^\d+$/.test(text);
  if (!plain && (m === null || text === '')) throw new TrailproofError('TP_USAGE', `--wait: "${value}" is not a duration (e.g. 10m, 90s, 1h30m)`);
  const ms = plain ? Number(text) * 1000 : (Number(m?.[1] ?? 0) * 3600 + Number(m?.[2] ?? 0) * 60 + Number(m?.[3] ?? 0)) * 1000;
  if (ms > WAIT_LIMIT_MS) throw new TrailproofError('TP_USAGE', `--wait: ${value} is longer than the ${WAIT_LIMIT_MS / 3_600_000} h the gate waits at most`);
  return ms;
}

export interface GateArgs {
  account: string;
  bundle?: string;
  out?: string;
  format?: string;
  failOn?: string;
  config?: string;
  waitMs?: number;
  quiet: boolean;
  /** Without --bundle: how to collect (the account is added as --accounts). */
  live?: Omit<CollectOptions, 'out' | 'archive'>;
}

/** One try: the findings when the evidence could be audited, the exit code, and what to wait for, if anything. */
interface Attempt {
  findings?: Findings;
  exitCode: number;
  /** Why the account is not (yet) through the gate; undefined when it passed. */
  reason?: string;
  /** Whether waiting could change the outcome (the account is not ready yet). */
  waitable: boolean;
  /** The collected bundle of this try (live), removed unless kept. */
  bundleDir?: string;
  error?: TrailproofError;
}

export async function gate(args: GateArgs, io: Io): Promise<number> {
  if (!/^\d{12}$/.test(args.account)) throw new TrailproofError('TP_USAGE', `--account: "${args.account}" is not a 12-digit account id`);
  if (args.waitMs !== undefined && args.bundle !== undefined) throw new TrailproofError('TP_USAGE', '--wait retries a live collection; it does not go with --bundle');
  const formats = parseGateFormats(args.format, args.out !== undefined);
  const { config, file, baseDir } = loadConfig(args.config, io.cwd);
  const registry = await loadBuiltinChecks(new CheckRegistry());
  for (const spec of config.plugins ?? []) await loadPlugin(spec, baseDir, registry);
  const configFile = args.config ?? file;
  let plan: AuditPlan;
  try {
    plan = planAudit(registry, loadFrameworks(), config, { checks: gateCheckIds(config), ...(configFile === undefined ? {} : { configFile }) });
  } catch (err) {
    // The gate's list comes from the config, not from --checks: say where to fix it.
    if (err instanceof TrailproofError && err.code === 'TP_CHECK_UNKNOWN' && configFile !== undefined) throw new TrailproofError('TP_CONFIG_INVALID', err.message.replace(/^--checks:/, `${configFile}: gate.checks:`));
    throw err;
  }
  const failOn = (args.failOn ?? config.failOn ?? 'high') as Severity | 'none';

  const deadline = args.waitMs === undefined ? undefined : waitClock.now() + args.waitMs;
  let delay = WAIT_FIRST_DELAY_MS;
  let tries = 0;
  for (;;) {
    tries++;
    const attempt = await tryOnce(args, io, plan, failOn);
    const left = deadline === undefined ? 0 : deadline - waitClock.now();
    if (attempt.exitCode === 0 || !attempt.waitable || left <= 0) {
      if (deadline !== undefined && attempt.exitCode !== 0 && attempt.waitable) {
        io.stderr(`trailproof: gate: stopped waiting for account ${args.account} after ${tries} tries (--wait): ${attempt.reason ?? ''}\n`);
        // Still not ACTIVE at the deadline: the evidence could not decide (3), not a usage error.
        if (attempt.findings === undefined && attempt.exitCode === 2) {
          attempt.error = new TrailproofError('TP_EVIDENCE_INSUFFICIENT', `account ${args.account}: ${attempt.reason ?? ''}`, { exitCode: 3 });
        }
      }
      return finish(attempt, args, io, formats, failOn);
    }
    const pause = Math.min(delay, left);
    io.stderr(`trailproof: gate: waiting for account ${args.account}: ${attempt.reason ?? ''}; trying again in ${Math.ceil(pause / 1000)} s (${Math.ceil(left / 1000)} s left)\n`);
    if (attempt.bundleDir !== undefined) rmSync(attempt.bundleDir, { recursive: true, force: true });
    await waitClock.sleep(pause);
    delay = Math.min(delay * 2, WAIT_MAX_DELAY_MS);
  }
}

async function tryOnce(args: GateArgs, io: Io, plan: AuditPlan, failOn: Severity | 'none'): Promise<Attempt> {
  if (args.bundle !== undefined) {
    const bundle = Bundle.open(resolve(io.cwd, args.bundle));
    if (!bundle.manifest.scope.accounts.includes(args.account)) {
      throw new TrailproofError('TP_USAGE', `--account ${args.account} is not in the scope of bundle ${args.bundle} (${bundle.manifest.scope.accounts.join(', ')}); collect it with trailproof collect --accounts ${args.account}`);
    }
    return judge(args.account, runAudit(bundle, plan, { source: 'bundle', bundlePath: args.bundle, failOn, accounts: [args.account] }), failOn);
  }
  const live = await import('../../collect/index.js');
  const parent = mkdtempSync(join(tmpdir(), 'trailproof-gate-'));
  const dir = join(parent, 'bundle');
  try {
    const result = await live.collectBundle({ ...args.live, accounts: [args.account], out: dir });
    if (!args.quiet) io.stderr(live.formatSummary(result));
    const role = result.summary.notCollected.find((n) => n.kind === 'account' && n.id === args.account);
    if (role !== undefined) {
      const error = new TrailproofError('TP_EVIDENCE_INSUFFICIENT', `account ${args.account} could not be collected: ${role.reason}`, { exitCode: 3 });
      return { exitCode: 3, reason: `its role cannot be assumed yet (${role.reason})`, waitable: true, bundleDir: parent, error };
    }
    if (!result.usable) {
      const error = live.insufficient(result);
      return { exitCode: 3, reason: error.message, waitable: false, bundleDir: parent, error };
    }
    const findings = runAudit(Bundle.open(dir), plan, { source: 'live', bundlePath: dir, failOn });
    return { ...judge(args.account, findings, failOn), bundleDir: parent };
  } catch (err) {
    rmSync(parent, { recursive: true, force: true });
    if (err instanceof live.AccountNotActiveError) return { exitCode: 2, reason: `the organization does not list it as ACTIVE yet (${err.message})`, waitable: true, error: err };
    throw err;
  }
}

/** The exit code of the findings, and whether the organization trail's coverage is what keeps the account out. */
function judge(account: string, findings: Findings, failOn: Severity | 'none'): Attempt {
  // The same outcome every output states (findings.json run.outcome): a modified bundle is exit 2 here too.
  findings.run.outcome = runOutcome(findings, failOn);
  const exitCode = findings.run.outcome.exitCode;
  const coverage = findings.results.find((r) => r.checkId === 'trail.org-coverage' && r.account === account);
  if (exitCode === 0) return { findings, exitCode, waitable: false };
  if (coverage !== undefined && (coverage.status === 'FAIL' || coverage.status === 'ERROR')) {
    return { findings, exitCode, reason: `the organization trail does not cover it yet: ${coverage.message}`, waitable: true };
  }
  return { findings, exitCode, reason: blockingReason(findings) ?? 'see the findings', waitable: false };
}

/** The first FAIL (else ERROR) result, as "checkId STATUS: message". */
export function blockingReason(findings: Findings): string | undefined {
  const first = findings.results.find((r) => r.status === 'FAIL') ?? findings.results.find((r) => r.status === 'ERROR');
  return first === undefined ? undefined : `${first.checkId} ${first.status}: ${first.message}`;
}

function parseGateFormats(value: string | undefined, toFolder: boolean): GateFormat[] {
  const names = splitList(value);
  const chosen = names.length > 0 ? names : toFolder ? [...GATE_FORMATS] : ['json'];
  for (const name of chosen) {
    if (!(GATE_FORMATS as readonly string[]).includes(name)) throw new TrailproofError('TP_USAGE', `--format: the gate writes ${GATE_FORMATS.join(' and ')}, not "${name}" (trailproof report renders the others from findings.json)`);
  }
  if (!toFolder && chosen.length > 1) throw new TrailproofError('TP_USAGE', `--format ${chosen.join(',')}: several formats need --out DIR (stdout carries one)`);
  return [...new Set(chosen)] as GateFormat[];
}

/** Writes the outputs of the last attempt and its summary line; keeps the evidence as <out>/evidence. */
async function finish(attempt: Attempt, args: GateArgs, io: Io, formats: GateFormat[], failOn: Severity | 'none'): Promise<number> {
  try {
    if (attempt.findings === undefined) throw attempt.error ?? new TrailproofError('TP_EVIDENCE_INSUFFICIENT', `account ${args.account}: ${attempt.reason ?? 'no findings'}`, { exitCode: 3 });
    const findings = attempt.findings;
    if (args.out !== undefined) {
      const outDir = resolve(io.cwd, args.out);
      mkdirSync(outDir, { recursive: true });
      for (const format of formats) {
        const target = join(outDir, renderers[format].fileName);
        if (format === 'json') writeFindingsFile(findings, target);
        else writeChunked(target, (write) => { for (const chunk of renderers.junit.chunks(findings)) write(chunk); });
      }
      if (attempt.bundleDir !== undefined) cpSync(join(attempt.bundleDir, 'bundle'), join(outDir, 'evidence'), { recursive: true });
    } else {
      io.stdout(String(await renderers[formats[0] ?? 'json'].render(findings)));
    }
    if (!args.quiet || attempt.exitCode !== 0) io.stderr(summaryLine(args.account, findings, attempt, failOn) + '\n');
    return attempt.exitCode;
  } finally {
    if (attempt.bundleDir !== undefined) rmSync(attempt.bundleDir, { recursive: true, force: true });
  }
}

/** One line for the pipeline log: the outcome the exit code states, the counts, and what blocks the account. */
export function summaryLine(account: string, findings: Findings, attempt: { exitCode: number; reason?: string | undefined }, failOn: Severity | 'none'): string {
  const s = findings.summary;
  const outcome = attempt.exitCode === 0 ? 'PASSED' : attempt.exitCode === 1 ? 'FAILED' : 'UNDECIDED';
  const counts = `${s.PASS} PASS, ${s.FAIL} FAIL, ${s.ERROR} ERROR, ${s.NOT_TESTED} NOT_TESTED, ${s.MANUAL} MANUAL, ${s.WAIVED} WAIVED, ${s.NOT_APPLICABLE} NOT_APPLICABLE`;
  const why = attempt.exitCode === 0 ? '' : `: ${attempt.reason ?? ''}`;
  return `trailproof: gate ${outcome} for account ${account} (${counts}; --fail-on ${failOn}, exit ${attempt.exitCode})${why}`;
}

const gateOptions = {
  account: { type: 'string', describe: 'The new account (12-digit id) to let through', requiresArg: true, demandOption: true },
  wait: { type: 'string', describe: 'Keep trying, with backoff, up to this long (10m, 90s, 1h) while the account is not ready: role not assumable, not ACTIVE, or not yet covered', requiresArg: true },
  bundle: { type: 'string', describe: 'Judge an evidence bundle (holding the account) instead of collecting', requiresArg: true },
  out: { type: 'string', describe: 'Write findings.json and junit.xml (and the evidence, as evidence/) into this folder', requiresArg: true },
  format: { type: 'string', describe: 'json and/or junit (default: both with --out, json on stdout without)', requiresArg: true },
  'fail-on': { type: 'string', choices: FAIL_ON_CHOICES, describe: 'Lowest severity of a FAIL that makes the gate exit 1 (default high)' },
} as const;

export const command = defineCommand({
  name: 'gate',
  describe: 'The account-vending gate: is a new account covered by the organization\'s CloudTrail (the vending checks only)',
  options: [gateOptions, liveOptions],
  repeatable: ['logs'],
  builder: (y) =>
    y
      .example('$0 gate --account 210987654321 --assume-role OrganizationAccountAccessRole --wait 10m --out gate', 'Gate a freshly vended account from the management account, waiting up to 10 minutes')
      .example('$0 gate --account 210987654321 --assume-role AWSControlTowerExecution --format json > gate.json', 'JSON on stdout, one summary line on stderr'),
  run: (args, io) => {
    const parsed: GateArgs = { account: args.account, quiet: args.quiet };
    for (const [key, flag] of [['bundle', 'bundle'], ['out', 'out'], ['format', 'format'], ['failOn', 'fail-on'], ['config', 'config']] as const) {
      const value = args[flag];
      if (value !== undefined) parsed[key] = value;
    }
    if (args.wait !== undefined) parsed.waitMs = parseWait(args.wait);
    // (gate declares --account only: the parser refuses --accounts, and the collection is narrowed to the account.)
    if (parsed.bundle === undefined) parsed.live = liveCollectOptions(args, io);
    return gate(parsed, io);
  },
});
