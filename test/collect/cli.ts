// Runs the real CLI the way a user does (`node bin/trailproof.js ...`). When the tests were compiled
// somewhere other than dist/ (an engineer's own build folder), a launcher with the bin's exact two lines
// points at that build instead, so the CLI under test is the code under test.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageRoot } from '../../src/paths.js';

let launcher: string | undefined;

export function binPath(): string {
  const main = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
  if (main === join(packageRoot, 'dist', 'src', 'cli', 'main.js')) return join(packageRoot, 'bin', 'trailproof.js');
  if (launcher === undefined) {
    launcher = join(mkdtempSync(join(tmpdir(), 'trailproof-bin-')), 'trailproof.mjs');
    writeFileSync(launcher, `import { main } from ${JSON.stringify(pathToFileURL(main).href)};\n\nprocess.exitCode = await main(process.argv.slice(2));\n`);
  }
  return launcher;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in a child process (asynchronously, so an in-process server can answer it). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd = packageRoot): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath(), ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
