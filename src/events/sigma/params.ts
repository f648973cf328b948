// trailproof's extension block and rule parameters. A rule declares its parameters under
// `trailproof.parameters` as JSON Schema properties with defaults (the way a check declares its options);
// the config sets them under `checks.<ruleId>`. Values reach the rule through Sigma placeholders:
// `field|expand: '%name%'` in the detection, and a whole-value `'%name%'` for the correlation's
// `timespan` and condition bounds. A placeholder the rule does not declare is a load error.
import { SEVERITIES, type Severity } from '../../model/types.js';
import type { TrailproofExtension } from './types.js';

/** Thrown while compiling one document; the loader adds the file and rule title. */
export class RuleProblem extends Error {
  readonly feature: string | null;
  constructor(message: string, feature: string | null = null) {
    super(message);
    this.feature = feature;
  }
}

export function unsupported(feature: string, message: string): RuleProblem {
  return new RuleProblem(message, feature);
}

const RULE_ID = /^[a-z0-9][a-z0-9.-]*$/;
const EXTENSION_KEYS = new Set(['id', 'severity', 'counts', 'cis', 'parameters']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface ParsedExtension {
  extension: TrailproofExtension | null;
  declared: Record<string, Record<string, unknown>>;
}

export function parseExtension(block: unknown): ParsedExtension {
  if (block === undefined) return { extension: null, declared: {} };
  if (!isRecord(block)) throw new RuleProblem('trailproof must be a map (id, severity, counts, cis, parameters)');
  for (const key of Object.keys(block)) if (!EXTENSION_KEYS.has(key)) throw new RuleProblem(`trailproof.${key} is not a trailproof rule key (id, severity, counts, cis, parameters)`);
  const extension: TrailproofExtension = { cis: [] };
  const { id, severity, counts, cis, parameters } = block;
  if (id !== undefined) {
    if (typeof id !== 'string' || !RULE_ID.test(id)) throw new RuleProblem(`trailproof.id must be lowercase letters, digits, dots and dashes, not ${JSON.stringify(id)}`);
    extension.id = id;
  }
  if (severity !== undefined) {
    if (!(SEVERITIES as readonly unknown[]).includes(severity)) throw new RuleProblem(`trailproof.severity must be one of ${SEVERITIES.join(', ')}`);
    extension.severity = severity as Severity;
  }
  if (counts !== undefined) {
    if (counts !== 'success' && counts !== 'attempts') throw new RuleProblem('trailproof.counts must be "success" or "attempts"');
    extension.counts = counts;
  }
  if (cis !== undefined) {
    const list = Array.isArray(cis) ? cis : [cis];
    if (!list.every((c) => typeof c === 'string' || typeof c === 'number')) throw new RuleProblem('trailproof.cis must be a CIS id such as "4.3" or a list of them');
    extension.cis = list.map(String);
  }
  const declared: Record<string, Record<string, unknown>> = {};
  if (parameters !== undefined) {
    if (!isRecord(parameters)) throw new RuleProblem('trailproof.parameters must map parameter names to JSON Schemas with a default');
    for (const [name, schema] of Object.entries(parameters)) {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new RuleProblem(`trailproof.parameters: "${name}" is not a parameter name (letters, digits, underscores)`);
      if (!isRecord(schema) || !('default' in schema)) throw new RuleProblem(`trailproof.parameters.${name} must be a JSON Schema with a default`);
      declared[name] = schema;
    }
  }
  return { extension, declared };
}

const PLACEHOLDER = /%([A-Za-z][A-Za-z0-9_]*)%/g;

function lookup(name: string, values: Record<string, unknown>): unknown {
  if (!Object.hasOwn(values, name)) throw unsupported(`placeholder %${name}%`, `declare "${name}" under trailproof.parameters to give it a value`);
  return values[name];
}

/**
 * Sigma `expand`: replaces `%name%` placeholders (`\%` is a plain percent sign). A value that is exactly
 * one placeholder takes the parameter's value as is (a list becomes several values); placeholders inside
 * text are replaced by each value of a list in turn.
 */
export function expandPlaceholders(value: unknown, values: Record<string, unknown>): unknown[] {
  if (typeof value !== 'string') return [value];
  const whole = /^%([A-Za-z][A-Za-z0-9_]*)%$/.exec(value);
  if (whole) {
    const v = lookup(whole[1] as string, values);
    return Array.isArray(v) ? v : [v];
  }
  let results = [''];
  let last = 0;
  const marker = '\u0000';
  const text = value.replace(/\\%/g, marker);
  for (const m of text.matchAll(PLACEHOLDER)) {
    const before = text.slice(last, m.index);
    const v = lookup(m[1] as string, values);
    const options = (Array.isArray(v) ? v : [v]).map(String);
    results = results.flatMap((r) => options.map((o) => r + before + o));
    if (results.length > 1000) throw new RuleProblem(`placeholders in "${value}" expand to more than 1000 values`);
    last = (m.index ?? 0) + m[0].length;
  }
  return results.map((r) => (r + text.slice(last)).split(marker).join('%'));
}

/** A correlation setting that is a whole `%name%` placeholder takes the parameter's value. */
export function resolveSetting(value: unknown, values: Record<string, unknown>): unknown {
  if (typeof value !== 'string') return value;
  const whole = /^%([A-Za-z][A-Za-z0-9_]*)%$/.exec(value);
  return whole ? lookup(whole[1] as string, values) : value;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Sigma timespan: a number and a lowercase unit, `30s`, `5m`, `1h`, `7d`. */
export function parseTimespan(value: unknown, what = 'timespan', allowZero = false): number {
  const match = typeof value === 'string' ? /^(\d+)([smhd])$/.exec(value) : null;
  if (!match) throw new RuleProblem(`${what} ${JSON.stringify(value)} must be a number and a unit s, m, h or d (e.g. 5m)`);
  const ms = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  if (ms <= 0 && !allowZero) throw new RuleProblem(`${what} ${JSON.stringify(value)} must be longer than zero`);
  return ms;
}
