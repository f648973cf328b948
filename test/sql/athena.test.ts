import { expect } from 'chai';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type GetQueryExecutionOutput,
  type GetQueryResultsInput,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { TrailproofError } from '../../src/errors.js';
import { athenaRunner, ensureAthenaTable } from '../../src/sql/athena.js';
import { QueryError } from '../../src/sql/aws-call.js';
import type { CloudTrailTableOptions } from '../../src/sql/ddl.js';
import { awsError, fakeClock } from '../helpers/fake-clock.js';

const QID = '5f6d0e2c-0000-4000-8000-000000000001';

function execution(state: string, extra: Partial<NonNullable<GetQueryExecutionOutput['QueryExecution']>> = {}): GetQueryExecutionOutput {
  return {
    QueryExecution: {
      QueryExecutionId: QID,
      StatementType: 'DML',
      Status: { State: state as 'RUNNING' },
      Statistics: { DataScannedInBytes: state === 'SUCCEEDED' ? 123_456_789 : 1000, EngineExecutionTimeInMillis: 4200, TotalExecutionTimeInMillis: 5100 },
      ...extra,
    },
  };
}

const cell = (v: string | null): { VarCharValue?: string } => (v === null ? {} : { VarCharValue: v });
const row = (...values: Array<string | null>): { Data: Array<{ VarCharValue?: string }> } => ({ Data: values.map(cell) });
const columnInfo = [{ Name: 'eventname', Type: 'varchar' }, { Name: 'sourceipaddress', Type: 'varchar' }, { Name: 'n', Type: 'bigint' }];

async function rejection(p: Promise<unknown>): Promise<QueryError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(QueryError);
    return err as QueryError;
  }
  throw new Error('expected the query to fail');
}

describe('Athena query runner', () => {
  it('starts the query in its database, polls QUEUED -> RUNNING -> SUCCEEDED and pages three result pages into rows', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QID });
    mock.on(GetQueryExecutionCommand).resolvesOnce(execution('QUEUED')).resolvesOnce(execution('RUNNING')).resolvesOnce(execution('RUNNING')).resolves(execution('SUCCEEDED'));
    mock.on(GetQueryResultsCommand).callsFake((input: GetQueryResultsInput) => {
      const meta = { ColumnInfo: columnInfo };
      if (input.NextToken === undefined) return { ResultSet: { ResultSetMetadata: meta, Rows: [row('eventname', 'sourceipaddress', 'n'), row('DeleteTrail', '203.0.113.7', '1'), row('StopLogging', null, '2')] }, NextToken: 'p2' };
      if (input.NextToken === 'p2') return { ResultSet: { ResultSetMetadata: meta, Rows: [row('PutEventSelectors', '', '3'), row('DeleteTrail', '198.51.100.1', null)] }, NextToken: 'p3' };
      return { ResultSet: { ResultSetMetadata: meta, Rows: [row('UpdateTrail', '192.0.2.1', '5')] } };
    });
    const clock = fakeClock();
    const states: Array<[string, number]> = [];
    const runner = athenaRunner(client, { database: 'audit', catalog: 'AwsDataCatalog', workgroup: 'security', outputLocation: 's3://athena-results/trailproof/', sleep: clock.sleep, now: clock.now });

    const result = await runner.run('SELECT eventname, sourceipaddress, n FROM cloudtrail_logs', { onState: (s, p) => states.push([s, p.bytesScanned]) });

    expect(mock.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input).to.deep.equal({
      QueryString: 'SELECT eventname, sourceipaddress, n FROM cloudtrail_logs',
      QueryExecutionContext: { Database: 'audit', Catalog: 'AwsDataCatalog' },
      WorkGroup: 'security',
      ResultConfiguration: { OutputLocation: 's3://athena-results/trailproof/' },
    });
    expect(states).to.deep.equal([['QUEUED', 1000], ['RUNNING', 1000], ['SUCCEEDED', 123_456_789]]);
    expect(clock.sleeps).to.deep.equal([500, 750, 1125]);
    expect(mock.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input)).to.deep.equal([
      { QueryExecutionId: QID, MaxResults: 1000 },
      { QueryExecutionId: QID, MaxResults: 1000, NextToken: 'p2' },
      { QueryExecutionId: QID, MaxResults: 1000, NextToken: 'p3' },
    ]);
    expect(result.columns).to.deep.equal(['eventname', 'sourceipaddress', 'n']);
    expect(result.rows).to.deep.equal([
      { eventname: 'DeleteTrail', sourceipaddress: '203.0.113.7', n: '1' },
      { eventname: 'StopLogging', sourceipaddress: null, n: '2' },
      { eventname: 'PutEventSelectors', sourceipaddress: '', n: '3' },
      { eventname: 'DeleteTrail', sourceipaddress: '198.51.100.1', n: null },
      { eventname: 'UpdateTrail', sourceipaddress: '192.0.2.1', n: '5' },
    ]);
    expect(result.stats).to.deep.equal({ queryId: QID, bytesScanned: 123_456_789, engineMs: 4200, totalMs: 5100 });
  });

  it('keeps the first row of a DDL statement, which has no header', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QID });
    mock.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', { StatementType: 'DDL' }));
    mock.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'tab_name', Type: 'string' }] }, Rows: [row('cloudtrail_logs')] } });
    const clock = fakeClock();
    const result = await athenaRunner(client, { database: 'audit', sleep: clock.sleep, now: clock.now }).run('SHOW TABLES', {});
    expect(result.rows).to.deep.equal([{ tab_name: 'cloudtrail_logs' }]);
    expect(mock.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input).to.deep.equal({ QueryString: 'SHOW TABLES', QueryExecutionContext: { Database: 'audit' } });
  });

  it('fails a FAILED query naming the query id and the reason Athena gives, without reading results', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QID });
    mock.on(GetQueryExecutionCommand).resolvesOnce(execution('RUNNING')).resolves(execution('FAILED', {
      Status: {
        State: 'FAILED',
        StateChangeReason: "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.audit.nope' does not exist",
        AthenaError: { ErrorCategory: 2, ErrorType: 1301, Retryable: false, ErrorMessage: "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.audit.nope' does not exist" },
      },
    }));
    const clock = fakeClock();
    const err = await rejection(athenaRunner(client, { database: 'audit', sleep: clock.sleep, now: clock.now }).run('SELECT 1 FROM nope', {}));
    expect(err.failure).to.equal('failed');
    expect(err.queryId).to.equal(QID);
    expect(err.exitCode).to.equal(3);
    expect(err.message).to.equal(`Athena query ${QID} failed: TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.audit.nope' does not exist (user error, type 1301)`);
    expect(mock.commandCalls(GetQueryResultsCommand)).to.have.length(0);
    expect(mock.commandCalls(StopQueryExecutionCommand)).to.have.length(0);
  });

  it('stops a query that runs past its time limit and says it timed out', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QID });
    mock.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    mock.on(StopQueryExecutionCommand).resolves({});
    const clock = fakeClock();
    const err = await rejection(athenaRunner(client, { database: 'audit', timeoutMs: 10_000, maxPollMs: 2000, sleep: clock.sleep, now: clock.now }).run('SELECT * FROM cloudtrail_logs', {}));
    expect(err.failure).to.equal('timeout');
    expect(err.message).to.equal(`Athena query ${QID} timed out after 10 s and was stopped`);
    expect(mock.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input)).to.deep.equal([{ QueryExecutionId: QID }]);
    // The last wait is cut to the deadline rather than overshooting it.
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).to.equal(10_000);
  });

  it('says how to stop the query by hand when stopping it fails too', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QID });
    mock.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    mock.on(StopQueryExecutionCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: athena:StopQueryExecution'));
    const clock = fakeClock();
    const err = await rejection(athenaRunner(client, { database: 'audit', timeoutMs: 1000, sleep: clock.sleep, now: clock.now }).run('SELECT 1', {}));
    expect(err.message).to.equal(
      `Athena query ${QID} timed out after 1 s; stopping it failed too (athena:StopQueryExecution denied: not authorized to perform: athena:StopQueryExecution): stop it with: aws athena stop-query-execution --query-execution-id ${QID}`,
    );
  });

  it('stops the query when the run is aborted (Ctrl-C) and rejects as aborted', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QID });
    mock.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    mock.on(StopQueryExecutionCommand).resolves({});
    const clock = fakeClock();
    const controller = new AbortController();
    const run = athenaRunner(client, { database: 'audit', sleep: clock.sleep, now: clock.now }).run('SELECT 1', {
      signal: controller.signal,
      onState: (state) => {
        if (state === 'RUNNING') controller.abort();
      },
    });
    const err = await rejection(run);
    expect(err.failure).to.equal('aborted');
    expect(err.message).to.equal(`Athena query ${QID} was interrupted and was stopped`);
    expect(mock.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input)).to.deep.equal([{ QueryExecutionId: QID }]);
    expect(mock.commandCalls(GetQueryResultsCommand)).to.have.length(0);
  });

  it('stops the query when the progress callback throws, and passes its error on', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QID });
    mock.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    mock.on(StopQueryExecutionCommand).resolves({});
    const broken = new Error('terminal went away');
    try {
      await athenaRunner(client, { database: 'audit', sleep: fakeClock().sleep }).run('SELECT 1', {
        onState: () => {
          throw broken;
        },
      });
      expect.fail('expected the callback error');
    } catch (err) {
      expect(err).to.equal(broken);
    }
    expect(mock.commandCalls(StopQueryExecutionCommand)).to.have.length(1);
  });

  it('starts nothing when the run was aborted before the query', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    const controller = new AbortController();
    controller.abort();
    const err = await rejection(athenaRunner(client, { database: 'audit' }).run('SELECT 1', { signal: controller.signal }));
    expect(err.failure).to.equal('aborted');
    expect(mock.commandCalls(StartQueryExecutionCommand)).to.have.length(0);
  });

  it('names the call a denied request was for', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    mockClient(client).on(StartQueryExecutionCommand).rejects(awsError('AccessDeniedException', 'User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: athena:StartQueryExecution'));
    const err = await rejection(athenaRunner(client, { database: 'audit', sleep: fakeClock().sleep }).run('SELECT 1', {}));
    expect(err.failure).to.equal('call');
    expect(err.exitCode).to.equal(3);
    expect(err.message).to.equal('athena:StartQueryExecution denied: User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: athena:StartQueryExecution');
  });

  it('exits 2 on a request Athena refuses as invalid, naming the call and the error', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    mockClient(client).on(StartQueryExecutionCommand).rejects(awsError('InvalidRequestException', 'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.'));
    const err = await rejection(athenaRunner(client, { database: 'audit', sleep: fakeClock().sleep }).run('SELECT 1', {}));
    expect(err.exitCode).to.equal(2);
    expect(err.message).to.match(/^athena:StartQueryExecution failed: InvalidRequestException: No output location provided/);
  });

  it('waits and tries again while Athena throttles the start, then gives up naming the attempts', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    const throttled = awsError('TooManyRequestsException', 'You have exceeded the limit for the number of queries you can run concurrently');
    mock.on(StartQueryExecutionCommand).rejectsOnce(throttled).rejectsOnce(throttled).resolves({ QueryExecutionId: QID });
    mock.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED'));
    mock.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] }, Rows: [row('n'), row('7')] } });
    const clock = fakeClock();
    const result = await athenaRunner(client, { database: 'audit', sleep: clock.sleep, now: clock.now }).run('SELECT count(*) AS n FROM t', {});
    expect(result.rows).to.deep.equal([{ n: '7' }]);
    expect(clock.sleeps).to.deep.equal([1000, 2000]);

    const always = new AthenaClient({ region: 'us-east-1' });
    mockClient(always).on(StartQueryExecutionCommand).rejects(throttled);
    const err = await rejection(athenaRunner(always, { database: 'audit', sleep: fakeClock().sleep }).run('SELECT 1', {}));
    expect(err.message).to.match(/^athena:StartQueryExecution throttled after 5 attempts: TooManyRequestsException: You have exceeded/);
  });

  it('stops a query it can no longer follow because polling failed', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QID });
    mock.on(GetQueryExecutionCommand).resolvesOnce(execution('RUNNING')).rejects(awsError('InternalServerException', 'We encountered an internal error', 500));
    mock.on(StopQueryExecutionCommand).resolves({});
    const err = await rejection(athenaRunner(client, { database: 'audit', sleep: fakeClock().sleep }).run('SELECT 1', {}));
    expect(err.message).to.equal(`athena:GetQueryExecution failed: InternalServerException: We encountered an internal error; Athena query ${QID} could not be followed and was stopped`);
    expect(mock.commandCalls(StopQueryExecutionCommand)).to.have.length(1);
  });

  it('refuses a result larger than maxRows rather than filling memory', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QID });
    mock.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED'));
    mock.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Type: 'bigint' }] }, Rows: [row('n'), row('1'), row('2'), row('3')] } });
    const err = await rejection(athenaRunner(client, { database: 'audit', maxRows: 2, sleep: fakeClock().sleep }).run('SELECT n FROM t', {}));
    expect(err.message).to.equal(`Athena query ${QID} returned more than 2 rows; narrow the period or the rule (or raise the limit)`);
  });
});

describe('ensureAthenaTable', () => {
  const ddl: CloudTrailTableOptions = { variant: 'account', table: 'cloudtrail_logs', location: 's3://trail-bucket', account: '111122223333', regions: ['us-east-1'], startDate: '2025-01-01' };
  const missing = awsError('MetadataException', 'Entity Not Found (Service: AmazonDataCatalog; Status Code: 400; Error Code: EntityNotFoundException; Request ID: 1)');

  it('runs the CREATE statement when the catalog has no such table', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(GetTableMetadataCommand).rejects(missing);
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QID });
    mock.on(GetQueryExecutionCommand).resolvesOnce(execution('RUNNING', { StatementType: 'DDL' })).resolves(execution('SUCCEEDED', { StatementType: 'DDL' }));
    mock.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
    const clock = fakeClock();
    const ensured = await ensureAthenaTable(client, { database: 'audit', workgroup: 'security', ddl, sleep: clock.sleep, now: clock.now });
    expect(ensured).to.deep.equal({ ran: true, queryId: QID, partitionKeys: ['region', 'timestamp'] });
    expect(mock.commandCalls(GetTableMetadataCommand)[0]?.args[0].input).to.deep.equal({ CatalogName: 'AwsDataCatalog', DatabaseName: 'audit', TableName: 'cloudtrail_logs', WorkGroup: 'security' });
    const start = mock.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(start?.QueryString?.split('\n')[0]).to.equal('CREATE EXTERNAL TABLE IF NOT EXISTS `audit`.`cloudtrail_logs` (');
    expect(start?.QueryString).to.include("'storage.location.template' = 's3://trail-bucket/AWSLogs/111122223333/CloudTrail/${region}/${timestamp}'");
    expect(start?.WorkGroup).to.equal('security');
  });

  it('leaves an existing table with the expected partitions alone', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(GetTableMetadataCommand).resolves({ TableMetadata: { Name: 'cloudtrail_logs', Columns: [{ Name: 'eventname' }], PartitionKeys: [{ Name: 'region' }, { Name: 'timestamp' }] } });
    const ensured = await ensureAthenaTable(client, { database: 'audit', ddl });
    expect(ensured).to.deep.equal({ ran: false, partitionKeys: ['region', 'timestamp'] });
    expect(mock.commandCalls(StartQueryExecutionCommand)).to.have.length(0);
  });

  it('refuses an existing table partitioned otherwise, saying what it has and what is needed', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(GetTableMetadataCommand).resolves({ TableMetadata: { Name: 'cloudtrail_logs', PartitionKeys: [{ Name: 'region' }, { Name: 'year' }, { Name: 'month' }, { Name: 'day' }] } });
    try {
      await ensureAthenaTable(client, { database: 'audit', ddl });
      expect.fail('expected a refusal');
    } catch (err) {
      expect(err).to.be.instanceOf(TrailproofError);
      expect((err as TrailproofError).code).to.equal('TP_USAGE');
      expect((err as Error).message).to.equal(
        "Athena table audit.cloudtrail_logs exists partitioned by (region, year, month, day), not by (region, timestamp) as trailproof's account table is: use another table name, or DROP TABLE audit.cloudtrail_logs first",
      );
    }
    expect(mock.commandCalls(StartQueryExecutionCommand)).to.have.length(0);
  });

  it('fails, naming the call, when the catalog cannot be read', async () => {
    const client = new AthenaClient({ region: 'us-east-1' });
    mockClient(client).on(GetTableMetadataCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: athena:GetTableMetadata'));
    const err = await rejection(ensureAthenaTable(client, { database: 'audit', ddl, sleep: fakeClock().sleep }));
    expect(err.message).to.equal('athena:GetTableMetadata denied: not authorized to perform: athena:GetTableMetadata');
  });
});
