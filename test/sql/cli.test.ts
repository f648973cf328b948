// The SQL engines through the real CLI: `rules sql` output that a Trino grammar parses (and golden files that
// keep it readable), `scan --engine duckdb` giving the local scan's detections over the demo organization's
// logs, and `scan --engine athena` against a mocked Athena: the dry run calls nothing, a run maps the rows
// back into detections and reports the bytes scanned and the estimated cost.
import { expect } from 'chai';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, GetTableMetadataCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import type { CloudTrailRecord } from '../../src/events/record.js';
import { FULL_SCOPE } from '../../src/events/readers/types.js';
import { BUILTIN_RULES_DIR } from '../../src/events/rules.js';
import type { Findings } from '../../src/model/types.js';
import { packageRoot } from '../../src/paths.js';
import type { OutputColumn } from '../../src/sql/columns.js';
import { planSqlScan } from '../../src/sql/engine.js';
import { ruleSourcesOf, SIGMAHQ_DIR } from './corpus.js';
import { expectGolden } from '../helpers/golden.js';
import { requireSigmaHq } from '../helpers/sigmahq.js';
import { sqlParsers } from './sql-parser.js';

const DEMO_LOGS = join(packageRoot, 'examples', 'demo-org', 'logs');
const GOLDEN = join(packageRoot, 'test', 'sql', 'golden');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(packageRoot);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

/** The statements of a `rules sql` / dry-run text (comments dropped, split on the closing semicolons). */
function statements(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n')
    .split(/;\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s !== '');
}

describe('SQL engines through the CLI', function () {
  this.timeout(120_000);

  describe('rules sql', () => {
    for (const engine of ['athena', 'lake'] as const) {
      it(`writes ${engine} SQL that the Trino grammar parses, for every built-in and SigmaHQ rule`, async function () {
        requireSigmaHq(this);
        const extra = ['--rules', SIGMAHQ_DIR];
        const r = await cli(['rules', 'sql', '--engine', engine, '--period', '2026-Q3', '--accounts', '111122223333', '--regions', 'us-east-1,eu-west-1', '--event-data-store', 'EXAMPLE-f852-4e8f', ...extra]);
        expect(r.err).to.equal('');
        expect(r.code).to.equal(0);
        const sql = statements(r.out);
        expect(sql.length).to.be.greaterThan(0);
        expect(r.out).to.include('GROUP BY GROUPING SETS');
        const { TrinoSQL } = await sqlParsers();
        const parser = new TrinoSQL();
        for (const s of sql) expect(parser.validate(s).map((e) => e.message), s.slice(0, 200)).to.deep.equal([]);
        if (engine === 'athena') {
          expect(r.out).to.include(`ct."timestamp" >= '2026/06/30'`);
          expect(r.out).to.include(`ct.region IN ('eu-west-1', 'us-east-1')`);
        } else expect(r.out).to.include('FROM "EXAMPLE-f852-4e8f" AS ct');
      });
    }

    it('rejects SQL the Trino grammar does not accept (the parse check is real)', async () => {
      const { TrinoSQL } = await sqlParsers();
      expect(new TrinoSQL().validate('SELECT FROM WHERE ct.x = ').length).to.be.greaterThan(0);
    });

    for (const [rule, engine] of [['root-account-usage', 'athena'], ['s3-bucket-made-public', 'athena'], ['password-spray', 'athena'], ['password-spray', 'lake'], ['console-login-without-mfa', 'duckdb']] as const) {
      it(`keeps the ${engine} SQL of ${rule} as its golden file says`, async () => {
        const r = await cli(['rules', 'sql', '--engine', engine, '--no-builtin-rules', '--rules', join(BUILTIN_RULES_DIR, `${rule}.yml`), '--from', '2026-09-01', '--to', '2026-09-30', '--event-data-store', 'EXAMPLE-f852-4e8f']);
        expect(r.code).to.equal(0);
        const file = join(GOLDEN, `${rule}.${engine}.sql`);
        expectGolden(file, r.out);
      });
    }
  });

  describe('scan --engine duckdb', () => {
    it('finds over the demo organization\'s logs exactly what the local scan finds', async function () {
      const local = await cli(['scan', '--logs', DEMO_LOGS, '--format', 'json', '--fail-on', 'none', '--quiet']);
      const duck = await cli(['scan', '--engine', 'duckdb', '--logs', DEMO_LOGS, '--format', 'json', '--fail-on', 'none', '--quiet']);
      expect(duck.code, duck.err).to.equal(0);
      const a = JSON.parse(local.out) as Findings;
      const b = JSON.parse(duck.out) as Findings & { scan: { sql: { engine: string; queries: unknown[] } } };
      expect(a.detections.length).to.be.greaterThan(0);
      expect(b.detections).to.deep.equal(a.detections);
      expect(b.scan.sql.engine).to.equal('duckdb');
      expect(b.detections.some((d) => d.eventName === 'DeleteBucket' && d.actor.endsWith(':user/Winter'))).to.equal(true);
      // DuckDB read the files itself (the fast load), not record by record.
      expect(duck.err).to.not.include('record by record');
    });

    it('falls back to loading record by record when DuckDB cannot read a file, naming the file and keeping the rest', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'trailproof-duck-'));
      cpSync(DEMO_LOGS, dir, { recursive: true });
      const bad = join(dir, 'AWSLogs', 'o-a1b2c3d4e5', '444444444444', 'CloudTrail', 'us-east-1', '2026', '09', '14', '444444444444_CloudTrail_us-east-1_20260914T0400Z_TRUNCATEDxxxxxxxx.json.gz');
      writeFileSync(bad, gzipSync(Buffer.from('{"Records":[{"eventVersion":"1.10"')).subarray(0, 20));
      const r = await cli(['scan', '--engine', 'duckdb', '--logs', dir, '--format', 'json', '--fail-on', 'none']);
      expect(r.code, r.err).to.equal(0);
      expect(r.err).to.include('loading them record by record');
      expect(r.err).to.include('TRUNCATED');
      const findings = JSON.parse(r.out) as Findings;
      expect(findings.detections.some((d) => d.eventName === 'DeleteBucket')).to.equal(true);
    });
  });

  describe('scan --engine athena (mocked Athena)', () => {
    // The mock replaces every AthenaClient's send while this block runs, and only then.
    let athena: ReturnType<typeof mockClient>;
    before(() => {
      athena = mockClient(AthenaClient);
    });
    afterEach(() => athena.reset());
    after(() => athena.restore());

    it('--dry-run prints the SQL and the partitions it reads (one query for the quarter, the correlations grouped in it), and calls nothing', async () => {
      const r = await cli(['scan', '--engine', 'athena', '--athena-database', 'security', '--period', '2026-Q3', '--regions', 'us-east-1', '--dry-run']);
      expect(r.code).to.equal(0);
      expect(r.out).to.match(/-- query: events\n-- partitions: timestamp 2026\/06\/30 \.\. 2026\/10\/01; region us-east-1/);
      expect(r.out).to.include('GROUP BY GROUPING SETS');
      // Only event rules: a month per query, run concurrently.
      const monthly = await cli(['scan', '--engine', 'athena', '--athena-database', 'security', '--period', '2026-Q3', '--no-builtin-rules', '--rules', join(BUILTIN_RULES_DIR, 's3-bucket-deleted.yml'), '--dry-run']);
      expect(monthly.out).to.include('-- query: events 2026-07').and.to.include('-- query: events 2026-09');
      expect(r.out).to.include('FROM security.cloudtrail_logs AS ct');
      expect(athena.calls()).to.have.length(0);
    });

    it('runs the queries, maps the rows into detections and reports bytes scanned and cost', async () => {
      const winter: CloudTrailRecord = {
        eventVersion: '1.10', eventTime: '2026-09-14T03:32:07Z', eventSource: 's3.amazonaws.com', eventName: 'DeleteBucket', awsRegion: 'us-east-1',
        sourceIPAddress: '192.0.2.55', userAgent: 'aws-cli/2.17.20', eventID: 'b1d2c3e4-0000-4000-8000-000000000001', recipientAccountId: '111122223333', eventType: 'AwsApiCall',
        userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::111122223333:user/winter', accountId: '111122223333', userName: 'winter' },
        requestParameters: { bucketName: 'example-prod-customer-data', Host: 'example-prod-customer-data.s3.amazonaws.com' },
        resources: [{ ARN: 'arn:aws:s3:::example-prod-customer-data', accountId: '111122223333', type: 'AWS::S3::Bucket' }],
      } as CloudTrailRecord;
      const { plan, ruleSet } = planSqlScan({ engine: 'athena', rules: ruleSourcesOf(BUILTIN_RULES_DIR), table: 'security.cloudtrail_logs', layout: 'account', scope: FULL_SCOPE });
      const shared = plan.queries[0];
      if (shared === undefined) throw new Error('no shared query');
      const cells = rowOf(winter, plan.columns);
      for (const o of shared.flags) cells[`m${o}`] = ruleSet.rules[o]?.match(winter) === true ? '1' : '0';
      const names = Object.keys(cells);
      let n = 0;
      const sqlSeen: string[] = [];
      athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString?: string }) => {
        sqlSeen.push(input.QueryString ?? '');
        return { QueryExecutionId: `q-${++n}` };
      });
      athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId?: string }) => ({
        QueryExecution: { QueryExecutionId: input.QueryExecutionId, StatementType: 'DML', Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 3 * 1024 ** 3, EngineExecutionTimeInMillis: 1200, TotalExecutionTimeInMillis: 1500 } },
      }));
      athena.on(GetQueryResultsCommand).callsFake((input: { QueryExecutionId?: string }) => {
        const header = { Data: names.map((c) => ({ VarCharValue: c })) };
        const isScan = sqlSeen[Number((input.QueryExecutionId ?? 'q-0').slice(2)) - 1] !== undefined;
        const rows = [header, { Data: names.map((c) => (cells[c] === null ? {} : { VarCharValue: cells[c] as string })) }];
        return { ResultSet: { ResultSetMetadata: { ColumnInfo: names.map((c) => ({ Name: c, Type: 'varchar' })) }, Rows: isScan ? rows : [header] } };
      });
      const r = await cli(['scan', '--engine', 'athena', '--athena-database', 'security', '--athena-output', 's3://athena-results/tp/', '--format', 'json', '--fail-on', 'none', '--quiet']);
      expect(r.code, r.err).to.equal(0);
      const findings = JSON.parse(r.out) as Findings & { scan: { sql: { queries: Array<{ bytesScanned: number; estimatedCost: number }>; estimatedCost: number; bytesScanned: number } } };
      const deleted = findings.detections.find((d) => d.ruleId === 's3-bucket-deleted');
      expect(deleted?.actor).to.equal('arn:aws:iam::111122223333:user/winter');
      expect(deleted?.['requestParameters']).to.deep.equal({ bucketName: 'example-prod-customer-data', Host: 'example-prod-customer-data.s3.amazonaws.com' });
      expect(deleted?.['resources']).to.deep.equal(['arn:aws:s3:::example-prod-customer-data']);
      expect(findings.scan.sql.queries.length).to.equal(sqlSeen.length);
      expect(findings.scan.sql.bytesScanned).to.equal(sqlSeen.length * 3 * 1024 ** 3);
      // USD 5 per TB: 3 GiB is 3/1024 TB per query.
      expect(findings.scan.sql.estimatedCost).to.be.closeTo((sqlSeen.length * 3 * 5) / 1024, 1e-9);
      const queries = sqlSeen.length;
      const priced = await cli(['scan', '--engine', 'athena', '--athena-database', 'security', '--price-per-tb', '7', '--format', 'json', '--fail-on', 'none', '--quiet']);
      expect((JSON.parse(priced.out) as typeof findings).scan.sql.estimatedCost).to.be.closeTo((queries * 3 * 7) / 1024, 1e-9);
    });

    it('--create-table creates the organization table when the catalog lacks it, then runs the rules on it', async () => {
      athena.on(GetTableMetadataCommand).rejects(Object.assign(new Error('Entity Not Found (Error Code: EntityNotFoundException)'), { name: 'MetadataException', $metadata: { httpStatusCode: 400 } }));
      const statements: string[] = [];
      athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString?: string }) => {
        statements.push(input.QueryString ?? '');
        return { QueryExecutionId: `q-${statements.length}` };
      });
      athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId?: string }) => ({
        QueryExecution: { QueryExecutionId: input.QueryExecutionId, StatementType: statements[Number((input.QueryExecutionId ?? 'q-1').slice(2)) - 1]?.startsWith('CREATE') === true ? 'DDL' : 'DML', Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 0 } },
      }));
      athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
      const r = await cli(['scan', '--engine', 'athena', '--athena-database', 'security', '--create-table', 's3://org-trail-bucket', '--organization-id', 'o-abc123defg', '--accounts', '111122223333', '--regions', 'us-east-1', '--period', '2026-09', '--fail-on', 'none']);
      expect(r.code, r.err).to.equal(0);
      expect(r.err).to.include('created Athena table security.cloudtrail_logs');
      expect(statements[0]).to.match(/^CREATE EXTERNAL TABLE IF NOT EXISTS/);
      expect(statements[0]).to.include('s3://org-trail-bucket/AWSLogs/o-abc123defg/');
      // The rules then run against the organization layout: account, region and day partitions pruned.
      const events = statements.find((s) => s.startsWith('WITH scanned')) ?? '';
      expect(events).to.include(`ct.account IN ('111122223333')`).and.to.include(`ct.region IN ('us-east-1')`).and.to.include(`ct."timestamp" >= '2026/08/31'`);
    });

    it('fails with exit 3 naming the query when Athena fails it, and loses no other output', async () => {
      athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-bad' });
      athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { QueryExecutionId: 'q-bad', Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND: Table security.cloudtrail_logs does not exist' } } });
      const r = await cli(['scan', '--engine', 'athena', '--athena-database', 'security', '--athena-output', 's3://athena-results/tp/']);
      expect(r.code).to.equal(3);
      expect(r.err).to.include('q-bad').and.to.include('TABLE_NOT_FOUND');
    });
  });
});

/** A result row (text cells by alias) for a record, as Athena would return it for the select list. */
function rowOf(record: CloudTrailRecord, columns: readonly OutputColumn[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const c of columns) {
    let v: unknown = record;
    for (const k of c.path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    out[c.alias] = v === undefined || v === null ? null : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}
