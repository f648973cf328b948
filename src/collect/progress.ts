// Progress of a collection on stderr, drawn by the one progress display (src/progress.ts): one line redrawn in
// place on a terminal, or a plain line every few seconds when stderr is a file or a pipe (or --no-progress), so
// CI logs stay readable. Nothing with --quiet.
import { StatusLine, type ProgressMode } from '../progress.js';

export type { ProgressMode } from '../progress.js';

export interface ProgressCounts {
  accountsDone: number;
  accountsTotal: number;
  regionsDone: number;
  /** Account-regions known so far (an account's regions are known once DescribeRegions answered). */
  regionsKnown: number;
  calls: number;
  errors: number;
  /** With --logs, once the copy has started: log files copied so far. */
  logFiles?: number;
}

export interface ProgressOptions {
  mode: ProgressMode;
  write: (text: string) => void;
  counts: () => ProgressCounts;
  /** How often a plain line is printed (redraws on a terminal are faster). */
  intervalMs?: number;
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function progressLine(c: ProgressCounts, elapsedMs: number): string {
  // Accounts finish at a steady rate once the first few are done; the ETA is their remaining share.
  const eta = c.accountsDone > 0 && c.accountsDone < c.accountsTotal
    ? `, ETA ${duration((elapsedMs / c.accountsDone) * (c.accountsTotal - c.accountsDone))}`
    : '';
  const logs = c.logFiles === undefined ? '' : `, ${c.logFiles} log files copied`;
  return `collecting: ${c.accountsDone}/${c.accountsTotal} accounts, ${c.regionsDone}/${c.regionsKnown} regions, ${c.calls} calls, ${c.errors} errors${logs}, ${duration(elapsedMs)} elapsed${eta}`;
}

export class Progress {
  private readonly line: StatusLine;

  constructor(private readonly options: ProgressOptions) {
    this.line = new StatusLine({ mode: options.mode, write: options.write, intervalMs: options.intervalMs ?? 10_000, redrawMs: 250, plainPrefix: 'trailproof: ' });
  }

  start(): void {
    this.line.repeat((elapsedMs) => progressLine(this.options.counts(), elapsedMs));
  }

  /** Stops the display and clears the terminal line, so the summary starts on a clean line. */
  stop(): void {
    this.line.done();
  }
}
