// The vocabulary of the Sigma engine: what a loaded rule, a correlation rule, a load error and a
// correlation match look like. Types and the error class only; behaviour lives beside.
import { TrailproofError } from '../../errors.js';
import type { Severity } from '../../model/types.js';
import type { CloudTrailRecord, EventSummary } from '../record.js';
import type { Expr } from './expr.js';

/** Contributing events a correlation match keeps as samples. */
export const MAX_SAMPLES = 10;
/** Distinct values a value_count match lists. */
export const MAX_DISTINCT_REPORTED = 100;

/**
 * A counted (value_count) field that holds a list (instance ids of one SendCommand, secret ids of a batch
 * read) travels as its first element under its own name and as a JSON array of every distinct element
 * under this suffix, so the correlation counts each element (the string table of wire.ts carries it as is).
 */
export const ALL_ELEMENTS_SUFFIX = '\u0000all';

/** Distinct elements of a counted field a list may contribute, in the order met. */
export const MAX_ELEMENTS_PER_EVENT = 1000;

export const SIGMA_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type SigmaLevel = (typeof SIGMA_LEVELS)[number];

/** The Sigma rule fields of the specification, as written in the file. */
export interface RuleMeta {
  title: string;
  id?: string;
  name?: string;
  status?: string;
  description?: string;
  references: string[];
  author?: string;
  date?: string;
  modified?: string;
  tags: string[];
  falsepositives: string[];
  level?: SigmaLevel;
  fields: string[];
  related: Array<{ id: string; type: string }>;
  logsource?: Record<string, string>;
}

/** A rule's tunable values: a JSON Schema (as a check declares its options), the defaults and the values in force. */
export interface RuleParameters {
  schema: { type: 'object'; properties: Record<string, Record<string, unknown>>; additionalProperties: false };
  defaults: Record<string, unknown>;
  values: Record<string, unknown>;
}

/** The `trailproof:` block of a built-in catalog rule. */
export interface TrailproofExtension {
  /** The fixed rule id, e.g. `root-account-usage`: the detection's `ruleId`. */
  id?: string;
  /** Overrides the Sigma `level`. */
  severity?: Severity;
  /** Whether the rule counts only successful calls or attempts too; stated rule by rule, on purpose. */
  counts?: 'success' | 'attempts';
  /** CIS AWS Foundations 4.x ids the rule implements. */
  cis: string[];
}

interface RuleBase {
  /** trailproof.id, else the Sigma `id`, else `name`, else the file name (with `#n` for the n-th document). */
  ruleId: string;
  file: string;
  /** 0-based position of the YAML document in its file. */
  document: number;
  title: string;
  severity: Severity;
  meta: RuleMeta;
  trailproof: TrailproofExtension | null;
  parameters: RuleParameters;
}

/** How a rule uses a field, for the linter and the docs. */
export interface FieldUse {
  /** The dotted path; null for keyword (any field) selections. */
  field: string | null;
  modifiers: string[];
  /** The values as written (after placeholder expansion). */
  values: unknown[];
  selection: string;
}

/** What the index may key a rule on: lowercase values one of which the event must have, or null when any. */
export interface IndexKeys {
  eventNames: string[] | null;
  eventSources: string[] | null;
}

export interface CompiledRule extends RuleBase {
  kind: 'event';
  /** The compiled detection: pure, no allocation beyond lowercasing, safe to call from any thread. */
  match(record: CloudTrailRecord): boolean;
  index: IndexKeys;
  fieldUses: FieldUse[];
  /** The detection as data: what `match` computes, for back ends that translate rules (SQL). */
  expr: Expr;
  /**
   * False when the rule only feeds correlations whose `generate` is false: its own matches are not
   * detections (Sigma correlation semantics). Set by the RuleSet.
   */
  generate: boolean;
}

/**
 * The Sigma correlation types, and trailproof's `rate_anomaly` (per-interval counts against a trailing
 * baseline, in the spirit of CloudTrail Insights), which plain Sigma cannot express.
 */
export const CORRELATION_TYPES = ['event_count', 'value_count', 'temporal', 'temporal_ordered', 'rate_anomaly'] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

/** A count condition: every bound given must hold (a range is gt/gte with lt/lte). */
export interface CountCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
  neq?: number;
  /** rate_anomaly: an interval is unusual at this many times the baseline average per interval. */
  factor?: number;
}

export interface CorrelationRule extends RuleBase {
  kind: 'correlation';
  type: CorrelationType;
  /** The referenced rules as written (id, name or ruleId). */
  rules: string[];
  groupBy: string[];
  timespan: string;
  timespanMs: number;
  /** rate_anomaly: the trailing window whose average count per interval (timespan) is the baseline. */
  baselineMs: number | null;
  /** rate_anomaly: history a group needs before its intervals are judged. */
  warmupMs: number | null;
  /** For temporal types without a condition: all referenced rules. */
  condition: CountCondition;
  /** value_count: the field whose distinct values are counted. */
  field: string | null;
  /** alias -> rule name -> field. */
  aliases: Record<string, Record<string, string>>;
  generate: boolean;
}

export type SigmaRule = CompiledRule | CorrelationRule;

/** A rule file's source text, as posted to worker threads. */
export interface RuleSource {
  file: string;
  text: string;
}

/**
 * A rule that cannot load: names the file, the rule (title) when known and, for an unsupported part of
 * Sigma, the feature. The other rules of a set still load.
 */
export class RuleLoadError extends TrailproofError {
  readonly file: string;
  readonly rule: string | null;
  readonly feature: string | null;

  constructor(file: string, rule: string | null, message: string, feature: string | null = null) {
    const where = rule === null ? file : `${file}: rule "${rule}"`;
    super('TP_RULE_INVALID', feature === null ? `${where}: ${message}` : `${where}: unsupported feature ${feature}: ${message}`);
    this.name = 'RuleLoadError';
    this.file = file;
    this.rule = rule;
    this.feature = feature;
  }
}

/** A base-rule match as the correlator consumes it: computed where the record is (e.g. a worker), cloneable. */
export interface CorrelationInput {
  /** Ordinal of the base rule in RuleSet.rules. */
  rule: number;
  /** The caller's index of the event in its stream, reported back in matches. */
  eventIndex: number;
  /** eventTime in milliseconds since the epoch. */
  time: number;
  /** The values of the fields the referencing correlations group or count by (null when absent). */
  values: Record<string, string | null>;
  summary: EventSummary;
}

export interface CorrelationSample {
  eventIndex: number;
  rule: string;
  summary: EventSummary;
}

export interface CorrelationMatch {
  ruleId: string;
  rule: CorrelationRule;
  title: string;
  severity: Severity;
  type: CorrelationType;
  /** event_count: events; value_count: distinct values; temporal types: distinct rules matched. */
  count: number;
  /** Events that contributed, from the first event of the window that met the condition to the end of the burst. */
  events: number;
  /** The highest windowed measure seen during the burst (what the condition was tested against). */
  peak: number;
  firstSeen: string;
  lastSeen: string;
  /** group-by name -> value (null when the events lacked the field). */
  groupBy: Record<string, string | null>;
  /** value_count: the distinct values (at most MAX_DISTINCT_REPORTED). */
  values: string[];
  /** The base rules that contributed. */
  rules: string[];
  /** The first contributing events (at most MAX_SAMPLES). */
  samples: CorrelationSample[];
  /** rate_anomaly only: the unusual period (firstSeen/lastSeen are its interval bounds). */
  anomaly?: AnomalyDetails;
}

export interface Tally {
  value: string;
  count: number;
}

export interface AnomalyDetails {
  intervalMs: number;
  /** Unusual intervals in the period. */
  intervals: number;
  /** Average count per interval over the trailing baseline, before the period began. */
  baselineAverage: number;
  topActors: Tally[];
  topUserAgents: Tally[];
  topErrorCodes: Tally[];
}
