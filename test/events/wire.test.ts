import { expect } from 'chai';
import { summarizeEvent } from '../../src/events/record.js';
import type { CorrelationInput } from '../../src/events/sigma/index.js';
import { InputPacker, packedTransfer, unpackInputs } from '../../src/events/wire.js';
import { record } from './helpers.js';

describe('correlation inputs between threads', () => {
  it('packs and unpacks inputs unchanged, nulls and shared strings included', () => {
    const a = record({ time: '2026-09-14T10:00:00Z', name: 'ListUsers', role: { name: 'ops', session: 's1' }, errorCode: 'AccessDenied' });
    const b = record({ time: '2026-09-14T10:00:01Z', name: 'ListRoles' });
    const inputs: CorrelationInput[] = [
      { rule: 3, eventIndex: 0, time: Date.parse('2026-09-14T10:00:00Z'), values: { 'userIdentity.arn': a.userIdentity?.arn as string, eventName: 'ListUsers' }, summary: summarizeEvent(a) },
      { rule: 5, eventIndex: 0, time: Date.parse('2026-09-14T10:00:00Z'), values: {}, summary: summarizeEvent(a) },
      { rule: 3, eventIndex: 7, time: Date.parse('2026-09-14T10:00:01Z'), values: { 'userIdentity.arn': null, eventName: 'ListRoles' }, summary: summarizeEvent(b) },
    ];
    const packer = new InputPacker();
    for (const input of inputs) packer.add(input);
    const packed = packer.finish();
    expect(packed.count).to.equal(3);
    // The actor, user agent and the like are stored once.
    expect(packed.strings.filter((s) => s === a.userAgent)).to.have.length(1);
    expect(unpackInputs(structuredClone(packed, { transfer: packedTransfer(packed) }))).to.deep.equal(inputs);
  });

  it('keeps every value of a unit whose strings are made to collide, and an eventTime not in CloudTrail\'s form as written', () => {
    // Same length and the same characters where the packer's hash looks: thousands of distinct values in one chain.
    const values = Array.from({ length: 3000 }, (_, n) => `x${String(n).padStart(4, '0')}${'y'.repeat(15)}`);
    const inputs: CorrelationInput[] = values.map((v, n) => {
      const r = record({ time: n % 2 === 0 ? '2026-09-14T10:00:00Z' : '2026-09-14T10:00:00.250Z', name: 'ListUsers' });
      return { rule: 1, eventIndex: n, time: Date.parse(r.eventTime as string), values: { 'userIdentity.arn': v }, summary: summarizeEvent(r) };
    });
    const packer = new InputPacker();
    for (const input of inputs) packer.add(input);
    const packed = packer.finish();
    expect(unpackInputs(structuredClone(packed, { transfer: packedTransfer(packed) }))).to.deep.equal(inputs);
  });

  it('moves nothing for an empty set, which may be shared', () => {
    expect(packedTransfer(new InputPacker().finish())).to.deep.equal([]);
  });
});
