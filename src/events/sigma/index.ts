// The Sigma rule engine for CloudTrail: the public API.
//
// Loading
//   loadRules(dirOrFiles, {parameters?}) -> {ruleSet, rules, errors, sources}
//       Every .yml/.yaml file below a folder (or the files and folders listed), sorted by path. A file that
//       does not load yields one RuleLoadError (file, rule title, unsupported feature) and the others load.
//       `parameters` sets rule parameters by ruleId (the config's `checks.<ruleId>`).
//   compileRuleSource(text, file, {parameters?}) -> SigmaRule[]      throws RuleLoadError
//   compileSources(sources, {parameters?}) -> {ruleSet, rules, errors}
//       What a worker thread runs on the `sources` posted to it: the same sources and options give the same
//       RuleSet with the same rule ordinals in every thread. `.snapshot()` -> RuleSnapshot | null: the
//       compiled rules as plain data; rulesFromSnapshot(snapshot) -> RuleSet rebuilds the same set in a
//       worker without reading YAML again (null when a detection cannot be read back identically).
//
// Matching
//   ruleSet.matchIndices(record, possible?) -> number[]   ordinals into ruleSet.rules, ascending (cheap to
//                                              post); `possible` (1 per ordinal) limits the rules tested to
//                                              those a prefilter found could match
//   ruleSet.matches(record) -> CompiledRule[]
//       Uses the index: a rule whose condition pins eventName (or else eventSource) in every branch is only
//       tested against events with one of those values; the others are tested against every event.
//       matchIndicesWithoutIndex(record) is the brute-force reference.
//   rule.match(record) -> boolean              one compiled rule, no index
//   rule.generate                              false for a rule that only feeds correlations (Sigma's
//                                              `generate: false`): its own matches are not detections.
//
// Correlation (run in one thread, over the time-ordered stream of base-rule matches)
//   ruleSet.correlationInput(ordinal, record, eventIndex) -> CorrelationInput | null
//       Computed where the record is (a worker): event time, the grouping/counted values, the summary.
//   new Correlator(ruleSet, {reorderWindowMs?}); correlator.push(input) -> CorrelationMatch[];
//   correlator.flush() -> CorrelationMatch[]; correlator.stats {inputs, late, untimed, groups}
//       Inputs may arrive up to reorderWindowMs (default 15 minutes) out of time order. One match per
//       burst (see correlation.ts), with count, firstSeen, lastSeen, the group-by values and the first
//       contributing events. Deterministic for a given input order. Besides the four Sigma types,
//       trailproof's `rate_anomaly` (anomaly.ts: per-interval counts against a trailing `baseline`, with
//       `warmup` and condition {factor, gte}) reports unusual periods with `match.anomaly` details.
//
// Linting
//   lintRule(rule) -> LintIssue[]   a field CloudTrail never has, an eventSource that does not exist, a
//                                   condition that can never hold, a value that looks like a field name,
//                                   `counts: success` without an outcome test.
//   lintRegexes(rule) -> Promise<LintIssue[]>   `re` patterns that backtrack super-linearly (recheck).
//
// Regular expressions (regex.ts): `re` values run on RE2 (re2js, linear time) wherever RE2 can run them
// with JavaScript's meaning; otherwise natively only when recheck proves them safe (or the rule is
// built-in and a test proves it); else the rule does not load and the error says why.
//
// Rule files are Sigma (specification 2.x) with `logsource: {product: aws, service: cloudtrail}`, plus an
// optional `trailproof:` block: `id` (the fixed ruleId), `severity` (overrides `level`), `counts`
// (success | attempts), `cis` (e.g. '4.3'), `parameters` (name -> JSON Schema with a default). Parameters
// reach the rule as Sigma placeholders: `field|expand: '%name%'` in a detection, and a whole-value
// `'%name%'` for a correlation's `timespan`, condition bounds and `field`.
export { compileRuleSource, type CompileOptions } from './compile.js';
export { Correlator, DEFAULT_REORDER_WINDOW_MS, type CorrelatorOptions, type CorrelatorStats } from './correlation.js';
export { CLOUDTRAIL_RECORD, eventSources, fieldProblem, lintRegexes, lintRule, type LintCode, type LintIssue } from './lint.js';
export { compileRegex, MAX_REGEX_LENGTH, RECHECK_TIMEOUT_MS, screenRegex, type CompiledRegex, type RegexVerdict } from './regex.js';
export { compileSources, loadRules, readRuleSources, rulesFromSnapshot, type LoadedRules, type RuleSnapshot } from './load.js';
export { RuleSet, type ResolvedCorrelation } from './ruleset.js';
export {
  CORRELATION_TYPES,
  MAX_DISTINCT_REPORTED,
  MAX_SAMPLES,
  RuleLoadError,
  type AnomalyDetails,
  type Tally,
  type CompiledRule,
  type CorrelationInput,
  type CorrelationMatch,
  type CorrelationRule,
  type CorrelationSample,
  type CorrelationType,
  type CountCondition,
  type FieldUse,
  type IndexKeys,
  type RuleMeta,
  type RuleParameters,
  type RuleSource,
  type SigmaRule,
  type TrailproofExtension,
} from './types.js';
