// Reading a Sigma field path out of a CloudTrail record. A dotted path walks objects; an array on the way
// (or at the end) stands for each of its elements, so a value matches when any element does. A key that
// itself contains dots (rare, but legal JSON) is found when the plain walk misses.

const hasOwn = Object.hasOwn;

export type FieldReader = (record: unknown) => unknown;

/** Names an object inherits (toString, __proto__...): only these need an own-property check when read. */
const inherited = (key: string): boolean => key in Object.prototype;

function walk(value: unknown, segments: readonly string[], i: number, checked: boolean): unknown {
  if (i === segments.length) return value;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const element of value) {
      const found = walk(element, segments, i, checked);
      if (found !== undefined) out.push(found);
    }
    return out.length === 0 ? undefined : out;
  }
  const obj = value as Record<string, unknown>;
  let key = segments[i] as string;
  if (checked ? hasOwn(obj, key) : obj[key] !== undefined) return walk(obj[key], segments, i + 1, checked);
  for (let j = i + 1; j < segments.length; j++) {
    key += '.' + (segments[j] as string);
    if (hasOwn(obj, key)) return walk(obj[key], segments, j + 1, checked);
  }
  return undefined;
}

/**
 * A reader for one path: undefined when absent, else the value; arrays crossed on the way become an
 * array of what each element holds.
 */
export function fieldReader(path: string): FieldReader {
  const segments = path.split('.');
  // Plain property reads are the fast path; a segment an object could inherit is read as an own property.
  const checked = segments.some(inherited);
  if (segments.length === 1 && !checked) {
    return (record) => (record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[path] : undefined);
  }
  return (record) => walk(record, segments, 0, checked);
}

function has(value: unknown, segments: readonly string[], i: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((element) => has(element, segments, i));
  const obj = value as Record<string, unknown>;
  let key = segments[i] as string;
  for (let j = i; j < segments.length; j++) {
    if (j > i) key += '.' + (segments[j] as string);
    if (hasOwn(obj, key)) {
      if (j === segments.length - 1) return true;
      if (has(obj[key], segments, j + 1)) return true;
    }
  }
  return false;
}

/** Whether the path's key is present (with any value, null included), the `exists` modifier's question. */
export function fieldPresence(path: string): (record: unknown) => boolean {
  const segments = path.split('.');
  return (record) => has(record, segments, 0);
}

/** Absent, JSON null, or a list of nothing but those: what a Sigma `null` value matches. */
export function isAbsent(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.every(isAbsent);
  return false;
}

export interface TextForms {
  raw: string[];
  lower: string[];
}

const objectForms = new WeakMap<object, TextForms>();

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) collectStrings(v, out);
}

/**
 * The texts an object value is matched against: its JSON text, and each string inside it, so a pattern
 * finds text in an embedded document (an IAM policyDocument is a JSON string inside requestParameters)
 * without JSON escaping in the way. Cached per object: several rules read the same requestParameters.
 */
export function objectTexts(value: object): TextForms {
  let forms = objectForms.get(value);
  if (forms === undefined) {
    const raw = [JSON.stringify(value)];
    collectStrings(value, raw);
    forms = { raw, lower: raw.map((s) => s.toLowerCase()) };
    objectForms.set(value, forms);
  }
  return forms;
}

const leafForms = new WeakMap<object, TextForms>();

function collectLeaves(value: unknown, out: string[]): void {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  else if (Array.isArray(value)) for (const v of value) collectLeaves(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) collectLeaves(v, out);
}

/** Every scalar value of a record, as text: what a keyword selection searches. */
export function recordLeaves(record: object): TextForms {
  let forms = leafForms.get(record);
  if (forms === undefined) {
    const raw: string[] = [];
    collectLeaves(record, raw);
    forms = { raw, lower: raw.map((s) => s.toLowerCase()) };
    leafForms.set(record, forms);
  }
  return forms;
}

/** The first scalar value at a path as text (objects as JSON), for grouping and counting; null when absent. */
/** Every text in a value read from a path (arrays flattened), distinct, at most `max`. */
export function allTexts(value: unknown, max: number): string[] {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (out.size >= max || v === undefined || v === null) return;
    if (Array.isArray(v)) for (const element of v) visit(element);
    else out.add(typeof v === 'object' ? JSON.stringify(v) : String(v));
  };
  visit(value);
  return [...out];
}

export function firstText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) {
    for (const element of value) {
      const text = firstText(element);
      if (text !== null) return text;
    }
    return null;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
