import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString } from '@cantoo/pdf-lib';
import { SharedBrowser } from '../../src/report/browser.js';
import { renderReportHtml } from '../../src/report/html.js';
import { loadPdf } from '../../src/report/pdf-file.js';
import { setOutline } from '../../src/report/pdf-finish.js';
import { printPdf, renderReportPdf } from '../../src/report/pdf.js';
import { fixtureFindings, previousFindings, writeFixtureBundle } from './fixtures.js';
import { outline, pageText, pdfInfo, requireReal, run, type Bookmark } from './real-tools.js';

/** The first line of a page's text: the running header. */
function headerLine(file: string, page: number): string {
  return pageText(file, page).split('\n').find((l) => l.trim() !== '') ?? '';
}

describe('PDF report navigation and accessibility (real Chromium, read back with qpdf, pdfinfo, pdftotext)', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-pdf-nav-'));
  const file = join(dir, 'report.pdf');
  const bundle = writeFixtureBundle();
  const findings = fixtureFindings(bundle);
  let browser: SharedBrowser;
  let bookmarks: Bookmark[];

  before(async function () {
    requireReal(this, { chromium: true, tools: ['pdftotext', 'pdfinfo', 'qpdf'] });
    browser = new SharedBrowser();
    writeFileSync(file, await renderReportPdf(findings, { bundleDir: bundle.dir, previous: previousFindings(findings), branding: { organizationName: 'Example Corp' }, browser, generatedAt: new Date('2026-10-01T07:00:00Z') }));
    bookmarks = outline(file);
  });

  after(async () => {
    await browser?.close();
  });

  it('bookmarks every section at the page it starts on, in order', () => {
    const { view } = renderReportHtml(findings, { previous: previousFindings(findings) });
    const sections = bookmarks.filter((b) => b.depth === 0);
    const expected = ['Contents', ...view.toc.filter((t) => t.level === 1).map((t) => t.title)];
    expect(sections.map((b) => b.title)).to.deep.equal(expected);
    for (const b of sections) expect(pageText(file, b.page), b.title).to.contain(b.title);
    expect(sections.map((b) => b.page)).to.deep.equal([...sections.map((b) => b.page)].sort((x, y) => x - y));
  });

  it('bookmarks "Every result" and its by-check table, which names every check on the pages it points at', () => {
    // The per-check lists (one heading each) are in the HTML report only; the PDF has the by-check table.
    const at = bookmarks.findIndex((b) => b.title === 'Every result');
    const table = bookmarks[at + 1];
    expect(table?.title).to.equal('By check');
    expect(table?.depth).to.equal(1);
    const next = bookmarks.slice(at + 1).find((b) => b.depth === 0)?.page ?? Number.POSITIVE_INFINITY;
    let pages = '';
    for (let p = table?.page ?? 0; p < next; p++) pages += pageText(file, p).replace(/\s+/g, '');
    for (const checkId of new Set(findings.results.map((r) => r.checkId))) expect(pages, checkId).to.contain(checkId);
  });

  it('is a tagged PDF in the language of the HTML, with the charts described', async () => {
    expect(pdfInfo(file).Tagged).to.equal('yes');
    const doc = await loadPdf(readFileSync(file), file);
    expect(doc.catalog.lookup(PDFName.of('Lang'), PDFString).decodeText()).to.equal('en');
    expect(doc.catalog.lookup(PDFName.of('MarkInfo'), PDFDict).get(PDFName.of('Marked'))?.toString()).to.equal('true');
    // Each chart's <svg role="img" aria-label> is a Figure with its description as /Alt (the <figure> around
    // it is a Figure too, without one, grouping it with its caption).
    const figures = doc.context
      .enumerateIndirectObjects()
      .map(([, o]) => o)
      .filter((o): o is PDFDict => o instanceof PDFDict && o.get(PDFName.of('S')) === PDFName.of('Figure'))
      .map((f) => f.lookupMaybe(PDFName.of('Alt'), PDFString)?.decodeText())
      .filter((alt) => alt !== undefined);
    expect(figures).to.have.length(3);
    expect(figures.find((a) => a.startsWith('Failing results by severity'))).to.match(/1 high, 1 medium/);
    expect(figures.find((a) => a.startsWith('Detections per day'))).to.contain('3 over 92 day(s)');
  });

  it('names the section in the running header of each of its pages, and none on the cover', () => {
    expect(headerLine(file, 1)).to.not.match(/Executive summary|Contents/);
    const sections = bookmarks.filter((b) => b.depth === 0);
    sections.forEach((b, i) => {
      const last = (sections[i + 1]?.page ?? Number(pdfInfo(file).Pages) + 1) - 1;
      // A section that starts below another on the same page takes over from that page on.
      if (sections[i + 1]?.page === b.page) return;
      for (let p = b.page; p <= last; p++) {
        const header = headerLine(file, p);
        expect(header, `page ${p}`).to.contain(b.title).and.to.contain('Example Corp · 1 Jul 2026 to 30 Sep 2026').and.to.contain(`run ${findings.run.id}`);
      }
    });
  });

  it('does not break identifiers, dates or hashes across lines', () => {
    const raw = run('pdftotext', ['-raw', file, '-']);
    expect(raw).to.contain('trail.log-integrity');
    expect(raw).to.not.contain('trail.log-\nintegrity');
    expect(raw).to.not.match(/\b\d{4}-\n\d{2}-\d{2}\b|\b\d{4}-\d{2}-\n\d{2}\b/);
    for (const hash of [bundle.manifestSha256, findings.run.id]) {
      const lines = raw.split('\n');
      expect(lines.some((l) => l.includes(hash)), hash).to.equal(true);
      for (let cut = 4; cut < hash.length - 3; cut++) expect(raw, `${hash} cut at ${cut}`).to.not.contain(`${hash.slice(0, cut)}\n${hash.slice(cut)}`);
    }
  });

  it('prints a report over the tagging weight untagged, still with its outline, language and section headers', async () => {
    const { html, view, templates } = renderReportHtml(findings, { generatedAt: new Date('2026-10-01T07:00:00Z') });
    const out = join(dir, 'untagged.pdf');
    writeFileSync(out, await printPdf(html, view, { header: templates.render('pdf-header.hbs', view), footer: templates.render('pdf-footer.hbs', view) }, browser, 'a4', { taggedWeight: 0 }));
    expect(pdfInfo(out).Tagged).to.equal('no');
    const marks = outline(out);
    expect(marks.filter((b) => b.depth === 0).map((b) => b.title)).to.include.members(['Executive summary', 'Every result', 'Reviewer sign-off']);
    const summary = marks.find((b) => b.title === 'Executive summary');
    expect(headerLine(out, summary?.page ?? 0)).to.contain('Executive summary');
    const doc = await loadPdf(readFileSync(out), out);
    expect(doc.catalog.lookup(PDFName.of('Lang'), PDFString).decodeText()).to.equal('en');
  });
});

describe('PDF outline', () => {
  it('nests bookmarks by level, leaves out headings that landed on no page, and counts those over the limit', async () => {
    const doc = await PDFDocument.create();
    const pages = [doc.addPage(), doc.addPage()];
    const dests = doc.context.obj({ a: [pages[0]?.ref, 'XYZ', 0, 800, 0], b: [pages[1]?.ref, 'XYZ', 0, 800, 0] });
    doc.catalog.set(PDFName.of('Dests'), doc.context.register(dests));
    const entries = [
      { anchor: 'a', title: 'One', level: 1 },
      { anchor: 'b', title: 'One point one', level: 2 },
      { anchor: 'nowhere', title: 'Not printed', level: 1 },
    ];
    expect(setOutline(doc, entries, 7)).to.equal(3);
    const title = (d: PDFDict | undefined): string | undefined => d?.lookupMaybe(PDFName.of('Title'), PDFHexString)?.decodeText();
    const first = doc.catalog.lookup(PDFName.of('Outlines'), PDFDict).lookup(PDFName.of('First'), PDFDict);
    expect(title(first)).to.equal('One');
    expect(title(first.lookupMaybe(PDFName.of('First'), PDFDict))).to.equal('One point one');
    expect(first.lookup(PDFName.of('Count'), PDFNumber).asNumber()).to.equal(-1);
    const next = first.lookupMaybe(PDFName.of('Next'), PDFDict);
    expect(title(next)).to.equal('7 more headings are not bookmarked (at most 3)');
    expect(next?.lookupMaybe(PDFName.of('Next'), PDFDict)).to.equal(undefined);
  });
});
