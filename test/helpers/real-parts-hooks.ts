// Mocha root hooks (loaded by .mocharc.cjs's `require`): after the whole run, one line per real part says
// whether it ran or why it was skipped, printed when the process exits so the lines end the log, after
// mocha's own summary. With CI set, a part that did not run fails the run here, naming the part: a CI log
// that ends green has exercised every real part.
import { writeSync } from 'node:fs';
import { inCi, realParts } from './real-parts.js';

export const mochaHooks = {
  afterAll(): void {
    const lines = realParts.lines();
    process.once('exit', () => {
      writeSync(1, `\n  real parts:\n${lines.map((l) => `    ${l.line}`).join('\n')}\n`);
    });
    const missing = lines.filter((l) => !l.ok);
    if (inCi() && missing.length > 0) {
      throw new Error(`CI needs every real part to run, and ${missing.length} did not: ${missing.map((l) => `${l.part} ${l.status}`).join('; ')}. scripts/setup.sh --test installs what it can; docs/development.md's Tests section says how to get the rest.`);
    }
  },
};
