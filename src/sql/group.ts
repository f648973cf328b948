// The one query a scan runs (per slice of a long period when nothing is grouped): every rule a flag column,
// and the count correlations (event_count, value_count, rate_anomaly) pushed down as groups. A sliding
// window of the timespan lies within two adjacent buckets of that length, so a group whose every pair of
// adjacent buckets stays below the correlation's bound can never reach it: the rows of such groups stay in
// the engine; the others come back whole, so the in-process correlator sees each of them entire and its
// detections are the same as over every row. All correlations are counted in one GROUP BY GROUPING SETS
// over the matched rows, so the table is read twice (matched rows, then their counts), however many
// correlations there are.
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

export interface ScanQueryParts {
  dialect: Dialect;
  /** `table AS ct WHERE <scope>`. */
  from: string;
  /** The select list (record columns). */
  select: string;
  /** Flag SQL of every rule the query answers for, by ordinal. */
  flags: ReadonlyMap<number, string>;
  /** Ordinals whose every matched row comes back. */
  returned: readonly number[];
  grouped: readonly GroupedCorrelation[];
}

const flagColumn = (ordinal: number): string => `m${ordinal}`;

export function scanQuery(p: ScanQueryParts): string {
  const flags = [...p.flags].map(([o, sql]) => `CASE WHEN ${sql} THEN 1 ELSE 0 END AS ${flagColumn(o)}`);
  const anyFlag = (ordinals: Iterable<number>): string => [...ordinals].map((o) => `${flagColumn(o)} = 1`).join(' OR ');
  if (p.grouped.length === 0) {
    return `SELECT *\nFROM (\n  SELECT\n    ${p.select},\n    ${flags.join(',\n    ')}\n  FROM ${p.from}\n) AS matched\nWHERE ${anyFlag(p.returned)}`;
  }
  const { dialect } = p;
  const keyed: string[] = [];
  p.grouped.forEach((g, i) => {
    g.groups.forEach((sql, j) => keyed.push(`${sql} AS g${i}_${j}`));
    if (g.value !== null) keyed.push(`${g.value} AS v${i}`);
    keyed.push(`floor(${dialect.epochMs(dialect.eventTime)} / ${g.timespanMs}) AS b${i}`);
  });
  // Per row, per correlation: how many of its base rules the event matched (event_count counts each).
  const memberSums = p.grouped.map((g, i) => `${g.members.map(flagColumn).join(' + ')} AS ms${i}`);
  const anyMember = p.grouped.flatMap((g) => g.members);
  const width = Math.max(0, ...p.grouped.map((g) => g.groups.length));
  const keyCols = (i: number): string[] => p.grouped[i]?.groups.map((_, j) => `g${i}_${j}`) ?? [];
  const sets = p.grouped.map((_, i) => `(${[...keyCols(i), `b${i}`].join(', ')})`);
  const measures = p.grouped.map((g, i) => (g.distinct ? `count(DISTINCT CASE WHEN ms${i} > 0 THEN v${i} END) AS n${i}` : `sum(ms${i}) AS n${i}`));
  const which = `CASE ${p.grouped.map((_, i) => `WHEN grouping(b${i}) = 0 THEN ${i}`).join(' ')} END`;
  const pick = (column: (i: number) => string | null): string => `CASE cid ${p.grouped.map((_, i) => `WHEN ${i} THEN ${column(i) ?? 'NULL'}`).join(' ')} END`;
  const keys = Array.from({ length: width }, (_, j) => `k${j}`);
  const partition = ['cid', ...keys].join(', ');
  const unified = [
    'cid',
    ...keys.map((k, j) => `${pick((i) => (j < (p.grouped[i]?.groups.length ?? 0) ? `g${i}_${j}` : null))} AS ${k}`),
    `${pick((i) => `b${i}`)} AS b`,
    `${pick((i) => `n${i}`)} AS n`,
    `${pick((i) => String(p.grouped[i]?.bound ?? 1))} AS bound`,
  ];
  const joins = p.grouped.map((_, i) => `LEFT JOIN hot AS h${i} ON h${i}.cid = ${i}${keyCols(i).map((c, j) => ` AND h${i}.k${j} IS NOT DISTINCT FROM hits.${c}`).join('')}`);
  const returned = p.returned.length === 0 ? [] : [anyFlag(p.returned)];
  const kept = [...returned, ...p.grouped.map((_, i) => `(hits.ms${i} > 0 AND h${i}.cid IS NOT NULL)`)];
  return [
    'WITH scanned AS (',
    `  SELECT\n    ${p.select},\n    ${[...flags, ...keyed].join(',\n    ')}`,
    `  FROM ${p.from}`,
    '), hits AS (',
    `  SELECT *, ${memberSums.join(', ')} FROM scanned WHERE ${anyFlag(new Set([...p.returned, ...anyMember]))}`,
    '), counts AS (',
    `  SELECT ${which} AS cid, ${[...p.grouped.flatMap((_, i) => [...keyCols(i), `b${i}`]), ...measures].join(', ')}`,
    `  FROM hits GROUP BY GROUPING SETS (${sets.join(', ')})`,
    '), unified AS (',
    `  SELECT ${unified.join(', ')} FROM counts`,
    '), hot AS (',
    `  SELECT DISTINCT ${partition}`,
    '  FROM (',
    `    SELECT ${partition}, b, n, bound, lag(b) OVER (PARTITION BY ${partition} ORDER BY b) AS pb, lag(n) OVER (PARTITION BY ${partition} ORDER BY b) AS pn FROM unified`,
    '  ) AS adjacent',
    '  WHERE n + CASE WHEN pb = b - 1 THEN pn ELSE 0 END >= bound',
    ')',
    `SELECT hits.* FROM hits\n${joins.join('\n')}\nWHERE ${kept.join('\n   OR ')}`,
  ].join('\n');
}
