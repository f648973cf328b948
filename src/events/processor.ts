// What happens to one unit where its records are (a worker thread, or the main thread with --workers 0):
// read it, keep the records in scope, and either test them against the rule index (scan) or the query
// (events). The output is plain data, small beside the input: detections, the inputs correlations need,
// or the events the query found.
import { errorMessage } from '../errors.js';
import type { Detection } from '../model/types.js';
import { eventDetection } from './detections.js';
import { Prefilter } from './prefilter.js';
import { rawScopeCounter } from './raw-scope.js';
import { decodeUnit, type RecordSelector } from './readers/decode.js';
import type { LogUnit, ScanScope, SkippedInput } from './readers/types.js';
import { eventTimeInRange, eventTimeMs, type CloudTrailRecord } from './record.js';
import { compileQuery, queryExpr, type EventQuery } from './search.js';
import type { RuleSet } from './sigma/ruleset.js';
import { rulesFromSnapshot, type RuleSnapshot } from './sigma/snapshot.js';
import type { CompiledRule, CorrelationInput, RuleSource } from './sigma/types.js';
import { InputPacker, type PackedInputs } from './wire.js';

export type Task =
  /**
   * `prefilter: false` parses every record (the plain path the prefilter's results are checked against);
   * `snapshot`, the rules as the main thread compiled them, spares a worker compiling the sources again.
   */
  | { mode: 'scan'; sources: RuleSource[]; parameters: Record<string, Record<string, unknown>>; scope: ScanScope; prefilter?: boolean; snapshot?: RuleSnapshot }
  | { mode: 'search'; query: EventQuery; scope: ScanScope; prefilter?: boolean };

export interface FoundEvent {
  /** eventTime, epoch ms (NaN when it has none). */
  time: number;
  eventId: string;
  record: CloudTrailRecord;
}

export interface UnitResult {
  name: string;
  size: number;
  delivered: number | null;
  /** Events read from the unit. */
  events: number;
  /** Of those, the events in scope (tested against the rules or the query). */
  inScope: number;
  /** JSON text parsed, in bytes. */
  bytes: number;
  problems: SkippedInput[];
  /** Bundle files whose SHA-256 differs from the manifest. */
  modified: string[];
  detections: Detection[];
  /** The correlation inputs of the unit's matches, packed for the trip between threads (see wire.ts). */
  inputs: PackedInputs;
  found: FoundEvent[];
}

export type Processor = (unit: LogUnit) => Promise<UnitResult>;

/** Whether the scope lets every record through (no time range, accounts or regions). */
export function isFullScope(scope: ScanScope): boolean {
  return scope.from === null && scope.to === null && scope.accounts.length === 0 && scope.regions.length === 0;
}

/** The scope as one test on a record: time (as text when it can be), account and region. */
export function scopeTest(scope: ScanScope): (record: CloudTrailRecord) => boolean {
  const inRange = eventTimeInRange(scope.from, scope.to);
  const accounts = scope.accounts.length > 0 ? new Set(scope.accounts) : null;
  const regions = scope.regions.length > 0 ? new Set(scope.regions) : null;
  if (inRange === null && accounts === null && regions === null) return () => true;
  return (record) => {
    if (inRange !== null && (typeof record.eventTime !== 'string' || !inRange(record.eventTime))) return false;
    if (accounts !== null) {
      const account = record.recipientAccountId ?? record.userIdentity?.accountId;
      if (typeof account !== 'string' || !accounts.has(account)) return false;
    }
    if (regions !== null && (typeof record.awsRegion !== 'string' || !regions.has(record.awsRegion))) return false;
    return true;
  };
}

/** A record the rules or the query threw on: skipped, named by its unit and place, with the reason. */
function unmatchable(unit: LogUnit, ordinal: number, err: unknown): SkippedInput {
  return { name: `${unit.name}: record ${ordinal}`, reason: `could not be tested: ${errorMessage(err)}`, events: 1 };
}

const NO_INPUTS: PackedInputs = { count: 0, strings: [], ints: new Int32Array(0), times: new Float64Array(0) };

function emptyResult(unit: LogUnit): UnitResult {
  return { name: unit.name, size: unit.size, delivered: unit.delivered, events: 0, inScope: 0, bytes: 0, problems: [], modified: [], detections: [], inputs: NO_INPUTS, found: [] };
}

/** `ruleSet`: the set already compiled from the task's sources in this thread, to save compiling it twice. */
export function createProcessor(task: Task, ruleSet?: RuleSet): Processor {
  const inScope = scopeTest(task.scope);
  // The records a prefilter leaves unparsed can match nothing; with a scope, their text says whether they count as in it.
  const full = isFullScope(task.scope);
  const countUnparsed = full ? null : rawScopeCounter(task.scope);
  const selector = (prefilter: Prefilter | null): RecordSelector | undefined =>
    prefilter === null
      ? undefined
      : (text, ascii) => {
          const selection = prefilter.selectRange(text, 0, text.length, ascii);
          if (countUnparsed !== null) selection.unparsedInScope = countUnparsed(text, selection);
          return selection;
        };
  if (task.mode === 'search') {
    const predicate = compileQuery(task.query);
    const select = selector(task.prefilter === false ? null : Prefilter.forExprs([queryExpr(task.query)]));
    return async (unit) => {
      const result = emptyResult(unit);
      const stats = await decodeUnit(
        unit,
        (record, i) => {
          if (!full) {
            if (!inScope(record)) return;
            result.inScope++;
          }
          let hit: boolean;
          try {
            hit = predicate(record);
          } catch (err) {
            result.problems.push(unmatchable(unit, i, err));
            return;
          }
          if (!hit) return;
          const time = eventTimeMs(record);
          result.found.push({ time, eventId: typeof record.eventID === 'string' ? record.eventID : '', record });
        },
        select,
      );
      if (full) result.inScope = stats.events;
      else result.inScope += stats.unparsedInScope;
      return Object.assign(result, { events: stats.events, bytes: stats.bytes, problems: [...stats.problems, ...result.problems], modified: stats.modified });
    };
  }

  const known = ruleSet ?? (task.snapshot === undefined ? undefined : rulesFromSnapshot(task.snapshot));
  if (known !== undefined) return scanProcessor(known, task.prefilter === false ? undefined : selector(Prefilter.build(known)), inScope, full);
  // Rules from their sources (a worker whose snapshot could not be taken, a test): the compiler, with the YAML
  // parser and the JSON Schema validator, is loaded here only, so a worker given a snapshot never loads them.
  let compiled: Promise<Processor> | undefined;
  return async (unit) => {
    compiled ??= import('./sigma/load.js').then(({ compileSources }) => {
      const set = compileSources(task.sources, { parameters: task.parameters }).ruleSet;
      return scanProcessor(set, task.prefilter === false ? undefined : selector(Prefilter.build(set)), inScope, full);
    });
    return (await compiled)(unit);
  };
}

/** The scan's processor over a compiled rule set: base matches as detections, correlation inputs packed. */
function scanProcessor(set: RuleSet, select: RecordSelector | undefined, inScope: (record: CloudTrailRecord) => boolean, full: boolean): Processor {
  const rules = set.rules;
  return async (unit) => {
    const result = emptyResult(unit);
    const packer = new InputPacker();
    const pending: CorrelationInput[] = [];
    const stats = await decodeUnit(
      unit,
      (record, i, possible) => {
        if (!full) {
          if (!inScope(record)) return;
          result.inScope++;
        }
        // A record the rules cannot be applied to is that record's problem, named; the unit goes on without
        // any part of it. Its inputs wait in one array kept for the unit (no allocation per record: the
        // workers' young generation is small), its detections are taken back should a later rule throw.
        const kept = result.detections.length;
        pending.length = 0;
        try {
          for (const ordinal of set.matchIndices(record, possible ?? undefined)) {
            const rule = rules[ordinal] as CompiledRule;
            if (rule.generate) result.detections.push(eventDetection(rule, record));
            const input = set.correlationInput(ordinal, record, i);
            if (input !== null) pending.push(input);
          }
        } catch (err) {
          result.detections.length = kept;
          result.problems.push(unmatchable(unit, i, err));
          return;
        }
        for (let n = 0; n < pending.length; n++) packer.add(pending[n] as CorrelationInput);
      },
      select,
    );
    if (full) result.inScope = stats.events;
    else result.inScope += stats.unparsedInScope;
    return Object.assign(result, { events: stats.events, bytes: stats.bytes, problems: [...stats.problems, ...result.problems], modified: stats.modified, inputs: packer.finish() });
  };
}
