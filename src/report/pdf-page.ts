// Steps run inside the printing tab (as strings: the project's TypeScript has no DOM types, and the
// sandboxed document runs no script of its own, so they go through DevTools): listing the headings for
// the outline and the running header, and keeping identifiers whole across line ends.
import type { OutlineEntry } from './pdf-finish.js';

/** Identifiers, dates, hashes and addresses kept whole across line ends, at most (see KEEP_WHOLE). */
export const MAX_KEPT_TOKENS = 5_000;

/**
 * Headings in the outline, at most (a findings file names its checks, one heading each): the rest are left
 * out of the outline, and counted (Prepared.leftOut).
 */
export const MAX_OUTLINE_ENTRIES = 10_000;

/**
 * Run in the page once the document is shown: lists the headings (h2 a section, h3 and h4 below it, each
 * check's included) for the outline and the running header, giving an id to those without one, and points
 * a hidden link in <head> at each (Chromium writes a named destination, which says where the heading
 * landed, only for the target of a link in the document; in <head> the links take no layout and change no
 * selector). At most MAX_OUTLINE_ENTRIES. Also returns the document's language and weight (see PART_WEIGHT).
 */
export const PREPARE = `((limit) => {
  const entries = [];
  let leftOut = 0;
  const links = document.createElement('div');
  links.hidden = true;
  let n = 0;
  for (const h of document.body.querySelectorAll('h2, h3, h4')) {
    const title = h.textContent.replace(/\\s+/g, ' ').trim();
    if (title === '') continue;
    if (entries.length >= limit) { leftOut++; continue; }
    if (!h.id) h.id = 'tp-outline-' + (++n);
    entries.push({ anchor: h.id, title, level: Number(h.tagName[1]) - 1 });
    const a = document.createElement('a');
    a.href = '#' + encodeURIComponent(h.id);
    links.append(a);
  }
  document.head.append(links);
  const weight = document.body.getElementsByTagName('*').length + Math.round(document.body.textContent.length / 100);
  return { entries, leftOut, lang: document.documentElement.lang || '', weight };
})`;

/**
 * Run in the page before printing: identifiers, dates, hashes and e-mail addresses are kept whole across line
 * ends. A line may break after a hyphen, and table cells break anywhere rather than overflow, so
 * 'trail.log-file-validation' or '2026-09-16' would otherwise read 'trail.log-' and 'file-validation' on two
 * lines. Each such token (a run without spaces that has a hyphen or an @, or 32 or more hex digits), cut after
 * its ':', '/', ',' and '=' (an ARN, a path, a JSON pair still break there), is put in an inline block: moved
 * whole to the next line when it does not fit on this one, and broken inside only when it is wider than the
 * whole line (so a token wider than its table column still breaks, inside). Only the printed page changes;
 * the HTML report is as rendered. Not in <pre> (excerpts and lists, which break only at their line ends or
 * when a line is wider than the page), at most MAX_KEPT_TOKENS, and only in a report up to TAGGED_WEIGHT:
 * each block is laid out on its own (the 5,000-result benchmark's lists alone added 380 MB to Chromium).
 */
export const KEEP_WHOLE = String.raw`((limit) => {
  const style = document.createElement('style');
  style.textContent = '.tp-keep { display: inline-block; }';
  document.head.append(style);
  const token = /[^\s:\/,=]*(?:[-@][^\s:\/,=]*|[0-9a-fA-F]{32,})[:\/,=]?/g;
  // No filter callback: the sandboxed document runs none.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) {
    const n = walker.currentNode;
    if (/[-@]|[0-9a-fA-F]{32}/.test(n.data) && !n.parentElement.closest('pre, svg, style, script, title, .toc-page')) nodes.push(n);
  }
  let kept = 0;
  for (const node of nodes) {
    if (kept >= limit) break;
    const text = node.data;
    const out = document.createDocumentFragment();
    let at = 0;
    for (const m of text.matchAll(token)) {
      if (m[0].length < 3 || !/[-@]|[0-9a-fA-F]{32}/.test(m[0]) || kept >= limit) continue;
      if (m.index > at) out.append(text.slice(at, m.index));
      const span = document.createElement('span');
      span.className = 'tp-keep';
      span.textContent = m[0];
      out.append(span);
      at = m.index + m[0].length;
      kept++;
    }
    if (at === 0) continue;
    if (at < text.length) out.append(text.slice(at));
    node.replaceWith(out);
  }
  return kept;
})`;

export interface Prepared {
  entries: OutlineEntry[];
  /** Headings over MAX_OUTLINE_ENTRIES. */
  leftOut: number;
  lang: string;
  weight: number;
}
