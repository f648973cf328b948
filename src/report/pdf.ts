// The report as PDF: the HTML document printed by headless Chromium (one browser per run, shared), with a
// running header and "page X of Y" footer, table-of-contents page numbers read back from the PDF's own
// named destinations, and document information written into the file. A long report is printed part by
// part (see printInParts): Chromium holds the layout of everything it prints at once, so printing the whole
// document in one go needs several hundred MB more than printing its largest section.
import type { CDPSession, Page, PDFOptions } from 'puppeteer-core';
import { TrailproofError, errorMessage } from '../errors.js';
import type { Findings } from '../model/types.js';
import { SharedBrowser } from './browser.js';
import type { BrowserSession, Paper, RenderContext } from './context.js';
import { renderReportHtml } from './html.js';
import type { ReportView } from './model.js';
import { PdfFile } from './pdf-file.js';
import { joinPages } from './pdf-join.js';
import { PdfUpdate, replaceLeadingPages, type PdfInfo } from './pdf-update.js';

const PAGE_TIMEOUT_MS = 300_000;

/**
 * Sections are printed together up to this weight (elements, plus text in hundreds of characters), or the
 * heaviest section's if that is more: a report under it is printed whole. About 80 pages of tables.
 */
export const PART_WEIGHT = 25_000;

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
// into the contents without moving anything (the number column has a fixed width) and says how many it
// filled; FRONT_ONLY leaves only what comes before <main> (the cover and the contents), so those pages can
// be printed again cheaply.
const FILL_TOC = `(numbers) => { const cells = document.querySelectorAll('.toc-page'); for (const el of cells) { const n = numbers[el.getAttribute('data-for')]; el.textContent = n === undefined ? '' : String(n); } return cells.length; }`;
const FRONT_ONLY = `(() => { const main = document.querySelector('main'); if (!main) return false; while (main.nextSibling) main.nextSibling.remove(); main.remove(); return true; })()`;

/**
 * Looks at the document for printing in parts: the front (the cover and contents, before <main>) and the
 * sections (children of <main>). Returns why it cannot be, or each section's weight. Keeps what the later
 * steps need on window.__trailproofParts: show(indices) puts those sections alone in <main>, showFront()
 * leaves only the front. Every internal link's href is copied into <head> (never rendered), because
 * Chromium writes a named destination only for a target that a link in the printed document points at;
 * a target that is not printed this time gets an empty stand-in there, because Chromium drops a link whose
 * target is missing.
 */
const ANALYSE = `(() => {
  const main = document.querySelector('body > main');
  if (!main) return 'no <main> in <body>';
  const meaningful = (n) => n.nodeType === 1 || (n.nodeType === 3 && n.textContent.trim() !== '');
  const nodes = [...document.body.childNodes];
  const at = nodes.indexOf(main);
  const front = nodes.slice(0, at);
  if (nodes.slice(at + 1).some(meaningful)) return 'content after <main>';
  if (!front.some((n) => n.nodeType === 1)) return 'nothing before <main>';
  if ([...main.childNodes].some((n) => n.nodeType !== 1 && meaningful(n))) return 'text directly in <main>';
  const sections = [...main.children];
  if (sections.length < 2) return 'fewer than two sections';
  const hasPageRule = (rules) => [...rules].some((r) => r.type === 6 || (r.cssRules !== undefined && hasPageRule(r.cssRules)));
  for (const sheet of document.styleSheets) if (hasPageRule(sheet.cssRules)) return 'an @page rule';
  const hrefs = [...new Set([...document.querySelectorAll('a[href^="#"]')].map((a) => a.getAttribute('href')))];
  const ids = hrefs.map((h) => { try { return decodeURIComponent(h.slice(1)); } catch { return h.slice(1); } }).filter((id) => id !== '');
  const links = document.createElement('div');
  for (const href of hrefs) { const a = document.createElement('a'); a.setAttribute('href', href); links.append(a); }
  const standIns = document.createElement('div');
  document.head.append(links, standIns);
  const sync = () => {
    standIns.replaceChildren();
    for (const id of ids) if (!document.getElementById(id)) { const e = document.createElement('span'); e.id = id; standIns.append(e); }
  };
  window.__trailproofParts = {
    main, front, sections,
    show(indices) { main.replaceChildren(...indices.map((i) => sections[i])); sync(); },
    showFront() { main.remove(); document.body.prepend(...front); sync(); },
  };
  return sections.map((el) => el.getElementsByTagName('*').length + 1 + Math.round(el.textContent.length / 100));
})()`;

/**
 * Detaches the front and the sections, then (with print styles in force) checks that printing them apart
 * paginates as printing them together would: a forced page break between each two, and nothing of <main>'s
 * own box (margin, border, padding) that would be repeated at the top of every part. Shallow copies stand in
 * for the originals, so that only empty boxes are styled.
 */
const DETACH = `(() => { const s = window.__trailproofParts; for (const n of s.front) n.remove(); s.main.replaceChildren(); })()`;
const CHECK_BREAKS = `(() => {
  const { main, front, sections } = window.__trailproofParts;
  const last = front.filter((n) => n.nodeType === 1).pop();
  const copies = [last, ...sections].map((el) => el.cloneNode(false));
  document.body.insertBefore(copies[0], main);
  main.append(...copies.slice(1));
  const forced = (v) => v === 'page' || v === 'always';
  const box = getComputedStyle(main);
  let ok = ['margin-top', 'margin-bottom', 'padding-top', 'padding-bottom', 'border-top-width', 'border-bottom-width'].every((p) => parseFloat(box.getPropertyValue(p)) === 0);
  for (let i = 0; i + 1 < copies.length; i++) if (!forced(getComputedStyle(copies[i]).breakAfter) && !forced(getComputedStyle(copies[i + 1]).breakBefore)) ok = false;
  for (const c of copies) c.remove();
  return ok;
})()`;

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

async function setReport(page: Page, html: string): Promise<void> {
  // The document is only printed: hidden on screen, it is laid out once, for print, not twice.
  await page.setContent(html.replace('</head>', `${PRINT_ONLY}</head>`), { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
}

/** The slow path: the whole document printed again with its contents numbered. */
async function reprint(page: Page, html: string, numbers: Record<string, unknown>, options: PDFOptions): Promise<PdfUpdate> {
  await setReport(page, html);
  await page.evaluate(`(${FILL_TOC})(${JSON.stringify(numbers)})`);
  return new PdfUpdate(new PdfFile(await page.pdf(options)));
}

/** The whole document printed at once, then the cover and contents again with the contents numbered. */
async function printWhole(page: Page, html: string, view: ReportView, templates: { header: string; footer: string }, paper: Paper): Promise<Uint8Array> {
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
}

/**
 * Prints the sections group by group, each alone in the document (forced page breaks between sections make
 * that paginate exactly as the whole would), collecting garbage in between so that the browser never holds
 * more than one group's layout; then the front with the contents numbered; then the header and footer on
 * as many blank pages as there are, drawn over the pages when they are joined.
 */
async function printInParts(page: Page, groups: number[][], view: ReportView, templates: { header: string; footer: string }, paper: Paper): Promise<Uint8Array> {
  const bare: PDFOptions = { ...pdfOptions(paper, '', ''), displayHeaderFooter: false };
  const session: CDPSession = await page.createCDPSession();
  try {
    const parts: PdfFile[] = [];
    for (const group of groups) {
      await page.evaluate(`window.__trailproofParts.show(${JSON.stringify(group)})`);
      await session.send('HeapProfiler.collectGarbage');
      parts.push(new PdfFile(await page.pdf(bare)));
    }
    await page.evaluate('window.__trailproofParts.showFront()');
    await session.send('HeapProfiler.collectGarbage');
    // Where each anchor is, counted from the first page after the front.
    const located = new Map<string, number>();
    let before = 0;
    for (const part of parts) {
      for (const [name, n] of part.namedDestinations()) if (!located.has(name)) located.set(name, before + n);
      before += part.pages().length;
    }
    // The contents' numbers depend on how many pages the front takes, known once it is printed: print it
    // until the numbers it shows are the ones that hold (twice, unless the contents have no numbers).
    let front: PdfFile | undefined;
    let shown = '';
    for (let attempt = 0; ; attempt++) {
      const frontPages = front?.pages().length ?? 0;
      const inFront = front?.namedDestinations() ?? new Map<string, number>();
      const numbers = Object.fromEntries(view.toc.map((t) => [t.anchor, inFront.get(t.anchor) ?? (located.has(t.anchor) ? frontPages + (located.get(t.anchor) as number) : undefined)]).filter(([, n]) => n !== undefined));
      const key = `${frontPages} ${JSON.stringify(numbers)}`;
      if (front && key === shown) break;
      if (attempt === 4) throw new TrailproofError('TP_OUTPUT_FAILED', 'printing the PDF report: the contents pages change length with their own page numbers');
      shown = key;
      const cells = (await page.evaluate(`(${FILL_TOC})(${JSON.stringify(numbers)})`)) as number;
      front = new PdfFile(await page.pdf(bare));
      if (cells === 0) break;
    }
    const total = front.pages().length + before;
    const title = (await page.evaluate('document.title')) as string;
    await page.setContent(overlayHtml(title, total), { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
    const overlay = new PdfFile(await page.pdf(pdfOptions(paper, templates.header, templates.footer)));
    return joinPages([front, ...parts], overlay, pdfInfo(view));
  } finally {
    await session.detach().catch(() => undefined);
  }
}

export interface PrintOptions {
  /** Largest weight printed at once (see PART_WEIGHT). */
  partWeight?: number;
}

/** Prints already rendered HTML to PDF in a tab of `browser`. */
export async function printPdf(html: string, view: ReportView, templates: { header: string; footer: string }, browser: BrowserSession, paper: Paper = 'a4', options: PrintOptions = {}): Promise<Uint8Array> {
  const page = await browser.newPage();
  try {
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    await offline(page);
    await setReport(page, html);
    const weights = (await page.evaluate(ANALYSE)) as number[] | string;
    const groups = typeof weights === 'string' ? [] : groupSections(weights, Math.max(options.partWeight ?? PART_WEIGHT, ...weights));
    if (groups.length < 2) return await printWhole(page, html, view, templates, paper);
    await page.evaluate(DETACH);
    await page.emulateMediaType('print');
    const apart = (await page.evaluate(CHECK_BREAKS)) as boolean;
    await page.emulateMediaType();
    if (apart) return await printInParts(page, groups, view, templates, paper);
    await setReport(page, html);
    return await printWhole(page, html, view, templates, paper);
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
