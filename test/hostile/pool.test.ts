// A unit that cannot be processed at all (a thread that died, a processor that threw) stops the scan with
// TP_SCAN_FAILED: exit 3 (the scan could not decide) and one line naming the unit, not an internal error.
import { expect } from 'chai';
import { TrailproofError } from '../../src/errors.js';
import { processUnits } from '../../src/events/pool.js';
import { FULL_SCOPE, type LogUnit } from '../../src/events/readers/types.js';

async function* units(): AsyncGenerator<LogUnit> {
  yield { kind: 'records', name: 'LookupEvents 111111111111 us-east-1 page 1', size: 0, delivered: null, records: [] };
}

describe('a unit that cannot be processed', () => {
  it('ends the scan with TP_SCAN_FAILED, exit 3, naming the unit and the cause in one line', async () => {
    let caught: unknown;
    try {
      await processUnits({ mode: 'search', query: { names: [], errorsOnly: false }, scope: FULL_SCOPE }, units(), {
        workers: 0,
        inline: () => Promise.reject(new RangeError('Maximum call stack size exceeded\n    at somewhere')),
        onResult: () => undefined,
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(TrailproofError);
    const err = caught as TrailproofError;
    expect(err.code).to.equal('TP_SCAN_FAILED');
    expect(err.exitCode).to.equal(3);
    expect(err.message).to.equal('the scan stopped: could not process LookupEvents 111111111111 us-east-1 page 1: Maximum call stack size exceeded');
  });
});
