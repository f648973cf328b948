// The part of a scan and a search that is the same: the sources merged into one stream of units in delivery
// order, the units processed on worker threads, and the counts the summary and the progress display show.
import { availableParallelism } from 'node:os';
import { processUnits } from './pool.js';
import type { Processor, Task, UnitResult } from './processor.js';
import type { LogSource, LogUnit, Pruned, SkippedInput } from './readers/types.js';

export interface PipelineStats {
  /** What was read: `logs DIR`, `s3://...`, `bundle DIR`, `LookupEvents (...)`. */
  sources: string[];
  /** Inputs met (files, objects, LookupEvents pages, folder listings that failed), skipped ones included. */
  files: number;
  /** Inputs that could not be read at all. */
  filesSkipped: number;
  events: number;
  /** Events in the time range, accounts and regions asked for (the ones tested). */
  eventsInScope: number;
  /** Events known lost (bad lines, records that are not objects). */
  eventsSkipped: number;
  /** Bytes as stored (compressed) and as JSON text. */
  bytesRead: number;
  bytesParsed: number;
  pruned: Pruned;
  /** The inputs, lines and records skipped, each with its reason: the first MAX_SKIPPED_LISTED of them. */
  skipped: SkippedInput[];
  /** Skipped ones past MAX_SKIPPED_LISTED: counted (in filesSkipped, eventsSkipped) but not listed. */
  skippedUnlisted: number;
  /** Bundle files whose SHA-256 differs from the manifest (read all the same). */
  modified: string[];
  elapsedMs: number;
  workers: number;
}

/**
 * Skipped inputs listed by name (in the summary's findings file): a corpus of millions of bad lines is
 * counted in full, but lists only this many, so the findings file stays readable.
 */
export const MAX_SKIPPED_LISTED = 1000;

function noteSkipped(stats: PipelineStats, skipped: SkippedInput): void {
  if (stats.skipped.length < MAX_SKIPPED_LISTED) stats.skipped.push(skipped);
  else stats.skippedUnlisted++;
}

export interface PipelineOptions {
  workers: number;
  /** This thread's work before the workers are started (see pool.ts); tests set 0 to use them at once. */
  spawnAfterMs?: number;
  /** This thread's processor, when the caller has built one. */
  inline?: Processor;
  /** Called after each unit is merged, with the counts so far. */
  onProgress?: (stats: PipelineStats) => void;
}

/**
 * Worker threads to use by default: one per core the process may use but one, at most 8. The main thread,
 * which merges, processes files too when the workers are busy (pool.ts), and on one core it does all. The
 * merge takes part of a core either way: with a worker per core that part is taken from the workers, with
 * one fewer the rest of the core processes files, with one V8 isolate less (measured on 2 cores, pool.ts).
 */
export function defaultWorkers(): number {
  return Math.max(0, Math.min(8, availableParallelism() - 1));
}

function key(unit: LogUnit): number {
  return unit.delivered ?? Number.NEGATIVE_INFINITY;
}

/** Merges sources that each yield in delivery order (undated units first) into one stream in that order. */
export async function* mergeSources(sources: readonly LogSource[]): AsyncGenerator<LogUnit> {
  if (sources.length === 1) {
    yield* (sources[0] as LogSource).units();
    return;
  }
  const iterators = sources.map((s) => s.units()[Symbol.asyncIterator]());
  const heads = await Promise.all(iterators.map((it) => it.next()));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i] as IteratorResult<LogUnit>;
      if (head.done === true) continue;
      if (best < 0 || key(head.value) < key((heads[best] as IteratorYieldResult<LogUnit>).value)) best = i;
    }
    if (best < 0) return;
    yield (heads[best] as IteratorYieldResult<LogUnit>).value;
    heads[best] = await (iterators[best] as AsyncIterator<LogUnit>).next();
  }
}

export function emptyStats(sources: readonly LogSource[], workers: number): PipelineStats {
  return {
    sources: sources.map((s) => s.describe),
    files: 0,
    filesSkipped: 0,
    events: 0,
    eventsInScope: 0,
    eventsSkipped: 0,
    bytesRead: 0,
    bytesParsed: 0,
    pruned: { folders: 0, files: 0 },
    skipped: [],
    skippedUnlisted: 0,
    modified: [],
    elapsedMs: 0,
    workers,
  };
}

/**
 * Runs the task over the sources; `merge` sees each unit's result in delivery order. Returns the counts,
 * with what the sources themselves skipped or pruned added at the end.
 */
export async function runPipeline(task: Task, sources: readonly LogSource[], options: PipelineOptions, merge: (result: UnitResult) => void): Promise<PipelineStats> {
  const started = Date.now();
  const stats = emptyStats(sources, options.workers);
  const sourceSkipped = (): number => sources.reduce((n, s) => n + s.skipped().length, 0);
  stats.workers = await processUnits(task, mergeSources(sources), {
    workers: options.workers,
    ...(options.spawnAfterMs === undefined ? {} : { spawnAfterMs: options.spawnAfterMs }),
    ...(options.inline === undefined ? {} : { inline: options.inline }),
    onResult: (result) => {
      stats.files++;
      stats.events += result.events;
      stats.eventsInScope += result.inScope;
      stats.bytesRead += result.size;
      stats.bytesParsed += result.bytes;
      for (const p of result.problems) {
        noteSkipped(stats, p);
        if (p.events === null) stats.filesSkipped++;
        else stats.eventsSkipped += p.events;
      }
      stats.modified.push(...result.modified);
      merge(result);
      if (options.onProgress !== undefined) {
        stats.elapsedMs = Date.now() - started;
        const shown = { ...stats, filesSkipped: stats.filesSkipped + sourceSkipped() };
        options.onProgress(shown);
      }
    },
  });
  for (const source of sources) {
    const pruned = source.pruned();
    stats.pruned.folders += pruned.folders;
    stats.pruned.files += pruned.files;
    for (const s of source.skipped()) {
      noteSkipped(stats, s);
      if (s.events === null) {
        // A file (or folder listing) the source could not fetch: counted as an input that was skipped.
        stats.files++;
        stats.filesSkipped++;
      } else stats.eventsSkipped += s.events;
    }
  }
  stats.skipped.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  stats.modified.sort();
  stats.elapsedMs = Date.now() - started;
  return stats;
}
