// `trailproof scan`: the event-history rules over CloudTrail events (log files, a bundle, LookupEvents),
// detections into the findings file (CONTRACT section 3) and a readable table; exit by --fail-on.
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { gateLine, outcome as outcomeOfExit, runOutcome } from '../../engine/gate.js';
import { TrailproofError, errorMessage } from '../../errors.js';
import { eventSourceOptions, progressMode, readCommonArgs, type CommonEventArgs } from '../event-options.js';
import { timeFormat, timeZoneOption, type TimeFormat } from '../time-options.js';
import { defaultWorkers } from '../../events/pipeline.js';
import { ProgressDisplay } from '../../events/progress.js';
import { readManifest } from '../../events/readers/bundle.js';
import { correlationLines, correlationSection, detectionsTable, readSummary, severityCounts } from '../../output/events-text.js';
import { applySettings, ruleSettings, ruleSources } from '../../events/rules.js';
import { scanSection } from '../../events/audit-scan.js';
import { scanEvents, type ScanStats } from '../../events/scan.js';
import { openSources, scopeFromFlags } from '../../events/sources.js';
import { STATUSES, type Detection, type Findings, type Severity, type Summary } from '../../model/types.js';
import type { ScanScope } from '../../events/readers/types.js';
import type { RuleLoadError, RuleSource } from '../../events/sigma/index.js';
import { toolVersion } from '../../paths.js';
import { defineCommand, type ArgsOf } from '../command.js';
import { processIo, screenFlags, screenFor, type Io } from '../io.js';
import type { Screen } from '../../output/terminal.js';
import { FAIL_ON_CHOICES } from '../options.js';
import { decodeUnit } from '../../events/readers/decode.js';
import type { CloudTrailRecord } from '../../events/record.js';
import type { EngineName } from '../../sql/dialect.js';
import { duckdbRunner, duckTable, duckTableFromFiles } from '../../sql/duckdb.js';
import type { LogUnit } from '../../events/readers/types.js';
import { runSqlScan, sqlEngineOptions } from './scan-sql.js';

export const scanOptions = {
  ...eventSourceOptions,
  rules: { type: 'string', array: true, requiresArg: true, describe: 'A folder (or file) of Sigma rules to run as well as the built-ins (repeatable)' },
  'builtin-rules': { type: 'boolean', default: true, describe: 'Run the built-in rule catalog (--no-builtin-rules: only the --rules given)' },
  format: { type: 'string', choices: ['table', 'json'], describe: 'table (default): detections for a person; json: the findings file on stdout (or into --out)' },
  out: { type: 'string', requiresArg: true, describe: 'Write findings.json into this folder' },
  'fail-on': { type: 'string', choices: FAIL_ON_CHOICES, describe: 'Lowest severity of a detection that makes the run exit 1 (default high; none never fails)' },
  ...sqlEngineOptions,
  group: { type: 'boolean', default: true, describe: 'The table shows one row per rule with a count (--no-group or --wide: one row per detection); findings.json always has each' },
  ...timeZoneOption,
} as const;

type ScanArgs = ArgsOf<[typeof scanOptions]>;

export async function scan(args: ScanArgs, io: Io): Promise<number> {
  const common: CommonEventArgs = readCommonArgs(args, { cwd: io.cwd, nowMs: Date.now() });
  tableOptionsOf(args); // an unknown --tz is bad usage before any file is read
  const format = args.format ?? 'table';
  const out = args.out;
  const { config } = loadConfig(common.config, io.cwd);
  if (common.scope.accounts.length === 0 && config.accounts !== undefined) common.scope.accounts = [...config.accounts];
  const failOn: Severity | 'none' = args['fail-on'] ?? config.failOn ?? 'high';
  const { scope, period } = scopeFromFlags(common.scope);
  const rulesDirs = (args.rules ?? []).map((d) => resolve(io.cwd, d));
  const rules = ruleSources({ builtin: args['builtin-rules'] !== false, dirs: rulesDirs });
  const settings = ruleSettings(config);
  const engine = args.engine;
  if (engine !== 'local') {
    return scanSql(args, io, { engine, common, scope, period, failOn, format, out, rules: rules.sources, ruleErrors: rules.errors, settings });
  }
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
  const correlation = correlationSection(stats, settings);
  const findings = scanFindings({ startedAt, live: opened.live, scope, period, manifest, failOn, detections, scan: scanSection({ ...stats, detections: detections.length }, correlation) });
  // The outcome is decided before findings.json is written, and recorded in it (run.outcome). Every input
  // failed (corrupt files, a denied LookupEvents everywhere): no event was read, nothing can be decided.
  const nothingRead = stats.events === 0 && stats.filesSkipped > 0;
  const tampered = stats.modified.length > 0 && !common.allowModified;
  findings.run.outcome = tampered ? outcomeOfExit(2, `${stats.modified.length} event file(s) of the evidence bundle do not match its manifest and --allow-modified-evidence was not given`)
    : runOutcome(findings, failOn);
  if (findings.run.outcome.exitCode === 0 && nothingRead) findings.run.outcome = outcomeOfExit(3, 'no events could be read');

  const lines = [
    ...readSummary(stats),
    `rules: ${stats.rules.event} event rules, ${stats.rules.correlations} correlations${stats.ruleErrors.length > 0 ? `, ${stats.ruleErrors.length} not loaded` : ''}`,
    `${detections.length} detections: ${severityCounts(detections)}`,
    ...correlationLines(correlation),
  ];
  if (stats.files === 0) lines.push('no log files in scope: check the folder, the prefix and --from/--to, --accounts, --regions');
  if (nothingRead) lines.push('no events could be read: nothing can be decided (exit 3)');
  lines.push(`gate: ${gateLine(findings)}`);
  emit(io, { findings, format, out, quiet: common.quiet, lines, screen: screenFor(io, screenFlags(args)), table: tableOptionsOf(args) });

  if (tampered) {
    const listed = stats.modified.slice(0, 3).join(', ') + (stats.modified.length > 3 ? ` and ${stats.modified.length - 3} more` : '');
    throw new TrailproofError('TP_BUNDLE_TAMPERED', `evidence bundle ${common.source.bundle ?? ''} does not match its manifest (${stats.modified.length} modified: ${listed}). Use --allow-modified-evidence to accept it`);
  }
  return findings.run.outcome.exitCode;
}

interface FindingsParts {
  startedAt: Date;
  live: boolean;
  scope: ScanScope;
  period: { from?: string | null; to?: string | null } | undefined;
  manifest: { collectedAt: string; scope: { accounts: string[]; regions: string[] } } | undefined;
  failOn: Severity | 'none';
  detections: Detection[];
  scan: Record<string, unknown>;
}

/** The findings file of a scan (CONTRACT section 3): detections, no posture results, the scan's own counts. */
function scanFindings(p: FindingsParts): Findings & { scan: Record<string, unknown> } {
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Summary;
  summary.detections = p.detections.length;
  summary.observations = 0;
  const finishedAt = new Date();
  return {
    schemaVersion: '1',
    tool: { name: 'trailproof', version: toolVersion },
    run: {
      id: randomUUID(),
      startedAt: p.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      source: p.live ? 'live' : 'bundle',
      scope: {
        accounts: p.scope.accounts.length > 0 ? p.scope.accounts : [...(p.manifest?.scope.accounts ?? [])].sort(),
        regions: p.scope.regions.length > 0 ? p.scope.regions : [...(p.manifest?.scope.regions ?? [])].sort(),
      },
      period: { from: p.period?.from ?? null, to: p.period?.to ?? null },
      collectedAt: p.manifest?.collectedAt ?? finishedAt.toISOString(),
      failOn: p.failOn,
    },
    summary,
    results: [],
    detections: p.detections,
    waivers: [],
    scan: p.scan,
  };
}

/** findings.json into --out; stdout carries the findings (JSON) or the detection table; the summary is a log, on stderr. */
/** How the detection table reads: the zone of its times and whether a rule's detections share one row. */
interface TableOptions {
  time: TimeFormat;
  group: boolean;
}

function tableOptionsOf(args: { tz?: string | undefined; group?: boolean | undefined; wide?: boolean | undefined }): TableOptions {
  return { time: timeFormat(args.tz), group: args.group !== false && args.wide !== true };
}

function emit(io: Io, o: { findings: Findings; format: string; out: string | undefined; quiet: boolean; lines: string[]; screen: Screen; table: TableOptions }): void {
  const json = JSON.stringify(o.findings, null, 2) + '\n';
  if (o.out !== undefined) {
    const dir = resolve(io.cwd, o.out);
    mkdirSync(dir, { recursive: true });
    const target = join(dir, 'findings.json');
    writeFileSync(`${target}.tmp`, json);
    renameSync(`${target}.tmp`, target);
  }
  if (o.format === 'json' && o.out === undefined) io.stdout(json);
  else io.stdout(o.findings.detections.length > 0 ? detectionsTable(o.findings.detections, o.screen, o.table.time, o.table.group) : 'no detections\n');
  if (!o.quiet) io.stderr(o.lines.join('\n') + '\n');
}

interface SqlScanContext {
  engine: EngineName;
  common: CommonEventArgs;
  scope: ScanScope;
  period: FindingsParts['period'];
  failOn: Severity | 'none';
  format: string;
  out: string | undefined;
  rules: RuleSource[];
  ruleErrors: RuleLoadError[];
  settings: ReturnType<typeof ruleSettings>;
}

/** The scan on a SQL engine (scan-sql.ts); DuckDB loads --logs/--bundle through the same readers first. */
async function scanSql(args: ScanArgs, io: Io, c: SqlScanContext): Promise<number> {
  const startedAt = new Date();
  const loadLocal = async (): Promise<{ runner: ReturnType<typeof duckdbRunner>; table: string; close(): void; rows: number }> => {
    const opened = await openSources(c.common.source, c.scope, io.cwd);
    const units: LogUnit[] = [];
    for (const source of opened.sources) for await (const unit of source.units()) units.push(unit);
    // Plain log files (not a bundle's, whose hashes are checked as they are read): DuckDB reads them itself.
    if (units.length > 0 && units.every((u) => u.kind === 'file' && u.sha256 === undefined)) {
      try {
        const fast = await duckTableFromFiles(units.map((u) => (u as { path: string }).path));
        return { runner: duckdbRunner(fast.connection), table: fast.table, close: () => fast.close(), rows: fast.rows };
      } catch (err) {
        io.stderr(`trailproof: DuckDB could not read the files itself (${errorMessage(err).split('\n')[0] ?? ''}); loading them record by record\n`);
      }
    }
    async function* records(): AsyncGenerator<CloudTrailRecord> {
      for (const unit of units) {
        const batch: CloudTrailRecord[] = [];
        const stats = await decodeUnit(unit, (record) => batch.push(record));
        for (const p of stats.problems) io.stderr(`trailproof: skipped ${p.name}: ${p.reason}\n`);
        yield* batch;
      }
    }
    const table = await duckTable(records());
    return { runner: duckdbRunner(table.connection), table: table.table, close: () => table.close(), rows: table.rows };
  };
  // Ctrl-C stops the queries on the engine (they are billed while they run) and ends the run; a second one
  // quits at once, whatever a call still waits for.
  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) process.exit(130);
    io.stderr('trailproof: interrupted; stopping the queries (Ctrl-C again to quit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  let outcome;
  try {
    outcome = await runSqlScan(args, io, { engine: c.engine, rules: c.rules, parameters: c.settings.parameters, scope: c.scope, loadLocal }, abort.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  if (outcome === null) return 0;
  const ruleErrors = [...c.ruleErrors, ...outcome.ruleErrors];
  for (const err of ruleErrors) io.stderr(`trailproof: rule not loaded: ${err.message}\n`);
  const detections = applySettings(outcome.detections, c.settings);
  const findings = scanFindings({ startedAt, live: c.engine !== 'duckdb', scope: c.scope, period: c.period, manifest: undefined, failOn: c.failOn, detections, scan: { sql: outcome.section, rules: { errors: ruleErrors.map((e) => e.message) } } });
  findings.run.outcome = runOutcome(findings, c.failOn);
  emit(io, { findings, format: c.format, out: c.out, quiet: c.common.quiet, screen: screenFor(io, screenFlags(args)), table: tableOptionsOf(args), lines: [...outcome.summary, `${detections.length} detections: ${severityCounts(detections)}`, `gate: ${gateLine(findings)}`] });
  return findings.run.outcome.exitCode;
}

export const command = defineCommand({
  name: 'scan',
  describe: 'Run the event-history rules (Sigma) over CloudTrail events, write detections, exit by --fail-on',
  options: [scanOptions],
  builder: (y) =>
    y
      .example('$0 scan --logs ./AWSLogs --period 2026-Q3 --out reports/q3', 'A quarter of an organization\'s logs, findings.json into reports/q3')
      .example('$0 scan --logs s3://org-trail-bucket/AWSLogs/o-abc123 --from 2026-09-14 --to 2026-09-15', 'Two days straight from the trail bucket')
      .example('$0 scan --bundle ./evidence --rules ./my-rules --no-builtin-rules --format json > findings.json', 'Only your own Sigma rules, JSON on stdout')
      .example('$0 scan --engine athena --athena-database security --athena-table cloudtrail_logs --athena-output s3://athena-results/tp/ --period 2026-Q3', 'The rules as SQL in Athena, over a quarter of the CloudTrail table')
      .example('$0 scan --engine athena --athena-database security --period 2026-Q3 --dry-run', 'Print the SQL and the partitions it would read; run nothing')
      .example('$0 scan --engine lake --event-data-store EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE --from 2026-09-01', 'The rules in a CloudTrail Lake event data store')
      .example('$0 scan --lookup-events --since 7d --no-group', 'The last week of management events, live, each detection on its own row'),
  run: scan,
});
