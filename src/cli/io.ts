// The process's streams, passed in so the CLI runs in-process in tests. Machine output goes to stdout,
// everything else (tables when stdout carries data, logs, errors) to stderr. Whether each stream is a terminal
// and how wide it is travel with them, so a test can play a terminal of any width (screenFor).
import { screenOf, type Screen, type ScreenFlags } from '../output/terminal.js';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (no machine output expected there). */
  stdoutIsTty: boolean;
  /** stdout's columns when it is a terminal that reports them. */
  stdoutColumns?: number | undefined;
  /** Whether stderr is a terminal (absent: not one). */
  stderrIsTty?: boolean;
  stderrColumns?: number | undefined;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTty: process.stdout.isTTY === true,
  // Read when asked: a terminal can be resized while a run goes on.
  get stdoutColumns() {
    return process.stdout.columns;
  },
  stderrIsTty: process.stderr.isTTY === true,
  get stderrColumns() {
    return process.stderr.columns;
  },
};

/** Captures output, for tests and for callers that embed the CLI. */
export function memoryIo(cwd: string = process.cwd()): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    cwd,
    env: { ...process.env },
    stdoutIsTty: false,
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
  };
  return io;
}

/**
 * How text for one stream is laid out: fitted to the terminal and coloured there, whole and plain in a
 * pipe or file, as the common options --wide and --color/--no-color and the environment (NO_COLOR,
 * FORCE_COLOR, CI) say.
 */
export function screenFor(io: Io, flags: ScreenFlags, stream: 'stdout' | 'stderr' = 'stdout'): Screen {
  const facts = stream === 'stdout' ? { isTty: io.stdoutIsTty, columns: io.stdoutColumns } : { isTty: io.stderrIsTty === true, columns: io.stderrColumns };
  return screenOf(facts, flags, io.env);
}

/** The common options --color/--no-color and --wide as parsed (color absent: decide from the environment). */
export function screenFlags(args: { color?: boolean | undefined; wide?: boolean | undefined }): ScreenFlags {
  const color = args.color;
  return { color: typeof color === 'boolean' ? color : undefined, wide: args.wide === true };
}
