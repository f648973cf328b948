import { expect } from 'chai';
import {
  CancelQueryCommand,
  CloudTrailClient,
  DescribeQueryCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  type DescribeQueryResponse,
  type GetQueryResultsRequest,
} from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { QueryError } from '../../src/sql/aws-call.js';
import { lakeRunner } from '../../src/sql/lake.js';
import { awsError, fakeClock } from '../helpers/fake-clock.js';

const QID = '0b5f8c1e-1111-4222-8333-444455556666';
const STORE = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const SQL = `SELECT eventName, sourceIPAddress, userIdentity.arn AS actor FROM ${STORE} WHERE eventName = 'DeleteTrail'`;

function described(status: string, extra: Partial<DescribeQueryResponse> = {}): DescribeQueryResponse {
  return {
    QueryId: QID,
    QueryStatus: status as 'RUNNING',
    QueryStatistics: { BytesScanned: status === 'FINISHED' ? 987_654_321 : 2048, ExecutionTimeInMillis: 3300, EventsMatched: 4, EventsScanned: 1000 },
    ...extra,
  };
}

async function rejection(p: Promise<unknown>): Promise<QueryError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(QueryError);
    return err as QueryError;
  }
  throw new Error('expected the query to fail');
}

describe('CloudTrail Lake query runner', () => {
  it('starts the query, polls QUEUED -> RUNNING -> FINISHED and pages the one-key cells into rows', async () => {
    const client = new CloudTrailClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryCommand).resolves({ QueryId: QID });
    mock.on(DescribeQueryCommand).resolvesOnce(described('QUEUED')).resolvesOnce(described('RUNNING')).resolves(described('FINISHED'));
    mock.on(GetQueryResultsCommand).callsFake((input: GetQueryResultsRequest) => {
      if (input.NextToken === undefined) {
        return {
          QueryStatus: 'FINISHED',
          QueryResultRows: [
            [{ eventName: 'DeleteTrail' }, { sourceIPAddress: '203.0.113.7' }, { actor: 'arn:aws:iam::111122223333:user/mallory' }],
            [{ eventName: 'DeleteTrail' }, { actor: 'arn:aws:iam::111122223333:user/eve' }],
          ],
          NextToken: 'p2',
        };
      }
      if (input.NextToken === 'p2') return { QueryStatus: 'FINISHED', QueryResultRows: [[{ eventName: 'DeleteTrail' }, { sourceIPAddress: '' }, { actor: 'arn:aws:iam::444455556666:role/ops' }]], NextToken: 'p3' };
      return { QueryStatus: 'FINISHED', QueryResultRows: [[{ eventName: 'DeleteTrail' }, { sourceIPAddress: '198.51.100.1' }, { actor: 'arn:aws:iam::444455556666:user/bob' }]] };
    });
    const clock = fakeClock();
    const states: Array<[string, number]> = [];
    const result = await lakeRunner(client, { sleep: clock.sleep, now: clock.now }).run(SQL, { onState: (s, p) => states.push([s, p.bytesScanned]) });

    expect(mock.commandCalls(StartQueryCommand)[0]?.args[0].input).to.deep.equal({ QueryStatement: SQL });
    expect(mock.commandCalls(DescribeQueryCommand).map((c) => c.args[0].input)).to.deep.equal([{ QueryId: QID }, { QueryId: QID }, { QueryId: QID }]);
    expect(states).to.deep.equal([['QUEUED', 2048], ['RUNNING', 2048], ['FINISHED', 987_654_321]]);
    expect(mock.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input)).to.deep.equal([
      { QueryId: QID, MaxQueryResults: 1000 },
      { QueryId: QID, MaxQueryResults: 1000, NextToken: 'p2' },
      { QueryId: QID, MaxQueryResults: 1000, NextToken: 'p3' },
    ]);
    expect(result.columns).to.deep.equal(['eventName', 'sourceIPAddress', 'actor']);
    expect(result.rows).to.deep.equal([
      { eventName: 'DeleteTrail', sourceIPAddress: '203.0.113.7', actor: 'arn:aws:iam::111122223333:user/mallory' },
      { eventName: 'DeleteTrail', sourceIPAddress: null, actor: 'arn:aws:iam::111122223333:user/eve' },
      { eventName: 'DeleteTrail', sourceIPAddress: '', actor: 'arn:aws:iam::444455556666:role/ops' },
      { eventName: 'DeleteTrail', sourceIPAddress: '198.51.100.1', actor: 'arn:aws:iam::444455556666:user/bob' },
    ]);
    // Lake reports no total time: the runner measures it from submission.
    expect(result.stats).to.deep.equal({ queryId: QID, bytesScanned: 987_654_321, engineMs: 3300, totalMs: 500 + 750 });
  });

  it('carries the store owner and the delivery location on every call when given', async () => {
    const client = new CloudTrailClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryCommand).resolves({ QueryId: QID });
    mock.on(DescribeQueryCommand).resolves(described('FINISHED'));
    mock.on(GetQueryResultsCommand).resolves({ QueryResultRows: [] });
    const result = await lakeRunner(client, { eventDataStoreOwnerAccountId: '999988887777', deliveryS3Uri: 's3://lake-results/q', sleep: fakeClock().sleep }).run(SQL, {});
    expect(result.rows).to.deep.equal([]);
    expect(result.columns).to.deep.equal([]);
    expect(mock.commandCalls(StartQueryCommand)[0]?.args[0].input).to.deep.equal({ QueryStatement: SQL, EventDataStoreOwnerAccountId: '999988887777', DeliveryS3Uri: 's3://lake-results/q' });
    expect(mock.commandCalls(DescribeQueryCommand)[0]?.args[0].input).to.deep.equal({ QueryId: QID, EventDataStoreOwnerAccountId: '999988887777' });
    expect(mock.commandCalls(GetQueryResultsCommand)[0]?.args[0].input).to.deep.equal({ QueryId: QID, EventDataStoreOwnerAccountId: '999988887777', MaxQueryResults: 1000 });
  });

  it('fails a FAILED query naming the query id and Lake\'s error message', async () => {
    const client = new CloudTrailClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryCommand).resolves({ QueryId: QID });
    mock.on(DescribeQueryCommand).resolvesOnce(described('RUNNING')).resolves(described('FAILED', { ErrorMessage: "Column 'eventNam' cannot be resolved" }));
    const err = await rejection(lakeRunner(client, { sleep: fakeClock().sleep }).run(SQL, {}));
    expect(err.failure).to.equal('failed');
    expect(err.queryId).to.equal(QID);
    expect(err.message).to.equal(`CloudTrail Lake query ${QID} failed: Column 'eventNam' cannot be resolved`);
    expect(mock.commandCalls(GetQueryResultsCommand)).to.have.length(0);
  });

  it('fails a query Lake timed out itself (TIMED_OUT) as a timeout', async () => {
    const client = new CloudTrailClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryCommand).resolves({ QueryId: QID });
    mock.on(DescribeQueryCommand).resolves(described('TIMED_OUT', { ErrorMessage: 'Query timed out' }));
    const err = await rejection(lakeRunner(client, { sleep: fakeClock().sleep }).run(SQL, {}));
    expect(err.failure).to.equal('timeout');
    expect(err.message).to.equal(`CloudTrail Lake query ${QID} ran past the engine's own time limit: Query timed out`);
    expect(mock.commandCalls(CancelQueryCommand)).to.have.length(0);
  });

  it('fails a query cancelled on the engine by someone else', async () => {
    const client = new CloudTrailClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryCommand).resolves({ QueryId: QID });
    mock.on(DescribeQueryCommand).resolves(described('CANCELLED'));
    const err = await rejection(lakeRunner(client, { sleep: fakeClock().sleep }).run(SQL, {}));
    expect(err.failure).to.equal('cancelled');
    expect(err.message).to.equal(`CloudTrail Lake query ${QID} was cancelled on the engine`);
  });

  it('cancels a query that runs past its time limit', async () => {
    const client = new CloudTrailClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryCommand).resolves({ QueryId: QID });
    mock.on(DescribeQueryCommand).resolves(described('RUNNING'));
    mock.on(CancelQueryCommand).resolves({ QueryId: QID, QueryStatus: 'CANCELLED' });
    const clock = fakeClock();
    const err = await rejection(lakeRunner(client, { timeoutMs: 90_000, sleep: clock.sleep, now: clock.now }).run(SQL, {}));
    expect(err.failure).to.equal('timeout');
    expect(err.message).to.equal(`CloudTrail Lake query ${QID} timed out after 90 s and was stopped`);
    expect(mock.commandCalls(CancelQueryCommand).map((c) => c.args[0].input)).to.deep.equal([{ QueryId: QID }]);
    expect(Math.max(...clock.sleeps)).to.equal(5000);
  });

  it('cancels the query when the run is aborted (Ctrl-C)', async () => {
    const client = new CloudTrailClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryCommand).resolves({ QueryId: QID });
    mock.on(DescribeQueryCommand).resolves(described('RUNNING'));
    mock.on(CancelQueryCommand).resolves({ QueryId: QID, QueryStatus: 'CANCELLED' });
    const controller = new AbortController();
    const clock = fakeClock();
    const sleep = async (ms: number): Promise<void> => {
      await clock.sleep(ms);
      if (clock.sleeps.length === 2) controller.abort();
    };
    const err = await rejection(lakeRunner(client, { sleep, now: clock.now }).run(SQL, { signal: controller.signal }));
    expect(err.failure).to.equal('aborted');
    expect(err.message).to.equal(`CloudTrail Lake query ${QID} was interrupted and was stopped`);
    expect(mock.commandCalls(CancelQueryCommand).map((c) => c.args[0].input)).to.deep.equal([{ QueryId: QID }]);
    expect(mock.commandCalls(DescribeQueryCommand)).to.have.length(2);
  });

  it('waits while Lake has too many queries in flight, then starts', async () => {
    const client = new CloudTrailClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryCommand).rejectsOnce(awsError('MaxConcurrentQueriesException', 'You are already running the maximum number of concurrent queries.')).resolves({ QueryId: QID });
    mock.on(DescribeQueryCommand).resolves(described('FINISHED'));
    mock.on(GetQueryResultsCommand).resolves({ QueryResultRows: [[{ n: '3' }]] });
    const clock = fakeClock();
    const result = await lakeRunner(client, { sleep: clock.sleep, now: clock.now }).run(SQL, {});
    expect(result.rows).to.deep.equal([{ n: '3' }]);
    expect(clock.sleeps[0]).to.equal(1000);
    expect(mock.commandCalls(StartQueryCommand)).to.have.length(2);
  });

  it('exits 2 naming the call when the event data store does not exist', async () => {
    const client = new CloudTrailClient({ region: 'us-east-1' });
    mockClient(client).on(StartQueryCommand).rejects(awsError('EventDataStoreNotFoundException', `The specified event data store ${STORE} was not found.`));
    const err = await rejection(lakeRunner(client, { sleep: fakeClock().sleep }).run(SQL, {}));
    expect(err.exitCode).to.equal(2);
    expect(err.message).to.equal(`cloudtrail:StartQuery failed: EventDataStoreNotFoundException: The specified event data store ${STORE} was not found.`);
  });

  it('names the call a denied request was for', async () => {
    const client = new CloudTrailClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(StartQueryCommand).resolves({ QueryId: QID });
    mock.on(DescribeQueryCommand).resolves(described('FINISHED'));
    mock.on(GetQueryResultsCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: cloudtrail:GetQueryResults'));
    const err = await rejection(lakeRunner(client, { sleep: fakeClock().sleep }).run(SQL, {}));
    expect(err.exitCode).to.equal(3);
    expect(err.message).to.equal('cloudtrail:GetQueryResults denied: not authorized to perform: cloudtrail:GetQueryResults');
  });
});
