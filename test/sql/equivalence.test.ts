// The SQL path proves itself against the in-process engine: the DuckDB dialect of the generated SQL, over a
// table shaped like Athena's (structs, JSON-text documents), must find exactly the events and correlation
// groups a local scan finds over the same records, for every built-in rule and every SigmaHQ rule. "The same
// records" are the records as the table holds them: a key the CloudTrail table has no column for (a SigmaHQ
// case writes a `status` field CloudTrail never writes) cannot be read by SQL, and the plan names it.
import { expect } from 'chai';
import type { Detection } from '../../src/model/types.js';
import type { CloudTrailRecord } from '../../src/events/record.js';
import { FULL_SCOPE, type LogSource } from '../../src/events/readers/types.js';
import { BUILTIN_RULES_DIR } from '../../src/events/rules.js';
import { scanEvents } from '../../src/events/scan.js';
import { compileSources, type RuleSource } from '../../src/events/sigma/index.js';
import { duckdbRunner, duckTable, type DuckTable } from '../../src/sql/duckdb.js';
import { planSqlScan, sqlScan, type SqlScanResult } from '../../src/sql/engine.js';
import { rowToRecord } from '../../src/sql/columns.js';
import { ATHENA_COLUMNS, type Column } from '../../src/sql/schema.js';
import { equivalenceCorpus, ruleSourcesOf, SIGMAHQ_DIR } from './corpus.js';
import { ran } from '../helpers/real-parts.js';
import { requireSigmaHq } from '../helpers/sigmahq.js';

export function recordsSource(records: CloudTrailRecord[]): LogSource {
  return {
    describe: 'records',
    async *units() {
      yield { kind: 'records', name: 'corpus', size: 0, delivered: null, records };
    },
    skipped: () => [],
    pruned: () => ({ folders: 0, files: 0 }),
    mayRepeat: () => false,
  };
}

/** The record as the table holds it: only the keys it has columns (or struct fields) for. */
function asStored(value: Record<string, unknown>, columns: readonly Column[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const v = value[c.name];
    if (v === undefined) continue;
    if (c.type.kind === 'struct' && v !== null && typeof v === 'object' && !Array.isArray(v)) out[c.name] = asStored(v as Record<string, unknown>, c.type.fields);
    else if (c.type.kind === 'array' && c.type.element.kind === 'struct' && Array.isArray(v)) {
      const fields = c.type.element.fields;
      out[c.name] = v.map((e) => (e !== null && typeof e === 'object' ? asStored(e as Record<string, unknown>, fields) : e));
    } else out[c.name] = v;
  }
  return out;
}

const text = (d: Detection): string => JSON.stringify(d);

describe('SQL push-down: equivalence with the in-process engine (DuckDB)', function () {
  this.timeout(120_000);
  let raw: CloudTrailRecord[];
  let stored: CloudTrailRecord[];
  let rules: RuleSource[];
  let parameters: Record<string, Record<string, unknown>>;
  let table: DuckTable;
  let sql: SqlScanResult;
  let local: Detection[];

  before(async function () {
    // The proof covers the built-in rules and the SigmaHQ corpus together, or does not run (named, never smaller).
    requireSigmaHq(this);
    ran('duckdb');
    rules = [...ruleSourcesOf(BUILTIN_RULES_DIR), ...ruleSourcesOf(SIGMAHQ_DIR)];
    const corpus = await equivalenceCorpus();
    raw = corpus.records;
    parameters = corpus.parameters;
    stored = raw.map((r) => asStored(r as Record<string, unknown>, ATHENA_COLUMNS) as CloudTrailRecord);
    table = await duckTable(raw);
    sql = await sqlScan({ engine: 'duckdb', rules, parameters, table: table.table, layout: 'organization', scope: FULL_SCOPE, runner: duckdbRunner(table.connection) });
    local = (await scanEvents([recordsSource(stored)], { rules, parameters, scope: FULL_SCOPE, workers: 0 })).detections;
  });

  after(() => table?.close());

  it('loads every rule, and the whole corpus into the table', () => {
    expect(sql.ruleErrors.map((e) => e.message)).to.deep.equal([]);
    expect(table.rows).to.equal(raw.length);
    expect(sql.plan.rules.length).to.be.greaterThan(100);
  });

  it('flags, rule by rule, exactly the events the in-process rule matches (relaxed rules after their confirmation)', async () => {
    const { ruleSet } = compileSources(rules, { parameters });
    const { plan } = planSqlScan({ engine: 'duckdb', rules, parameters, table: table.table, layout: 'organization', scope: FULL_SCOPE });
    const shared = plan.queries;
    expect(shared).to.have.length(1);
    const query = shared[0] as (typeof shared)[number];
    const result = await duckdbRunner(table.connection).run(query.sql, {});
    const flagged = new Map<number, Set<string>>(query.flags.map((o) => [o, new Set<string>()]));
    for (const row of result.rows) {
      const record = rowToRecord(row, plan.columns);
      for (const o of query.flags) {
        if (row[`m${o}`] !== '1') continue;
        const relaxed = (plan.rules.find((r) => r.ordinal === o)?.relaxed.length ?? 0) > 0;
        if (!relaxed || ruleSet.rules[o]?.match(record) === true) flagged.get(o)?.add(String(record.eventID));
      }
    }
    const mismatches: string[] = [];
    for (const o of query.flags) {
      const rule = ruleSet.rules[o];
      // A grouped correlation's base rule comes back only for the groups that can reach the bound.
      if (rule === undefined || plan.rules.find((r) => r.ordinal === o)?.returned !== true) continue;
      const expected = stored.filter((r) => rule.match(r)).map((r) => String(r.eventID));
      const got = [...(flagged.get(o) ?? [])];
      if (JSON.stringify(got.sort()) !== JSON.stringify(expected.sort())) mismatches.push(`${rule.ruleId}: SQL ${got.length}, in process ${expected.length}`);
    }
    expect(mismatches).to.deep.equal([]);
    // Most rules compile to exact SQL; the rest say why they are confirmed in process.
    const exact = plan.rules.filter((r) => r.relaxed.length === 0).length;
    expect(exact).to.be.greaterThan(plan.rules.length / 2);
  });

  it('gives the same detections, event and correlation, as a local scan', () => {
    expect(local.length).to.be.greaterThan(100);
    for (const type of ['event_count', 'value_count', 'rate_anomaly']) expect(local.some((d) => d['correlation'] === type), type).to.equal(true);
    const mine = new Set(sql.detections.map(text));
    const theirs = new Set(local.map(text));
    const missing = local.filter((d) => !mine.has(text(d))).map((d) => `${d.ruleId} ${d.eventId} ${d.firstSeen}`);
    const extra = sql.detections.filter((d) => !theirs.has(text(d))).map((d) => `${d.ruleId} ${d.eventId} ${d.firstSeen}`);
    expect({ missing, extra }).to.deep.equal({ missing: [], extra: [] });
    expect(sql.detections.map(text)).to.deep.equal(local.map(text));
  });

  it('pushes the count and anomaly correlations down as grouped queries that return fewer rows than their base rules match', async () => {
    const grouped = sql.plan.correlations.filter((c) => c.pushdown === 'grouped').map((c) => c.ruleId);
    expect(grouped).to.include.members(['password-spray', 's3-mass-deletion', 'console-login-failures', 'api-call-rate-anomaly', 'api-error-rate-anomaly']);
    // The grouped correlations' base rules (every write call, for one) match more rows than come back for them.
    const { ruleSet } = compileSources(rules, { parameters });
    const { plan } = planSqlScan({ engine: 'duckdb', rules, parameters, table: table.table, layout: 'organization', scope: FULL_SCOPE });
    const groupedOnly = plan.rules.filter((r) => !r.returned).map((r) => r.ordinal);
    expect(groupedOnly.length).to.be.greaterThan(3);
    const result = await duckdbRunner(table.connection).run(plan.queries[0]?.sql ?? '', {});
    for (const o of groupedOnly) {
      const matched = stored.filter((r) => ruleSet.rules[o]?.match(r) === true).length;
      const back = result.rows.filter((row) => row[`m${o}`] === '1').length;
      expect(back, ruleSet.rules[o]?.ruleId).to.be.at.most(matched);
    }
    const matchedAll = stored.filter((r) => groupedOnly.some((o) => ruleSet.rules[o]?.match(r) === true)).length;
    const backAll = result.rows.filter((row) => groupedOnly.some((o) => row[`m${o}`] === '1')).length;
    expect(backAll).to.be.greaterThan(0).and.lessThan(matchedAll);
  });

  it('names the fields a rule reads that the CloudTrail table has no column for', function () {
    const withStatus = sql.plan.rules.filter((r) => r.missing.includes('status'));
    expect(withStatus.length).to.be.greaterThan(0);
  });
});
