// One AWS call of a query engine, named the way IAM names it ("athena:StartQueryExecution") in every error it
// ends in, and tried again with backoff while the service throttles it: Athena and CloudTrail Lake both limit
// the queries and polls an account may make at once, and an audit of many rules reaches those limits.
import { classify, toCallError } from '../aws/errors.js';
import { TrailproofError } from '../errors.js';

/** Why a query did not give its rows. */
export type QueryFailure =
  /** The engine ran the query and it failed (FAILED). */
  | 'failed'
  /** The engine reports the query cancelled by someone else, or stopped by its own time limit. */
  | 'cancelled'
  /** It ran longer than the time allowed and was stopped. */
  | 'timeout'
  /** The caller aborted it (Ctrl-C) and it was stopped. */
  | 'aborted'
  /** An AWS call failed: denied, invalid, throttled beyond the retries, unreachable. */
  | 'call';

export class QueryError extends TrailproofError {
  readonly failure: QueryFailure;
  readonly queryId: string | undefined;

  constructor(failure: QueryFailure, message: string, options: { queryId?: string | undefined; exitCode?: 2 | 3; cause?: unknown } = {}) {
    // Exit 3 by default: the events could not be read well enough to decide; 2 where the request itself was at fault.
    super('TP_EVIDENCE_INSUFFICIENT', message, { exitCode: options.exitCode ?? 3, cause: options.cause });
    this.failure = failure;
    this.queryId = options.queryId;
  }
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Waits ms, or less when the signal aborts (it resolves then: the caller looks at the signal). */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

// Answers that mean the request as given cannot succeed (a missing output location, an unknown event data
// store, SQL the service refuses up front): the caller's input is at fault, exit 2.
const REQUEST_AT_FAULT = new Set([
  'InvalidRequestException', 'InvalidParameterException', 'InvalidQueryStatementException', 'InvalidQueryStatusException',
  'EventDataStoreNotFoundException', 'InactiveEventDataStoreException', 'EventDataStoreARNInvalidException',
  'InvalidDateRangeException', 'InvalidMaxResultsException', 'QueryIdNotFoundException', 'InvalidS3BucketNameException',
  'InsufficientS3BucketPolicyException', 'InvalidS3PrefixException', 'ValidationException',
]);
// Lake refuses a query beyond its limit of queries in flight; waiting frees a slot like a throttle would.
const BUSY = new Set(['MaxConcurrentQueriesException']);

/** The error a failed call ends in: "athena:StartQueryExecution denied: ...". */
export function callError(action: string, err: unknown, detail = ''): QueryError {
  if (err instanceof QueryError) return err;
  const { error, status } = toCallError(err);
  const kind = classify(error, status);
  const what = `${kind === 'denied' ? 'denied' : kind === 'throttled' ? 'throttled' : 'failed'}${detail}`;
  const text = kind === 'denied' || error.message.startsWith(error.name) ? error.message : `${error.name}: ${error.message}`;
  const exitCode = REQUEST_AT_FAULT.has(error.name) || kind === 'not-found' ? 2 : 3;
  return new QueryError('call', `${action} ${what}: ${text}`, { exitCode, cause: err });
}

export interface CallOptions {
  sleep: Sleep;
  signal?: AbortSignal | undefined;
  /** Attempts in all while throttled (the SDK retries each attempt on its own as well). */
  attempts?: number;
  baseDelayMs?: number;
}

const DEFAULT_ATTEMPTS = 5;
const DEFAULT_BASE_DELAY_MS = 1000;

/** Makes a call, again with doubling delays while it is throttled; any other failure names the call. */
export async function callAws<T>(action: string, send: () => Promise<T>, options: CallOptions): Promise<T> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  let delay = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      const { error, status } = toCallError(err);
      const retryable = classify(error, status) === 'throttled' || BUSY.has(error.name);
      if (!retryable || attempt >= attempts || options.signal?.aborted === true) {
        throw callError(action, err, retryable ? ` after ${attempt} attempt${attempt === 1 ? '' : 's'}` : '');
      }
      await options.sleep(delay, options.signal);
      delay *= 2;
    }
  }
}
