// Every AWS call of a collection goes through one Scheduler: a bound on calls in flight, a timeout per call
// (reset by each page of a paginated call), a further backoff when a call is still throttled after the SDK's
// own adaptive retries gave up, a breaker that stops calling a region of an account once it timed out, and the
// counts the summary reports (calls, errors by kind and by name, answers that mean "not configured").
// Also the Pacer that spaces calls sharing a quota (LookupEvents). Generic in the action names it records, so
// the collection's IAM action list types them without this layer knowing the collection.
import { classify, TimeoutError, toCallError, type CallError, type ErrorKind } from './errors.js';

export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: CallError; kind: ErrorKind | 'not-configured'; skipped: boolean };

export interface CallSpec<Action extends string = string> {
  /** The IAM action the call needs (none for sts:GetCallerIdentity, which every principal may call). */
  action?: Action;
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

export interface SchedulerStats<Action extends string = string> {
  calls: number;
  /** Failed calls by kind (answers that mean "not configured" are not failures). */
  errorsByKind: Partial<Record<ErrorKind, number>>;
  errorsByName: Record<string, number>;
  notConfigured: number;
  /** Calls not made because their region of the account had timed out. */
  skipped: number;
  throttleRetries: number;
  /** Every IAM action a call was made for (the least-privilege policy is tested against it). */
  actions: Set<Action>;
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

export interface Clock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const REAL_CLOCK: Clock = { now: Date.now, sleep };

/**
 * Spaces calls that share a key at least `intervalMs` apart: LookupEvents allows 2 per second per account and
 * region, so the collection and the `--lookup-events` reader both key it by account and region.
 */
export class Pacer {
  private readonly next = new Map<string, number>();

  constructor(private readonly intervalMs: number, private readonly clock: Clock = REAL_CLOCK) {}

  async wait(key = ''): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.next.get(key) ?? -Infinity);
    this.next.set(key, slot + this.intervalMs);
    if (slot > now) await this.clock.sleep(slot - now);
  }
}

export class Scheduler<Action extends string = string> {
  readonly stats: SchedulerStats<Action> = { calls: 0, errorsByKind: {}, errorsByName: {}, notConfigured: 0, skipped: 0, throttleRetries: 0, actions: new Set() };
  private readonly slots: Semaphore;
  private readonly timedOut = new Map<string, string>();

  constructor(private readonly options: SchedulerOptions) {
    this.slots = new Semaphore(Math.max(1, options.concurrency));
  }

  /**
   * Runs one call (or one paginated call: `heartbeat` after each page restarts its timer). Never throws:
   * the outcome says what came back, and the failure is counted.
   */
  async call<T>(spec: CallSpec<Action>, fn: (signal: AbortSignal, heartbeat: () => void) => Promise<T>): Promise<Outcome<T>> {
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
