// Sigma string values compiled once into string tests: wildcards `*` and `?` with backslash escapes,
// `windash` dash classes, case-insensitive by default. Plain shapes (exact, prefix, suffix, infix) become
// string operations on the lowercased text; anything else is matched segment by segment (src/wildcard.ts),
// in time bounded by text length x pattern length, never by a regular expression a pattern could make slow.
import { segmentsMatcher, type CharClass, type Piece } from '../../wildcard.js';

export type Token = { kind: 'text'; text: string } | { kind: 'star' } | { kind: 'one' } | { kind: 'dash' };

/** A test of one text; `lower` is `raw.toLowerCase()`, computed once by the caller. */
export type StringTest = (raw: string, lower: string) => boolean;

const DASHES = new Set(['-', '/', '\u2013', '\u2014', '\u2015']);

function pushText(tokens: Token[], text: string): void {
  const last = tokens[tokens.length - 1];
  if (last?.kind === 'text') last.text += text;
  else tokens.push({ kind: 'text', text });
}

/**
 * Sigma's escaping: a backslash escapes a following `*`, `?` or backslash; before anything else it is a
 * plain backslash. With windash, each dash-like character stands for any of them.
 */
export function parseWildcards(value: string, windash = false): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\') {
      const next = value[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        pushText(tokens, next);
        i++;
      } else pushText(tokens, '\\');
    } else if (c === '*') {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') tokens.push({ kind: 'one' });
    else if (windash && DASHES.has(c)) tokens.push({ kind: 'dash' });
    else pushText(tokens, c);
  }
  return tokens;
}

/** Tokens for a value that must be taken literally (encoded values, parameters of cased tests). */
export function literal(text: string): Token[] {
  return text === '' ? [] : [{ kind: 'text', text }];
}

export function wrapStar(tokens: Token[], before: boolean, after: boolean): Token[] {
  const out = [...tokens];
  if (before && out[0]?.kind !== 'star') out.unshift({ kind: 'star' });
  if (after && out[out.length - 1]?.kind !== 'star') out.push({ kind: 'star' });
  return out;
}

/** The exact text when the pattern has no wildcard, else null. */
export function exactText(tokens: readonly Token[]): string | null {
  if (tokens.length === 0) return '';
  if (tokens.length === 1 && tokens[0]?.kind === 'text') return tokens[0].text;
  return null;
}

const DASH_CODES = new Set([...DASHES].map((d) => d.charCodeAt(0)));
const isDash: CharClass = (code) => DASH_CODES.has(code);
const anyOne: CharClass = () => true;

export function compilePattern(tokens: readonly Token[], cased: boolean): StringTest {
  const kinds = tokens.map((t) => t.kind).join(',');
  const texts = tokens.filter((t): t is { kind: 'text'; text: string } => t.kind === 'text').map((t) => (cased ? t.text : t.text.toLowerCase()));
  const [a = '', b = ''] = texts;
  switch (kinds) {
    case '':
      return (raw) => raw === '';
    case 'text':
      return cased ? (raw) => raw === a : (_raw, lower) => lower === a;
    case 'star':
      return () => true;
    case 'star,text':
      return cased ? (raw) => raw.endsWith(a) : (_raw, lower) => lower.endsWith(a);
    case 'text,star':
      return cased ? (raw) => raw.startsWith(a) : (_raw, lower) => lower.startsWith(a);
    case 'star,text,star':
      return cased ? (raw) => raw.includes(a) : (_raw, lower) => lower.includes(a);
    case 'text,star,text':
      return cased
        ? (raw) => raw.length >= a.length + b.length && raw.startsWith(a) && raw.endsWith(b)
        : (_raw, lower) => lower.length >= a.length + b.length && lower.startsWith(a) && lower.endsWith(b);
    default: {
      // Matched segment by segment, not as a regular expression: `*a*b*c*...` would make a backtracking
      // engine's time grow with the text to the power of the number of stars (src/wildcard.ts).
      const segments: Piece[][] = [[]];
      for (const t of tokens) {
        if (t.kind === 'star') segments.push([]);
        else (segments[segments.length - 1] as Piece[]).push(t.kind === 'text' ? (cased ? t.text : t.text.toLowerCase()) : t.kind === 'one' ? anyOne : isDash);
      }
      const test = segmentsMatcher(segments);
      return cased ? (raw) => test(raw) : (_raw, lower) => test(lower);
    }
  }
}

export type Utf16 = 'utf16le' | 'utf16be' | 'utf16';

export function encodeText(text: string, utf16: Utf16 | null): Buffer {
  if (utf16 === null) return Buffer.from(text, 'utf8');
  const le = Buffer.from(text, 'utf16le');
  if (utf16 === 'utf16le') return le;
  const be = Buffer.from(le);
  be.swap16();
  return utf16 === 'utf16be' ? be : Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
}

/** Sigma `base64`: the value's Base64 text, as pySigma encodes it (padding kept). */
export function base64(bytes: Buffer): string {
  return bytes.toString('base64');
}

/**
 * Sigma `base64offset`: the three encodings of a value depending on its byte offset (0, 1 or 2) in the
 * encoded text, each cut to the characters that do not depend on the surrounding bytes.
 */
export function base64Offsets(bytes: Buffer): string[] {
  const starts = [0, 2, 3];
  const endCut = [0, 3, 2];
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
    const encoded = padded.toString('base64');
    const cut = endCut[(bytes.length + shift) % 3] as number;
    out.push(encoded.slice(starts[shift] as number, encoded.length - cut));
  }
  return out;
}
