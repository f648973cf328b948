// Incremental updates to a PDF that Chromium printed: the original bytes stay as they are and new or
// replacing objects are appended with their own cross-reference section (PDF 1.7, 7.5.6). Used to write
// the document information (title, subject, keywords, dates) and to put the table-of-contents pages, printed
// again with their page numbers, in place of the ones printed without.
import { PdfFile, fail, isDict, isName, isRef, type PdfDict, type PdfRef, type PdfValue } from './pdf-file.js';

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

/** A text string as UTF-16BE with a byte-order mark, in hex: any character, nothing to escape. */
export function textString(s: string): string {
  const bytes = [0xfe, 0xff];
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    const units = code > 0xffff ? [0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff)] : [code];
    for (const u of units) bytes.push(u >> 8, u & 0xff);
  }
  return `<${Buffer.from(bytes).toString('hex').toUpperCase()}>`;
}

function pdfDate(d: Date): string {
  const iso = d.toISOString();
  return `(D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+00'00')`;
}

export function nameText(name: string): string {
  return `/${[...Buffer.from(name, 'latin1')].map((b) => (b < 0x21 || b > 0x7e || '()<>[]{}/%#'.includes(String.fromCharCode(b)) ? `#${b.toString(16).padStart(2, '0')}` : String.fromCharCode(b))).join('')}`;
}

function numberText(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return n.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

/** Writes a parsed value back as PDF syntax, renumbering references with `map`. */
export function serialize(v: PdfValue, map: (ref: PdfRef) => PdfRef = (r) => r): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'string') return `<${Buffer.from(v, 'latin1').toString('hex')}>`;
  if (Array.isArray(v)) return `[${v.map((x) => serialize(x, map)).join(' ')}]`;
  if (isDict(v)) return `<<${[...v.entries()].map(([k, x]) => `${nameText(k)} ${serialize(x, map)}`).join('\n')}>>`;
  if (isRef(v)) {
    const r = map(v);
    return `${r.ref} ${r.gen} R`;
  }
  if (isName(v)) return nameText(v.name);
  return fail('unknown value');
}

export function objectBytes(num: number, body: string, stream: Uint8Array | null): Buffer {
  const parts = [Buffer.from(`${num} 0 obj\n${body}\n`, 'latin1')];
  if (stream) parts.push(Buffer.from('stream\n', 'latin1'), Buffer.from(stream), Buffer.from('\nendstream\n', 'latin1'));
  parts.push(Buffer.from('endobj\n', 'latin1'));
  return Buffer.concat(parts);
}

export function infoDictionary(info: PdfInfo): string {
  const entries: [string, string][] = [
    ['Title', textString(info.title)],
    ['Author', textString(info.author)],
    ['Subject', textString(info.subject)],
    ['Keywords', textString(info.keywords)],
    ['Creator', textString(info.creator)],
    ['Producer', textString(info.producer)],
    ['CreationDate', pdfDate(info.created)],
    ['ModDate', pdfDate(info.created)],
    ...Object.entries(info.custom ?? {}).map(([k, v]): [string, string] => [k.replace(/[^A-Za-z0-9]/g, ''), textString(v)]),
  ];
  return `<<${entries.map(([k, v]) => `/${k} ${v}`).join('\n')}>>`;
}

/** Objects to append (new numbers or new versions of existing ones), written as one update. */
export class PdfUpdate {
  private readonly objects = new Map<number, Buffer>();
  private next: number;
  private info: number | undefined;

  constructor(readonly pdf: PdfFile) {
    this.next = pdf.size;
  }

  allocate(): number {
    return this.next++;
  }

  set(num: number, value: PdfValue | string, stream: Uint8Array | null = null): void {
    this.objects.set(num, objectBytes(num, typeof value === 'string' ? value : serialize(value), stream));
  }

  setInfo(info: PdfInfo): void {
    this.info ??= this.allocate();
    this.set(this.info, infoDictionary(info));
  }

  /** The original bytes followed by the update. */
  bytes(): Uint8Array {
    const original = this.pdf.bytes;
    const root = this.pdf.trailer.get('Root');
    if (!isRef(root)) fail('trailer has no /Root');
    const chunks: Buffer[] = [Buffer.from(original)];
    let offset = original.length;
    if (original[original.length - 1] !== 0x0a) {
      chunks.push(Buffer.from('\n'));
      offset++;
    }
    const offsets = new Map<number, number>();
    for (const num of [...this.objects.keys()].sort((a, b) => a - b)) {
      const obj = this.objects.get(num) as Buffer;
      offsets.set(num, offset);
      chunks.push(obj);
      offset += obj.length;
    }
    // One subsection per run of consecutive object numbers.
    const nums = [...offsets.keys()].sort((a, b) => a - b);
    let xref = 'xref\n';
    for (let i = 0; i < nums.length;) {
      let j = i;
      while (j + 1 < nums.length && nums[j + 1] === (nums[j] as number) + 1) j++;
      xref += `${nums[i]} ${j - i + 1}\n`;
      for (let k = i; k <= j; k++) xref += `${String(offsets.get(nums[k] as number)).padStart(10, '0')} 00000 n \n`;
      i = j + 1;
    }
    const info = this.info ?? (isRef(this.pdf.trailer.get('Info')) ? (this.pdf.trailer.get('Info') as PdfRef).ref : undefined);
    const id = this.pdf.trailer.get('ID');
    const trailer: PdfDict = new Map<string, PdfValue>([['Size', Math.max(this.next, this.pdf.size)], ['Root', root]]);
    if (info !== undefined) trailer.set('Info', { ref: info, gen: 0 });
    trailer.set('Prev', this.pdf.startxref);
    if (Array.isArray(id)) trailer.set('ID', id);
    chunks.push(Buffer.from(`${xref}trailer\n${serialize(trailer)}\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
    return Buffer.concat(chunks);
  }
}

export function withInfo(bytes: Uint8Array, info: PdfInfo): Uint8Array {
  const update = new PdfUpdate(new PdfFile(bytes));
  update.setInfo(info);
  return update.bytes();
}

/**
 * Puts pages 1..count of `source` in place of pages 1..count of `target` (same layout, printed again with
 * different text). The target's link annotations are kept, since they point at the target's destinations.
 */
export function replaceLeadingPages(update: PdfUpdate, source: PdfFile, count: number): void {
  const target = update.pdf;
  const targetPages = target.pageRefs();
  const sourcePages = source.pageRefs();
  if (count > targetPages.length || count > sourcePages.length) fail(`cannot replace ${count} pages (target ${targetPages.length}, source ${sourcePages.length})`);
  const renumbered = new Map<number, number>();
  const pending: PdfRef[] = [];
  const map = (ref: PdfRef): PdfRef => {
    let num = renumbered.get(ref.ref);
    if (num === undefined) {
      num = update.allocate();
      renumbered.set(ref.ref, num);
      pending.push(ref);
    }
    return { ref: num, gen: 0 };
  };
  const replaced = new Map<number, PdfRef>();
  const parents = new Map<number, PdfDict>();
  for (let i = 0; i < count; i++) {
    const oldRef = targetPages[i] as PdfRef;
    const oldPage = target.object(oldRef);
    const newPage = source.object(sourcePages[i] as PdfRef);
    if (!isDict(oldPage) || !isDict(newPage)) fail('page is not a dictionary');
    const parent = oldPage.get('Parent');
    if (!isRef(parent)) fail('page has no /Parent');
    const copy: PdfDict = new Map();
    for (const [k, v] of newPage) if (k !== 'Parent' && k !== 'Annots' && k !== 'StructParents') copy.set(k, v);
    const num = update.allocate();
    // Serialize now (allocating numbers for everything the page uses), with the target's parent and links.
    const body = serialize(copy, map).replace(/>>$/, `\n/Parent ${parent.ref} ${parent.gen} R${oldPage.has('Annots') ? `\n/Annots ${serialize(oldPage.get('Annots') as PdfValue)}` : ''}>>`);
    update.set(num, body);
    replaced.set(oldRef.ref, { ref: num, gen: 0 });
    if (!parents.has(parent.ref)) {
      const node = target.object(parent);
      if (!isDict(node)) fail('page tree node is not a dictionary');
      parents.set(parent.ref, node);
    }
  }
  while (pending.length > 0) {
    const ref = pending.shift() as PdfRef;
    const { value, stream } = source.objectWithStream(ref);
    update.set(renumbered.get(ref.ref) as number, serialize(value, map), stream);
  }
  const swap = (r: PdfRef): PdfRef => replaced.get(r.ref) ?? r;
  for (const [num, node] of parents) update.set(num, serialize(node, swap));
  // Named destinations on replaced pages must follow them into the new page objects.
  const dests = target.catalog().get('Dests');
  if (isRef(dests)) {
    const value = target.object(dests);
    if (isDict(value) && serialize(value) !== serialize(value, swap)) update.set(dests.ref, serialize(value, swap));
  }
}
