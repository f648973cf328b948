// `trailproof scan`: the event-history rules over CloudTrail events (log files, a bundle, LookupEvents),
// detections into the findings file (CONTRACT section 3) and a readable table; exit by --fail-on.
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { gateExitCode } from '../../engine/gate.js';
import { TrailproofError } from '../../errors.js';
import { eventSourceOptions, progressMode, readCommonArgs, type CommonEventArgs } from '../../events/flags.js';
import { defaultWorkers } from '../../events/pipeline.js';
import { ProgressDisplay } from '../../events/progress.js';
import { readManifest } from '../../events/readers/bundle.js';
import { detectionsTable, readSummary, severityCounts } from '../../events/render.js';
import { applySettings, ruleSettings, ruleSources } from '../../events/rules.js';
import { scanEvents, type ScanStats } from '../../events/scan.js';
import { openSources, scopeFromFlags } from '../../events/sources.js';
import { STATUSES, type Findings, type Severity, type Summary } from '../../model/types.js';
import { toolVersion } from '../../paths.js';
import { type CommandSpec } from '../command.js';
import { processIo, type Io } from '../io.js';
import { FAIL_ON_CHOICES } from '../options.js';

export const scanOptions = {
  ...eventSourceOptions,
  rules: { type: 'string', array: true, requiresArg: true, describe: 'A folder (or file) of Sigma rules to run as well as the built-ins (repeatable)' },
  'builtin-rules': { type: 'boolean', default: true, describe: 'Run the built-in rule catalog (--no-builtin-rules: only the --rules given)' },
  format: { type: 'string', choices: ['table', 'json'], describe: 'table (default): detections for a person; json: the findings file on stdout (or into --out)' },
  out: { type: 'string', requiresArg: true, describe: 'Write findings.json into this folder' },
  'fail-on': { type: 'string', choices: FAIL_ON_CHOICES, describe: 'Lowest severity of a detection that makes the run exit 1 (default high; none never fails)' },
} as const;

/** The scan's own counts, kept in the findings file beside the detections (readers ignore fields they do not know). */
function scanSection(stats: ScanStats): Record<string, unknown> {
  return {
    sources: stats.sources,
    files: { read: stats.files - stats.filesSkipped, skipped: stats.filesSkipped },
    events: { read: stats.events, inScope: stats.eventsInScope, unreadable: stats.eventsSkipped, duplicates: stats.duplicates },
    prunedByKey: stats.pruned,
    skipped: stats.skipped,
    modified: stats.modified,
    correlation: { late: stats.late, untimed: stats.untimed },
    rules: { event: stats.rules.event, correlations: stats.rules.correlations, errors: stats.ruleErrors.map((e) => e.message) },
    elapsedMs: stats.elapsedMs,
    workers: stats.workers,
  };
}

export async function scan(args: Record<string, unknown>, io: Io): Promise<number> {
  const common: CommonEventArgs = readCommonArgs(args);
  const format = args['format'] === undefined ? 'table' : String(args['format']);
  const out = args['out'] === undefined ? undefined : String(args['out']);
  const { config } = loadConfig(common.config, io.cwd);
  if (common.scope.accounts.length === 0 && config.accounts !== undefined) common.scope.accounts = [...config.accounts];
  const failOn = (args['fail-on'] === undefined ? (config.failOn ?? 'high') : String(args['fail-on'])) as Severity | 'none';
  const { scope, period } = scopeFromFlags(common.scope);
  const rulesDirs = (args['rules'] === undefined ? [] : (Array.isArray(args['rules']) ? args['rules'] : [args['rules']])).map((d) => resolve(io.cwd, String(d)));
  const rules = ruleSources({ builtin: args['builtin-rules'] !== false, dirs: rulesDirs });
  const settings = ruleSettings(config);
  const opened = await openSources(common.source, scope, io.cwd);
  const startedAt = new Date();

  const progress = new ProgressDisplay(progressMode(common, io === processIo && process.stderr.isTTY === true), io.stderr, 'scan');
  let result;
  try {
    result = await scanEvents(opened.sources, {
      rules: rules.sources,
      parameters: settings.parameters,
      scope,
      workers: common.workers ?? defaultWorkers(),
      onProgress: (s) => progress.update(s),
    });
  } finally {
    progress.done();
  }
  const stats: ScanStats = { ...result.stats, ruleErrors: [...rules.errors, ...result.stats.ruleErrors] };
  for (const err of stats.ruleErrors) io.stderr(`trailproof: rule not loaded: ${err.message}\n`);
  const detections = applySettings(result.detections, settings);

  const manifest = common.source.bundle === undefined ? undefined : readManifest(resolve(io.cwd, common.source.bundle));
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Summary;
  summary.detections = detections.length;
  const finishedAt = new Date();
  const findings: Findings & { scan: Record<string, unknown> } = {
    schemaVersion: '1',
    tool: { name: 'trailproof', version: toolVersion },
    run: {
      id: randomUUID(),
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      source: opened.live ? 'live' : 'bundle',
      scope: {
        accounts: scope.accounts.length > 0 ? scope.accounts : [...(manifest?.scope.accounts ?? [])].sort(),
        regions: scope.regions.length > 0 ? scope.regions : [...(manifest?.scope.regions ?? [])].sort(),
      },
      period: { from: period?.from ?? null, to: period?.to ?? null },
      collectedAt: manifest?.collectedAt ?? finishedAt.toISOString(),
      failOn,
    },
    summary,
    results: [],
    detections,
    waivers: [],
    scan: scanSection({ ...stats, detections: detections.length }),
  };
  let exitCode: number = gateExitCode(findings, failOn);
  // Every input failed (corrupt files, a denied LookupEvents everywhere): no event was read, nothing can be decided.
  const nothingRead = stats.events === 0 && stats.filesSkipped > 0;
  if (exitCode === 0 && nothingRead) exitCode = 3;

  const json = JSON.stringify(findings, null, 2) + '\n';
  if (out !== undefined) {
    const dir = resolve(io.cwd, out);
    mkdirSync(dir, { recursive: true });
    const target = join(dir, 'findings.json');
    writeFileSync(`${target}.tmp`, json);
    renameSync(`${target}.tmp`, target);
  }
  const lines = [
    ...readSummary(stats),
    `rules: ${stats.rules.event} event rules, ${stats.rules.correlations} correlations${stats.ruleErrors.length > 0 ? `, ${stats.ruleErrors.length} not loaded` : ''}`,
    `${detections.length} detections: ${severityCounts(detections)}`,
  ];
  if (stats.files === 0) lines.push('no log files in scope: check the folder, the prefix and --from/--to, --accounts, --regions');
  if (nothingRead) lines.push('no events could be read: nothing can be decided (exit 3)');
  lines.push(`gate: --fail-on ${failOn} -> exit ${exitCode}`);
  const summaryText = lines.join('\n') + '\n';

  // stdout carries the findings (JSON) or the detection table; the summary is a log, on stderr either way.
  if (format === 'json' && out === undefined) io.stdout(json);
  else io.stdout(detections.length > 0 ? detectionsTable(detections) : 'no detections\n');
  if (!common.quiet) io.stderr(summaryText);

  if (stats.modified.length > 0 && !common.allowModified) {
    const listed = stats.modified.slice(0, 3).join(', ') + (stats.modified.length > 3 ? ` and ${stats.modified.length - 3} more` : '');
    throw new TrailproofError('TP_BUNDLE_TAMPERED', `evidence bundle ${common.source.bundle ?? ''} does not match its manifest (${stats.modified.length} modified: ${listed}). Use --allow-modified-evidence to accept it`);
  }
  return exitCode;
}

export const command: CommandSpec = {
  name: 'scan',
  describe: 'Run the event-history rules (Sigma) over CloudTrail events, write detections, exit by --fail-on',
  builder: (y) =>
    y
      .options(scanOptions)
      .example('$0 scan --logs ./AWSLogs --period 2026-Q3 --out reports/q3', 'A quarter of an organization\'s logs, findings.json into reports/q3')
      .example('$0 scan --logs s3://org-trail-bucket/AWSLogs/o-abc123 --from 2026-09-14 --to 2026-09-15', 'Two days straight from the trail bucket')
      .example('$0 scan --bundle ./evidence --rules ./my-rules --no-builtin-rules --format json > findings.json', 'Only your own Sigma rules, JSON on stdout'),
  run: (args, io) => scan(args, io),
};
