import { expect } from 'chai';
import { TrailproofError } from '../../src/errors.js';
import { QueryError } from '../../src/sql/aws-call.js';
import type { QueryResult, QueryRunner, RunOptions } from '../../src/sql/query-types.js';
import { runQueries, type QueryEvent, type RunProgress } from '../../src/sql/run-queries.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function result(sql: string, bytes: number): QueryResult {
  return { columns: ['sql'], rows: [{ sql }], stats: { queryId: `q-${sql}`, bytesScanned: bytes, engineMs: 1, totalMs: 2 } };
}

/** A runner whose queries take a few event-loop turns each, counting how many are in flight. */
function countingRunner(fail: Set<string> = new Set()): QueryRunner & { max: number; started: string[] } {
  let inFlight = 0;
  const runner = {
    max: 0,
    started: [] as string[],
    async run(sql: string, options: RunOptions): Promise<QueryResult> {
      runner.started.push(sql);
      inFlight++;
      runner.max = Math.max(runner.max, inFlight);
      try {
        options.onState?.('RUNNING', { queryId: `q-${sql}`, bytesScanned: 10 });
        for (let i = 0; i < 1 + (sql.length % 3); i++) await tick();
        if (fail.has(sql)) throw new QueryError('failed', `Athena query q-${sql} failed: boom`, { queryId: `q-${sql}` });
        return result(sql, 100);
      } finally {
        inFlight--;
      }
    },
  };
  return runner;
}

describe('running many queries', () => {
  it('never has more than the bound in flight, and returns every result in the order asked', async () => {
    const runner = countingRunner();
    const queries = Array.from({ length: 10 }, (_, i) => ({ id: `rule-${i}`, sql: `s${'x'.repeat(i)}` }));
    const outcomes = await runQueries(runner, queries, { concurrency: 3 });
    expect(runner.max).to.equal(3);
    expect(outcomes.map((o) => o.id)).to.deep.equal(queries.map((q) => q.id));
    expect(outcomes.every((o) => o.ok)).to.equal(true);
    expect(outcomes.map((o) => (o.ok ? o.result.rows[0]?.['sql'] : undefined))).to.deep.equal(queries.map((q) => q.sql));
  });

  it('runs four at a time by default', async () => {
    const runner = countingRunner();
    await runQueries(runner, Array.from({ length: 9 }, (_, i) => ({ id: `r${i}`, sql: `q${i}` })));
    expect(runner.max).to.equal(4);
  });

  it('keeps the results of the other queries when one fails', async () => {
    const runner = countingRunner(new Set(['b']));
    const outcomes = await runQueries(runner, [{ id: 'A', sql: 'a' }, { id: 'B', sql: 'b' }, { id: 'C', sql: 'c' }], { concurrency: 2 });
    expect(outcomes.map((o) => o.ok)).to.deep.equal([true, false, true]);
    const failed = outcomes[1];
    expect(failed?.ok === false && failed.started).to.equal(true);
    expect(failed?.ok === false ? failed.error.message : '').to.equal('Athena query q-b failed: boom');
    expect(runner.started).to.deep.equal(['a', 'b', 'c']);
  });

  it('reports queued, running and done counts and the bytes scanned so far', async () => {
    const runner = countingRunner(new Set(['b']));
    const seen: Array<[RunProgress, QueryEvent]> = [];
    await runQueries(runner, [{ id: 'A', sql: 'a' }, { id: 'B', sql: 'b' }, { id: 'C', sql: 'c' }], { concurrency: 1, onProgress: (p, e) => seen.push([p, e]) });
    expect(seen.map(([, e]) => `${e.id}:${e.state}`)).to.deep.equal(['A:started', 'A:RUNNING', 'A:done', 'B:started', 'B:RUNNING', 'B:failed', 'C:started', 'C:RUNNING', 'C:done']);
    expect(seen[0]?.[0]).to.deep.equal({ total: 3, queued: 2, running: 1, done: 0, failed: 0, bytesScanned: 0 });
    expect(seen[1]?.[0].bytesScanned).to.equal(10);
    // A's 100 bytes, B's 10 (read before it failed) and C's 100.
    expect(seen.at(-1)?.[0]).to.deep.equal({ total: 3, queued: 0, running: 0, done: 3, failed: 1, bytesScanned: 210 });
    expect(seen[2]?.[1].queryId).to.equal('q-a');
  });

  it('on abort stops every query in flight and starts none of the rest', async () => {
    const stopped: string[] = [];
    const started: string[] = [];
    const runner: QueryRunner = {
      run(sql, options) {
        started.push(sql);
        return new Promise((_resolve, reject) => {
          options.signal?.addEventListener('abort', () => {
            stopped.push(sql);
            reject(new QueryError('aborted', `query ${sql} was interrupted and was stopped`));
          });
        });
      },
    };
    const controller = new AbortController();
    const pending = runQueries(runner, Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, sql: `q${i}` })), { concurrency: 2, signal: controller.signal });
    await tick();
    expect(started).to.deep.equal(['q0', 'q1']);
    controller.abort();
    const outcomes = await pending;
    expect(stopped).to.deep.equal(['q0', 'q1']);
    expect(started).to.deep.equal(['q0', 'q1']);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.started ? 'stopped' : 'not started'))).to.deep.equal(['stopped', 'stopped', 'not started', 'not started', 'not started', 'not started']);
    const notStarted = outcomes[2];
    expect(notStarted?.ok === false && notStarted.error instanceof QueryError && notStarted.error.failure).to.equal('aborted');
  });

  it('starts nothing when the signal is already aborted', async () => {
    const runner = countingRunner();
    const controller = new AbortController();
    controller.abort();
    const outcomes = await runQueries(runner, [{ id: 'A', sql: 'a' }], { signal: controller.signal });
    expect(runner.started).to.deep.equal([]);
    expect(outcomes[0]?.ok).to.equal(false);
  });

  it('returns nothing for no queries and refuses a bound below one', async () => {
    expect(await runQueries(countingRunner(), [])).to.deep.equal([]);
    try {
      await runQueries(countingRunner(), [{ id: 'A', sql: 'a' }], { concurrency: 0 });
      expect.fail('expected a usage error');
    } catch (err) {
      expect(err).to.be.instanceOf(TrailproofError);
      expect((err as TrailproofError).code).to.equal('TP_USAGE');
    }
  });
});
