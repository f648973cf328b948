import { expect } from 'chai';
import { MAX_RECORD_DEPTH, textTooDeep, valueTooDeep } from '../../src/events/depth.js';

const nested = (n: number): string => '{"a":'.repeat(n - 1) + '[]' + '}'.repeat(n - 1);

describe('record depth (MAX_RECORD_DEPTH)', () => {
  it('accepts a record exactly MAX_RECORD_DEPTH deep and refuses one a level deeper, as text and as a value', () => {
    expect(textTooDeep(nested(MAX_RECORD_DEPTH))).to.equal(false);
    expect(textTooDeep(nested(MAX_RECORD_DEPTH + 1))).to.equal(true);
    expect(valueTooDeep(JSON.parse(nested(MAX_RECORD_DEPTH)))).to.equal(false);
    expect(valueTooDeep(JSON.parse(nested(MAX_RECORD_DEPTH + 1)))).to.equal(true);
  });

  it('counts no bracket inside a string, escaped quotes included', () => {
    const text = JSON.stringify({ policy: '['.repeat(500) + '\\"{{{' + '{'.repeat(500), list: [{ a: '"]]]' }] });
    expect(textTooDeep(text)).to.equal(false);
    expect(textTooDeep(`{"s":"${'\\"'.repeat(80)}[[[","x":${nested(MAX_RECORD_DEPTH)}}`)).to.equal(true);
  });

  it('looks only at the range asked for', () => {
    const text = `${nested(MAX_RECORD_DEPTH + 5)},{"eventName":"A"}`;
    expect(textTooDeep(text, text.indexOf(',{') + 1, text.length)).to.equal(false);
    expect(textTooDeep(text, 0, text.indexOf(',{'))).to.equal(true);
  });

  it('walks a value 100,000 deep without overflowing the stack', () => {
    const root: Record<string, unknown> = {};
    let at = root;
    for (let i = 0; i < 100_000; i++) {
      const next: Record<string, unknown> = {};
      at['a'] = [next];
      at = next;
    }
    expect(valueTooDeep(root)).to.equal(true);
    expect(valueTooDeep('text')).to.equal(false);
    expect(valueTooDeep(null)).to.equal(false);
  });
});
