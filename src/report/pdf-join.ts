// One new PDF from the pages of several that Chromium printed (a long report is printed part by part, so
// that the browser lays out one part at a time), with the running header and footer, printed once for the
// whole page count on blank pages, drawn over every page. Objects are copied once each, renumbered.
import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { fail, isDict, isName, isRef, type PdfDict, type PdfFile, type PdfRef, type PdfValue } from './pdf-file.js';
import { infoDictionary, nameText, objectBytes, serialize, type PdfInfo } from './pdf-update.js';

/** A PDF written from scratch, object by object, with a classic cross-reference table. */
class PdfWriter {
  private readonly chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  private length = (this.chunks[0] as Buffer).length;
  private readonly offsets: number[] = [];
  private next = 1;

  allocate(): number {
    return this.next++;
  }

  write(num: number, body: string, stream: Uint8Array | null = null): void {
    const bytes = objectBytes(num, body, stream);
    this.offsets[num] = this.length;
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  finish(root: number, info: number): Uint8Array {
    const id = createHash('sha256');
    for (const chunk of this.chunks) id.update(chunk);
    const hex = id.digest('hex').slice(0, 32);
    let xref = `xref\n0 ${this.next}\n0000000000 65535 f \n`;
    for (let num = 1; num < this.next; num++) {
      const at = this.offsets[num];
      if (at === undefined) fail(`object ${num} was numbered but never written`);
      xref += `${String(at).padStart(10, '0')} 00000 n \n`;
    }
    const trailer = `trailer\n<</Size ${this.next}\n/Root ${root} 0 R\n/Info ${info} 0 R\n/ID [<${hex}> <${hex}>]>>\nstartxref\n${this.length}\n%%EOF\n`;
    return Buffer.concat([...this.chunks, Buffer.from(xref + trailer, 'latin1')]);
  }
}

/** Copies objects of one source file into a writer, renumbered, each once, with everything they refer to. */
class Copier {
  private readonly numbers = new Map<number, number>();
  private readonly pending: PdfRef[] = [];
  private done = 0;

  /** `own`: references to objects of the new file, which are written as they are. */
  constructor(readonly source: PdfFile, private readonly out: PdfWriter, private readonly own: Set<PdfRef>) {}

  /** Gives a source object the number `num`: the caller writes that object itself (a page). */
  assign(ref: PdfRef, num: number): void {
    this.numbers.set(ref.ref, num);
  }

  has(ref: PdfRef): boolean {
    return this.numbers.has(ref.ref);
  }

  readonly map = (ref: PdfRef): PdfRef => {
    if (this.own.has(ref)) return ref;
    let num = this.numbers.get(ref.ref);
    if (num === undefined) {
      num = this.out.allocate();
      this.numbers.set(ref.ref, num);
      this.pending.push(ref);
    }
    return { ref: num, gen: 0 };
  };

  serialize(v: PdfValue): string {
    return serialize(v, this.map);
  }

  /** Writes every object referred to so far (and what those refer to). */
  flush(): void {
    while (this.done < this.pending.length) {
      const ref = this.pending[this.done++] as PdfRef;
      const { value, stream } = this.source.objectWithStream(ref);
      this.out.write(this.numbers.get(ref.ref) as number, serialize(value, this.map), stream);
    }
  }
}

const INHERITED = ['Resources', 'MediaBox', 'CropBox', 'Rotate'];

/** A page's dictionary with what it inherits from the page tree, without its /Parent. */
function pageDict(file: PdfFile, ref: PdfRef): PdfDict {
  const page = file.object(ref);
  if (!isDict(page)) fail(`page object ${ref.ref} is not a dictionary`);
  const out: PdfDict = new Map(page);
  out.delete('Parent');
  let parent = page.get('Parent');
  for (let depth = 0; isRef(parent) && depth < 32; depth++) {
    const node = file.object(parent);
    if (!isDict(node)) break;
    for (const key of INHERITED) if (!out.has(key) && node.has(key)) out.set(key, node.get(key) as PdfValue);
    parent = node.get('Parent');
  }
  return out;
}

function dictOf(file: PdfFile, v: PdfValue | undefined, what: string): PdfDict {
  const d = file.resolve(v);
  if (d === undefined || d === null) return new Map();
  if (!isDict(d)) fail(`${what} is not a dictionary`);
  return d;
}

/** The content streams of a page, as references. */
function contentRefs(file: PdfFile, contents: PdfValue | undefined): PdfValue[] {
  if (contents === undefined) return [];
  if (Array.isArray(contents)) return contents;
  if (isRef(contents)) {
    const { value, stream } = file.objectWithStream(contents);
    if (stream) return [contents];
    if (Array.isArray(value)) return value;
  }
  return fail('a page /Contents is neither a stream nor an array of streams');
}

function decoded(dict: PdfDict, stream: Uint8Array): Buffer {
  const filter = dict.get('Filter');
  const names = Array.isArray(filter) ? filter : filter === undefined ? [] : [filter];
  if (names.length === 0) return Buffer.from(stream);
  if (names.length === 1 && isName(names[0]) && names[0].name === 'FlateDecode' && !dict.has('DecodeParms')) return inflateSync(stream);
  return fail(`content stream filter ${serialize(filter as PdfValue)} is not supported`);
}

/** A page's drawing as a form XObject dictionary and its stream (one stream copied still encoded). */
function pageForm(file: PdfFile, page: PdfDict): { form: PdfDict; data: Uint8Array } {
  const refs = contentRefs(file, page.get('Contents'));
  const form: PdfDict = new Map<string, PdfValue>([['Type', { name: 'XObject' }], ['Subtype', { name: 'Form' }], ['BBox', file.resolve(page.get('MediaBox')) ?? null], ['Resources', page.get('Resources') ?? new Map()]]);
  const streams = refs.map((r) => {
    if (!isRef(r)) fail('a content stream is not an indirect object');
    const { value, stream } = file.objectWithStream(r);
    if (!stream || !isDict(value)) fail(`content object ${r.ref} is not a stream`);
    return { value, stream };
  });
  let data: Uint8Array;
  const only = streams.length === 1 ? streams[0] : undefined;
  if (only) {
    data = only.stream;
    for (const key of ['Filter', 'DecodeParms']) if (only.value.has(key)) form.set(key, file.resolve(only.value.get(key)) ?? null);
  } else {
    data = deflateSync(Buffer.concat(streams.flatMap(({ value, stream }) => [decoded(value, stream), Buffer.from('\n')])));
    form.set('Filter', { name: 'FlateDecode' });
  }
  form.set('Length', data.length);
  return { form, data };
}

/**
 * One PDF from the pages of `parts`, in order, with page i of `overlay` drawn over page i (the running header
 * and footer, printed once on blank pages so that "page X of Y" counts the whole report). Named destinations
 * (the targets of the report's internal links) are merged; the document information is `info`.
 */
export function joinPages(parts: PdfFile[], overlay: PdfFile, info: PdfInfo): Uint8Array {
  const out = new PdfWriter();
  const own = new Set<PdfRef>();
  const fresh = (num: number): PdfRef => {
    const ref = { ref: num, gen: 0 };
    own.add(ref);
    return ref;
  };
  if (parts.length === 0) fail('no pages to join');
  const sources = parts.map((file) => ({ file, copier: new Copier(file, out, own), pages: file.pageRefs() }));
  const overlayPages = overlay.pageRefs();
  const overlayCopier = new Copier(overlay, out, own);
  const total = sources.reduce((n, s) => n + s.pages.length, 0);
  if (overlayPages.length !== total) fail(`the header and footer were printed on ${overlayPages.length} pages for a report of ${total}`);
  const pagesRoot = out.allocate();
  // The page's own drawing is put between q and Q, so the header and footer are drawn after it (as Chromium
  // does: text extraction reads them last) with the graphics state the page started with.
  const open = out.allocate();
  out.write(open, '<</Length 2>>', Buffer.from('q\n', 'latin1'));
  const closers = new Map<string, number>();
  const kids: number[] = [];
  for (const { file, copier, pages } of sources) {
    const numbers = pages.map((ref) => {
      const num = out.allocate();
      copier.assign(ref, num);
      return num;
    });
    pages.forEach((ref, i) => {
      const page = pageDict(file, ref);
      const over = pageDict(overlay, overlayPages[kids.length] as PdfRef);
      if (serialize(file.resolve(page.get('MediaBox')) ?? null) !== serialize(overlay.resolve(over.get('MediaBox')) ?? null)) fail(`page ${kids.length + 1} and its header and footer differ in size`);
      const { form, data } = pageForm(overlay, over);
      const formNum = out.allocate();
      out.write(formNum, overlayCopier.serialize(form), data);
      const resources: PdfDict = new Map(dictOf(file, page.get('Resources'), 'page /Resources'));
      const xobjects: PdfDict = new Map(dictOf(file, resources.get('XObject'), 'page /XObject resources'));
      let name = 'TPhf';
      while (xobjects.has(name)) name += 'x';
      xobjects.set(name, fresh(formNum));
      resources.set('XObject', xobjects);
      page.set('Resources', resources);
      let close = closers.get(name);
      if (close === undefined) {
        close = out.allocate();
        const body = Buffer.from(`Q\nq /${name} Do Q\n`, 'latin1');
        out.write(close, `<</Length ${body.length}>>`, body);
        closers.set(name, close);
      }
      page.set('Contents', [fresh(open), ...contentRefs(file, page.get('Contents')), fresh(close)]);
      page.set('Parent', fresh(pagesRoot));
      out.write(numbers[i] as number, copier.serialize(page));
      kids.push(numbers[i] as number);
    });
    copier.flush();
  }
  overlayCopier.flush();

  const dests: string[] = [];
  const named = new Set<string>();
  for (const { file, copier } of sources) {
    const catalog = file.catalog();
    if (isDict(file.resolve(catalog.get('Names'))) && dictOf(file, catalog.get('Names'), '/Names').has('Dests')) fail('named destinations in a /Names tree are not supported');
    for (const [name, dest] of dictOf(file, catalog.get('Dests'), 'catalog /Dests')) {
      const target = file.resolve(dest);
      // Only destinations on a page of this part: anything else would drag a foreign page tree along.
      if (named.has(name) || !Array.isArray(target) || !isRef(target[0]) || !copier.has(target[0])) continue;
      named.add(name);
      dests.push(`${nameText(name)} ${copier.serialize(target)}`);
    }
    copier.flush();
  }
  const destsNum = out.allocate();
  out.write(destsNum, `<<${dests.join('\n')}>>`);
  out.write(pagesRoot, `<</Type /Pages\n/Count ${kids.length}\n/Kids [${kids.map((n) => `${n} 0 R`).join(' ')}]>>`);
  const first = sources[0] as (typeof sources)[number];
  const catalog = first.file.catalog();
  const extra = ['ViewerPreferences', 'Lang'].filter((k) => catalog.has(k)).map((k) => `\n/${k} ${first.copier.serialize(catalog.get(k) as PdfValue)}`).join('');
  first.copier.flush();
  const root = out.allocate();
  out.write(root, `<</Type /Catalog\n/Pages ${pagesRoot} 0 R\n/Dests ${destsNum} 0 R${extra}>>`);
  const infoNum = out.allocate();
  out.write(infoNum, infoDictionary(info));
  return out.finish(root, infoNum);
}
