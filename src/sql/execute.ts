// The life of one query on an engine that runs it asynchronously (Athena, CloudTrail Lake): submit it, poll
// its state with a growing delay until it ends, page its rows back. A query that outlives its time limit, or
// whose caller aborts (Ctrl-C), is stopped on the engine before the error is thrown: a query left running
// keeps scanning, and the organization pays for every byte. The engines differ only in their calls and
// their names for states, which each adapter maps (athena.ts, lake.ts).
import { QueryError, abortableSleep, type Sleep } from './aws-call.js';
import type { QueryResult, RunOptions } from './query-types.js';

export type Phase = 'pending' | 'succeeded' | 'failed' | 'cancelled' | 'timed-out';

/** One poll's answer, in the engine's words (state) and the driver's (phase). */
export interface EngineStatus {
  state: string;
  phase: Phase;
  /** Why it failed, was cancelled or timed out, as the engine says. */
  reason?: string | undefined;
  bytesScanned: number;
  engineMs: number;
  /** Submission to end, when the engine reports it; else the driver measures it. */
  totalMs?: number | undefined;
}

export interface Rows {
  columns: string[];
  rows: Array<Record<string, string | null>>;
}

export interface Engine<S extends EngineStatus> {
  /** How messages name the engine: "Athena", "CloudTrail Lake". */
  name: string;
  /** The call that stops a query, as IAM names it (for the message when stopping fails). */
  stopAction: string;
  /** How a person stops the query when trailproof could not. */
  stopByHand(queryId: string): string;
  start(sql: string): Promise<string>;
  status(queryId: string, signal: AbortSignal): Promise<S>;
  stop(queryId: string): Promise<void>;
  results(queryId: string, final: S, signal: AbortSignal): Promise<Rows>;
}

export interface PollOptions {
  /** First delay between polls; each later one is half again as long, up to maxPollMs. */
  pollMs?: number;
  maxPollMs?: number;
  /** Time a query may take from submission to its end (paging its rows back is not counted). */
  timeoutMs?: number;
  /** Clock and sleep, for tests. */
  sleep?: Sleep;
  now?: () => number;
}

export const DEFAULT_POLL_MS = 500;
export const DEFAULT_MAX_POLL_MS = 5000;
/** Athena's own limit for a DML query's run time is 30 minutes by default. */
export const DEFAULT_TIMEOUT_MS = 30 * 60_000;

export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** Stops a query; a failure to stop is added to the message rather than hiding the reason it was stopped for. */
async function stopWith<S extends EngineStatus>(engine: Engine<S>, queryId: string, message: string): Promise<string> {
  try {
    await engine.stop(queryId);
    return `${message} and was stopped`;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return `${message}; stopping it failed too (${why}): ${engine.stopByHand(queryId)}`;
  }
}

export async function execute<S extends EngineStatus>(engine: Engine<S>, sql: string, run: RunOptions, options: PollOptions): Promise<QueryResult> {
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxPollMs = options.maxPollMs ?? DEFAULT_MAX_POLL_MS;
  const signal = run.signal ?? new AbortController().signal;
  if (signal.aborted) throw new QueryError('aborted', `${engine.name} query not started: the run was interrupted`);

  const started = now();
  // The submission is not aborted half-way: a query the engine accepted but whose id never arrived could not be stopped.
  const queryId = await engine.start(sql);
  const aborted = async (): Promise<QueryError> =>
    new QueryError('aborted', await stopWith(engine, queryId, `${engine.name} query ${queryId} was interrupted`), { queryId });

  let delay = options.pollMs ?? DEFAULT_POLL_MS;
  let last = '';
  let status: S;
  for (;;) {
    if (signal.aborted) throw await aborted();
    try {
      status = await engine.status(queryId, signal);
    } catch (err) {
      if (signal.aborted) throw await aborted();
      // Without its state the query cannot be followed: stop it rather than leave it scanning unseen.
      const message = await stopWith(engine, queryId, `${err instanceof Error ? err.message : String(err)}; ${engine.name} query ${queryId} could not be followed`);
      throw new QueryError('call', message, { queryId, exitCode: err instanceof QueryError ? err.exitCode : 3, cause: err });
    }
    if (status.state !== last) {
      last = status.state;
      try {
        run.onState?.(status.state, { queryId, bytesScanned: status.bytesScanned });
      } catch (err) {
        // A progress callback that throws ends the run like any failure: not with the query left running.
        await stopWith(engine, queryId, 'progress callback failed');
        throw err;
      }
    }
    const because = status.reason === undefined || status.reason === '' ? '' : `: ${status.reason}`;
    if (status.phase === 'succeeded') break;
    if (status.phase === 'failed') throw new QueryError('failed', `${engine.name} query ${queryId} failed${because}`, { queryId });
    if (status.phase === 'cancelled') throw new QueryError('cancelled', `${engine.name} query ${queryId} was cancelled on the engine${because}`, { queryId });
    if (status.phase === 'timed-out') throw new QueryError('timeout', `${engine.name} query ${queryId} ran past the engine's own time limit${because}`, { queryId });
    const elapsed = now() - started;
    if (elapsed >= timeoutMs) {
      throw new QueryError('timeout', await stopWith(engine, queryId, `${engine.name} query ${queryId} timed out after ${seconds(timeoutMs)}`), { queryId });
    }
    await sleep(Math.min(delay, timeoutMs - elapsed), signal);
    delay = Math.min(maxPollMs, Math.ceil(delay * 1.5));
  }

  let rows: Rows;
  try {
    rows = await engine.results(queryId, status, signal);
  } catch (err) {
    // The query has ended: nothing to stop, only the paging to give up.
    if (signal.aborted) throw new QueryError('aborted', `${engine.name} query ${queryId}: reading its results was interrupted`, { queryId });
    throw err;
  }
  return {
    ...rows,
    stats: { queryId, bytesScanned: status.bytesScanned, engineMs: status.engineMs, totalMs: status.totalMs ?? now() - started },
  };
}

/** Where rows stop being a result and become a mistake (a rule that matches everything): fail rather than fill memory. */
export const DEFAULT_MAX_ROWS = 1_000_000;
/** More pages than any answer within maxRows has: a token that never ends is an error. */
export const MAX_PAGES = 100_000;

export function tooManyRows(engine: string, queryId: string, maxRows: number): QueryError {
  return new QueryError('call', `${engine} query ${queryId} returned more than ${maxRows} rows; narrow the period or the rule (or raise the limit)`, { queryId });
}
