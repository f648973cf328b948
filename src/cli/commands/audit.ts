// `trailproof audit`: load the evidence, run every enabled check, write the outputs, exit by the gate.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { TrailproofError } from '../../errors.js';
import { Bundle } from '../../evidence/bundle.js';
import { writeFindingsFile } from '../../output/json-file.js';
import { attachLogIntegrity, verifyBundleLogs, type KeyTrustOptions } from '../../integrity/bundle.js';
import { parseFingerprints, readPublicKeyFiles } from '../../integrity/keys.js';
import { bundleHoldsEvents, scanBundleEvents, scanSection } from '../../events/audit-scan.js';
import { correlationLines, correlationSection, readSummary, type CorrelationSection } from '../../output/events-text.js';
import { ruleSettings } from '../../events/rules.js';
import type { ScanStats } from '../../events/scan.js';
import { openSources, scopeFromFlags, type ScopeFlags, type SourceFlags } from '../../events/sources.js';
import { BUILTIN_RULES_DIR } from '../../events/rules.js';
import { planAudit, runAudit } from '../../engine/audit.js';
import { loadFrameworks } from '../../engine/frameworks.js';
import { runOutcome } from '../../engine/gate.js';
import { CheckRegistry, loadBuiltinChecks, loadPlugin } from '../../engine/registry.js';
import type { Findings, Severity } from '../../model/types.js';
import type { LiveCollectOptions } from '../../collect/index.js';
import type { SecurityHubOptions } from '../../collect/securityhub.js';
import { importToSecurityHub, securityHubOption } from './security-hub.js';
import { liveCollectOptions, liveOptions, logsFlag } from './collect.js';
import { blockingReason, gateCheckIds, summaryLine } from './gate.js';
import { report, reportOptions, type ReportArgs } from './report.js';
import { parsePeriod, type PeriodFlags } from '../../model/period.js';
import { FORMATS, isFormat, renderers, type Format } from '../../output/index.js';
import { renderSummary } from '../../output/table.js';
import { arg, type CommandSpec } from '../command.js';
import { cleanOnInterrupt } from '../interrupt.js';
import { screenFlags, screenFor, type Io } from '../io.js';
import type { ScreenFlags } from '../../output/terminal.js';
import { auditOptions, splitList } from '../options.js';
import { resolveSigner, signingFlags, signingOptions, type SigningFlags } from '../signing.js';
import type { Signer } from '../../attest/dsse.js';

export interface AuditArgs {
  bundle?: string;
  out?: string;
  format?: string;
  failOn?: string;
  framework?: string;
  accounts?: string;
  checks?: string[];
  plugin?: string[];
  config?: string;
  quiet: boolean;
  allowModifiedEvidence: boolean;
  /** --logs DIR|s3://bucket/prefix: log files the event rules read besides the bundle's own events. */
  logs?: string[];
  /** --profile: for an s3:// --logs (a live audit's collection takes it from `live`). */
  profile?: string;
  /** --public-keys FILE: ListPublicKeys outputs the auditor trusts for trail.log-integrity. */
  publicKeys?: string[];
  /** --trusted-key-fingerprints: the only key fingerprints trail.log-integrity accepts. */
  trustedKeyFingerprints?: string;
  /** --gate: the account-vending gate's checks only (gate.checks), for the one account of --accounts. */
  gate?: boolean;
  /** Without --bundle: what to collect from AWS first. */
  live?: LiveCollectOptions;
  /** --period/--from/--to: the period the audit covers (also the --logs range of a live audit). */
  period?: PeriodFlags;
  /** --security-hub: import the findings into Security Hub once the outputs are written. */
  securityHub?: SecurityHubOptions;
  /** --sign-key / --sign-kms-key: sign the outputs (attestation.intoto.jsonl). */
  signing?: SigningFlags;
  /** --color/--no-color and --wide, for the summary table. */
  screen?: ScreenFlags;
  /** Report options (previous audit, templates, paper, email) for the html/pdf/... formats written with --out. */
  report?: Omit<ReportArgs, 'findings' | 'format' | 'out' | 'bundle' | 'period' | 'from' | 'to' | 'config' | 'quiet'>;
}

export function parseFormats(value: string | undefined): Format[] {
  const names = splitList(value);
  for (const name of names) {
    if (!isFormat(name)) throw new TrailproofError('TP_USAGE', `--format: unknown format "${name}"; available: ${FORMATS.join(', ')}`);
  }
  return [...new Set(names)] as Format[];
}

/** Ids of the built-in event rules (checks/rules/<ruleId>.yml), which the config may tune under checks.<ruleId>. */
function builtinRuleIds(): string[] {
  return readdirSync(BUILTIN_RULES_DIR).filter((f) => f.endsWith('.yml')).map((f) => f.slice(0, -'.yml'.length));
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

export async function loadRegistry(pluginSpecs: { spec: string; baseDir: string }[]): Promise<CheckRegistry> {
  const registry = await loadBuiltinChecks(new CheckRegistry());
  for (const { spec, baseDir } of pluginSpecs) await loadPlugin(spec, baseDir, registry);
  return registry;
}

export async function audit(args: AuditArgs, io: Io): Promise<number> {
  const formats = parseFormats(args.format);
  const accounts = splitList(args.accounts);
  for (const a of accounts) if (!/^\d{12}$/.test(a)) throw new TrailproofError('TP_USAGE', `--accounts: "${a}" is not a 12-digit account id`);
  if (!args.out && formats.length > 1) throw new TrailproofError('TP_USAGE', `--format ${formats.join(',')}: several formats need --out DIR (stdout carries one)`);

  // A bad signing key fails the run before any evidence is read.
  const signer = await resolveSigner(args.signing ?? {}, args.out, io);
  const { config, file, baseDir } = loadConfig(args.config, io.cwd);
  const { ids, plugins } = splitChecksFlag(args.checks, io.cwd);
  if (args.gate === true) ids.splice(0, ids.length, ...gateProfile(args, accounts, ids, config));
  const registry = await loadRegistry([
    ...(config.plugins ?? []).map((spec) => ({ spec, baseDir })),
    ...[...plugins, ...splitList(args.plugin)].map((spec) => ({ spec, baseDir: io.cwd })),
  ]);
  const request: { checks: string[]; framework?: string; configFile?: string; ruleIds: string[] } = { checks: ids, ruleIds: builtinRuleIds() };
  if (args.framework !== undefined) request.framework = args.framework;
  if (file !== undefined) request.configFile = args.config ?? file;
  const plan = planAudit(registry, loadFrameworks(), config, request);
  const failOn = (args.failOn ?? config.failOn ?? 'high') as Severity | 'none';

  // The event rules read the audit's period and accounts; --logs adds log files to the bundle's own events.
  const scopeFlags: ScopeFlags = { accounts, regions: [] };
  for (const key of ['period', 'from', 'to'] as const) {
    const value = args.period?.[key];
    if (value !== undefined) scopeFlags[key] = value;
  }
  const { scope } = scopeFromFlags(scopeFlags);
  const sourceFlags: SourceFlags = { logs: args.logs ?? [], lookupEvents: false };
  if (args.profile !== undefined) sourceFlags.profile = args.profile;
  const logSources = sourceFlags.logs.length > 0 ? (await openSources(sourceFlags, scope, io.cwd)).sources : [];

  // The trust anchor of the log-integrity verification: keys the auditor gives or pins (flag over config).
  const pinned = args.trustedKeyFingerprints !== undefined
    ? parseFingerprints(splitList(args.trustedKeyFingerprints), '--trusted-key-fingerprints')
    : config.integrity?.trustedKeyFingerprints?.map((f) => f.toLowerCase());
  const keyTrust: KeyTrustOptions = {
    ...(args.publicKeys !== undefined && args.publicKeys.length > 0 ? { auditorKeys: { keys: readPublicKeyFiles(args.publicKeys, io.cwd), files: args.publicKeys } } : {}),
    ...(pinned !== undefined && pinned.length > 0 ? { pinned } : {}),
  };

  // Live (no --bundle): collect into a bundle first, then audit it exactly as --bundle would, so the findings
  // are those of auditing the kept bundle again. With --out the bundle is kept as <out>/evidence.
  return withBundle(args, io, async (bundlePath, shownPath, source) => {
    const bundle = Bundle.open(bundlePath, { allowModified: args.allowModifiedEvidence });
    // Verifying digest chains reads files and is asynchronous, so it runs before the (pure, synchronous)
    // checks and trail.log-integrity reads the outcome from the bundle.
    if (plan.checks.some((c) => c.check.meta.id === 'trail.log-integrity')) attachLogIntegrity(bundle, await verifyBundleLogs(bundle, { ...keyTrust, live: source === 'live' }));
    const runRequest: Parameters<typeof runAudit>[2] = { source, bundlePath: shownPath, failOn };
    let correlation: CorrelationSection | undefined;
    let scanStats: ScanStats | undefined;
    // The event rules run too when the evidence holds events (logs/ or LookupEvents.jsonl). A --checks or
    // --framework selection asks for posture checks only.
    if (ids.length === 0 && args.framework === undefined && (logSources.length > 0 || bundleHoldsEvents(bundle))) {
      const scan = await scanBundleEvents(bundle, { config, scope, sources: logSources });
      runRequest.detections = scan.detections;
      scanStats = scan.stats;
      correlation = correlationSection(scan.stats, ruleSettings(config));
      if (!args.quiet) for (const line of correlationLines(correlation)) io.stderr(`trailproof: ${line}\n`);
      for (const e of scan.stats.ruleErrors) io.stderr(`trailproof: warning: ${e.message}\n`);
      // Each file, line or record the rules could not read, with its reason (all of them in findings.json's scan.skipped).
      if (!args.quiet) for (const line of readSummary(scan.stats).filter((l) => /^(skipped|\.\.\. and)/.test(l))) io.stderr(`trailproof: warning: ${line}\n`);
    }
    // A live gate's collection is narrowed to the account and the organization trails that decide it: all of it is reported.
    if (accounts.length > 0 && !(args.gate === true && source === 'live')) runRequest.accounts = accounts;
    if (args.framework !== undefined) runRequest.framework = args.framework;
    const findings = runAudit(bundle, plan, runRequest);
    // The scan's own counts (what was read, what was skipped and why, which correlations could not be completed:
    // the gate reads it) beside the detections, as `trailproof scan` keeps them.
    if (scanStats !== undefined) (findings as Findings & { scan?: Record<string, unknown> }).scan = scanSection(scanStats, correlation);
    // The outcome is decided before anything is written, and every output states it (findings.json run.outcome).
    findings.run.outcome = runOutcome(findings, failOn);
    // Signing comes last of the outputs (it hashes every other file); Security Hub after them, so they are on disk
    // whatever Security Hub answers.
    await writeOutputs(findings, formats, args, io, bundlePath, signer);
    // Evidence that does not match its manifest decides nothing (exit 2): nothing of it goes to Security Hub.
    if (args.securityHub) {
      if (findings.run.outcome.exitCode === 2) io.stderr('trailproof: Security Hub: not imported: the evidence does not match its manifest\n');
      else await importToSecurityHub(findings, args.securityHub, io);
    }
    if (args.gate === true) io.stderr(summaryLine(accounts[0] ?? '', findings, { exitCode: findings.run.outcome.exitCode, reason: blockingReason(findings) }, failOn) + '\n');

    const integrity = bundle.integrity;
    const refused = integrity.refused ?? [];
    if (findings.run.outcome.exitCode === 2) {
      const names = [...integrity.modified, ...integrity.missing, ...refused.map((r) => `${r.file} (refused: ${r.reason})`)];
      const listed = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
      throw new TrailproofError(
        'TP_BUNDLE_TAMPERED',
        `evidence bundle ${shownPath} does not match its manifest (${integrity.modified.length} modified, ${integrity.missing.length} missing${refused.length > 0 ? `, ${refused.length} refused unread` : ''}: ${listed}); results citing them are marked tampered. Use --allow-modified-evidence to accept it`,
      );
    }
    return findings.run.outcome.exitCode;
  });
}

/** `audit --gate`: one account, and the gate's checks instead of --checks. */
function gateProfile(args: AuditArgs, accounts: string[], ids: string[], config: Parameters<typeof gateCheckIds>[0]): string[] {
  if (accounts.length !== 1) throw new TrailproofError('TP_USAGE', '--gate judges one new account: give it as --accounts ACCOUNT_ID');
  if (ids.length > 0 || args.framework !== undefined) throw new TrailproofError('TP_USAGE', '--gate runs the checks of gate.checks in the config; it does not go with --checks or --framework');
  return gateCheckIds(config);
}

/** Runs `fn` over the --bundle folder, or over a bundle collected live (kept in <out>/evidence, else removed). */
async function withBundle(
  args: AuditArgs,
  io: Io,
  fn: (bundlePath: string, shownPath: string, source: 'bundle' | 'live') => Promise<number>,
): Promise<number> {
  if (args.bundle !== undefined) return fn(resolve(io.cwd, args.bundle), args.bundle, 'bundle');
  const keptAs = args.out === undefined ? undefined : join(args.out, 'evidence');
  // The SDK takes seconds to load: only a live audit pays for it.
  const live = await import('../../collect/index.js');
  const dir = await cleanOnInterrupt(io, live.removePartialBundles, () => live.collectToTempBundle({ ...args.live, ...(keptAs === undefined ? {} : { keepAs: resolve(io.cwd, keptAs) }) }));
  try {
    return await fn(dir, keptAs ?? dir, 'live');
  } finally {
    if (keptAs === undefined) await live.removeTempBundle(dir);
  }
}

async function writeOutputs(findings: Findings, formats: Format[], args: AuditArgs, io: Io, bundlePath: string, signer: Signer | undefined): Promise<void> {
  const period = parsePeriod(args.period ?? {});
  if (period) findings.run.period = { from: period.from, to: period.to };
  const toStdout = !args.out && formats.length === 1;
  if (args.out) {
    // findings.json is always written: it is the canonical output every other format is rendered from.
    const outDir = resolve(io.cwd, args.out);
    mkdirSync(outDir, { recursive: true });
    const target = join(outDir, renderers.json.fileName);
    // Streamed, written beside and renamed: a reader never sees half a findings file.
    const findingsSha256 = writeFindingsFile(findings, target);
    const others = formats.filter((f) => f !== 'json');
    if (others.length > 0 || (args.report?.emailTo?.length ?? 0) > 0) {
      const preloaded = { findings, sha256: findingsSha256 };
      const request: ReportArgs = { ...args.report, findings: target, out: args.out, bundle: bundlePath, quiet: true, preloaded, ...(signer === undefined ? {} : { signer }) };
      if (others.length > 0) request.format = others.join(',');
      if (args.config !== undefined) request.config = args.config;
      if (args.period?.period !== undefined) request.period = args.period.period;
      if (args.period?.from !== undefined) request.from = args.period.from;
      if (args.period?.to !== undefined) request.to = args.period.to;
      // The report signs what it wrote and findings.json, last.
      await report(request, io);
    } else if (signer !== undefined) {
      const { signOutputs } = await import('../../attest/folder.js');
      await signOutputs({ outDir, files: [target], bundleDir: bundlePath, findings, findingsSha256, command: 'audit', signer });
    }
  } else if (toStdout) {
    const renderer = renderers[formats[0] as Format];
    if (renderer.binary) throw new TrailproofError('TP_USAGE', `--format ${formats[0]} is binary and cannot go to stdout: give --out DIR`);
    io.stdout(String(await renderer.render(findings, args.report?.sarifAll === true ? { sarifInclude: 'all' } : {})));
  }
  if (!args.quiet) {
    const summary = renderSummary(findings, screenFor(io, args.screen ?? {}, toStdout ? 'stderr' : 'stdout'));
    if (toStdout) io.stderr(summary);
    else io.stdout(summary);
  }
}

/** The report command's options that make sense for the reports audit writes in the same run. */
const { previous, history, templates, paper, 'email-to': emailTo, 'email-transport': emailTransport, 'email-from': emailFrom, 'email-subject': emailSubject, 'sarif-all': sarifAll } = reportOptions;
const auditReportOptions = { previous, history, templates, paper, 'email-to': emailTo, 'email-transport': emailTransport, 'email-from': emailFrom, 'email-subject': emailSubject, 'sarif-all': sarifAll };

export const command: CommandSpec = {
  name: 'audit',
  describe: 'Collect evidence from AWS (or read --bundle DIR), run every enabled check, write outputs, exit by the gate',
  builder: (y) =>
    y
      .options(auditOptions)
      .options(liveOptions)
      .options({
        'public-keys': { type: 'string', array: true, requiresArg: true, describe: 'ListPublicKeys output (JSON) whose keys trail.log-integrity trusts instead of the keys the bundle holds; repeatable' },
        'trusted-key-fingerprints': { type: 'string', requiresArg: true, describe: 'Comma list of CloudTrail key fingerprints trail.log-integrity trusts: a digest signed by any other key FAILs (overrides integrity.trustedKeyFingerprints)' },
        logs: {
          type: 'string',
          describe: "DIR or s3://bucket/prefix (repeatable): also run the event rules over these CloudTrail log files (S3 delivery layout), within --period and --accounts. Without a value, live: also copy each trail's log and digest files of the period into the bundle",
        },
        gate: { type: 'boolean', describe: 'The account-vending gate (as trailproof gate): the gate.checks of the config for the one account of --accounts, and one summary line' },
      })
      .options(auditReportOptions)
      .options(securityHubOption)
      .options(signingOptions)
      .example('$0 audit --assume-role TrailproofAudit --out reports/2026-Q3 --format json,junit', 'Audit the organization live; the evidence is kept in reports/2026-Q3/evidence')
      .example('$0 audit --bundle ./evidence --format json --fail-on medium > findings.json', 'A CI gate with JSON on stdout')
      .example('$0 audit --bundle ./evidence --logs s3://org-trail-bucket/AWSLogs/o-abc123 --period 2026-Q3 --out reports/q3', "The checks over the bundle, the event rules over the quarter's logs in the trail bucket too"),
  run: (args, io) => {
    const parsed: AuditArgs = { quiet: arg.boolean(args, 'quiet'), allowModifiedEvidence: arg.boolean(args, 'allow-modified-evidence'), screen: screenFlags(args) };
    const set = <K extends keyof AuditArgs>(key: K, value: AuditArgs[K] | undefined): void => {
      if (value !== undefined) parsed[key] = value;
    };
    set('bundle', arg.string(args, 'bundle'));
    set('out', arg.string(args, 'out'));
    set('format', arg.string(args, 'format'));
    set('failOn', arg.string(args, 'fail-on'));
    set('framework', arg.string(args, 'framework'));
    set('accounts', arg.string(args, 'accounts'));
    set('checks', arg.strings(args, 'checks'));
    set('plugin', arg.strings(args, 'plugin'));
    set('config', arg.string(args, 'config'));
    if (arg.boolean(args, 'gate')) parsed.gate = true;
    set('profile', arg.string(args, 'profile'));
    set('publicKeys', arg.strings(args, 'public-keys'));
    set('trustedKeyFingerprints', arg.string(args, 'trusted-key-fingerprints'));
    const { locations } = logsFlag(args);
    if (locations.length > 0) parsed.logs = locations;
    if (parsed.bundle === undefined) parsed.live = liveCollectOptions(args, io, false);
    const period: PeriodFlags = {};
    for (const key of ['period', 'from', 'to'] as const) {
      const value = arg.string(args, key);
      if (value !== undefined) period[key] = value;
    }
    parsed.period = period;
    const reportArgs: NonNullable<AuditArgs['report']> = {};
    const previous = arg.string(args, 'previous');
    const history = arg.string(args, 'history');
    const templates = arg.string(args, 'templates');
    const paper = arg.string(args, 'paper');
    const emailTo = arg.strings(args, 'email-to');
    const emailTransport = arg.string(args, 'email-transport');
    const emailFrom = arg.string(args, 'email-from');
    const emailSubject = arg.string(args, 'email-subject');
    if (previous !== undefined) reportArgs.previous = previous;
    if (history !== undefined) reportArgs.history = history;
    if (templates !== undefined) reportArgs.templates = templates;
    if (paper !== undefined) reportArgs.paper = paper;
    if (emailTo !== undefined) reportArgs.emailTo = emailTo;
    if (emailTransport !== undefined) reportArgs.emailTransport = emailTransport;
    if (emailFrom !== undefined) reportArgs.emailFrom = emailFrom;
    if (emailSubject !== undefined) reportArgs.emailSubject = emailSubject;
    if (arg.boolean(args, 'sarif-all')) reportArgs.sarifAll = true;
    if (arg.boolean(args, 'security-hub')) {
      parsed.securityHub = { profile: arg.string(args, 'profile'), region: arg.string(args, 'region'), assumeRole: arg.string(args, 'assume-role'), externalId: arg.string(args, 'external-id') };
    }
    parsed.report = reportArgs;
    parsed.signing = signingFlags(args);
    return audit(parsed, io);
  },
};
