// The process's streams, passed in so the CLI runs in-process in tests. Machine output goes to stdout,
// everything else (tables when stdout carries data, logs, errors) to stderr.
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (no machine output expected there). */
  stdoutIsTty: boolean;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTty: process.stdout.isTTY === true,
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
