// The predicate compiler's promises, one by one, run on DuckDB: no NULL leaks into NOT, wildcards and
// escapes, the `all` and `neq` modifiers, relaxation to a superset (and what it says), and fields the table
// does not have.
import { expect } from 'chai';
import type { CloudTrailRecord } from '../../src/events/record.js';
import { compileRuleSource, type CompiledRule } from '../../src/events/sigma/index.js';
import { ATHENA, DUCKDB } from '../../src/sql/dialect.js';
import { duckdbRunner, duckTable, type DuckTable } from '../../src/sql/duckdb.js';
import { compilePredicate } from '../../src/sql/predicate.js';
import { TABLE_ALIAS } from '../../src/sql/fields.js';

const LOGSOURCE = 'logsource:\n  product: aws\n  service: cloudtrail\n';

function rule(detection: string): CompiledRule {
  const [r] = compileRuleSource(`title: t\n${LOGSOURCE}detection:\n${detection}`, 'inline.yml');
  if (r === undefined || r.kind !== 'event') throw new Error('no event rule');
  return r;
}

const RECORDS: CloudTrailRecord[] = [
  { eventID: 'a', eventName: 'DeleteBucket', eventSource: 's3.amazonaws.com', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::1:user/Winter' }, requestParameters: { bucketName: 'prod_data%1' } },
  { eventID: 'b', eventName: 'DeleteBucket', eventSource: 's3.amazonaws.com', errorCode: 'AccessDenied', requestParameters: { bucketName: 'prodXdata' } },
  { eventID: 'c', eventName: 'AuthorizeSecurityGroupIngress', eventSource: 'ec2.amazonaws.com', requestParameters: { ipPermissions: { items: [{ ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } } },
  { eventID: 'd', eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com', additionalEventData: { MFAUsed: 'No' }, sourceIPAddress: '10.1.2.3' },
] as CloudTrailRecord[];

describe('SQL predicates (run on DuckDB against the in-process matcher)', function () {
  this.timeout(60_000);
  let table: DuckTable;
  before(async () => {
    table = await duckTable(RECORDS, 'events');
  });
  after(() => table.close());

  async function ids(r: CompiledRule): Promise<string[]> {
    const p = compilePredicate(r.expr, DUCKDB);
    const result = await duckdbRunner(table.connection).run(`SELECT ${TABLE_ALIAS}.eventid AS id FROM events AS ${TABLE_ALIAS} WHERE ${p.sql} ORDER BY id`, {});
    return result.rows.map((row) => String(row['id']));
  }

  async function agrees(detection: string): Promise<{ sql: string[]; relaxed: string[] }> {
    const r = rule(detection);
    const sql = await ids(r);
    const relaxed = compilePredicate(r.expr, DUCKDB).relaxed;
    const local = RECORDS.filter((x) => r.match(x)).map((x) => String(x.eventID));
    if (relaxed.length === 0) expect(sql, 'exact SQL').to.deep.equal(local);
    else expect(sql, 'a relaxed predicate is a superset').to.include.members(local);
    return { sql, relaxed };
  }

  it('keeps events whose field is absent under NOT (no NULL leaks through SQL three-valued logic)', async () => {
    const { sql } = await agrees('  sel:\n    errorCode: AccessDenied\n  condition: not sel\n');
    expect(sql).to.deep.equal(['a', 'c', 'd']);
  });

  it('reads % and _ in a value literally, and * and ? as wildcards', async () => {
    expect((await agrees("  sel:\n    requestParameters.bucketName: 'prod_data%1'\n  condition: sel\n")).sql).to.deep.equal(['a']);
    expect((await agrees("  sel:\n    requestParameters.bucketName: 'prod?data*'\n  condition: sel\n")).sql).to.deep.equal(['a', 'b']);
  });

  it('matches case-insensitively, and exactly with |cased', async () => {
    expect((await agrees("  sel:\n    userIdentity.arn|endswith: '/winter'\n  condition: sel\n")).sql).to.deep.equal(['a']);
    expect((await agrees("  sel:\n    userIdentity.arn|cased|endswith: '/winter'\n  condition: sel\n")).sql).to.deep.equal([]);
  });

  it('treats null as absent, and neq as present and different', async () => {
    expect((await agrees('  sel:\n    errorCode: null\n  condition: sel\n')).sql).to.deep.equal(['a', 'c', 'd']);
    expect((await agrees('  sel:\n    eventName|neq: DeleteBucket\n  condition: sel\n')).sql).to.deep.equal(['c', 'd']);
  });

  it('relaxes a JSON path that crosses an array, and says why', async () => {
    const { relaxed } = await agrees("  sel:\n    requestParameters.ipPermissions.items.ipRanges.items.cidrIp: '0.0.0.0/0'\n  condition: sel\n");
    expect(relaxed.join(' ')).to.include('cross an array');
  });

  it('relaxes cidr on DuckDB (no network type) and writes contains() on Trino', async () => {
    const { relaxed } = await agrees("  sel:\n    sourceIPAddress|cidr: '10.0.0.0/8'\n  condition: sel\n");
    expect(relaxed.join(' ')).to.include('inet');
    expect(compilePredicate(rule("  sel:\n    sourceIPAddress|cidr: '10.0.0.0/8'\n  condition: sel\n").expr, ATHENA).sql).to.include("contains('10.0.0.0/8', TRY_CAST(ct.sourceipaddress AS IPADDRESS))");
  });

  it('relaxes keywords, which no column holds', async () => {
    const { relaxed } = await agrees('  keywords:\n    - Winter\n  condition: keywords\n');
    expect(relaxed.join(' ')).to.include('keywords');
  });

  it('names a field the table has no column for', () => {
    expect(compilePredicate(rule('  sel:\n    status: success\n  condition: sel\n').expr, DUCKDB).missing).to.deep.equal(['status']);
  });
});
