import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { SharedBrowser } from '../../src/report/browser.js';
import type { BrowserSession, RenderContext } from '../../src/report/context.js';
import { pdfPageCount } from '../../src/report/pdf-file.js';
import { fixTotalPages, renderReportPdf } from '../../src/report/pdf.js';
import { writeReports } from '../../src/output/write.js';
import { fixtureFindings, previousFindings, writeFixtureBundle } from './fixtures.js';
import { pageText, pdfInfo, qpdfCheck, requireReal, run } from './real-tools.js';

/** Counts the tabs a run opens in the one browser it shares. */
class CountingBrowser implements BrowserSession {
  pages = 0;
  constructor(private readonly inner: BrowserSession) {}
  newPage(): Promise<Page> {
    this.pages++;
    return this.inner.newPage();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('PDF report (real Chromium, read back with pdftotext)', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-pdf-'));
  const file = join(dir, 'report.pdf');
  const bundle = writeFixtureBundle();
  const findings = fixtureFindings(bundle);
  let browser: SharedBrowser;
  let text: string;
  /** Content order with all whitespace removed: identifiers wrapped inside table cells read whole again. */
  let joined: string;
  let pages: number;

  before(async function () {
    requireReal(this, { chromium: true, tools: ['pdftotext', 'pdfinfo'] });
    browser = new SharedBrowser();
    const ctx: RenderContext = { bundleDir: bundle.dir, previous: previousFindings(findings), previousFile: 'audits/2026-q2/findings.json', branding: { organizationName: 'Example Corp' }, browser, generatedAt: new Date('2026-10-01T07:00:00Z') };
    writeFileSync(file, await renderReportPdf(findings, ctx));
    text = run('pdftotext', ['-layout', file, '-']);
    joined = run('pdftotext', ['-raw', file, '-']).replace(/\s+/g, '');
    pages = await pdfPageCount(readFileSync(file));
  });

  after(async () => {
    await browser?.close();
  });

  it('states the counts of the findings file on the summary page', () => {
    const summary = pageText(file, 3);
    for (const [label, status] of [['Pass', 'PASS'], ['Fail', 'FAIL'], ['Manual review', 'MANUAL'], ['Error', 'ERROR'], ['Not applicable', 'NOT_APPLICABLE'], ['Waived', 'WAIVED']] as const) {
      expect(summary, label).to.match(new RegExp(`${label}\\s+${findings.summary[status]}\\b`));
    }
    expect(summary).to.match(new RegExp(`Total\\s+${findings.results.length}\\b`));
    expect(summary).to.match(new RegExp(`Detections \\(risky events\\)\\s+${findings.detections.length}\\b`));
    expect(summary).to.contain('Not compliant');
  });

  it('names every check and every framework requirement', () => {
    for (const r of findings.results) expect(joined).to.contain(r.checkId);
    for (const fw of findings.frameworks ?? []) for (const req of fw.requirements) expect(text, `${fw.id} ${req.id}`).to.contain(req.id);
  });

  it('tells the story of the risky event: who, what, when, from where, with what', () => {
    expect(text).to.contain('Winter');
    expect(joined).to.contain('arn:aws:iam::444444444444:user/Winter');
    expect(text).to.contain('s3:DeleteBucket');
    expect(joined).to.contain('s3:DeleteBucketexample-prod-customer-data');
    expect(text).to.contain('192.0.2.55');
    expect(text).to.contain('03:32:07');
    expect(text).to.contain('14 Sep 2026');
    expect(joined).to.contain('[aws-cli/2.17.20md/awscrt#0.20.11');
    expect(text).to.contain('Succeeded');
  });

  it('shows the API response lines that prove a failure, and the remediation', () => {
    expect(text).to.contain('"LogFileValidationEnabled": false');
    expect(text).to.contain('aws cloudtrail update-trail --name org-trail --enable-log-file-validation');
    expect(text).to.contain('AccessDeniedException');
  });

  it('numbers the contents with the pages the sections are on', () => {
    const toc = pageText(file, 2);
    const entries = [...toc.matchAll(/^\s*(\S.*?\S)\s{2,}(\d+)\s*$/gm)].map((m) => ({ title: m[1] as string, page: Number(m[2]) }));
    expect(entries.map((e) => e.title)).to.include.members(['Executive summary', 'Risky events (detections)', 'Evidence appendix', 'Reviewer sign-off']);
    for (const e of entries) expect(pageText(file, e.page), `${e.title} on page ${e.page}`).to.contain(e.title);
  });

  it('prints "page X of Y" and the running header on every page', () => {
    for (let p = 1; p <= pages; p++) {
      const t = pageText(file, p);
      expect(t, `page ${p}`).to.contain(`page ${p} of ${pages}`);
      expect(t, `page ${p}`).to.contain(`run ${findings.run.id}`);
      expect(t, `page ${p}`).to.contain('Example Corp · 1 Jul 2026 to 30 Sep 2026');
    }
  });

  it('lists the changes since the previous audit, the waivers and the evidence hashes', () => {
    expect(text).to.contain('Changes since the previous audit');
    expect(text).to.contain(previousFindings(findings).run.id);
    expect(joined).to.contain('arn:aws:s3:::old-trail-bucket');
    expect(joined).to.contain('MFAdeletecannotbeenabledbyautomation');
    expect(text).to.contain('2026-06-30');
    expect(joined).to.contain(bundle.manifestSha256);
  });

  it('writes the document information: title, subject, author, keywords, dates', () => {
    const info = pdfInfo(file);
    expect(info.Title).to.equal('CloudTrail compliance evidence report: Example Corp, 1 Jul 2026 to 30 Sep 2026');
    expect(info.Author).to.equal('Example Corp');
    expect(info.Subject).to.contain(`Run ${findings.run.id}`);
    expect(info.Keywords).to.contain('cis-aws-3.0');
    expect(info.Creator).to.equal(`trailproof ${findings.tool.version}`);
    expect(info.CreationDate).to.match(/Oct\s+1 07:00:00 2026/);
    expect(info['Page size']).to.contain('(A4)');
  });

  it('produces a file that a strict PDF checker accepts', function () {
    expect(qpdfCheck(this, file)).to.contain('No syntax or stream encoding errors');
  });

  it('prints on Letter paper when asked, and reuses the one browser for every PDF of a run', async () => {
    const counting = new CountingBrowser(browser);
    const out = join(dir, 'letter');
    const written = await writeReports(findings, ['html', 'pdf', 'markdown'], out, { browser: counting, paper: 'letter' });
    expect(written.map((w) => w.format)).to.deep.equal(['html', 'pdf', 'markdown']);
    expect(counting.pages).to.equal(1);
    expect(pdfInfo(join(out, 'report.pdf'))['Page size']).to.contain('612 x 792');
  });

  it('prints the whole document again when a footer uses the page count in a form it cannot rewrite', async () => {
    const templates = mkdtempSync(join(tmpdir(), 'trailproof-footer-'));
    writeFileSync(join(templates, 'pdf-footer.hbs'), '<div style="font-size:8px; width:100%; text-align:center">sheet <span class="pageNumber"></span>/<b class="x totalPages"></b></div>');
    const out = join(dir, 'custom-footer.pdf');
    writeFileSync(out, await renderReportPdf(findings, { templatesDir: templates, browser }));
    const total = await pdfPageCount(readFileSync(out));
    expect(pageText(out, 2)).to.contain(`sheet 2/${total}`);
    const toc = pageText(out, 2);
    const summaryPage = Number(/Executive summary\s+(\d+)/.exec(toc)?.[1]);
    expect(pageText(out, summaryPage)).to.contain('Executive summary');
  });

  it('rewrites the total page count only where it can, so the front pages say the whole count', () => {
    expect(fixTotalPages('<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span>', 42)).to.equal('<span>page <span class="pageNumber"></span> of <span>42</span></span>');
    expect(fixTotalPages('<b class="x totalPages"></b>', 42)).to.equal(undefined);
    expect(fixTotalPages('<div>no numbers</div>', 42)).to.equal('<div>no numbers</div>');
  });
});
