// Reading the built-in catalog for its tests: the rule files as text and as plain YAML (for metadata that
// holds for any Sigma tool), compiled through the engine's public API, and correlation
// streams run the way a scan runs them (base-rule matches in time order through a Correlator).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { CloudTrailRecord } from '../../../src/events/record.js';
import { eventTimeMs } from '../../../src/events/record.js';
import { checksDir } from '../../../src/paths.js';
import { compileRuleSource, compileSources, Correlator, type CorrelationMatch, type RuleSet, type SigmaRule } from '../../../src/events/sigma/index.js';

export const RULES_DIR = join(checksDir, 'rules');

export type YamlDoc = Record<string, unknown>;

export interface CatalogFile {
  /** The file name without .yml: the ruleId its reporting rule must carry. */
  ruleId: string;
  path: string;
  text: string;
  /** The YAML documents as plain data. */
  docs: YamlDoc[];
}

function isMap(v: unknown): v is YamlDoc {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function catalogFiles(): CatalogFile[] {
  return readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => {
      const path = join(RULES_DIR, f);
      const text = readFileSync(path, 'utf8');
      const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown);
      if (!docs.every(isMap)) throw new Error(`${path}: every YAML document must be a map`);
      return { ruleId: basename(f, '.yml'), path, text, docs: docs as YamlDoc[] };
    });
}

/** The document carrying the trailproof block: the rule whose detections the file reports. */
export function reportingDoc(file: CatalogFile): YamlDoc {
  const found = file.docs.filter((d) => d.trailproof !== undefined);
  if (found.length !== 1) throw new Error(`${file.path}: expected exactly one document with a trailproof block, found ${found.length}`);
  return found[0] as YamlDoc;
}

const compiled = new Map<string, SigmaRule[]>();
const ruleSets = new Map<string, RuleSet>();

/**
 * A file's rules compiled through the engine (throws RuleLoadError naming the file, rule and feature);
 * compiled once per file with the default parameters.
 */
export function loadFile(file: CatalogFile, parameters?: Record<string, unknown>): SigmaRule[] {
  if (parameters !== undefined) return compileRuleSource(file.text, file.path, { parameters: { [file.ruleId]: parameters } });
  let rules = compiled.get(file.path);
  if (rules === undefined) {
    rules = compileRuleSource(file.text, file.path);
    compiled.set(file.path, rules);
  }
  return rules;
}

/** The file alone as a RuleSet (index and correlations), built once per file with the default parameters. */
export function ruleSetOf(file: CatalogFile, parameters?: Record<string, unknown>): RuleSet {
  const cached = parameters === undefined ? ruleSets.get(file.path) : undefined;
  if (cached !== undefined) return cached;
  const built = compileSources([{ file: file.path, text: file.text }], parameters === undefined ? {} : { parameters: { [file.ruleId]: parameters } });
  if (built.errors.length > 0) throw built.errors[0];
  if (parameters === undefined) ruleSets.set(file.path, built.ruleSet);
  return built.ruleSet;
}

/** A stream of records through a file's rules as a scan runs them: matches in time order into a Correlator. */
export function correlate(ruleSet: RuleSet, records: readonly CloudTrailRecord[]): CorrelationMatch[] {
  const ordered = records.map((record, i) => ({ record, i })).sort((a, b) => eventTimeMs(a.record) - eventTimeMs(b.record) || a.i - b.i);
  const correlator = new Correlator(ruleSet);
  const out: CorrelationMatch[] = [];
  for (const { record, i } of ordered) {
    for (const ordinal of ruleSet.matchIndices(record)) {
      const input = ruleSet.correlationInput(ordinal, record, i);
      if (input !== null) out.push(...correlator.push(input));
    }
  }
  out.push(...correlator.flush());
  return out;
}
