// A rule file's text into rules: YAML (one or more documents) read with the `yaml` package, the Sigma
// fields checked, the detection compiled or the correlation validated. Only AWS CloudTrail rules load.
import { basename } from 'node:path';
import { readYamlDocuments, YamlProblem, type YamlOptions } from '../../config/yaml.js';
import type { Severity } from '../../model/types.js';
import { compileDetection } from './detection.js';
import { isBuiltinRuleFile } from './regex.js';
import { resolveParameters } from './parameter-schema.js';
import { parseExtension, parseTimespan, resolveSetting, RuleProblem, unsupported } from './params.js';
import { CORRELATION_TYPES, RuleLoadError, SIGMA_LEVELS, type CompiledRule, type CorrelationRule, type CorrelationType, type CountCondition, type RuleMeta, type SigmaLevel, type SigmaRule } from './types.js';

export interface CompileOptions {
  /** Parameter values by ruleId (the config's `checks.<ruleId>`), over the rule's declared defaults. */
  parameters?: Record<string, Record<string, unknown>>;
}

// Detection values keep the text they were written with: an unquoted 012345678901 or 1.10 is compared
// as written, not as the number YAML would make of it. Everything else reads numbers as numbers.
const TEXT_NUMBERS: YamlOptions = { customTags: (tags) => tags.filter((t) => !(typeof t === 'object' && (t.tag === 'tag:yaml.org,2002:int' || t.tag === 'tag:yaml.org,2002:float'))) };

/**
 * Each compiled event rule's detection as written (a copy taken before it was compiled), for the snapshot
 * worker threads rebuild the rule set from (load.ts): the main thread need not read the YAML a third time.
 */
export const writtenDetections = new WeakMap<CompiledRule, unknown>();

const LEVEL_SEVERITY: Record<SigmaLevel, Severity> = { informational: 'info', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function optionalText(doc: Record<string, unknown>, key: string): string | undefined {
  const v = doc[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  throw new RuleProblem(`${key} must be text`);
}

function textList(doc: Record<string, unknown>, key: string): string[] {
  const v = doc[key];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'string' || typeof x === 'number')) throw new RuleProblem(`${key} must be a list of texts`);
  return list.map(String);
}

function readMeta(doc: Record<string, unknown>): RuleMeta {
  const title = doc.title;
  if (typeof title !== 'string' || title.trim() === '') throw new RuleProblem('the rule has no title');
  const meta: RuleMeta = { title, references: textList(doc, 'references'), tags: textList(doc, 'tags'), falsepositives: textList(doc, 'falsepositives'), fields: textList(doc, 'fields'), related: [] };
  for (const key of ['id', 'name', 'status', 'description', 'author', 'date', 'modified'] as const) {
    const v = optionalText(doc, key);
    if (v !== undefined) meta[key] = v;
  }
  if (doc.level !== undefined && doc.level !== null) {
    if (!(SIGMA_LEVELS as readonly unknown[]).includes(doc.level)) throw new RuleProblem(`level must be one of ${SIGMA_LEVELS.join(', ')}`);
    meta.level = doc.level as SigmaLevel;
  }
  if (doc.related !== undefined) {
    if (!Array.isArray(doc.related) || !doc.related.every((r) => isMap(r) && typeof r.id === 'string' && typeof r.type === 'string')) throw new RuleProblem('related must be a list of {id, type}');
    meta.related = (doc.related as Array<{ id: string; type: string }>).map((r) => ({ id: r.id, type: r.type }));
  }
  if (doc.logsource !== undefined) {
    if (!isMap(doc.logsource)) throw new RuleProblem('logsource must be a map');
    meta.logsource = Object.fromEntries(Object.entries(doc.logsource).map(([k, v]) => [k, String(v)]));
  }
  return meta;
}

function checkLogsource(meta: RuleMeta): void {
  const ls = meta.logsource;
  if (ls === undefined) throw new RuleProblem('the rule has no logsource; CloudTrail rules say logsource: {product: aws, service: cloudtrail}');
  const product = ls.product?.toLowerCase();
  const service = ls.service?.toLowerCase();
  if (product !== 'aws' || service !== 'cloudtrail') {
    const said = Object.entries(ls).filter(([k]) => k !== 'definition').map(([k, v]) => `${k}: ${v}`).join(', ');
    throw new RuleProblem(`logsource (${said}) is not AWS CloudTrail; trailproof evaluates rules with product: aws and service: cloudtrail`);
  }
}

function countCondition(raw: unknown, values: Record<string, unknown>, type: CorrelationType): { condition: CountCondition; field: string | null } {
  if (raw === undefined || raw === null) {
    if (type === 'event_count' || type === 'value_count') throw new RuleProblem(`a ${type} correlation needs a condition (e.g. gte: 10)`);
    return { condition: {}, field: null };
  }
  if (!isMap(raw)) throw new RuleProblem('correlation.condition must be a map such as {gte: 10}');
  const condition: CountCondition = {};
  let field: string | null = null;
  const allowed = type === 'rate_anomaly' ? ['factor', 'gte'] : ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'];
  for (const [key, v] of Object.entries(raw)) {
    const value = resolveSetting(v, values);
    if (key === 'field') {
      if (typeof value !== 'string' || value === '') throw new RuleProblem('correlation.condition.field must name a field');
      field = value;
      continue;
    }
    if (!allowed.includes(key)) throw unsupported(`correlation condition ${key}`, `a ${type} condition takes ${allowed.join(', ')}${type === 'value_count' ? ' and field' : ''}`);
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (key === 'factor') {
      if (!(n > 0)) throw new RuleProblem(`correlation.condition.factor must be a number above zero, not ${JSON.stringify(value)}`);
    } else if (!Number.isInteger(n) || n < 0) throw new RuleProblem(`correlation.condition.${key} must be a whole number, not ${JSON.stringify(value)}`);
    condition[key as keyof CountCondition] = n;
  }
  if (Object.keys(condition).length === 0 && type !== 'temporal' && type !== 'temporal_ordered') throw new RuleProblem('correlation.condition needs a bound such as gte: 10');
  return { condition, field };
}

const CORRELATION_KEYS = new Set(['type', 'rules', 'group-by', 'timespan', 'condition', 'field', 'aliases', 'generate', 'baseline', 'warmup']);

type CorrelationPart = Pick<CorrelationRule, 'kind' | 'type' | 'rules' | 'groupBy' | 'timespan' | 'timespanMs' | 'baselineMs' | 'warmupMs' | 'condition' | 'field' | 'aliases' | 'generate'>;

function readCorrelation(block: unknown, doc: Record<string, unknown>, values: Record<string, unknown>): CorrelationPart {
  if (!isMap(block)) throw new RuleProblem('correlation must be a map (type, rules, group-by, timespan, condition)');
  for (const key of Object.keys(block)) if (!CORRELATION_KEYS.has(key)) throw unsupported(`correlation.${key}`, `trailproof reads ${[...CORRELATION_KEYS].join(', ')}`);
  const type = block.type;
  if (!(CORRELATION_TYPES as readonly unknown[]).includes(type)) throw unsupported(`correlation type ${JSON.stringify(type)}`, `trailproof evaluates ${CORRELATION_TYPES.join(', ')}`);
  const t = type as CorrelationType;
  const rules = block.rules;
  if (!Array.isArray(rules) || rules.length === 0 || !rules.every((r) => typeof r === 'string' && r !== '')) throw new RuleProblem('correlation.rules must list the ids or names of the rules it correlates');
  const groupBy = block['group-by'] ?? [];
  if (!Array.isArray(groupBy) || !groupBy.every((g) => typeof g === 'string' && g !== '')) throw new RuleProblem('correlation.group-by must be a list of field names');
  const timespanValue = resolveSetting(block.timespan, values);
  const timespanMs = parseTimespan(timespanValue);
  const { condition, field: conditionField } = countCondition(block.condition, values, t);
  let baselineMs: number | null = null;
  let warmupMs: number | null = null;
  if (t === 'rate_anomaly') {
    if (block.baseline === undefined) throw new RuleProblem('a rate_anomaly correlation needs baseline: the trailing window its average is taken over (e.g. 7d)');
    baselineMs = parseTimespan(resolveSetting(block.baseline, values), 'baseline');
    warmupMs = block.warmup === undefined ? 0 : parseTimespan(resolveSetting(block.warmup, values), 'warmup', true);
    if (baselineMs <= timespanMs) throw new RuleProblem('baseline must be longer than the timespan (interval)');
  } else if (block.baseline !== undefined || block.warmup !== undefined) {
    throw new RuleProblem(`baseline and warmup only apply to rate_anomaly, not ${t}`);
  }
  const topField = block.field === undefined ? null : resolveSetting(block.field, values);
  if (topField !== null && (typeof topField !== 'string' || topField === '')) throw new RuleProblem('correlation.field must name a field');
  const field = conditionField ?? (topField as string | null);
  if (t === 'value_count' && field === null) throw new RuleProblem('a value_count correlation needs condition.field: the field whose distinct values are counted');
  if (t !== 'value_count' && field !== null) throw new RuleProblem(`field only applies to value_count, not ${t}`);
  if (t === 'temporal_ordered' && Object.keys(condition).length > 0 && !(condition.gte === rules.length || condition.eq === rules.length)) {
    throw unsupported('temporal_ordered condition', 'an ordered sequence must see all its rules in order; leave the condition out');
  }
  const aliases: Record<string, Record<string, string>> = {};
  if (block.aliases !== undefined) {
    if (!isMap(block.aliases)) throw new RuleProblem('correlation.aliases must map alias names to {rule name: field}');
    for (const [alias, map] of Object.entries(block.aliases)) {
      if (!isMap(map) || !Object.values(map).every((f) => typeof f === 'string')) throw new RuleProblem(`correlation.aliases.${alias} must map rule names to field names`);
      aliases[alias] = map as Record<string, string>;
    }
  }
  const generate = block.generate ?? doc.generate ?? false;
  if (typeof generate !== 'boolean') throw new RuleProblem('generate must be true or false');
  return { kind: 'correlation', type: t, rules: rules as string[], groupBy: groupBy as string[], timespan: String(timespanValue), timespanMs, baselineMs, warmupMs, condition, field, aliases, generate };
}

function compileDocument(doc: unknown, textDoc: unknown, file: string, index: number, count: number, options: CompileOptions): SigmaRule {
  if (!isMap(doc) || !isMap(textDoc)) throw new RuleProblem('a rule document must be a map');
  if (doc.action !== undefined) throw unsupported(`action: ${String(doc.action)}`, 'Sigma 1 rule collections (global/reset/repeat documents) are not read; write each rule in full');
  if (doc.filter !== undefined) throw unsupported('Sigma filter documents', 'meta filters are not applied; exclude with a selection in the rule itself');
  const meta = readMeta(doc);
  const { extension, declared } = parseExtension(doc.trailproof);
  const fallbackId = count > 1 ? `${basename(file)}#${index + 1}` : basename(file);
  const ruleId = extension?.id ?? meta.id ?? meta.name ?? fallbackId;
  const parameters = resolveParameters(declared, options.parameters?.[ruleId]);
  const severity = extension?.severity ?? (meta.level === undefined ? 'medium' : LEVEL_SEVERITY[meta.level]);
  const base = { ruleId, file, document: index, title: meta.title, severity, meta, trailproof: extension, parameters };
  if (doc.correlation !== undefined) {
    if (doc.detection !== undefined) throw new RuleProblem('a document is either a rule (detection) or a correlation, not both');
    return { ...base, ...readCorrelation(doc.correlation, doc, parameters.values) };
  }
  checkLogsource(meta);
  if (doc.detection === undefined) throw new RuleProblem('the rule has no detection');
  const written = structuredClone(textDoc.detection);
  const detection = compileDetection(textDoc.detection, parameters.values, isBuiltinRuleFile(file));
  const rule: CompiledRule = { ...base, kind: 'event', match: detection.match, index: detection.index, fieldUses: detection.fieldUses, expr: detection.expr, generate: true };
  writtenDetections.set(rule, written);
  return rule;
}

function titleOf(doc: unknown): string | null {
  return isMap(doc) && typeof doc.title === 'string' ? doc.title : null;
}

/**
 * Compiles one rule file's text (every YAML document in it). Throws RuleLoadError naming the file, the
 * rule and, for an unsupported part of Sigma, the feature.
 */
export function compileRuleSource(text: string, file: string, options: CompileOptions = {}): SigmaRule[] {
  let values: unknown[];
  let textValues: unknown[];
  try {
    values = readYamlDocuments(text);
    textValues = readYamlDocuments(text, TEXT_NUMBERS);
  } catch (err) {
    if (err instanceof YamlProblem) throw new RuleLoadError(file, null, `not valid YAML${err.at}: ${err.message}`);
    throw err;
  }
  if (values.length === 0) throw new RuleLoadError(file, null, 'the file holds no rule');
  return values.map((doc, i) => {
    try {
      return compileDocument(doc, textValues[i], file, i, values.length, options);
    } catch (err) {
      if (err instanceof RuleProblem) throw new RuleLoadError(file, titleOf(doc), err.message, err.feature);
      throw err;
    }
  });
}
