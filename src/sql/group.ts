// A count correlation (event_count, value_count) pushed down as a grouped query. A sliding window of the
// timespan lies within two adjacent buckets of the same length, so a group whose every pair of adjacent
// buckets stays below the bound can never reach it: such groups are left out in the engine, and every row
// of the others is returned, so the in-process correlator sees each remaining group whole and its
// detections are the same as over every row.
import type { Dialect } from './dialect.js';
import { resolveField } from './fields.js';

export interface GroupedCorrelation {
  /** Index in RuleSet.correlations. */
  index: number;
  /** Base-rule ordinals (distinct). */
  members: number[];
  /** SQL for each group-by value, as the correlator reads it (the first value, as text). */
  groups: string[];
  /** value_count: SQL of the counted value. */
  value: string | null;
  /** The smallest windowed count that can satisfy the condition. */
  bound: number;
  timespanMs: number;
  distinct: boolean;
}

/** The SQL of a field's value as one text per row, or null when the table has it only as a list or document. */
export function groupText(field: string, dialect: Dialect): string | null {
  const access = resolveField(field, dialect);
  switch (access.kind) {
    case 'scalar':
      return access.sql;
    case 'json':
      return dialect.jsonScalar(access.doc, access.path);
    case 'missing':
      return 'CAST(NULL AS VARCHAR)';
    default:
      return null;
  }
}

export function groupedQuery(g: GroupedCorrelation, ctx: { dialect: Dialect; from: string; select: string; predicates: ReadonlyMap<number, string> }): string {
  const { dialect } = ctx;
  const flags = g.members.map((m) => `CASE WHEN ${ctx.predicates.get(m) ?? 'FALSE'} THEN 1 ELSE 0 END AS m${m}`);
  const keys = g.groups.map((_, i) => `g${i}`);
  const keyed = [...g.groups.map((sql, i) => `${sql} AS g${i}`), ...(g.value === null ? [] : [`${g.value} AS v`]), `floor(${dialect.epochMs(dialect.eventTime)} / ${g.timespanMs}) AS b`];
  const anyFlag = g.members.map((m) => `m${m} = 1`).join(' OR ');
  // event_count counts one entry per base rule an event matches, as the correlator does.
  const measure = g.distinct ? 'count(DISTINCT v)' : `sum(${g.members.map((m) => `m${m}`).join(' + ')})`;
  const partition = keys.length === 0 ? '' : `PARTITION BY ${keys.join(', ')} `;
  const keyList = keys.length === 0 ? '' : `${keys.join(', ')}, `;
  const join = keys.length === 0 ? 'TRUE' : keys.map((k) => `hits.${k} IS NOT DISTINCT FROM hot.${k}`).join(' AND ');
  return [
    'WITH scanned AS (',
    `  SELECT\n    ${ctx.select},\n    ${[...flags, ...keyed].join(',\n    ')}`,
    `  FROM ${ctx.from}`,
    '), hits AS (',
    `  SELECT * FROM scanned WHERE ${anyFlag}`,
    '), counts AS (',
    `  SELECT ${keyList}b, ${measure} AS n FROM hits GROUP BY ${keyList}b`,
    '), hot AS (',
    `  SELECT DISTINCT ${keys.length === 0 ? '1 AS one' : keys.join(', ')}`,
    '  FROM (',
    `    SELECT ${keyList}b, n, lag(b) OVER (${partition}ORDER BY b) AS pb, lag(n) OVER (${partition}ORDER BY b) AS pn FROM counts`,
    '  ) AS adjacent',
    `  WHERE n + CASE WHEN pb = b - 1 THEN pn ELSE 0 END >= ${g.bound}`,
    ')',
    `SELECT hits.* FROM hits JOIN hot ON ${join}`,
  ].join('\n');
}


