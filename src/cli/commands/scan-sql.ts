// `trailproof scan --engine athena|lake|duckdb`: the same rules run as SQL where the events are. Athena reads
// the trail's bucket through the CloudTrail table (created with --create-table), CloudTrail Lake an event
// data store, DuckDB a table loaded here from --logs/--bundle (the SQL path, locally). --dry-run prints the
// SQL and the partitions each query reads, and runs nothing.
import { TrailproofError } from '../../errors.js';
import type { ScanScope } from '../../events/readers/types.js';
import type { RuleSource } from '../../events/sigma/index.js';
import { athenaClient, athenaRunner, ensureAthenaTable } from '../../sql/athena.js';
import { costOf, formatBytes, formatMoney, parsePricePerTb, pricingFor, queryCost, type CostSummary } from '../../sql/cost.js';
import type { EngineName } from '../../sql/dialect.js';
import { athenaIdentifier } from '../../sql/ddl.js';
import { planSqlScan, sqlScan, type SqlScanResult } from '../../sql/engine.js';
import { lakeClient, lakeRunner } from '../../sql/lake.js';
import type { TableLayout } from '../../sql/plan.js';
import type { QueryRunner } from '../../sql/query-types.js';
import type { ArgsOf } from '../command.js';
import type { Io } from '../io.js';
import type { Detection } from '../../model/types.js';

export const sqlEngineOptions = {
  engine: { type: 'string', choices: ['local', 'athena', 'lake', 'duckdb'], default: 'local', describe: 'Where the rules run: local (this process), athena (SQL in Amazon Athena), lake (a CloudTrail Lake event data store), duckdb (the SQL path over --logs/--bundle, locally)' },
  'athena-database': { type: 'string', requiresArg: true, describe: 'Athena: the database (Glue) holding the CloudTrail table' },
  'athena-table': { type: 'string', requiresArg: true, describe: 'Athena: the CloudTrail table (default cloudtrail_logs)' },
  'athena-workgroup': { type: 'string', requiresArg: true, describe: 'Athena: the workgroup the queries run in' },
  'athena-output': { type: 'string', requiresArg: true, describe: 'Athena: s3://... for query results (unless the workgroup sets one)' },
  'athena-region': { type: 'string', requiresArg: true, describe: 'Athena or Lake: the region to query in (default: the SDK\'s)' },
  'create-table': { type: 'string', requiresArg: true, describe: 'Athena: create the table (if missing) over this trail location, s3://bucket[/prefix] (before AWSLogs/)' },
  'organization-id': { type: 'string', requiresArg: true, describe: 'Athena: the table is the organization-wide layout (AWSLogs/<org-id>/<account>/...), partitioned by account too' },
  'table-layout': { type: 'string', choices: ['account', 'organization', 'none'], describe: 'Athena: how the table is partitioned (default: organization with --organization-id, else account)' },
  'event-data-store': { type: 'string', requiresArg: true, describe: 'Lake: the event data store id (or ARN) to query' },
  concurrency: { type: 'number', requiresArg: true, describe: 'SQL engines: queries in flight at once (default 4)' },
  'price-per-tb': { type: 'string', requiresArg: true, describe: 'Price per TB scanned for the cost estimate (default: Athena USD 5, Lake USD 5.12)' },
  'dry-run': { type: 'boolean', default: false, describe: 'SQL engines: print the SQL and the partitions each query would read; run nothing' },
} as const;

/** The SQL engine flags as parsed (--profile where the command has it). */
type SqlEngineArgs = ArgsOf<[typeof sqlEngineOptions]> & { profile?: string | undefined };

export interface SqlRunArgs {
  engine: EngineName;
  rules: RuleSource[];
  parameters: Record<string, Record<string, unknown>>;
  scope: ScanScope;
  /** For DuckDB: the records loaded from --logs/--bundle (read by the caller's readers). */
  loadLocal?: () => Promise<{ runner: QueryRunner; table: string; close(): void; rows: number }>;
}

export interface SqlRunOutcome {
  detections: Detection[];
  /** The findings' `scan.sql` section: engine, queries with bytes and cost, how each rule ran. */
  section: Record<string, unknown>;
  summary: string[];
  ruleErrors: SqlScanResult['ruleErrors'];
}

/** The event data store as Lake's SQL names it in FROM (an ARN's last part), quoted: an id's hyphens are not identifier characters. */
export function lakeStore(store: string): string {
  const id = store.includes('/') ? (store.split('/').pop() as string) : store;
  if (!/^[A-Za-z0-9-]+$/.test(id)) throw new TrailproofError('TP_USAGE', `--event-data-store ${store}: not an event data store id or ARN`);
  return `"${id}"`;
}

function layoutOf(args: SqlEngineArgs, engine: EngineName): TableLayout {
  if (engine === 'lake') return 'none';
  if (engine === 'duckdb') return 'organization';
  const given = args['table-layout'];
  if (given !== undefined) return given as TableLayout;
  return args['organization-id'] !== undefined ? 'organization' : 'account';
}

function tableOf(args: SqlEngineArgs, engine: EngineName): string {
  if (engine === 'lake') {
    const store = args['event-data-store'];
    if (store === undefined) throw new TrailproofError('TP_USAGE', '--engine lake needs --event-data-store ID (the event data store to query)');
    return lakeStore(store);
  }
  if (engine === 'duckdb') return 'cloudtrail_logs';
  const database = args['athena-database'];
  if (database === undefined) throw new TrailproofError('TP_USAGE', '--engine athena needs --athena-database (the Glue database of the CloudTrail table)');
  // Validated as Athena names them (letters, digits, underscores); a query reads them unquoted.
  return `${athenaIdentifier('database', database)}.${athenaIdentifier('table', args['athena-table'] ?? 'cloudtrail_logs')}`;
}

/** The dry run's text: each query's name, the partitions it reads and its SQL. */
export function dryRunText(result: ReturnType<typeof planSqlScan>, engine: EngineName): string {
  const { plan } = result;
  const lines: string[] = [];
  lines.push(`-- trailproof scan --engine ${engine} --dry-run: ${plan.queries.length} queries, ${plan.rules.length} rules`);
  for (const r of plan.rules) {
    if (r.relaxed.length > 0) lines.push(`-- ${r.ruleId}: candidates confirmed in process (${r.relaxed.join('; ')})`);
    if (r.missing.length > 0) lines.push(`-- ${r.ruleId}: reads ${r.missing.join(', ')}, which the table has no column for (always absent)`);
  }
  for (const c of plan.correlations) lines.push(`-- correlation ${c.ruleId}: ${c.pushdown === 'grouped' ? 'grouped query' : 'candidate rows correlated in process'} (${c.reason})`);
  for (const q of plan.queries) {
    lines.push('', `-- query: ${q.name}`, `-- partitions: ${q.partitions.join('; ')}`, `${q.sql};`);
  }
  return lines.join('\n') + '\n';
}

function costLine(cost: CostSummary, engine: EngineName): string {
  if (engine === 'duckdb') return `${cost.queries} queries (DuckDB, in memory: nothing billed)`;
  return `${cost.queries} queries scanned ${formatBytes(cost.bytesScanned)} (billed ${formatBytes(cost.billedBytes)}), estimated ${formatMoney(cost.cost, cost.currency)}`;
}

export async function runSqlScan(args: SqlEngineArgs, io: Io, run: SqlRunArgs, signal?: AbortSignal): Promise<SqlRunOutcome | null> {
  const engine = run.engine;
  const layout = layoutOf(args, engine);
  const table = tableOf(args, engine);
  if (args['dry-run'] === true) {
    io.stdout(dryRunText(planSqlScan({ engine, rules: run.rules, parameters: run.parameters, table, layout, scope: run.scope }), engine));
    return null;
  }
  const price = args['price-per-tb'];
  const pricing = pricingFor(engine === 'lake' ? 'lake' : 'athena', price === undefined ? undefined : parsePricePerTb(price));
  const region = args['athena-region'];
  const profile = args.profile;
  let runner: QueryRunner;
  let close = (): void => undefined;
  if (engine === 'athena') {
    const client = athenaClient({ region, profile });
    const options = { database: args['athena-database'] as string, workgroup: args['athena-workgroup'], outputLocation: args['athena-output'] };
    const location = args['create-table'];
    if (location !== undefined) {
      const orgId = args['organization-id'];
      const tableOnly = args['athena-table'] ?? 'cloudtrail_logs';
      const regions = run.scope.regions;
      if (regions.length === 0) throw new TrailproofError('TP_USAGE', '--create-table needs --regions: the regions whose folders the table projects');
      const ddl =
        orgId !== undefined
          ? { variant: 'organization' as const, table: tableOnly, location, regions, organizationId: orgId, accounts: run.scope.accounts }
          : { variant: 'account' as const, table: tableOnly, location, regions, account: run.scope.accounts[0] ?? '' };
      if (ddl.variant === 'account' && run.scope.accounts.length !== 1) throw new TrailproofError('TP_USAGE', '--create-table for one account\'s trail needs --accounts with that one account (or --organization-id for an organization trail)');
      const ensured = await ensureAthenaTable(client, { ...options, ddl });
      io.stderr(ensured.ran ? `trailproof: created Athena table ${table}\n` : `trailproof: Athena table ${table} exists\n`);
    }
    runner = athenaRunner(client, options);
  } else if (engine === 'lake') {
    runner = lakeRunner(lakeClient({ region, profile }));
  } else {
    if (run.loadLocal === undefined) throw new TrailproofError('TP_USAGE', '--engine duckdb reads --logs or --bundle');
    const loaded = await run.loadLocal();
    runner = loaded.runner;
    close = loaded.close;
  }
  let result: SqlScanResult;
  const lastState = new Map<string, string>();
  try {
    const concurrency = args['concurrency'] === undefined ? 4 : Number(args['concurrency']);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) throw new TrailproofError('TP_USAGE', `--concurrency ${String(args['concurrency'])}: give a whole number from 1 to 32`);
    result = await sqlScan({
      engine, rules: run.rules, parameters: run.parameters, table, layout, scope: run.scope, runner, concurrency,
      ...(signal === undefined ? {} : { signal }),
      onQuery: (e) => {
        // One line per change of state (polls that change nothing print nothing): progress on stderr.
        if (args['quiet'] === true || lastState.get(e.query.name) === e.state) return;
        lastState.set(e.query.name, e.state);
        const p = e.progress;
        io.stderr(`trailproof: query ${e.query.name}${e.queryId === undefined ? '' : ` (${e.queryId})`}: ${e.state} [${p.done}/${p.total} done, ${p.running} running, ${formatBytes(p.bytesScanned)} scanned]\n`);
      },
    });
  } finally {
    close();
  }
  const cost = costOf(result.queries.map((q) => ({ queryId: q.queryId, bytesScanned: q.bytesScanned, engineMs: q.engineMs, totalMs: q.engineMs })), pricing);
  const section = {
    engine,
    table,
    layout,
    queries: result.queries.map((q) => ({ ...q, estimatedCost: engine === 'duckdb' ? 0 : queryCost(q.bytesScanned, pricing) })),
    bytesScanned: cost.bytesScanned,
    billedBytes: engine === 'duckdb' ? 0 : cost.billedBytes,
    estimatedCost: engine === 'duckdb' ? 0 : cost.cost,
    currency: cost.currency,
    pricePerTb: pricing.pricePerTb,
    rules: { exact: result.plan.rules.filter((r) => r.relaxed.length === 0).length, confirmedInProcess: result.plan.rules.filter((r) => r.relaxed.length > 0).map((r) => ({ ruleId: r.ruleId, why: r.relaxed })) },
    correlations: result.plan.correlations,
    rejectedCandidates: result.rejected,
  };
  const summary = [`engine: ${engine} (${table})`, costLine(cost, engine), `rules: ${result.plan.rules.length} compiled, ${section.rules.confirmedInProcess.length} with candidates confirmed in process`];
  return { detections: result.detections, section, summary, ruleErrors: result.ruleErrors };
}
