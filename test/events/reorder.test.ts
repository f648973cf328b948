import { expect } from 'chai';
import { summarizeEvent } from '../../src/events/record.js';
import { PackedRuns } from '../../src/events/reorder.js';
import { inputOrder } from '../../src/events/scan.js';
import type { CorrelationInput } from '../../src/events/sigma/index.js';
import { InputPacker, inputOffsets, unpackInputs } from '../../src/events/wire.js';
import { record } from './helpers.js';

function input(rule: number, eventIndex: number, time: string, id: string, actor: string): CorrelationInput {
  const r = record({ time, name: 'ListUsers', user: actor });
  r.eventID = id;
  return { rule, eventIndex, time: Date.parse(time), values: { 'userIdentity.arn': r.userIdentity?.arn as string }, summary: summarizeEvent(r) };
}

function pack(inputs: CorrelationInput[]): ReturnType<InputPacker['finish']> {
  const packer = new InputPacker();
  for (const i of inputs) packer.add(i);
  return packer.finish();
}

function drain(runs: PackedRuns): CorrelationInput[] {
  const out: CorrelationInput[] = [];
  for (let next = runs.pop(); next !== undefined; next = runs.pop()) out.push(next);
  return out;
}

describe('the reorder buffer of packed inputs', () => {
  it('hands inputs out by time, event id and rule across runs, whatever order units arrive in', () => {
    const first = [
      input(2, 0, '2026-09-14T10:00:05Z', 'c', 'ann'),
      input(1, 0, '2026-09-14T10:00:05Z', 'c', 'ann'),
      input(1, 1, '2026-09-14T10:00:01Z', 'z', 'bob'),
    ];
    const second = [input(1, 0, '2026-09-14T10:00:05Z', 'a', 'eve'), input(3, 1, '2026-09-14T10:00:00Z', 'q', 'eve')];
    const runs = new PackedRuns();
    runs.add(pack(first));
    runs.add(pack(second));
    const expected = [...first, ...second].sort(inputOrder);
    expect(runs.peekTime()).to.equal(Date.parse('2026-09-14T10:00:00Z'));
    expect(drain(runs)).to.deep.equal(expected);
    expect(runs.peekTime()).to.equal(undefined);
  });

  it('keeps equal inputs in arrival order and leaves out the ones not kept', () => {
    const a = input(1, 0, '2026-09-14T10:00:05Z', 'same', 'ann');
    const b = input(1, 3, '2026-09-14T10:00:05Z', 'same', 'bob');
    const dropped = input(1, 4, '2026-09-14T09:00:00Z', 'gone', 'mal');
    const runs = new PackedRuns();
    const packed = pack([dropped, a]);
    runs.add(packed, inputOffsets(packed), [1]);
    runs.add(pack([b]));
    expect(drain(runs).map((i) => i.eventIndex)).to.deep.equal([0, 3]);
  });

  it('reads every input of a set back in place as unpackInputs does', () => {
    const inputs = [input(1, 0, '2026-09-14T10:00:05Z', 'x', 'ann'), input(4, 2, '2026-09-14T10:00:06Z', 'y', 'bob')];
    const packed = pack(inputs);
    expect(unpackInputs(packed)).to.deep.equal(inputs);
    expect(Array.from(inputOffsets(packed))).to.have.length(2);
  });
});
