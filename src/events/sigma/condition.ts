// The Sigma condition language: `and`, `or`, `not`, parentheses, `1 of X*`, `all of X*`, `N of X*`,
// `1 of them`, `all of them`. Parsed once into a tree over the selection names; precedence from least to
// most binding: or, and, not, `x of`, parentheses.
import { wildcardMatcher } from '../../wildcard.js';
import { RuleProblem, unsupported } from './params.js';

export type Condition =
  | { kind: 'ref'; name: string }
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'of'; quantity: number | 'all'; names: string[] };

type Tok = { t: 'word'; v: string } | { t: '(' } | { t: ')' };

function tokenize(text: string): Tok[] {
  if (text.includes('|')) throw unsupported('aggregation in condition', `"${text}" uses the pipe aggregation syntax of Sigma 1; write a correlation rule instead`);
  const out: Tok[] = [];
  const re = /\s*(\(|\)|[^\s()]+)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(text)) !== null) {
    end = re.lastIndex;
    const v = m[1] as string;
    out.push(v === '(' ? { t: '(' } : v === ')' ? { t: ')' } : { t: 'word', v });
  }
  if (text.slice(end).trim() !== '') throw new RuleProblem(`condition "${text}" cannot be read after "${text.slice(0, end)}"`);
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all']);

/** Sigma identifier patterns use `*` for any characters. */
function namesMatching(pattern: string, names: readonly string[]): string[] {
  if (pattern === 'them') return names.filter((n) => !n.startsWith('_'));
  const matches = wildcardMatcher(pattern, { questionMark: false });
  return names.filter((n) => matches(n));
}

class Parser {
  private pos = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly text: string,
    private readonly names: readonly string[],
  ) {}

  parse(): Condition {
    const node = this.or();
    if (this.pos < this.toks.length) throw new RuleProblem(`condition "${this.text}" has unexpected "${this.show(this.toks[this.pos])}"`);
    return node;
  }

  private show(tok: Tok | undefined): string {
    return tok === undefined ? 'end' : tok.t === 'word' ? tok.v : tok.t;
  }

  private peekWord(word: string): boolean {
    const tok = this.toks[this.pos];
    return tok?.t === 'word' && tok.v.toLowerCase() === word;
  }

  private or(): Condition {
    const items = [this.and()];
    while (this.peekWord('or')) {
      this.pos++;
      items.push(this.and());
    }
    return items.length === 1 ? (items[0] as Condition) : { kind: 'or', items };
  }

  private and(): Condition {
    const items = [this.not()];
    while (this.peekWord('and')) {
      this.pos++;
      items.push(this.not());
    }
    return items.length === 1 ? (items[0] as Condition) : { kind: 'and', items };
  }

  private not(): Condition {
    if (this.peekWord('not')) {
      this.pos++;
      return { kind: 'not', item: this.not() };
    }
    return this.primary();
  }

  private primary(): Condition {
    const tok = this.toks[this.pos++];
    if (tok === undefined) throw new RuleProblem(`condition "${this.text}" ends too early`);
    if (tok.t === '(') {
      const inner = this.or();
      if (this.toks[this.pos]?.t !== ')') throw new RuleProblem(`condition "${this.text}" misses a closing parenthesis`);
      this.pos++;
      return inner;
    }
    if (tok.t === ')') throw new RuleProblem(`condition "${this.text}" has an unexpected ")"`);
    const word = tok.v;
    if (this.peekWord('of')) {
      const quantity = word.toLowerCase() === 'all' ? 'all' : /^\d+$/.test(word) ? Number(word) : null;
      if (quantity === null || quantity === 0) throw new RuleProblem(`condition "${this.text}": "${word} of" must be "1 of", "N of" or "all of"`);
      this.pos++;
      const target = this.toks[this.pos++];
      if (target?.t !== 'word') throw new RuleProblem(`condition "${this.text}": "${word} of" needs a selection pattern or "them"`);
      const names = namesMatching(target.v, this.names);
      if (names.length === 0) throw new RuleProblem(`condition "${this.text}": no selection matches "${target.v}"`);
      return { kind: 'of', quantity, names };
    }
    if (KEYWORDS.has(word.toLowerCase())) throw new RuleProblem(`condition "${this.text}" has "${word}" where a selection name belongs`);
    if (!this.names.includes(word)) throw new RuleProblem(`condition "${this.text}" names "${word}", which is not a selection of the detection`);
    return { kind: 'ref', name: word };
  }
}

/** A condition (or a list of them, linked with or) over the detection's selection names. */
export function parseCondition(condition: unknown, names: readonly string[]): Condition {
  const texts = Array.isArray(condition) ? condition : [condition];
  if (texts.length === 0 || !texts.every((t): t is string => typeof t === 'string' && t.trim() !== '')) {
    throw new RuleProblem('detection.condition must be a condition text or a list of them');
  }
  const parsed = texts.map((text) => new Parser(tokenize(text), text, names).parse());
  return parsed.length === 1 ? (parsed[0] as Condition) : { kind: 'or', items: parsed };
}

/** The selection names a condition reads. */
export function conditionNames(node: Condition, out = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'ref':
      out.add(node.name);
      break;
    case 'and':
    case 'or':
      for (const item of node.items) conditionNames(item, out);
      break;
    case 'not':
      conditionNames(node.item, out);
      break;
    case 'of':
      for (const n of node.names) out.add(n);
      break;
  }
  return out;
}
