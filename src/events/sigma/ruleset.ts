// A loaded set of rules: the event rules indexed by eventName / eventSource (an event is tested only against
// the rules that can match it, plus the few that cannot be keyed), and the correlations resolved against the
// rules they reference. Built the same way from the same sources in every worker, so rule ordinals agree.
import { eventTimeMs, summarizeEvent, type CloudTrailRecord } from '../record.js';
import { allTexts, fieldReader, firstText, type FieldReader } from './fields.js';
import { ALL_ELEMENTS_SUFFIX, MAX_ELEMENTS_PER_EVENT, RuleLoadError, type CompiledRule, type CorrelationInput, type CorrelationRule, type SigmaRule } from './types.js';

/** A correlation with its references resolved to event-rule ordinals and its grouping fields per rule. */
export interface ResolvedCorrelation {
  rule: CorrelationRule;
  /** Ordinals of the referenced rules, in the order the correlation lists them. */
  members: number[];
  /** Per member ordinal: the field read for each group-by name (aliases applied). */
  groupFields: Map<number, string[]>;
  /**
   * value_count, per member ordinal: the field whose distinct values it counts (condition.field, or what an
   * alias of that name gives for the rule), or ANY_TARGETS for a rule whose calls pick their targets by
   * filter, path or tag: an unknown number of items, so one such call reaches the condition.
   */
  valueFields: Map<number, string>;
}

/** The alias field of a value_count member whose calls touch an unknown number of items (see valueFields). */
export const ANY_TARGETS = '*';

const MEMO_LIMIT = 50_000;

function identifiers(rule: SigmaRule): string[] {
  return [rule.ruleId, rule.meta.id, rule.meta.name].filter((v): v is string => v !== undefined);
}

export class RuleSet {
  readonly rules: readonly CompiledRule[];
  readonly correlations: readonly ResolvedCorrelation[];
  /** Every rule of the set (event rules and correlations) in load order. */
  readonly all: readonly SigmaRule[];
  private readonly byName = new Map<string, number[]>();
  private readonly bySource = new Map<string, number[]>();
  private readonly catchAll: number[] = [];
  private readonly nameMemo = new Map<string, number[] | undefined>();
  private readonly sourceMemo = new Map<string, number[] | undefined>();
  private readonly inputFields = new Map<number, Array<[string, FieldReader]>>();
  /** Fields a value_count counts: a list there contributes every element. */
  private readonly countedFields = new Set<string>();

  private constructor(rules: CompiledRule[], correlations: ResolvedCorrelation[], all: SigmaRule[]) {
    this.rules = rules;
    this.correlations = correlations;
    this.all = all;
    rules.forEach((rule, ordinal) => {
      const keys = rule.index.eventNames ?? rule.index.eventSources;
      const map = rule.index.eventNames !== null ? this.byName : this.bySource;
      if (keys === null) this.catchAll.push(ordinal);
      else for (const key of keys) map.set(key, [...(map.get(key) ?? []), ordinal]);
    });
    const needed = new Map<number, Set<string>>();
    for (const c of correlations) {
      for (const m of c.members) {
        const set = needed.get(m) ?? new Set<string>();
        for (const f of c.groupFields.get(m) ?? []) set.add(f);
        const counted = c.valueFields.get(m) ?? c.rule.field;
        if (counted !== null && counted !== ANY_TARGETS) set.add(counted);
        if (counted !== null && counted !== ANY_TARGETS && c.rule.type === 'value_count') this.countedFields.add(counted);
        needed.set(m, set);
      }
    }
    for (const [m, set] of needed) this.inputFields.set(m, [...set].sort().map((f) => [f, fieldReader(f)]));
  }

  /**
   * Builds a set from loaded rules, in their order. A duplicate rule id, a correlation naming a rule that
   * is not there, or a correlation of correlations is an error for that rule; the rest still load.
   */
  static build(loaded: readonly SigmaRule[]): { ruleSet: RuleSet; errors: RuleLoadError[] } {
    const errors: RuleLoadError[] = [];
    const seen = new Map<string, SigmaRule>();
    const kept: SigmaRule[] = [];
    for (const rule of loaded) {
      const other = seen.get(rule.ruleId);
      if (other !== undefined) {
        errors.push(new RuleLoadError(rule.file, rule.title, `rule id "${rule.ruleId}" is already used by ${other.file}`));
        continue;
      }
      seen.set(rule.ruleId, rule);
      kept.push(rule);
    }
    const events = kept.filter((r): r is CompiledRule => r.kind === 'event').map((r) => ({ ...r }));
    const correlations: ResolvedCorrelation[] = [];
    for (const c of kept) {
      if (c.kind !== 'correlation') continue;
      try {
        correlations.push(resolve(c, events, kept));
      } catch (err) {
        if (!(err instanceof RuleLoadError)) throw err;
        errors.push(err);
      }
    }
    // Sigma: rules a correlation refers to produce no matches of their own unless it says generate: true.
    for (const [ordinal, rule] of events.entries()) {
      const users = correlations.filter((c) => c.members.includes(ordinal));
      if (users.length > 0 && users.every((c) => !c.rule.generate)) rule.generate = false;
    }
    const loadedCorrelations = new Set<SigmaRule>(correlations.map((c) => c.rule));
    const copies = new Map<string, SigmaRule>(events.map((e) => [e.ruleId, e]));
    const all = kept.flatMap((r): SigmaRule[] => (r.kind === 'event' ? [copies.get(r.ruleId) as SigmaRule] : loadedCorrelations.has(r) ? [r] : []));
    return { ruleSet: new RuleSet(events, correlations, all), errors };
  }

  /**
   * Ordinals (into `rules`) of the rules the record matches, ascending. `possible` (1 per ordinal that
   * could match, e.g. from the prefilter's necessary conditions) spares testing the others.
   */
  matchIndices(record: CloudTrailRecord, possible?: Uint8Array): number[] {
    const out: number[] = [];
    const byName = typeof record.eventName === 'string' ? this.lookup(this.byName, this.nameMemo, record.eventName) : undefined;
    const bySource = typeof record.eventSource === 'string' ? this.lookup(this.bySource, this.sourceMemo, record.eventSource) : undefined;
    let lists = 0;
    for (const list of [byName, bySource, this.catchAll]) {
      if (list === undefined || list.length === 0) continue;
      lists++;
      for (const ordinal of list) if ((possible === undefined || possible[ordinal] === 1) && (this.rules[ordinal] as CompiledRule).match(record)) out.push(ordinal);
    }
    if (lists > 1 && out.length > 1) out.sort((a, b) => a - b);
    return out;
  }

  matches(record: CloudTrailRecord): CompiledRule[] {
    return this.matchIndices(record).map((i) => this.rules[i] as CompiledRule);
  }

  /** Every rule tested, no index: the reference the index must agree with. */
  matchIndicesWithoutIndex(record: CloudTrailRecord): number[] {
    const out: number[] = [];
    this.rules.forEach((rule, ordinal) => {
      if (rule.match(record)) out.push(ordinal);
    });
    return out;
  }

  /** How the rules are keyed: by eventName, by eventSource, or tested against every event. */
  indexStats(): { byName: number; bySource: number; catchAll: number } {
    const byName = this.rules.filter((r) => r.index.eventNames !== null).length;
    return { byName, bySource: this.rules.length - byName - this.catchAll.length, catchAll: this.catchAll.length };
  }

  /** Whether matches of this rule feed a correlation (and so need a correlationInput). */
  feedsCorrelation(ordinal: number): boolean {
    return this.inputFields.has(ordinal);
  }

  /**
   * What the correlator needs from a base-rule match, computed where the record is (a worker thread):
   * the event time, the grouping and counted field values, and the event's summary. Null when no
   * correlation uses the rule.
   */
  correlationInput(ordinal: number, record: CloudTrailRecord, eventIndex: number): CorrelationInput | null {
    const fields = this.inputFields.get(ordinal);
    if (fields === undefined) return null;
    const values: Record<string, string | null> = {};
    for (const [name, read] of fields) {
      const value = read(record);
      values[name] = firstText(value);
      if (Array.isArray(value) && this.countedFields.has(name)) {
        const elements = allTexts(value, MAX_ELEMENTS_PER_EVENT);
        if (elements.length > 1) values[name + ALL_ELEMENTS_SUFFIX] = JSON.stringify(elements);
      }
    }
    return { rule: ordinal, eventIndex, time: eventTimeMs(record), values, summary: summarizeEvent(record) };
  }

  private lookup(map: Map<string, number[]>, memo: Map<string, number[] | undefined>, key: string): number[] | undefined {
    if (memo.has(key)) return memo.get(key);
    const found = map.get(key.toLowerCase());
    if (memo.size < MEMO_LIMIT) memo.set(key, found);
    return found;
  }
}

function resolve(c: CorrelationRule, events: CompiledRule[], all: SigmaRule[]): ResolvedCorrelation {
  const members = c.rules.map((ref) => {
    const candidates = all.filter((r) => identifiers(r).includes(ref));
    const local = candidates.filter((r) => r.file === c.file);
    const pick = local.length > 0 ? local : candidates;
    if (pick.length === 0) throw new RuleLoadError(c.file, c.title, `correlation refers to rule "${ref}", which is not loaded`);
    if (pick.length > 1) throw new RuleLoadError(c.file, c.title, `correlation refers to "${ref}", which names more than one rule (${pick.map((r) => r.file).join(', ')})`);
    const target = pick[0] as SigmaRule;
    if (target.kind === 'correlation') throw new RuleLoadError(c.file, c.title, `"${ref}" is itself a correlation; chaining correlations is not evaluated`, 'correlation chaining');
    return events.findIndex((e) => e.ruleId === target.ruleId);
  });
  const groupFields = new Map<number, string[]>();
  for (const m of members) {
    const ids = identifiers(events[m] as CompiledRule);
    groupFields.set(
      m,
      c.groupBy.map((g) => {
        const alias = c.aliases[g];
        if (alias === undefined) return g;
        const field = ids.map((id) => alias[id]).find((f) => f !== undefined);
        if (field === undefined) throw new RuleLoadError(c.file, c.title, `alias "${g}" gives no field for rule "${ids[0] ?? ''}"`);
        return field;
      }),
    );
  }
  // An alias may also name what a value_count counts: the same thing under each rule's own field.
  const valueFields = new Map<number, string>();
  const counted = c.field;
  if (counted !== null) {
    const alias = c.aliases[counted];
    for (const m of members) {
      const field = alias === undefined ? counted : identifiers(events[m] as CompiledRule).map((id) => alias[id]).find((f) => f !== undefined);
      if (field === undefined) throw new RuleLoadError(c.file, c.title, `alias "${counted}" gives no field for rule "${identifiers(events[m] as CompiledRule)[0] ?? ''}"`);
      if (field === ANY_TARGETS && c.type !== 'value_count') throw new RuleLoadError(c.file, c.title, `"${ANY_TARGETS}" (an unknown number of targets) is for value_count fields only`);
      valueFields.set(m, field);
    }
  }
  for (const alias of Object.keys(c.aliases)) if (!c.groupBy.includes(alias) && alias !== c.field) throw new RuleLoadError(c.file, c.title, `alias "${alias}" is not used in group-by or condition.field`);
  return { rule: c, members, groupFields, valueFields };
}
