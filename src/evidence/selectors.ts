// Reads a trail's GetEventSelectors response for what it records, by meaning: which management and data events
// the selectors let through, never what a selector is named. A trail records the union of its selectors; an
// advanced selector is the AND of its field selectors. Whatever cannot be read with certainty (an empty value
// list, an unknown ReadWriteType, a missing eventCategory) counts as narrowing, so it is never complete by accident.
import type { AdvancedFieldSelector, EventSelector, GetEventSelectorsResponse } from './aws.js';

export interface ManagementCoverage {
  /** Read-only management events are recorded (perhaps with exclusions). */
  read: boolean;
  /** Write management events are recorded (perhaps with exclusions). */
  write: boolean;
  /**
   * Sorted, unique: event sources left out of a recorded kind (kms.amazonaws.com, rdsdata.amazonaws.com), and, as
   * written conditions such as "eventName NotEquals ConsoleLogin", any other narrowing of a management selector.
   */
  excludedSources: string[];
  /** read && write && excludedSources.length === 0 */
  complete: boolean;
  detail: string;
  /** JSON Pointers into the response of the selectors that record management events. */
  pointers: string[];
}

export type CoverageLevel = 'complete' | 'narrowed' | 'none';

export interface DataCoverage {
  /** complete when read and write both are; none when both are none; narrowed otherwise. */
  level: CoverageLevel;
  read: CoverageLevel;
  write: CoverageLevel;
  detail: string;
  /** JSON Pointers into the response of the selectors that record data events of the resource type. */
  pointers: string[];
}

type Kind = 'read' | 'write';
const KINDS: readonly Kind[] = ['read', 'write'];

/** What one selector leaves out of the events of one kind that it records; both empty means it records them all. */
interface Narrowing {
  sources: string[];
  conditions: string[];
}
/** One selector's part in the union: per kind, null when it records none of that kind. */
interface Share {
  pointer: string;
  read: Narrowing | null;
  write: Narrowing | null;
}

interface Selectors {
  basic: { selector: EventSelector; pointer: string }[];
  advanced: { fields: unknown; pointer: string }[];
  empty: boolean;
  note: string;
}

export function managementCoverage(resp: GetEventSelectorsResponse): ManagementCoverage {
  const selectors = readSelectors(resp);
  const shares = [
    ...selectors.basic.map(({ selector, pointer }) => basicManagementShare(selector, pointer)),
    ...selectors.advanced.map(({ fields, pointer }) => advancedShare(fields, pointer, 'Management')),
  ].filter((s): s is Share => s !== null);

  const left = { read: managementKind(shares, 'read'), write: managementKind(shares, 'write') };
  const recorded = KINDS.filter((k) => left[k] !== null);
  const excludedSources = unique(recorded.flatMap((k) => [...(left[k]?.sources ?? []), ...(left[k]?.conditions ?? [])]));
  const read = left.read !== null;
  const write = left.write !== null;
  return {
    read,
    write,
    excludedSources,
    complete: read && write && excludedSources.length === 0,
    detail: managementDetail(left, selectors) + selectors.note,
    pointers: shares.map((s) => s.pointer),
  };
}

export function dataCoverage(resp: GetEventSelectorsResponse, resourceType: string): DataCoverage {
  const selectors = readSelectors(resp);
  const shares = [
    ...selectors.basic.map(({ selector, pointer }) => basicDataShare(selector, pointer, resourceType)),
    ...selectors.advanced.map(({ fields, pointer }) => advancedShare(fields, pointer, 'Data', resourceType)),
  ].filter((s): s is Share => s !== null);

  const read = dataKind(shares, 'read');
  const write = dataKind(shares, 'write');
  const level: CoverageLevel =
    read.level === 'complete' && write.level === 'complete' ? 'complete'
    : read.level === 'none' && write.level === 'none' ? 'none'
    : 'narrowed';
  return {
    level,
    read: read.level,
    write: write.level,
    detail: dataDetail(resourceLabel(resourceType), read, write, selectors) + selectors.note,
    pointers: shares.map((s) => s.pointer),
  };
}

// CloudTrail applies advanced selectors instead of basic ones, so a response holding both is read by its advanced list.
function readSelectors(resp: GetEventSelectorsResponse): Selectors {
  const basic = Array.isArray(resp.EventSelectors) ? resp.EventSelectors : [];
  const advanced = Array.isArray(resp.AdvancedEventSelectors) ? resp.AdvancedEventSelectors : [];
  const useAdvanced = advanced.length > 0;
  return {
    basic: useAdvanced ? [] : basic.flatMap((selector, i) => (isObject(selector) ? [{ selector, pointer: `/EventSelectors/${i}` }] : [])),
    advanced: advanced.map((selector, i) => ({ fields: isObject(selector) ? selector.FieldSelectors : undefined, pointer: `/AdvancedEventSelectors/${i}` })),
    empty: basic.length === 0 && advanced.length === 0,
    note: useAdvanced && basic.length > 0 ? ' (the basic event selectors in the same response were not counted: CloudTrail applies only the advanced ones)' : '',
  };
}

function basicKinds(selector: EventSelector): { read: boolean; write: boolean; odd: string[] } {
  const type: unknown = selector.ReadWriteType;
  if (type === undefined || type === 'All') return { read: true, write: true, odd: [] };
  if (type === 'ReadOnly') return { read: true, write: false, odd: [] };
  if (type === 'WriteOnly') return { read: false, write: true, odd: [] };
  return { read: true, write: true, odd: [`ReadWriteType ${JSON.stringify(type)} (not a value CloudTrail defines)`] };
}

function basicManagementShare(selector: EventSelector, pointer: string): Share | null {
  const include: unknown = selector.IncludeManagementEvents;
  if (include === false) return null;
  const { read, write, odd } = basicKinds(selector);
  const conditions = [...odd];
  if (include !== undefined && include !== true) conditions.push(`IncludeManagementEvents ${JSON.stringify(include)} (not a boolean)`);
  const excluded: unknown = selector.ExcludeManagementEventSources;
  const sources = excluded === undefined ? [] : stringList(excluded);
  if (sources === null) conditions.push('ExcludeManagementEventSources is not a list of event sources');
  const narrowing = { sources: sources ?? [], conditions };
  return { pointer, read: read ? narrowing : null, write: write ? narrowing : null };
}

function basicDataShare(selector: EventSelector, pointer: string, resourceType: string): Share | null {
  const resources = Array.isArray(selector.DataResources) ? selector.DataResources.filter(isObject) : [];
  const matching = resources.filter((r) => r.Type === resourceType);
  if (matching.length === 0) return null;
  const values = matching.flatMap((r) => stringList(r.Values) ?? []);
  const { read, write, odd } = basicKinds(selector);
  const conditions = [...odd];
  if (!values.some((v) => selectsEveryResource(v, resourceType))) {
    conditions.push(values.length > 0 ? `DataResources Values ${showValues(values)}` : 'DataResources Values is empty');
  }
  const narrowing = { sources: [], conditions };
  return { pointer, read: read ? narrowing : null, write: write ? narrowing : null };
}

// A basic data resource value selects every resource of its type when it names only the partition and service
// ("arn:aws:lambda"); for S3 objects the bucket-less "arn:aws:s3:::" means every bucket too.
function selectsEveryResource(value: string, resourceType: string): boolean {
  const service = /^AWS::([^:]+)::/.exec(resourceType)?.[1]?.toLowerCase();
  if (service === undefined) return false;
  const match = /^arn:aws(?:-[a-z]+)*:([a-z0-9-]+)(:::)?$/.exec(value);
  return match?.[1] === service && (match[2] === undefined || service === 's3');
}

type Verdict = 'yes' | 'no' | 'odd';
const OPERATORS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const;
type Operator = (typeof OPERATORS)[number];
const TESTS: Record<Operator, (values: string[], v: string) => boolean> = {
  Equals: (values, v) => values.includes(v),
  StartsWith: (values, v) => values.some((x) => v.startsWith(x)),
  EndsWith: (values, v) => values.some((x) => v.endsWith(x)),
  NotEquals: (values, v) => !values.includes(v),
  NotStartsWith: (values, v) => !values.some((x) => v.startsWith(x)),
  NotEndsWith: (values, v) => !values.some((x) => v.endsWith(x)),
};

/** Whether a field whose value is v passes the field selectors on it (the operators of one are ANDed). */
function verdict(fieldSelectors: AdvancedFieldSelector[], v: string): Verdict {
  let result: Verdict = 'yes';
  for (const fs of fieldSelectors) {
    const present = OPERATORS.filter((op) => fs[op] !== undefined);
    if (present.length === 0) result = 'odd';
    for (const op of present) {
      const values = stringList(fs[op]);
      if (values === null || values.length === 0) result = 'odd';
      else if (!TESTS[op](values, v)) return 'no';
    }
  }
  return result;
}

/** The conditions a partitioning field adds when it lets v through: null when it does not, [] when it plainly does. */
function gate(fieldSelectors: AdvancedFieldSelector[] | undefined, v: string, field: string, absent: Verdict): string[] | null {
  const result = fieldSelectors === undefined ? absent : verdict(fieldSelectors, v);
  if (result === 'no') return null;
  if (result === 'yes') return [];
  return fieldSelectors === undefined ? [`no ${field} field`] : fieldSelectors.map(describe);
}

function advancedShare(fieldsValue: unknown, pointer: string, category: 'Management' | 'Data', resourceType = ''): Share | null {
  const byField = new Map<string, AdvancedFieldSelector[]>();
  const conditions: string[] = [];
  for (const fs of Array.isArray(fieldsValue) ? fieldsValue : []) {
    if (!isObject(fs) || typeof fs.Field !== 'string') {
      conditions.push('a field selector without a Field');
      continue;
    }
    byField.set(fs.Field, [...(byField.get(fs.Field) ?? []), fs as AdvancedFieldSelector]);
  }
  const take = (field: string): AdvancedFieldSelector[] | undefined => {
    const list = byField.get(field);
    byField.delete(field);
    return list;
  };

  const categoryGate = gate(take('eventCategory'), category, 'eventCategory', 'odd');
  if (categoryGate === null) return null;
  conditions.push(...categoryGate);
  if (category === 'Data') {
    const typeGate = gate(take('resources.type'), resourceType, 'resources.type', 'odd');
    if (typeGate === null) return null;
    conditions.push(...typeGate);
  }
  const readOnly = take('readOnly');
  const readGate = gate(readOnly, 'true', 'readOnly', 'yes');
  const writeGate = gate(readOnly, 'false', 'readOnly', 'yes');

  // On a management selector, eventSource NotEquals is CloudTrail's way of excluding a service's events.
  const sources: string[] = [];
  if (category === 'Management') {
    for (const fs of take('eventSource') ?? []) {
      const excluded = OPERATORS.every((op) => op === 'NotEquals' || fs[op] === undefined) ? stringList(fs.NotEquals) : null;
      if (excluded !== null && excluded.length > 0) sources.push(...excluded);
      else conditions.push(describe(fs));
    }
  }
  for (const list of byField.values()) conditions.push(...list.map(describe));

  const narrowing = (kindGate: string[] | null): Narrowing | null =>
    kindGate === null ? null : { sources: unique(sources), conditions: unique([...conditions, ...kindGate]) };
  const share = { pointer, read: narrowing(readGate), write: narrowing(writeGate) };
  return share.read === null && share.write === null ? null : share;
}

/**
 * What the union of the selectors leaves out of one kind of management event; null when that kind is not recorded.
 * Event sources are disjoint, so exclusions that are all sources intersect exactly; once any other condition is in
 * play the exact remainder is not a list of names, so every exclusion is reported (conservative, never complete).
 */
function managementKind(shares: Share[], kind: Kind): Narrowing | null {
  const parts = shares.map((s) => s[kind]).filter((n): n is Narrowing => n !== null);
  const first = parts[0];
  if (first === undefined) return null;
  if (parts.some((p) => p.sources.length === 0 && p.conditions.length === 0)) return { sources: [], conditions: [] };
  if (parts.every((p) => p.conditions.length === 0)) {
    return { sources: unique(first.sources.filter((s) => parts.every((p) => p.sources.includes(s)))), conditions: [] };
  }
  return { sources: unique(parts.flatMap((p) => p.sources)), conditions: unique(parts.flatMap((p) => p.conditions)) };
}

interface KindCoverage {
  level: CoverageLevel;
  /** For a narrowed kind: each narrowed selector's conditions, ANDed within one selector. */
  narrowedBy: string[];
}

function dataKind(shares: Share[], kind: Kind): KindCoverage {
  const parts = shares.map((s) => s[kind]).filter((n): n is Narrowing => n !== null);
  if (parts.length === 0) return { level: 'none', narrowedBy: [] };
  if (parts.some((p) => p.conditions.length === 0)) return { level: 'complete', narrowedBy: [] };
  return { level: 'narrowed', narrowedBy: unique(parts.map((p) => p.conditions.join(' and '))) };
}

function managementDetail(left: Record<Kind, Narrowing | null>, selectors: Selectors): string {
  const recorded = KINDS.filter((k) => left[k] !== null);
  if (recorded.length === 0) {
    return selectors.empty ? 'records no management events (the response holds no event selectors)' : 'records no management events';
  }
  const kinds = recorded.length === 2 ? 'read and write' : `${recorded.join('')}-only`;
  const key = (k: Kind): string => JSON.stringify(left[k]);
  const clauses = recorded.every((k) => key(k) === key(recorded[0] ?? k))
    ? exclusionClauses(left[recorded[0] ?? 'read'], '', 'is narrowed by')
    : recorded.flatMap((k) => exclusionClauses(left[k], ` from ${k} events`, `narrows ${k} events by`));
  return `records ${kinds} management events${clauses.length > 0 ? ` but ${listed(clauses)}` : ''}`;
}

function exclusionClauses(narrowing: Narrowing | null, sourceSuffix: string, conditionVerb: string): string[] {
  if (narrowing === null) return [];
  return [
    ...(narrowing.sources.length > 0 ? [`excludes ${listed(narrowing.sources)}${sourceSuffix}`] : []),
    ...(narrowing.conditions.length > 0 ? [`${conditionVerb} ${narrowing.conditions.join('; ')}`] : []),
  ];
}

function dataDetail(label: string, read: KindCoverage, write: KindCoverage, selectors: Selectors): string {
  if (read.level === 'complete' && write.level === 'complete') return `records read and write ${label} events`;
  if (read.level === 'none' && write.level === 'none') {
    return selectors.empty ? `records no ${label} events (the response holds no event selectors)` : `records no ${label} events`;
  }
  const text = (k: KindCoverage): string => k.narrowedBy.join('; ');
  if (read.level === 'narrowed' && write.level === 'narrowed' && text(read) === text(write)) {
    return `${label} events are narrowed: ${text(read)}`;
  }
  const only = read.level === 'none' ? { kind: 'write', k: write } : write.level === 'none' ? { kind: 'read', k: read } : null;
  if (only !== null) {
    const narrowed = only.k.level === 'narrowed' ? `, and they are narrowed: ${text(only.k)}` : '';
    return `${label} events: only ${only.kind} events are recorded${narrowed}`;
  }
  const clause = (kind: Kind, k: KindCoverage): string =>
    k.level === 'complete' ? `${kind} events are recorded in full` : `${kind} events are narrowed: ${text(k)}`;
  return `${label} events: ${clause('read', read)}; ${clause('write', write)}`;
}

/** "AWS::S3::Object" -> "S3 object", "AWS::S3ObjectLambda::AccessPoint" -> "S3ObjectLambda access point". */
function resourceLabel(resourceType: string): string {
  const match = /^AWS::([^:]+)::([^:]+)$/.exec(resourceType);
  if (match?.[1] === undefined || match[2] === undefined) return resourceType;
  return `${match[1]} ${match[2].replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`;
}

function describe(fs: AdvancedFieldSelector): string {
  const field = typeof fs.Field === 'string' ? fs.Field : '(no field)';
  const parts = OPERATORS.filter((op) => fs[op] !== undefined).map((op) => {
    const values = stringList(fs[op]);
    return `${field} ${op} ${values === null ? '(not a list)' : values.length === 0 ? '(empty list)' : showValues(values)}`;
  });
  return parts.length > 0 ? parts.join(' and ') : `${field} (no operator)`;
}

function showValues(values: string[]): string {
  return values.length === 1 ? (values[0] ?? '') : `[${values.join(', ')}]`;
}

function listed(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
}

function unique(items: string[]): string[] {
  return [...new Set(items)].sort();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
