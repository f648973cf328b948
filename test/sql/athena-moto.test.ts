// The Athena runner over HTTP against moto's server: the real SDK client, its serialization and errors. Moto
// runs no SQL: it answers GetQueryResults from a queue of results set through its API, and moves a query
// from QUEUED through RUNNING to SUCCEEDED one GetQueryExecution at a time when told to.
import { expect } from 'chai';
import { AthenaClient, GetQueryExecutionCommand } from '@aws-sdk/client-athena';
import { athenaRunner } from '../../src/sql/athena.js';
import { QueryError } from '../../src/sql/aws-call.js';
import { requireMoto, startMoto, type MotoServer } from '../helpers/moto.js';
import { fakeClock } from '../helpers/fake-clock.js';

async function motoApi(url: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`moto ${path}: HTTP ${res.status} ${await res.text()}`);
}

describe('Athena runner against moto over HTTP', function () {
  this.timeout(60_000);
  let moto: MotoServer | undefined;
  let client: AthenaClient;

  before(async function () {
    requireMoto(this);
    moto = await startMoto();
    client = new AthenaClient({ region: 'us-east-1', endpoint: moto.url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  });

  after(async () => {
    client?.destroy();
    await moto?.stop();
  });

  it('starts a query, follows it to SUCCEEDED and reads its rows, header dropped and NULL kept', async () => {
    const url = (moto as MotoServer).url;
    await motoApi(url, '/moto-api/state-manager/set-transition', { model_name: 'athena::execution', transition: { progression: 'manual', times: 1 } });
    await motoApi(url, '/moto-api/static/athena/query-results', {
      region: 'us-east-1',
      results: [{
        rows: [
          { Data: [{ VarCharValue: 'eventname' }, { VarCharValue: 'sourceipaddress' }] },
          { Data: [{ VarCharValue: 'DeleteTrail' }, { VarCharValue: '203.0.113.7' }] },
          { Data: [{ VarCharValue: 'StopLogging' }, {}] },
        ],
        column_info: [{ Name: 'eventname', Type: 'varchar' }, { Name: 'sourceipaddress', Type: 'varchar' }],
      }],
    });
    const clock = fakeClock();
    const states: string[] = [];
    const runner = athenaRunner(client, { database: 'audit', outputLocation: 's3://athena-results/', sleep: clock.sleep, now: clock.now });
    const result = await runner.run('SELECT eventname, sourceipaddress FROM cloudtrail_logs', { onState: (s) => states.push(s) });
    // moto moves the query on before it answers each GetQueryExecution, so the first poll already sees RUNNING.
    expect(states).to.deep.equal(['RUNNING', 'SUCCEEDED']);
    expect(result.columns).to.deep.equal(['eventname', 'sourceipaddress']);
    expect(result.rows).to.deep.equal([
      { eventname: 'DeleteTrail', sourceipaddress: '203.0.113.7' },
      { eventname: 'StopLogging', sourceipaddress: null },
    ]);
    expect(result.stats.queryId).to.match(/^[0-9a-f-]{36}$/);
  });

  it('stops a query that does not end in time (moto then reports it CANCELLED)', async () => {
    const url = (moto as MotoServer).url;
    // Never leaves QUEUED within the test.
    await motoApi(url, '/moto-api/state-manager/set-transition', { model_name: 'athena::execution', transition: { progression: 'manual', times: 1000 } });
    const clock = fakeClock();
    const runner = athenaRunner(client, { database: 'audit', outputLocation: 's3://athena-results/', timeoutMs: 3000, sleep: clock.sleep, now: clock.now });
    let error: unknown;
    try {
      await runner.run('SELECT 1', {});
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(QueryError);
    const { failure, queryId, message } = error as QueryError;
    expect(failure).to.equal('timeout');
    expect(message).to.equal(`Athena query ${queryId ?? ''} timed out after 3 s and was stopped`);
    const after = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }));
    expect(after.QueryExecution?.Status?.State).to.equal('CANCELLED');
  });
});
