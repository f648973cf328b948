// One `field|modifier|...: value(s)` entry of a selection, compiled into a test of a record. Values are
// case-insensitive strings unless `cased`; numbers and booleans compare by their text; an object value is
// matched against its JSON text (and each string inside it); `null` means absent; a list means any value
// (every value with `all`); arrays in the record mean any element.
import { inNetwork, parseCidr, parseIp, type Network } from './cidr.js';
import { fieldPresence, fieldReader, isAbsent, objectTexts, recordLeaves } from './fields.js';
import { expandPlaceholders, RuleProblem, unsupported } from './params.js';
import { compileRegex, type CompiledRegex } from './regex.js';
import { base64, base64Offsets, compilePattern, encodeText, exactText, literal, parseWildcards, wrapStar, type StringTest, type Token, type Utf16 } from './patterns.js';
import { FALSE, type CompareOp, type Expr, type TimePart, type ValueTest } from './expr.js';
import type { FieldUse } from './types.js';

export type RecordTest = (record: object) => boolean;

export interface CompiledField {
  test: RecordTest;
  /** The lowercase values when the entry is plain case-insensitive equality on one of them (for the index). */
  exact: string[] | null;
  use: FieldUse;
  /** Lower runs first within a selection: cheap, selective tests short-circuit the rest. */
  cost: number;
  /** The same test as data, for back ends that translate rules (SQL). */
  expr: Expr;
}

const TEXT_MATCH = ['contains', 'startswith', 'endswith'] as const;
const KINDS = ['re', 'cidr', 'exists', 'lt', 'lte', 'gt', 'gte', 'fieldref'] as const;
const TIME_PARTS = ['minute', 'hour', 'day', 'week', 'month', 'year'] as const;
const ENCODINGS = ['base64', 'base64offset'] as const;
const UTF16: Record<string, Utf16> = { utf16le: 'utf16le', wide: 'utf16le', utf16be: 'utf16be', utf16: 'utf16' };
const FLAGS = new Set<string>(['all', 'cased', 'neq', 'expand', 'windash', 'i', 'm', 's', ...TEXT_MATCH, ...KINDS, ...TIME_PARTS, ...ENCODINGS, ...Object.keys(UTF16)]);

function one<T extends string>(mods: Set<string>, group: readonly T[], what: string): T | null {
  const found = group.filter((m) => mods.has(m));
  if (found.length > 1) throw new RuleProblem(`modifiers ${found.join(' and ')} cannot be combined (${what})`);
  return found[0] ?? null;
}

function scalarText(value: unknown, key: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new RuleProblem(`"${key}" has a value that is not text, a number, a boolean or null: ${JSON.stringify(value)}`);
}

/** Any text form of a record value passes `test`: strings, numbers and booleans as text, objects by their texts. */
function anyText(value: unknown, test: StringTest): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return test(value, value.toLowerCase());
  if (typeof value === 'number' || typeof value === 'boolean') {
    const s = String(value);
    return test(s, s.toLowerCase());
  }
  if (Array.isArray(value)) {
    for (const element of value) if (anyText(element, test)) return true;
    return false;
  }
  const forms = objectTexts(value as object);
  for (let i = 0; i < forms.raw.length; i++) if (test(forms.raw[i] as string, forms.lower[i] as string)) return true;
  return false;
}

function texts(value: unknown, out: string[] = []): string[] {
  if (value === undefined || value === null) return out;
  if (Array.isArray(value)) for (const v of value) texts(v, out);
  else out.push(typeof value === 'object' ? JSON.stringify(value) : String(value));
  return out;
}

function anyOf(tests: StringTest[]): StringTest {
  if (tests.length === 1) return tests[0] as StringTest;
  return (raw, lower) => {
    for (const t of tests) if (t(raw, lower)) return true;
    return false;
  };
}

function numberOf(text: string, key: string): number {
  const n = Number(text);
  if (text.trim() === '' || Number.isNaN(n)) throw new RuleProblem(`"${key}" compares numbers but ${JSON.stringify(text)} is not one`);
  return n;
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  eq: (a, b) => a === b,
};

function isoWeek(date: Date): number {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

const PART: Record<string, (d: Date) => number> = {
  minute: (d) => d.getUTCMinutes(),
  hour: (d) => d.getUTCHours(),
  day: (d) => d.getUTCDate(),
  week: isoWeek,
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

/** Number tests (`lt`... and time parts): the record's text read as a number or a date. */
function numericTest(op: string, bound: number, part: string | null): StringTest {
  const cmp = COMPARE[op] as (a: number, b: number) => boolean;
  if (part !== null) {
    const extract = PART[part] as (d: Date) => number;
    return (raw) => {
      const ms = Date.parse(raw);
      return !Number.isNaN(ms) && cmp(extract(new Date(ms)), bound);
    };
  }
  return (raw) => {
    if (raw.trim() === '') return false;
    const n = Number(raw);
    return !Number.isNaN(n) && cmp(n, bound);
  };
}

function cidrTest(networks: Network[]): StringTest {
  return (raw) => {
    const ip = parseIp(raw);
    if (ip === null) return false;
    for (const n of networks) if (inNetwork(ip, n)) return true;
    return false;
  };
}

/** Each written value becomes one group of alternatives (base64offset gives three); `all` needs every group. */
interface Group {
  isNull: boolean;
  tests: StringTest[];
  exact: string[];
  /** What tests and exact do, as data. */
  data: ValueTest[];
}

function textGroups(key: string, values: unknown[], mods: Set<string>): Group[] {
  const cased = mods.has('cased');
  const windash = mods.has('windash');
  const encoding = one(mods, ENCODINGS, 'encodings');
  const utf16Mods = Object.keys(UTF16).filter((m) => mods.has(m));
  if (utf16Mods.length > 1) throw new RuleProblem(`modifiers ${utf16Mods.join(' and ')} cannot be combined`);
  const utf16 = utf16Mods[0] === undefined ? null : (UTF16[utf16Mods[0]] as Utf16);
  if (utf16 !== null && encoding === null) throw unsupported(`modifier ${utf16Mods[0]}`, 'a UTF-16 encoding only makes sense in JSON text when followed by base64 or base64offset');
  const position = one(mods, TEXT_MATCH, 'contains, startswith and endswith');
  return values.map((value) => {
    if (value === null) return { isNull: true, tests: [], exact: [], data: [] };
    const text = scalarText(value, key);
    let alternatives: Token[][];
    if (encoding === 'base64') alternatives = [literal(base64(encodeText(text, utf16)))];
    else if (encoding === 'base64offset') alternatives = base64Offsets(encodeText(text, utf16)).map(literal);
    else alternatives = [parseWildcards(text, windash)];
    if (position !== null) alternatives = alternatives.map((t) => wrapStar(t, position !== 'startswith', position !== 'endswith'));
    const group: Group = { isNull: false, tests: [], exact: [], data: alternatives.map((tokens) => ({ kind: 'pattern', tokens, cased })) };
    for (const tokens of alternatives) {
      const exact = exactText(tokens);
      if (exact !== null && !cased) group.exact.push(exact.toLowerCase());
      else group.tests.push(compilePattern(tokens, cased));
    }
    return group;
  });
}

function groupTest(group: Group): StringTest {
  const set = new Set(group.exact);
  const others = group.tests;
  if (others.length === 0) return (_raw, lower) => set.has(lower);
  const rest = anyOf(others);
  if (set.size === 0) return rest;
  return (raw, lower) => set.has(lower) || rest(raw, lower);
}

function valueGroups(key: string, values: unknown[], mods: Set<string>, kind: string | null, builtin: boolean): Group[] {
  const part = one(mods, TIME_PARTS, 'time parts');
  const op = kind === 'lt' || kind === 'lte' || kind === 'gt' || kind === 'gte' ? kind : part !== null ? 'eq' : null;
  if (op !== null) {
    return values.map((v) => {
      if (v === null) throw new RuleProblem(`"${key}" compares numbers but has a null value`);
      const bound = numberOf(scalarText(v, key), key);
      return { isNull: false, tests: [numericTest(op, bound, part)], exact: [], data: [{ kind: 'compare', op: op as CompareOp, bound, part: part as TimePart | null }] };
    });
  }
  if (kind === 're') {
    const flags = { i: mods.has('i'), m: mods.has('m'), s: mods.has('s') };
    return values.map((v) => {
      if (typeof v !== 'string') throw new RuleProblem(`"${key}" needs a regular expression text, not ${JSON.stringify(v)}`);
      let re: CompiledRegex;
      try {
        re = compileRegex(v, flags, builtin);
      } catch (err) {
        throw new RuleProblem(`"${key}": ${err instanceof Error ? err.message : String(err)}`);
      }
      return { isNull: false, tests: [re.test], exact: [], data: [{ kind: 'regex', source: re.source, flags: re.flags }] };
    });
  }
  if (kind === 'cidr') {
    const networks = values.map((v) => {
      const n = typeof v === 'string' ? parseCidr(v) : null;
      if (n === null) throw new RuleProblem(`"${key}": ${JSON.stringify(v)} is not an IPv4 or IPv6 network (e.g. 10.0.0.0/8, 2001:db8::/32)`);
      return n;
    });
    const written = values.map(String);
    return mods.has('all')
      ? networks.map((n, i) => ({ isNull: false, tests: [cidrTest([n])], exact: [], data: [{ kind: 'cidr', networks: [written[i] as string] }] }))
      : [{ isNull: false, tests: [cidrTest(networks)], exact: [], data: [{ kind: 'cidr', networks: written }] }];
  }
  return textGroups(key, values, mods);
}

function fieldrefTest(key: string, read: (r: object) => unknown, values: unknown[], mods: Set<string>): RecordTest {
  const cased = mods.has('cased');
  const position = one(mods, TEXT_MATCH, 'contains, startswith and endswith');
  const compare =
    position === 'contains' ? (a: string, b: string) => a.includes(b) : position === 'startswith' ? (a: string, b: string) => a.startsWith(b) : position === 'endswith' ? (a: string, b: string) => a.endsWith(b) : (a: string, b: string) => a === b;
  const refs = values.map((v) => {
    if (typeof v !== 'string' || v === '') throw new RuleProblem(`"${key}" needs the name of another field`);
    return fieldReader(v);
  });
  const norm = (s: string): string => (cased ? s : s.toLowerCase());
  const against = (record: object, ref: (r: object) => unknown): boolean => {
    const left = texts(read(record)).map(norm);
    const right = texts(ref(record)).map(norm);
    return left.some((a) => right.some((b) => compare(a, b)));
  };
  if (mods.has('all')) return (record) => refs.every((ref) => against(record, ref));
  return (record) => refs.some((ref) => against(record, ref));
}

/** `builtin`: the entry is in one of trailproof's own rules (see regex.ts). */
export function compileField(key: string, raw: unknown, parameters: Record<string, unknown>, selection: string, builtin = false): CompiledField {
  const [field = '', ...modifierList] = key.split('|');
  for (const m of modifierList) if (!FLAGS.has(m)) throw unsupported(`modifier ${m}`, `"${key}" uses a value modifier trailproof does not implement`);
  const mods = new Set(modifierList);
  if (Array.isArray(raw) && raw.some((v) => v !== null && typeof v === 'object')) throw new RuleProblem(`"${key}" lists a map or list as a value; only text, numbers, booleans and null are values`);
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    throw new RuleProblem(`"${key}" has a map as its value; Sigma names nested fields with dotted paths (e.g. ${field}.child: value)`);
  }
  let values = Array.isArray(raw) ? raw : [raw];
  if (values.length === 0) throw new RuleProblem(`"${key}" has an empty list of values`);
  if (mods.has('expand')) values = values.flatMap((v) => expandPlaceholders(v, parameters));
  const use: FieldUse = { field: field === '' ? null : field, modifiers: modifierList, values, selection };
  // A list parameter set to [] (e.g. no exempt roles): the entry matches nothing, so a filter on it excludes nothing.
  if (values.length === 0) {
    if (mods.has('neq') && field !== '') {
      const read = fieldReader(field);
      const expr: Expr = { kind: 'not', item: { kind: 'field', field, groups: [{ kind: 'null' }], all: false, neq: false } };
      return { test: (r) => !isAbsent(read(r)), exact: null, use, cost: 0, expr };
    }
    return { test: () => false, exact: [], use, cost: 0, expr: FALSE };
  }
  const position = one(mods, TEXT_MATCH, 'contains, startswith and endswith');
  const kind = one(mods, KINDS, 're, cidr, exists, lt, lte, gt, gte and fieldref');
  for (const sub of ['i', 'm', 's']) if (mods.has(sub) && kind !== 're') throw new RuleProblem(`"${key}": the ${sub} modifier only qualifies re`);
  if (kind !== null && kind !== 'fieldref' && position !== null) throw new RuleProblem(`"${key}": ${kind} cannot be combined with ${position}`);
  if (kind !== null && (mods.has('windash') || one(mods, ENCODINGS, 'encodings') !== null)) throw new RuleProblem(`"${key}": ${kind} cannot be combined with windash or base64`);
  const cost = (field.includes('.') ? 2 : 0) + (kind === null && position === null ? 0 : 1) + (kind === 're' ? 2 : 0);

  if (field === '') {
    // A keyword: the values are searched in every scalar of the record, as text anywhere in it.
    if (kind === 'exists' || kind === 'fieldref') throw new RuleProblem(`a keyword selection cannot use ${kind}`);
    if (values.includes(null)) throw new RuleProblem('a keyword cannot be null');
    const keywordGroups = valueGroups('keyword', values, kind === null && position === null ? new Set([...mods, 'contains']) : mods, kind, builtin);
    const groups = keywordGroups.map(groupTest);
    const matchOne = (record: object, test: StringTest): boolean => {
      const forms = recordLeaves(record);
      for (let i = 0; i < forms.raw.length; i++) if (test(forms.raw[i] as string, forms.lower[i] as string)) return true;
      return false;
    };
    const anyGroup = anyOf(groups);
    const test: RecordTest = mods.has('all') ? (r) => groups.every((g) => matchOne(r, g)) : (r) => matchOne(r, anyGroup);
    return { test, exact: null, use, cost: 10, expr: { kind: 'keyword', groups: keywordGroups.map((g) => g.data), all: mods.has('all') } };
  }

  if (kind === 'exists') {
    if (modifierList.length !== 1 || values.length !== 1 || typeof values[0] !== 'boolean') throw new RuleProblem(`"${key}" takes exactly true or false and no other modifier`);
    const present = fieldPresence(field);
    const want = values[0];
    return { test: (r) => present(r) === want, exact: null, use, cost, expr: { kind: 'exists', field, present: want } };
  }

  const read = fieldReader(field);
  let inner: RecordTest;
  let exact: string[] | null = null;
  let expr: Expr;
  if (kind === 'fieldref') {
    inner = fieldrefTest(key, read, values, mods);
    expr = { kind: 'fieldref', field, refs: values.map(String), position, cased: mods.has('cased'), all: mods.has('all'), neq: mods.has('neq') };
  } else {
    const groups = valueGroups(key, values, mods, kind, builtin);
    expr = { kind: 'field', field, groups: groups.map((g) => (g.isNull ? { kind: 'null' } : { kind: 'any', tests: g.data })), all: mods.has('all') && groups.length > 1, neq: mods.has('neq') };
    if (mods.has('all') && groups.length > 1) {
      const parts = groups.map((g) => (g.isNull ? null : groupTest(g)));
      inner = (r) => {
        const v = read(r);
        for (const p of parts) if (p === null ? !isAbsent(v) : !anyText(v, p)) return false;
        return true;
      };
    } else {
      const hasNull = groups.some((g) => g.isNull);
      const merged: Group = { isNull: false, tests: groups.flatMap((g) => g.tests), exact: groups.flatMap((g) => g.exact), data: [] };
      const any = merged.tests.length + merged.exact.length > 0 ? groupTest(merged) : null;
      if (!hasNull && merged.tests.length === 0) exact = merged.exact;
      inner =
        any === null
          ? (r) => isAbsent(read(r))
          : hasNull
            ? (r) => {
                const v = read(r);
                return isAbsent(v) || anyText(v, any);
              }
            : (r) => anyText(read(r), any);
    }
  }
  if (mods.has('neq')) return { test: (r) => !isAbsent(read(r)) && !inner(r), exact: null, use, cost: cost + 1, expr };
  return { test: inner, exact, use, cost: kind === 'fieldref' ? cost + 4 : cost, expr };
}
