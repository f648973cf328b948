// Reading the built-in catalog for its tests: the rule files as text and as plain YAML (for metadata that
// must hold whatever the engine supports), compiled through the engine's public API, and correlation
// streams run the way a scan runs them (base-rule matches in time order through a Correlator).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { CloudTrailRecord } from '../../../src/events/record.js';
import { eventTimeMs } from '../../../src/events/record.js';
import { checksDir } from '../../../src/paths.js';
import { compileRuleSource, compileSources, Correlator, RuleLoadError, type CorrelationMatch, type RuleSet, type SigmaRule } from '../../../src/events/sigma/index.js';

export const RULES_DIR = join(checksDir, 'rules');

/**
 * Parts of the catalog's own design that the engine does not evaluate yet (trailproof's rate_anomaly
 * correlation type for the two anomaly rules). A rule that fails to load on one of these is skipped with
 * a notice naming the feature; any other load error fails.
 */
export const PENDING_FEATURES: readonly string[] = ['correlation type "rate_anomaly"', 'correlation.baseline', 'correlation.warmup', 'correlation condition factor'];

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

export type Loaded = { kind: 'ok'; rules: SigmaRule[] } | { kind: 'pending'; feature: string } | { kind: 'error'; error: unknown };

export function loadFile(file: CatalogFile, parameters?: Record<string, unknown>): Loaded {
  try {
    return { kind: 'ok', rules: compileRuleSource(file.text, file.path, parameters === undefined ? {} : { parameters: { [file.ruleId]: parameters } }) };
  } catch (error) {
    if (error instanceof RuleLoadError && error.feature !== null && PENDING_FEATURES.includes(error.feature)) return { kind: 'pending', feature: error.feature };
    return { kind: 'error', error };
  }
}

/**
 * The event rules of a file compiled document by document, so the base rules of a correlation the engine
 * cannot evaluate yet are still tested.
 */
export function baseRules(file: CatalogFile): SigmaRule[] {
  const texts = file.text.split(/^---\s*$/m);
  const out: SigmaRule[] = [];
  texts.forEach((text, i) => {
    if (!isMap(file.docs[i]) || file.docs[i]?.correlation !== undefined) return;
    out.push(...compileRuleSource(text, `${file.path}#${i + 1}`));
  });
  return out;
}

export function ruleSetOf(file: CatalogFile, parameters?: Record<string, unknown>): RuleSet {
  const built = compileSources([{ file: file.path, text: file.text }], parameters === undefined ? {} : { parameters: { [file.ruleId]: parameters } });
  if (built.errors.length > 0) throw built.errors[0];
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
