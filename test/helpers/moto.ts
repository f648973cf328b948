// Runs moto's server (python3 -m moto.server) on a free loopback port for the integration suites (collect,
// validate-logs, scan over S3), and stops the process it started. motoMissing() says why it cannot run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface MotoServer {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function motoMissing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import moto, moto.server; print(moto.__version__)'], { encoding: 'utf8' });
  if (probe.error) return `python3 is not on PATH (${probe.error.message})`;
  if (probe.status !== 0) return `moto is not installed for python3 (pip install 'moto[server]'): ${probe.stderr.trim().split('\n').pop() ?? ''}`;
  return undefined;
}

export async function startMoto(timeoutMs = 30_000): Promise<MotoServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // moto logs every request (and a traceback for each action it lacks) to stderr: into a file, never a pipe
  // that a busy or blocked test process could let fill up and stall the server.
  const logFile = join(mkdtempSync(join(tmpdir(), 'trailproof-moto-log-')), 'moto.log');
  const fd = openSync(logFile, 'w');
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', fd] });
  closeSync(fd);
  const log = (): string => readFileSync(logFile, 'utf8').trim().split('\n').slice(-3).join(' | ');
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
    try {
      const res = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
      if (res.ok) return { url, stop };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`moto server did not start on ${url}: ${log()}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}
