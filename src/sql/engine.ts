// Runs a rule set on a SQL engine: compile the plan, run its queries through a QueryRunner (Athena, Lake or
// DuckDB) within a concurrency bound, and turn the rows into detections with the same code as the local
// scan: each row is rebuilt into a CloudTrail record; a flag makes an event detection (relaxed rules are
// confirmed by the in-process match first); correlation inputs are correlated in process, in time order.
import type { Detection } from '../model/types.js';
import { compareDetections, correlationDetection, eventDetection } from '../events/detections.js';
import { inputOrder } from '../events/scan.js';
import type { ScanScope } from '../events/readers/types.js';
import { compileRules } from '../events/builtin-rules.js';
import { Correlator, type CorrelationInput, type RuleLoadError, type RuleSet, type RuleSource } from '../events/sigma/index.js';
import { rowToRecord } from './columns.js';
import { DIALECTS, type EngineName } from './dialect.js';
import { planQueries, type PlannedQuery, type SqlPlan, type TableLayout } from './plan.js';
import type { QueryResult, QueryRunner } from './query-types.js';
import { DEFAULT_CONCURRENCY, runQueries, type RunProgress } from './run-queries.js';

export interface SqlScanOptions {
  engine: EngineName;
  rules: RuleSource[];
  parameters?: Record<string, Record<string, unknown>>;
  table: string;
  layout: TableLayout;
  scope: ScanScope;
  runner: QueryRunner;
  /** Queries in flight at once (default 4). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Each change of a query's state (started, the engine's QUEUED/RUNNING..., done, failed), with the run's progress. */
  onQuery?: (event: { query: PlannedQuery; state: string; queryId: string | undefined; progress: RunProgress }) => void;
}

export interface QueryReport {
  name: string;
  queryId: string;
  rows: number;
  bytesScanned: number;
  engineMs: number;
}

export interface SqlScanResult {
  detections: Detection[];
  plan: SqlPlan;
  queries: QueryReport[];
  ruleErrors: RuleLoadError[];
  /** Rows a relaxed rule fetched that the in-process match then rejected. */
  rejected: number;
}

/** Compiles the rules for the engine without running anything (the dry run, `rules sql`). */
export function planSqlScan(options: Pick<SqlScanOptions, 'engine' | 'rules' | 'parameters' | 'table' | 'layout' | 'scope'>): { plan: SqlPlan; ruleSet: RuleSet; errors: RuleLoadError[] } {
  const { ruleSet, errors } = compileRules(options.rules, { parameters: options.parameters ?? {} });
  const plan = planQueries(ruleSet, { dialect: DIALECTS[options.engine], table: options.table, scope: options.scope, layout: options.layout });
  return { plan, ruleSet, errors };
}

/**
 * Every query through runQueries (bounded, one abort for all). A failed query fails the scan, naming it:
 * its rules' answer is missing, so no detection list is complete; the others were left to finish.
 */
async function runAll(queries: readonly PlannedQuery[], options: SqlScanOptions): Promise<QueryResult[]> {
  const byName = new Map(queries.map((q) => [q.name, q]));
  const outcomes = await runQueries(
    options.runner,
    queries.map((q) => ({ id: q.name, sql: q.sql })),
    {
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onProgress: (progress, event) => {
        const query = byName.get(event.id);
        if (query !== undefined) options.onQuery?.({ query, state: event.state, queryId: event.queryId, progress });
      },
    },
  );
  const failed = outcomes.filter((o) => !o.ok).length;
  return outcomes.map((o) => {
    if (o.ok) return o.result;
    if (failed > 1) o.error.message += ` (and ${failed - 1} more of ${queries.length} queries failed)`;
    throw o.error;
  });
}

export async function sqlScan(options: SqlScanOptions): Promise<SqlScanResult> {
  const { plan, ruleSet, errors } = planSqlScan(options);
  const results = await runAll(plan.queries, options);
  const relaxed = new Set(plan.rules.filter((r) => r.relaxed.length > 0).map((r) => r.ordinal));
  const detections: Detection[] = [];
  const seen = new Set<string>();
  const inputs: Array<{ input: CorrelationInput; id: string }> = [];
  let rejected = 0;
  let eventIndex = 0;
  plan.queries.forEach((query, q) => {
    const result = results[q] as QueryResult;
    for (const row of result.rows) {
      const record = rowToRecord(row, plan.columns);
      const index = eventIndex++;
      const id = typeof record.eventID === 'string' ? record.eventID : '';
      for (const ordinal of query.flags) {
        if (row[`m${ordinal}`] !== '1') continue;
        const rule = ruleSet.rules[ordinal];
        if (rule === undefined) continue;
        if (relaxed.has(ordinal) && !rule.match(record)) {
          rejected++;
          continue;
        }
        // A table over several trails' files can hold an event twice; it counts once, as in a local scan.
        const key = `${ordinal}\0${id}`;
        if (id !== '' && seen.has(key)) continue;
        if (id !== '') seen.add(key);
        if (rule.generate) detections.push(eventDetection(rule, record));
        const input = ruleSet.correlationInput(ordinal, record, index);
        if (input !== null) inputs.push({ input, id });
      }
    }
  });
  // Rows come back in no particular order: correlate in the local scan's order (time, event id, rule).
  inputs.sort((a, b) => inputOrder(a.input, b.input));
  const correlator = new Correlator(ruleSet, { reorderWindowMs: 0 });
  for (const { input } of inputs) for (const match of correlator.push(input)) detections.push(correlationDetection(match));
  for (const match of correlator.flush()) detections.push(correlationDetection(match));
  detections.sort(compareDetections);
  const queries = plan.queries.map((query, q) => {
    const r = results[q] as QueryResult;
    return { name: query.name, queryId: r.stats.queryId, rows: r.rows.length, bytesScanned: r.stats.bytesScanned, engineMs: r.stats.engineMs };
  });
  return { detections, plan, queries, ruleErrors: errors, rejected };
}
