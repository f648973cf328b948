// How correlation inputs cross from a worker to the correlating thread. A quarter or more of all events feed
// a correlation (every List/Describe call feeds enumeration-burst), so this is the busiest path of a scan.
// As objects, each input would be a dozen strings cloned and held apart; here a unit's inputs are one table
// of distinct strings (an actor or a user agent once per unit, however many inputs name it) and two typed
// arrays, moved rather than copied: less to copy, less to hold, less for the GC to walk.
import type { EventSummary } from './record.js';
import type { CorrelationInput } from './sigma/index.js';

export interface PackedInputs {
  count: number;
  strings: string[];
  /** Per input: rule, eventIndex, 12 summary string indexes (-1 for null), value count, then key/value index pairs. */
  ints: Int32Array;
  times: Float64Array;
}

const SUMMARY_FIELDS = [
  'eventTime', 'eventID', 'eventName', 'eventSource', 'actor', 'actorType', 'sessionIssuer',
  'sourceIPAddress', 'userAgent', 'account', 'region', 'errorCode',
] as const satisfies readonly (keyof EventSummary)[];

export class InputPacker {
  private readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  private ints: Int32Array = new Int32Array(256);
  private used = 0;
  private readonly times: number[] = [];

  /** A string met once (an eventID, an eventTime): appended without a lookup. */
  private unique(value: string): number {
    this.strings.push(value);
    return this.strings.length - 1;
  }

  private text(value: string | null): number {
    if (value === null) return -1;
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(value);
      this.index.set(value, i);
    }
    return i;
  }

  private put(n: number): void {
    if (this.used === this.ints.length) {
      const bigger = new Int32Array(this.ints.length * 2);
      bigger.set(this.ints);
      this.ints = bigger;
    }
    this.ints[this.used++] = n;
  }

  add(input: CorrelationInput): void {
    this.times.push(input.time);
    this.put(input.rule);
    this.put(input.eventIndex);
    const s = input.summary;
    this.put(this.unique(s.eventTime));
    this.put(this.unique(s.eventID));
    for (let i = 2; i < SUMMARY_FIELDS.length; i++) this.put(this.text(s[SUMMARY_FIELDS[i] as (typeof SUMMARY_FIELDS)[number]]));
    const keys = Object.keys(input.values);
    this.put(keys.length);
    for (const k of keys) {
      this.put(this.text(k));
      this.put(this.text(input.values[k] ?? null));
    }
  }

  finish(): PackedInputs {
    return { count: this.times.length, strings: this.strings, ints: this.ints.slice(0, this.used), times: Float64Array.from(this.times) };
  }
}

/** Ints before an input's key/value pairs: rule, eventIndex, the summary's indexes, the value count. */
const FIXED_INTS = 2 + SUMMARY_FIELDS.length + 1;

/** Where each input starts in `ints` (inputs are variable in length: their key/value pairs). */
export function inputOffsets(packed: PackedInputs): Int32Array {
  const { ints } = packed;
  const out = new Int32Array(packed.count);
  let p = 0;
  for (let n = 0; n < packed.count; n++) {
    out[n] = p;
    p += FIXED_INTS + 2 * (ints[p + FIXED_INTS - 1] as number);
  }
  return out;
}

/** The rule of the input at `offset`, read in place (the correlation order compares it). */
export function packedRule(packed: PackedInputs, offset: number): number {
  return packed.ints[offset] as number;
}

/** The event (its place in its unit) of the input at `offset`, read in place. */
export function packedEventIndex(packed: PackedInputs, offset: number): number {
  return packed.ints[offset + 1] as number;
}

/** The eventID of the input at `offset`, read in place. */
export function packedEventId(packed: PackedInputs, offset: number): string {
  const i = packed.ints[offset + 3] as number;
  return i < 0 ? '' : (packed.strings[i] as string);
}

/** Input n (which starts at `offset` in ints) as an object. */
export function unpackInput(packed: PackedInputs, n: number, offset: number): CorrelationInput {
  const { ints, strings } = packed;
  const at = (i: number): string | null => (i < 0 ? null : (strings[i] as string));
  let p = offset;
  const rule = ints[p++] as number;
  const eventIndex = ints[p++] as number;
  const summary: EventSummary = {
    eventTime: at(ints[p++] as number) ?? '',
    eventID: at(ints[p++] as number) ?? '',
    eventName: at(ints[p++] as number) ?? '',
    eventSource: at(ints[p++] as number) ?? '',
    actor: at(ints[p++] as number) ?? '',
    actorType: at(ints[p++] as number) ?? '',
    sessionIssuer: at(ints[p++] as number),
    sourceIPAddress: at(ints[p++] as number) ?? '',
    userAgent: at(ints[p++] as number) ?? '',
    account: at(ints[p++] as number) ?? '',
    region: at(ints[p++] as number) ?? '',
    errorCode: at(ints[p++] as number),
  };
  const k = ints[p++] as number;
  const values: Record<string, string | null> = {};
  for (let j = 0; j < k; j++) {
    const key = at(ints[p++] as number) ?? '';
    values[key] = at(ints[p++] as number);
  }
  return { rule, eventIndex, time: packed.times[n] as number, values, summary };
}

export function unpackInputs(packed: PackedInputs): CorrelationInput[] {
  const offsets = inputOffsets(packed);
  return Array.from(offsets, (offset, n) => unpackInput(packed, n, offset));
}

/** The buffers to move with a postMessage. */
export function packedTransfer(packed: PackedInputs): ArrayBuffer[] {
  // An empty set may be a shared constant: moving its buffers would detach them for the next unit.
  if (packed.count === 0) return [];
  return [packed.ints.buffer as ArrayBuffer, packed.times.buffer as ArrayBuffer];
}
