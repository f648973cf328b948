import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { benchFindings } from '../../bench/report-data.js';
import type { Findings } from '../../src/model/types.js';
import { SharedBrowser } from '../../src/report/browser.js';
import type { BrowserSession, RenderContext } from '../../src/report/context.js';
import { renderReportHtml } from '../../src/report/html.js';
import { PDFArray, PDFDict, PDFName, type PDFDocument } from '@cantoo/pdf-lib';
import { loadPdf, namedDestinations } from '../../src/report/pdf-file.js';
import { savePdf } from '../../src/report/pdf-finish.js';
import { joinPages } from '../../src/report/pdf-join.js';
import { groupSections, overlayHtml, printPdf, type PrintOptions } from '../../src/report/pdf.js';
import { builtinTemplatesDir } from '../../src/report/templates.js';
import { fixtureFindings, previousFindings, writeFixtureBundle } from './fixtures.js';
import { outline, pdfInfo as readInfo, qpdfCheck, requireReal, run } from './real-tools.js';

/** Counts the PDFs printed in the tabs it hands out. */
class PrintCounting implements BrowserSession {
  prints = 0;
  constructor(private readonly inner: BrowserSession) {}
  async newPage(): Promise<Page> {
    const page = await this.inner.newPage();
    const pdf = page.pdf.bind(page);
    page.pdf = (options) => {
      this.prints++;
      return pdf(options);
    };
    return page;
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

interface Printed {
  file: string;
  prints: number;
}

/** Every internal link as "page -> destination name", and where each name goes. */
async function links(file: string): Promise<{ links: string[]; dests: Map<string, number> }> {
  const pdf = await loadPdf(readFileSync(file), file);
  const out: string[] = [];
  pdf.getPages().forEach((page, i) => {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (let a = 0; a < (annots?.size() ?? 0); a++) {
      const dest = annots?.lookupMaybe(a, PDFDict)?.get(PDFName.of('Dest'));
      if (dest instanceof PDFName) out.push(`${i + 1} -> ${dest.decodeText()}`);
    }
  });
  return { links: out, dests: namedDestinations(pdf) };
}

/** A templates folder whose report.css is the built-in one with `css` added. */
function withCss(css: string): string {
  const templatesDir = mkdtempSync(join(tmpdir(), 'trailproof-parts-css-'));
  writeFileSync(join(templatesDir, 'report.css'), `${readFileSync(join(builtinTemplatesDir, 'report.css'), 'utf8')}\n${css}\n`);
  return templatesDir;
}

describe('PDF report printed part by part (real Chromium)', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-pdf-parts-'));
  let browser: SharedBrowser;

  async function print(findings: Findings, name: string, options: PrintOptions, ctx: RenderContext = {}): Promise<Printed> {
    const { html, view, templates } = renderReportHtml(findings, { generatedAt: new Date('2026-10-01T07:00:00Z'), ...ctx });
    const counting = new PrintCounting(browser);
    const bytes = await printPdf(html, view, { header: templates.render('pdf-header.hbs', view), footer: templates.render('pdf-footer.hbs', view) }, counting, 'a4', options);
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, bytes);
    return { file, prints: counting.prints };
  }

  /** The text of every page, as poppler lays it out. */
  function pages(file: string): string[] {
    return run('pdftotext', ['-layout', file, '-']).split('\f').slice(0, -1);
  }

  before(function () {
    requireReal(this, { chromium: true, tools: ['pdftotext', 'pdfinfo'] });
    browser = new SharedBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  for (const [label, findings, ctx] of [
    ['the demo audit', () => fixtureFindings(writeFixtureBundle()), (f: Findings) => ({ previous: previousFindings(f), branding: { organizationName: 'Example Corp' } })],
    ['a larger synthetic audit', () => benchFindings(600, 300), () => ({})],
    // Sections not printed are hidden, not removed: selectors that count siblings match as in the whole.
    ['the demo audit with CSS that counts sections', () => fixtureFindings(), () => ({ templatesDir: withCss('main > section:nth-child(3) h2::after { content: " (third)"; } section + section + section + section h2::before { content: "4+ "; }') })],
  ] as const) {
    it(`prints ${label} part by part page for page as it prints it whole: text, contents numbers, "page X of Y", links`, async function () {
      const f = findings();
      const whole = await print(f, `${label}-whole`, { partWeight: Number.POSITIVE_INFINITY }, ctx(f));
      const parts = await print(f, `${label}-parts`, { partWeight: 1 }, ctx(f));
      expect(whole.prints, 'whole: the document, then the numbered contents').to.be.at.most(2);
      expect(parts.prints, 'parts: each section, the contents twice, the header and footer').to.be.greaterThan(5);
      const expected = pages(whole.file);
      if (label.includes('counts sections')) expect(expected.join('').match(/\(third\)/g)).to.have.length(1);
      const actual = pages(parts.file);
      expect(actual.length).to.equal(expected.length);
      actual.forEach((text, i) => {
        expect(text, `page ${i + 1}`).to.equal(expected[i]);
        expect(text, `page ${i + 1}`).to.contain(`page ${i + 1} of ${actual.length}`);
      });
      const a = await links(parts.file);
      const e = await links(whole.file);
      expect(a.links).to.deep.equal(e.links);
      expect([...a.dests].sort()).to.deep.equal([...e.dests].sort());
      expect(a.links.length).to.be.greaterThan(5);
      for (const link of a.links) expect(a.dests.has(link.split(' -> ')[1] as string), link).to.equal(true);
      const [wi, pi] = [readInfo(whole.file), readInfo(parts.file)];
      for (const key of ['Title', 'Author', 'Subject', 'Keywords', 'Creator', 'CreationDate', 'Page size']) expect(pi[key], key).to.equal(wi[key]);
      expect(qpdfCheck(this, parts.file)).to.contain('No syntax or stream encoding errors');
      const bookmarks = outline(parts.file);
      expect(bookmarks).to.deep.equal(outline(whole.file));
      expect(bookmarks.filter((b) => b.depth === 0).map((b) => b.title)).to.include.members(['Contents', 'Executive summary', 'Every result']);
    });
  }

  for (const [label, css] of [
    ['sections that flow on from one another', '@media print { .chapter { break-before: auto !important; page-break-before: auto !important; } }'],
    ['an @page rule', '@page { margin: 20mm 14mm; }'],
    ['a CSS counter across sections', 'body { counter-reset: chapter; } h2 { counter-increment: chapter; } h2::before { content: counter(chapter) ". "; }'],
  ] as const) {
    it(`prints a report with ${label} whole, still numbered`, async () => {
      const printed = await print(fixtureFindings(), label.replace(/\W+/g, '-'), { partWeight: 1 }, { templatesDir: withCss(css) });
      expect(printed.prints).to.be.at.most(2);
      const text = pages(printed.file);
      text.forEach((t, i) => expect(t, `page ${i + 1}`).to.contain(`page ${i + 1} of ${text.length}`));
      const toc = text[1] as string;
      const summaryPage = Number(/Executive summary\s+(\d+)/.exec(toc)?.[1]);
      expect(text[summaryPage - 1]).to.contain('Executive summary');
    });
  }

  it('joins pages of several PDFs with the header and footer drawn over each, and refuses a count that differs', async function () {
    const page = await browser.newPage();
    try {
      const printed = async (html: string, footer?: string): Promise<PDFDocument> => {
        await page.setContent(html);
        return loadPdf(await page.pdf({ format: 'A4', ...(footer ? { displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: footer } : {}) }), 'a test print');
      };
      const two = await printed('<p>first part, one</p><p style="break-before: page">first part, two</p>');
      const three = await printed('<p>second, one</p><p style="break-before: page">second, two</p><p style="break-before: page">second, three</p>');
      const overlay = await printed(overlayHtml('five', 5), '<div style="font-size: 10px">sheet <span class="pageNumber"></span>/<span class="totalPages"></span></div>');
      let refused: unknown;
      await joinPages([two], overlay).catch((err: unknown) => (refused = err));
      expect(String(refused)).to.match(/header and footer were printed on 5 pages for a report of 2/);
      const file = join(dir, 'joined.pdf');
      writeFileSync(file, await savePdf(await joinPages([two, three], overlay)));
      const text = pages(file);
      expect(text).to.have.length(5);
      expect(text[3]).to.contain('second, two').and.to.contain('sheet 4/5');
      expect(text[0]).to.contain('first part, one').and.to.contain('sheet 1/5');
      expect(qpdfCheck(this, file)).to.contain('No syntax or stream encoding errors');
    } finally {
      await page.close();
    }
  });
});

describe('PDF report parts', () => {
  it('groups consecutive sections up to the budget, a heavier section alone', () => {
    expect(groupSections([5, 5, 5, 30, 2, 2], 12)).to.deep.equal([[0, 1], [2], [3], [4, 5]]);
    expect(groupSections([1, 1, 1], 10)).to.deep.equal([[0, 1, 2]]);
    expect(groupSections([], 10)).to.deep.equal([]);
  });

  it('writes blank pages for the header and footer under the report title, escaped', () => {
    const html = overlayHtml('Q3 <audit> & more', 3);
    expect(html).to.contain('<title>Q3 &lt;audit&gt; &amp; more</title>');
    expect(html.match(/<tp-page>/g)).to.have.length(3);
  });
});
