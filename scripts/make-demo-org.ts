// Writes the Example Corp demo organization (examples/README.md) as an evidence bundle:
//   node dist/scripts/make-demo-org.js [outDir]        (default: examples/demo-org in the package)
// The output is deterministic, so the committed examples/demo-org can be checked by regenerating it.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../src/paths.js';
import { TOOL, writeDemoOrg } from './demo-org/generate.js';

/** Only an empty folder or an earlier demo bundle may be replaced: the generator deletes the folder first. */
function replaceable(dir: string): boolean {
  if (!existsSync(dir) || readdirSync(dir).length === 0) return true;
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { tool?: unknown };
    return manifest.tool === TOOL.name;
  } catch {
    return false;
  }
}

const out = resolve(process.argv[2] ?? join(packageRoot, 'examples', 'demo-org'));
if (replaceable(out)) {
  writeDemoOrg(out);
  console.error(`make-demo-org: wrote ${out}`);
} else {
  console.error(`make-demo-org: ${out} is not empty and holds no bundle written by ${TOOL.name}; refusing to delete it (choose an empty or new folder)`);
  process.exitCode = 2;
}
