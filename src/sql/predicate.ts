// A compiled detection (src/events/sigma/expr.ts) as a SQL boolean expression. Every leaf is written to be
// TRUE or FALSE, never NULL, so NOT and OR behave as they do in the in-process engine (SQL's NULL would
// make `NOT (x = 'a')` drop rows where x is absent). A part the dialect cannot express is relaxed: it
// becomes TRUE where that can only add rows (FALSE under a NOT), the rule is marked relaxed, and its
// candidate rows are confirmed by the in-process engine.
import type { Expr, ValueTest } from '../events/sigma/expr.js';
import type { Token } from '../events/sigma/patterns.js';
import { literal, NotExpressible, type Dialect } from './dialect.js';
import { resolveField, type Access } from './fields.js';

export interface Predicate {
  sql: string;
  /** Why parts were relaxed (empty when the SQL is exact). */
  relaxed: string[];
  /** Fields the rule reads that the table has no column for: absent in every row. */
  missing: string[];
}

function likePattern(tokens: readonly Token[], cased: boolean): string {
  return tokens
    .map((t) => {
      if (t.kind === 'star') return '%';
      if (t.kind === 'one') return '_';
      if (t.kind === 'dash') throw new NotExpressible('windash classes are matched by a regular expression');
      const text = cased ? t.text : t.text.toLowerCase();
      return text.replace(/[\\%_]/g, (c) => `\\${c}`);
    })
    .join('');
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

/** A wildcard pattern with windash classes as an anchored regular expression. */
function patternRegex(tokens: readonly Token[], cased: boolean): string {
  const body = tokens.map((t) => (t.kind === 'text' ? t.text.replace(REGEX_SPECIAL, '\\$&') : t.kind === 'star' ? '[\\s\\S]*' : t.kind === 'one' ? '[\\s\\S]' : '[-/\u2013\u2014\u2015]')).join('');
  return `${cased ? '' : '(?i)'}^${body}$`;
}

// Syntax JavaScript accepts that RE2 (DuckDB) and Java (Trino) read differently or not at all.
const NON_PORTABLE_REGEX = /\(\?<[=!]|\(\?[=!]|\\[1-9]|\(\?<[A-Za-z]|\\k<|\\p\{|\\u\{|\\c[A-Za-z]|\[\^?\]/;

function valueTest(test: ValueTest, text: string, dialect: Dialect): string {
  switch (test.kind) {
    case 'pattern': {
      const subject = test.cased ? text : `lower(${text})`;
      if (test.tokens.length === 0) return `(${text} = '')`;
      if (test.tokens.every((t) => t.kind === 'text')) return `(${subject} = ${literal(test.cased ? (test.tokens[0] as { text: string }).text : (test.tokens[0] as { text: string }).text.toLowerCase())})`;
      if (test.tokens.some((t) => t.kind === 'dash')) return dialect.regex(text, patternRegex(test.tokens, test.cased));
      return `(${subject} LIKE ${literal(likePattern(test.tokens, test.cased))} ESCAPE '\\')`;
    }
    case 'regex': {
      if (NON_PORTABLE_REGEX.test(test.source)) throw new NotExpressible(`the regular expression /${test.source}/ uses syntax SQL engines do not share with JavaScript`);
      const flags = test.flags.replace(/[^ims]/g, '');
      return dialect.regex(text, flags === '' ? test.source : `(?${flags})${test.source}`);
    }
    case 'cidr':
      return `(${test.networks.map((n) => dialect.inNetwork(text, n)).join(' OR ')})`;
    case 'compare': {
      const op = { lt: '<', lte: '<=', gt: '>', gte: '>=', eq: '=' }[test.op];
      const number = test.part === null ? `TRY_CAST(${text} AS DOUBLE)` : dialect.timePart(test.part, text);
      return `(${number} ${op} ${test.bound})`;
    }
  }
}

function anyTest(tests: readonly ValueTest[], text: string, dialect: Dialect): string {
  const parts = tests.map((t) => valueTest(t, text, dialect));
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
}

/**
 * Where the path inside a JSON document crosses an array (CloudTrail's `items` lists), the in-process engine
 * tests every element; JSON paths do not. Such rows are decided in process: the SQL lets them through where
 * that can only add candidates (`polarity`), and the rule is confirmed locally.
 */
const ARRAY_REASON = 'a JSON path may cross an array, whose elements are tested in process';

interface Ctx {
  dialect: Dialect;
  polarity: boolean;
  notes: string[];
  missing: string[];
}

function resolve(field: string, ctx: Ctx): Access {
  const access = resolveField(field, ctx.dialect);
  if (access.kind === 'missing' && !ctx.missing.includes(field)) ctx.missing.push(field);
  return access;
}

function note(ctx: Ctx, reason: string): void {
  if (!ctx.notes.includes(reason)) ctx.notes.push(reason);
}

function arrayOnPath(access: { doc: string; path: string[] }, ctx: Ctx): string {
  const prefixes = access.path.map((_, i) => access.path.slice(0, i + 1));
  return `(${prefixes.map((p) => ctx.dialect.jsonIsArray(access.doc, p)).join(' OR ')})`;
}

function jsonCase(access: { doc: string; path: string[] }, exact: string, ctx: Ctx, polarity: boolean): string {
  note(ctx, ARRAY_REASON);
  return `(CASE WHEN ${arrayOnPath(access, ctx)} THEN ${polarity ? 'TRUE' : 'FALSE'} ELSE ${exact} END)`;
}

/** Some value the access reads passes the tests (FALSE, never NULL, when there is none). */
function someValue(access: Access, tests: readonly ValueTest[], dialect: Dialect, ctx: Ctx, polarity: boolean): string {
  switch (access.kind) {
    case 'scalar':
      return `COALESCE(${anyTest(tests, access.sql, dialect)}, FALSE)`;
    case 'json': {
      const exact = `COALESCE(${anyTest(tests, dialect.jsonScalar(access.doc, access.path), dialect)}, FALSE)`;
      return jsonCase(access, exact, ctx, polarity);
    }
    case 'each':
      return `COALESCE(${dialect.anyMatch(access.array, access.variable, someValue(access.inner, tests, dialect, ctx, polarity))}, FALSE)`;
    case 'document':
      throw new NotExpressible(`"${access.field}" is a whole document; its text is compared by the in-process engine`);
    case 'missing':
      return 'FALSE';
  }
}

function absent(access: Access, dialect: Dialect, ctx: Ctx, polarity: boolean): string {
  switch (access.kind) {
    case 'scalar':
    case 'document':
      return `(${access.sql} IS NULL)`;
    case 'json': {
      return jsonCase(access, dialect.jsonAbsent(access.doc, access.path), ctx, polarity);
    }
    case 'each':
      return `(NOT COALESCE(${dialect.anyMatch(access.array, access.variable, `NOT ${absent(access.inner, dialect, ctx, !polarity)}`)}, FALSE))`;
    case 'missing':
      return 'TRUE';
  }
}

function hasKey(access: Access, dialect: Dialect): string {
  switch (access.kind) {
    case 'json':
      return dialect.jsonHasKey(access.doc, access.path);
    case 'each':
      return `COALESCE(${dialect.anyMatch(access.array, access.variable, hasKey(access.inner, dialect))}, FALSE)`;
    case 'missing':
      return 'FALSE';
    default:
      // A column cannot tell a key written as null from a key left out; CloudTrail writes no nulls there.
      return `(${access.sql} IS NOT NULL)`;
  }
}

/** A scalar text for fieldref: a value that is one text per row (no arrays). */
function singleText(access: Access, dialect: Dialect): string {
  if (access.kind === 'scalar') return access.sql;
  if (access.kind === 'json') return dialect.jsonScalar(access.doc, access.path);
  if (access.kind === 'missing') return 'CAST(NULL AS VARCHAR)';
  throw new NotExpressible(`fieldref over "${access.kind === 'each' ? 'an array' : access.field}" compares every pair of values, which the SQL does not`);
}

function leafSql(expr: Expr, dialect: Dialect, ctx: Ctx): string {
  switch (expr.kind) {
    case 'field': {
      const access = resolve(expr.field, ctx);
      const groups = expr.groups;
      // Under neq the test is negated: its uncertain rows must go the other way.
      const p = expr.neq ? !ctx.polarity : ctx.polarity;
      let inner: string;
      if (expr.all && groups.length > 1) {
        inner = `(${groups.map((g) => (g.kind === 'null' ? absent(access, dialect, ctx, p) : someValue(access, g.tests, dialect, ctx, p))).join(' AND ')})`;
      } else {
        const tests = groups.flatMap((g) => (g.kind === 'any' ? g.tests : []));
        const hasNull = groups.some((g) => g.kind === 'null');
        inner = tests.length === 0 ? absent(access, dialect, ctx, p) : hasNull ? `(${absent(access, dialect, ctx, p)} OR ${someValue(access, tests, dialect, ctx, p)})` : someValue(access, tests, dialect, ctx, p);
      }
      return expr.neq ? `(NOT ${absent(access, dialect, ctx, !ctx.polarity)} AND NOT ${inner})` : inner;
    }
    case 'exists': {
      const access = resolve(expr.field, ctx);
      const exact = hasKey(access, dialect);
      const present = access.kind === 'json' && access.path.length > 1 ? jsonCase({ doc: access.doc, path: access.path.slice(0, -1) }, exact, ctx, expr.present ? ctx.polarity : !ctx.polarity) : exact;
      return expr.present ? present : `(NOT ${present})`;
    }
    case 'fieldref': {
      const left = singleText(resolve(expr.field, ctx), dialect);
      const norm = (s: string): string => (expr.cased ? s : `lower(${s})`);
      const one = (ref: string): string => {
        const right = singleText(resolve(ref, ctx), dialect);
        const a = norm(left);
        const b = norm(right);
        const test =
          expr.position === 'contains' ? `strpos(${a}, ${b}) > 0` : expr.position === 'startswith' ? `strpos(${a}, ${b}) = 1` : expr.position === 'endswith' ? `strpos(reverse(${a}), reverse(${b})) = 1` : `${a} = ${b}`;
        return `COALESCE(${test}, FALSE)`;
      };
      const refs = expr.refs.map(one);
      const inner = refs.length === 1 ? (refs[0] as string) : `(${refs.join(expr.all ? ' AND ' : ' OR ')})`;
      return expr.neq ? `(${left} IS NOT NULL AND NOT ${inner})` : inner;
    }
    case 'keyword':
      throw new NotExpressible('keywords search every value of the record, which the table has no single column for');
    default:
      throw new Error(`not a leaf: ${expr.kind}`);
  }
}

/**
 * The detection as a SQL predicate for the dialect. `polarity` is true where a relaxed part must become
 * TRUE (it can only add candidates); under NOT it flips.
 */
export function compilePredicate(expr: Expr, dialect: Dialect): Predicate {
  const relaxed: string[] = [];
  const notes: string[] = [];
  const missing: string[] = [];
  const go = (e: Expr, polarity: boolean): string => {
    switch (e.kind) {
      case 'const':
        return e.value ? 'TRUE' : 'FALSE';
      case 'and':
      case 'or': {
        const parts = e.items.map((i) => go(i, polarity));
        return `(${parts.join(e.kind === 'and' ? ' AND ' : ' OR ')})`;
      }
      case 'not':
        return `(NOT ${go(e.item, !polarity)})`;
      case 'atLeast':
        return `((${e.items.map((i) => `CASE WHEN ${go(i, polarity)} THEN 1 ELSE 0 END`).join(' + ')}) >= ${e.n})`;
      default:
        try {
          return leafSql(e, dialect, { dialect, polarity, notes, missing });
        } catch (err) {
          if (!(err instanceof NotExpressible)) throw err;
          if (!relaxed.includes(err.reason)) relaxed.push(err.reason);
          return polarity ? 'TRUE' : 'FALSE';
        }
    }
  };
  const sql = go(expr, true);
  for (const n of notes) if (!relaxed.includes(n)) relaxed.push(n);
  return { sql, relaxed, missing };
}
