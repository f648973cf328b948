// eventTime read without Date.parse for CloudTrail's own form: the same result as Date.parse for any text, and
// a text the packer leaves out (canonicalTimeMs) comes back exactly from the time (isoSecond), and isoSeconds
// writes what toISOString does, to the second, over a Date's whole range.
import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalTimeMs, eventTimeInRange, isoSecond, isoSeconds, timeMs } from '../../src/events/record.js';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Times near CloudTrail's form: any digits in every field (out of range too), now and then a fraction, an offset or a stray character. */
const nearCanonical = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), fc.constantFrom('Z', 'Z', 'Z', '.250Z', '+01:00', 'z', ' Z', ''))
  .map(([y, mo, d, h, mi, s, end]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${end}`);

describe('event times', () => {
  it('reads any text as Date.parse does', () => {
    fc.assert(
      fc.property(fc.oneof(nearCanonical, fc.string({ maxLength: 24 })), (t) => {
        expect(Object.is(timeMs(t), Date.parse(t)), t).to.equal(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('gives back the text of a time in CloudTrail form from its milliseconds, leap days and year bounds included', () => {
    fc.assert(
      fc.property(nearCanonical, (t) => {
        const ms = canonicalTimeMs(t);
        if (!Number.isNaN(ms)) expect(isoSecond(ms)).to.equal(t);
      }),
      { numRuns: 20_000 },
    );
    // Leap days read directly (every event of a 29 February would otherwise go to Date.parse and be packed
    // with its own eventTime text); a 29 February of a common year is left to Date.parse, whatever it makes of
    // it (V8 reads it as 1 March).
    for (const leap of ['2024-02-29T00:00:00Z', '2000-02-29T23:59:59Z', '2028-02-29T12:30:00Z']) {
      expect(canonicalTimeMs(leap), leap).to.equal(Date.parse(leap));
      expect(isoSecond(canonicalTimeMs(leap))).to.equal(leap);
    }
    for (const none of ['2026-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2100-02-29T00:00:00Z', '2024-02-30T00:00:00Z']) {
      expect(canonicalTimeMs(none), none).to.satisfy(Number.isNaN);
      expect(Object.is(timeMs(none), Date.parse(none)), none).to.equal(true);
    }
    expect(canonicalTimeMs('0099-01-01T00:00:00Z')).to.satisfy(Number.isNaN); // Date.UTC would read 1999
    expect(canonicalTimeMs('2026-09-14T03:32:07Z')).to.equal(Date.parse('2026-09-14T03:32:07Z'));
  });

  it('writes a time to the second as toISOString does, for any time a Date holds', () => {
    const reference = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const anyTime = fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.integer({ min: -1e13, max: 1e13 }), fc.integer({ min: 1.7e12, max: 1.8e12 }), fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true }));
    fc.assert(
      fc.property(anyTime, (ms) => {
        expect(isoSeconds(ms), String(ms)).to.equal(reference(ms));
      }),
      { numRuns: 20_000 },
    );
    // The same day in turn (the day's text is remembered), and the ends of a Date's range.
    for (const ms of [Date.UTC(2026, 8, 14, 3, 32, 7, 999), Date.UTC(2026, 8, 14, 23, 59, 59), Date.UTC(2026, 8, 15), -1, 0, 8.64e15, -8.64e15]) expect(isoSeconds(ms)).to.equal(reference(ms));
    expect(() => isoSeconds(8.64e15 + 1)).to.throw(RangeError);
    expect(() => isoSeconds(Number.NaN)).to.throw(RangeError);
  });

  it('tests an eventTime against a scope to the second, CloudTrail form as text and any other through Date.parse', () => {
    expect(eventTimeInRange(null, null)).to.equal(null);
    const inRange = eventTimeInRange(Date.UTC(2026, 8, 14, 3, 0, 0, 500), Date.UTC(2026, 8, 14, 4, 0, 0, 250)) as (t: string) => boolean;
    // Both bounds take in their whole second.
    expect(['2026-09-14T03:00:00Z', '2026-09-14T04:00:00Z', '2026-09-14T03:30:00Z'].map(inRange)).to.deep.equal([true, true, true]);
    expect(['2026-09-14T02:59:59Z', '2026-09-14T04:00:01Z'].map(inRange)).to.deep.equal([false, false]);
    // Other forms by their instant, against the bounds as given; what does not parse is out.
    expect(['2026-09-14T03:00:00.600Z', '2026-09-14T03:00:00.400Z', '2026-09-14T05:00:00+01:00', 'not a time'].map(inRange)).to.deep.equal([true, false, true, false]);
    const from = eventTimeInRange(Date.UTC(2026, 8, 14), null) as (t: string) => boolean;
    expect(['2026-09-13T23:59:59Z', '2099-01-01T00:00:00Z'].map(from)).to.deep.equal([false, true]);
  });
});
