// Golden files (expected outputs kept in the repository) compared with what the code produces now. A golden
// file is written only on an explicit request (`npm run golden:update`, which sets the update variable), never
// because it is missing: a file that was just written would be compared with itself and pass. With CI set,
// the update variable is refused too, so a CI run always compares against what was committed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { expect } from 'chai';
import { packageRoot } from '../../src/paths.js';
import { inCi } from './real-parts.js';

export const GOLDEN_UPDATE = 'TRAILPROOF_UPDATE_GOLDEN';
export const DOCS_UPDATE = 'TRAILPROOF_UPDATE_DOCS';

/**
 * What to do with one golden file: 'compare' it, 'write' it (update asked for, outside CI), or fail with the
 * reason (update asked for in CI, or the file missing). Separate from the file system so it can be tested.
 */
export function goldenAction(exists: boolean, variable: string, env: NodeJS.ProcessEnv): { do: 'compare' | 'write' } | { do: 'fail'; why: string } {
  const update = env[variable] === '1';
  if (update && inCi(env)) return { do: 'fail', why: `${variable}=1 is refused in CI: golden files are updated locally with npm run golden:update and committed` };
  if (update) return { do: 'write' };
  if (!exists) return { do: 'fail', why: 'it is missing: write it with npm run golden:update, check it by eye and commit it' };
  return { do: 'compare' };
}

/** Expects `actual` to equal the golden file's text; writes the file instead only when an update was asked for. */
export function expectGolden(file: string, actual: string, variable: string = GOLDEN_UPDATE, env: NodeJS.ProcessEnv = process.env): void {
  const name = relative(packageRoot, file);
  const action = goldenAction(existsSync(file), variable, env);
  if (action.do === 'fail') expect.fail(`golden file ${name}: ${action.why}`);
  if (action.do === 'write') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  expect(readFileSync(file, 'utf8') === actual, `${name} differs from the output; if the change is intended, run npm run golden:update and commit the file`).to.equal(true);
}
