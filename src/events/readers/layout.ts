// The S3 delivery layout, read for pruning: `[prefix/]AWSLogs/[<orgId>/]<accountId>/CloudTrail/<region>/
// YYYY/MM/DD/<accountId>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<random>.json.gz`. A folder or a file whose key
// says it is out of scope (account, region, date) is left out before anything in it is opened. The names
// themselves are parsed by the one layout module, src/evidence/s3-layout.ts; this module decides what to prune.
import { isAccountDir, isLogFileName, parseLogName, type LogName } from '../../evidence/s3-layout.js';
import type { ScanScope } from './types.js';

/**
 * How long after an event CloudTrail may deliver the file that holds it. A file is named (and filed under
 * the day) of its delivery, so a range's last files can sit under the next day: pruning keeps files
 * delivered up to this long after `--to`. CloudTrail delivers within about 5 minutes on average and does
 * not promise a bound; a day is generous and costs one extra day of listings.
 */
export const DELIVERY_ALLOWANCE_MS = 24 * 3_600_000;

const DAY_MS = 86_400_000;

/** Index of the `CloudTrail` folder (under an account folder) in the path, or -1. */
function cloudTrailIndex(segments: readonly string[]): number {
  for (let i = segments.length - 1; i >= 2; i--) {
    if (segments[i] === 'CloudTrail' && isAccountDir(segments, i - 1)) return i;
  }
  return -1;
}

/** [start, end] epoch ms of the time a dated folder covers, widened by the delivery allowance at the start. */
function overlaps(start: number, endExclusive: number, scope: ScanScope): boolean {
  // Files under a folder were delivered within it; they hold events up to the allowance earlier.
  if (scope.from !== null && endExclusive <= scope.from) return false;
  if (scope.to !== null && start > scope.to + DELIVERY_ALLOWANCE_MS) return false;
  return true;
}

export type Position =
  | { at: 'other' }
  | { at: 'account'; account: string }
  | { at: 'region'; account: string; region: string }
  | { at: 'year' | 'month' | 'day'; account: string; region: string };

/** Where a folder sits in the layout. */
export function position(segments: readonly string[]): Position {
  const n = segments.length;
  if (isAccountDir(segments, n - 1)) return { at: 'account', account: segments[n - 1] as string };
  const ct = cloudTrailIndex(segments);
  if (ct < 0 || ct === n - 1) return { at: 'other' };
  const account = segments[ct - 1] as string;
  const region = segments[ct + 1] as string;
  const depth = n - 1 - ct;
  if (depth === 1) return { at: 'region', account, region };
  if (depth === 2) return { at: 'year', account, region };
  if (depth === 3) return { at: 'month', account, region };
  return { at: 'day', account, region };
}

/** Whether to look inside a folder, given the path of folder names from the root of the layout. */
export function descend(segments: readonly string[], scope: ScanScope): boolean {
  const n = segments.length;
  const name = segments[n - 1] ?? '';
  // Under an account folder only CloudTrail holds logs (not CloudTrail-Digest, CloudTrail-Insight, other services).
  if (isAccountDir(segments, n - 2)) return name === 'CloudTrail';
  const at = position(segments);
  switch (at.at) {
    case 'other':
      return true;
    case 'account':
      return scope.accounts.length === 0 || scope.accounts.includes(at.account);
    case 'region':
      return scope.regions.length === 0 || scope.regions.includes(at.region);
    case 'year':
    case 'month':
    case 'day': {
      const ct = cloudTrailIndex(segments);
      const [y, m, d] = [segments[ct + 2], segments[ct + 3], segments[ct + 4]].map((s) => (s === undefined ? undefined : Number(s)));
      if (y === undefined || !Number.isInteger(y)) return true;
      if (at.at === 'year') return overlaps(Date.UTC(y, 0), Date.UTC(y + 1, 0), scope);
      if (m === undefined || !Number.isInteger(m)) return true;
      if (at.at === 'month') return overlaps(Date.UTC(y, m - 1), Date.UTC(y, m), scope);
      if (d === undefined || !Number.isInteger(d)) return true;
      return overlaps(Date.UTC(y, m - 1, d), Date.UTC(y, m - 1, d) + DAY_MS, scope);
    }
  }
}

/** Whether to open a file, from its name alone; with the facts the name gives. */
export function keepFile(name: string, scope: ScanScope): { keep: boolean; facts: LogName | undefined } {
  if (!isLogFileName(name)) return { keep: false, facts: undefined };
  const facts = parseLogName(name);
  if (facts === undefined) return { keep: true, facts };
  if (scope.accounts.length > 0 && !scope.accounts.includes(facts.account)) return { keep: false, facts };
  if (scope.regions.length > 0 && !scope.regions.includes(facts.region)) return { keep: false, facts };
  // The name gives the delivery minute: the file holds nothing after the end of that minute.
  return { keep: overlaps(facts.delivered, facts.delivered + 60_000, scope), facts };
}

/** The days (YYYY/MM/DD) whose folders can hold files for a bounded scope, in order; undefined when unbounded or too long. */
export function daysOf(scope: ScanScope, maxDays = 400): string[] | undefined {
  if (scope.from === null || scope.to === null) return undefined;
  const first = Math.floor(scope.from / DAY_MS);
  const last = Math.floor((scope.to + DELIVERY_ALLOWANCE_MS) / DAY_MS);
  if (last - first + 1 > maxDays) return undefined;
  const days: string[] = [];
  for (let day = first; day <= last; day++) days.push(new Date(day * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '/'));
  return days;
}

/** Compares units for dispatch: by delivery (unknown first), then name. */
export function byDelivery(a: { delivered: number | null; name: string }, b: { delivered: number | null; name: string }): number {
  const da = a.delivered ?? -Infinity;
  const db = b.delivered ?? -Infinity;
  if (da !== db) return da < db ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
