// The report as PDF: the HTML document printed by headless Chromium (one browser per run, shared), with a
// running header (naming the section) and "page X of Y" footer, table-of-contents page numbers read back
// from the PDF's own named destinations, an outline of the report's headings, its language, and document
// information written into the file (pdf-finish.ts, with @cantoo/pdf-lib). A long report is printed part by
// part (see printInParts): Chromium holds the layout of everything it prints at once, so printing the whole
// document in one go needs several hundred MB more than printing its largest section. A report up to
// TAGGED_WEIGHT is printed as a tagged PDF (a structure tree for assistive technology).
import type { CDPSession, Page, PDFOptions } from 'puppeteer-core';
import { TrailproofError, errorMessage } from '../errors.js';
import type { Findings } from '../model/types.js';
import { SharedBrowser } from './browser.js';
import type { BrowserSession, Paper, RenderContext } from './context.js';
import { renderReportHtml } from './html.js';
import type { ReportView } from './model.js';
import type { PDFDocument } from '@cantoo/pdf-lib';
import { loadPdf, namedDestinations } from './pdf-file.js';
import { drawSectionHeaders, savePdf, setInfo, setLanguage, setOutline, type PdfInfo } from './pdf-finish.js';
import { joinPages, replaceLeadingPages } from './pdf-join.js';
import { KEEP_WHOLE, MAX_KEPT_TOKENS, MAX_OUTLINE_ENTRIES, PREPARE, type Prepared } from './pdf-page.js';
import { sealPage, type SealedPage } from './seal.js';

const PAGE_TIMEOUT_MS = 300_000;

/**
 * Sections are printed together up to this weight (elements, plus text in hundreds of characters), or the
 * heaviest section's if that is more: a report under it is printed whole. About 80 pages of tables.
 */
export const PART_WEIGHT = 25_000;

/**
 * A report up to this weight (the same measure) is printed tagged, with identifiers kept whole across line
 * ends (KEEP_WHOLE). For a large report each doubles Chromium's work and adds 150-200 MB (bench:report, 5,000
 * results: over 1 GB), so a heavier one is printed without them, with its outline, section header and
 * language all the same.
 */
export const TAGGED_WEIGHT = PART_WEIGHT;


export function pdfOptions(paper: Paper, header: string, footer: string, tagged = false): PDFOptions {
  return {
    format: paper === 'letter' ? 'Letter' : 'A4',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: header,
    footerTemplate: footer,
    margin: { top: '17mm', bottom: '15mm', left: '14mm', right: '14mm' },
    preferCSSPageSize: false,
    tagged,
    // The outline is written afterwards from the headings (setOutline): Chromium's needs a tagged PDF.
    outline: false,
    timeout: PAGE_TIMEOUT_MS,
  };
}

export function pdfInfo(view: ReportView): PdfInfo {
  return {
    title: `${view.title}: ${view.organization}, ${view.period.text}`,
    author: view.organization,
    subject: `Evidence of CloudTrail logging and monitoring controls for ${view.organization}, ${view.period.text}: ${view.verdict.headline}. Run ${view.run.id}.`,
    keywords: ['CloudTrail', 'compliance', 'audit evidence', ...view.frameworks.map((f) => f.id), `run ${view.run.id}`, `findings sha256 ${view.appendix.findingsSha256}`, ...(view.signing ? [`signing key sha256 ${view.signing.keyid}`] : [])].join(', '),
    creator: `trailproof ${view.run.toolVersion}`,
    producer: `trailproof ${view.run.toolVersion} with Chromium (Skia/PDF) and pdf-lib`,
    created: new Date(view.generatedAt),
    custom: { TrailproofRunId: view.run.id, TrailproofFindingsSHA256: view.appendix.findingsSha256, ...(view.signing ? { TrailproofSigningKeySHA256: view.signing.keyid } : {}) },
  };
}

// Run in the page (as strings: the project's TypeScript has no DOM types). FILL_TOC writes page numbers
// into the contents without moving anything (the number column has a fixed width) and says how many it
// filled; FRONT_ONLY leaves only what comes before <main> (the cover and the contents), so those pages can
// be printed again cheaply.
const FILL_TOC = `(numbers) => { const cells = document.querySelectorAll('.toc-page'); for (const el of cells) { const n = numbers[el.getAttribute('data-for')]; el.textContent = n === undefined ? '' : String(n); } return cells.length; }`;
const FRONT_ONLY = `(() => { const main = document.querySelector('main'); if (!main) return false; while (main.nextSibling) main.nextSibling.remove(); main.remove(); return true; })()`;

/**
 * Looks at the document for printing in parts: the front (the cover and contents, before <main>) and the
 * sections (children of <main>). Returns why it cannot be, or each section's weight. Keeps what the later
 * steps need on window.__trailproofParts: show(indices) leaves those sections alone visible, showFront()
 * the front alone, showAll() everything. What is not printed is hidden (display: none), not removed: it
 * takes no layout, and the document keeps its structure (selectors match as before), its links and their
 * targets (Chromium writes a link only when its target is in the document, and a named destination only
 * for a target that a link in the document points at and that is laid out).
 */
const ANALYSE = `(() => {
  const main = document.querySelector('body > main');
  if (!main) return 'no <main> in <body>';
  const text = (n) => n.nodeType !== 1 && n.nodeType !== 8 && n.textContent.trim() !== '';
  const nodes = [...document.body.childNodes];
  const at = nodes.indexOf(main);
  const front = nodes.slice(0, at).filter((n) => n.nodeType === 1);
  if (nodes.slice(at + 1).some((n) => n.nodeType === 1 || text(n))) return 'content after <main>';
  if (front.length === 0) return 'nothing before <main>';
  if (nodes.slice(0, at).some(text) || [...main.childNodes].some(text)) return 'text outside the sections';
  const sections = [...main.children];
  if (sections.length < 2) return 'fewer than two sections';
  // An @page rule could move the header and footer; a counter would restart in every part.
  const unsafe = (rules) => [...rules].some((r) => r instanceof CSSPageRule || /counter-(increment|set)/.test(r.cssText) || (r.cssRules !== undefined && unsafe(r.cssRules)));
  for (const sheet of document.styleSheets) {
    try { if (unsafe(sheet.cssRules)) return 'an @page rule or a CSS counter'; } catch { return 'a style sheet that cannot be read'; }
  }
  const inline = new Map([main, ...front, ...sections].map((el) => [el, [el.style.getPropertyValue('display'), el.style.getPropertyPriority('display')]]));
  const visible = (el, yes) => { if (yes) el.style.setProperty('display', ...inline.get(el)); else el.style.setProperty('display', 'none', 'important'); };
  window.__trailproofParts = {
    main, front, sections,
    show(indices) { for (const el of front) visible(el, false); visible(main, true); sections.forEach((el, i) => visible(el, indices.includes(i))); },
    showFront() { for (const el of front) visible(el, true); visible(main, false); },
    showAll() { for (const el of inline.keys()) visible(el, true); },
  };
  return sections.map((el) => el.getElementsByTagName('*').length + 1 + Math.round(el.textContent.length / 100));
})()`;

/**
 * With print styles in force and everything hidden beforehand (else switching to print media would lay the
 * whole document out, for the screen), checks that printing the front
 * and the sections apart paginates as printing them together would: a forced page break between each two,
 * and nothing of <main>'s own box (margin, border, padding) that would be repeated at the top of every part.
 */
const CHECK_BREAKS = `(() => {
  const { main, front, sections } = window.__trailproofParts;
  const forced = (v) => v === 'page' || v === 'always';
  const box = getComputedStyle(main);
  const units = [front[front.length - 1], ...sections];
  const flat = ['margin-top', 'margin-bottom', 'padding-top', 'padding-bottom', 'border-top-width', 'border-bottom-width'].every((p) => parseFloat(box.getPropertyValue(p)) === 0);
  return flat && units.slice(1).every((el, i) => forced(getComputedStyle(units[i]).breakAfter) || forced(getComputedStyle(el).breakBefore));
})()`;

const PRINT_ONLY = '<style>@media screen { body { display: none; } }</style>';

/**
 * Header and footer for printing the front pages alone: "of Y" must still say the whole document's page
 * count, so the totalPages placeholder becomes that number. Undefined when a template uses totalPages in a
 * form this cannot rewrite (then the whole document is printed again instead).
 */
export function fixTotalPages(template: string, total: number): string | undefined {
  const rewritten = template.replace(/<span class=(["'])totalPages\1>\s*<\/span>/g, `<span>${total}</span>`);
  return rewritten.includes('totalPages') ? undefined : rewritten;
}

/** Consecutive sections in groups, each no heavier than `budget` unless a single section is. */
export function groupSections(weights: number[], budget: number): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let sum = 0;
  weights.forEach((w, i) => {
    if (current.length > 0 && sum + w > budget) {
      groups.push(current);
      current = [];
      sum = 0;
    }
    current.push(i);
    sum += w;
  });
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Blank pages, as many as the report has, on which Chromium prints the header and footer alone. */
export function overlayHtml(title: string, pages: number): string {
  const text = title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${text}</title><style>html, body { margin: 0; background: none; } tp-page { display: block; height: 1px; break-after: page; }</style></head><body>${'<tp-page></tp-page>'.repeat(pages)}</body></html>`;
}

/**
 * The document with PRINT_ONLY at the end of its <head>: the last `</head>` before `<body`, since the head's
 * inline script (templates/report.js, or a --templates one) may hold the text `</head>` in a string.
 */
export function withPrintStyle(html: string): string {
  const body = html.search(/<body[\s>]/i);
  const at = body < 0 ? html.indexOf('</head>') : html.lastIndexOf('</head>', body);
  return at < 0 ? `${PRINT_ONLY}${html}` : `${html.slice(0, at)}${PRINT_ONLY}${html.slice(at)}`;
}

/** Shows the document for printing, with tokens kept whole in a report up to `taggedWeight` (then tagged). */
async function setReport(page: Page, sealed: SealedPage, html: string, taggedWeight: number): Promise<Prepared & { tagged: boolean }> {
  // The document is only printed: hidden on screen, it is laid out once, for print, not twice.
  await sealed.show(withPrintStyle(html), PAGE_TIMEOUT_MS);
  const prepared = (await page.evaluate(`(${PREPARE})(${MAX_OUTLINE_ENTRIES})`)) as Prepared;
  const tagged = prepared.weight <= taggedWeight;
  if (tagged) await page.evaluate(`(${KEEP_WHOLE})(${MAX_KEPT_TOKENS})`);
  return { ...prepared, tagged };
}

/** Document information, language, outline and the sections' names in the running header; the file's bytes. */
async function finish(doc: PDFDocument, view: ReportView, prepared: Prepared): Promise<Uint8Array> {
  setInfo(doc, pdfInfo(view));
  setLanguage(doc, prepared.lang);
  setOutline(doc, prepared.entries, prepared.leftOut);
  await drawSectionHeaders(doc, prepared.entries);
  return savePdf(doc);
}

async function printed(page: Page, options: PDFOptions, what: string): Promise<PDFDocument> {
  return loadPdf(await page.pdf(options), what);
}

/**
 * The whole document printed at once, then the cover and contents again with the contents numbered (or,
 * tagged, the whole again: replacing pages would leave the structure tree pointing at the old ones).
 */
async function printWhole(page: Page, sealed: SealedPage, html: string, view: ReportView, templates: { header: string; footer: string }, paper: Paper, prepared: Prepared, tagged: boolean): Promise<Uint8Array> {
  const options = pdfOptions(paper, templates.header, templates.footer, tagged);
  const whole = await printed(page, options, 'the printed report');
  const dests = namedDestinations(whole);
  const numbers = Object.fromEntries(view.toc.map((t) => [t.anchor, dests.get(t.anchor)]).filter(([, n]) => n !== undefined));
  if (Object.keys(numbers).length === 0) return finish(whole, view, prepared);
  await page.evaluate(`(${FILL_TOC})(${JSON.stringify(numbers)})`);
  if (tagged) return finish(await printed(page, options, 'the printed report'), view, prepared);
  const total = whole.getPageCount();
  const header = fixTotalPages(templates.header, total);
  const footer = fixTotalPages(templates.footer, total);
  if (header !== undefined && footer !== undefined && (await page.evaluate(FRONT_ONLY)) === true) {
    // The cover and contents alone, now numbered, take the place of the first pages, provided they are
    // exactly the pages before the first section; otherwise the whole document is printed again.
    const front = await printed(page, pdfOptions(paper, header, footer), 'the printed contents');
    const firstSection = Math.min(...(Object.values(numbers) as number[]));
    if (front.getPageCount() === firstSection - 1) {
      replaceLeadingPages(whole, front, front.getPageCount());
      return finish(whole, view, prepared);
    }
  }
  const again = await setReport(page, sealed, html, tagged ? Number.POSITIVE_INFINITY : 0);
  await page.evaluate(`(${FILL_TOC})(${JSON.stringify(numbers)})`);
  return finish(await printed(page, options, 'the printed report'), view, again);
}

/**
 * Prints the sections group by group, the rest of the document hidden (forced page breaks between sections
 * make that paginate exactly as the whole would), collecting garbage in between so that the browser never holds
 * more than one group's layout; then the front with the contents numbered; then the header and footer on
 * as many blank pages as there are, drawn over the pages when they are joined. Untagged: the parts' structure
 * trees are not joined.
 */
async function printInParts(page: Page, sealed: SealedPage, groups: number[][], view: ReportView, templates: { header: string; footer: string }, paper: Paper, prepared: Prepared): Promise<Uint8Array> {
  const bare: PDFOptions = { ...pdfOptions(paper, '', ''), displayHeaderFooter: false };
  const session: CDPSession = await page.createCDPSession();
  try {
    const parts: PDFDocument[] = [];
    for (const group of groups) {
      await page.evaluate(`window.__trailproofParts.show(${JSON.stringify(group)})`);
      await session.send('HeapProfiler.collectGarbage');
      parts.push(await printed(page, bare, 'a printed part of the report'));
    }
    await page.evaluate('window.__trailproofParts.showFront()');
    await session.send('HeapProfiler.collectGarbage');
    // Where each anchor is, counted from the first page after the front.
    const located = new Map<string, number>();
    let before = 0;
    for (const part of parts) {
      for (const [name, n] of namedDestinations(part)) if (!located.has(name)) located.set(name, before + n);
      before += part.getPageCount();
    }
    // The contents' numbers depend on how many pages the front takes, known once it is printed: print it
    // until the numbers it shows are the ones that hold (twice, unless the contents have no numbers).
    let front: PDFDocument | undefined;
    let shown = '';
    for (let attempt = 0; ; attempt++) {
      const frontPages = front?.getPageCount() ?? 0;
      const inFront = front ? namedDestinations(front) : new Map<string, number>();
      const numbers = Object.fromEntries(view.toc.map((t) => [t.anchor, inFront.get(t.anchor) ?? (located.has(t.anchor) ? frontPages + (located.get(t.anchor) as number) : undefined)]).filter(([, n]) => n !== undefined));
      const key = `${frontPages} ${JSON.stringify(numbers)}`;
      if (front && key === shown) break;
      if (attempt === 4) throw new TrailproofError('TP_OUTPUT_FAILED', 'printing the PDF report: the contents pages change length with their own page numbers');
      shown = key;
      const cells = (await page.evaluate(`(${FILL_TOC})(${JSON.stringify(numbers)})`)) as number;
      front = await printed(page, bare, 'the printed contents');
      if (cells === 0) break;
    }
    const total = front.getPageCount() + before;
    const title = (await page.evaluate('document.title')) as string;
    await sealed.show(overlayHtml(title, total), PAGE_TIMEOUT_MS);
    const overlay = await printed(page, pdfOptions(paper, templates.header, templates.footer), 'the printed header and footer');
    return await finish(await joinPages([front, ...parts], overlay), view, prepared);
  } finally {
    await session.detach().catch(() => undefined);
  }
}

export interface PrintOptions {
  /** Largest weight printed at once (see PART_WEIGHT). */
  partWeight?: number;
  /** Largest weight printed tagged (see TAGGED_WEIGHT). */
  taggedWeight?: number;
}

/** Prints already rendered HTML to PDF in a tab of `browser`. */
export async function printPdf(html: string, view: ReportView, templates: { header: string; footer: string }, browser: BrowserSession, paper: Paper = 'a4', options: PrintOptions = {}): Promise<Uint8Array> {
  const page = await browser.newPage();
  try {
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    const sealed = await sealPage(page);
    const prepared = await setReport(page, sealed, html, options.taggedWeight ?? TAGGED_WEIGHT);
    const { tagged } = prepared;
    const weights = (await page.evaluate(ANALYSE)) as number[] | string;
    const groups = typeof weights === 'string' ? [] : groupSections(weights, Math.max(options.partWeight ?? PART_WEIGHT, ...weights));
    if (groups.length < 2) return await printWhole(page, sealed, html, view, templates, paper, prepared, tagged);
    await page.evaluate('window.__trailproofParts.show([])');
    await page.emulateMediaType('print');
    const apart = (await page.evaluate(CHECK_BREAKS)) as boolean;
    await page.emulateMediaType();
    if (apart) return await printInParts(page, sealed, groups, view, templates, paper, prepared);
    await page.evaluate('window.__trailproofParts.showAll()');
    return await printWhole(page, sealed, html, view, templates, paper, prepared, tagged);
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
