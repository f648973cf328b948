// `trailproof audit`: the flags translated into the engine's AuditOptions (src/engine/run.ts runs the audit),
// then the outputs written (findings.json, the report formats through the shared report writer, the signed
// attestation), the summary printed, Security Hub fed, and the exit by the gate.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TrailproofError } from '../../errors.js';
import { loadResponses } from '../../config/responses.js';
import { correlationLines, readSummary } from '../../output/events-text.js';
import { writeFindingsFile } from '../../output/json-file.js';
import { checkAccounts, tamperedEvidence, withAudit, type AuditOptions, type AuditRun } from '../../engine/run.js';
import type { Signer } from '../../attest/dsse.js';
import type { LiveCollectOptions } from '../../collect/index.js';
import type { SecurityHubOptions } from '../../collect/securityhub.js';
import type { PeriodFlags } from '../../model/period.js';
import { FORMATS, isFormat, renderers, type Format } from '../../output/index.js';
import { renderSummary } from '../../output/table.js';
import type { ScreenFlags } from '../../output/terminal.js';
import { defineCommand, type ArgsOf } from '../command.js';
import { cleanOnInterrupt } from '../interrupt.js';
import { screenFlags, screenFor, type Io } from '../io.js';
import { auditOptions, splitList } from '../options.js';
import { resolveSigner, signingFlags, signingOptions } from '../signing.js';
import { liveCollectOptions, liveOptions, logsFlag } from './collect.js';
import { blockingReason, summaryLine } from './gate.js';
import { reportOptions } from './report.js';
import { importToSecurityHub, securityHubOption } from './security-hub.js';

export function parseFormats(value: string | undefined): Format[] {
  const names = splitList(value);
  for (const name of names) {
    if (!isFormat(name)) throw new TrailproofError('TP_USAGE', `--format: unknown format "${name}"; available: ${FORMATS.join(', ')}`);
  }
  return [...new Set(names)] as Format[];
}

/** `--checks` takes ids and patterns; a value naming an existing folder or .js file loads plugins instead. */
function splitChecksFlag(values: string[] | undefined, cwd: string): { ids: string[]; plugins: string[] } {
  const ids: string[] = [];
  const plugins: string[] = [];
  for (const v of splitList(values)) {
    const path = resolve(cwd, v);
    if (/\.(m|c)?js$/.test(v) || (existsSync(path) && statSync(path).isDirectory())) plugins.push(v);
    else ids.push(v);
  }
  return { ids, plugins };
}

/** The report command's options that make sense for the reports audit writes in the same run. */
const { previous, history, templates, paper, 'email-to': emailTo, 'email-transport': emailTransport, 'email-from': emailFrom, 'email-subject': emailSubject, 'sarif-all': sarifAll } = reportOptions;
const auditReportOptions = { previous, history, templates, paper, 'email-to': emailTo, 'email-transport': emailTransport, 'email-from': emailFrom, 'email-subject': emailSubject, 'sarif-all': sarifAll } as const;

const auditOnlyOptions = {
  'public-keys': { type: 'string', array: true, requiresArg: true, describe: 'ListPublicKeys output (JSON) whose keys trail.log-integrity trusts instead of the keys the bundle holds; repeatable' },
  'trusted-key-fingerprints': { type: 'string', requiresArg: true, describe: 'Comma list of CloudTrail key fingerprints trail.log-integrity trusts: a digest signed by any other key FAILs (overrides integrity.trustedKeyFingerprints)' },
  logs: {
    type: 'string',
    describe: "DIR or s3://bucket/prefix (repeatable): also run the event rules over these CloudTrail log files (S3 delivery layout), within --period and --accounts. Without a value, live: also copy each trail's log and digest files of the period into the bundle",
  },
  gate: { type: 'boolean', describe: 'The account-vending gate (as trailproof gate): the gate.checks of the config for the one account of --accounts, and one summary line' },
  'prepared-by': { type: 'string', requiresArg: true, describe: 'Who prepared the report, for the working papers (findings run.preparedBy; overrides report.preparedBy)' },
  responses: { type: 'string', requiresArg: true, describe: 'YAML/JSON file of management responses (owner, response, dueDate) by result id or check and resource; before the config\'s responses:' },
} as const;

/** audit's option tables, in the order --help lists them. */
const AUDIT_TABLES = [auditOptions, liveOptions, auditOnlyOptions, auditReportOptions, securityHubOption, signingOptions] as const;
type AuditArgs = ArgsOf<typeof AUDIT_TABLES, 'logs'>;

/** What the CLI does with a run besides the engine's work: where the outputs go and what it prints. */
interface OutputRequest {
  formats: Format[];
  out: string | undefined;
  quiet: boolean;
  screen: ScreenFlags;
  config: string | undefined;
  period: PeriodFlags;
  signer: Signer | undefined;
  args: AuditArgs;
}

export async function audit(args: AuditArgs, io: Io): Promise<number> {
  const screen = screenFlags(args);
  // Without --bundle the live collection's options are read first (their errors come before the others').
  const live: LiveCollectOptions | undefined = args.bundle === undefined ? liveCollectOptions(args, io, false) : undefined;
  const formats = parseFormats(args.format);
  const accounts = checkAccounts(splitList(args.accounts));
  if (!args.out && formats.length > 1) throw new TrailproofError('TP_USAGE', `--format ${formats.join(',')}: several formats need --out DIR (stdout carries one)`);
  // A bad signing key fails the run before any evidence is read.
  const signer = await resolveSigner(signingFlags(args), args.out, io);
  const { ids, plugins } = splitChecksFlag(args.checks, io.cwd);
  const period: PeriodFlags = {};
  for (const key of ['period', 'from', 'to'] as const) {
    const value = args[key];
    if (value !== undefined) period[key] = value;
  }

  const options: AuditOptions = {
    cwd: io.cwd,
    checks: ids,
    plugins: [...plugins, ...splitList(args.plugin)],
    accounts,
    period,
    allowModifiedEvidence: args['allow-modified-evidence'],
    guardCollection: (cleanup, collect) => cleanOnInterrupt(io, cleanup, collect),
  };
  if (args.bundle !== undefined) options.bundle = args.bundle;
  // Live, with --out the bundle is kept as <out>/evidence.
  else options.live = { ...live, ...(args.out === undefined ? {} : { keepAs: join(args.out, 'evidence') }) };
  if (args.config !== undefined) options.config = args.config;
  if (args.framework !== undefined) options.framework = args.framework;
  if (args['fail-on'] !== undefined) options.failOn = args['fail-on'];
  if (args.gate === true) options.gate = true;
  if (args.profile !== undefined) options.profile = args.profile;
  if (args['public-keys'] !== undefined) options.publicKeys = args['public-keys'];
  if (args['trusted-key-fingerprints'] !== undefined) options.trustedKeyFingerprints = splitList(args['trusted-key-fingerprints']);
  const { locations } = logsFlag(args);
  if (locations.length > 0) options.logs = locations;
  if (args['prepared-by'] !== undefined) options.preparedBy = args['prepared-by'];
  // A bad responses file fails the run before any evidence is read, like a bad config.
  if (args.responses !== undefined) options.responses = loadResponses(args.responses, io.cwd);
  const securityHub: SecurityHubOptions | undefined = args['security-hub'] === true
    ? { profile: args.profile, region: args.region, assumeRole: args['assume-role'], externalId: args['external-id'] }
    : undefined;

  return withAudit(options, async (run) => {
    printScanNotes(run, args.quiet, io);
    // Signing comes last of the outputs (it hashes every other file); Security Hub after them, so they are on disk
    // whatever Security Hub answers.
    await writeOutputs(run, { formats, out: args.out, quiet: args.quiet, screen, config: args.config, period, signer, args }, io);
    const { findings } = run;
    const exitCode = findings.run.outcome?.exitCode ?? 0;
    // Evidence that does not match its manifest decides nothing (exit 2): nothing of it goes to Security Hub.
    if (securityHub) {
      if (exitCode === 2) io.stderr('trailproof: Security Hub: not imported: the evidence does not match its manifest\n');
      else await importToSecurityHub(findings, securityHub, io);
    }
    if (args.gate === true) io.stderr(summaryLine(accounts[0] ?? '', findings, { exitCode, reason: blockingReason(findings) }, run.failOn) + '\n');
    const tampered = tamperedEvidence(run);
    if (tampered !== undefined) throw tampered;
    return exitCode;
  });
}

/** What the event rules had to say: correlations, rules that did not load, what could not be read. */
function printScanNotes(run: AuditRun, quiet: boolean, io: Io): void {
  if (run.scan === undefined) return;
  const { stats, correlation } = run.scan;
  if (!quiet) for (const line of correlationLines(correlation)) io.stderr(`trailproof: ${line}\n`);
  for (const e of stats.ruleErrors) io.stderr(`trailproof: warning: ${e.message}\n`);
  // Each file, line or record the rules could not read, with its reason (all of them in findings.json's scan.skipped).
  if (!quiet) for (const line of readSummary(stats).filter((l) => /^(skipped|\.\.\. and)/.test(l))) io.stderr(`trailproof: warning: ${line}\n`);
}

async function writeOutputs(run: AuditRun, request: OutputRequest, io: Io): Promise<void> {
  const { findings } = run;
  const { formats, out, signer, args } = request;
  const toStdout = !out && formats.length === 1;
  if (out) {
    // findings.json is always written: it is the canonical output every other format is rendered from.
    const outDir = resolve(io.cwd, out);
    mkdirSync(outDir, { recursive: true });
    const target = join(outDir, renderers.json.fileName);
    // Streamed, written beside and renamed: a reader never sees half a findings file.
    const findingsSha256 = writeFindingsFile(findings, target);
    const others = formats.filter((f) => f !== 'json');
    const emailTo = args['email-to'] ?? [];
    if (others.length > 0 || emailTo.length > 0) {
      // The report modules load only when a report is written.
      const { planReport, writeReport } = await import('../../output/write-report.js');
      const plan = planReport({ formats: others, out, previous: args.previous, history: args.history, emailTo: splitList(emailTo) });
      // The report signs what it wrote and findings.json, last; audit says nothing of what it wrote.
      await writeReport({
        ...plan,
        findingsPath: target,
        preloaded: { findings, sha256: findingsSha256 },
        out,
        previous: args.previous,
        history: args.history,
        templates: args.templates,
        bundle: run.bundleDir,
        period: request.period,
        paper: args.paper,
        emailTransport: args['email-transport'],
        emailFrom: args['email-from'],
        emailSubject: args['email-subject'],
        sarifAll: args['sarif-all'] === true,
        config: run.config,
        configBaseDir: run.configBaseDir,
        signer,
        command: 'audit',
        cwd: io.cwd,
        env: io.env,
        // Warnings, the previous audit found and the email sent reach stderr; the files written are audit's own
        // summary's to tell.
        log: (text) => {
          if (!request.quiet) io.stderr(`${text}\n`);
        },
        wrote: () => undefined,
        stdout: (text) => io.stdout(text),
      });
    } else if (signer !== undefined) {
      const { signOutputs } = await import('../../attest/folder.js');
      await signOutputs({ outDir, files: [target], bundleDir: run.bundleDir, findings, findingsSha256, command: 'audit', signer });
    }
  } else if (toStdout) {
    const renderer = renderers[formats[0] as Format];
    if (renderer.binary) throw new TrailproofError('TP_USAGE', `--format ${formats[0]} is binary and cannot go to stdout: give --out DIR`);
    io.stdout(String(await renderer.render(findings, args['sarif-all'] === true ? { sarifInclude: 'all' } : {})));
  }
  if (!request.quiet) {
    const summary = renderSummary(findings, screenFor(io, request.screen, toStdout ? 'stderr' : 'stdout'));
    if (toStdout) io.stderr(summary);
    else io.stdout(summary);
  }
}

export const command = defineCommand({
  name: 'audit',
  describe: 'Collect evidence from AWS (or read --bundle DIR), run every enabled check, write outputs, exit by the gate',
  options: AUDIT_TABLES,
  repeatable: ['logs'],
  builder: (y) =>
    y
      .example('$0 audit --assume-role TrailproofAudit --out reports/2026-Q3 --format json,junit', 'Audit the organization live; the evidence is kept in reports/2026-Q3/evidence')
      .example('$0 audit --bundle ./evidence --format json --fail-on medium > findings.json', 'A CI gate with JSON on stdout')
      .example('$0 audit --bundle ./evidence --logs s3://org-trail-bucket/AWSLogs/o-abc123 --period 2026-Q3 --out reports/q3', "The checks over the bundle, the event rules over the quarter's logs in the trail bucket too"),
  run: audit,
});
