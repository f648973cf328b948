// A RuleSet rebuilt from the main thread's snapshot (load.ts snapshotRules takes it): what a scan's worker
// thread runs. Apart from load.ts and compile.ts so that a worker loads neither the YAML parser nor the
// JSON Schema validator its rules were read and checked with (about 100 ms of each worker's start-up,
// measured as their import time on the bench machine), only the detection compiler.
import { compileDetection } from './detection.js';
import { isBuiltinRuleFile } from './regex.js';
import { RuleSet } from './ruleset.js';
import type { CompiledRule, CorrelationRule, SigmaRule } from './types.js';

/**
 * The compiled rules as plain data a worker thread rebuilds the same RuleSet from (rulesFromSnapshot)
 * without reading YAML or validating parameters again: every rule as compiled, less its closures, and for
 * an event rule the detection as written, which compileDetection turns back into the closures. Reading and
 * compiling the rule files is most of what a worker does before its first event otherwise.
 */
export interface RuleSnapshot {
  rules: Array<{ rule: CorrelationRule } | { event: Omit<CompiledRule, 'match' | 'index' | 'fieldUses' | 'expr' | 'kind' | 'generate'>; detection: unknown }>;
}

/** An event rule of a snapshot compiled again: its detection as written turned back into the closures. */
export function compileEvent(event: Omit<CompiledRule, 'match' | 'index' | 'fieldUses' | 'expr' | 'kind' | 'generate'>, detection: unknown): CompiledRule {
  const compiled = compileDetection(detection, event.parameters.values, isBuiltinRuleFile(event.file));
  return { ...event, kind: 'event', match: compiled.match, index: compiled.index, fieldUses: compiled.fieldUses, expr: compiled.expr, generate: true };
}

/** The RuleSet a snapshot was taken of: the same rules, ordinals and correlations. */
export function rulesFromSnapshot(snapshot: RuleSnapshot): RuleSet {
  const rules = snapshot.rules.map((r): SigmaRule => ('rule' in r ? r.rule : compileEvent(r.event, r.detection)));
  return RuleSet.build(rules).ruleSet;
}
