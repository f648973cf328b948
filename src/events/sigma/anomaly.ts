// trailproof's `rate_anomaly` correlation, in the spirit of CloudTrail Insights: per group (e.g. account,
// region, eventSource, eventName) the matches of each interval (`timespan`, aligned to the epoch) are
// counted and compared with the average count per interval over the trailing `baseline`. An interval is
// unusual when its count is at least `gte` and at least `factor` times that average; consecutive unusual
// intervals make one period, reported once with its bounds, total, peak and the top identities, user
// agents and error codes. A group is judged only after `warmup` of history since its first match.
//
// Memory per group is fixed: the baseline is kept as at most BASELINE_SLOTS sums (7 days in hourly
// slots), so the average is exact to within one slot. A group quiet for a whole baseline is dropped (and
// warms up again if it returns).
import type { ResolvedCorrelation } from './ruleset.js';
import { MAX_SAMPLES, type CorrelationInput, type CorrelationMatch, type CorrelationSample, type Tally } from './types.js';

const BASELINE_SLOTS = 168;
const TOP = 5;
const MAX_TALLY = 1000;

type Tallies = [Map<string, number>, Map<string, number>, Map<string, number>];

interface Period {
  first: number;
  last: number;
  events: number;
  peak: number;
  baselineAverage: number;
  tallies: Tallies;
  samples: CorrelationSample[];
}

interface AnomalyGroup {
  key: string | null;
  values: Array<string | null>;
  firstInterval: number;
  lastTime: number;
  current: number;
  count: number;
  tallies: Tallies;
  samples: CorrelationSample[];
  sums: Float64Array;
  slotOf: Float64Array;
  period: Period | null;
}

/**
 * A group's key from its values: shorter to make than their JSON text, and as unambiguous (a null and each
 * text are told apart, and each text carries its length). One field's value is its own key (a Map tells null
 * from ''): the same string for all of a unit's inputs (wire.ts), hashed once, where a key made for each input
 * had to be hashed for each.
 */
export function groupKey(values: Readonly<Record<string, string | null>>, fields: readonly string[]): string | null {
  if (fields.length === 1) return values[fields[0] as string] ?? null;
  let key = '';
  for (const f of fields) {
    const v = values[f] ?? null;
    key += v === null ? '\u0000' : `${v.length}\u0001${v}`;
  }
  return key;
}

const newTallies = (): Tallies => [new Map(), new Map(), new Map()];

function add(tally: Map<string, number>, value: string, n = 1): void {
  if (value === '') return;
  const had = tally.get(value);
  if (had !== undefined) tally.set(value, had + n);
  else if (tally.size < MAX_TALLY) tally.set(value, n);
}

function top(tally: Map<string, number>): Tally[] {
  return [...tally.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP)
    .map(([value, count]) => ({ value, count }));
}

export class AnomalyState {
  readonly groups = new Map<string | null, AnomalyGroup>();
  /** Stale groups are looked for once an hour of stream time at most: their state is kept for the baseline anyway. */
  readonly sweepEveryMs: number;
  private readonly interval: number;
  private readonly baselineIntervals: number;
  private readonly perSlot: number;
  private readonly slots: number;
  private readonly factor: number;
  private readonly minimum: number;
  private readonly warmupIntervals: number;

  constructor(
    readonly resolved: ResolvedCorrelation,
    private readonly ruleIds: readonly string[],
  ) {
    const c = resolved.rule;
    this.interval = c.timespanMs;
    this.baselineIntervals = Math.max(1, Math.floor((c.baselineMs ?? c.timespanMs) / c.timespanMs));
    this.perSlot = Math.max(1, Math.ceil(this.baselineIntervals / BASELINE_SLOTS));
    this.slots = Math.ceil(this.baselineIntervals / this.perSlot) + 1;
    this.factor = c.condition.factor ?? 1;
    this.minimum = Math.max(1, c.condition.gte ?? 1);
    this.warmupIntervals = Math.ceil((c.warmupMs ?? 0) / c.timespanMs);
    this.sweepEveryMs = Math.min(c.baselineMs ?? c.timespanMs, 3_600_000);
  }

  push(input: CorrelationInput, out: CorrelationMatch[]): void {
    const fields = this.resolved.groupFields.get(input.rule) ?? [];
    const key = groupKey(input.values, fields);
    const idx = Math.floor(input.time / this.interval);
    let g = this.groups.get(key);
    if (g === undefined) {
      const values = fields.map((f) => input.values[f] ?? null);
      g = { key, values, firstInterval: idx, lastTime: input.time, current: idx, count: 0, tallies: newTallies(), samples: [], sums: new Float64Array(this.slots), slotOf: new Float64Array(this.slots).fill(-1), period: null };
      this.groups.set(key, g);
    }
    if (idx > g.current) {
      if (g.count > 0) this.judge(g, out);
      if (g.period !== null && g.period.last < idx - 1) this.closePeriod(g, out);
      g.current = idx;
    }
    g.count++;
    g.lastTime = input.time;
    add(g.tallies[0], input.summary.actor);
    add(g.tallies[1], input.summary.userAgent);
    add(g.tallies[2], input.summary.errorCode ?? '');
    if (g.samples.length < MAX_SAMPLES) g.samples.push({ eventIndex: input.eventIndex, rule: this.ruleIds[input.rule] ?? '', summary: input.summary });
  }

  /** Judges the group's (complete) current interval against its baseline, then adds it to the baseline. */
  private judge(g: AnomalyGroup, out: CorrelationMatch[]): void {
    const i = g.current;
    const slot = Math.floor(i / this.perSlot);
    const firstSlot = slot - Math.ceil(this.baselineIntervals / this.perSlot);
    let sum = 0;
    for (let s = Math.max(firstSlot, 0); s <= slot; s++) if (g.slotOf[s % this.slots] === s) sum += g.sums[s % this.slots] as number;
    const span = i - Math.max(firstSlot * this.perSlot, g.firstInterval);
    const average = span > 0 ? sum / span : 0;
    const warm = i - g.firstInterval >= this.warmupIntervals;
    const unusual = warm && g.count >= this.minimum && g.count >= this.factor * average;
    const at = slot % this.slots;
    if (g.slotOf[at] !== slot) {
      g.slotOf[at] = slot;
      g.sums[at] = 0;
    }
    g.sums[at] = (g.sums[at] as number) + g.count;
    if (unusual) {
      if (g.period !== null && g.period.last !== i - 1) this.closePeriod(g, out);
      const p = g.period ?? { first: i, last: i, events: 0, peak: 0, baselineAverage: average, tallies: newTallies(), samples: [] };
      p.last = i;
      p.events += g.count;
      p.peak = Math.max(p.peak, g.count);
      g.tallies.forEach((tally, k) => {
        for (const [value, n] of tally) add(p.tallies[k] as Map<string, number>, value, n);
      });
      for (const s of g.samples) if (p.samples.length < MAX_SAMPLES) p.samples.push(s);
      g.period = p;
    } else if (g.period !== null) {
      this.closePeriod(g, out);
    }
    g.count = 0;
    g.tallies = newTallies();
    g.samples = [];
  }

  private closePeriod(g: AnomalyGroup, out: CorrelationMatch[]): void {
    const p = g.period;
    g.period = null;
    if (p === null) return;
    const c = this.resolved.rule;
    out.push({
      ruleId: c.ruleId,
      rule: c,
      title: c.title,
      severity: c.severity,
      type: c.type,
      count: p.events,
      events: p.events,
      peak: p.peak,
      firstSeen: new Date(p.first * this.interval).toISOString(),
      lastSeen: new Date((p.last + 1) * this.interval).toISOString(),
      groupBy: Object.fromEntries(c.groupBy.map((n, k) => [n, g.values[k] ?? null])),
      values: [],
      rules: [...new Set(p.samples.map((s) => s.rule))],
      samples: p.samples,
      anomaly: { intervalMs: this.interval, intervals: p.last - p.first + 1, baselineAverage: p.baselineAverage, topActors: top(p.tallies[0]), topUserAgents: top(p.tallies[1]), topErrorCodes: top(p.tallies[2]) },
    });
  }

  /** Settles what `now` makes complete; drops groups quiet for a whole baseline (all of them at +Infinity). */
  sweep(now: number, out: CorrelationMatch[]): void {
    const nowIdx = Math.floor(now / this.interval);
    const stale = now - this.baselineIntervals * this.interval;
    for (const g of [...this.groups.values()]) {
      if (g.lastTime >= stale && now !== Number.POSITIVE_INFINITY) continue;
      if (g.count > 0 && (g.current < nowIdx || now === Number.POSITIVE_INFINITY)) this.judge(g, out);
      this.closePeriod(g, out);
      this.groups.delete(g.key);
    }
  }
}
