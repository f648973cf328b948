// The investigator's two time flags, read here so `events` and `scan` agree: `--since 2h|30m|7d|2w` (a window
// ending at "now", where now is the bundle's collectedAt for a bundle alone, so a saved bundle answers the same
// question the same way next year, and the clock for anything live or a log folder), and `--tz` (the zone the
// terminal shows times in: UTC unless asked; the data files keep CloudTrail's UTC instants untouched).
import { TrailproofError } from '../errors.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** The longest --since window: CloudTrail keeps nothing older that a person would search by a relative time. */
export const MAX_SINCE_DAYS = 3660;

/** Milliseconds in a `--since` value (`30m`, `2h`, `7d`, `2w`); a bad value is exit 2 naming the forms. */
export function sinceMs(value: string): number {
  const match = /^(\d{1,7})\s*([mhdw])$/i.exec(value.trim());
  const ms = match ? Number(match[1]) * UNIT_MS[(match[2] as string).toLowerCase() as keyof typeof UNIT_MS] : Number.NaN;
  if (!match || ms <= 0 || ms > MAX_SINCE_DAYS * UNIT_MS.d) {
    throw new TrailproofError('TP_USAGE', `--since ${value}: give a positive number and a unit (m minutes, h hours, d days, w weeks), e.g. 30m, 2h, 7d, 2w; at most ${MAX_SINCE_DAYS}d`);
  }
  return ms;
}

/** The ISO instant `--since` starts at, counted back from `nowMs`. */
export function sinceFrom(value: string, nowMs: number): string {
  return new Date(nowMs - sinceMs(value)).toISOString();
}

export const timeZoneOption = {
  tz: { type: 'string', requiresArg: true, describe: 'Time zone of the times in the table: UTC (default), LOCAL or an IANA name such as Europe/Berlin (data formats keep UTC)' },
} as const;

/** Formats an ISO instant for the terminal. */
export type TimeFormat = (iso: string) => string;

/** UTC as CloudTrail writes it: the instant unchanged. */
export const UTC_TIME: TimeFormat = (iso) => iso;

function offsetOf(parts: Intl.DateTimeFormatPart[]): string {
  // 'longOffset' gives "GMT+02:00", or "GMT" for a zero offset.
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return name === 'GMT' ? '+00:00' : name.replace(/^GMT/, '');
}

/**
 * The time format for `--tz`: `UTC` (default, instants as written), `LOCAL` (this machine's zone) or an IANA
 * zone (`Europe/Berlin`); others show `2026-09-14T12:22:01+02:00`. An unknown zone is exit 2 naming it.
 */
export function timeFormat(tz: string | undefined): TimeFormat {
  if (tz === undefined || tz.toUpperCase() === 'UTC') return UTC_TIME;
  let zone = tz;
  if (tz.toUpperCase() === 'LOCAL') zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset',
    });
  } catch {
    throw new TrailproofError('TP_USAGE', `--tz ${tz}: not a time zone: give UTC, LOCAL or an IANA zone name such as Europe/Berlin or America/New_York`);
  }
  return (iso) => {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) return iso;
    const parts = format.formatToParts(new Date(ms));
    const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}${offsetOf(parts)}`;
  };
}
