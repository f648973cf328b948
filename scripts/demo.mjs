// `npm run demo`: audit the bundled demo organization and write its reports into reports/demo/.
// The demo has failures on purpose, so the gate's exit 1 is the expected outcome here, not an error. The two
// earlier quarters in examples/history (scripts/make-demo-history.ts) give the report its trends over three quarters.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = [
  'audit', '--bundle', 'examples/demo-org', '--config', 'examples/trailproof.yml',
  '--out', 'reports/demo', '--format', 'json,junit,html,pdf,sarif,csv,markdown', '--period', '2026-Q3',
  '--history', 'examples/history',
];
console.error(`$ trailproof ${args.join(' ')}`);
const run = spawnSync(process.execPath, [join(root, 'bin', 'trailproof.js'), ...args], { cwd: root, stdio: 'inherit' });
if (run.status === 1) {
  console.error('\ndemo: exit 1 is the gate reporting the demo organization\'s failures (as intended).');
  console.error('demo: reports written to reports/demo/: report.html, report.pdf, findings.json, junit.xml, findings.sarif, results.csv, summary.md');
  console.error('demo: the report\'s "Trends across audits" compares 2026-Q3 with the earlier quarters in examples/history.');
  process.exitCode = 0;
} else {
  process.exitCode = run.status ?? 2;
}
