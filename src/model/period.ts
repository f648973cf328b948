// The period an audit covers: `--period 2026-Q3` (also 2026-H2, 2026-09, 2026) or `--from/--to` with dates
// or ISO-8601 instants. Bounds are inclusive instants in UTC: a date given to --to includes that whole day,
// so `--from 2026-07-01 --to 2026-09-30` and `--period 2026-Q3` are the same period.
import { TrailproofError } from '../errors.js';

export interface Period {
  /** First instant included (ISO-8601, UTC), or null: unbounded. */
  from: string | null;
  /** Last instant included (ISO-8601, UTC), or null: unbounded. */
  to: string | null;
  /** What the user asked for, e.g. "2026-Q3"; absent for --from/--to. */
  label?: string;
}

export interface PeriodFlags {
  period?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const DAY_MS = 86_400_000;

function utc(year: number, monthIndex: number, day = 1): number {
  return Date.UTC(year, monthIndex, day);
}

/** [start, endExclusive) in epoch ms for a period name, or undefined when the name is not one. */
function namedRange(name: string): [number, number] | undefined {
  let m = /^(\d{4})-Q([1-4])$/i.exec(name);
  if (m) {
    const year = Number(m[1]);
    const q = Number(m[2]) - 1;
    return [utc(year, q * 3), utc(year, q * 3 + 3)];
  }
  m = /^(\d{4})-H([12])$/i.exec(name);
  if (m) {
    const year = Number(m[1]);
    const h = Number(m[2]) - 1;
    return [utc(year, h * 6), utc(year, h * 6 + 6)];
  }
  m = /^(\d{4})-(\d{2})$/.exec(name);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    if (month < 1 || month > 12) return undefined;
    return [utc(year, month - 1), utc(year, month)];
  }
  m = /^(\d{4})$/.exec(name);
  if (m) {
    const year = Number(m[1]);
    return [utc(year, 0), utc(year + 1, 0)];
  }
  return undefined;
}

/**
 * One bound: a date (YYYY-MM-DD, UTC; the start of the day for --from, its last instant for --to) or an
 * instant with a time zone (Z or +hh:mm). An instant without a zone is refused: its meaning would depend
 * on the machine that runs the audit.
 */
export function parseBound(value: string, flag: '--from' | '--to'): number {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const start = utc(year, month - 1, day);
    const check = new Date(start);
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      throw new TrailproofError('TP_USAGE', `${flag} ${value}: not a calendar date`);
    }
    return flag === '--from' ? start : start + DAY_MS - 1;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/.test(value)) {
    throw new TrailproofError('TP_USAGE', `${flag} ${value}: give a time zone (e.g. ${value}Z for UTC) or a date (YYYY-MM-DD)`);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value)) {
    throw new TrailproofError('TP_USAGE', `${flag} ${value}: expected a date (2026-07-01) or an ISO-8601 instant (2026-07-01T00:00:00Z)`);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new TrailproofError('TP_USAGE', `${flag} ${value}: not a valid instant`);
  return ms;
}

/** The period the flags ask for, or undefined when none of them is given. */
export function parsePeriod(flags: PeriodFlags): Period | undefined {
  const { period, from, to } = flags;
  if (period !== undefined) {
    if (from !== undefined || to !== undefined) throw new TrailproofError('TP_USAGE', '--period cannot be combined with --from/--to: give one or the other');
    const range = namedRange(period.trim());
    if (!range) throw new TrailproofError('TP_USAGE', `--period ${period}: expected a quarter (2026-Q3), a half (2026-H2), a month (2026-09) or a year (2026)`);
    return { from: new Date(range[0]).toISOString(), to: new Date(range[1] - 1).toISOString(), label: period.trim().toUpperCase() };
  }
  if (from === undefined && to === undefined) return undefined;
  const start = from === undefined ? null : parseBound(from, '--from');
  const end = to === undefined ? null : parseBound(to, '--to');
  if (start !== null && end !== null && start > end) throw new TrailproofError('TP_USAGE', `--from ${from} is after --to ${to}`);
  return { from: start === null ? null : new Date(start).toISOString(), to: end === null ? null : new Date(end).toISOString() };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "14 Sep 2026" for an ISO instant (UTC). */
export function formatDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`;
}

/** A period as a person reads it: "2026-Q3 (1 Jul 2026 to 30 Sep 2026)", "since 1 Jul 2026", "not stated". */
export function describePeriod(period: { from: string | null; to: string | null; label?: string | undefined }): string {
  const { from, to } = period;
  let range: string;
  if (from !== null && to !== null) range = `${formatDay(from)} to ${formatDay(to)}`;
  else if (from !== null) range = `since ${formatDay(from)}`;
  else if (to !== null) range = `until ${formatDay(to)}`;
  else return period.label ?? 'not stated';
  return period.label ? `${period.label} (${range})` : range;
}

/** The name a period would have if it is exactly a quarter, half, month or year (for labels of saved runs). */
export function nameOfPeriod(from: string | null, to: string | null): string | undefined {
  if (from === null || to === null) return undefined;
  const start = Date.parse(from);
  const endExclusive = Date.parse(to) + 1;
  const d = new Date(start);
  const year = d.getUTCFullYear();
  const candidates = [`${year}`, `${year}-H${d.getUTCMonth() < 6 ? 1 : 2}`, `${year}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`, `${year}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`];
  return candidates.find((name) => {
    const range = namedRange(name);
    return range !== undefined && range[0] === start && range[1] === endExclusive;
  });
}
