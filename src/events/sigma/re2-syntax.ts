// A JavaScript regular expression (the syntax and meaning rules' `|re` values have always had here) rewritten
// for RE2, the linear-time engine (re2js) that runs the patterns rules bring. The two dialects share most of
// their syntax but not all of its meaning, so the rewrite spells out what JavaScript means: `\s` is
// JavaScript's Unicode whitespace (RE2's is ASCII only), `.` stops at \r, U+2028 and U+2029 as well as \n,
// `\uXXXX` is a code unit, an escaped letter JavaScript does not know is the letter itself (RE2 reads `\z`,
// `\A`, `\pL`... as its own), `[]` matches nothing and `[^]` anything. What RE2 cannot do, or cannot do
// with JavaScript's meaning, is not guessed at: the result names it (a backreference, lookaround, `^` or `$`
// under the m flag, a character outside the Basic Multilingual Plane) and the caller decides (regex.ts).
// The pattern is known to be a valid JavaScript regular expression (the caller compiled it first).

export type Re2Syntax = { ok: true; source: string } | { ok: false; reason: string };

export interface RegexFlags {
  i: boolean;
  m: boolean;
  s: boolean;
}

class CannotTranslate extends Error {}

/** JavaScript's `\s`: WhiteSpace and LineTerminator (ECMA-262), as code point ranges. */
const SPACE: ReadonlyArray<readonly [number, number]> = [
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
];
const MAX_CODE_POINT = 0x10ffff;

function complement(ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

const hex = (cp: number): string => `\\x{${cp.toString(16).toUpperCase()}}`;
const rangesText = (ranges: ReadonlyArray<readonly [number, number]>): string => ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('');

const SPACE_SET = rangesText(SPACE);
const NOT_SPACE_SET = rangesText(complement(SPACE));
/** `.` without the s flag: anything but JavaScript's line terminators. */
const DOT = `[^${rangesText([[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]])}]`;
const ANY = `[${rangesText([[0, MAX_CODE_POINT]])}]`;
const NOTHING = `[^${rangesText([[0, MAX_CODE_POINT]])}]`;

const CONTROL: Record<string, number> = { t: 0x09, n: 0x0a, v: 0x0b, f: 0x0c, r: 0x0d };
/** Class escapes both dialects read alike (ASCII digits and word characters). */
const SHARED_CLASSES = new Set(['d', 'D', 'w', 'W']);

/** One atom of a character class: a single code unit, or a set (a class escape) that cannot end a range. */
type ClassAtom = { kind: 'char'; cp: number } | { kind: 'set'; text: string } | { kind: 'dash' };

/** A literal character outside a class: letters and digits as themselves, anything else by code. */
function literal(cp: number): string {
  const c = String.fromCharCode(cp);
  return /[A-Za-z0-9]/.test(c) ? c : hex(cp);
}

class Translator {
  private pos = 0;
  constructor(
    private readonly src: string,
    private readonly flags: RegexFlags,
  ) {}

  run(): string {
    if (/[\uD800-\uDFFF]/.test(this.src)) throw new CannotTranslate('it holds a character outside the Basic Multilingual Plane, which JavaScript matches as two code units');
    let out = '';
    while (this.pos < this.src.length) out += this.atom();
    return out;
  }

  private peek(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }

  private atom(): string {
    const c = this.src[this.pos++] as string;
    switch (c) {
      case '\\':
        return this.escape();
      case '[':
        return this.klass();
      case '.':
        return this.flags.s ? ANY : DOT;
      case '^':
      case '$':
        if (this.flags.m) throw new CannotTranslate(`it uses ${c} under the m flag, where JavaScript also ends a line at \\r, U+2028 and U+2029`);
        return c;
      case '(':
        return this.group();
      case '|':
      case ')':
      case '*':
      case '+':
      case '?':
        return c;
      case '{': {
        // A quantifier ({n}, {n,}, {n,m}) in both dialects; any other brace is a literal in both.
        const q = /^\{\d+(,\d*)?\}/.exec(this.src.slice(this.pos - 1));
        if (q === null) return hex(0x7b);
        this.pos += q[0].length - 1;
        return q[0];
      }
      default:
        return literal(c.charCodeAt(0));
    }
  }

  private group(): string {
    if (this.peek() !== '?') return '(';
    const rest = this.src.slice(this.pos);
    if (rest.startsWith('?:')) {
      this.pos += 2;
      return '(?:';
    }
    if (rest.startsWith('?=') || rest.startsWith('?!')) throw new CannotTranslate('it uses lookahead');
    if (rest.startsWith('?<=') || rest.startsWith('?<!')) throw new CannotTranslate('it uses lookbehind');
    const named = /^\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    if (named !== null) {
      this.pos += named[0].length;
      return `(?P<${named[1] as string}>`;
    }
    throw new CannotTranslate(`it uses the group syntax (${rest.slice(0, 4)}`);
  }

  /** The escape after a backslash, outside a class (or, with inClass, as a class atom). */
  private escapeAtom(inClass: boolean): ClassAtom {
    const c = this.src[this.pos++] ?? '';
    if (c === '') throw new CannotTranslate('it ends with a backslash');
    if (c === 's') return { kind: 'set', text: inClass ? SPACE_SET : `[${SPACE_SET}]` };
    if (c === 'S') return { kind: 'set', text: inClass ? NOT_SPACE_SET : `[${NOT_SPACE_SET}]` };
    if (SHARED_CLASSES.has(c)) return { kind: 'set', text: `\\${c}` };
    if (c === 'b' || c === 'B') return inClass ? (c === 'b' ? { kind: 'char', cp: 0x08 } : { kind: 'char', cp: 0x42 }) : { kind: 'set', text: `\\${c}` };
    const control = CONTROL[c];
    if (control !== undefined) return { kind: 'char', cp: control };
    if (c === '0' && !/[0-9]/.test(this.peek())) return { kind: 'char', cp: 0 };
    if (/[0-9]/.test(c)) throw new CannotTranslate(`it uses \\${c}, a backreference (or a legacy octal escape)`);
    if (c === 'k') throw new CannotTranslate('it uses \\k, a named backreference');
    if (c === 'c') throw new CannotTranslate('it uses a \\c control escape');
    if (c === 'x' || c === 'u') {
      const digits = c === 'x' ? 2 : 4;
      const code = this.src.slice(this.pos, this.pos + digits);
      if (code.length === digits && /^[0-9A-Fa-f]+$/.test(code)) {
        this.pos += digits;
        const cp = parseInt(code, 16);
        if (cp >= 0xd800 && cp <= 0xdfff) throw new CannotTranslate('it names a surrogate code unit, which RE2 does not match on its own');
        return { kind: 'char', cp };
      }
      return { kind: 'char', cp: c.charCodeAt(0) };
    }
    // Any other escaped character is that character (JavaScript without the u flag).
    return { kind: 'char', cp: c.charCodeAt(0) };
  }

  private escape(): string {
    const atom = this.escapeAtom(false);
    return atom.kind === 'char' ? literal(atom.cp) : atom.kind === 'set' ? atom.text : '-';
  }

  private klass(): string {
    const negated = this.peek() === '^';
    if (negated) this.pos++;
    const atoms: ClassAtom[] = [];
    for (;;) {
      const c = this.src[this.pos++];
      if (c === undefined) throw new CannotTranslate('a character class is not closed');
      if (c === ']') break;
      if (c === '\\') atoms.push(this.escapeAtom(true));
      else if (c === '-') atoms.push({ kind: 'dash' });
      else atoms.push({ kind: 'char', cp: c.charCodeAt(0) });
    }
    if (atoms.length === 0) return negated ? ANY : NOTHING;
    let body = '';
    for (let i = 0; i < atoms.length; i++) {
      const a = atoms[i] as ClassAtom;
      const dash = atoms[i + 1];
      const end = atoms[i + 2];
      // JavaScript makes a range only between two single characters; a dash anywhere else is itself.
      if (a.kind === 'char' && dash?.kind === 'dash' && end?.kind === 'char') {
        body += `${hex(a.cp)}-${hex(end.cp)}`;
        i += 2;
      } else body += a.kind === 'char' ? hex(a.cp) : a.kind === 'set' ? a.text : '\\-';
    }
    return `[${negated ? '^' : ''}${body}]`;
  }
}

/** The pattern in RE2 syntax with JavaScript's meaning, or why there is none. */
export function re2Syntax(source: string, flags: RegexFlags): Re2Syntax {
  try {
    return { ok: true, source: new Translator(source, flags).run() };
  } catch (err) {
    if (err instanceof CannotTranslate) return { ok: false, reason: err.message };
    throw err;
  }
}
