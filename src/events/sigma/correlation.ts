// Sigma correlations evaluated in one pass over time-ordered base-rule matches, with bounded memory.
//
// Per correlation and group (the group-by values), a sliding window of `timespan` holds the recent
// matches. When the windowed measure (events, distinct values, or distinct rules) first reaches the
// condition's lower bound, a burst begins; it takes in every later match of the group and ends when the
// group has been quiet for a whole timespan. At its end the burst's peak measure is tested against the
// whole condition (so upper bounds such as `lte` hold for the burst) and one CorrelationMatch is emitted:
// one detection per burst, never one per event. Windows are inclusive: matches `timespan` apart are in.
// Groups quiet for longer than the timespan are dropped, so memory follows the active groups only.
import { AnomalyState, groupKey } from './anomaly.js';
import { ANY_TARGETS, type ResolvedCorrelation, type RuleSet } from './ruleset.js';
import { ALL_ELEMENTS_SUFFIX, MAX_DISTINCT_REPORTED, MAX_SAMPLES, type CorrelationInput, type CorrelationMatch, type CorrelationSample, type CountCondition } from './types.js';

const MAX_DISTINCT_KEPT = 10_000;
/** Summaries held per group before a burst, so samples exist without holding every event of a busy window. */
const MAX_HELD = 50;

/**
 * CloudTrail does not write events in strict time order: a log file's records, and files of different
 * regions and accounts, interleave within minutes. Matches are re-sorted within this window by default.
 */
export const DEFAULT_REORDER_WINDOW_MS = 15 * 60_000;

export interface CorrelatorOptions {
  /**
   * How far out of time order inputs may arrive (default DEFAULT_REORDER_WINDOW_MS): they are re-sorted in
   * a buffer this wide before they are correlated. Inputs older than what was already correlated are
   * counted in `stats.late`, not used.
   */
  reorderWindowMs?: number;
  /** Runs only these correlations (indexes into RuleSet.correlations); default all. */
  only?: ReadonlySet<number>;
}

interface Entry {
  time: number;
  rule: number;
  value: string | null;
  /** value_count over a list: every distinct element (value is the first); null otherwise. */
  elements: string[] | null;
  sample: CorrelationSample | null;
}

interface Burst {
  firstSeen: number;
  lastSeen: number;
  events: number;
  peak: number;
  samples: CorrelationSample[];
  distinct: Set<string>;
  rules: Set<number>;
}

interface Chain {
  start: number;
  entries: Entry[];
}

interface Group {
  key: string | null;
  values: Array<string | null>;
  last: number;
  window: Entry[];
  head: number;
  held: number;
  counts: Map<string, number>;
  latest: Map<number, Entry>;
  chains: Array<Chain | undefined>;
  burst: Burst | null;
}

const NONE: readonly string[] = [];

/** What a window's slot holds once its entry is evicted (see CorrelationState.evict). */
const EVICTED: Entry = { time: Number.NEGATIVE_INFINITY, rule: -1, value: null, elements: null, sample: null };

/** The values an entry counts: every element of a list, else its one value. */
function valuesOf(e: Entry): readonly string[] {
  return e.elements ?? (e.value === null ? NONE : [e.value]);
}

// The per-input paths below count an entry's values without valuesOf's one-element array: a scan pushes
// hundreds of thousands of inputs, and those arrays were a measurable share of the main thread's GC.

/** Adds `delta` to the count of each value the entry counts, dropping counts that reach zero. */
function countValues(counts: Map<string, number>, e: Entry, delta: 1 | -1): void {
  if (e.elements !== null) for (const v of e.elements) countValue(counts, v, delta);
  else if (e.value !== null) countValue(counts, e.value, delta);
}

function countValue(counts: Map<string, number>, v: string, delta: 1 | -1): void {
  const n = (counts.get(v) ?? 0) + delta;
  if (n <= 0) counts.delete(v);
  else counts.set(v, n);
}

/** Adds the entry's values to a burst's distinct values, up to MAX_DISTINCT_KEPT. */
function keepDistinct(distinct: Set<string>, e: Entry): void {
  if (e.elements !== null) {
    for (const v of e.elements) if (distinct.size < MAX_DISTINCT_KEPT) distinct.add(v);
  } else if (e.value !== null && distinct.size < MAX_DISTINCT_KEPT) distinct.add(e.value);
}

function satisfies(c: CountCondition, x: number): boolean {
  return (c.gt === undefined || x > c.gt) && (c.gte === undefined || x >= c.gte) && (c.lt === undefined || x < c.lt) && (c.lte === undefined || x <= c.lte) && (c.eq === undefined || x === c.eq) && (c.neq === undefined || x !== c.neq);
}

/** The state of one correlation rule over the stream. */
interface StateMachine {
  readonly resolved: ResolvedCorrelation;
  readonly groups: Map<string | null, unknown>;
  /** How often (in stream time) quiet groups are looked for. */
  readonly sweepEveryMs: number;
  push(input: CorrelationInput, out: CorrelationMatch[]): void;
  sweep(now: number, out: CorrelationMatch[]): void;
}

class CorrelationState implements StateMachine {
  readonly groups = new Map<string | null, Group>();
  readonly sweepEveryMs: number;
  private readonly lower: number;
  private readonly distinctMembers: number[];
  /** value_count, per member rule: the value key its list of elements comes under (made once, not per input). */
  private readonly listKeys = new Map<number, string>();

  constructor(
    readonly resolved: ResolvedCorrelation,
    private readonly ruleIds: readonly string[],
  ) {
    const c = resolved.rule.condition;
    this.sweepEveryMs = resolved.rule.timespanMs;
    this.distinctMembers = [...new Set(resolved.members)];
    const floor = resolved.rule.type === 'temporal' || resolved.rule.type === 'temporal_ordered' ? (Object.keys(c).length === 0 ? this.distinctMembers.length : 1) : 1;
    this.lower = Math.max(floor, c.gte ?? 0, c.gt === undefined ? 0 : c.gt + 1, c.eq ?? 0);
    if (resolved.rule.type === 'value_count') {
      for (const m of this.distinctMembers) {
        const counted = resolved.valueFields.get(m) ?? resolved.rule.field;
        if (counted !== null && counted !== ANY_TARGETS) this.listKeys.set(m, counted + ALL_ELEMENTS_SUFFIX);
      }
    }
  }

  push(input: CorrelationInput, out: CorrelationMatch[]): void {
    const { rule: c, groupFields } = this.resolved;
    const fields = groupFields.get(input.rule) ?? [];
    const counted = this.resolved.valueFields.get(input.rule) ?? c.field;
    // A call that picks its targets by filter, path or tag touches an unknown number: it reaches the condition.
    const anyTargets = counted === ANY_TARGETS;
    const value = counted === null || anyTargets ? null : (input.values[counted] ?? null);
    if (c.type === 'value_count' && value === null && !anyTargets) return;
    const listKey = this.listKeys.get(input.rule);
    const list = listKey === undefined ? undefined : input.values[listKey];
    const elements = list === undefined || list === null ? null : (JSON.parse(list) as string[]);
    const key = groupKey(input.values, fields);
    const t = input.time;
    const span = c.timespanMs;
    let g = this.groups.get(key);
    if (g !== undefined && t - g.last > span) {
      this.close(g, out);
      g = undefined;
    }
    if (g === undefined) {
      const values = fields.map((f) => input.values[f] ?? null);
      g = { key, values, last: t, window: [], head: 0, held: 0, counts: new Map(), latest: new Map(), chains: [], burst: null };
      this.groups.set(key, g);
    }
    this.evict(g, t - span);
    // Windowed types hold summaries for the first matches only; temporal state is a few entries per group.
    const windowed = c.type === 'event_count' || c.type === 'value_count';
    const holding = !windowed || (g.burst === null && g.held < MAX_HELD);
    // Made only when kept: most matches of a busy group are counted, not sampled.
    const sample: CorrelationSample | null = holding || (g.burst !== null && g.burst.samples.length < MAX_SAMPLES) ? { eventIndex: input.eventIndex, rule: this.ruleIds[input.rule] ?? '', summary: input.summary } : null;
    const entry: Entry = { time: t, rule: input.rule, value, elements, sample: holding ? sample : null };
    if (windowed && holding) g.held++;
    let measure: number;
    switch (c.type) {
      case 'event_count':
      case 'value_count':
        g.window.push(entry);
        countValues(g.counts, entry, 1);
        measure = c.type === 'event_count' ? g.window.length - g.head : anyTargets ? Math.max(g.counts.size, this.lower) : g.counts.size;
        break;
      case 'temporal':
        g.latest.set(input.rule, entry);
        for (const [r, e] of g.latest) if (e.time < t - span) g.latest.delete(r);
        measure = g.latest.size;
        break;
      case 'temporal_ordered':
        measure = this.advanceChains(g, input.rule, entry, t, span);
        break;
      case 'rate_anomaly':
        throw new Error('rate_anomaly correlations run in AnomalyState');
    }
    g.last = t;
    const burst = g.burst;
    if (burst !== null) {
      burst.events++;
      burst.lastSeen = t;
      burst.peak = Math.max(burst.peak, measure);
      if (sample !== null && burst.samples.length < MAX_SAMPLES) burst.samples.push(sample);
      keepDistinct(burst.distinct, entry);
      burst.rules.add(input.rule);
    } else if (measure >= this.lower) {
      // The burst starts with what is in the window now: the matches that met the condition.
      const start =
        c.type === 'temporal'
          ? [...g.latest.values()].sort((a, b) => a.time - b.time)
          : c.type === 'temporal_ordered'
            ? (g.chains[this.resolved.members.length]?.entries ?? [entry])
            : g.window.slice(g.head);
      g.burst = {
        firstSeen: start[0]?.time ?? t,
        lastSeen: t,
        events: start.length,
        peak: measure,
        samples: start.flatMap((e) => (e.sample === null ? [] : [e.sample])).slice(0, MAX_SAMPLES),
        distinct: new Set(start.flatMap(valuesOf)),
        rules: new Set(start.map((e) => e.rule)),
      };
      g.chains = [];
    }
  }

  /** Ordered sequences: chains[k] is the latest-starting run of the first k rules still inside the window. */
  private advanceChains(g: Group, rule: number, entry: Entry, t: number, span: number): number {
    const members = this.resolved.members;
    const n = members.length;
    for (let k = 1; k <= n; k++) {
      const chain = g.chains[k];
      if (chain !== undefined && t - chain.start > span) g.chains[k] = undefined;
    }
    for (let j = n - 1; j >= 0; j--) {
      if (members[j] !== rule) continue;
      if (j === 0) {
        g.chains[1] = { start: t, entries: [entry] };
        continue;
      }
      const prev = g.chains[j];
      if (prev === undefined) continue;
      const next = g.chains[j + 1];
      if (next === undefined || next.start <= prev.start) g.chains[j + 1] = { start: prev.start, entries: [...prev.entries, entry] };
    }
    return g.chains[n] !== undefined ? n : 0;
  }

  private evict(g: Group, cutoff: number): void {
    while (g.head < g.window.length && (g.window[g.head] as Entry).time < cutoff) {
      const e = g.window[g.head] as Entry;
      // The slot lets go of the entry now, not when the window is next compacted: a busy group keeps up to
      // 1,024 evicted slots (more when its window is longer) between compactions, and they held the entries
      // and their samples' summaries. Over hundreds of groups that was most of a long scan's heap.
      g.window[g.head++] = EVICTED;
      if (e.sample !== null) g.held--;
      countValues(g.counts, e, -1);
    }
    if (g.head > 1024 && g.head * 2 > g.window.length) {
      g.window = g.window.slice(g.head);
      g.head = 0;
    }
  }

  close(g: Group, out: CorrelationMatch[]): void {
    this.groups.delete(g.key);
    const b = g.burst;
    if (b === null || !satisfies(this.resolved.rule.condition, b.peak)) return;
    const c = this.resolved.rule;
    const count = c.type === 'event_count' ? b.events : c.type === 'value_count' ? Math.max(b.distinct.size, b.peak) : b.rules.size;
    const names = c.groupBy;
    out.push({
      ruleId: c.ruleId,
      rule: c,
      title: c.title,
      severity: c.severity,
      type: c.type,
      count,
      events: b.events,
      peak: b.peak,
      firstSeen: new Date(b.firstSeen).toISOString(),
      lastSeen: new Date(b.lastSeen).toISOString(),
      groupBy: Object.fromEntries(names.map((n, i) => [n, g.values[i] ?? null])),
      values: [...b.distinct].slice(0, MAX_DISTINCT_REPORTED),
      rules: [...b.rules].sort((x, y) => x - y).map((r) => this.ruleIds[r] ?? ''),
      samples: b.samples,
    });
  }

  /** Ends the groups quiet since before `cutoff` (all of them when cutoff is +Infinity). */
  sweep(now: number, out: CorrelationMatch[]): void {
    for (const g of [...this.groups.values()]) if (now - g.last > this.resolved.rule.timespanMs) this.close(g, out);
  }
}

/** A binary min-heap on (time, arrival) for the reorder buffer. */
class Heap {
  private readonly items: Array<{ input: CorrelationInput; seq: number }> = [];
  get size(): number {
    return this.items.length;
  }
  peek(): CorrelationInput | undefined {
    return this.items[0]?.input;
  }
  private less(a: number, b: number): boolean {
    const x = this.items[a] as { input: CorrelationInput; seq: number };
    const y = this.items[b] as { input: CorrelationInput; seq: number };
    return x.input.time < y.input.time || (x.input.time === y.input.time && x.seq < y.seq);
  }
  private swap(a: number, b: number): void {
    const t = this.items[a] as { input: CorrelationInput; seq: number };
    this.items[a] = this.items[b] as { input: CorrelationInput; seq: number };
    this.items[b] = t;
  }
  push(input: CorrelationInput, seq: number): void {
    this.items.push({ input, seq });
    let i = this.items.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  pop(): CorrelationInput | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (top === undefined || last === undefined) return undefined;
    if (this.items.length > 0) {
      this.items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.items.length && this.less(l, m)) m = l;
        if (r < this.items.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top.input;
  }
}

export interface CorrelatorStats {
  inputs: number;
  /** Inputs older than what had already been correlated (beyond the reorder window): not correlated. */
  late: number;
  /** Inputs whose event had no readable eventTime. */
  untimed: number;
  /** Groups alive now. */
  groups: number;
}

/**
 * Runs every correlation of a RuleSet over base-rule matches pushed in time order (within the reorder
 * window). Deterministic: the same inputs in the same order give the same matches in the same order.
 */
export class Correlator {
  private readonly states: StateMachine[];
  private readonly lastSweep: number[];
  private readonly byRule = new Map<number, StateMachine[]>();
  private readonly heap = new Heap();
  private readonly reorderMs: number;
  private seq = 0;
  private maxSeen = Number.NEGATIVE_INFINITY;
  private watermark = Number.NEGATIVE_INFINITY;
  readonly stats: CorrelatorStats = { inputs: 0, late: 0, untimed: 0, groups: 0 };

  constructor(ruleSet: RuleSet, options: CorrelatorOptions = {}) {
    const ruleIds = ruleSet.rules.map((r) => r.ruleId);
    const only = options.only;
    this.states = ruleSet.correlations.filter((_, i) => only === undefined || only.has(i)).map((c): StateMachine => (c.rule.type === 'rate_anomaly' ? new AnomalyState(c, ruleIds) : new CorrelationState(c, ruleIds)));
    this.lastSweep = this.states.map(() => Number.NEGATIVE_INFINITY);
    for (const s of this.states) for (const m of new Set(s.resolved.members)) this.byRule.set(m, [...(this.byRule.get(m) ?? []), s]);
    this.reorderMs = options.reorderWindowMs ?? DEFAULT_REORDER_WINDOW_MS;
  }

  /** Feeds one base-rule match; returns the correlation matches whose bursts ended by then. */
  push(input: CorrelationInput): CorrelationMatch[] {
    this.stats.inputs++;
    if (!Number.isFinite(input.time)) {
      this.stats.untimed++;
      return [];
    }
    if (input.time < this.watermark) {
      this.stats.late++;
      return [];
    }
    const out: CorrelationMatch[] = [];
    if (this.reorderMs === 0 && this.heap.size === 0) {
      // In order already (the caller re-sorted): the buffer would hand it straight back.
      this.maxSeen = Math.max(this.maxSeen, input.time);
      this.process(input, out);
      return out;
    }
    this.heap.push(input, this.seq++);
    this.maxSeen = Math.max(this.maxSeen, input.time);
    for (let next = this.heap.peek(); next !== undefined && next.time <= this.maxSeen - this.reorderMs; next = this.heap.peek()) this.process(this.heap.pop() as CorrelationInput, out);
    return out;
  }

  /** The end of the stream: correlates what is buffered and ends every burst. */
  flush(): CorrelationMatch[] {
    const out: CorrelationMatch[] = [];
    for (let next = this.heap.pop(); next !== undefined; next = this.heap.pop()) this.process(next, out);
    for (const s of this.states) s.sweep(Number.POSITIVE_INFINITY, out);
    this.stats.groups = 0;
    return out;
  }

  private process(input: CorrelationInput, out: CorrelationMatch[]): void {
    this.watermark = input.time;
    const before = out.length;
    const users = this.byRule.get(input.rule);
    if (users !== undefined) for (const s of users) s.push(input, out);
    const states = this.states;
    for (let i = 0; i < states.length; i++) {
      const s = states[i] as StateMachine;
      if (input.time - (this.lastSweep[i] as number) < s.sweepEveryMs) continue;
      s.sweep(input.time, out);
      this.lastSweep[i] = input.time;
    }
    if (out.length - before > 1) {
      const batch = out.splice(before).sort((a, b) => a.firstSeen.localeCompare(b.firstSeen) || a.ruleId.localeCompare(b.ruleId));
      out.push(...batch);
    }
    let groups = 0;
    for (const s of states) groups += s.groups.size;
    this.stats.groups = groups;
  }
}
