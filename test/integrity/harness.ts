// Runs trailproof's validate-logs in-process and the AWS CLI's validation code (through
// aws_cli_reference.py) over the same files, and reduces both to per-file verdicts to compare.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import type { ValidationReport } from '../../src/integrity/validate.js';
import { tempDir, type Vectors } from '../../fixtures/integrity-vectors.js';
import { requirePart } from '../helpers/real-parts.js';

/** The Python script lives beside the TypeScript source; tests run from the compiled copy. */
function scriptPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = here.replace(/[/\\](dist[^/\\]*)[/\\]test[/\\]integrity$/, '');
  return join(root, 'test', 'integrity', 'aws_cli_reference.py');
}

/** Why python3 cannot run the AWS CLI's validation code, or undefined when it can. */
export function awsCliMissing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import awscli.customizations.cloudtrail.validation'], { encoding: 'utf8' });
  if (probe.error) return `python3 is not on PATH (${probe.error.message})`;
  if (probe.status !== 0) return `python3 cannot import awscli (apt-get install awscli, or pip install awscli): ${probe.stderr.trim().split('\n').pop() ?? ''}`;
  return undefined;
}

/** Skips the suite (call in before()) with the AWS CLI oracle named when it cannot run. */
export function requireAwsCli(ctx: Mocha.Context): void {
  requirePart(ctx, 'aws-cli', awsCliMissing());
}

export interface Verdict {
  type: 'digest' | 'backfill-digest' | 'log';
  key: string;
  verdict: string;
}

export interface CliRun {
  exit: number;
  verdicts: Verdict[];
  gaps: number;
  stdout: string;
  stderr: string;
}

const REASONS: [RegExp, string][] = [
  [/^not found/, 'not-found'],
  [/^has been moved/, 'moved'],
  [/^public key not found/, 'unknown-key'],
  [/^Unable to load PKCS/, 'bad-key'],
  [/^signature verification failed/, 'bad-signature'],
  [/^invalid format/, 'malformed'],
  [/^hash value doesn't match/, 'hash-mismatch'],
];

export function runAwsCli(v: Vectors, keysDocument: unknown, range: { start: string; end: string }, extra: Record<string, unknown> = {}): CliRun {
  const config = join(tempDir(), 'config.json');
  writeFileSync(config, JSON.stringify({
    dir: v.dir, trailArn: `arn:aws:cloudtrail:${v.chain.homeRegion}:${v.chain.account}:trail/${v.chain.trail}`, bucket: v.bucket,
    prefix: v.chain.prefix, organizationId: v.chain.orgId, accountId: v.chain.orgId ? v.chain.account : null, sourceRegion: v.chain.region,
    start: range.start, end: range.end, publicKeys: keysDocument, ...extra,
  }));
  const run = spawnSync('python3', [scriptPath(), config], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`aws_cli_reference.py failed (${run.status}): ${run.stderr}`);
  const out = JSON.parse(run.stdout) as { exit: number; stdout: string; stderr: string };
  const verdicts: Verdict[] = [];
  let gaps = 0;
  for (const line of `${out.stdout}\n${out.stderr}`.split('\n')) {
    const m = /^(\(backfill\) )?(Digest|Log) file\ts3:\/\/[^/]+\/(\S+)\t(valid|INVALID: (.*))$/.exec(line);
    if (m) {
      const type = m[2] === 'Log' ? 'log' : m[1] ? 'backfill-digest' : 'digest';
      const reason = m[5] === undefined ? 'valid' : (REASONS.find(([re]) => re.test(m[5] as string))?.[1] ?? `other: ${m[5]}`);
      verdicts.push({ type, key: m[3] as string, verdict: reason });
    } else if (/No log files were delivered by CloudTrail between/.test(line)) gaps++;
  }
  return { exit: out.exit, verdicts: sortVerdicts(verdicts), gaps, stdout: out.stdout, stderr: out.stderr };
}

export interface TrailproofRun {
  exit: number;
  report: ValidationReport;
  verdicts: Verdict[];
  err: string;
}

export async function runTrailproof(args: string[]): Promise<TrailproofRun> {
  const io = memoryIo();
  const exit = await main(['validate-logs', ...args, '--format', 'json', '--verbose'], io);
  if (exit === 2 || exit === 3) throw new Error(`validate-logs exited ${exit}: ${io.err}`);
  const report = JSON.parse(io.out) as ValidationReport;
  const verdicts = (report.files ?? []).map((f) => ({ type: f.type, key: f.key, verdict: f.valid ? 'valid' : (f.reason as string) }));
  return { exit, report, verdicts: sortVerdicts(verdicts), err: io.err };
}

function sortVerdicts(v: Verdict[]): Verdict[] {
  return [...v].sort((a, b) => (a.type + a.key < b.type + b.key ? -1 : a.type + a.key > b.type + b.key ? 1 : 0));
}
