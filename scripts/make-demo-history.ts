// Writes the demo organization's earlier quarters (examples/history/2026-Q1 and 2026-Q2, findings.json each), which
// `npm run demo` gives the report as --history for its trends:
//   node dist/scripts/make-demo-history.js [outDir]        (default: examples/history in the package)
// The output is deterministic (scripts/demo-org/history-findings.ts), so the committed files can be checked by
// regenerating them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../src/paths.js';
import { EARLIER_QUARTERS } from './demo-org/history.js';
import { earlierQuarterFindings } from './demo-org/history-findings.js';

const out = resolve(process.argv[2] ?? join(packageRoot, 'examples', 'history'));
for (const q of EARLIER_QUARTERS) {
  const dir = join(out, q.period);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'findings.json'), await earlierQuarterFindings(q));
  console.error(`make-demo-history: wrote ${join(dir, 'findings.json')}`);
}
