// Every output states the outcome the exit code states (CONTRACT section 6, issue 13): the real CLI `main()`
// audits four bundles whose runs exit 0 (gate passed), 1 (gate failed), 2 (evidence modified after
// collection) and 3 (the evidence could not decide), and each output is read back: findings.json's
// run.outcome, summary.md's headline, junit.xml's gate test case (parsed by xmllint), SARIF's invocation,
// OCSF, report.html's verdict, the PDF's text (pdftotext) and the terminal's gate line. `report --findings`
// re-rendering the findings states the same outcome, and derives it for a file written before run.outcome.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { Findings, RunOutcome } from '../../src/model/types.js';
import { renderMarkdown } from '../../src/output/markdown.js';
import { renderSummary } from '../../src/output/table.js';
import { renderReportHtml } from '../../src/report/html.js';
import { BundleBuilder } from '../../fixtures/bundle-builder.js';
import { fixtureFindings } from '../report/fixtures.js';
import { eventRule, logBytes, logKey, record, ruleDir, tempDir } from '../events/helpers.js';
import { requireReal, run } from '../report/real-tools.js';

const ACCOUNT = '123456789012';
const TRAILS = `accounts/${ACCOUNT}/us-east-1/cloudtrail/DescribeTrails.json`;

interface Scenario {
  name: string;
  exitCode: RunOutcome['exitCode'];
  verdict: RunOutcome['verdict'];
  failOn: string;
  /** summary.md's headline after "## trailproof audit: ". */
  headline: string;
  /** The HTML/PDF verdict headline. */
  reportHeadline: string;
  bundle: () => string;
}

/** One account whose only trail check FAILs (no trail records it): exit 1 at --fail-on high, 0 at none. */
function failingBundle(): string {
  return new BundleBuilder({ accounts: [ACCOUNT], regions: ['us-east-1'] }).describeTrails(ACCOUNT, 'us-east-1', []).writeTemp();
}

const SCENARIOS: Scenario[] = [
  { name: 'a passing gate', exitCode: 0, verdict: 'passed', failOn: 'none', headline: 'needs attention', reportHeadline: 'Needs attention', bundle: failingBundle },
  { name: 'a failing gate', exitCode: 1, verdict: 'failed', failOn: 'high', headline: 'not compliant', reportHeadline: 'Not compliant', bundle: failingBundle },
  {
    name: 'a tampered bundle',
    exitCode: 2,
    verdict: 'evidence modified: not decided',
    failOn: 'none',
    headline: 'evidence modified: not decided',
    reportHeadline: 'Evidence modified: not decided',
    bundle: () => {
      const dir = failingBundle();
      // Rewritten after collection: the manifest's SHA-256 no longer matches.
      writeFileSync(join(dir, TRAILS), '{"trailList":[]}');
      return dir;
    },
  },
  {
    name: 'an undecided run',
    exitCode: 3,
    verdict: 'not decided',
    failOn: 'high',
    headline: 'not decided',
    reportHeadline: 'Not decided',
    bundle: () => new BundleBuilder({ accounts: [ACCOUNT], regions: ['us-east-1'] }).putError(ACCOUNT, 'us-east-1', 'cloudtrail/DescribeTrails.json', 'AccessDeniedException').writeTemp(),
  },
];

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

function xpath(file: string, expression: string): string {
  return run('xmllint', ['--xpath', expression, file]).trim();
}

/** "passed" or "compliant" as a verdict: what no output of a run exiting 1-3 may say ("not compliant" is a verdict of failure). */
const CLEAN = /\b(?<!not )(passed|compliant)\b/i;

function expectOutputsState(dir: string, s: Scenario): void {
  const findings = JSON.parse(readFileSync(join(dir, 'findings.json'), 'utf8')) as Findings;
  expect(findings.run.outcome).to.deep.include({ exitCode: s.exitCode, verdict: s.verdict });

  const md = readFileSync(join(dir, 'summary.md'), 'utf8');
  const headline = md.split('\n')[0] ?? '';
  expect(headline).to.equal(`## trailproof audit: ${s.headline}`);
  expect(md).to.contain(`(exit ${s.exitCode}: `);
  if (s.exitCode !== 0) expect(headline).not.to.match(CLEAN);

  const junit = join(dir, 'junit.xml');
  const gate = '//testsuite[@name="trailproof.gate"]';
  expect(xpath(junit, `count(${gate}/testcase)`)).to.equal('1');
  expect(xpath(junit, `count(${gate}/testcase/failure)`)).to.equal(s.exitCode === 1 ? '1' : '0');
  expect(xpath(junit, `count(${gate}/testcase/error)`)).to.equal(s.exitCode >= 2 ? '1' : '0');
  expect(xpath(junit, `string(${gate}/properties/property[@name="exitCode"]/@value)`)).to.equal(String(s.exitCode));
  // The root's counts include the gate, so a dashboard reading only them turns red too (results below the
  // gate may count there on exit 0: they are failures of their own, not of the run).
  const rootBad = Number(xpath(junit, 'string(/testsuites/@failures)')) + Number(xpath(junit, 'string(/testsuites/@errors)'));
  if (s.exitCode !== 0) expect(rootBad).to.be.greaterThan(0);

  const sarif = JSON.parse(readFileSync(join(dir, 'findings.sarif'), 'utf8')) as { runs: { invocations: { executionSuccessful: boolean; exitCode: number; toolExecutionNotifications?: { level: string; message: { text: string } }[] }[] }[] };
  const invocation = sarif.runs[0]?.invocations[0];
  expect(invocation?.exitCode).to.equal(s.exitCode);
  expect(invocation?.executionSuccessful).to.equal(s.exitCode <= 1);
  const notes = invocation?.toolExecutionNotifications ?? [];
  expect(notes.map((n) => n.level)).to.deep.equal(s.exitCode >= 2 ? ['error'] : []);
  if (s.exitCode >= 2) expect(notes[0]?.message.text).to.match(new RegExp(`^${s.verdict} \\(exit ${s.exitCode}\\)`));

  const ocsf = JSON.parse(readFileSync(join(dir, 'findings.ocsf.json'), 'utf8')) as { unmapped: { trailproof_run_outcome: RunOutcome } }[];
  expect(ocsf.length).to.be.greaterThan(0);
  for (const event of ocsf) expect(event.unmapped.trailproof_run_outcome.exitCode).to.equal(s.exitCode);

  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  const verdicts = [...html.matchAll(/<div class="verdict verdict-(\w+)">\s*<strong>([^<]*)<\/strong>[\s\S]*?data-exit-code="(\d)">([^<]*)</g)].map((m) => ({ level: m[1], headline: m[2], exitCode: Number(m[3]), gate: m[4] }));
  expect(verdicts).to.have.length(2); // the cover and the executive summary
  for (const v of verdicts) {
    expect(v.headline).to.equal(s.reportHeadline);
    expect(v.exitCode).to.equal(s.exitCode);
    expect(v.gate).to.equal(`Gate --fail-on ${s.failOn} -&gt; exit ${s.exitCode} (${s.verdict})`);
    if (s.exitCode !== 0) {
      expect(v.level).to.equal('fail');
      expect(v.headline).not.to.match(CLEAN);
    }
  }
}

describe('every output states the outcome the exit code states', function () {
  this.timeout(120_000);
  before(function () {
    requireReal(this, { tools: ['xmllint'] });
  });

  for (const s of SCENARIOS) {
    describe(`for ${s.name} (exit ${s.exitCode})`, () => {
      const out = mkdtempSync(join(tmpdir(), 'trailproof-outcome-'));
      let result: { code: number; out: string; err: string };
      before(async () => {
        result = await cli(['audit', '--bundle', s.bundle(), '--checks', 'trail.multi-region', '--fail-on', s.failOn, '--out', out, '--format', 'json,markdown,junit,sarif,ocsf,html']);
      });

      it(`main() returns ${s.exitCode} and the terminal's gate line states that exit code and "${s.verdict}"`, () => {
        expect(result.code, result.err).to.equal(s.exitCode);
        const gateLines = result.out.split('\n').filter((l) => l.startsWith('gate: '));
        expect(gateLines).to.deep.equal([`gate: --fail-on ${s.failOn} -> exit ${result.code} (${s.verdict})`]);
        if (s.exitCode === 2) expect(result.err).to.match(/^trailproof: evidence bundle .* does not match its manifest/);
      });

      it('findings.json, summary.md, junit.xml, SARIF, OCSF and report.html state the same outcome', () => {
        expectOutputsState(out, s);
      });

      it('report --findings states the same outcome again, and derives it for a findings file without run.outcome', async () => {
        const again = join(out, 'again');
        const r = await cli(['report', '--findings', join(out, 'findings.json'), '--out', again, '--format', 'json,markdown,junit,sarif,ocsf,html', '--quiet']);
        expect(r.code, r.err).to.equal(0);
        expectOutputsState(again, s);

        const old = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings;
        delete old.run.outcome;
        const oldFile = join(out, 'old-findings.json');
        writeFileSync(oldFile, JSON.stringify(old, null, 2) + '\n');
        const derived = join(out, 'derived');
        const d = await cli(['report', '--findings', oldFile, '--out', derived, '--format', 'markdown,junit,sarif,ocsf,html', '--quiet']);
        expect(d.code, d.err).to.equal(0);
        // findings.json is copied byte for byte (it is the file given), so the derived outcome shows in the others.
        writeFileSync(join(derived, 'findings.json'), JSON.stringify({ ...old, run: { ...old.run, outcome: { exitCode: s.exitCode, verdict: s.verdict, reason: '' } } }));
        expectOutputsState(derived, s);
      });
    });
  }

  it('refuses a findings file whose recorded exit code and verdict disagree', async () => {
    const out = mkdtempSync(join(tmpdir(), 'trailproof-outcome-'));
    await cli(['audit', '--bundle', failingBundle(), '--checks', 'trail.multi-region', '--out', out, '--format', 'json', '--quiet']);
    const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings;
    findings.run.outcome = { exitCode: 1, verdict: 'passed', reason: 'hand-edited' };
    writeFileSync(join(out, 'findings.json'), JSON.stringify(findings));
    const r = await cli(['report', '--findings', join(out, 'findings.json'), '--format', 'markdown']);
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/is not a trailproof findings file: .*run\.outcome must match exactly one schema/);
  });

  it('names the files the manifest does not list (integrity.unlisted) wherever integrity is shown', () => {
    const f = fixtureFindings();
    f.integrity = { verified: true, manifestSha256: 'a'.repeat(64), modified: [], missing: [], allowedModified: false, unlisted: ['accounts/111111111111/extra.json', 'notes.txt'] };
    expect(renderMarkdown(f)).to.contain('**Unlisted files:** 2 file(s) in the bundle that the manifest does not list were not read.');
    expect(renderSummary(f)).to.contain('evidence bundle: 2 file(s) the manifest does not list were not read: accounts/111111111111/extra.json, notes.txt');
    const html = renderReportHtml(f).html;
    expect(html).to.contain('2 files the manifest does not list, not read');
    expect(html.replace(/<wbr>/g, '')).to.contain('notes.txt');
  });

  describe('scan', () => {
    const deleted = record({ time: '2026-09-14T03:32:07Z', name: 'DeleteBucket', account: '444444444444', user: 'Winter', ip: '192.0.2.55' });
    const listed = record({ time: '2026-09-14T03:40:00Z', name: 'ListBuckets', account: '444444444444', user: 'marco' });
    const rules = ruleDir({ 'bucket-deleted.yml': eventRule('bucket-deleted', 'DeleteBucket', 'high') });
    const file = { account: '444444444444', region: 'us-east-1', delivered: '2026-09-14T03:45:00Z' };

    it('records exit 2 for event files that do not match the manifest, in findings.json and the gate line', async () => {
      const b = new BundleBuilder({ accounts: ['444444444444'] });
      const path = `logs/${logKey(file)}`;
      b.file(path, logBytes({ ...file, records: [deleted] }));
      const dir = b.writeTemp();
      // The deletion is rewritten away after collection: without the check, the scan would find nothing and pass.
      writeFileSync(join(dir, path), logBytes({ ...file, records: [listed] }));
      const out = tempDir();
      const r = await cli(['scan', '--bundle', dir, '--rules', rules, '--no-builtin-rules', '--fail-on', 'none', '--out', out, '--no-progress']);
      expect(r.code).to.equal(2);
      expect(r.err).to.contain('gate: --fail-on none -> exit 2 (evidence modified: not decided)');
      const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings;
      expect(findings.run.outcome).to.deep.include({ exitCode: 2, verdict: 'evidence modified: not decided' });
    });

    it('records exit 3 when no event could be read', async () => {
      const logs = tempDir();
      const target = join(logs, logKey(file));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, 'not gzip at all');
      const out = tempDir();
      const r = await cli(['scan', '--logs', logs, '--rules', rules, '--no-builtin-rules', '--out', out, '--no-progress']);
      expect(r.code, r.err).to.equal(3);
      expect(r.err).to.contain('gate: --fail-on high -> exit 3 (not decided)');
      const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings;
      expect(findings.run.outcome).to.deep.equal({ exitCode: 3, verdict: 'not decided', reason: 'no events could be read' });
    });
  });

  describe('the PDF of a tampered run (pdftotext)', function () {
    before(function () {
      requireReal(this, { chromium: true, tools: ['pdftotext'] });
    });

    it('reads "Evidence modified: not decided" with exit 2, never compliant or passed', async () => {
      const s = SCENARIOS.find((x) => x.exitCode === 2) as Scenario;
      const out = mkdtempSync(join(tmpdir(), 'trailproof-outcome-pdf-'));
      const r = await cli(['audit', '--bundle', s.bundle(), '--checks', 'trail.multi-region', '--fail-on', 'none', '--out', out, '--format', 'pdf', '--quiet']);
      expect(r.code).to.equal(2);
      const text = spawnSync('pdftotext', ['-layout', join(out, 'report.pdf'), '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
      expect(text).to.contain('Evidence modified: not decided');
      expect(text).to.contain('Gate --fail-on none -> exit 2 (evidence modified: not decided)');
      expect(text).not.to.match(/\bCompliant\b/);
    });
  });
});
