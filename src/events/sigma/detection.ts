// A Sigma `detection` compiled once into one predicate over a record, plus what the index may key the rule
// on: the eventName (or eventSource) values that every way of matching requires.
import { parseCondition, type Condition } from './condition.js';
import type { Expr } from './expr.js';
import { RuleProblem, unsupported } from './params.js';
import type { FieldUse, IndexKeys } from './types.js';
import { compileField, type CompiledField, type RecordTest } from './values.js';

/** Lowercase values one of which the field must equal, or null when the field is not pinned. */
type Required = Set<string> | null;

interface Selection {
  test: RecordTest;
  eventName: Required;
  eventSource: Required;
  expr: Expr;
}

export interface CompiledDetection {
  match: RecordTest;
  index: IndexKeys;
  fieldUses: FieldUse[];
  /** The detection as data (what `match` computes), for the SQL compiler. */
  expr: Expr;
}

function both(items: Expr[]): Expr {
  return items.length === 1 ? (items[0] as Expr) : { kind: 'and', items };
}

function either(items: Expr[]): Expr {
  return items.length === 1 ? (items[0] as Expr) : { kind: 'or', items };
}

function intersect(a: Required, b: Required): Required {
  if (a === null) return b;
  if (b === null) return a;
  return new Set([...a].filter((v) => b.has(v)));
}

function union(a: Required, b: Required): Required {
  if (a === null || b === null) return null;
  return new Set([...a, ...b]);
}

function allOf(tests: RecordTest[]): RecordTest {
  if (tests.length === 1) return tests[0] as RecordTest;
  if (tests.length === 2) {
    const [a, b] = tests as [RecordTest, RecordTest];
    return (r) => a(r) && b(r);
  }
  return (r) => {
    for (const t of tests) if (!t(r)) return false;
    return true;
  };
}

function anyOf(tests: RecordTest[]): RecordTest {
  if (tests.length === 1) return tests[0] as RecordTest;
  if (tests.length === 2) {
    const [a, b] = tests as [RecordTest, RecordTest];
    return (r) => a(r) || b(r);
  }
  return (r) => {
    for (const t of tests) if (t(r)) return true;
    return false;
  };
}

function pinned(fields: CompiledField[], name: 'eventName' | 'eventSource'): Required {
  let req: Required = null;
  for (const f of fields) if (f.use.field === name && f.exact !== null) req = intersect(req, new Set(f.exact));
  return req;
}

function compileMap(map: Record<string, unknown>, name: string, parameters: Record<string, unknown>, uses: FieldUse[], builtin: boolean): Selection {
  const entries = Object.entries(map);
  if (entries.length === 0) throw new RuleProblem(`selection "${name}" is an empty map`);
  const fields = entries.map(([key, value]) => compileField(key, value, parameters, name, builtin));
  for (const f of fields) uses.push(f.use);
  const ordered = [...fields].sort((a, b) => a.cost - b.cost);
  return { test: allOf(ordered.map((f) => f.test)), eventName: pinned(fields, 'eventName'), eventSource: pinned(fields, 'eventSource'), expr: both(fields.map((f) => f.expr)) };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function compileSelection(name: string, value: unknown, parameters: Record<string, unknown>, uses: FieldUse[], builtin: boolean): Selection {
  if (isMap(value)) return compileMap(value, name, parameters, uses, builtin);
  if (Array.isArray(value)) {
    if (value.length === 0) throw new RuleProblem(`selection "${name}" is an empty list`);
    if (value.every(isMap)) {
      const maps = value.map((m) => compileMap(m, name, parameters, uses, builtin));
      return {
        test: anyOf(maps.map((m) => m.test)),
        eventName: maps.map((m) => m.eventName).reduce(union),
        eventSource: maps.map((m) => m.eventSource).reduce(union),
        expr: either(maps.map((m) => m.expr)),
      };
    }
    if (value.some((v) => isMap(v) || Array.isArray(v))) throw new RuleProblem(`selection "${name}" mixes maps and keywords in one list`);
  } else if (value === null || value === undefined) {
    throw new RuleProblem(`selection "${name}" is empty`);
  }
  // Keywords: text searched anywhere in the record.
  const f = compileField('', value, parameters, name, builtin);
  uses.push(f.use);
  return { test: f.test, eventName: null, eventSource: null, expr: f.expr };
}

type Compiled = Selection;

function compileCondition(node: Condition, selections: Map<string, Selection>): Compiled {
  switch (node.kind) {
    case 'ref':
      return selections.get(node.name) as Selection;
    case 'not': {
      const item = compileCondition(node.item, selections);
      const inner = item.test;
      return { test: (r) => !inner(r), eventName: null, eventSource: null, expr: { kind: 'not', item: item.expr } };
    }
    case 'and':
    case 'or': {
      const items = node.items.map((i) => compileCondition(i, selections));
      const combine = node.kind === 'and' ? intersect : union;
      return {
        test: node.kind === 'and' ? allOf(items.map((i) => i.test)) : anyOf(items.map((i) => i.test)),
        eventName: items.map((i) => i.eventName).reduce(combine),
        eventSource: items.map((i) => i.eventSource).reduce(combine),
        expr: node.kind === 'and' ? both(items.map((i) => i.expr)) : either(items.map((i) => i.expr)),
      };
    }
    case 'of': {
      const items = node.names.map((n) => selections.get(n) as Selection);
      if (node.quantity === 'all') {
        return { test: allOf(items.map((i) => i.test)), eventName: items.map((i) => i.eventName).reduce(intersect), eventSource: items.map((i) => i.eventSource).reduce(intersect), expr: both(items.map((i) => i.expr)) };
      }
      const need = node.quantity;
      const tests = items.map((i) => i.test);
      const test: RecordTest =
        need === 1
          ? anyOf(tests)
          : (r) => {
              let n = 0;
              for (const t of tests) if (t(r) && ++n >= need) return true;
              return false;
            };
      const exprs = items.map((i) => i.expr);
      return { test, eventName: items.map((i) => i.eventName).reduce(union), eventSource: items.map((i) => i.eventSource).reduce(union), expr: need === 1 ? either(exprs) : { kind: 'atLeast', n: need, items: exprs } };
    }
  }
}

const sorted = (req: Required): string[] | null => (req === null ? null : [...req].sort());

/** `builtin`: the detection is one of trailproof's own rules (see regex.ts for what that changes). */
export function compileDetection(detection: unknown, parameters: Record<string, unknown>, builtin = false): CompiledDetection {
  if (!isMap(detection)) throw new RuleProblem('detection must be a map of selections and a condition');
  if ('timeframe' in detection) throw unsupported('detection.timeframe', 'Sigma 1 timeframes are replaced by correlation rules (timespan)');
  if (!('condition' in detection)) throw new RuleProblem('detection has no condition');
  const uses: FieldUse[] = [];
  const selections = new Map<string, Selection>();
  for (const [name, value] of Object.entries(detection)) {
    if (name === 'condition') continue;
    selections.set(name, compileSelection(name, value, parameters, uses, builtin));
  }
  const condition = parseCondition(detection.condition, [...selections.keys()]);
  const compiled = compileCondition(condition, selections);
  return { match: compiled.test, index: { eventNames: sorted(compiled.eventName), eventSources: sorted(compiled.eventSource) }, fieldUses: uses, expr: compiled.expr };
}
