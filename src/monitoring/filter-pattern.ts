// The CloudWatch Logs filter pattern language for JSON log events, parsed and evaluated, so a metric filter is
// judged by the events it matches rather than by its text. Supported: `{ <expr> }` with selectors `$.a.b[0].c`,
// `=` / `!=` against strings (quoted or bare, `*` as a wildcard), `=` `!=` `<` `<=` `>` `>=` against numbers,
// `IS TRUE`, `IS FALSE`, `IS NULL`, `EXISTS`, `NOT EXISTS`, `&&`, `||` and parentheses. `&&` binds tighter than
// `||` (the usual precedence; parentheses group explicitly). A selector absent from the event matches no
// comparison, `!=` included, as in CloudWatch. Anything else is a FilterPatternError naming the filter.
import { TrailproofError } from '../errors.js';
import { wildcardMatch } from '../wildcard.js';

export class FilterPatternError extends TrailproofError {
  constructor(
    readonly filterName: string,
    readonly reason: string,
  ) {
    super('TP_RULE_INVALID', `Metric filter ${filterName}: unreadable filter pattern: ${reason}`);
    this.name = 'FilterPatternError';
  }
}

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type Literal = { kind: 'string'; text: string } | { kind: 'number'; value: number; text: string };

export type Expr =
  | { type: 'and' | 'or'; left: Expr; right: Expr }
  | { type: 'compare'; path: (string | number)[]; op: Operator; value: Literal }
  | { type: 'is'; path: (string | number)[]; value: true | false | null }
  | { type: 'exists'; path: (string | number)[]; exists: boolean };

export interface FilterPattern {
  text: string;
  expr: Expr;
  test(event: unknown): boolean;
}

type Token =
  | { t: 'punct'; v: '{' | '}' | '(' | ')' | '&&' | '||' }
  | { t: 'op'; v: Operator }
  | { t: 'selector'; v: string }
  | { t: 'string'; v: string }
  | { t: 'word'; v: string };

const BARE = /[A-Za-z0-9_.*\-:/@+]/;

function tokenize(text: string, fail: (reason: string) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const two = text.slice(i, i + 2);
    if (/\s/.test(c)) {
      i += 1;
    } else if (two === '&&' || two === '||') {
      tokens.push({ t: 'punct', v: two });
      i += 2;
    } else if (c === '{' || c === '}' || c === '(' || c === ')') {
      tokens.push({ t: 'punct', v: c });
      i += 1;
    } else if (two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ t: 'op', v: two });
      i += 2;
    } else if (c === '=' || c === '<' || c === '>') {
      tokens.push({ t: 'op', v: c });
      i += 1;
    } else if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) j += 1;
        value += text[j];
        j += 1;
      }
      if (j >= text.length) fail(`unterminated string starting at character ${i + 1}`);
      tokens.push({ t: 'string', v: value });
      i = j + 1;
    } else if (c === '$') {
      const m = /^\$(?:\.[A-Za-z0-9_\-@:]+|\[\d+\])*/.exec(text.slice(i));
      const sel = m?.[0] ?? '$';
      if (sel === '$') fail(`a selector must name a field ($.field) at character ${i + 1}`);
      tokens.push({ t: 'selector', v: sel });
      i += sel.length;
    } else if (BARE.test(c)) {
      let j = i;
      while (j < text.length && BARE.test(text[j] as string)) j += 1;
      tokens.push({ t: 'word', v: text.slice(i, j) });
      i = j;
    } else {
      fail(`unexpected character "${c}" at character ${i + 1}`);
    }
  }
  return tokens;
}

function parsePath(selector: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const m of selector.slice(1).matchAll(/\.([^.[]+)|\[(\d+)\]/g)) path.push(m[1] ?? Number(m[2]));
  return path;
}

/** Parses a filter pattern; throws FilterPatternError (naming the filter) when it is not a JSON pattern this evaluator reads. */
export function parseFilterPattern(text: string, filterName = '(unnamed)'): FilterPattern {
  const fail = (reason: string): never => {
    throw new FilterPatternError(filterName, reason);
  };
  const tokens = tokenize(text, fail);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isPunct = (v: string): boolean => {
    const t = peek();
    return t !== undefined && t.t === 'punct' && t.v === v;
  };
  const expect = (v: string): void => {
    if (!isPunct(v)) fail(`expected "${v}" ${describe(peek())}`);
    pos += 1;
  };
  const describe = (t: Token | undefined): string => (t === undefined ? 'at the end of the pattern' : `before "${t.v}"`);

  const parseOr = (): Expr => {
    let left = parseAnd();
    while (isPunct('||')) {
      pos += 1;
      left = { type: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Expr => {
    let left = parsePrimary();
    while (isPunct('&&')) {
      pos += 1;
      left = { type: 'and', left, right: parsePrimary() };
    }
    return left;
  };
  const parsePrimary = (): Expr => {
    if (isPunct('(')) {
      pos += 1;
      const inner = parseOr();
      expect(')');
      return inner;
    }
    const sel = peek();
    if (sel?.t !== 'selector') return fail(`expected a selector ($.field) ${describe(sel)}`);
    pos += 1;
    const path = parsePath(sel.v);
    const next = peek();
    if (next?.t === 'op') {
      pos += 1;
      const value = peek();
      if (value?.t === 'string') {
        pos += 1;
        if (next.v !== '=' && next.v !== '!=') fail(`${next.v} compares numbers, not the string "${value.v}"`);
        return { type: 'compare', path, op: next.v, value: { kind: 'string', text: value.v } };
      }
      if (value?.t === 'word') {
        pos += 1;
        const n = Number(value.v);
        if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value.v) && Number.isFinite(n)) return { type: 'compare', path, op: next.v, value: { kind: 'number', value: n, text: value.v } };
        if (next.v !== '=' && next.v !== '!=') fail(`${next.v} compares numbers, not "${value.v}"`);
        return { type: 'compare', path, op: next.v, value: { kind: 'string', text: value.v } };
      }
      return fail(`expected a value after ${sel.v} ${next.v} ${describe(value)}`);
    }
    if (next?.t === 'word') {
      const word = next.v.toUpperCase();
      pos += 1;
      if (word === 'EXISTS') return { type: 'exists', path, exists: true };
      if (word === 'NOT') {
        const w = peek();
        if (w?.t === 'word' && w.v.toUpperCase() === 'EXISTS') {
          pos += 1;
          return { type: 'exists', path, exists: false };
        }
        return fail(`expected EXISTS after NOT ${describe(w)}`);
      }
      if (word === 'IS') {
        const w = peek();
        const v = w?.t === 'word' ? w.v.toUpperCase() : '';
        pos += 1;
        if (v === 'TRUE') return { type: 'is', path, value: true };
        if (v === 'FALSE') return { type: 'is', path, value: false };
        if (v === 'NULL') return { type: 'is', path, value: null };
        return fail(`expected TRUE, FALSE or NULL after IS ${describe(w)}`);
      }
    }
    return fail(`expected an operator after ${sel.v} ${describe(next)}`);
  };

  if (tokens.length === 0) fail('the pattern is empty (it matches every event, not a JSON condition)');
  expect('{');
  const expr = parseOr();
  expect('}');
  if (pos < tokens.length) fail(`unexpected ${describe(peek()).replace('before ', '')} after the closing brace`);
  return { text, expr, test: (event) => evaluate(expr, event) };
}

function lookup(event: unknown, path: (string | number)[]): unknown {
  let value: unknown = event;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    if (typeof step === 'number') {
      if (!Array.isArray(value)) return undefined;
      value = value[step];
    } else {
      if (Array.isArray(value)) return undefined;
      value = (value as Record<string, unknown>)[step];
    }
  }
  return value;
}

/** `*` in a filter's value, matched without a regular expression: the pattern is evidence (src/wildcard.ts). */
function wildcard(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  return wildcardMatch(pattern, value, { questionMark: false });
}

function compare(op: Operator, value: unknown, literal: Literal): boolean {
  if (value === undefined || value === null || typeof value === 'object') return false;
  if (literal.kind === 'number' && typeof value === 'number') {
    switch (op) {
      case '=': return value === literal.value;
      case '!=': return value !== literal.value;
      case '<': return value < literal.value;
      case '<=': return value <= literal.value;
      case '>': return value > literal.value;
      case '>=': return value >= literal.value;
    }
  }
  if (op !== '=' && op !== '!=') return false;
  const equal = wildcard(literal.text, String(value));
  return op === '=' ? equal : !equal;
}

export function evaluate(expr: Expr, event: unknown): boolean {
  switch (expr.type) {
    case 'and': return evaluate(expr.left, event) && evaluate(expr.right, event);
    case 'or': return evaluate(expr.left, event) || evaluate(expr.right, event);
    case 'compare': return compare(expr.op, lookup(event, expr.path), expr.value);
    case 'is': return lookup(event, expr.path) === expr.value;
    case 'exists': return (lookup(event, expr.path) !== undefined) === expr.exists;
  }
}
