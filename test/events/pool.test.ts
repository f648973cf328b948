// The worker pool: units handed to the worker threads as soon as they are ready, even while every unit before
// was processed on this thread without a wait (small files are read synchronously), and the results given
// back in dispatch order whichever thread processed them.
import { expect } from 'chai';
import { processUnits, SMALL_INPUT_BYTES, SMALL_INPUT_UNITS } from '../../src/events/pool.js';
import { createProcessor, type Task } from '../../src/events/processor.js';
import { FULL_SCOPE, type LogUnit } from '../../src/events/readers/types.js';

const TASK: Task = { mode: 'search', query: { names: [], errorsOnly: false }, scope: FULL_SCOPE };
const UNITS = 2000;
/** What each unit takes on this thread: long enough that the workers are ready well before the last one. */
const INLINE_UNIT_MS = 3;

async function* units(count = UNITS): AsyncGenerator<LogUnit> {
  for (let i = 0; i < count; i++) yield { kind: 'records', name: `unit ${i}`, size: 0, delivered: null, records: [] };
}

describe('the worker pool', function () {
  this.timeout(120_000);

  it('hands units to the workers once they are ready, though this thread never waited on a unit, and keeps dispatch order', async () => {
    const { inline, names } = await run(units(), 0);
    expect(names).to.deep.equal(Array.from({ length: UNITS }, (_, i) => `unit ${i}`));
    expect(inline).to.be.greaterThan(0);
    expect(inline).to.be.lessThan(UNITS / 2);
  });

  /** `count` log files of `size` listed bytes each (an empty log file's text: what they hold does not matter here). */
  async function* files(count: number, size: number): AsyncGenerator<LogUnit> {
    for (let i = 0; i < count; i++) yield { kind: 'bytes', name: `file ${i}`, size, delivered: null, bytes: Buffer.from('{"Records":[]}') };
  }

  /**
   * Runs the units with 2 workers allowed, started after `spawnAfterMs` of this thread's work (each unit done here
   * is a synchronous read of a small file: it never lets the event loop turn); what ran where.
   */
  async function run(stream: AsyncIterable<LogUnit>, spawnAfterMs = 1, inlineWhileStarting = true, inlineWhenBusy = false): Promise<{ workers: number; inline: number; names: string[] }> {
    const processor = createProcessor(TASK);
    let inline = 0;
    const names: string[] = [];
    const workers = await processUnits(TASK, stream, {
      workers: 2,
      spawnAfterMs,
      inlineWhileStarting,
      inlineWhenBusy,
      inline: (unit) => {
        inline++;
        const until = Date.now() + INLINE_UNIT_MS;
        while (Date.now() < until);
        return processor(unit);
      },
      onResult: (result) => names.push(result.name),
    });
    return { workers, inline, names };
  }

  it('processes an input listed under SMALL_INPUT_BYTES on this thread alone, starting no worker', async () => {
    const small = await run(files(100, Math.floor(SMALL_INPUT_BYTES / 200)));
    expect(small.workers).to.equal(0);
    expect(small.inline).to.equal(100);
    expect(small.names).to.deep.equal(Array.from({ length: 100 }, (_, i) => `file ${i}`));
  });

  it('starts the workers for an input listed at SMALL_INPUT_BYTES or more, or in more than SMALL_INPUT_UNITS units, keeping dispatch order', async () => {
    for (const [count, size] of [[400, Math.ceil(SMALL_INPUT_BYTES / 200)], [SMALL_INPUT_UNITS + 400, 1]] as const) {
      const large = await run(files(count, size));
      expect(large.workers).to.equal(2);
      expect(large.inline).to.be.lessThan(count);
      expect(large.names).to.deep.equal(Array.from({ length: count }, (_, i) => `file ${i}`));
    }
  });

  it('starts the workers at once for an input the read-ahead shows large, not after spawnAfterMs of this thread\'s work', async () => {
    // An hour of this thread's work before it would start them: only the read-ahead's verdict can.
    for (const [count, size] of [[400, Math.ceil(SMALL_INPUT_BYTES / 200)], [SMALL_INPUT_UNITS + 400, 1]] as const) {
      const large = await run(files(count, size), 3_600_000);
      expect(large.workers).to.equal(2);
      expect(large.inline).to.be.greaterThan(0);
      expect(large.inline).to.be.lessThan(count);
      expect(large.names).to.deep.equal(Array.from({ length: count }, (_, i) => `file ${i}`));
    }
    // LookupEvents pages end the read-ahead unsized: their workers wait for spawnAfterMs of work as before.
    const pages = await run(units(100), 3_600_000);
    expect([pages.workers, pages.inline]).to.deep.equal([0, 100]);
  });

  it('leaves a large input to the workers from its first unit when no core is left over for this thread, keeping dispatch order', async () => {
    for (const spawnAfterMs of [0, 1]) {
      const large = await run(files(SMALL_INPUT_UNITS + 400, 1), spawnAfterMs, false);
      expect(large.workers).to.equal(2);
      expect(large.inline).to.equal(0);
      expect(large.names).to.deep.equal(Array.from({ length: SMALL_INPUT_UNITS + 400 }, (_, i) => `file ${i}`));
    }
    // A small one is still this thread's alone.
    const small = await run(files(100, 1), 1, false);
    expect([small.workers, small.inline]).to.deep.equal([0, 100]);
  });

  it('processes units on this thread too when every worker has its fill, keeping dispatch order', async () => {
    // Units that each keep a worker busy for a while (LookupEvents pages of records are never batched): the
    // workers' queues are full while this thread dispatches, so it takes some units itself.
    const slow = async function* (): AsyncGenerator<LogUnit> {
      const record = { eventVersion: '1.08', eventTime: '2026-09-14T03:32:07Z', eventName: 'ListUsers', eventSource: 'iam.amazonaws.com', eventID: 'e' };
      for (let i = 0; i < 300; i++) yield { kind: 'records', name: `page ${i}`, size: 0, delivered: null, records: Array.from({ length: 3000 }, () => record) };
    };
    const busy = await run(slow(), 0, false, true);
    expect(busy.workers).to.equal(2);
    expect(busy.inline).to.be.greaterThan(0);
    expect(busy.inline).to.be.lessThan(300);
    expect(busy.names).to.deep.equal(Array.from({ length: 300 }, (_, i) => `page ${i}`));
    const merging = await run(slow(), 0, false, false);
    expect([merging.inline, merging.names.length]).to.deep.equal([0, 300]);
  });
});
