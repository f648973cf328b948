// A compiled detection as data: the same logic as the `match` closures, in a tree other back ends can
// translate (the SQL compiler in src/sql). Values are already expanded (placeholders, base64, windash), so
// a back end only needs the four kinds of value test below and the record-reading rules the engine uses:
// a path may cross arrays (any element), strings compare case-insensitively unless `cased`, numbers and
// booleans compare by their text, and `null` means absent.
import type { Token } from './patterns.js';

export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
export type CompareOp = 'lt' | 'lte' | 'gt' | 'gte' | 'eq';

export type ValueTest =
  /** Whole-text match of a wildcard pattern (an exact value is one text token). */
  | { kind: 'pattern'; tokens: Token[]; cased: boolean }
  /** A JavaScript regular expression (source and flags), found anywhere in the text. */
  | { kind: 'regex'; source: string; flags: string }
  /** IPv4 or IPv6 networks as written (e.g. 10.0.0.0/8); the text must be an address inside one. */
  | { kind: 'cidr'; networks: string[] }
  /** The text read as a number (or, with `part`, as a date whose UTC part is compared). */
  | { kind: 'compare'; op: CompareOp; bound: number; part: TimePart | null };

/** One value as written: `null` (absent), or alternatives any of which matches. */
export type ValueGroup = { kind: 'null' } | { kind: 'any'; tests: ValueTest[] };

export type Expr =
  | { kind: 'and'; items: Expr[] }
  | { kind: 'or'; items: Expr[] }
  | { kind: 'not'; item: Expr }
  /** At least `n` of the items hold (Sigma `2 of selection_*`). */
  | { kind: 'atLeast'; n: number; items: Expr[] }
  | { kind: 'const'; value: boolean }
  /**
   * A field against its values. Without `all` (or with one group): some group holds, a null group by the
   * value being absent. With `all`: every group holds. `neq`: the field is present and the test fails.
   */
  | { kind: 'field'; field: string; groups: ValueGroup[]; all: boolean; neq: boolean }
  /** Sigma `exists`: whether the key is there (with any value, null included). */
  | { kind: 'exists'; field: string; present: boolean }
  /** Sigma `fieldref`: the field's text against another field's (any pair of values). */
  | { kind: 'fieldref'; field: string; refs: string[]; position: 'contains' | 'startswith' | 'endswith' | null; cased: boolean; all: boolean; neq: boolean }
  /** Keywords: text found in any scalar of the record; with `all`, every group somewhere. */
  | { kind: 'keyword'; groups: ValueTest[][]; all: boolean };

export const TRUE: Expr = { kind: 'const', value: true };
export const FALSE: Expr = { kind: 'const', value: false };
