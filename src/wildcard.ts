// Wildcard patterns (`*` any run of characters, optionally `?` one character) matched without a regular
// expression. The patterns come from input (IAM and S3 policy documents in evidence, CloudWatch metric filter
// patterns, config waivers' resources, Sigma condition selection names): turned into `^a.*b.*c$` they make a
// backtracking engine take time that grows with the text to the power of the number of stars. Matched here
// segment by segment (the text between stars, each found at its leftmost place after the one before, which
// is where any match can put it), the time is at most text length x pattern length, whatever the pattern.

export interface WildcardOptions {
  /** Compare lowercased text and pattern (default false). */
  ignoreCase?: boolean;
  /** Whether `?` stands for one character (default true); when false it is itself. */
  questionMark?: boolean;
}

/** A piece of a segment: literal text, or one character (UTF-16 code unit) the class accepts. */
export type Piece = string | CharClass;
export type CharClass = (code: number) => boolean;

const ANY_ONE: CharClass = () => true;

function pieceLength(p: Piece): number {
  return typeof p === 'string' ? p.length : 1;
}

/** Whether the pieces match `text` at `at` (the caller checked the length fits). */
function matchesAt(pieces: readonly Piece[], text: string, at: number): boolean {
  let pos = at;
  for (const p of pieces) {
    if (typeof p === 'string') {
      if (!text.startsWith(p, pos)) return false;
      pos += p.length;
    } else if (!p(text.charCodeAt(pos++))) return false;
  }
  return true;
}

/** The leftmost place in [from, last] where the pieces match, or -1. */
function find(pieces: readonly Piece[], text: string, from: number, last: number): number {
  if (from > last) return -1;
  if (pieces.length === 1 && typeof pieces[0] === 'string') {
    const at = text.indexOf(pieces[0], from);
    return at > last ? -1 : at;
  }
  for (let at = from; at <= last; at++) if (matchesAt(pieces, text, at)) return at;
  return -1;
}

/**
 * A test of the whole text against segments that stars separate: the first anchored at the start, the last
 * at the end, the others in order between. With one segment, the text must be exactly that segment.
 */
export function segmentsMatcher(segments: ReadonlyArray<readonly Piece[]>): (text: string) => boolean {
  const lengths = segments.map((s) => s.reduce((n, p) => n + pieceLength(p), 0));
  const first = segments[0] ?? [];
  const firstLength = lengths[0] ?? 0;
  if (segments.length <= 1) return (text) => text.length === firstLength && matchesAt(first, text, 0);
  const last = segments[segments.length - 1] as readonly Piece[];
  const lastLength = lengths[lengths.length - 1] as number;
  const middle = segments.slice(1, -1).map((pieces, i) => ({ pieces, length: lengths[i + 1] as number })).filter((m) => m.length > 0);
  return (text) => {
    const end = text.length - lastLength;
    if (end < firstLength || !matchesAt(first, text, 0) || !matchesAt(last, text, end)) return false;
    let at = firstLength;
    for (const m of middle) {
      const found = find(m.pieces, text, at, end - m.length);
      if (found < 0) return false;
      at = found + m.length;
    }
    return true;
  };
}

/** A test of texts against one wildcard pattern, prepared once. */
export function wildcardMatcher(pattern: string, options: WildcardOptions = {}): (text: string) => boolean {
  const ignoreCase = options.ignoreCase ?? false;
  const one = options.questionMark ?? true;
  const segments = (ignoreCase ? pattern.toLowerCase() : pattern).split('*').map((segment): Piece[] => {
    if (!one) return segment === '' ? [] : [segment];
    const pieces: Piece[] = [];
    segment.split('?').forEach((text, i) => {
      if (i > 0) pieces.push(ANY_ONE);
      if (text !== '') pieces.push(text);
    });
    return pieces;
  });
  const test = segmentsMatcher(segments);
  return ignoreCase ? (text) => test(text.toLowerCase()) : test;
}

/** Whether `text` matches the wildcard `pattern` (see wildcardMatcher). */
export function wildcardMatch(pattern: string, text: string, options: WildcardOptions = {}): boolean {
  return wildcardMatcher(pattern, options)(text);
}
