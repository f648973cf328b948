import { expect } from 'chai';
import { TrailproofError } from '../../src/errors.js';
import { GB, MB, PRICING, TB, billedBytes, costOf, formatBytes, formatMoney, parsePricePerTb, pricingFor, queryCost } from '../../src/sql/cost.js';

const stats = (bytesScanned: number): { queryId: string; bytesScanned: number; engineMs: number; totalMs: number } => ({ queryId: 'q', bytesScanned, engineMs: 0, totalMs: 0 });

describe('query cost', () => {
  it('bills Athena at least 10 MB a query, rounded up to the megabyte, at USD 5 per TB', () => {
    expect(billedBytes(0, PRICING.athena)).to.equal(10 * MB);
    expect(billedBytes(3 * MB, PRICING.athena)).to.equal(10 * MB);
    expect(billedBytes(10 * MB + 1, PRICING.athena)).to.equal(11 * MB);
    expect(queryCost(TB, PRICING.athena)).to.equal(5);
    expect(queryCost(2 * TB, pricingFor('athena', 6.25))).to.equal(12.5);
  });

  it('bills CloudTrail Lake by the byte at USD 0.005 per GB', () => {
    expect(billedBytes(1234, PRICING.lake)).to.equal(1234);
    expect(queryCost(GB, PRICING.lake)).to.be.closeTo(0.005, 1e-12);
  });

  it('sums a run with each query billed on its own', () => {
    const summary = costOf([stats(0), stats(TB / 2), stats(TB / 2)], PRICING.athena);
    expect(summary).to.deep.equal({ queries: 3, bytesScanned: TB, billedBytes: TB + 10 * MB, cost: ((TB + 10 * MB) / TB) * 5, currency: 'USD' });
  });

  it('reads a price per TB from the command line and refuses what is not one', () => {
    expect(parsePricePerTb('5')).to.equal(5);
    expect(parsePricePerTb(' 4.75 ')).to.equal(4.75);
    for (const bad of ['', 'five', '-1', 'Infinity']) {
      try {
        parsePricePerTb(bad);
        expect.fail(`accepted ${bad}`);
      } catch (err) {
        expect(err).to.be.instanceOf(TrailproofError);
        expect((err as Error).message).to.include('--price-per-tb');
      }
    }
  });

  it('formats bytes in binary units and money to the cent, or to two digits under a cent', () => {
    expect(formatBytes(0)).to.equal('0 B');
    expect(formatBytes(512)).to.equal('512 B');
    expect(formatBytes(1536)).to.equal('1.5 KB');
    expect(formatBytes(10 * MB)).to.equal('10 MB');
    expect(formatBytes(1.25 * TB)).to.equal('1.3 TB');
    expect(formatMoney(12.345)).to.equal('$12.35');
    expect(formatMoney(0)).to.equal('$0.00');
    expect(formatMoney(queryCost(0, PRICING.athena))).to.equal('$0.000048');
    expect(formatMoney(3.5, 'EUR')).to.equal('3.50 EUR');
  });
});
