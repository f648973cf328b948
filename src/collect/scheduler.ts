// Every AWS call of a collection goes through one Scheduler: a bound on calls in flight, a timeout per call
// (reset by each page of a paginated call), a further backoff when a call is still throttled after the SDK's
// own adaptive retries gave up, a breaker that stops calling a region of an account once it timed out, and the
// counts the summary reports (calls, errors by kind and by name, answers that mean "not configured").
import type { IamAction } from './policy.js';

export interface CallError {
  name: string;
  message: string;
}

/** Why a call failed, as the summary counts it. */
export type ErrorKind = 'denied' | 'throttled' | 'timeout' | 'network' | 'not-found' | 'role' | 'other';

export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: CallError; kind: ErrorKind | 'not-configured'; skipped: boolean };

export interface CallSpec {
  /** The IAM action the call needs (none for sts:GetCallerIdentity, which every principal may call). */
  action?: IamAction;
  account: string;
  /** A region name, or 'global' for calls without one. */
  region: string;
  /** Counts any failure under this kind (AssumeRole: 'role', whatever the error). */
  failureKind?: ErrorKind;
}

export interface SchedulerOptions {
  concurrency: number;
  callTimeoutMs: number;
  /** Extra attempts for a call still throttled after the SDK's retries. */
  throttleRetries?: number;
  /** First backoff before such an attempt (doubled each time, with jitter). */
  throttleBaseDelayMs?: number;
}

export interface SchedulerStats {
  calls: number;
  /** Failed calls by kind (answers that mean "not configured" are not failures). */
  errorsByKind: Partial<Record<ErrorKind, number>>;
  errorsByName: Record<string, number>;
  notConfigured: number;
  /** Calls not made because their region of the account had timed out. */
  skipped: number;
  throttleRetries: number;
  /** Every IAM action a call was made for (the least-privilege policy is tested against it). */
  actions: Set<IamAction>;
}

// Answers that say a setting is absent: evidence in their own right, stored as `$error` by the contract.
const NOT_CONFIGURED = new Set([
  'NoSuchBucketPolicy', 'NoSuchLifecycleConfiguration', 'ServerSideEncryptionConfigurationNotFoundError',
  'ObjectLockConfigurationNotFoundError', 'NoSuchPublicAccessBlockConfiguration', 'InsightNotEnabledException',
  'AWSOrganizationsNotInUseException',
]);
const DENIED = new Set([
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess', 'AuthorizationError',
  'AuthFailure', 'InvalidClientTokenId', 'UnrecognizedClientException', 'ExpiredToken', 'ExpiredTokenException',
  'OptInRequired', 'SignatureDoesNotMatch', 'AllAccessDisabled', 'CredentialsProviderError',
]);
const THROTTLED = new Set([
  'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown',
  'RequestThrottled', 'RequestThrottledException', 'ProvisionedThroughputExceededException', 'EC2ThrottledException',
  'BandwidthLimitExceeded', 'PriorRequestNotComplete', 'TransactionInProgressException',
]);
const TIMEOUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ETIMEDOUT']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const NOT_FOUND = new Set([
  'NoSuchBucket', 'TrailNotFoundException', 'NotFoundException', 'ResourceNotFoundException', 'NoSuchEntity',
  'EventDataStoreNotFoundException', 'NotFound',
]);

export function classify(error: CallError, status?: number): ErrorKind | 'not-configured' {
  const { name } = error;
  if (NOT_CONFIGURED.has(name)) return 'not-configured';
  if (THROTTLED.has(name) || status === 429) return 'throttled';
  if (DENIED.has(name) || status === 403) return 'denied';
  if (TIMEOUT.has(name)) return 'timeout';
  if (NETWORK.has(name)) return 'network';
  if (NOT_FOUND.has(name) || status === 404) return 'not-found';
  return 'other';
}

const MAX_MESSAGE = 2000;

/** The name and message of anything thrown by the SDK (or by us), in the contract's `$error` shape. */
export function toCallError(err: unknown): { error: CallError; status?: number } {
  if (typeof err === 'object' && err !== null) {
    const e = err as { name?: unknown; code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown }; $metadata?: { httpStatusCode?: unknown } };
    // Node's network errors carry the useful part in `code` (ECONNREFUSED...), the SDK's in `name`; fetch's in its cause.
    const codeOf = (v: unknown): string | undefined => (typeof v === 'string' && /^E[A-Z]+$/.test(v) ? v : undefined);
    const code = codeOf(e.code) ?? codeOf(e.cause?.code);
    const name = code ?? (typeof e.name === 'string' && e.name !== '' ? e.name : 'Error');
    const message = (typeof e.message === 'string' ? e.message : String(err)).slice(0, MAX_MESSAGE);
    const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
    return status === undefined ? { error: { name, message } } : { error: { name, message }, status };
  }
  return { error: { name: 'Error', message: String(err).slice(0, MAX_MESSAGE) } };
}

export class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A counting semaphore: at most `size` holders at once, served in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.size) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** Spaces calls that share a key at least `intervalMs` apart (LookupEvents: 2 per second per account and region). */
export class Pacer {
  private readonly next = new Map<string, number>();

  constructor(private readonly intervalMs: number) {}

  async wait(key: string): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.next.get(key) ?? 0);
    this.next.set(key, slot + this.intervalMs);
    if (slot > now) await sleep(slot - now);
  }
}

export class Scheduler {
  readonly stats: SchedulerStats = { calls: 0, errorsByKind: {}, errorsByName: {}, notConfigured: 0, skipped: 0, throttleRetries: 0, actions: new Set() };
  private readonly slots: Semaphore;
  private readonly timedOut = new Map<string, string>();

  constructor(private readonly options: SchedulerOptions) {
    this.slots = new Semaphore(Math.max(1, options.concurrency));
  }

  /**
   * Runs one call (or one paginated call: `heartbeat` after each page restarts its timer). Never throws:
   * the outcome says what came back, and the failure is counted.
   */
  async call<T>(spec: CallSpec, fn: (signal: AbortSignal, heartbeat: () => void) => Promise<T>): Promise<Outcome<T>> {
    const regionKey = `${spec.account}/${spec.region}`;
    if (spec.action) this.stats.actions.add(spec.action);
    const retries = this.options.throttleRetries ?? 3;
    const baseDelay = this.options.throttleBaseDelayMs ?? 2000;
    for (let attempt = 0; ; attempt++) {
      const breaker = spec.region === 'global' ? undefined : this.timedOut.get(regionKey);
      if (breaker !== undefined) {
        this.stats.skipped++;
        return { ok: false, error: { name: 'Skipped', message: `not called: ${breaker}` }, kind: 'timeout', skipped: true };
      }
      await this.slots.acquire();
      let outcome: Outcome<T>;
      try {
        this.stats.calls++;
        outcome = { ok: true, value: await this.withTimeout(fn) };
      } catch (err) {
        const { error, status } = toCallError(err);
        const kind = classify(error, status);
        outcome = { ok: false, error, kind: spec.failureKind !== undefined && kind !== 'throttled' ? spec.failureKind : kind, skipped: false };
      } finally {
        this.slots.release();
      }
      if (outcome.ok) return outcome;
      if (outcome.kind === 'throttled' && attempt < retries) {
        this.stats.throttleRetries++;
        await sleep(baseDelay * 2 ** attempt * (0.5 + Math.random()));
        continue;
      }
      if ((outcome.kind === 'timeout' || outcome.kind === 'network') && spec.region !== 'global') {
        this.timedOut.set(regionKey, `an earlier call in ${spec.region} of account ${spec.account} failed with ${outcome.error.name}`);
      }
      this.count(outcome.kind, outcome.error.name);
      return outcome;
    }
  }

  /** Counts a failure that did not come from a call (a role that cannot be assumed). */
  count(kind: ErrorKind | 'not-configured', name: string): void {
    if (kind === 'not-configured') {
      this.stats.notConfigured++;
      return;
    }
    this.stats.errorsByKind[kind] = (this.stats.errorsByKind[kind] ?? 0) + 1;
    this.stats.errorsByName[name] = (this.stats.errorsByName[name] ?? 0) + 1;
  }

  get errorCount(): number {
    return Object.values(this.stats.errorsByKind).reduce((a, b) => a + (b ?? 0), 0);
  }

  private withTimeout<T>(fn: (signal: AbortSignal, heartbeat: () => void) => Promise<T>): Promise<T> {
    const ms = this.options.callTimeoutMs;
    const controller = new AbortController();
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout;
      const arm = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const err = new TimeoutError(ms);
          controller.abort(err);
          reject(err);
        }, ms);
      };
      arm();
      // A stub or handler that ignores the abort signal must not hold the run: the race settles on the timer.
      fn(controller.signal, arm).then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(controller.signal.aborted && controller.signal.reason instanceof TimeoutError ? controller.signal.reason : err);
        },
      );
    });
  }
}
