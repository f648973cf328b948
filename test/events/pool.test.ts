// The worker pool: units handed to the worker threads as soon as they are ready, even while every unit before
// was processed on this thread without a wait (small files are read synchronously), and the results given
// back in dispatch order whichever thread processed them.
import { expect } from 'chai';
import { processUnits } from '../../src/events/pool.js';
import { createProcessor, type Task } from '../../src/events/processor.js';
import { FULL_SCOPE, type LogUnit } from '../../src/events/readers/types.js';

const TASK: Task = { mode: 'search', query: { names: [], errorsOnly: false }, scope: FULL_SCOPE };
const UNITS = 2000;
/** What each unit takes on this thread: long enough that the workers are ready well before the last one. */
const INLINE_UNIT_MS = 3;

async function* units(): AsyncGenerator<LogUnit> {
  for (let i = 0; i < UNITS; i++) yield { kind: 'records', name: `unit ${i}`, size: 0, delivered: null, records: [] };
}

describe('the worker pool', function () {
  this.timeout(120_000);

  it('hands units to the workers once they are ready, though this thread never waited on a unit, and keeps dispatch order', async () => {
    const processor = createProcessor(TASK);
    let inline = 0;
    const names: string[] = [];
    await processUnits(TASK, units(), {
      workers: 2,
      spawnAfterMs: 0,
      inline: (unit) => {
        inline++;
        // A synchronous read of a small file: the unit's work never lets the event loop turn.
        const until = Date.now() + INLINE_UNIT_MS;
        while (Date.now() < until);
        return processor(unit);
      },
      onResult: (result) => names.push(result.name),
    });
    expect(names).to.deep.equal(Array.from({ length: UNITS }, (_, i) => `unit ${i}`));
    expect(inline).to.be.greaterThan(0);
    expect(inline).to.be.lessThan(UNITS / 2);
  });
});
