// Many queries (one per rule, or per rule and period) on one engine, a bounded number at a time: the engines
// limit the queries an account runs at once, and past that they only queue. Each query ends in its own
// outcome, so one that fails costs its rule's answer and no other's. One abort (Ctrl-C) reaches every query
// in flight, each of which stops itself on the engine; the queries not yet started are not started.
import { TrailproofError } from '../errors.js';
import { QueryError } from './aws-call.js';
import type { QueryResult, QueryRunner } from './query-types.js';

export interface NamedQuery {
  /** The caller's name for the query (a rule id): outcomes and progress carry it. */
  id: string;
  sql: string;
}

export type QueryOutcome =
  | { id: string; ok: true; result: QueryResult }
  | {
      id: string;
      ok: false;
      error: Error;
      /** False when the run was interrupted before the query's turn came. */
      started: boolean;
    };

export interface RunProgress {
  total: number;
  queued: number;
  running: number;
  /** Ended, either way. */
  done: number;
  failed: number;
  /** Bytes scanned by the ended queries and, as far as reported, by those running. */
  bytesScanned: number;
}

/** What changed: a query started, moved to an engine state (QUEUED, RUNNING...), or ended ('done', 'failed'). */
export interface QueryEvent {
  id: string;
  state: string;
  queryId?: string;
}

export interface RunQueriesOptions {
  /** Queries in flight at once (default 4). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress, event: QueryEvent) => void;
}

export const DEFAULT_CONCURRENCY = 4;

/** Runs every query, at most `concurrency` at once; the outcomes are in the order of `queries`. */
export async function runQueries(runner: QueryRunner, queries: readonly NamedQuery[], options: RunQueriesOptions = {}): Promise<QueryOutcome[]> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TrailproofError('TP_USAGE', `query concurrency must be a whole number of at least 1 (got ${concurrency})`);
  }
  const controller = new AbortController();
  const forward = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted === true) forward();
  else options.signal?.addEventListener('abort', forward, { once: true });

  const outcomes: QueryOutcome[] = new Array<QueryOutcome>(queries.length);
  const live = new Map<string, number>();
  const progress: RunProgress = { total: queries.length, queued: queries.length, running: 0, done: 0, failed: 0, bytesScanned: 0 };
  let endedBytes = 0;
  const report = (event: QueryEvent): void => {
    let running = 0;
    for (const bytes of live.values()) running += bytes;
    progress.bytesScanned = endedBytes + running;
    options.onProgress?.({ ...progress }, event);
  };

  const runOne = async (index: number, query: NamedQuery): Promise<void> => {
    progress.queued--;
    if (controller.signal.aborted) {
      const error = new QueryError('aborted', `query ${query.id} not started: the run was interrupted`);
      outcomes[index] = { id: query.id, ok: false, error, started: false };
      progress.done++;
      progress.failed++;
      report({ id: query.id, state: 'failed' });
      return;
    }
    const key = `${index}`;
    let queryId: string | undefined;
    progress.running++;
    live.set(key, 0);
    report({ id: query.id, state: 'started' });
    try {
      const result = await runner.run(query.sql, {
        signal: controller.signal,
        onState: (state, p) => {
          queryId = p.queryId;
          live.set(key, p.bytesScanned);
          report({ id: query.id, state, queryId });
        },
      });
      live.delete(key);
      endedBytes += result.stats.bytesScanned;
      outcomes[index] = { id: query.id, ok: true, result };
      progress.running--;
      progress.done++;
      report({ id: query.id, state: 'done', queryId: result.stats.queryId });
    } catch (err) {
      // The bytes a failed or stopped query had scanned were still read (and, when stopped, billed).
      endedBytes += live.get(key) ?? 0;
      live.delete(key);
      const error = err instanceof Error ? err : new Error(String(err));
      outcomes[index] = { id: query.id, ok: false, error, started: true };
      progress.running--;
      progress.done++;
      progress.failed++;
      report(queryId === undefined ? { id: query.id, state: 'failed' } : { id: query.id, state: 'failed', queryId });
    }
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queries.length) {
      const index = next++;
      await runOne(index, queries[index] as NamedQuery);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, queries.length) }, worker));
  } finally {
    options.signal?.removeEventListener('abort', forward);
  }
  return outcomes;
}
