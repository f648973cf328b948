// Ages measured against the evidence's collection time, never the wall clock, so an audit of an old bundle
// gives the same answer today as on the day it was collected.
const HOUR_MS = 3_600_000;

/**
 * Hours from an ISO-8601 time to `collectedAt`, or undefined when the time cannot be parsed. A time after
 * collection (clock skew between AWS and the collector) counts as 0 hours, not as a negative age.
 */
export function hoursBeforeCollection(time: string, collectedAt: Date): number | undefined {
  const at = Date.parse(time);
  return Number.isNaN(at) ? undefined : Math.max(0, (collectedAt.getTime() - at) / HOUR_MS);
}

/** When something (a log file, an event batch) was last delivered: never, at a time we cannot read, or hours before collection. */
export type DeliveryAge = { kind: 'never' } | { kind: 'invalid'; text: string } | { kind: 'dated'; hours: number };

/** The age of a `Latest...DeliveryTime` of GetTrailStatus; AWS leaves it out (or empty) until the first delivery. */
export function deliveryAge(time: string | undefined, collectedAt: Date): DeliveryAge {
  if (time === undefined || time === '') return { kind: 'never' };
  const hours = hoursBeforeCollection(time, collectedAt);
  return hours === undefined ? { kind: 'invalid', text: time } : { kind: 'dated', hours };
}

/** Hours to two decimals, for machine-readable details. */
export function roundHours(hours: number): number {
  return Math.round(hours * 100) / 100;
}

/** Hours to one decimal, for messages: "1 hour", "2.5 hours". */
export function formatHours(hours: number): string {
  const rounded = Math.round(hours * 10) / 10;
  return `${rounded} ${rounded === 1 ? 'hour' : 'hours'}`;
}
