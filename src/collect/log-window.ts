// Which of a trail bucket's objects `collect --logs` copies for a period: the folders to list (one per
// account, region and day, so days outside the period are never listed) and, within them, the files whose
// name says they belong. Pure: the listing and the copying are in trail-logs.ts.
import { parseDigestKey, parseLogKey } from '../evidence/s3-layout.js';

/** The period asked for (inclusive instants). */
export interface LogsWindow {
  from: Date;
  to: Date;
}

export type LogKind = 'CloudTrail' | 'CloudTrail-Digest';
export const LOG_KINDS: readonly LogKind[] = ['CloudTrail', 'CloudTrail-Digest'];

export const DEFAULT_LOGS_DAYS = 7;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** The default period: the seven days before the collection. */
export function defaultWindow(collectedAt: Date, from?: Date, to?: Date): LogsWindow {
  const end = to ?? collectedAt;
  return { from: from ?? new Date(end.getTime() - DEFAULT_LOGS_DAYS * DAY), to: end };
}

/**
 * The span of file-name times copied for a kind. A digest is named by the end of the hour it signs, so the
 * period's last hour is signed by a digest ending up to an hour after `to`. A log file is named by its
 * delivery; the first digest of the period lists files delivered up to an hour before it ends, and the last
 * one files delivered up to its end: log files from two hours before `from` to two hours after `to` cover
 * both (a few files outside every copied digest's span are harmless: no check expects them listed).
 */
export function spanOf(window: LogsWindow, kind: LogKind): { from: Date; to: Date } {
  return kind === 'CloudTrail-Digest'
    ? { from: window.from, to: new Date(window.to.getTime() + HOUR) }
    : { from: new Date(window.from.getTime() - 2 * HOUR), to: new Date(window.to.getTime() + 2 * HOUR) };
}

/** The UTC day folders (YYYY/MM/DD) a span touches, oldest first. */
export function dayFolders(span: { from: Date; to: Date }): string[] {
  const days: string[] = [];
  const last = Date.UTC(span.to.getUTCFullYear(), span.to.getUTCMonth(), span.to.getUTCDate());
  for (let t = Date.UTC(span.from.getUTCFullYear(), span.from.getUTCMonth(), span.from.getUTCDate()); t <= last; t += DAY) {
    days.push(new Date(t).toISOString().slice(0, 10).replace(/-/g, '/'));
  }
  return days;
}

/**
 * Whether a listed key is a file of the kind whose name time lies in the span. A name that is not
 * CloudTrail's (another tool's file in the folder) is not copied.
 */
export function wanted(key: string, kind: LogKind, span: { from: Date; to: Date }): boolean {
  const at = kind === 'CloudTrail-Digest' ? parseDigestKey(key)?.end : parseLogKey(key)?.delivered;
  return at !== undefined && at >= span.from && at <= span.to;
}
