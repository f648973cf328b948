import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Findings, Status } from '../../src/model/types.js';
import { packageRoot } from '../../src/paths.js';
import { loadFindings } from '../../src/report/findings-file.js';
import { EARLIER_QUARTERS } from '../../scripts/demo-org/history.js';
import { earlierQuarterFindings } from '../../scripts/demo-org/history-findings.js';

const committed = (period: string): string => join(packageRoot, 'examples', 'history', period, 'findings.json');

function statusOf(f: Findings, checkId: string, resource: string): Status | undefined {
  return f.results.find((r) => r.checkId === checkId && r.resource === resource)?.status;
}

describe('the demo organization\'s earlier quarters (examples/history)', function () {
  this.timeout(120_000);
  const regenerated = new Map<string, string>();

  before(async () => {
    for (const q of EARLIER_QUARTERS) regenerated.set(q.period, await earlierQuarterFindings(q));
  });

  it('are what the generator writes, byte for byte but for the tool version (node dist/scripts/make-demo-history.js)', () => {
    for (const q of EARLIER_QUARTERS) {
      const fresh = JSON.parse(regenerated.get(q.period) ?? '') as Findings;
      const kept = JSON.parse(readFileSync(committed(q.period), 'utf8')) as Findings;
      fresh.tool.version = kept.tool.version;
      expect(JSON.stringify(fresh, null, 2) + '\n', q.period).to.equal(readFileSync(committed(q.period), 'utf8'));
    }
  });

  it('are valid findings files of the quarter, collected at its end, over the five accounts before the sandbox was vended', () => {
    for (const q of EARLIER_QUARTERS) {
      const { findings } = loadFindings(committed(q.period));
      expect(findings.run.collectedAt).to.equal(q.collectedAt);
      expect(findings.run.scope.accounts).to.deep.equal(['111111111111', '222222222222', '333333333333', '444444444444', '555555555555']);
      expect(findings.checks).to.equal(undefined);
      expect(findings.detections).to.deep.equal([]);
    }
  });

  it('tell the story the Q3 audit continues: fixes in Q2 and Q3, prod-trail\'s bucket public only in Q3', () => {
    const [q1, q2] = EARLIER_QUARTERS.map((q) => loadFindings(committed(q.period)).findings) as [Findings, Findings];
    expect(statusOf(q1, 'bucket.secure-transport', 'arn:aws:s3:::example-org-cloudtrail-logs')).to.equal('FAIL');
    expect(statusOf(q2, 'bucket.secure-transport', 'arn:aws:s3:::example-org-cloudtrail-logs')).to.equal('PASS');
    expect(statusOf(q2, 'bucket.object-lock', 'arn:aws:s3:::example-security-audit-logs-eu-west-1')).to.equal('FAIL');
    expect(statusOf(q2, 'bucket.not-public', 'arn:aws:s3:::example-prod-trail-logs')).to.equal('PASS');
    expect(statusOf(q1, 'trail.logging-active', 'arn:aws:cloudtrail:eu-west-1:555555555555:trail/staging-legacy')).to.equal('PASS');
    expect(statusOf(q2, 'trail.logging-active', 'arn:aws:cloudtrail:eu-west-1:555555555555:trail/staging-legacy')).to.equal('FAIL');
  });
});
