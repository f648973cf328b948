// Where the package's data lives. Compiled code runs from dist/src, so the package root is two levels up
// from this file's folder; data (schemas, frameworks, templates, demo) is read from the root, never copied.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'trailproof') return dir;
    } catch {
      // not the root yet: keep walking up
    }
    dir = resolve(dir, '..');
  }
  throw new Error('trailproof: cannot find the package root (package.json) above ' + fileURLToPath(import.meta.url));
}

export const packageRoot = findRoot();
export const schemaDir = join(packageRoot, 'schema');
export const checksDir = join(packageRoot, 'checks');
export const frameworksDir = join(packageRoot, 'checks', 'frameworks');
/** Compiled check modules sit beside the compiled engine (dist/checks next to dist/src), mirroring checks/. */
export const compiledChecksDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'checks');

export const toolVersion: string = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
