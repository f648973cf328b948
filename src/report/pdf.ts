// The report as PDF: the HTML document printed by headless Chromium (one browser per run, shared), with a
// running header and "page X of Y" footer, table-of-contents page numbers read back from the PDF's own
// named destinations, and document metadata written into the file.
import type { Page, PDFOptions } from 'puppeteer-core';
import { TrailproofError, errorMessage } from '../errors.js';
import type { Findings } from '../model/types.js';
import { SharedBrowser } from './browser.js';
import type { BrowserSession, Paper, RenderContext } from './context.js';
import { renderReportHtml } from './html.js';
import type { ReportView } from './model.js';
import { PdfFile } from './pdf-file.js';
import { PdfUpdate, replaceLeadingPages, type PdfInfo } from './pdf-update.js';

const PAGE_TIMEOUT_MS = 300_000;

export function pdfOptions(paper: Paper, header: string, footer: string): PDFOptions {
  return {
    format: paper === 'letter' ? 'Letter' : 'A4',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: header,
    footerTemplate: footer,
    margin: { top: '17mm', bottom: '15mm', left: '14mm', right: '14mm' },
    preferCSSPageSize: false,
    // Untagged: a structure tree for thousands of table rows multiplies print time and file size.
    tagged: false,
    outline: false,
    timeout: PAGE_TIMEOUT_MS,
  };
}

export function pdfInfo(view: ReportView): PdfInfo {
  return {
    title: `${view.title}: ${view.organization}, ${view.period.text}`,
    author: view.organization,
    subject: `Evidence of CloudTrail logging and monitoring controls for ${view.organization}, ${view.period.text}: ${view.verdict.headline}. Run ${view.run.id}.`,
    keywords: ['CloudTrail', 'compliance', 'audit evidence', ...view.frameworks.map((f) => f.id), `run ${view.run.id}`, `findings sha256 ${view.appendix.findingsSha256}`].join(', '),
    creator: `trailproof ${view.run.toolVersion}`,
    producer: `trailproof ${view.run.toolVersion} with Chromium (Skia/PDF)`,
    created: new Date(view.generatedAt),
    custom: { TrailproofRunId: view.run.id, TrailproofFindingsSHA256: view.appendix.findingsSha256 },
  };
}

// Run in the page (as strings: the project's TypeScript has no DOM types). FILL_TOC writes page numbers
// into the contents without moving anything (the number column has a fixed width); FRONT_ONLY leaves only
// what comes before <main> (the cover and the contents), so those pages can be printed again cheaply.
const FILL_TOC = `(numbers) => { for (const el of document.querySelectorAll('.toc-page')) { const n = numbers[el.getAttribute('data-for')]; el.textContent = n === undefined ? '' : String(n); } }`;
const FRONT_ONLY = `(() => { const main = document.querySelector('main'); if (!main) return false; while (main.nextSibling) main.nextSibling.remove(); main.remove(); return true; })()`;

const PRINT_ONLY = '<style>@media screen { body { display: none; } }</style>';

/** Only data: URIs may load; anything else (a template that links out) is refused, so printing stays offline. */
async function offline(page: Page): Promise<void> {
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url === 'about:blank') void request.continue();
    else void request.abort('blockedbyclient');
  });
}

/**
 * Header and footer for printing the front pages alone: "of Y" must still say the whole document's page
 * count, so the totalPages placeholder becomes that number. Undefined when a template uses totalPages in a
 * form this cannot rewrite (then the whole document is printed again instead).
 */
export function fixTotalPages(template: string, total: number): string | undefined {
  const rewritten = template.replace(/<span class=(["'])totalPages\1>\s*<\/span>/g, `<span>${total}</span>`);
  return rewritten.includes('totalPages') ? undefined : rewritten;
}

/** The slow path: the whole document printed again with its contents numbered. */
async function reprint(page: Page, html: string, numbers: Record<string, unknown>, options: PDFOptions): Promise<PdfUpdate> {
  await page.setContent(html.replace('</head>', `${PRINT_ONLY}</head>`), { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
  await page.evaluate(`(${FILL_TOC})(${JSON.stringify(numbers)})`);
  return new PdfUpdate(new PdfFile(await page.pdf(options)));
}

/** Prints already rendered HTML to PDF in a tab of `browser`. */
export async function printPdf(html: string, view: ReportView, templates: { header: string; footer: string }, browser: BrowserSession, paper: Paper = 'a4'): Promise<Uint8Array> {
  const page = await browser.newPage();
  try {
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    await offline(page);
    // The document is only printed: hidden on screen, it is laid out once, for print, not twice.
    await page.setContent(html.replace('</head>', `${PRINT_ONLY}</head>`), { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
    const options = pdfOptions(paper, templates.header, templates.footer);
    const printed = new PdfFile(await page.pdf(options));
    const dests = printed.namedDestinations();
    const numbers = Object.fromEntries(view.toc.map((t) => [t.anchor, dests.get(t.anchor)]).filter(([, n]) => n !== undefined));
    await page.evaluate(`(${FILL_TOC})(${JSON.stringify(numbers)})`);
    const total = printed.pages().length;
    const header = fixTotalPages(templates.header, total);
    const footer = fixTotalPages(templates.footer, total);
    let update: PdfUpdate;
    if (Object.keys(numbers).length === 0) update = new PdfUpdate(printed);
    else if (header !== undefined && footer !== undefined && (await page.evaluate(FRONT_ONLY)) === true) {
      // The cover and contents alone, now numbered, take the place of the first pages, provided they are
      // exactly the pages before the first section; otherwise the whole document is printed again.
      const front = new PdfFile(await page.pdf(pdfOptions(paper, header, footer)));
      const firstSection = Math.min(...(Object.values(numbers) as number[]));
      if (front.pages().length === firstSection - 1) {
        update = new PdfUpdate(printed);
        replaceLeadingPages(update, front, front.pages().length);
      } else update = await reprint(page, html, numbers, options);
    } else update = await reprint(page, html, numbers, options);
    update.setInfo(pdfInfo(view));
    return update.bytes();
  } catch (err) {
    if (err instanceof TrailproofError) throw err;
    throw new TrailproofError('TP_OUTPUT_FAILED', `printing the PDF report in Chromium failed: ${errorMessage(err).split('\n')[0] ?? ''}`, { cause: err });
  } finally {
    await page.close().catch(() => undefined);
  }
}

export async function renderReportPdf(findings: Findings, ctx: RenderContext = {}): Promise<Uint8Array> {
  const { html, view, templates } = renderReportHtml(findings, ctx);
  const header = templates.render('pdf-header.hbs', view);
  const footer = templates.render('pdf-footer.hbs', view);
  const own = ctx.browser ? undefined : new SharedBrowser();
  try {
    return await printPdf(html, view, { header, footer }, ctx.browser ?? (own as SharedBrowser), ctx.paper ?? 'a4');
  } finally {
    await own?.close();
  }
}
