// Runs units through processors on worker threads (or in this thread with 0 workers) and hands the results
// back in dispatch order, whatever order the workers finish in: the merge, and so every output, is the same
// for any worker count. Units in flight and results waiting for an earlier one are bounded, so memory stays
// flat however long the stream is.
//
// This thread is a worker too when a core is left over for it (the default, defaultWorkers in pipeline.ts,
// starts one worker fewer than the cores): it processes a unit itself whenever every worker has `depth` units
// in flight. Each thread is its own V8 isolate, which compiles the same processing code and collects its own
// garbage: on 2 cores one worker and this thread took 2-7 % less wall time and 4-8 % less CPU than two workers
// with this thread only merging, on both of bench:scan's corpora (interleaved runs, same detections). With a
// worker for every core it only merges: processing too, it took the cores from the workers.
//
// A worker takes a few hundred milliseconds to start (it loads the modules and compiles the rules), more
// than a small input takes to read: this thread starts on the units itself, starts the workers at once for an
// input the walk shows large and otherwise once the input has kept it busy for `spawnAfterMs` (see below), and
// hands units to them as soon as one is ready. That is, when a
// core is left over for it: with a worker for every core, an input too large for this thread alone starts the
// workers at once and this thread only waits for the first to be ready. Working meanwhile, it took the cores
// the workers were starting on, and compiled the processing code a third time: bench:scan on 2 cores, 4-5
// interleaved runs, 150 ms less of this thread's CPU on both corpora and 8 % less CPU per event on the
// small-file one.
//
// An input the walk shows to be small (SMALL_INPUT_BYTES) is processed on this thread alone: starting a worker
// costs more than such an input's processing saves, as each thread compiles the same hot code again. One the
// walk shows to be large (at least SMALL_INPUT_BYTES or SMALL_INPUT_UNITS listed) starts the workers at once,
// this thread working on the first units while they start: waiting for `spawnAfterMs` of its work first only
// kept the second core idle that long (bench:scan's small-file corpus, 8 interleaved runs: 1.68 -> 1.56 s,
// 15.4 -> 14.7 us of CPU per event; the workers were ready ~100 ms sooner). `spawnAfterMs` is for the inputs
// the walk cannot size (LookupEvents pages: their size is not their cost).
//
// Small files go to a worker several to a message (a batch): on a corpus of small files (a quiet account's
// five minutes, a few KiB), one message per file made the messages, their wake-ups and the reorder cost as
// much as the files' reading. A batch holds consecutive units, so the results still come back in order.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { TrailproofError, errorMessage } from '../errors.js';
import { createProcessor, type Processor, type Task, type UnitResult } from './processor.js';
import type { LogUnit } from './readers/types.js';
import type { WorkReply, WorkRequest } from './worker.js';

export interface PoolOptions {
  /** Worker threads; 0 processes the units in this thread. */
  workers: number;
  /**
   * Units in flight per worker: two (one being parsed, one being read), four when this thread processes units
   * too (a unit of its own takes it away from dispatching for that long).
   */
  depth?: number;
  /**
   * Work this thread does before it starts the workers (0: start them at once), when the read-ahead could not
   * show the input large (see the note at the top).
   */
  spawnAfterMs?: number;
  /**
   * Whether this thread processes units while no worker is ready yet. Default: when the machine has a core the
   * workers do not take (see the note at the top).
   */
  inlineWhileStarting?: boolean;
  /** Whether this thread processes a unit itself when every worker has `depth` in flight. Default: when a core is left over. */
  inlineWhenBusy?: boolean;
  /** Called once per unit, in dispatch order. */
  onResult: (result: UnitResult) => void;
  /** The processor for this thread, when the caller has one built (rules already compiled here). */
  inline?: Processor;
}

export const DEFAULT_SPAWN_AFTER_MS = 150;

/**
 * An input listed at under this many bytes in all (as stored), in fewer than SMALL_INPUT_UNITS units, is processed
 * on this thread alone, however many workers are allowed. Measured with bench:scan's small files (50 records,
 * ~12 KB gzipped each) on 2 cores: 12 MB (1,000 files) took 0.53-0.57 s on one thread against 0.65-0.71 s with
 * two workers, at two thirds of the CPU; 48 MB (4,000 files) 1.67-1.72 s against 1.45-1.51 s.
 */
export const SMALL_INPUT_BYTES = 16 * 1024 * 1024;
/** Units read ahead at most to find an input small: what the read-ahead holds is bounded whatever the sizes. */
export const SMALL_INPUT_UNITS = 2000;

/**
 * Reads the stream ahead until it lists SMALL_INPUT_BYTES or SMALL_INPUT_UNITS (large), or ends (small). A
 * unit of LookupEvents records ends the read-ahead as neither: its size is not its cost, and reading ahead
 * would call AWS before it is needed. `units` is the whole stream again, from its first unit.
 */
async function readAhead(stream: AsyncIterable<LogUnit>): Promise<{ small: boolean; large: boolean; units: AsyncIterable<LogUnit> }> {
  const iterator = stream[Symbol.asyncIterator]();
  const ahead: LogUnit[] = [];
  let listed = 0;
  let ended = false;
  while (listed < SMALL_INPUT_BYTES && ahead.length < SMALL_INPUT_UNITS) {
    const next = await iterator.next();
    if (next.done === true) {
      ended = true;
      break;
    }
    ahead.push(next.value);
    listed += next.value.size;
    if (next.value.kind === 'records') break;
  }
  // Large only by the bounds (a stream that ended first never reached them), and not when LookupEvents pages
  // (listed at size 0) ended the read-ahead.
  const large = (listed >= SMALL_INPUT_BYTES || ahead.length >= SMALL_INPUT_UNITS) && ahead.at(-1)?.kind !== 'records';
  async function* all(): AsyncGenerator<LogUnit> {
    for (let unit = ahead.shift(); unit !== undefined; unit = ahead.shift()) yield unit;
    if (!ended) for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  }
  return { small: ended, large, units: all() };
}

/**
 * What stops the run when a unit could not be processed at all (a thread that died, ran out of memory):
 * the scan cannot decide, so exit 3 with one line naming what failed, never a stack from another thread.
 */
function scanFailed(what: string, err: unknown): TrailproofError {
  if (err instanceof TrailproofError) return err;
  return new TrailproofError('TP_SCAN_FAILED', `the scan stopped: ${what}: ${errorMessage(err).split('\n')[0] ?? ''}`, { exitCode: 3, cause: err });
}

const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * A worker's young generation, in MB (V8's default is tens of MB per thread). What a worker allocates per
 * unit is short-lived or large (the file's text goes straight to the old generation), so a small nursery
 * costs next to nothing in collection time and keeps the threads' resident memory down.
 */
const WORKER_YOUNG_GENERATION_MB = 4;

/**
 * A file unit listed at most this size joins a batch (one worker message for several files); a larger one,
 * and any other unit, goes alone: its processing already outweighs a message.
 */
export const BATCH_FILE_MAX_BYTES = 64 * 1024;
/** Files per batch at most: enough to make a message's cost small beside the files', few enough to keep both workers fed. */
export const BATCH_MAX_UNITS = 16;
/** Listed bytes per batch at most (a batch of compressed files inflates to about ten times this). */
export const BATCH_MAX_BYTES = 256 * 1024;

function batchable(unit: LogUnit): boolean {
  return unit.kind === 'file' && unit.size <= BATCH_FILE_MAX_BYTES;
}

interface Slot {
  worker: Worker;
  inflight: number;
  ready: boolean;
}

/** A unit's bytes moved, not copied, to the worker when the buffer is the unit's own. */
function transferList(unit: LogUnit): ArrayBuffer[] {
  if (unit.kind !== 'bytes') return [];
  const { bytes } = unit;
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return [bytes.buffer];
  unit.bytes = new Uint8Array(bytes);
  return [unit.bytes.buffer as ArrayBuffer];
}

/** Returns the worker threads it started (0 when this thread did all the work). */
export async function processUnits(task: Task, stream: AsyncIterable<LogUnit>, options: PoolOptions): Promise<number> {
  const spawnAfter = options.spawnAfterMs ?? DEFAULT_SPAWN_AFTER_MS;
  let workers = options.workers;
  const spareCore = availableParallelism() > workers;
  const inlineWhileStarting = options.inlineWhileStarting ?? spareCore;
  const inlineWhenBusy = options.inlineWhenBusy ?? spareCore;
  const depth = Math.max(1, options.depth ?? (inlineWhenBusy ? 4 : 2));
  let units = stream;
  let knownLarge = false;
  if (workers > 0 && spawnAfter > 0) {
    const ahead = await readAhead(stream);
    units = ahead.units;
    if (ahead.small) workers = 0;
    knownLarge = ahead.large;
  }
  const slots: Slot[] = [];
  const results = new Map<number, UnitResult>();
  let dispatched = 0;
  let emitted = 0;
  let busyMs = 0;
  let inline: Processor | undefined = options.inline;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;

  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const fail = (err: unknown): void => {
    failure ??= err instanceof Error ? err : new Error(String(err));
    notify();
  };
  const emitInOrder = (): void => {
    for (let next = results.get(emitted); next !== undefined; next = results.get(emitted)) {
      results.delete(emitted++);
      options.onResult(next);
    }
  };
  const spawn = (): void => {
    for (let i = 0; i < workers; i++) {
      const slot: Slot = { worker: new Worker(WORKER_URL, { workerData: task, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } }), inflight: 0, ready: false };
      slot.worker.on('message', (reply: WorkReply | { ready: true }) => {
        if (!('seq' in reply)) slot.ready = true;
        else {
          slot.inflight--;
          if (!reply.ok) return fail(scanFailed('a worker thread could not process', reply.error));
          reply.results.forEach((result, i) => results.set(reply.seq + i, result));
          try {
            emitInOrder();
          } catch (err) {
            return fail(err);
          }
        }
        notify();
      });
      slot.worker.on('error', (err) => fail(scanFailed('a worker thread failed', err)));
      slot.worker.on('exit', (code) => {
        if (code !== 0) fail(scanFailed('a worker thread', `exited with code ${code}`));
      });
      slots.push(slot);
    }
  };
  const waitFor = async (condition: () => boolean): Promise<void> => {
    while (failure === undefined && !condition()) await new Promise<void>((resolve) => (wake = resolve));
    if (failure !== undefined) throw failure;
  };

  // The batch being gathered for the next worker message, and the seq after each message's last unit (in
  // dispatch order), so that what is in flight or held back is bounded in messages, whatever their size.
  let batch: LogUnit[] = [];
  let batchBytes = 0;
  const messageEnds: number[] = [];
  const messagesOut = (): number => {
    while (messageEnds.length > 0 && (messageEnds[0] as number) <= emitted) messageEnds.shift();
    return messageEnds.length;
  };
  /** A ready worker with fewer than `depth` units in flight. */
  const roomOnAWorker = (): boolean => slots.some((s) => s.ready && s.inflight < depth);
  /** Lets the event loop turn (the workers' replies in) before the next unit. */
  const turn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
  const dispatch = async (group: LogUnit[]): Promise<void> => {
    // A slot free, and not too many results held back behind a slow earlier unit.
    await waitFor(() => messagesOut() < workers * depth * 2 && roomOnAWorker());
    const slot = slots.filter((s) => s.ready).reduce((a, b) => (b.inflight < a.inflight ? b : a));
    slot.inflight++;
    const request: WorkRequest = { seq: dispatched, units: group };
    dispatched += group.length;
    messageEnds.push(dispatched);
    slot.worker.postMessage(request, group.flatMap(transferList));
  };
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const group = batch;
    batch = [];
    batchBytes = 0;
    await dispatch(group);
  };

  /** Processes a unit on this thread, as the next in dispatch order. */
  const runInline = async (unit: LogUnit): Promise<void> => {
    const started = Date.now();
    inline ??= createProcessor(task);
    try {
      results.set(dispatched++, await inline(unit));
    } catch (err) {
      throw scanFailed(`could not process ${unit.name}`, err);
    }
    emitInOrder();
    busyMs += Date.now() - started;
  };
  /**
   * Whether this thread takes the next unit itself (a worker being ready): every worker has its fill, and not
   * too many results wait for an earlier one (a slow unit on a worker must not let this thread run ahead
   * without bound; a worker's batch of small files comes back at once, so the bound is in batches' worth of units).
   */
  const takeItself = (): boolean => inlineWhenBusy && !roomOnAWorker() && results.size < workers * depth * BATCH_MAX_UNITS;

  try {
    if (workers > 0 && (spawnAfter <= 0 || !inlineWhileStarting || knownLarge)) spawn();
    for await (const unit of units) {
      if (failure !== undefined) throw failure;
      if (slots.length > 0 && !inlineWhileStarting) await waitFor(() => slots.some((s) => s.ready));
      // Slots once ready stay ready, so a batch is only ever gathered once there is a worker to take it.
      if (!slots.some((s) => s.ready)) {
        await runInline(unit);
        if (slots.length === 0 && workers > 0 && busyMs >= spawnAfter) spawn();
        // Once the workers are started, let the event loop run between units: a small file is read
        // synchronously and a day's listing is yielded from memory, so without this turn the loop would
        // never see a worker's "ready" and this thread would process the whole day itself (on bench:scan's
        // small-file corpus it did most of the corpus while both workers sat ready and idle).
        if (slots.length > 0) await turn();
        continue;
      }
      // Only between batches: the units of a batch being gathered come before this one in dispatch order.
      if (batch.length === 0 && takeItself()) {
        await runInline(unit);
        await turn();
        continue;
      }
      if (batchable(unit)) {
        batch.push(unit);
        batchBytes += unit.size;
        if (batch.length >= BATCH_MAX_UNITS || batchBytes >= BATCH_MAX_BYTES) await flush();
        continue;
      }
      await flush();
      await dispatch([unit]);
    }
    await flush();
    await waitFor(() => emitted === dispatched);
    return slots.length;
  } finally {
    for (const slot of slots) slot.worker.removeAllListeners('exit');
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
