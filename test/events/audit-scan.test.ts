import { expect } from 'chai';
import { bundleHoldsEvents, scanBundleEvents } from '../../src/events/audit-scan.js';
import { Bundle } from '../../src/evidence/bundle.js';
import { BundleBuilder } from '../../fixtures/bundle-builder.js';
import { eventRule, logBytes, logKey, record, ruleDir } from './helpers.js';

function bundleWithLogs(): Bundle {
  const b = new BundleBuilder();
  const file = {
    account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T03:45:00Z',
    records: [record({ time: '2026-09-14T03:32:07Z', name: 'DeleteBucket' }), record({ time: '2026-09-14T03:33:00Z', name: 'StopLogging', source: 'cloudtrail.amazonaws.com' })],
  };
  b.file(`logs/${logKey(file)}`, logBytes(file));
  return Bundle.open(b.writeTemp());
}

describe('event rules in an audit (scanBundleEvents)', () => {
  const rules = ruleDir({ 'a.yml': eventRule('bucket-deleted', 'DeleteBucket', 'high'), 'b.yml': eventRule('logging-stopped', 'StopLogging', 'high') });

  it('says whether a bundle holds events', () => {
    expect(bundleHoldsEvents(bundleWithLogs())).to.equal(true);
    expect(bundleHoldsEvents(Bundle.open(new BundleBuilder().put('111111111111', 'us-east-1', 'cloudtrail/DescribeTrails.json', { trailList: [] }).writeTemp()))).to.equal(false);
  });

  it('scans the bundle\'s events and returns the detections with the read counts', async () => {
    const { detections, stats } = await scanBundleEvents(bundleWithLogs(), { rules: [rules], builtinRules: false, workers: 0 });
    expect(detections.map((d) => d.ruleId)).to.deep.equal(['bucket-deleted', 'logging-stopped']);
    expect(stats.files).to.equal(1);
    expect(stats.events).to.equal(2);
    expect(stats.ruleErrors).to.deep.equal([]);
  });

  it('applies the config: a disabled rule reports nothing, a severity set there wins', async () => {
    const config = { checks: { 'bucket-deleted': { enabled: false }, 'logging-stopped': { severity: 'critical' as const } } };
    const { detections } = await scanBundleEvents(bundleWithLogs(), { rules: [rules], builtinRules: false, workers: 0, config });
    expect(detections.map((d) => [d.ruleId, d.severity])).to.deep.equal([['logging-stopped', 'critical']]);
  });
});
