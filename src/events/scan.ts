// The scan: files -> records -> rule index -> base matches (worker threads) -> correlation (this thread, in
// time order) -> detections, sorted. Base matches of one event seen twice (an organization trail and an
// account trail both deliver it; a bundle holds it in its logs and in LookupEvents) count once.
import type { Detection } from '../model/types.js';
import { compareDetections, correlationDetection } from './detections.js';
import { runPipeline, type PipelineStats } from './pipeline.js';
import { createProcessor, type Task, type UnitResult } from './processor.js';
import type { LogSource, ScanScope } from './readers/types.js';
import { unpackInputs } from './wire.js';
import { compileSources, Correlator, type CorrelationInput, type RuleLoadError, type RuleSource } from './sigma/index.js';

/**
 * How far out of time order base matches may arrive and still be correlated in order. Files are read in
 * delivery order and CloudTrail delivers within about 5 minutes (15 at most in practice), so an event is at
 * most this much older than the files around it. One delivered later still counts as a detection of its own,
 * but its correlations count it as late (stats.late) rather than use it. The reorder buffer holds this much
 * event time of correlation input, so the allowance is also what memory grows with: in an organization
 * writing a thousand events a second, 15 minutes is a few hundred thousand inputs.
 */
export const ORDER_ALLOWANCE_MS = 15 * 60_000;

export interface ScanOptions {
  rules: RuleSource[];
  /** Rule parameters by ruleId (the config's `checks.<ruleId>`). */
  parameters?: Record<string, Record<string, unknown>>;
  scope: ScanScope;
  workers: number;
  /** See PipelineOptions.spawnAfterMs. */
  spawnAfterMs?: number;
  /** False: parse every record instead of only those some rule could match (the same detections, slower). */
  prefilter?: boolean;
  onProgress?: (stats: ScanStats) => void;
}

export interface ScanStats extends PipelineStats {
  detections: number;
  /** Base matches dropped because the same event was already seen. */
  duplicates: number;
  /** Correlation inputs that arrived after later events had been correlated. */
  late: number;
  /** Correlation inputs whose event had no readable eventTime. */
  untimed: number;
  rules: { event: number; correlations: number };
  ruleErrors: RuleLoadError[];
}

export interface ScanResult {
  detections: Detection[];
  stats: ScanStats;
}

interface Run {
  inputs: CorrelationInput[];
  /** The next input to hand out. */
  at: number;
  /** Arrival order of the run: breaks ties of equal times. */
  seq: number;
}

/**
 * The order correlation inputs are correlated in: event time, then event id (CloudTrail writes times to the
 * second, so many events share one; ordering them by id makes the detections, e.g. which event stands first
 * in a burst, independent of the order files were listed or delivered in, and the same as the SQL engines'
 * order), then the base rule.
 */
export function inputOrder(a: CorrelationInput, b: CorrelationInput): number {
  if (a.time !== b.time) return a.time - b.time;
  const x = a.summary.eventID;
  const y = b.summary.eventID;
  if (x !== y) return x < y ? -1 : 1;
  return a.rule - b.rule;
}

/**
 * The reorder buffer in front of the correlator: each unit's inputs as one run sorted by inputOrder, the
 * runs merged by (inputOrder, arrival). This is the order a min-heap on
 * (time, arrival) of every input gives, at a fraction of the cost: the heap is over the few runs waiting
 * (tens), not the inputs (tens of thousands, scattered in memory).
 */
class InputRuns {
  private readonly heap: Run[] = [];
  private seq = 0;

  add(inputs: CorrelationInput[]): void {
    if (inputs.length === 0) return;
    let sorted = true;
    for (let i = 1; i < inputs.length && sorted; i++) sorted = inputOrder(inputs[i - 1] as CorrelationInput, inputs[i] as CorrelationInput) <= 0;
    // Array.prototype.sort is stable.
    if (!sorted) inputs.sort(inputOrder);
    const heap = this.heap;
    const run: Run = { inputs, at: 0, seq: this.seq++ };
    let i = heap.length;
    heap.push(run);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(run, heap[parent] as Run)) break;
      heap[i] = heap[parent] as Run;
      i = parent;
    }
    heap[i] = run;
  }

  peek(): CorrelationInput | undefined {
    const top = this.heap[0];
    return top === undefined ? undefined : top.inputs[top.at];
  }

  pop(): CorrelationInput | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const input = top.inputs[top.at++] as CorrelationInput;
    let run = top;
    if (top.at === top.inputs.length) {
      run = heap.pop() as Run;
      if (heap.length === 0) return input;
    }
    // Sift the top run (with its next input) or the last run down from the root.
    const n = heap.length;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap[child + 1] as Run, heap[child] as Run)) child++;
      if (!before(heap[child] as Run, run)) break;
      heap[i] = heap[child] as Run;
      i = child;
    }
    heap[i] = run;
    return input;
  }
}

/** Whether run a's next input goes before run b's. */
function before(a: Run, b: Run): boolean {
  const order = inputOrder(a.inputs[a.at] as CorrelationInput, b.inputs[b.at] as CorrelationInput);
  return order < 0 || (order === 0 && a.seq < b.seq);
}

/** Remembers recent keys (by event time) to drop a second copy of the same event; forgets old ones. */
export class RecentKeys {
  private readonly seen = new Map<string, number>();
  private horizon = Number.NEGATIVE_INFINITY;

  constructor(private readonly keepMs: number) {}

  /** True when the key was already seen (and the caller should drop this copy). */
  seenBefore(key: string, time: number): boolean {
    if (this.seen.has(key)) return true;
    this.seen.set(key, Number.isFinite(time) ? time : Number.POSITIVE_INFINITY);
    return false;
  }

  /** Forgets keys of events older than `now - keepMs`, now and then (not on every call). */
  advance(now: number): void {
    if (now - this.horizon < this.keepMs / 4) return;
    this.horizon = now;
    for (const [key, time] of this.seen) if (time < now - this.keepMs) this.seen.delete(key);
  }
}

export async function scanEvents(sources: readonly LogSource[], options: ScanOptions): Promise<ScanResult> {
  const parameters = options.parameters ?? {};
  const compiled = compileSources(options.rules, { parameters });
  const { ruleSet, errors } = compiled;
  // Inputs reach it already in time order (the reorder buffer here knows the delivery times): no second buffer.
  const correlator = new Correlator(ruleSet, { reorderWindowMs: 0 });
  const detections: Detection[] = [];
  const seenBase = new Set<string>();
  const seenInputs = new RecentKeys(ORDER_ALLOWANCE_MS);
  const runs = new InputRuns();
  let duplicates = 0;
  const extra = { detections: 0, duplicates: 0, late: 0, untimed: 0, rules: { event: ruleSet.rules.length, correlations: ruleSet.correlations.length }, ruleErrors: errors };
  const correlate = (input: CorrelationInput): void => {
    for (const match of correlator.push(input)) detections.push(correlationDetection(match));
  };

  // Looking up every event costs time on the one thread that correlates: only when a copy can come.
  let dedupe: boolean | undefined;
  const merge = (result: UnitResult): void => {
    dedupe ??= sources.length > 1 || sources.some((s) => s.mayRepeat());
    for (const d of result.detections) {
      const key = d.eventId === '' || !dedupe ? '' : `${d.ruleId}\0${d.eventId}`;
      if (key !== '' && seenBase.has(key)) {
        duplicates++;
        continue;
      }
      if (key !== '') seenBase.add(key);
      detections.push(d);
    }
    // The inputs of one event sit together (one per base rule it matched): the event is looked up once.
    let event = -1;
    let repeated = false;
    const run: CorrelationInput[] = [];
    for (const input of unpackInputs(result.inputs)) {
      if (!Number.isFinite(input.time)) {
        correlate(input);
        continue;
      }
      if (input.eventIndex !== event) {
        event = input.eventIndex;
        const id = input.summary.eventID;
        repeated = dedupe && id !== '' && seenInputs.seenBefore(id, input.time);
      }
      if (!repeated) run.push(input);
    }
    runs.add(run);
    if (result.delivered !== null) {
      // Every later unit was delivered no earlier than this one, so holds nothing older than the watermark.
      const watermark = result.delivered - ORDER_ALLOWANCE_MS;
      for (let next = runs.peek(); next !== undefined && next.time <= watermark; next = runs.peek()) correlate(runs.pop() as CorrelationInput);
      if (dedupe) seenInputs.advance(watermark);
    }
  };

  const onProgress = options.onProgress;
  const snapshot = options.workers > 0 ? compiled.snapshot() : null;
  const task: Task = {
    mode: 'scan',
    sources: options.rules,
    parameters,
    scope: options.scope,
    ...(options.prefilter === false ? { prefilter: false } : {}),
    ...(snapshot === null ? {} : { snapshot }),
  };
  const stats = await runPipeline(
    task,
    sources,
    {
      workers: options.workers,
      inline: createProcessor(task, ruleSet),
      ...(options.spawnAfterMs === undefined ? {} : { spawnAfterMs: options.spawnAfterMs }),
      ...(onProgress === undefined ? {} : { onProgress: (s: PipelineStats) => onProgress({ ...s, ...extra, detections: detections.length, duplicates }) }),
    },
    merge,
  );
  for (let next = runs.pop(); next !== undefined; next = runs.pop()) correlate(next);
  for (const match of correlator.flush()) detections.push(correlationDetection(match));
  detections.sort(compareDetections);
  return {
    detections,
    stats: { ...stats, ...extra, detections: detections.length, duplicates, late: correlator.stats.late, untimed: correlator.stats.untimed },
  };
}
