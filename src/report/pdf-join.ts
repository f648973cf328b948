// Putting together the PDFs Chromium printed, with @cantoo/pdf-lib. A long report is printed part by part
// (so that the browser lays out one part at a time): joinPages makes one document of the parts' pages, with
// the running header and footer, printed once for the whole page count on blank pages, drawn over every
// page, and the parts' named destinations merged. A short one is printed whole and its cover and contents
// printed again once their page numbers are known: replaceLeadingPages puts those in place of the first.
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFObjectCopier, PDFPage, PDFPageLeaf, PDFRef, beginMarkedContent, endMarkedContent, type PDFObject } from '@cantoo/pdf-lib';
import { destinationArrays, fail } from './pdf-file.js';

/** Catalog entries of the first part that the joined document keeps (the language, the viewer settings). */
const KEPT_CATALOG_ENTRIES = ['Lang', 'ViewerPreferences'];

/**
 * Copies pages of `source` into `target` at `index` (appending by default), with everything they use, each
 * object once. Returns the copied pages and the map from the source's page references to theirs.
 */
function copyPages(target: PDFDocument, source: PDFDocument, indices: number[], index = target.getPageCount()): { pages: PDFPage[]; refs: Map<string, PDFRef> } {
  const copier = PDFObjectCopier.for(source.context, target.context);
  const sourcePages = source.getPages();
  const refs = new Map<string, PDFRef>();
  const pages = indices.map((i, k) => {
    const from = sourcePages[i];
    if (!from) return fail(`page ${i + 1} of a PDF of ${sourcePages.length} pages`);
    // Copying the reference (not the page object) keeps one copy per page, whatever else refers to it.
    const ref = copier.copy(from.ref);
    const leaf = target.context.lookup(ref);
    if (!(leaf instanceof PDFPageLeaf)) return fail(`page ${i + 1} is not a page object`);
    const page = target.insertPage(index + k, PDFPage.of(leaf, ref, target));
    refs.set(from.ref.toString(), ref);
    return page;
  });
  return { pages, refs };
}

/** A destination array with its page reference mapped, or undefined when its page was not copied. */
function mappedDestination(target: PDFDocument, dest: PDFArray, refs: Map<string, PDFRef>): PDFArray | undefined {
  const page = dest.get(0);
  const ref = page instanceof PDFRef ? refs.get(page.toString()) : undefined;
  if (!ref) return undefined;
  const rest: PDFObject[] = [];
  for (let i = 1; i < dest.size(); i++) rest.push(dest.get(i).clone(target.context));
  return target.context.obj([ref, ...rest]);
}

/**
 * One PDF from the pages of `parts`, in order, with page i of `overlay` drawn over page i (the running header
 * and footer, printed once on blank pages so that "page X of Y" counts the whole report), marked as an
 * artifact (page furniture, not content). Named destinations (the targets of the report's internal links)
 * are merged, each on the part that holds its page.
 */
export async function joinPages(parts: PDFDocument[], overlay: PDFDocument): Promise<PDFDocument> {
  if (parts.length === 0) fail('no pages to join');
  const total = parts.reduce((n, part) => n + part.getPageCount(), 0);
  if (overlay.getPageCount() !== total) fail(`the header and footer were printed on ${overlay.getPageCount()} pages for a report of ${total}`);
  const out = await PDFDocument.create({ updateMetadata: false });
  const dests = out.context.obj({});
  for (const part of parts) {
    const { refs } = copyPages(out, part, part.getPageIndices());
    for (const [name, dest] of destinationArrays(part)) {
      const key = PDFName.of(name);
      const mapped = dests.has(key) ? undefined : mappedDestination(out, dest, refs);
      if (mapped) dests.set(key, mapped);
    }
  }
  const pages = out.getPages();
  const furniture = await out.embedPages(overlay.getPages());
  pages.forEach((page, i) => {
    const over = furniture[i];
    if (!over) return;
    const [w, h] = [page.getWidth(), page.getHeight()];
    if (Math.abs(over.width - w) > 0.5 || Math.abs(over.height - h) > 0.5) fail(`page ${i + 1} and its header and footer differ in size`);
    // pdf-lib puts the page's own drawing between q and Q first, so the header and footer are drawn after
    // it (as Chromium does: text extraction reads them last) with the graphics state the page started with.
    page.pushOperators(beginMarkedContent('Artifact'));
    page.drawPage(over, { x: 0, y: 0 });
    page.pushOperators(endMarkedContent());
  });
  out.catalog.set(PDFName.of('Dests'), out.context.register(dests));
  const first = parts[0] as PDFDocument;
  const copier = PDFObjectCopier.for(first.context, out.context);
  for (const key of KEPT_CATALOG_ENTRIES) {
    const value = first.catalog.get(PDFName.of(key));
    if (value !== undefined) out.catalog.set(PDFName.of(key), copier.copy(value));
  }
  return out;
}

/**
 * Puts pages 1..count of `front` in place of pages 1..count of `doc` (the same layout printed again with
 * other text: the contents with their page numbers). The replaced pages' link annotations are kept, since
 * they point at `doc`'s destinations (`front`, printed without the sections, has none), and named
 * destinations on a replaced page follow it to the new one.
 */
export function replaceLeadingPages(doc: PDFDocument, front: PDFDocument, count: number): void {
  if (count > doc.getPageCount() || count > front.getPageCount()) fail(`cannot replace ${count} pages (target ${doc.getPageCount()}, source ${front.getPageCount()})`);
  const old = doc.getPages().slice(0, count);
  const indices = [...Array(count).keys()];
  const { pages } = copyPages(doc, front, indices, 0);
  const moved = new Map<string, PDFRef>();
  pages.forEach((page, i) => {
    const before = old[i] as PDFPage;
    const annots = before.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    page.node.delete(PDFName.of('Annots'));
    if (annots) {
      page.node.set(PDFName.of('Annots'), annots);
      for (let a = 0; a < annots.size(); a++) annots.lookupMaybe(a, PDFDict)?.set(PDFName.of('P'), page.ref);
    }
    moved.set(before.ref.toString(), page.ref);
  });
  for (let i = 0; i < count; i++) doc.removePage(count);
  for (const [, dest] of destinationArrays(doc)) {
    const page = dest.get(0);
    const to = page instanceof PDFRef ? moved.get(page.toString()) : undefined;
    if (to) dest.set(0, to);
  }
}
