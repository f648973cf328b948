// Reading the PDFs Chromium prints, through @cantoo/pdf-lib (the maintained fork of pdf-lib, which reads
// classic cross-reference tables and cross-reference streams alike): the page count, and the named
// destinations that say on which page each anchor of the report landed (for the contents' page numbers,
// the outline and the running header). A file that cannot be read is an error, never a silently
// unfinished report.
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString, ParseSpeeds, type PDFObject } from '@cantoo/pdf-lib';
import { TrailproofError, errorMessage } from '../errors.js';

/** Name trees (of named destinations) deeper than this are not followed: Chromium writes a flat one. */
const MAX_NAME_TREE_DEPTH = 32;

export function fail(message: string): never {
  throw new TrailproofError('TP_OUTPUT_FAILED', `PDF post-processing: ${message}`);
}

/** Parses a PDF that Chromium printed; `what` names it in the error. */
export async function loadPdf(bytes: Uint8Array, what: string): Promise<PDFDocument> {
  try {
    // Fastest: parse in one go instead of yielding to the event loop every hundred objects.
    return await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  } catch (err) {
    return fail(`${what} could not be read: ${errorMessage(err).split('\n')[0] ?? ''}`);
  }
}

/** Page counts of the files this process wrote (savePdf), so that counting them needs no second parse. */
const written = new WeakMap<Uint8Array, number>();

export function noteWritten(bytes: Uint8Array, pages: number): void {
  written.set(bytes, pages);
}

export async function pdfPageCount(bytes: Uint8Array): Promise<number> {
  return written.get(bytes) ?? (await loadPdf(bytes, 'the PDF report')).getPageCount();
}

function text(key: PDFObject | undefined): string | undefined {
  if (key instanceof PDFName) return key.decodeText();
  if (key instanceof PDFString || key instanceof PDFHexString) return key.decodeText();
  return undefined;
}

/** Every named destination as [name, explicit destination array], from the catalog's /Dests and /Names tree. */
export function destinationArrays(doc: PDFDocument): [string, PDFArray][] {
  const out: [string, PDFArray][] = [];
  const add = (name: string | undefined, dest: PDFObject | undefined): void => {
    let d = dest instanceof PDFRef ? doc.context.lookup(dest) : dest;
    if (d instanceof PDFDict) d = d.lookup(PDFName.of('D'));
    if (name !== undefined && d instanceof PDFArray) out.push([name, d]);
  };
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (dests) for (const [key, value] of dests.entries()) add(text(key), value);
  const walk = (node: PDFDict | undefined, depth: number): void => {
    if (!node || depth > MAX_NAME_TREE_DEPTH) return;
    const pairs = node.lookupMaybe(PDFName.of('Names'), PDFArray);
    if (pairs) for (let i = 0; i + 1 < pairs.size(); i += 2) add(text(pairs.lookup(i)), pairs.get(i + 1));
    const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
    if (kids) for (let i = 0; i < kids.size(); i++) walk(kids.lookupMaybe(i, PDFDict), depth + 1);
  };
  walk(doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict)?.lookupMaybe(PDFName.of('Dests'), PDFDict), 0);
  return out;
}

/** Named destination -> 1-based page number (the first definition of a name wins). */
export function namedDestinations(doc: PDFDocument): Map<string, number> {
  const pageIndex = new Map(doc.getPages().map((page, i) => [page.ref.toString(), i + 1]));
  const out = new Map<string, number>();
  for (const [name, dest] of destinationArrays(doc)) {
    const page = dest.get(0);
    const n = page instanceof PDFRef ? pageIndex.get(page.toString()) : undefined;
    if (n !== undefined && !out.has(name)) out.set(name, n);
  }
  return out;
}
