import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareChanges } from '../../src/report/changes.js';
import { loadFindings } from '../../src/report/findings-file.js';
import { loadHistory } from '../../src/report/trends-history.js';
import { fixtureFindings, previousFindings } from './fixtures.js';

describe('changes since the previous audit', () => {
  const current = fixtureFindings();
  const previous = previousFindings(current);

  it('sorts results into new failures, fixed, still failing and newly waived, matched by what they are about', () => {
    const shuffled = structuredClone(previous);
    shuffled.results.reverse();
    const c = compareChanges(current, shuffled);
    expect(c.newFailures.map((x) => [x.result.checkId, x.before])).to.deep.equal([['trail.log-file-validation', 'PASS']]);
    expect(c.fixed.map((x) => x.result.checkId)).to.deep.equal(['trail.kms-encryption']);
    expect(c.stillFailing.map((x) => x.result.checkId)).to.deep.equal(['bucket.secure-transport']);
    expect(c.newlyWaived.map((x) => [x.result.checkId, x.before])).to.deep.equal([['bucket.versioning-mfa-delete', 'FAIL']]);
    expect(c.noLongerReported.map((r) => r.resource)).to.deep.equal(['arn:aws:s3:::old-trail-bucket']);
  });

  it('counts statuses and detections now and before', () => {
    const c = compareChanges(current, previous);
    expect(c.counts.find((x) => x.status === 'FAIL')).to.deep.equal({ status: 'FAIL', now: 2, before: 4, delta: -2 });
    expect(c.detections).to.deep.equal({ now: 3, before: 1, delta: 2 });
  });

  it('finds the latest earlier run in a history folder and skips the run itself and later ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-history-'));
    const write = (sub: string, f: unknown): void => {
      mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, sub, 'findings.json'), JSON.stringify(f, null, 2));
    };
    const q1 = structuredClone(previous);
    q1.run.id = 'q1';
    q1.run.period = { from: '2026-01-01T00:00:00.000Z', to: '2026-03-31T23:59:59.999Z' };
    const q4 = structuredClone(previous);
    q4.run.id = 'q4';
    q4.run.period = { from: '2026-10-01T00:00:00.000Z', to: '2026-12-31T23:59:59.999Z' };
    write('2026-q1', q1);
    write('2026-q2', previous);
    write('2026-q3', current);
    write('2026-q4', q4);
    writeFileSync(join(dir, 'notes.json'), '{"not": "findings"}');
    const history = loadHistory(dir, current);
    const found = history.audits[history.audits.length - 1];
    expect(history.audits.map((a) => a.findings.run.id)).to.deep.equal(['q1', previous.run.id]);
    expect(found?.file).to.equal(join('2026-q2', 'findings.json'));
    expect(history.skipped).to.deep.equal([{ file: join('2026-q4', 'findings.json'), reason: 'run q4 is later than this run: not history' }]);
  });

  it('names a broken findings file in the history and steps over it, never silently', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-history-'));
    writeFileSync(join(dir, 'findings.json'), '{"schemaVersion": "1", "results": []}');
    const history = loadHistory(dir, current);
    expect(history.audits).to.deep.equal([]);
    expect(history.skipped).to.have.length(1);
    expect(history.skipped[0]?.file).to.equal('findings.json');
    expect(history.skipped[0]?.reason).to.match(/^is not a trailproof findings file: /);
  });

  it('loads a findings file with its SHA-256 and names the file when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-findings-'));
    writeFileSync(join(dir, 'findings.json'), JSON.stringify(current));
    const loaded = loadFindings(join(dir, 'findings.json'));
    expect(loaded.sha256).to.match(/^[0-9a-f]{64}$/);
    expect(loaded.findings.results).to.have.length(current.results.length);
    writeFileSync(join(dir, 'bad.json'), '{"schemaVersion": ');
    expect(() => loadFindings(join(dir, 'bad.json'))).to.throw(/bad\.json is not valid JSON/);
  });
});
