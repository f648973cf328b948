import { expect } from 'chai';
import { recordBatches, recordRange } from '../../../src/events/readers/batches.js';

function logFile(records: object[], trailer = ''): Buffer {
  return Buffer.from(JSON.stringify({ Records: records }) + trailer, 'latin1');
}

const records = Array.from({ length: 9 }, (_, i) => ({ eventVersion: '1.10', eventName: `Call${i}`, requestParameters: { note: '},{"eventVersion" in a value'.repeat(i % 3) } }));

describe('log files cut into record batches', () => {
  it('finds the records of a file in the form CloudTrail writes, white space after it allowed', () => {
    const bytes = logFile(records, '\n');
    const range = recordRange(bytes);
    expect(range).to.not.equal(null);
    const { from, to } = range as { from: number; to: number };
    expect(JSON.parse(`[${bytes.toString('latin1', from, to)}]`)).to.deep.equal(records);
  });

  it('declines any other form: pretty-printed, another key first, an empty list, truncated', () => {
    expect(recordRange(Buffer.from(JSON.stringify({ Records: records }, null, 2)))).to.equal(null);
    expect(recordRange(Buffer.from(JSON.stringify({ Other: 1, Records: records })))).to.equal(null);
    expect(recordRange(Buffer.from('{"Records":[]}'))).to.equal(null);
    expect(recordRange(logFile(records).subarray(0, 200))).to.equal(null);
    expect(recordRange(Buffer.from(''))).to.equal(null);
  });

  it('cuts batches only where a record ends, each about the target size, covering every record once', () => {
    const bytes = logFile(records);
    const { from, to } = recordRange(bytes) as { from: number; to: number };
    for (const target of [1, 50, 120, 400, 100_000]) {
      const batches = recordBatches(bytes, from, to, target);
      const parsed = batches.flatMap(([a, b]) => JSON.parse(`[${bytes.toString('latin1', a, b)}]`) as object[]);
      expect(parsed, `target ${target}`).to.deep.equal(records);
      expect(batches[0]?.[0]).to.equal(from);
      expect(batches.at(-1)?.[1]).to.equal(to);
      for (const [a, b] of batches.slice(0, -1)) expect(b - a).to.be.at.least(target);
    }
    expect(recordBatches(bytes, from, to, 100_000)).to.have.length(1);
    expect(recordBatches(bytes, from, to, 1)).to.have.length(records.length);
  });
});
