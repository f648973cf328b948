// Help that teaches: every command's --help ends with examples, the last of them ones that work in a clone
// on the demo organization (src/cli/examples.ts). Each of those runs here as written, in order, from a folder
// laid out like a clone (examples/ beside it), and ends with the exit code its help states.
import { expect } from 'chai';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLONE_EXAMPLES } from '../../src/cli/examples.js';
import { COMMAND_TREE, main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { packageRoot } from '../../src/paths.js';
import { requireDemoBundle } from '../helpers/demo-bundle.js';

/** Every runnable command path: 'audit', 'rules list', ... */
const PATHS = COMMAND_TREE.flatMap((node) => (node.sub === undefined ? [node.name] : node.sub.map((s) => `${node.name} ${s.name}`)));

/** Commands with no example that runs in a clone, and why (said in the report, not hidden). */
const NO_CLONE_EXAMPLE: Readonly<Record<string, string>> = { verify: 'needs a folder signed with a private key the repository does not hold' };

describe('help examples', function () {
  this.timeout(600_000);

  it('has a clone example list for every command, and one or more examples unless it says why not', () => {
    expect(Object.keys(CLONE_EXAMPLES).sort()).to.deep.equal([...PATHS].sort());
    for (const path of PATHS) if (NO_CLONE_EXAMPLE[path] === undefined) expect(CLONE_EXAMPLES[path], path).to.have.length.above(0);
  });

  for (const path of PATHS) {
    it(`ends \`${path} --help\` with examples${CLONE_EXAMPLES[path]?.length ? ', the clone ones last' : ''}`, async () => {
      const io = memoryIo();
      expect(await main([...path.split(' '), '--help'], io)).to.equal(0);
      expect(io.out).to.contain('Examples:\n  trailproof ');
      const clone = CLONE_EXAMPLES[path] ?? [];
      if (clone.length > 0) {
        expect(io.out.trimEnd()).to.match(/\(exit \d\)$/);
        expect(io.out.indexOf('From a clone of the repository')).to.be.above(io.out.indexOf('Examples:'));
      }
    });
  }

  it('runs every clone example as written and it exits as its help says', async function () {
    requireDemoBundle(this);
    const clone = mkdtempSync(join(tmpdir(), 'trailproof-clone-'));
    symlinkSync(join(packageRoot, 'examples'), join(clone, 'examples'));
    for (const path of PATHS) {
      for (const example of CLONE_EXAMPLES[path] ?? []) {
        const io = memoryIo(clone);
        for (const key of Object.keys(io.env)) if (key.startsWith('TRAILPROOF_')) delete io.env[key];
        const code = await main([...example.args.split(' '), '--no-progress'], io);
        expect(code, `trailproof ${example.args}\n${io.err}`).to.equal(example.exit);
        expect(io.out + io.err, `trailproof ${example.args} says something`).to.not.equal('');
      }
    }
  });
});
