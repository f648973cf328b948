import { expect } from 'chai';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize } from '../../src/engine/audit.js';
import { frameworkView, loadFrameworks } from '../../src/engine/frameworks.js';
import type { Findings, RunOrganization } from '../../src/model/types.js';
import { renderMarkdown } from '../../src/output/markdown.js';
import { renderReportHtml } from '../../src/report/html.js';
import { computeTrends } from '../../src/report/trends.js';
import { MAX_TREND_AUDITS, loadHistory, otherOrganization, type History } from '../../src/report/trends-history.js';
import { fixtureFindings, previousFindings } from './fixtures.js';

/** A copy of `f` for another quarter of 2026 (1 to 4), or of another year. */
function quarter(f: Findings, q: number, year = 2026): Findings {
  const out = structuredClone(f);
  const from = new Date(Date.UTC(year, (q - 1) * 3, 1));
  const to = new Date(Date.UTC(year, q * 3, 1) - 1);
  out.run.id = `run-${year}-q${q}`;
  out.run.period = { from: from.toISOString(), to: to.toISOString() };
  out.run.collectedAt = new Date(to.getTime() + 1 + 6 * 3600_000).toISOString();
  out.run.finishedAt = new Date(to.getTime() + 1 + 7 * 3600_000).toISOString();
  return out;
}

function historyDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-trends-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

describe('trends across audits', () => {
  const current = fixtureFindings();
  const previous = previousFindings(current);

  describe('the history folder', () => {
    it('keeps the earlier audits of the same organization, ordered by period whatever the folder names, and leaves out later ones', () => {
      const dir = historyDir({
        'b/findings.json': quarter(current, 1),
        'a/findings.json': previous,
        'c/q4.findings.json': quarter(current, 4),
        'z/2025/findings.json': quarter(current, 4, 2025),
        'this/findings.json': current,
      });
      const history = loadHistory(dir, current);
      expect(history.audits.map((a) => a.findings.run.id)).to.deep.equal(['run-2025-q4', 'run-2026-q1', previous.run.id]);
      expect(history.audits.map((a) => a.file)).to.deep.equal([join('z', '2025', 'findings.json'), join('b', 'findings.json'), join('a', 'findings.json')]);
      expect(history.skipped).to.deep.equal([{ file: join('c', 'q4.findings.json'), reason: 'run run-2026-q4 is later than this run: not history' }]);
    });

    it('names a file of another organization, a malformed file and a superseded run of a period, each once, and mixes none of them in', () => {
      const other = quarter(current, 1);
      other.run.scope.accounts = ['999999999999'];
      const draft = structuredClone(previous);
      draft.run.id = 'draft-q2';
      draft.run.finishedAt = '2026-07-01T05:00:00.000Z';
      const dir = historyDir({ 'other/findings.json': other, 'broken/findings.json': '{"schemaVersion": "1"', 'q2-draft/findings.json': draft, 'q2/findings.json': previous });
      const history = loadHistory(dir, current);
      expect(history.audits.map((a) => a.findings.run.id)).to.deep.equal([previous.run.id]);
      expect(history.skipped.map((s) => s.file)).to.deep.equal([join('broken', 'findings.json'), join('other', 'findings.json'), join('q2-draft', 'findings.json')]);
      expect(history.skipped[0]?.reason).to.match(/^is not valid JSON: /);
      expect(history.skipped[1]?.reason).to.equal('another organization: it shares 0 of its 1 accounts in scope with this run\'s 3 (the same organization shares at least half of each)');
      expect(history.skipped[2]?.reason).to.equal(`superseded by ${join('q2', 'findings.json')}, a later run of the same period`);
    });

    it('names a findings file that is a symbolic link and does not follow it', () => {
      const dir = historyDir({ 'q2/findings.json': previous });
      mkdirSync(join(dir, 'elsewhere'));
      symlinkSync(join(dir, 'q2', 'findings.json'), join(dir, 'elsewhere', 'findings.json'));
      const history = loadHistory(dir, current);
      expect(history.audits.map((a) => a.file)).to.deep.equal([join('q2', 'findings.json')]);
      expect(history.skipped).to.deep.equal([{ file: join('elsewhere', 'findings.json'), reason: 'a symbolic link: not followed' }]);
    });

    it('takes an organization that gained or lost an account as the same, and a one-account audit of one of its accounts as another', () => {
      const grown = structuredClone(previous);
      grown.run.scope.accounts = [...current.run.scope.accounts, '555555555555'];
      expect(otherOrganization(current, grown)).to.equal(null);
      const single = structuredClone(previous);
      single.run.scope.accounts = [current.run.scope.accounts[0] as string];
      expect(otherOrganization(current, single)).to.match(/^another organization: it shares 1 of its 1 accounts/);
    });

    describe('when the findings record the organization (run.organization)', () => {
      const ORG = { id: 'o-a1b2c3d4e5', managementAccount: '111111111111' };
      const withOrganization = (f: Findings, organization: RunOrganization | null): Findings => {
        const out = structuredClone(f);
        out.run.organization = organization;
        return out;
      };

      it('skips an audit of another organization id, naming both ids, even when it has the same accounts', () => {
        const dir = historyDir({ 'other/findings.json': withOrganization(previous, { id: 'o-zzzzzzzzzz', managementAccount: '999999999999' }) });
        const history = loadHistory(dir, withOrganization(current, ORG));
        expect(history.audits).to.deep.equal([]);
        expect(history.skipped).to.deep.equal([{ file: join('other', 'findings.json'), reason: 'another organization: it records organization o-zzzzzzzzzz, this run o-a1b2c3d4e5' }]);
      });

      it('keeps an audit of the same organization id whose accounts in scope are disjoint from this run\'s', () => {
        const earlier = withOrganization(previous, ORG);
        earlier.run.scope.accounts = ['555555555555', '666666666666'];
        const history = loadHistory(historyDir({ 'q2/findings.json': earlier }), withOrganization(current, ORG));
        expect(history.audits.map((a) => a.findings.run.id)).to.deep.equal([previous.run.id]);
        expect(history.skipped).to.deep.equal([]);
      });

      it('falls back to the shared accounts when only one of the two records an id, or one records none (null)', () => {
        // Written before run.organization existed: no field at all.
        const single = structuredClone(previous);
        single.run.scope.accounts = [current.run.scope.accounts[0] as string];
        expect(otherOrganization(withOrganization(current, ORG), single)).to.match(/^another organization: it shares 1 of its 1 accounts/);
        expect(otherOrganization(withOrganization(current, ORG), withOrganization(previous, null))).to.equal(null);
        expect(otherOrganization(withOrganization(current, null), withOrganization(previous, ORG))).to.equal(null);
        const disjoint = withOrganization(previous, null);
        disjoint.run.scope.accounts = ['555555555555'];
        expect(otherOrganization(withOrganization(current, ORG), disjoint)).to.match(/^another organization: it shares 0 of its 1 accounts/);
      });
    });

    it(`keeps the last ${MAX_TREND_AUDITS} audits (MAX_TREND_AUDITS) and names the older ones`, () => {
      const files: Record<string, unknown> = {};
      for (let year = 2023; year <= 2025; year++) for (let q = 1; q <= 4; q++) files[`${year}-q${q}/findings.json`] = quarter(current, q, year);
      const history = loadHistory(historyDir(files), current);
      expect(history.audits.map((a) => a.findings.run.id)).to.deep.equal(['run-2024-q1', 'run-2024-q2', 'run-2024-q3', 'run-2024-q4', 'run-2025-q1', 'run-2025-q2', 'run-2025-q3', 'run-2025-q4']);
      expect(history.skipped.map((s) => s.file)).to.deep.equal(['2023-q1', '2023-q2', '2023-q3', '2023-q4'].map((d) => join(d, 'findings.json')));
      expect(new Set(history.skipped.map((s) => s.reason))).to.deep.equal(new Set([`older than the last ${MAX_TREND_AUDITS} audits (MAX_TREND_AUDITS)`]));
    });
  });

  describe('the numbers', () => {
    const q1 = quarter(previous, 1);
    const history: History = { audits: [{ findings: q1, file: 'q1/findings.json' }, { findings: previous, file: 'q2/findings.json' }], skipped: [] };
    const trends = computeTrends(current, history);

    it('computes them once for the formats an audit renders (the same history, run and period)', () => {
      expect(computeTrends(current, history)).to.equal(trends);
      // Another period for the same run (report --period) is its own.
      const other = computeTrends(current, history, { from: null, to: null });
      expect(other).to.not.equal(trends);
      expect(other.audits.at(-1)?.label).to.match(/^collected /);
      expect(trends.audits.at(-1)?.label).to.equal('2026-Q3');
    });

    it('counts each audit from its own findings file, oldest first, labelled by its period', () => {
      expect(trends.audits.map((a) => a.label)).to.deep.equal(['2026-Q1', '2026-Q2', '2026-Q3']);
      expect(trends.audits.map((a) => a.counts.FAIL)).to.deep.equal([previous.summary.FAIL, previous.summary.FAIL, current.summary.FAIL]);
      expect(trends.audits.map((a) => a.file)).to.deep.equal(['q1/findings.json', 'q2/findings.json', null]);
      expect(trends.audits.map((a) => a.detections)).to.deep.equal([1, 1, 3]);
    });

    it('counts observations (FAIL at severity info) apart from failures, so each audit\'s counts add up to its results', () => {
      const results = current.results.map((r, i) => (i === 0 ? { ...r, status: 'FAIL' as const, severity: 'info' as const, observation: true } : r));
      const withObservation: Findings = { ...current, results, summary: summarize(results, current.detections) };
      const audit = computeTrends(withObservation, { audits: [], skipped: [] }).audits[0];
      expect(audit?.counts.OBSERVATION).to.equal(1);
      expect(audit?.counts.FAIL).to.equal(results.filter((r) => r.status === 'FAIL').length - 1);
      expect(Object.values(audit?.counts ?? {}).reduce((sum, n) => sum + n, 0)).to.equal(audit?.total);
    });

    it('detects a regression and a recovery since the previous audit by result identity, as "changes since" does', () => {
      const shuffled: History = { audits: [{ findings: { ...previous, results: [...previous.results].reverse() }, file: 'q2' }], skipped: [] };
      const t = computeTrends(current, shuffled);
      expect(t.regressed.map((m) => [m.result.checkId, m.before, m.result.status])).to.deep.equal([['trail.log-file-validation', 'PASS', 'FAIL']]);
      expect(t.recovered.map((m) => [m.result.checkId, m.before, m.result.status])).to.deep.equal([['trail.kms-encryption', 'FAIL', 'PASS']]);
    });

    it('names frameworks with their version and counts failing requirements as each file records them', () => {
      expect(trends.frameworks).to.deep.equal([
        { id: 'cis-aws-3.0', name: 'CIS Amazon Web Services Foundations Benchmark 3.0.0' },
        { id: 'aws-fsbp', name: 'AWS Foundational Security Best Practices 1.0.0' },
      ]);
      expect(trends.audits.at(-1)?.failing).to.deep.equal([2, 1]);
      expect(trends.audits.at(-1)?.requirements).to.deep.equal([5, 2]);
    });

    it('derives the requirement statuses of a file that records none with the engine\'s own aggregation, not a second one', () => {
      const bare = structuredClone(previous);
      delete bare.frameworks;
      const t = computeTrends(current, { audits: [{ findings: bare, file: 'q2' }], skipped: [] });
      const catalog = loadFrameworks();
      const expected = ['cis-aws-3.0', 'aws-fsbp'].map((id) => frameworkView(catalog.find((fw) => fw.id === id) as never, bare.results));
      expect(t.audits[0]?.failing).to.deep.equal(expected.map((fw) => fw.requirements.filter((r) => r.status === 'FAIL').length));
      expect(t.audits[0]?.requirements).to.deep.equal(expected.map((fw) => fw.requirements.length));
      expect(t.audits[0]?.failing[0]).to.be.greaterThan(0);
    });
  });

  describe('in the report and the summary', () => {
    const q1 = quarter(previous, 1);
    q1.results = q1.results.map((r) => (r.checkId === 'bucket.secure-transport' ? { ...r, status: 'PASS' } : r));
    q1.summary = { ...q1.summary, FAIL: q1.summary.FAIL - 1, PASS: q1.summary.PASS + 1 };
    // As the Q1 findings file recorded it: requirement 3.3 (whose failing check passed then) was met.
    for (const req of q1.frameworks?.[0]?.requirements ?? []) if (req.id === '3.3') req.status = 'PASS';
    const history: History = { audits: [{ findings: q1, file: 'history/2026-Q1/findings.json' }, { findings: previous, file: 'history/2026-Q2/findings.json' }], skipped: [{ file: 'history/broken/findings.json', reason: 'is not valid JSON: Unexpected end of JSON input' }] };
    const { html } = renderReportHtml(current, { previous, history });
    const section = /<section class="chapter" id="sec-trends">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

    it('adds a "Trends across audits" chapter to the contents and the document', () => {
      expect(section).to.contain('<h2>Trends across audits</h2>');
      expect(html).to.match(/href="#sec-trends"/);
      expect(renderReportHtml(current, { previous }).html).not.to.contain('id="sec-trends"');
    });

    it('draws results by status per audit as an SVG with a title and a description whose numbers are the table\'s', () => {
      const svgs = section.match(/<svg [\s\S]*?<\/svg>/g) ?? [];
      expect(svgs).to.have.length(2);
      const statuses = svgs[0] ?? '';
      expect(statuses).to.match(/<title>Results by status, per audit/);
      const desc = /<desc>([^<]*)<\/desc>/.exec(statuses)?.[1] ?? '';
      const table = /<table class="grid trend-statuses">[\s\S]*?<\/table>/.exec(section)?.[0] ?? '';
      const rows = [...table.matchAll(/<tr><td class="nowrap">(?:<strong>)?([^<]+)(?:<\/strong>)?<\/td>((?:<td class="num">[^<]*<\/td>)+)<\/tr>/g)].map((m) => [m[1], [...(m[2] ?? '').matchAll(/<td class="num">([^<]*)<\/td>/g)].map((c) => c[1])]);
      expect(rows.map((r) => r[0])).to.deep.equal(['2026-Q1', '2026-Q2', '2026-Q3']);
      const heads = [...table.matchAll(/<th scope="col" class="num">([^<]+)<\/th>/g)].map((m) => m[1]);
      for (const [label, cells] of rows) {
        const fail = (cells as string[])[heads.indexOf('Fail')];
        const pass = (cells as string[])[heads.indexOf('Pass')];
        expect(desc, `${label}`).to.contain(`${label}: ${pass} pass, ${fail} fail,`);
        // The bar segments carry the same numbers, named where they are wide enough (grayscale, print).
        expect(statuses).to.match(new RegExp(`font-weight="bold">(Fail )?${fail}</text>`));
      }
      expect(rows[0]?.[1]).to.deep.include.members([String(q1.summary.FAIL), String(q1.summary.PASS)]);
      expect(statuses).to.contain(`font-weight="bold">Pass ${current.summary.PASS}</text>`);
    });

    it('draws failing requirements per framework and audit, named with versions, with the table\'s numbers', () => {
      const chart = (section.match(/<svg [\s\S]*?<\/svg>/g) ?? [])[1] ?? '';
      expect(chart).to.contain('<title>Failing requirements per framework (requirements that FAIL), per audit from 2026-Q1 to 2026-Q3</title>');
      expect(chart).to.contain('>CIS Amazon Web Services Foundations Benchmark 3.0.0</text>');
      const table = /<table class="grid trend-frameworks">[\s\S]*?<\/table>/.exec(section)?.[0] ?? '';
      const cis = /<tr><td>CIS Amazon Web Services Foundations Benchmark 3.0.0[\s\S]*?<\/tr>/.exec(table)?.[0] ?? '';
      const cells = [...cis.matchAll(/<td class="num">([^<]+)<\/td>/g)].map((m) => m[1]);
      expect(cells).to.deep.equal(['1 of 5', '2 of 5', '2 of 5']);
      for (const cell of cells) expect(chart).to.contain(`>${cell}</text>`);
      expect(chart).to.contain('<desc>CIS Amazon Web Services Foundations Benchmark 3.0.0: 2026-Q1 1 of 5, 2026-Q2 2 of 5, 2026-Q3 2 of 5;');
    });

    it('lists the regressed and recovered results, and the history files not used with why', () => {
      expect(section).to.match(/Checks that regressed since 2026-Q2 <span class="muted">\(1 check, 1 result\)<\/span>/);
      expect(section).to.contain('<span class="check-id">trail.log-file-validation</span>');
      expect(section).to.match(/Checks that recovered since 2026-Q2 <span class="muted">\(1 check, 1 result\)<\/span>/);
      // One row per check, with the statuses its results moved between; the changes section lists the results.
      expect(section).to.contain('<td class="small">Pass → Fail</td>');
      expect(section).to.contain('<a href="#sec-changes">Changes since the previous audit</a>');
      expect(section).to.contain('<span class="check-id">trail.kms-encryption</span>');
      expect(section).to.contain('History files not used');
      expect(section).to.contain('is not valid JSON: Unexpected end of JSON input');
    });

    it('says so when the history holds no earlier audit of the organization, and lists no regressions', () => {
      const alone = renderReportHtml(current, { history: { audits: [], skipped: [{ file: 'other/findings.json', reason: 'another organization: ...' }] } }).html;
      const part = /<section class="chapter" id="sec-trends">[\s\S]*?<\/section>/.exec(alone)?.[0] ?? '';
      expect(part).to.contain('The history folder holds no earlier audit of the same organization (the files not used are listed below): the trends show this run alone.');
      expect(part).not.to.contain('regressed since');
      expect(part.replace(/<wbr>/g, '')).to.contain('other/findings.json');
      expect(part.match(/<tr><td class="nowrap">/g)).to.have.length(1);
    });

    it('gives summary.md the same numbers as text', () => {
      const md = renderMarkdown(current, history);
      expect(md).to.contain('### Trends (3 audits)');
      expect(md).to.contain(`| 2026-Q1 | ${q1.summary.PASS} | ${q1.summary.FAIL} | `);
      expect(md).to.contain(`| 2026-Q3 (this run) | ${current.summary.PASS} | ${current.summary.FAIL} | `);
      expect(md).to.contain('| CIS Amazon Web Services Foundations Benchmark 3.0.0 | 1 of 5 | 2 of 5 | 2 of 5 |');
      expect(md).to.contain('**Checks that regressed since 2026-Q2 (1 check, 1 result):** `trail.log-file-validation` (1 result, Pass → Fail: ');
      expect(md).to.contain('**Checks that recovered since 2026-Q2 (1 check, 1 result):** `trail.kms-encryption` (1 result, Fail → Pass: ');
      expect(md).to.contain('History file not used: `history/broken/findings.json`: is not valid JSON');
      expect(renderMarkdown(current)).not.to.contain('Trends');
    });
  });
});
