// The scan: files -> records -> rule index -> base matches (worker threads) -> correlation (this thread, in
// time order) -> detections, sorted. Base matches of one event seen twice (an organization trail and an
// account trail both deliver it; a bundle holds it in its logs and in LookupEvents) count once.
//
// Correlations are exact whatever order the files come in. Inputs within the reorder allowance are
// correlated as they stream (the common case: files in delivery order); every input is also journaled to a
// temp file (spill.ts), and when some arrived later than the stream had reached, the correlations they feed
// are correlated again from the journal, sorted, and their streamed detections replaced. What still cannot
// be correlated (no eventTime, the journal's disk bound) is counted by rule in stats.incomplete.
import type { Detection } from '../model/types.js';
import { compileRules } from './builtin-rules.js';
import { compareDetections, correlationDetection } from './detections.js';
import { runPipeline, type PipelineStats } from './pipeline.js';
import { createProcessor, type Task, type UnitResult } from './processor.js';
import type { LogSource, ScanScope } from './readers/types.js';
import { PackedRuns } from './reorder.js';
import { CorrelationSpill, type SpillOptions, type SpillStats } from './spill.js';
import { inputOffsets, packedEventId, packedEventIndex, packedRule, unpackInput } from './wire.js';
import { Correlator, type CorrelationInput, type CorrelationMatch, type RuleLoadError, type RuleSource } from './sigma/index.js';
import type { ResolvedCorrelation, RuleSet } from './sigma/ruleset.js';
import type { Severity } from '../model/types.js';

/**
 * How far out of time order base matches may arrive and still be correlated in order. Files are read in
 * delivery order and CloudTrail delivers within about 5 minutes (15 at most in practice), so an event is at
 * most this much older than the files around it. One delivered later still counts as a detection of its own,
 * but its correlations count it as late (stats.late) rather than use it. The reorder buffer holds this much
 * event time of correlation input, so the allowance is also what memory grows with: in an organization
 * writing a thousand events a second, 15 minutes is a few hundred thousand inputs. An input older than what
 * the stream has correlated is not lost: its correlations are correlated again, exactly, from the journal.
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
  /** Where and within what bounds correlation inputs are journaled (spill.ts); tests make them small. */
  spill?: SpillOptions;
  onProgress?: (stats: ScanStats) => void;
}

/** A correlation some of whose inputs could not be correlated: its detections may be missing or short. */
export interface IncompleteCorrelation {
  ruleId: string;
  title: string;
  severity: Severity;
  /** Inputs of its base rules left out. */
  inputs: number;
  reason: string;
}

export interface ScanStats extends PipelineStats {
  detections: number;
  /** Base matches dropped because the same event was already seen. */
  duplicates: number;
  /**
   * Correlation inputs that arrived after later events had been correlated: the correlations they feed
   * (`recorrelated`) were correlated again from the journal, unless `incomplete` names them.
   */
  late: number;
  recorrelated: string[];
  /** Correlations with inputs that could not be correlated, by rule: the gate cannot decide them. */
  incomplete: IncompleteCorrelation[];
  /** What the journal and the exact path took (null when no rule correlates). */
  spill: SpillStats | null;
  /** Correlation inputs whose event had no readable eventTime. */
  untimed: number;
  rules: { event: number; correlations: number };
  ruleErrors: RuleLoadError[];
}

export interface ScanResult {
  detections: Detection[];
  stats: ScanStats;
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
  // The built-in rules come from the build's snapshot when nothing changes them (builtin-rules.ts).
  const compiled = compileRules(options.rules, { parameters });
  const { ruleSet, errors } = compiled;
  // Inputs reach it already in time order (the reorder buffer here knows the delivery times): no second buffer.
  const correlator = new Correlator(ruleSet, { reorderWindowMs: 0 });
  const detections: Detection[] = [];
  const seenBase = new Set<string>();
  const seenInputs = new RecentKeys(ORDER_ALLOWANCE_MS);
  const runs = new PackedRuns();
  const spill = ruleSet.correlations.length > 0 ? new CorrelationSpill(options.spill) : null;
  let duplicates = 0;
  const extra = { detections: 0, duplicates: 0, late: 0, untimed: 0, recorrelated: [] as string[], incomplete: [] as IncompleteCorrelation[], spill: null, rules: { event: ruleSet.rules.length, correlations: ruleSet.correlations.length }, ruleErrors: errors };
  const correlate = (input: CorrelationInput): void => {
    for (const match of correlator.push(input)) detections.push(correlationDetection(match));
  };
  // Late and untimed inputs by base rule: what the exact path re-correlates, or what is reported incomplete.
  const late = new Map<number, number>();
  const untimed = new Map<number, number>();
  let last: CorrelationInput | null = null;
  const correlateInOrder = (input: CorrelationInput): void => {
    if (last !== null && inputOrder(input, last) < 0) {
      late.set(input.rule, (late.get(input.rule) ?? 0) + 1);
      return;
    }
    last = input;
    correlate(input);
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
    const packed = result.inputs;
    const offsets = inputOffsets(packed);
    const kept: number[] = [];
    let event = -1;
    let repeated = false;
    for (let n = 0; n < packed.count; n++) {
      const offset = offsets[n] as number;
      const time = packed.times[n] as number;
      if (!Number.isFinite(time)) {
        const rule = packedRule(packed, offset);
        untimed.set(rule, (untimed.get(rule) ?? 0) + 1);
        correlate(unpackInput(packed, n, offset));
        continue;
      }
      const eventIndex = packedEventIndex(packed, offset);
      if (eventIndex !== event) {
        event = eventIndex;
        const id = packedEventId(packed, offset);
        repeated = dedupe && id !== '' && seenInputs.seenBefore(id, time);
      }
      if (!repeated) kept.push(n);
    }
    spill?.record(packed, kept.length === packed.count ? null : kept);
    runs.add(packed, offsets, kept);
    if (result.delivered !== null) {
      // Every later unit was delivered no earlier than this one, so holds nothing older than the watermark.
      const watermark = result.delivered - ORDER_ALLOWANCE_MS;
      for (let next = runs.peekTime(); next !== undefined && next <= watermark; next = runs.peekTime()) correlateInOrder(runs.pop() as CorrelationInput);
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
  try {
    const stats = await runPipeline(
      task,
      sources,
      {
        workers: options.workers,
        inline: createProcessor(task, ruleSet),
        ...(options.spawnAfterMs === undefined ? {} : { spawnAfterMs: options.spawnAfterMs }),
        ...(onProgress === undefined ? {} : { onProgress: (s: PipelineStats) => onProgress({ ...s, ...extra, detections: detections.length, duplicates, late: sum(late) }) }),
      },
      merge,
    );
    for (let next = runs.pop(); next !== undefined; next = runs.pop()) correlateInOrder(next);
    for (const match of correlator.flush()) detections.push(correlationDetection(match));
    spill?.seal();
    const exact = recorrelate(ruleSet, late, untimed, spill, dedupe === true);
    const replaced = new Set(exact.recorrelated);
    const kept = replaced.size === 0 ? detections : detections.filter((d) => !replaced.has(d.ruleId));
    for (const match of exact.matches) kept.push(correlationDetection(match));
    kept.sort(compareDetections);
    return {
      detections: kept,
      stats: { ...stats, ...extra, detections: kept.length, duplicates, late: sum(late), untimed: correlator.stats.untimed, recorrelated: exact.recorrelated, incomplete: exact.incomplete, spill: spill === null ? null : { ...spill.stats } },
    };
  } finally {
    spill?.dispose();
  }
}

function sum(counts: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const n of counts.values()) total += n;
  return total;
}

/**
 * The exact path: the correlations fed by late inputs, correlated again over the whole journal in order.
 * Returns their matches (which replace what the stream found for them) and what could not be made exact.
 */
function recorrelate(
  ruleSet: RuleSet,
  late: ReadonlyMap<number, number>,
  untimed: ReadonlyMap<number, number>,
  spill: CorrelationSpill | null,
  dedupe: boolean,
): { matches: CorrelationMatch[]; recorrelated: string[]; incomplete: IncompleteCorrelation[] } {
  const affected = new Set<number>();
  const members = new Set<number>();
  const incomplete: IncompleteCorrelation[] = [];
  ruleSet.correlations.forEach((c, i) => {
    const fed = [...new Set(c.members)];
    const lateInputs = fed.reduce((n, m) => n + (late.get(m) ?? 0), 0);
    const untimedInputs = fed.reduce((n, m) => n + (untimed.get(m) ?? 0), 0);
    const rule = { ruleId: c.rule.ruleId, title: c.rule.title, severity: c.rule.severity };
    if (untimedInputs > 0) incomplete.push({ ...rule, inputs: untimedInputs, reason: 'events without a readable eventTime cannot be placed in a time window' });
    if (lateInputs === 0) return;
    if (spill === null || !spill.complete) {
      incomplete.push({ ...rule, inputs: lateInputs, reason: `inputs arrived out of order and ${spill?.problem ?? 'no journal was kept'}` });
      return;
    }
    affected.add(i);
    for (const m of fed) members.add(m);
  });
  if (affected.size === 0 || spill === null) return { matches: [], recorrelated: [], incomplete };
  const correlator = new Correlator(ruleSet, { reorderWindowMs: 0, only: affected });
  const matches: CorrelationMatch[] = [];
  spill.sorted(members, dedupe, (input) => {
    for (const match of correlator.push(input)) matches.push(match);
  });
  matches.push(...correlator.flush());
  const recorrelated = [...affected].map((i) => (ruleSet.correlations[i] as ResolvedCorrelation).rule.ruleId).sort();
  return { matches, recorrelated, incomplete: incomplete.sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)) };
}
