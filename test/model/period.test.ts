import { expect } from 'chai';
import { describePeriod, nameOfPeriod, parsePeriod } from '../../src/model/period.js';

describe('report period', () => {
  it('reads a quarter as its first and last instant in UTC', () => {
    expect(parsePeriod({ period: '2026-Q3' })).to.deep.equal({ from: '2026-07-01T00:00:00.000Z', to: '2026-09-30T23:59:59.999Z', label: '2026-Q3' });
  });

  it('reads halves, months and years', () => {
    expect(parsePeriod({ period: '2026-h2' })).to.include({ from: '2026-07-01T00:00:00.000Z', to: '2026-12-31T23:59:59.999Z' });
    expect(parsePeriod({ period: '2024-02' })).to.include({ from: '2024-02-01T00:00:00.000Z', to: '2024-02-29T23:59:59.999Z' });
    expect(parsePeriod({ period: '2026' })).to.include({ from: '2026-01-01T00:00:00.000Z', to: '2026-12-31T23:59:59.999Z' });
  });

  it('treats --to DATE as the whole day, so dates and the quarter name agree', () => {
    const byDates = parsePeriod({ from: '2026-07-01', to: '2026-09-30' });
    const byName = parsePeriod({ period: '2026-Q3' });
    expect(byDates?.from).to.equal(byName?.from);
    expect(byDates?.to).to.equal(byName?.to);
  });

  it('takes instants with a zone and keeps one-sided periods open', () => {
    expect(parsePeriod({ from: '2026-09-14T05:32:07+02:00' })).to.deep.equal({ from: '2026-09-14T03:32:07.000Z', to: null });
    expect(parsePeriod({})).to.equal(undefined);
  });

  it('refuses instants without a zone, impossible dates, reversed ranges and mixed flags', () => {
    expect(() => parsePeriod({ from: '2026-07-01T00:00:00' })).to.throw(/give a time zone/);
    expect(() => parsePeriod({ to: '2026-02-30' })).to.throw(/not a calendar date/);
    expect(() => parsePeriod({ from: '2026-09-30', to: '2026-07-01' })).to.throw(/is after --to/);
    expect(() => parsePeriod({ period: '2026-Q3', from: '2026-07-01' })).to.throw(/cannot be combined/);
    expect(() => parsePeriod({ period: '2026-Q5' })).to.throw(/expected a quarter/);
  });

  it('describes periods for people and names exact quarters', () => {
    expect(describePeriod({ from: '2026-07-01T00:00:00.000Z', to: '2026-09-30T23:59:59.999Z', label: '2026-Q3' })).to.equal('2026-Q3 (1 Jul 2026 to 30 Sep 2026)');
    expect(describePeriod({ from: null, to: null })).to.equal('not stated');
    expect(nameOfPeriod('2026-07-01T00:00:00.000Z', '2026-09-30T23:59:59.999Z')).to.equal('2026-Q3');
    expect(nameOfPeriod('2026-07-02T00:00:00.000Z', '2026-09-30T23:59:59.999Z')).to.equal(undefined);
  });
});
