import { expect } from 'chai';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
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

  it('record the demo organization, so a report rendered from one without its (unshipped) bundle is titled for it', async () => {
    for (const q of EARLIER_QUARTERS) expect(loadFindings(committed(q.period)).findings.run.organization).to.deep.equal({ id: 'o-a1b2c3d4e5', managementAccount: '111111111111' });
    const out = mkdtempSync(join(tmpdir(), 'trailproof-demo-history-report-'));
    const io = memoryIo(packageRoot);
    expect(await main(['report', '--findings', committed('2026-Q1'), '--out', out, '--format', 'html'], io), io.err).to.equal(0);
    expect(io.err).to.contain('not found: the report shows evidence references and SHA-256 only');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).to.match(/<title>CloudTrail compliance evidence report · AWS organization o-a1b2c3d4e5 · /);
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

describe('npm run demo\'s audit with --history examples/history', function () {
  this.timeout(120_000);

  it('writes summary.md with the three quarters, and names the history files it cannot use on stderr (one of another organization id)', async () => {
    const history = mkdtempSync(join(tmpdir(), 'trailproof-demo-history-'));
    for (const q of EARLIER_QUARTERS) cpSync(committed(q.period), join(history, q.period, 'findings.json'));
    mkdirSync(join(history, 'notes'));
    writeFileSync(join(history, 'notes', 'findings.json'), 'not json');
    // The same accounts, another organization id: not the demo organization's history.
    const foreign = JSON.parse(readFileSync(committed('2026-Q2'), 'utf8')) as Findings;
    foreign.run.id = '00000000-0000-4000-a000-000000000000';
    foreign.run.organization = { id: 'o-zzzzzzzzzz', managementAccount: '999999999999' };
    mkdirSync(join(history, 'elsewhere'));
    writeFileSync(join(history, 'elsewhere', 'findings.json'), JSON.stringify(foreign, null, 2));
    const out = mkdtempSync(join(tmpdir(), 'trailproof-demo-out-'));
    const io = memoryIo(packageRoot);
    const code = await main(['audit', '--bundle', 'examples/demo-org', '--config', 'examples/trailproof.yml', '--out', out, '--format', 'json,markdown', '--period', '2026-Q3', '--history', history], io);
    expect(code, io.err).to.equal(1);
    expect(io.err.match(/trailproof: history: skipped/g)).to.have.length(2);
    expect(io.err).to.match(/trailproof: history: skipped \S*notes\/findings\.json: is not valid JSON/);
    expect(io.err).to.match(/trailproof: history: skipped \S*elsewhere\/findings\.json: another organization: it records organization o-zzzzzzzzzz, this run o-a1b2c3d4e5\n/);
    expect((JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings).run.organization).to.deep.equal({ id: 'o-a1b2c3d4e5', managementAccount: '111111111111' });
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).to.contain('### Trends (3 audits)');
    for (const label of ['2026-Q1', '2026-Q2', '2026-Q3 (this run)']) expect(md).to.match(new RegExp(`\\| ${label.replace(/[()]/g, '\\$&')} \\| \\d+ \\|`));
    expect(md).to.contain('**Checks that regressed since 2026-Q2 (2 checks, 2 results):** `bucket.not-public` (1 result, Pass → Fail: `arn:aws:s3:::example-prod-trail-logs`)');
    expect(md).to.contain('**Checks that recovered since 2026-Q2 (1 check, 1 result):** `bucket.object-lock` (1 result, Fail → Pass: `arn:aws:s3:::example-security-audit-logs-eu-west-1`)');
  });
});
