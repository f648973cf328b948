// Just enough PDF to finish what Chromium prints: read the page tree and the named destinations (to put page
// numbers in the table of contents) and append an incremental update with the document information
// (title, subject, author, keywords, dates). Written for the classic xref tables Chromium's Skia writes; a
// file it cannot read is an error, never a silently unfinished report.
import { TrailproofError } from '../errors.js';

export type PdfValue = number | boolean | null | string | PdfName | PdfRef | PdfValue[] | PdfDict;
export interface PdfName { name: string }
export interface PdfRef { ref: number; gen: number }
export type PdfDict = Map<string, PdfValue>;

export const isName = (v: PdfValue | undefined): v is PdfName => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && 'name' in v;
export const isRef = (v: PdfValue | undefined): v is PdfRef => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && 'ref' in v;
export const isDict = (v: PdfValue | undefined): v is PdfDict => v instanceof Map;

export function fail(message: string): never {
  throw new TrailproofError('TP_OUTPUT_FAILED', `PDF post-processing: ${message}`);
}

const DELIMITERS = '()<>[]{}/%';
const isSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\f' || c === '\0';

/** A small reader for PDF objects (no streams: only their dictionaries are needed). */
class Parser {
  constructor(private readonly s: string, public pos: number) {}

  private skip(): void {
    for (;;) {
      while (this.pos < this.s.length && isSpace(this.s[this.pos] as string)) this.pos++;
      if (this.s[this.pos] !== '%') return;
      while (this.pos < this.s.length && this.s[this.pos] !== '\n' && this.s[this.pos] !== '\r') this.pos++;
    }
  }

  private token(): string {
    this.skip();
    const start = this.pos;
    while (this.pos < this.s.length && !isSpace(this.s[this.pos] as string) && !DELIMITERS.includes(this.s[this.pos] as string)) this.pos++;
    return this.s.slice(start, this.pos);
  }

  value(): PdfValue {
    this.skip();
    const c = this.s[this.pos];
    if (c === undefined) fail('unexpected end of file');
    if (c === '/') {
      this.pos++;
      const raw = this.token();
      return { name: raw.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) };
    }
    if (c === '<' && this.s[this.pos + 1] === '<') {
      this.pos += 2;
      const dict: PdfDict = new Map();
      for (;;) {
        this.skip();
        if (this.s.startsWith('>>', this.pos)) {
          this.pos += 2;
          return dict;
        }
        const key = this.value();
        if (!isName(key)) fail(`dictionary key expected at byte ${this.pos}`);
        dict.set(key.name, this.value());
      }
    }
    if (c === '[') {
      this.pos++;
      const list: PdfValue[] = [];
      for (;;) {
        this.skip();
        if (this.s[this.pos] === ']') {
          this.pos++;
          return list;
        }
        list.push(this.value());
      }
    }
    if (c === '(') return this.literal();
    if (c === '<') {
      const end = this.s.indexOf('>', this.pos);
      const hex = this.s.slice(this.pos + 1, end).replace(/\s/g, '');
      this.pos = end + 1;
      return Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex').toString('latin1');
    }
    const word = this.token();
    if (word === '') fail(`unexpected "${c}" at byte ${this.pos}`);
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === 'null') return null;
    const n = Number(word);
    if (Number.isNaN(n)) fail(`unexpected token "${word}" at byte ${this.pos}`);
    // "12 0 R" is a reference: look ahead without consuming when it is not one.
    const save = this.pos;
    const gen = this.token();
    if (/^\d+$/.test(gen) && Number.isInteger(n)) {
      const r = this.token();
      if (r === 'R') return { ref: n, gen: Number(gen) };
    }
    this.pos = save;
    return n;
  }

  private literal(): string {
    let depth = 0;
    let out = '';
    for (this.pos++; this.pos < this.s.length; this.pos++) {
      const c = this.s[this.pos] as string;
      if (c === '\\') {
        this.pos++;
        const e = this.s[this.pos] as string;
        const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
        if (/[0-7]/.test(e)) {
          const oct = /^[0-7]{1,3}/.exec(this.s.slice(this.pos, this.pos + 3))?.[0] ?? e;
          out += String.fromCharCode(parseInt(oct, 8));
          this.pos += oct.length - 1;
        } else out += map[e] ?? e;
      } else if (c === '(') {
        depth++;
        out += c;
      } else if (c === ')') {
        if (depth === 0) {
          this.pos++;
          return out;
        }
        depth--;
        out += c;
      } else out += c;
    }
    return fail('unterminated string');
  }
}

export class PdfFile {
  private readonly text: string;
  private readonly offsets = new Map<number, number>();
  readonly trailer: PdfDict;
  readonly startxref: number;

  constructor(readonly bytes: Uint8Array) {
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const at = this.text.lastIndexOf('startxref');
    if (at < 0) fail('no startxref (not a PDF, or a truncated one)');
    this.startxref = Number(/startxref\s+(\d+)/.exec(this.text.slice(at))?.[1] ?? NaN);
    if (!Number.isInteger(this.startxref)) fail('unreadable startxref');
    let trailer: PdfDict | undefined;
    for (let xref: number | undefined = this.startxref; xref !== undefined;) {
      if (!this.text.startsWith('xref', xref)) fail('cross-reference streams are not supported (expected a classic xref table)');
      const section = this.readXref(xref);
      trailer ??= section;
      const prev = section.get('Prev');
      xref = typeof prev === 'number' ? prev : undefined;
    }
    this.trailer = trailer as PdfDict;
  }

  private readXref(at: number): PdfDict {
    const re = /(\d+)\s+(\d+)\s*[\r\n]+/y;
    let pos = at + 4;
    for (;;) {
      while (isSpace(this.text[pos] as string)) pos++;
      if (this.text.startsWith('trailer', pos)) break;
      re.lastIndex = pos;
      const m = re.exec(this.text);
      if (!m) fail(`malformed xref table at byte ${pos}`);
      const first = Number(m[1]);
      const count = Number(m[2]);
      pos = re.lastIndex;
      for (let i = 0; i < count; i++) {
        const entry = this.text.slice(pos, pos + 20);
        if (entry[17] === 'n' && !this.offsets.has(first + i)) this.offsets.set(first + i, Number(entry.slice(0, 10)));
        pos += 20;
      }
    }
    const trailer = new Parser(this.text, pos + 'trailer'.length).value();
    if (!isDict(trailer)) fail('trailer is not a dictionary');
    return trailer;
  }

  get size(): number {
    const n = this.trailer.get('Size');
    return typeof n === 'number' ? n : Math.max(0, ...this.offsets.keys()) + 1;
  }

  object(ref: PdfRef): PdfValue {
    return this.objectWithStream(ref).value;
  }

  /** An object, and for a stream object its raw (still encoded) bytes. */
  objectWithStream(ref: PdfRef): { value: PdfValue; stream: Uint8Array | null } {
    const at = this.offsets.get(ref.ref);
    if (at === undefined) fail(`object ${ref.ref} is not in the xref table`);
    const header = /^\s*(\d+)\s+(\d+)\s+obj/.exec(this.text.slice(at, at + 40));
    if (!header || Number(header[1]) !== ref.ref) fail(`object ${ref.ref} is not at the offset its xref entry gives`);
    const parser = new Parser(this.text, at + header[0].length);
    const value = parser.value();
    const after = /^\s*stream(\r\n|\n)/.exec(this.text.slice(parser.pos, parser.pos + 16));
    if (!after || !isDict(value)) return { value, stream: null };
    const length = this.resolve(value.get('Length'));
    if (typeof length !== 'number') fail(`stream object ${ref.ref} has no usable /Length`);
    const start = parser.pos + after[0].length;
    return { value, stream: this.bytes.subarray(start, start + length) };
  }

  resolve(v: PdfValue | undefined): PdfValue | undefined {
    return isRef(v) ? this.object(v) : v;
  }

  catalog(): PdfDict {
    const root = this.trailer.get('Root');
    const cat = isRef(root) ? this.object(root) : undefined;
    if (!isDict(cat)) fail('no document catalog');
    return cat;
  }

  /** Page object numbers in reading order. */
  pages(): number[] {
    return this.pageRefs().map((r) => r.ref);
  }

  pageRefs(): PdfRef[] {
    const out: PdfRef[] = [];
    const walk = (ref: PdfValue | undefined, depth: number): void => {
      if (!isRef(ref) || depth > 32) return;
      const node = this.object(ref);
      if (!isDict(node)) return;
      const kids = this.resolve(node.get('Kids'));
      if (Array.isArray(kids)) for (const k of kids) walk(k, depth + 1);
      else out.push(ref);
    };
    walk(this.catalog().get('Pages'), 0);
    return out;
  }

  /** Named destination -> 1-based page number (from the catalog's /Dests or the /Names tree). */
  namedDestinations(): Map<string, number> {
    const pageIndex = new Map(this.pages().map((ref, i) => [ref, i + 1]));
    const out = new Map<string, number>();
    const add = (name: string, dest: PdfValue | undefined): void => {
      let d = this.resolve(dest);
      if (isDict(d)) d = this.resolve(d.get('D'));
      const page = Array.isArray(d) ? d[0] : undefined;
      if (isRef(page) && pageIndex.has(page.ref)) out.set(name, pageIndex.get(page.ref) as number);
    };
    const dests = this.resolve(this.catalog().get('Dests'));
    if (isDict(dests)) for (const [name, dest] of dests) add(name, dest);
    const names = this.resolve(this.catalog().get('Names'));
    const walk = (node: PdfValue | undefined, depth: number): void => {
      const n = this.resolve(node);
      if (!isDict(n) || depth > 32) return;
      const pairs = this.resolve(n.get('Names'));
      if (Array.isArray(pairs)) for (let i = 0; i + 1 < pairs.length; i += 2) if (typeof pairs[i] === 'string') add(pairs[i] as string, pairs[i + 1]);
      const kids = this.resolve(n.get('Kids'));
      if (Array.isArray(kids)) for (const k of kids) walk(k, depth + 1);
    };
    if (isDict(names)) walk(names.get('Dests'), 0);
    return out;
  }
}

