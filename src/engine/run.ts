// The audit pipeline as a library: typed options in, findings out. config -> check registry -> plan -> the
// evidence (a bundle folder, or one collected live into a folder first) -> the log files' digest chains verified
// and given to the estate -> the event rules over the bundle's events and any other logs -> the checks ->
// findings with the run's one outcome. It writes nothing and prints nothing: writing the outputs and the report
// are separate functions (src/output, src/output/write-report.ts) the CLI calls with what this returns, and what the
// scan has to say comes back as data for the caller to show. `trailproof audit` is a translation of flags into
// AuditOptions around this; `withAudit` keeps a live bundle until the caller has written what cites it.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LiveCollectOptions } from '../collect/index.js';
import { loadConfig, type Config, type ResponseConfig } from '../config/load.js';
import { TrailproofError } from '../errors.js';
import { bundleHoldsEvents, scanBundleEvents, scanSection } from '../events/audit-scan.js';
import { detectionContextOrProblem } from '../events/context.js';
import { correlationSection, type CorrelationSection } from '../events/correlation-section.js';
import { BUILTIN_RULES_DIR, ruleSettings } from '../events/rules.js';
import type { ScanStats } from '../events/scan.js';
import { openSources, scopeFromFlags, type ScopeFlags, type SourceFlags } from '../events/sources.js';
import { Bundle } from '../evidence/bundle.js';
import { verifyBundleLogs, type KeyTrustOptions } from '../integrity/bundle.js';
import { parseFingerprints, readPublicKeyFiles } from '../integrity/keys.js';
import type { Findings, Severity } from '../model/types.js';
import { parsePeriod, type PeriodFlags } from '../model/period.js';
import { planAudit, runAudit, type RunRequest } from './audit.js';
import { loadFrameworks } from './frameworks.js';
import { gateCheckIds, runOutcome } from './gate.js';
import { CheckRegistry, loadBuiltinChecks, loadPlugin } from './registry.js';

export interface AuditOptions {
  /** Folder relative paths are resolved against (default: the process's working folder). */
  cwd?: string;
  /** The evidence bundle folder to audit. Without it the evidence is collected live (`live`). */
  bundle?: string;
  /** Without `bundle`: what to collect from AWS first (keepAs: keep the bundle there, else a removed temp folder). */
  live?: LiveCollectOptions;
  /** Config file (YAML or JSON); relative plugins in it are loaded from its folder. */
  config?: string;
  /** Check ids or patterns to run (`trail.*`); empty or absent: every enabled check and the event rules. */
  checks?: string[];
  /** Plugin check folders, files or packages (relative to cwd), besides the config's plugins. */
  plugins?: string[];
  /** Run and report one framework, requirement by requirement. */
  framework?: string;
  /** Account ids to report on (12 digits). */
  accounts?: string[];
  /** Lowest severity that fails the gate (default: the config's failOn, else high). */
  failOn?: Severity | 'none';
  /** The account-vending gate: gate.checks of the config for the one account of `accounts`. */
  gate?: boolean;
  /** Log files (a folder or s3://bucket/prefix) the event rules read besides the bundle's own events. */
  logs?: string[];
  /** AWS profile for an s3:// `logs` location. */
  profile?: string;
  /** ListPublicKeys outputs whose keys trail.log-integrity trusts instead of the bundle's. */
  publicKeys?: string[];
  /** The only CloudTrail key fingerprints trail.log-integrity accepts (over the config's). */
  trustedKeyFingerprints?: string[];
  /** The period the audit covers (also the scope of the event rules). */
  period?: PeriodFlags;
  /** Audit a bundle whose files do not match its manifest (results marked tampered). */
  allowModifiedEvidence?: boolean;
  /** Who prepared the report (findings run.preparedBy; over the config's report.preparedBy). */
  preparedBy?: string;
  /** Management responses (a --responses file's entries); they come before the config's `responses:`. */
  responses?: ResponseConfig[];
  /**
   * Runs the live collection (e.g. with a Ctrl-C handler that calls `cleanup`, which removes the unfinished
   * bundle and returns what it removed). Default: just runs it.
   */
  guardCollection?: <T>(cleanup: () => string[], collect: () => Promise<T>) => Promise<T>;
}

/** One audit's results and the evidence they cite, for writing the outputs. */
export interface AuditRun {
  findings: Findings;
  /** The bundle audited, opened (its integrity report says whether it matched its manifest). */
  bundle: Bundle;
  /** The bundle's folder (absolute), for report excerpts and signing. */
  bundleDir: string;
  /** The bundle's path as the findings record it (as given, or where a live collection kept it). */
  shownPath: string;
  source: 'bundle' | 'live';
  failOn: Severity | 'none';
  accounts: string[];
  config: Config;
  /** The config file's folder (relative paths in the config are resolved against it). */
  configBaseDir: string;
  /** What the event rules read and skipped, when they ran. */
  scan?: { stats: ScanStats; correlation: CorrelationSection };
}

/** `accounts` checked to be 12-digit account ids (a caller may check before doing anything else). */
export function checkAccounts(accounts: readonly string[]): string[] {
  for (const a of accounts) if (!/^\d{12}$/.test(a)) throw new TrailproofError('TP_USAGE', `--accounts: "${a}" is not a 12-digit account id`);
  return [...accounts];
}

/** Ids of the built-in event rules (checks/rules/<ruleId>.yml), which the config may tune under checks.<ruleId>. */
function builtinRuleIds(): string[] {
  return readdirSync(BUILTIN_RULES_DIR).filter((f) => f.endsWith('.yml')).map((f) => f.slice(0, -'.yml'.length));
}

/** The built-in checks and the plugins, each plugin spec resolved against its base folder. */
export async function loadRegistry(pluginSpecs: { spec: string; baseDir: string }[]): Promise<CheckRegistry> {
  const registry = await loadBuiltinChecks(new CheckRegistry());
  for (const { spec, baseDir } of pluginSpecs) await loadPlugin(spec, baseDir, registry);
  return registry;
}

/** The checks --gate runs: gate.checks for the one account, never with a check or framework selection. */
function gateProfile(options: AuditOptions, accounts: string[], ids: string[], config: Config): string[] {
  if (accounts.length !== 1) throw new TrailproofError('TP_USAGE', '--gate judges one new account: give it as --accounts ACCOUNT_ID');
  if (ids.length > 0 || options.framework !== undefined) throw new TrailproofError('TP_USAGE', '--gate runs the checks of gate.checks in the config; it does not go with --checks or --framework');
  return gateCheckIds(config);
}

/**
 * Runs the audit and hands the run to `use` while its evidence is on disk: a live bundle collected into a
 * temporary folder is removed once `use` returns (kept when `live.keepAs` is given). Errors in the options,
 * the config or the plan are thrown before any evidence is read or collected.
 */
export async function withAudit<T>(options: AuditOptions, use: (run: AuditRun) => Promise<T>): Promise<T> {
  const cwd = options.cwd ?? process.cwd();
  const accounts = checkAccounts(options.accounts ?? []);
  const { config, file, baseDir } = loadConfig(options.config, cwd);
  const ids = [...(options.checks ?? [])];
  if (options.gate === true) ids.splice(0, ids.length, ...gateProfile(options, accounts, ids, config));
  const registry = await loadRegistry([
    ...(config.plugins ?? []).map((spec) => ({ spec, baseDir })),
    ...(options.plugins ?? []).map((spec) => ({ spec, baseDir: cwd })),
  ]);
  const request: { checks: string[]; framework?: string; configFile?: string; ruleIds: string[] } = { checks: ids, ruleIds: builtinRuleIds() };
  if (options.framework !== undefined) request.framework = options.framework;
  if (file !== undefined) request.configFile = options.config ?? file;
  const plan = planAudit(registry, loadFrameworks(), config, request);
  const failOn = options.failOn ?? config.failOn ?? 'high';

  // The event rules read the audit's period and accounts; `logs` adds log files to the bundle's own events.
  const scopeFlags: ScopeFlags = { accounts, regions: [] };
  for (const key of ['period', 'from', 'to'] as const) {
    const value = options.period?.[key];
    if (value !== undefined) scopeFlags[key] = value;
  }
  const { scope } = scopeFromFlags(scopeFlags);
  const sourceFlags: SourceFlags = { logs: options.logs ?? [], lookupEvents: false };
  if (options.profile !== undefined) sourceFlags.profile = options.profile;
  const logSources = sourceFlags.logs.length > 0 ? (await openSources(sourceFlags, scope, cwd)).sources : [];
  const keyTrust = keyTrustOf(options, config, cwd);

  const audit = async (bundleDir: string, shownPath: string, source: 'bundle' | 'live'): Promise<T> => {
    const bundle = Bundle.open(bundleDir, { allowModified: options.allowModifiedEvidence === true });
    const runRequest: RunRequest = { source, bundlePath: shownPath, failOn };
    // Verifying digest chains reads files and is asynchronous, so it runs before the (pure, synchronous)
    // checks, and trail.log-integrity reads the outcome from the estate.
    if (plan.checks.some((c) => c.check.meta.id === 'trail.log-integrity')) runRequest.verifications = { logIntegrity: await verifyBundleLogs(bundle, { ...keyTrust, live: source === 'live' }) };
    let scan: AuditRun['scan'];
    // The event rules run too when the evidence holds events (logs/ or LookupEvents.jsonl). A check or
    // framework selection asks for posture checks only.
    if (ids.length === 0 && options.framework === undefined && (logSources.length > 0 || bundleHoldsEvents(bundle))) {
      const scanned = await scanBundleEvents(bundle, { config, scope, sources: logSources });
      runRequest.detections = scanned.detections;
      scan = { stats: scanned.stats, correlation: correlationSection(scanned.stats, ruleSettings(config)) };
    }
    // A live gate's collection is narrowed to the account and the organization trails that decide it: all of it is reported.
    if (accounts.length > 0 && !(options.gate === true && source === 'live')) runRequest.accounts = accounts;
    if (options.framework !== undefined) runRequest.framework = options.framework;
    if (options.preparedBy !== undefined) runRequest.preparedBy = options.preparedBy;
    if (options.responses !== undefined) runRequest.responses = options.responses;
    const findings = runAudit(bundle, plan, runRequest);
    // The scan's own counts (what was read, what was skipped and why, which correlations could not be completed:
    // the gate reads it) beside the detections, as `trailproof scan` keeps them.
    if (scan !== undefined) (findings as Findings & { scan?: Record<string, unknown> }).scan = scanSection(scan.stats, scan.correlation);
    // The story around each high or critical detection and the days the logs cover, for the report (src/events/context.ts).
    if (scan !== undefined) findings.eventContext = await detectionContextOrProblem(bundle.dir, bundle.manifest, findings.detections);
    // The outcome is decided before anything is written, and every output states it (findings.json run.outcome).
    findings.run.outcome = runOutcome(findings, failOn);
    const period = parsePeriod(options.period ?? {});
    if (period) findings.run.period = { from: period.from, to: period.to };
    const run: AuditRun = { findings, bundle, bundleDir, shownPath, source, failOn, accounts, config, configBaseDir: baseDir };
    if (scan !== undefined) run.scan = scan;
    return use(run);
  };
  return withEvidence(options, cwd, audit);
}

/** The findings of one audit (a live bundle collected into a temporary folder is removed before it returns). */
export async function audit(options: AuditOptions): Promise<Findings> {
  return withAudit(options, async (run) => run.findings);
}

/**
 * Why the run decides nothing when its evidence does not match its manifest (exit 2), naming the files;
 * undefined when it matches or was accepted.
 */
export function tamperedEvidence(run: AuditRun): TrailproofError | undefined {
  if (run.findings.run.outcome?.exitCode !== 2) return undefined;
  const integrity = run.bundle.integrity;
  const refused = integrity.refused ?? [];
  const names = [...integrity.modified, ...integrity.missing, ...refused.map((r) => `${r.file} (refused: ${r.reason})`)];
  const listed = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
  return new TrailproofError(
    'TP_BUNDLE_TAMPERED',
    `evidence bundle ${run.shownPath} does not match its manifest (${integrity.modified.length} modified, ${integrity.missing.length} missing${refused.length > 0 ? `, ${refused.length} refused unread` : ''}: ${listed}); results citing them are marked tampered. Use --allow-modified-evidence to accept it`,
  );
}

/** The trust anchor of the log-integrity verification: keys the auditor gives or pins (options over config). */
function keyTrustOf(options: AuditOptions, config: Config, cwd: string): KeyTrustOptions {
  const pinned = options.trustedKeyFingerprints !== undefined
    ? parseFingerprints(options.trustedKeyFingerprints, '--trusted-key-fingerprints')
    : config.integrity?.trustedKeyFingerprints?.map((f) => f.toLowerCase());
  const publicKeys = options.publicKeys ?? [];
  return {
    ...(publicKeys.length > 0 ? { auditorKeys: { keys: readPublicKeyFiles(publicKeys, cwd), files: publicKeys } } : {}),
    ...(pinned !== undefined && pinned.length > 0 ? { pinned } : {}),
  };
}

/**
 * Runs `fn` over the bundle folder, or over a bundle collected live first (kept in live.keepAs, else in a
 * temporary folder removed afterwards), so a live audit's findings are those of auditing the kept bundle again.
 */
async function withEvidence<T>(
  options: AuditOptions,
  cwd: string,
  fn: (bundleDir: string, shownPath: string, source: 'bundle' | 'live') => Promise<T>,
): Promise<T> {
  if (options.bundle !== undefined) return fn(resolve(cwd, options.bundle), options.bundle, 'bundle');
  const keepAs = options.live?.keepAs;
  // The SDK takes seconds to load: only a live audit pays for it.
  const live = await import('../collect/index.js');
  const guard = options.guardCollection ?? (<R>(_cleanup: () => string[], collect: () => Promise<R>): Promise<R> => collect());
  const dir = await guard(live.removePartialBundles, () => live.collectToTempBundle({ ...options.live, ...(keepAs === undefined ? {} : { keepAs: resolve(cwd, keepAs) }) }));
  try {
    return await fn(dir, keepAs ?? dir, 'live');
  } finally {
    if (keepAs === undefined) await live.removeTempBundle(dir);
  }
}

