// Progress of a scan or search on stderr, drawn by the one progress display (src/progress.ts): one line redrawn
// in place on a terminal, a plain line every few seconds otherwise (CI logs, --no-progress), nothing with
// --quiet. Only counts: files, events, MB/s, detections (or events found) so far.
import { StatusLine, type ProgressMode } from '../progress.js';
import type { PipelineStats } from './pipeline.js';

export type { ProgressMode } from '../progress.js';

export interface ProgressCounts extends PipelineStats {
  detections?: number;
  found?: number;
}

const MB = 1024 * 1024;

function rate(n: number, ms: number): number {
  return ms > 0 ? (n * 1000) / ms : 0;
}

function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function progressLine(c: ProgressCounts): string {
  const secs = c.elapsedMs / 1000;
  const parts = [
    `${thousands(c.files)} files`,
    `${thousands(c.events)} events`,
    `${(c.bytesRead / MB).toFixed(1)} MB (${rate(c.bytesRead / MB, c.elapsedMs).toFixed(1)} MB/s, ${thousands(rate(c.events, c.elapsedMs))} events/s)`,
  ];
  if (c.detections !== undefined) parts.push(`${thousands(c.detections)} detections`);
  if (c.found !== undefined) parts.push(`${thousands(c.found)} found`);
  if (c.filesSkipped > 0) parts.push(`${thousands(c.filesSkipped)} skipped`);
  return `${parts.join(', ')}, ${secs.toFixed(1)}s`;
}

export class ProgressDisplay {
  private readonly line: StatusLine;

  constructor(
    mode: ProgressMode,
    write: (text: string) => void,
    private readonly label: string,
    /** Plain lines are printed at most this often. */
    intervalMs = 5000,
    /** Terminal redraws at most this often. */
    redrawMs = 200,
  ) {
    this.line = new StatusLine({ mode, write, intervalMs, redrawMs });
  }

  update(counts: ProgressCounts): void {
    this.line.offer(() => `${this.label}: ${progressLine(counts)}`);
  }

  /** Clears a terminal line so the next output starts clean. */
  done(): void {
    this.line.done();
  }
}
