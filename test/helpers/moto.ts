// Runs moto's server (python3 -m moto.server) for the integration suites (collect, validate-logs, scan over
// S3, SES), and stops the process it started. The server binds port 0 and the port is read back from its own
// "Running on" line, so no probed port is released and then raced for. motoMissing() says why it cannot run;
// a suite skips through requireMoto(), which names moto in the real-parts lines (and fails in CI).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePart, ran } from './real-parts.js';

export interface MotoServer {
  url: string;
  stop(): Promise<void>;
}

export function motoMissing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import moto, moto.server; print(moto.__version__)'], { encoding: 'utf8' });
  if (probe.error) return `python3 is not on PATH (${probe.error.message})`;
  if (probe.status !== 0) return `moto is not installed for python3 (pip install 'moto[server]'): ${probe.stderr.trim().split('\n').pop() ?? ''}`;
  return undefined;
}

/** Skips the suite (call in before()) with moto named when python3 cannot run moto's server. */
export function requireMoto(ctx: Mocha.Context): void {
  requirePart(ctx, 'moto', motoMissing());
}

const LISTENING = /Running on http:\/\/127\.0\.0\.1:(\d+)/;

export async function startMoto(timeoutMs = 30_000): Promise<MotoServer> {
  // moto logs every request (and a traceback for each action it lacks) to stderr: into a file, never a pipe
  // that a busy or blocked test process could let fill up and stall the server.
  const logFile = join(mkdtempSync(join(tmpdir(), 'trailproof-moto-log-')), 'moto.log');
  const fd = openSync(logFile, 'w');
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', '0'], { stdio: ['ignore', 'ignore', fd] });
  closeSync(fd);
  const logText = (): string => readFileSync(logFile, 'utf8');
  const log = (): string => logText().trim().split('\n').slice(-3).join(' | ');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      // werkzeug can take seconds to finish its threads; the server holds no state worth waiting for.
      const hard = setTimeout(() => child.kill('SIGKILL'), 1500);
      await exited;
      clearTimeout(hard);
    }
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const port = LISTENING.exec(logText())?.[1];
    if (port !== undefined) {
      const url = `http://127.0.0.1:${port}`;
      try {
        const res = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
        if (res.ok) {
          ran('moto');
          return { url, stop };
        }
      } catch {
        // bound, not answering yet: the next round asks again
      }
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`moto server did not start within ${timeoutMs} ms: ${log()}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
