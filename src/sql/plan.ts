// A rule set compiled into the query one engine runs. All rules share one scan of the table: each rule is a
// flag column (m<ordinal>) and the query keeps the rows some flag is set on, so the bytes scanned (what
// Athena bills) do not grow with the number of rules. Correlations are evaluated by the in-process
// correlator over the rows the SQL returns; the count correlations (event_count, value_count with a lower
// bound, rate_anomaly) are grouped in the same query so that only the groups that can reach their bound
// come back (group.ts). Without grouped correlations, a long period is cut into month slices run
// concurrently; with them, one query covers the period, since a slice would cut bursts and baselines.
import type { ScanScope } from '../events/readers/types.js';
import { isoSeconds } from '../events/record.js';
import type { RuleSet } from '../events/sigma/index.js';
import { outputColumns, type OutputColumn } from './columns.js';
import { literal, type Dialect } from './dialect.js';
import { resolveField, TABLE_ALIAS } from './fields.js';
import { groupText, scanQuery, type GroupedCorrelation } from './group.js';
import { compilePredicate } from './predicate.js';

/** How the Athena table is partitioned (the DDL's variants), or not at all. */
export type TableLayout = 'account' | 'organization' | 'none';

export interface PlanOptions {
  dialect: Dialect;
  /** The table (Athena: [database.]table; DuckDB: a table name; Lake: the event data store id). */
  table: string;
  scope: ScanScope;
  layout: TableLayout;
  /** Cut a period longer than this many days into calendar-month slices (default 31). */
  sliceDays?: number;
}

export interface RulePlan {
  ordinal: number;
  ruleId: string;
  /** Why parts of the rule are confirmed in process (empty when the SQL is exact). */
  relaxed: string[];
  /** Fields the rule reads that the table has no column for (never present on this engine). */
  missing: string[];
  /** Whether every row it matches comes back (it makes detections, or feeds a correlation that is not grouped). */
  returned: boolean;
}

export interface PlannedQuery {
  /** A name for progress and the dry run: `events 2026-07`, `correlation password-spray`. */
  name: string;
  sql: string;
  /** Event-rule ordinals whose flags the rows carry. */
  flags: number[];
  /** The partitions the query reads, for the dry run. */
  partitions: string[];
}

export interface SqlPlan {
  queries: PlannedQuery[];
  rules: RulePlan[];
  columns: OutputColumn[];
  /** Correlations with their own grouped query, and those fed from the shared scan, with why. */
  correlations: Array<{ ruleId: string; pushdown: 'grouped' | 'candidates'; reason: string }>;
}

const DAY_MS = 86_400_000;

function dayPath(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

/** Month slices of [from, to] (inclusive), or the whole range when it is short or open. */
function slices(scope: ScanScope, sliceDays: number): Array<{ from: number | null; to: number | null; label: string }> {
  const { from, to } = scope;
  if (from === null || to === null || to - from <= sliceDays * DAY_MS) return [{ from, to, label: '' }];
  const out: Array<{ from: number; to: number; label: string }> = [];
  let start = from;
  while (start <= to) {
    const d = new Date(start);
    const nextMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    const end = Math.min(nextMonth - 1000, to);
    out.push({ from: start, to: end, label: new Date(start).toISOString().slice(0, 7) });
    start = end + 1000;
  }
  return out;
}

/** The WHERE terms of the scope, partition columns first; and the partitions they read, in words. */
function scopeTerms(dialect: Dialect, layout: TableLayout, scope: ScanScope, from: number | null, to: number | null): { terms: string[]; partitions: string[] } {
  const terms: string[] = [];
  const partitions: string[] = [];
  const col = (name: string): string => `${TABLE_ALIAS}.${dialect.ident(name)}`;
  const list = (values: string[]): string => values.map(literal).join(', ');
  if (layout !== 'none') {
    if (from !== null || to !== null) {
      // A file sits in the folder of its delivery day, which can be the day after its events.
      const lo = from === null ? null : dayPath(from - DAY_MS);
      const hi = to === null ? null : dayPath(to + DAY_MS);
      if (lo !== null) terms.push(`${col('timestamp')} >= ${literal(lo)}`);
      if (hi !== null) terms.push(`${col('timestamp')} <= ${literal(hi)}`);
      partitions.push(`timestamp ${lo ?? '(start)'} .. ${hi ?? '(end)'}`);
    } else partitions.push('timestamp (all days)');
    if (scope.regions.length > 0) {
      terms.push(`${col('region')} IN (${list(scope.regions)})`);
      partitions.push(`region ${scope.regions.join(', ')}`);
    } else partitions.push('region (all)');
    if (layout === 'organization') {
      if (scope.accounts.length > 0) {
        terms.push(`${col('account')} IN (${list(scope.accounts)})`);
        partitions.push(`account ${scope.accounts.join(', ')}`);
      } else partitions.push('account (all)');
    }
  } else partitions.push('(table not partitioned: every file)');
  if (from !== null) terms.push(`${dialect.eventTime} >= ${dialect.instant(isoSeconds(Math.floor(from / 1000) * 1000))}`);
  if (to !== null) terms.push(`${dialect.eventTime} <= ${dialect.instant(isoSeconds(Math.floor(to / 1000) * 1000))}`);
  if (scope.accounts.length > 0) {
    const recipient = resolveField('recipientAccountId', dialect);
    const owner = resolveField('userIdentity.accountId', dialect);
    if (recipient.kind === 'scalar' && owner.kind === 'scalar') terms.push(`COALESCE(${recipient.sql}, ${owner.sql}) IN (${list(scope.accounts)})`);
  }
  if (scope.regions.length > 0) {
    const region = resolveField('awsRegion', dialect);
    if (region.kind === 'scalar') terms.push(`${region.sql} IN (${list(scope.regions)})`);
  }
  return { terms, partitions };
}

function selectList(columns: readonly OutputColumn[]): string {
  return columns.map((c) => `${c.sql} AS ${c.alias}`).join(',\n    ');
}

export function planQueries(ruleSet: RuleSet, options: PlanOptions): SqlPlan {
  const { dialect } = options;
  const columns = outputColumns(dialect);
  const rules: RulePlan[] = [];
  const predicates = new Map<number, string>();
  ruleSet.rules.forEach((rule, ordinal) => {
    if (!rule.generate && !ruleSet.feedsCorrelation(ordinal)) return;
    const p = compilePredicate(rule.expr, dialect);
    predicates.set(ordinal, p.sql);
    rules.push({ ordinal, ruleId: rule.ruleId, relaxed: p.relaxed, missing: p.missing, returned: false });
  });

  // Count correlations are answered by groups; the rest by every row of their base rules.
  const correlations: SqlPlan['correlations'] = [];
  const grouped: GroupedCorrelation[] = [];
  const returned = new Set<number>();
  for (const [ordinal] of predicates) if (ruleSet.rules[ordinal]?.generate === true) returned.add(ordinal);
  ruleSet.correlations.forEach((c, index) => {
    const members = [...new Set(c.members)];
    const fieldLists = members.map((m) => (c.groupFields.get(m) ?? []).join('\0'));
    const groups = (c.groupFields.get(members[0] as number) ?? []).map((f) => groupText(f, dialect));
    const value = c.rule.field === null ? null : groupText(c.rule.field, dialect);
    let reason = groupedReason(c.rule.type, c.rule.condition);
    if (reason === null && new Set(fieldLists).size > 1) reason = 'its base rules group by different fields (aliases)';
    if (reason === null && [...c.valueFields.values()].some((f) => f !== c.rule.field)) reason = 'its base rules count different fields (aliases), or calls with an unknown number of targets';
    if (reason === null && (groups.some((g) => g === null) || (c.rule.field !== null && value === null))) reason = 'a grouped or counted field is not one value per row in the table';
    if (reason !== null) {
      for (const m of members) returned.add(m);
      correlations.push({ ruleId: c.rule.ruleId, pushdown: 'candidates', reason });
      return;
    }
    const bound = c.rule.condition.gt !== undefined ? c.rule.condition.gt + 1 : (c.rule.condition.gte ?? c.rule.condition.eq ?? 1);
    grouped.push({ index, members, groups: groups as string[], value, bound, timespanMs: c.rule.timespanMs, distinct: c.rule.type === 'value_count' });
    correlations.push({
      ruleId: c.rule.ruleId,
      pushdown: 'grouped',
      reason: c.rule.type === 'rate_anomaly' ? `only groups with ${c.rule.timespan} intervals of ${bound} or more events are returned, whole` : `only groups that reach ${bound} in two adjacent ${c.rule.timespan} buckets are returned, whole`,
    });
  });

  for (const r of rules) r.returned = returned.has(r.ordinal);

  // Groups are judged over the whole period (a month's slice would cut bursts and baselines): one query then.
  const queries: PlannedQuery[] = [];
  for (const slice of grouped.length > 0 ? [{ from: options.scope.from, to: options.scope.to, label: '' }] : slices(options.scope, options.sliceDays ?? 31)) {
    const { terms, partitions } = scopeTerms(dialect, options.layout, options.scope, slice.from, slice.to);
    const where = terms.length === 0 ? '' : `\n  WHERE ${terms.join('\n    AND ')}`;
    if (predicates.size === 0) break;
    const sql = scanQuery({ dialect, from: `${options.table} AS ${TABLE_ALIAS}${where}`, select: selectList(columns), flags: predicates, returned: [...returned], grouped });
    queries.push({ name: slice.label === '' ? 'events' : `events ${slice.label}`, sql, flags: [...predicates.keys()], partitions });
  }
  return { queries, rules, columns, correlations };
}

function groupedReason(type: string, condition: { gt?: number; gte?: number; eq?: number }): string | null {
  // rate_anomaly: an interval is never unusual below its minimum count (gte), so a group with no interval
  // that reaches it cannot be; the others come back whole, their history included, for the baseline.
  if (type === 'rate_anomaly') return condition.gte === undefined ? 'its condition has no minimum count to group on' : null;
  if (type !== 'event_count' && type !== 'value_count') return `${type} is correlated in process over its candidate rows`;
  if (condition.gt === undefined && condition.gte === undefined && condition.eq === undefined) return 'its condition has no lower bound to group on';
  return null;
}
