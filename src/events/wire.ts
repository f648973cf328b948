// How correlation inputs cross from a worker to the correlating thread. A quarter or more of all events feed
// a correlation (every List/Describe call feeds enumeration-burst), so this is the busiest path of a scan.
// As objects, each input would be a dozen strings cloned and held apart; here a unit's inputs are one table
// of distinct strings (an actor or a user agent once per unit, however many inputs name it) and two typed
// arrays, moved rather than copied: less to copy, less to hold, less for the GC to walk.
import { canonicalTimeMs, isoSecond, type EventSummary } from './record.js';
import type { CorrelationInput } from './sigma/index.js';

export interface PackedInputs {
  count: number;
  strings: string[];
  /**
   * Per input: rule, eventIndex, 12 summary string indexes (-1 for null; FROM_TIME for an eventTime the input's
   * time gives back), value count, then key/value index pairs.
   */
  ints: Int32Array;
  times: Float64Array;
}

/**
 * Stands for an eventTime in CloudTrail's own form that the input's time gives back (isoSecond): not sent. Every
 * input's eventTime is its own string otherwise, and those strings, held for the unit by the worker and then in
 * the correlator's windows, were a tenth of a scan's peak memory on bench:scan's corpus.
 */
const FROM_TIME = -2;

const SUMMARY_FIELDS = [
  'eventTime', 'eventID', 'eventName', 'eventSource', 'actor', 'actorType', 'sessionIssuer',
  'sourceIPAddress', 'userAgent', 'account', 'region', 'errorCode',
] as const satisfies readonly (keyof EventSummary)[];

/** Slots probed for a string before it is stored again instead of looked up (see InputPacker.text). */
const MAX_PROBES = 8;

/**
 * A hash of a few of a string's characters and its length. A Map hashes every character of a key, and the
 * values interned here are fresh strings (parsed from the record) with long ones among them (a user agent is
 * ~170 characters): this cheap hash and a comparison on a hit took half the time.
 */
function sampleHash(value: string): number {
  const n = value.length;
  let h = Math.imul(n, 0x9e3779b1);
  if (n > 0) h ^= value.charCodeAt(n - 1) + 31 * value.charCodeAt(n >> 1) + 1031 * value.charCodeAt(n >> 2) + 7 * value.charCodeAt((3 * n) >> 2);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

export class InputPacker {
  private readonly strings: string[] = [];
  /** Open addressing over `strings`: a slot holds a string's index, -1 when empty. */
  private slots = new Int32Array(256).fill(-1);
  private indexed = 0;
  private ints: Int32Array = new Int32Array(256);
  private used = 0;
  private readonly times: number[] = [];

  /** A string met once (an eventID, an eventTime): appended without a lookup. */
  private unique(value: string): number {
    this.strings.push(value);
    return this.strings.length - 1;
  }

  /**
   * The index of a value, stored once per unit. Strings that share a hash are probed MAX_PROBES slots at most:
   * past that (many strings made to collide) the value is stored again, so a hostile file costs space, never
   * time quadratic in its size.
   */
  private text(value: string | null): number {
    if (value === null) return -1;
    const { slots, strings } = this;
    const mask = slots.length - 1;
    let slot = sampleHash(value) & mask;
    for (let probes = 0; probes < MAX_PROBES; probes++) {
      const i = slots[slot] as number;
      if (i === -1) {
        strings.push(value);
        slots[slot] = strings.length - 1;
        if (++this.indexed * 2 > mask) this.grow();
        return strings.length - 1;
      }
      if (strings[i] === value) return i;
      slot = (slot + 1) & mask;
    }
    strings.push(value);
    return strings.length - 1;
  }

  /** Twice the slots, every indexed string placed again. */
  private grow(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (const i of old) {
      if (i === -1) continue;
      let slot = sampleHash(this.strings[i] as string) & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = i;
    }
    this.slots = slots;
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
    this.put(canonicalTimeMs(s.eventTime) === input.time ? FROM_TIME : this.unique(s.eventTime));
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
  const time = packed.times[n] as number;
  const timeIndex = ints[p++] as number;
  const summary: EventSummary = {
    eventTime: timeIndex === FROM_TIME ? isoSecond(time) : (at(timeIndex) ?? ''),
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
  return { rule, eventIndex, time, values, summary };
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
