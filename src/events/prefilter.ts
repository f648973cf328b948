// A raw-text prefilter in front of JSON.parse. Most events match no rule, and parsing is most of what a scan
// costs, so a log file's `Records` array is cut into per-record text slices and only the records some rule
// could match are parsed.
//
// What "could match" means is derived from each rule's detection (its Expr tree): a condition every event
// the rule matches meets, over a few keys. "Some occurrence of key K, at any depth, has a value that passes
// test T" is such a condition when the rule requires K (the last segment of a field path) to pass T: the
// record's own field is one of those occurrences. Extra occurrences (the same key nested deeper) only make
// a record a candidate for nothing. Conditions are weakened, never strengthened: `not`, `null` and anything
// else that does not require a value become "anything", and a rule left with "anything" turns the prefilter
// off (every record is parsed), so the detections are those of the plain path by construction.
//
// A record is parsed whatever the keys say when its text holds a backslash (an escape: the value as written
// is not the value) or a character outside ASCII (case folding beyond ASCII). A file that is not in the form
// CloudTrail writes (`{"Records":[{"eventVersion":...},{"eventVersion":...}]}`, no white space between
// records) is parsed whole. Records are split where `},{"eventVersion":` occurs: that text always begins an
// object whose first key is eventVersion, so a split falls inside a record only where a request holds an
// array of objects whose first key is eventVersion. No AWS API logs such a thing; were one to, the parts
// would fail JSON.parse when they are candidates (and the file is then parsed whole). A record that is not
// parsed is not checked to be valid JSON: the gzip checksum stands for the file's integrity.
import type { Expr, ValueTest } from './sigma/expr.js';
import { compilePattern, exactText, type StringTest } from './sigma/patterns.js';
import { recordRange, SPLIT } from './readers/batches.js';
import type { RuleSet } from './sigma/ruleset.js';

/**
 * A necessary condition over keys: a `key` leaf holds for a record when some occurrence of the key passes
 * its test (null: the key being there is enough); an `atom` is a leaf once it has a bit of its own.
 */
type Need =
  | { kind: 'any' }
  | { kind: 'none' }
  | { kind: 'key'; key: string; test: StringTest | null; exact: string[] | null }
  | { kind: 'atom'; bit: number }
  | { kind: 'and' | 'or'; items: Need[] };
type KeyNeed = Extract<Need, { kind: 'key' }>;

const ANY: Need = { kind: 'any' };
const NONE: Need = { kind: 'none' };

/**
 * Keys nearly every CloudTrail record has with one of a few values: a pass over the text for them costs
 * more than the parses it saves. Used only when a rule has nothing better.
 */
const UNSELECTIVE = new Set(['eventType', 'eventVersion', 'eventCategory', 'awsRegion', 'recipientAccountId']);

function and(items: Need[]): Need {
  const kept = items.filter((i) => i.kind !== 'any');
  if (kept.some((i) => i.kind === 'none')) return NONE;
  return kept.length === 0 ? ANY : kept.length === 1 ? (kept[0] as Need) : { kind: 'and', items: kept };
}

function or(items: Need[]): Need {
  if (items.some((i) => i.kind === 'any')) return ANY;
  const kept = items.filter((i) => i.kind !== 'none');
  return kept.length === 0 ? NONE : kept.length === 1 ? (kept[0] as Need) : { kind: 'or', items: kept };
}

function lastKey(field: string): string | null {
  const key = field.split('.').pop() ?? '';
  return key === '' ? null : key;
}

/** What a value test needs of the key's value: a text test, or (for numbers, networks, regexes) just a value. */
function valueNeed(key: string, test: ValueTest): Need {
  if (test.kind !== 'pattern') return { kind: 'key', key, test: null, exact: null };
  const text = exactText(test.tokens);
  return { kind: 'key', key, test: compilePattern(test.tokens, test.cased), exact: text !== null && !test.cased ? [text.toLowerCase()] : null };
}

/** A condition every record the expression matches meets (ANY when there is none to be had). */
export function necessary(expr: Expr): Need {
  switch (expr.kind) {
    case 'const':
      return expr.value ? ANY : NONE;
    case 'and':
      return and(expr.items.map(necessary));
    case 'or':
      return or(expr.items.map(necessary));
    case 'atLeast':
      return expr.n > expr.items.length ? NONE : or(expr.items.map(necessary));
    case 'field': {
      const key = lastKey(expr.field);
      if (key === null || expr.neq || expr.groups.some((g) => g.kind === 'null')) return ANY;
      const groups = expr.groups.map((g) => (g.kind === 'any' ? or(g.tests.map((t) => valueNeed(key, t))) : ANY));
      return expr.all ? and(groups) : or(groups);
    }
    case 'exists': {
      const key = lastKey(expr.field);
      return key !== null && expr.present ? { kind: 'key', key, test: null, exact: null } : ANY;
    }
    case 'not':
    case 'fieldref':
    case 'keyword':
      return ANY;
  }
}

/** The condition with every key outside `keys` taken as "anything". */
function restrict(need: Need, keys: ReadonlySet<string>): Need {
  switch (need.kind) {
    case 'key':
      return keys.has(need.key) ? need : ANY;
    case 'and':
      return and(need.items.map((i) => restrict(i, keys)));
    case 'or':
      return or(need.items.map((i) => restrict(i, keys)));
    default:
      return need;
  }
}

function keysOf(need: Need, out: Set<string> = new Set()): Set<string> {
  if (need.kind === 'key') out.add(need.key);
  else if (need.kind === 'and' || need.kind === 'or') for (const i of need.items) keysOf(i, out);
  return out;
}

/** The keys a rule's condition is checked on: eventName when that is enough, else its own selective keys. */
function keysFor(need: Need): Set<string> {
  const byName = new Set(['eventName']);
  if (restrict(need, byName).kind !== 'any') return byName;
  const own = keysOf(need);
  const selective = new Set([...own].filter((k) => !UNSELECTIVE.has(k)));
  return restrict(need, selective).kind !== 'any' ? selective : own;
}

/** One fact a record may show: some occurrence of `key` passes one of `tests` (null: is there at all). */
interface Atom {
  key: string;
  bit: number;
  tests: StringTest[] | null;
  /** The lowercase values, when every test is a case-insensitive exact value. */
  exact: string[] | null;
}

function sameAtom(atom: Atom, leaf: KeyNeed): boolean {
  if (atom.key !== leaf.key) return false;
  // eventName has one atom for every rule: the record is parsed when any rule's names could match.
  if (leaf.key === 'eventName') return true;
  if (atom.tests === null || leaf.test === null) return atom.tests === null && leaf.test === null;
  return atom.exact !== null && leaf.exact !== null && atom.exact.join('\n') === leaf.exact.join('\n');
}

/** Replaces each key leaf by an atom, sharing atoms between leaves that test the same. */
function atomize(need: Need, atoms: Atom[]): Need {
  switch (need.kind) {
    case 'and':
      return and(need.items.map((i) => atomize(i, atoms)));
    case 'or':
      return or(need.items.map((i) => atomize(i, atoms)));
    case 'key': {
      let atom = atoms.find((a) => sameAtom(a, need));
      if (atom === undefined) {
        atom = { key: need.key, bit: atoms.length, tests: [], exact: [] };
        atoms.push(atom);
      }
      if (need.test === null) atom.tests = null;
      else atom.tests?.push(need.test);
      atom.exact = atom.exact === null || need.exact === null || atom.tests === null ? null : [...new Set([...atom.exact, ...need.exact])];
      return { kind: 'atom', bit: atom.bit };
    }
    default:
      return need;
  }
}

function holds(need: Need, mask: number): boolean {
  switch (need.kind) {
    case 'any':
      return true;
    case 'none':
    case 'key':
      return false;
    case 'atom':
      return (mask & (1 << need.bit)) !== 0;
    case 'and':
      return need.items.every((i) => holds(i, mask));
    case 'or':
      return need.items.some((i) => holds(i, mask));
  }
}

/** One key looked for in the text, and the atoms it decides. */
interface KeyScan {
  key: string;
  atoms: Atom[];
  /** At most NEEDLE_MAX characters of the key and its closing quote, from a rare letter on (see needleStart). */
  needle: string;
  /** The part of the key before the needle. */
  lead: string;
  /** The rest of the key and its closing quote after the needle ('' when the needle reaches the quote). */
  tail: string;
  /** Per value text: the bits of the atoms it passes. */
  memo: Map<string, number>;
}

const MEMO_LIMIT = 10_000;
/**
 * V8's String.prototype.indexOf looks for a needle shorter than 7 characters with memchr on its first
 * character, and for a longer one with Boyer-Moore-Horspool, which is several times slower on CloudTrail
 * text (measured: `Message"` 0.44 ms/MB, `Messa` 0.08 ms/MB). So the needle is at most 6 characters from a
 * rare first character, and the rest of the key is compared at each hit.
 */
const NEEDLE_MAX = 6;
/** Lowercase letters from rarest to most common in English (and in CloudTrail's keys), for keys without a capital. */
const RARE_FIRST = 'qjzxvkwyfbghmpduclsnrioate';

/** Where a key's needle starts in it: its last capital letter, else its rarest letter (the last of equals). */
function needleStart(key: string): number {
  let best = 0;
  let rank = Number.POSITIVE_INFINITY;
  for (let i = 0; i < key.length; i++) {
    const c = key[i] as string;
    const r = c >= 'A' && c <= 'Z' ? -1 : RARE_FIRST.includes(c) ? RARE_FIRST.indexOf(c) : RARE_FIRST.length;
    if (r <= rank) {
      best = i;
      rank = r;
    }
  }
  return best;
}
/** Memo keys for a JSON null and an object or array value (no JSON string can hold a NUL as it is). */
const NULL = '\0null';
const STRUCTURE = '\0structure';
const FORCE = 1 << 30;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isDelimiter(c: number): boolean {
  return c === 44 || c === 125 || c === 93 || isSpace(c) || Number.isNaN(c);
}

/** The record holding position `p` (searching on from record `from`; positions only grow), -1 past the last. */
function recordAt(p: number, from: number, ends: Int32Array): number {
  let r = from;
  while (r < ends.length && (ends[r] as number) <= p) r++;
  return r < ends.length ? r : -1;
}

/** The records of one log file's text: where each is, and which to parse. */
export interface Selection {
  /** Records in the file. */
  count: number;
  /** Text bounds of record i: [starts[i], ends[i]). */
  starts: Int32Array;
  ends: Int32Array;
  /** Ordinals of the records to parse, ascending. */
  candidates: Int32Array;
  /**
   * Per candidate: the rules (by ordinal, 1 = possible) whose condition the record meets, so the others
   * need not be tested; null when every rule must be (a record parsed for an escape or non-ASCII text).
   */
  possible: Array<Uint8Array | null>;
  /** With a scope: how many of the records left unparsed are in it (read from their text; see rawScopeCounter). */
  unparsedInScope?: number;
}

export interface PrefilterPlan {
  /** The keys looked for, e.g. ['eventName', 'errorCode']. */
  keys: string[];
}

export class Prefilter {
  private readonly decisions = new Map<number, boolean>();
  private readonly possibleByMask = new Map<number, Uint8Array>();

  private constructor(
    private readonly scans: KeyScan[],
    private readonly needs: Need[],
  ) {}

  /** The prefilter for a rule set, or null when some rule could match any record (then every record is parsed). */
  static build(ruleSet: RuleSet): Prefilter | null {
    return Prefilter.forExprs(ruleSet.rules.map((r) => r.expr));
  }

  /** The prefilter for detections given as expressions (a rule's, a search's), in the order their ordinals follow. */
  static forExprs(exprs: readonly Expr[]): Prefilter | null {
    const needs = exprs.map(necessary);
    if (needs.some((n) => n.kind === 'any')) return null;
    const atoms: Atom[] = [];
    const restricted = needs.map((n) => atomize(restrict(n, keysFor(n)), atoms));
    if (atoms.length > 30) return null;
    const scans = [...new Set(atoms.map((a) => a.key))].sort().map((key): KeyScan => {
      const own = atoms.filter((a) => a.key === key);
      const start = needleStart(key);
      const quoted = `${key}"`;
      return {
        key,
        atoms: own,
        needle: quoted.slice(start, start + NEEDLE_MAX),
        lead: key.slice(0, start),
        tail: quoted.slice(start + NEEDLE_MAX),
        memo: new Map(),
      };
    });
    return new Prefilter(scans, restricted);
  }

  get plan(): PrefilterPlan {
    return { keys: this.scans.map((s) => s.key) };
  }

  /**
   * Splits a log file's text into records and picks the ones to parse; null when the text is not in the
   * form the split relies on (parse it whole). `ascii`: the text is known to hold no character above 0x7f.
   */
  select(text: string, ascii: boolean): Selection | null {
    // Latin-1 keeps one byte per character, so the byte positions are the text's.
    const range = recordRange(Buffer.from(text, 'latin1'));
    return range === null ? null : this.selectRange(text, range.from, range.to, ascii);
  }

  /**
   * The same over records joined as CloudTrail joins them (`{"eventVersion":...},{"eventVersion":...}`), from
   * the first record's opening brace at `from` to the last one's closing brace just before `to`: a batch of a
   * log file's records, cut out of it where one ends (see readers/batches.ts).
   */
  selectRange(text: string, from: number, to: number, ascii: boolean): Selection {
    const startList: number[] = [from];
    const endList: number[] = [];
    for (let p = text.indexOf(SPLIT, from); p >= 0 && p < to; p = text.indexOf(SPLIT, p + 2)) {
      endList.push(p + 1);
      startList.push(p + 2);
    }
    endList.push(to);
    const count = startList.length;
    const starts = Int32Array.from(startList);
    const ends = Int32Array.from(endList);
    const masks = new Int32Array(count);
    this.force(text, /\\/g, starts, ends, masks);
    if (!ascii) this.force(text, /[\u0080-\uffff]/g, starts, ends, masks);
    for (const scan of this.scans) this.scanKey(text, scan, starts, ends, masks);
    const picked: number[] = [];
    const possible: Array<Uint8Array | null> = [];
    for (let r = 0; r < count; r++) {
      const m = masks[r] as number;
      if (m === 0) continue;
      if ((m & FORCE) !== 0) possible.push(null);
      else if (this.decide(m)) possible.push(this.possibleRules(m));
      else continue;
      picked.push(r);
    }
    return { count, starts, ends, candidates: Int32Array.from(picked), possible };
  }

  /** The rules whose conditions a record showing the atoms of `mask` meets (1 = could match). */
  private possibleRules(mask: number): Uint8Array {
    let p = this.possibleByMask.get(mask);
    if (p === undefined) {
      p = Uint8Array.from(this.needs, (n) => (holds(n, mask) ? 1 : 0));
      this.possibleByMask.set(mask, p);
    }
    return p;
  }

  /** Whether a record showing the atoms of `mask` could match some rule. */
  private decide(mask: number): boolean {
    let d = this.decisions.get(mask);
    if (d === undefined) {
      d = this.needs.some((n) => holds(n, mask));
      this.decisions.set(mask, d);
    }
    return d;
  }

  /** Marks the records holding a match of `re` (which must have the g flag) to be parsed whatever their keys. */
  private force(text: string, re: RegExp, starts: Int32Array, ends: Int32Array, masks: Int32Array): void {
    re.lastIndex = 0;
    let r = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      r = recordAt(m.index, r, ends);
      if (r < 0) break;
      if (m.index >= (starts[r] as number)) {
        masks[r] = (masks[r] as number) | FORCE;
        // The rest of this record needs no further look.
        re.lastIndex = ends[r] as number;
      }
    }
  }

  private scanKey(text: string, scan: KeyScan, starts: Int32Array, ends: Int32Array, masks: Int32Array): void {
    const { needle, lead, tail } = scan;
    const count = ends.length;
    let r = 0;
    for (let h = text.indexOf(needle); h >= 0; h = text.indexOf(needle, h + 1)) {
      while (r < count && (ends[r] as number) <= h) r++;
      if (r === count) return;
      const k = h - lead.length;
      const mask = masks[r] as number;
      if (k <= (starts[r] as number) || (mask & FORCE) !== 0) continue;
      const before = text.charCodeAt(k - 1);
      if ((before !== 34 && before !== 46) || (lead !== '' && !text.startsWith(lead, k))) continue;
      let v = h + needle.length;
      if (tail !== '') {
        if (!text.startsWith(tail, v)) continue;
        v += tail.length;
      }
      let c = text.charCodeAt(v);
      while (isSpace(c)) c = text.charCodeAt(++v);
      if (c !== 58) continue;
      c = text.charCodeAt(++v);
      while (isSpace(c)) c = text.charCodeAt(++v);
      masks[r] = mask | this.passed(text, v, c, scan);
    }
  }

  /** The bits of the key's atoms the value at `v` (first character `c`) passes. */
  private passed(text: string, v: number, c: number, scan: KeyScan): number {
    let raw: string;
    if (c === 34) {
      const e = text.indexOf('"', v + 1);
      raw = e < 0 ? '' : text.slice(v + 1, e);
    } else if (c === 116 && text.startsWith('true', v) && isDelimiter(text.charCodeAt(v + 4))) {
      raw = 'true';
    } else if (c === 102 && text.startsWith('false', v) && isDelimiter(text.charCodeAt(v + 5))) {
      raw = 'false';
    } else if (c === 123 || c === 91) {
      raw = STRUCTURE;
    } else {
      let e = v;
      while (!isDelimiter(text.charCodeAt(e))) e++;
      const token = text.slice(v, e);
      raw = token === 'null' ? NULL : String(Number(token));
    }
    let bits = scan.memo.get(raw);
    if (bits === undefined) {
      bits = 0;
      const lower = raw.toLowerCase();
      for (const atom of scan.atoms) {
        // A presence atom holds for any value (null too); a value atom never for null, always for a structure
        // (it is not looked into).
        const ok = atom.tests === null || raw === STRUCTURE || (raw !== NULL && atom.tests.some((t) => t(raw, lower)));
        if (ok) bits |= 1 << atom.bit;
      }
      if (scan.memo.size < MEMO_LIMIT) scan.memo.set(raw, bits);
    }
    return bits;
  }
}
