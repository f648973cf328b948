// Runs the investigator's query over the sources: the events found, de-duplicated by eventID (an event can
// sit in two trails' logs, or in a bundle's logs and its LookupEvents), sorted by time, at most `limit` of
// them held at once.
import { runPipeline, type PipelineStats } from './pipeline.js';
import type { FoundEvent, UnitResult } from './processor.js';
import type { LogSource, ScanScope } from './readers/types.js';
import type { CloudTrailRecord } from './record.js';
import type { EventQuery } from './search.js';

export type SortOrder = 'time' | '-time';

export interface FindOptions {
  query: EventQuery;
  scope: ScanScope;
  workers: number;
  /** See PipelineOptions.spawnAfterMs. */
  spawnAfterMs?: number;
  sort: SortOrder;
  /** Keep the first `limit` events in sort order; undefined keeps all. */
  limit?: number;
  /** False: parse every record instead of only those the query's names, service, errors or ARN allow (the same events, slower). */
  prefilter?: boolean;
  onProgress?: (stats: FindStats) => void;
}

export interface FindStats extends PipelineStats {
  found: number;
  duplicates: number;
}

export interface FindResult {
  events: CloudTrailRecord[];
  stats: FindStats;
}

function cmp(a: FoundEvent, b: FoundEvent): number {
  // Events without a readable time sort last either way.
  const ta = Number.isNaN(a.time) ? Number.POSITIVE_INFINITY : a.time;
  const tb = Number.isNaN(b.time) ? Number.POSITIVE_INFINITY : b.time;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/** Keeps the best `limit` items under `order`: a max-heap on the order, whose top is the first to give up. */
class Best {
  private readonly items: FoundEvent[] = [];

  constructor(
    private readonly limit: number,
    private readonly order: (a: FoundEvent, b: FoundEvent) => number,
  ) {}

  /** Adds the item when it is among the best; returns the item pushed out, if any. */
  offer(item: FoundEvent): { kept: boolean; evicted: FoundEvent | undefined } {
    const items = this.items;
    if (items.length < this.limit) {
      items.push(item);
      this.up(items.length - 1);
      return { kept: true, evicted: undefined };
    }
    const worst = items[0];
    if (worst === undefined || this.order(item, worst) >= 0) return { kept: false, evicted: undefined };
    items[0] = item;
    this.down(0);
    return { kept: true, evicted: worst };
  }

  sorted(): FoundEvent[] {
    return [...this.items].sort(this.order);
  }

  private up(i: number): void {
    const items = this.items;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.order(items[i] as FoundEvent, items[p] as FoundEvent) <= 0) break;
      [items[i], items[p]] = [items[p] as FoundEvent, items[i] as FoundEvent];
      i = p;
    }
  }

  private down(i: number): void {
    const items = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && this.order(items[l] as FoundEvent, items[m] as FoundEvent) > 0) m = l;
      if (r < items.length && this.order(items[r] as FoundEvent, items[m] as FoundEvent) > 0) m = r;
      if (m === i) return;
      [items[i], items[m]] = [items[m] as FoundEvent, items[i] as FoundEvent];
      i = m;
    }
  }
}

export async function findEvents(sources: readonly LogSource[], options: FindOptions): Promise<FindResult> {
  const order = options.sort === '-time' ? (a: FoundEvent, b: FoundEvent) => -cmp(a, b) : cmp;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const best = new Best(limit, order);
  // The ids of the events held: a second copy of a held event is dropped; one of an evicted event loses again.
  const held = new Set<string>();
  let duplicates = 0;
  let found = 0;

  const merge = (result: UnitResult): void => {
    for (const event of result.found) {
      if (event.eventId !== '' && held.has(event.eventId)) {
        duplicates++;
        continue;
      }
      found++;
      const { kept, evicted } = best.offer(event);
      if (kept && event.eventId !== '') held.add(event.eventId);
      if (evicted !== undefined) held.delete(evicted.eventId);
    }
  };
  const onProgress = options.onProgress;
  const stats = await runPipeline(
    { mode: 'search', query: options.query, scope: options.scope, ...(options.prefilter === false ? { prefilter: false } : {}) },
    sources,
    {
      workers: options.workers,
      ...(options.spawnAfterMs === undefined ? {} : { spawnAfterMs: options.spawnAfterMs }),
      ...(onProgress === undefined ? {} : { onProgress: (s: PipelineStats) => onProgress({ ...s, found, duplicates }) }),
    },
    merge,
  );
  return { events: best.sorted().map((e) => e.record), stats: { ...stats, found, duplicates } };
}
