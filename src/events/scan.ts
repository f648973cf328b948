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

interface Pending {
  input: CorrelationInput;
  seq: number;
}

/** A min-heap on (time, arrival): the reorder buffer in front of the correlator. Sifts move a hole, not pairs. */
class InputHeap {
  private readonly items: Pending[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): CorrelationInput | undefined {
    return this.items[0]?.input;
  }
  push(p: Pending): void {
    const items = this.items;
    let i = items.length;
    items.push(p);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const q = items[parent] as Pending;
      if (q.input.time < p.input.time || (q.input.time === p.input.time && q.seq < p.seq)) break;
      items[i] = q;
      i = parent;
    }
    items[i] = p;
  }
  pop(): CorrelationInput | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined) return undefined;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        const right = child + 1;
        if (right < n) {
          const a = items[child] as Pending;
          const b = items[right] as Pending;
          if (b.input.time < a.input.time || (b.input.time === a.input.time && b.seq < a.seq)) child = right;
        }
        const c = items[child] as Pending;
        if (last.input.time < c.input.time || (last.input.time === c.input.time && last.seq < c.seq)) break;
        items[i] = c;
        i = child;
      }
      items[i] = last;
    }
    return top.input;
  }
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
  const { ruleSet, errors } = compileSources(options.rules, { parameters });
  // Inputs reach it already in time order (the reorder buffer here knows the delivery times): no second buffer.
  const correlator = new Correlator(ruleSet, { reorderWindowMs: 0 });
  const detections: Detection[] = [];
  const seenBase = new Set<string>();
  const seenInputs = new RecentKeys(ORDER_ALLOWANCE_MS);
  const heap = new InputHeap();
  let seq = 0;
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
      if (!repeated) heap.push({ input, seq: seq++ });
    }
    if (result.delivered !== null) {
      // Every later unit was delivered no earlier than this one, so holds nothing older than the watermark.
      const watermark = result.delivered - ORDER_ALLOWANCE_MS;
      for (let next = heap.peek(); next !== undefined && next.time <= watermark; next = heap.peek()) correlate(heap.pop() as CorrelationInput);
      if (dedupe) seenInputs.advance(watermark);
    }
  };

  const onProgress = options.onProgress;
  const task: Task = { mode: 'scan', sources: options.rules, parameters, scope: options.scope };
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
  for (let next = heap.pop(); next !== undefined; next = heap.pop()) correlate(next);
  for (const match of correlator.flush()) detections.push(correlationDetection(match));
  detections.sort(compareDetections);
  return {
    detections,
    stats: { ...stats, ...extra, detections: detections.length, duplicates, late: correlator.stats.late, untimed: correlator.stats.untimed },
  };
}
