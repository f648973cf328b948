// The correlation journal (src/events/spill.ts) on its own: blocks of every size written through its one
// reused write buffer (a unit larger than the buffer goes alone) read back sorted, whole, in correlation order.
import { expect } from 'chai';
import { summarizeEvent } from '../../src/events/record.js';
import { inputOrder } from '../../src/events/scan.js';
import type { CorrelationInput } from '../../src/events/sigma/index.js';
import { CorrelationSpill } from '../../src/events/spill.js';
import { InputPacker, inputOffsets } from '../../src/events/wire.js';
import { record, tempDir } from './helpers.js';

const BASE = Date.parse('2026-09-14T10:00:00Z');

function input(n: number, rule: number, user = `user-${n % 50}`): CorrelationInput {
  const time = new Date(BASE + ((n * 7919) % 86_400) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const r = record({ time, name: 'ListUsers', user });
  r.eventID = `event-${String(n).padStart(8, '0')}-${'e'.repeat(24)}`;
  return { rule, eventIndex: n, time: Date.parse(time), values: { 'userIdentity.arn': r.userIdentity?.arn as string }, summary: summarizeEvent(r) };
}

function pack(inputs: readonly CorrelationInput[]): ReturnType<InputPacker['finish']> {
  const packer = new InputPacker();
  for (const i of inputs) packer.add(i);
  return packer.finish();
}

describe('the correlation journal', () => {
  it('reads back, in correlation order, small blocks and one larger than its write buffer, and leaves out inputs not kept', () => {
    const small = Array.from({ length: 40 }, (_, n) => input(n, n % 2));
    // Tens of thousands of inputs in one unit: a block of several MiB, past the 1 MiB write buffer.
    const large = Array.from({ length: 30_000 }, (_, n) => input(1000 + n, 1));
    const tail = Array.from({ length: 25 }, (_, n) => input(50_000 + n, 0));
    const spill = new CorrelationSpill({ dir: tempDir() });
    try {
      spill.record(pack(small), null);
      spill.record(pack(large), null);
      const tailPacked = pack(tail);
      const kept = Array.from(inputOffsets(tailPacked).keys()).filter((n) => n % 5 !== 0);
      spill.record(tailPacked, kept);
      spill.seal();
      expect(spill.complete).to.equal(true);
      expect(spill.stats.journalBytes).to.be.greaterThan(1024 * 1024);
      const out: CorrelationInput[] = [];
      spill.sorted(new Set([0, 1]), false, (i) => out.push(i));
      const expected = [...small, ...large, ...tail.filter((_, n) => n % 5 !== 0)].sort(inputOrder);
      expect(out).to.have.length(expected.length);
      expect(out).to.deep.equal(expected);
    } finally {
      spill.dispose();
    }
  });

  it('keeps every string as it was: non-ASCII text, a lone surrogate, NUL and empty strings', () => {
    const odd = ['josé', '日本語の利用者', 'emoji-\u{1F600}', 'lone-\ud800-surrogate', 'nul-\u0000-inside', ''];
    const inputs = odd.map((user, n) => input(n, 0, user));
    const ascii = [input(100, 1), input(101, 1)];
    const spill = new CorrelationSpill({ dir: tempDir() });
    try {
      spill.record(pack(inputs), null);
      spill.record(pack(ascii), null);
      spill.seal();
      const out: CorrelationInput[] = [];
      spill.sorted(new Set([0, 1]), false, (i) => out.push(i));
      expect(out).to.deep.equal([...inputs, ...ascii].sort(inputOrder));
      expect(out.map((i) => i.values['userIdentity.arn'])).to.include.members(odd.map((user) => `arn:aws:iam::111111111111:user/${user}`));
    } finally {
      spill.dispose();
    }
  });
});
