// The last touches on the printed report, with @cantoo/pdf-lib: the document information (title, subject,
// author, keywords, dates, the run's ids), the document language, the outline (bookmarks: every section and
// every check, from the report's headings) and the name of the section in the running header of each page.
// Chromium prints the same header on every page, so the section's name is drawn here, where the page each
// section starts on is known, marked as an artifact (page furniture, not content).
import type { PDFArray, PDFDocument } from '@cantoo/pdf-lib';
import { PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, StandardFonts, beginMarkedContent, endMarkedContent, rgb, type PDFFont } from '@cantoo/pdf-lib';
import { destinationArrays, fail, noteWritten } from './pdf-file.js';

export interface PdfInfo {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  creator: string;
  producer: string;
  created: Date;
  /** Extra keys, e.g. TrailproofRunId. */
  custom?: Record<string, string>;
}

/** A heading of the report: its anchor (an element id with a named destination), its text and depth (1 = section). */
export interface OutlineEntry {
  anchor: string;
  title: string;
  level: number;
}

/** Outline titles and running-header names longer than this are cut (with an ellipsis). */
export const MAX_OUTLINE_TITLE = 200;
export const MAX_HEADER_SECTION = 60;

/**
 * Where the section's name is drawn: centred on the running header's line (the header template's text sits
 * this far below the top edge of the page, in points), in its size and colour.
 */
const HEADER_BASELINE_FROM_TOP = 20.2;
const HEADER_SIZE = 5.6;
const HEADER_GREY = 0x55 / 0xff;

function cut(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function setInfo(doc: PDFDocument, info: PdfInfo): void {
  doc.setTitle(info.title);
  doc.setAuthor(info.author);
  doc.setSubject(info.subject);
  // setKeywords joins a list with spaces; the keywords are one comma-separated text already.
  doc.setKeywords([info.keywords]);
  doc.setCreator(info.creator);
  doc.setProducer(info.producer);
  doc.setCreationDate(info.created);
  doc.setModificationDate(info.created);
  const dict = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
  for (const [key, value] of Object.entries(info.custom ?? {})) dict.set(PDFName.of(key.replace(/[^A-Za-z0-9]/g, '')), PDFHexString.fromText(value));
}

interface Node {
  entry: OutlineEntry;
  dest: PDFArray;
  ref: PDFRef;
  children: Node[];
}

/**
 * Writes the outline: one bookmark per entry whose anchor landed on a page, nested by level, closed below the
 * top level (a report has a bookmark per check). Returns how many bookmarks it wrote.
 */
export function setOutline(doc: PDFDocument, entries: OutlineEntry[], leftOut = 0): number {
  const dests = new Map(destinationArrays(doc));
  const root: Node[] = [];
  const stack: Node[] = [];
  const last = [...entries].reverse().find((e) => dests.has(e.anchor));
  // Headings left out (see MAX_OUTLINE_ENTRIES) are counted in a last bookmark, at the last heading kept.
  const noted = leftOut > 0 && last ? [{ anchor: last.anchor, title: `${leftOut} more headings are not bookmarked (at most ${entries.length})`, level: 1 }] : [];
  for (const entry of [...entries, ...noted]) {
    const dest = dests.get(entry.anchor);
    if (!dest) continue;
    const node: Node = { entry, dest, ref: doc.context.nextRef(), children: [] };
    while (stack.length > 0 && (stack[stack.length - 1] as Node).entry.level >= entry.level) stack.pop();
    const parent = stack[stack.length - 1];
    (parent ? parent.children : root).push(node);
    stack.push(node);
  }
  if (root.length === 0) return 0;
  const outlines = doc.context.nextRef();
  let written = 0;
  const write = (nodes: Node[], parent: PDFRef, depth: number): void => {
    nodes.forEach((node, i) => {
      const dict = doc.context.obj({ Title: PDFHexString.fromText(cut(node.entry.title, MAX_OUTLINE_TITLE)), Parent: parent, Dest: node.dest.clone(doc.context) });
      const prev = nodes[i - 1];
      const next = nodes[i + 1];
      if (prev) dict.set(PDFName.of('Prev'), prev.ref);
      if (next) dict.set(PDFName.of('Next'), next.ref);
      const [first, last] = [node.children[0], node.children[node.children.length - 1]];
      if (first && last) {
        dict.set(PDFName.of('First'), first.ref);
        dict.set(PDFName.of('Last'), last.ref);
        // Negative: closed, with this many children shown once opened.
        dict.set(PDFName.of('Count'), PDFNumber.of(-node.children.length));
      }
      doc.context.assign(node.ref, dict);
      written++;
      write(node.children, node.ref, depth + 1);
    });
  };
  write(root, outlines, 0);
  doc.context.assign(outlines, doc.context.obj({ Type: 'Outlines', First: (root[0] as Node).ref, Last: (root[root.length - 1] as Node).ref, Count: root.length }));
  doc.catalog.set(PDFName.of('Outlines'), outlines);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  return written;
}

export function setLanguage(doc: PDFDocument, lang: string): void {
  if (lang !== '') doc.catalog.set(PDFName.of('Lang'), PDFString.of(lang));
}

/** `text` without the characters the font cannot draw (the standard fonts know Latin-1 and a few more). */
function drawable(font: PDFFont, text: string): string {
  const known = new Set(font.getCharacterSet());
  return [...text].map((c) => (known.has(c.codePointAt(0) as number) ? c : '?')).join('');
}

/**
 * Draws, at the top of each page, the name of the section (a level-1 entry) that page belongs to: the last
 * one that starts on it or before it. Pages before the first section (the cover) get none.
 */
export async function drawSectionHeaders(doc: PDFDocument, entries: OutlineEntry[]): Promise<void> {
  const pageIndex = new Map(doc.getPages().map((page, i) => [page.ref.toString(), i]));
  const starts: { page: number; title: string }[] = [];
  const dests = new Map(destinationArrays(doc));
  for (const entry of entries) {
    if (entry.level !== 1) continue;
    const page = dests.get(entry.anchor)?.get(0);
    const index = page instanceof PDFRef ? pageIndex.get(page.toString()) : undefined;
    if (index !== undefined) starts.push({ page: index, title: entry.title });
  }
  if (starts.length === 0) return;
  starts.sort((a, b) => a.page - b.page);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.getPages().forEach((page, i) => {
    const section = starts.filter((s) => s.page <= i).pop();
    if (!section) return;
    const text = drawable(font, cut(section.title, MAX_HEADER_SECTION));
    const width = font.widthOfTextAtSize(text, HEADER_SIZE);
    page.pushOperators(beginMarkedContent('Artifact'));
    page.drawText(text, { x: (page.getWidth() - width) / 2, y: page.getHeight() - HEADER_BASELINE_FROM_TOP, size: HEADER_SIZE, font, color: rgb(HEADER_GREY, HEADER_GREY, HEADER_GREY) });
    page.pushOperators(endMarkedContent());
  });
}

/**
 * The finished file, deterministic for the same input. Without object streams: writing them took twice as
 * long (about 0.5 s for a 423-page report) for a file 1.5% smaller.
 */
export async function savePdf(doc: PDFDocument): Promise<Uint8Array> {
  try {
    const bytes = await doc.save({ useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY, addDefaultPage: false, updateFieldAppearances: false });
    noteWritten(bytes, doc.getPageCount());
    return bytes;
  } catch (err) {
    return fail(`writing the PDF failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
