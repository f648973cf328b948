import { expect } from 'chai';
import { isLogFileName, parseLogName } from '../../../src/evidence/s3-layout.js';
import { daysOf, descend, keepFile } from '../../../src/events/readers/layout.js';
import type { ScanScope } from '../../../src/events/readers/types.js';

const day14: ScanScope = { from: Date.parse('2026-09-14T00:00:00Z'), to: Date.parse('2026-09-14T23:59:59.999Z'), accounts: [], regions: [] };

describe('S3 delivery layout', () => {
  it('reads account, region and delivery minute from a log file name', () => {
    expect(parseLogName('111111111111_CloudTrail_us-east-1_20260914T0335Z_AbCdEfGhIjKlMnOp.json.gz')).to.deep.equal({ account: '111111111111', region: 'us-east-1', delivered: Date.parse('2026-09-14T03:35:00Z') });
    expect(parseLogName('export.json')).to.equal(undefined);
    expect(isLogFileName('111111111111_CloudTrail-Digest_us-east-1_trail_us-east-1_20260914T033500Z.json.gz')).to.equal(false);
    expect(isLogFileName('x.json.gz.metadata.json')).to.equal(false);
  });

  it('keeps a file delivered the day after --to (it can hold the last minutes) and drops one delivered before --from', () => {
    expect(keepFile('111111111111_CloudTrail_us-east-1_20260915T0005Z_A.json.gz', day14).keep).to.equal(true);
    expect(keepFile('111111111111_CloudTrail_us-east-1_20260913T2358Z_A.json.gz', day14).keep).to.equal(false);
    expect(keepFile('111111111111_CloudTrail_us-east-1_20260916T0005Z_A.json.gz', day14).keep).to.equal(false);
    expect(keepFile('222222222222_CloudTrail_us-east-1_20260914T1005Z_A.json.gz', { ...day14, accounts: ['111111111111'] }).keep).to.equal(false);
  });

  it('decides on folders by account, region, year, month and day, with or without an organization folder', () => {
    const base = ['bucket-prefix', 'AWSLogs', 'o-a1b2c3d4e5', '111111111111'];
    expect(descend(base, { ...day14, accounts: ['222222222222'] })).to.equal(false);
    expect(descend([...base, 'CloudTrail-Digest'], day14)).to.equal(false);
    expect(descend([...base, 'CloudTrail'], day14)).to.equal(true);
    expect(descend([...base, 'CloudTrail', 'eu-west-1'], { ...day14, regions: ['us-east-1'] })).to.equal(false);
    expect(descend([...base, 'CloudTrail', 'us-east-1', '2025'], day14)).to.equal(false);
    expect(descend([...base, 'CloudTrail', 'us-east-1', '2026', '08'], day14)).to.equal(false);
    expect(descend([...base, 'CloudTrail', 'us-east-1', '2026', '09', '15'], day14)).to.equal(true);
    expect(descend(['AWSLogs', '111111111111', 'CloudTrail', 'us-east-1', '2026', '09', '13'], day14)).to.equal(false);
  });

  it('lists the day folders a bounded range needs, the day after included', () => {
    expect(daysOf(day14)).to.deep.equal(['2026/09/14', '2026/09/15']);
    expect(daysOf({ ...day14, to: null })).to.equal(undefined);
  });
});
