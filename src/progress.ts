// The one progress display on stderr, for `collect` and for `scan`/`events`: one line redrawn in place on a
// terminal, a plain line every few seconds when stderr is a file or a pipe (or --no-progress) so CI logs stay
// readable, nothing with --quiet. Callers say what the line reads (collect/progress.ts, events/progress.ts);
// this module decides when and how it is drawn, and clears a terminal line so the summary starts clean.
export type ProgressMode = 'tty' | 'lines' | 'off';

/**
 * The mode every command uses: nothing with --quiet, a redrawn line when stderr is a terminal and progress
 * is on, plain lines otherwise (a pipe, a file, CI, --no-progress).
 */
export function progressModeOf(o: { quiet: boolean; progress: boolean; stderrIsTty: boolean }): ProgressMode {
  if (o.quiet) return 'off';
  return o.progress && o.stderrIsTty ? 'tty' : 'lines';
}

/** Erases the terminal line and returns to its start. */
const CLEAR_LINE = '\r\x1b[2K';

export interface StatusLineOptions {
  mode: ProgressMode;
  write: (text: string) => void;
  /** Plain lines are printed at most this often. */
  intervalMs: number;
  /** Terminal redraws at most this often. */
  redrawMs: number;
  /** Put before a plain line (a terminal line has none): where the line comes from, in a log. */
  plainPrefix?: string;
}

export class StatusLine {
  private readonly started = Date.now();
  private lastDrawn = 0;
  private drawn = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: StatusLineOptions) {}

  /** How often this mode draws. */
  private get pace(): number {
    return this.options.mode === 'tty' ? this.options.redrawMs : this.options.intervalMs;
  }

  /**
   * Draws a line the caller pushes, unless one was drawn less than the mode's interval ago or the display
   * started less than that long ago (a run that ends quickly prints no progress at all).
   */
  offer(line: () => string): void {
    if (this.options.mode === 'off') return;
    const now = Date.now();
    if (now - this.lastDrawn < this.pace || now - this.started < this.pace) return;
    this.lastDrawn = now;
    this.draw(line());
  }

  /** Draws on a timer at the mode's pace, the line read fresh each time with the time elapsed, until done(). */
  repeat(line: (elapsedMs: number) => string): void {
    if (this.options.mode === 'off') return;
    this.timer = setInterval(() => this.draw(line(Date.now() - this.started)), this.pace);
    this.timer.unref();
  }

  /** Stops the timer and clears a terminal line, so the next output starts on a clean line. */
  done(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.options.mode === 'tty' && this.drawn) this.options.write(CLEAR_LINE);
    this.drawn = false;
  }

  /**
   * Writes a log line (text ending in a newline) without tearing the drawn line: a terminal line is cleared
   * first and drawn again at the next pace.
   */
  log(text: string): void {
    if (this.options.mode === 'tty' && this.drawn) {
      this.options.write(CLEAR_LINE);
      this.drawn = false;
    }
    this.options.write(text);
  }

  private draw(line: string): void {
    if (this.options.mode === 'tty') {
      this.options.write(`${CLEAR_LINE}${line}`);
      this.drawn = true;
    } else this.options.write(`${this.options.plainPrefix ?? ''}${line}\n`);
  }
}
