// Plain formatting shared by the view model, the Handlebars helpers, email and markdown: dates in UTC as a
// person reads them, counts with thousands separators, words that agree with their numbers.
import { formatDay } from '../model/period.js';

export { formatDay };

/** "14 Sep 2026 03:32:07 UTC" for an ISO instant; the input unchanged when it is not one. */
export function formatDateTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${formatDay(iso)} ${d.toISOString().slice(11, 19)} UTC`;
}

/** "03:32:07" (UTC) for an ISO instant. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(11, 19);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 result", "3 results", "1 policy" / "2 policies" (the plural given, or the word plus s). */
export function plural(n: number, word: string, pluralForm?: string): string {
  return `${formatCount(n)} ${n === 1 ? word : (pluralForm ?? `${word}s`)}`;
}

/** The UTC day (YYYY-MM-DD) of an ISO instant, or '' when it is not one. */
export function utcDay(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

/** An id fit for an HTML anchor (and a PDF named destination). */
export function anchorId(prefix: string, text: string): string {
  return `${prefix}-${text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

/** "s3" from "s3.amazonaws.com". */
export function serviceName(eventSource: string): string {
  return eventSource.replace(/\.amazonaws\.com$/, '');
}

/** The last path segment of an ARN (user/Winter -> Winter), for short "who" labels. */
export function shortActor(actor: string): string {
  const m = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.+)$/.exec(actor);
  if (!m?.[1]) return actor;
  const parts = m[1].split('/');
  return parts[parts.length - 1] || m[1];
}

/** Items by key, in first-seen order (push, never copy: reports have thousands of results). */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The runs of consecutive items that `test` holds for, as [start, end) index pairs, in order. */
export function runsWhere<T>(items: readonly T[], test: (item: T) => boolean): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < items.length; ) {
    if (!test(items[i] as T)) {
      i++;
      continue;
    }
    let j = i;
    while (j < items.length && test(items[j] as T)) j++;
    runs.push([i, j]);
    i = j;
  }
  return runs;
}
