// How deep a record nests, decided before anything walks it. Every part that reads a record recursively
// (JSON.stringify of a detection's parameters or of `events --format json`, structured clone to and from
// worker threads, the Sigma modifiers over nested values, the renderers) overflows the stack on a value some
// thousands of levels deep, and a record is text anyone who can call an AWS API controls. So a record nested
// deeper than MAX_RECORD_DEPTH is refused where it is read, as that record's problem, and nothing past the
// readers ever meets one. Real CloudTrail records nest about 10 deep.
//
// The check is cheap because it is rare that it has work to do: a record's depth is at most the number of
// `{` and `[` in its text, which a few native indexOf calls count; only a record with more openers than
// the bound (a large responseElements) is scanned character by character, strings skipped.

/** Nesting (objects and arrays) past which a record is refused: real CloudTrail records are about 10 deep. */
export const MAX_RECORD_DEPTH = 64;

/** The reason a refused record is listed with. */
export const TOO_DEEP = `nested deeper than ${MAX_RECORD_DEPTH} levels (MAX_RECORD_DEPTH)`;

/** Whether text[start, end) holds more than `max` `{` and `[` (stops counting once it does). */
function moreOpenersThan(text: string, start: number, end: number, max: number): boolean {
  let n = 0;
  for (let i = text.indexOf('{', start); i >= 0 && i < end; i = text.indexOf('{', i + 1)) if (++n > max) return true;
  for (let i = text.indexOf('[', start); i >= 0 && i < end; i = text.indexOf('[', i + 1)) if (++n > max) return true;
  return false;
}

/**
 * Whether the JSON text in [start, end) nests deeper than `max` (brackets inside strings do not count). Text
 * that is not JSON gives some answer; the parser that follows says what is wrong with it.
 */
export function textTooDeep(text: string, start = 0, end = text.length, max = MAX_RECORD_DEPTH): boolean {
  if (!moreOpenersThan(text, start, end, max)) return false;
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote, past escaped characters.
      for (i++; i < end; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/**
 * Whether a value (already parsed) nests deeper than `max`. It recurses, but never past `max` levels, so it
 * cannot overflow whatever the value; it allocates nothing (a worker runs it on every record of the plain path).
 */
export function valueTooDeep(value: unknown, max = MAX_RECORD_DEPTH): boolean {
  return value !== null && typeof value === 'object' && deeperThan(value, 1, max);
}

function deeperThan(value: object, depth: number, max: number): boolean {
  if (depth > max) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (child !== null && typeof child === 'object' && deeperThan(child, depth + 1, max)) return true;
    }
    return false;
  }
  const entries = value as Record<string, unknown>;
  for (const key in entries) {
    const child = entries[key];
    if (child !== null && typeof child === 'object' && deeperThan(child, depth + 1, max)) return true;
  }
  return false;
}
