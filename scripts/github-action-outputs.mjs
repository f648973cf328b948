// The GitHub Action's outputs, as `key=value` lines for $GITHUB_OUTPUT: the exit code, the outcome findings.json
// records (run.outcome: the verdict every output states) and the count of each status. Without a findings file
// (trailproof refused its input: exit 2) it writes the exit code and outcome "error", and puts trailproof's
// message on stderr, which the audit step appends to the job summary.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [out, code, errorsFile] = process.argv.slice(2);
const lines = [`exit-code=${code}`];
const findingsPath = join(out, 'findings.json');
if (existsSync(findingsPath)) {
  const findings = JSON.parse(readFileSync(findingsPath, 'utf8'));
  const summary = findings.summary ?? {};
  lines.push(`outcome=${findings.run?.outcome?.verdict ?? 'error'}`);
  for (const [key, status] of [['pass', 'PASS'], ['fail', 'FAIL'], ['error', 'ERROR'], ['manual', 'MANUAL'], ['waived', 'WAIVED'], ['not-applicable', 'NOT_APPLICABLE'], ['not-tested', 'NOT_TESTED']]) {
    lines.push(`${key}=${Number(summary[status] ?? 0)}`);
  }
  lines.push(`detections=${Number(summary.detections ?? 0)}`);
  lines.push(`findings=${findingsPath}`);
  const sarif = join(out, 'findings.sarif');
  lines.push(`sarif=${existsSync(sarif) ? sarif : ''}`);
} else {
  lines.push('outcome=error', 'sarif=');
  const message = errorsFile && existsSync(errorsFile) ? readFileSync(errorsFile, 'utf8').trim() : '';
  process.stderr.write(`### trailproof could not run (exit ${code})\n\n\`\`\`\n${message.slice(0, 4000)}\n\`\`\`\n`);
}
process.stdout.write(`${lines.join('\n')}\n`);
