// The last resort in bin/trailproof.js: a throw that escapes main() (here from a timer a preloaded module
// sets, standing for a stream callback or an event emitter) and a promise rejected with nobody awaiting it
// end the process with one line and exit 2, never exit 1 (the gate's) and never a stack without --debug.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { tempDir } from '../events/helpers.js';

const BIN = join(packageRoot, 'bin', 'trailproof.js');

function runWith(preload: string, args: string[]): { status: number | null; stderr: string } {
  const file = join(tempDir('tp-hostile-bin-'), 'preload.mjs');
  writeFileSync(file, preload);
  const r = spawnSync(process.execPath, ['--import', file, BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

describe('bin/trailproof.js last resort', function () {
  this.timeout(120_000);

  it('an exception thrown outside main(): exit 2, one line and the --debug hint, no stack', () => {
    const r = runWith("setTimeout(() => { throw new Error('escaped from a callback\\nsecond line'); }, 100);\n", ['checks', 'list']);
    expect(r.status, r.stderr).to.equal(2);
    expect(r.stderr.trim().split('\n')).to.deep.equal(['trailproof: internal error: escaped from a callback', 'trailproof: run again with --debug for the stack trace, and please report it']);
  });

  it('a rejected promise nobody awaits: exit 2, one line, the stack only with --debug', () => {
    const preload = "setTimeout(() => { Promise.reject(new Error('nobody awaited this')); }, 100);\n";
    const plain = runWith(preload, ['checks', 'list']);
    expect(plain.status, plain.stderr).to.equal(2);
    expect(plain.stderr).to.contain('trailproof: internal error: nobody awaited this\n');
    expect(plain.stderr).to.not.match(/^\s+at /m);
    const debug = runWith(preload, ['checks', 'list', '--debug']);
    expect(debug.status, debug.stderr).to.equal(2);
    expect(debug.stderr).to.match(/^\s+at /m);
  });
});
