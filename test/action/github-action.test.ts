// The GitHub Action (action.yml at the repository root). @action-validator/cli validates it against the
// Actions schema, and a simulated runner executes its steps the way GitHub's runner does: `${{ }}` expressions
// over inputs, step outputs and github.action_path; `if:` conditions (a failed step skips later steps unless
// they ask for always()); `run:` steps in bash with GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as temporary files;
// `uses:` steps recorded with their inputs instead of run (no network here). The demo organization goes
// through it end to end: outputs, job summary, the SARIF handed to code scanning and the job's verdict.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { packageRoot } from '../../src/paths.js';
import { DEMO_BUNDLE, requireDemoBundle } from '../helpers/demo-bundle.js';

const ACTION_FILE = join(packageRoot, 'action.yml');
const VALIDATOR = join(packageRoot, 'node_modules', '@action-validator', 'cli', 'cli.mjs');

interface ActionStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number>;
}

interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

interface JobRun {
  /** The action's outputs, as a workflow reads them (`steps.<id>.outputs.*`). */
  outputs: Record<string, string>;
  /** Every `uses:` step that ran, with its evaluated inputs. */
  used: { uses: string; with: Record<string, string> }[];
  /** Names of the steps that ran, in order. */
  ran: string[];
  /** False when a step failed: the job's verdict. */
  succeeded: boolean;
  /** The job summary (GITHUB_STEP_SUMMARY) after every step. */
  summary: string;
  /** Each run step's stdout and stderr, by step name. */
  logs: Record<string, string>;
}

function validate(file: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [VALIDATOR, file], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Reads `key=value` lines (and the `key<<EOF` form) of a GITHUB_OUTPUT file. */
function readOutputFile(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  if (!existsSync(file)) return outputs;
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([\w-]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i] ?? '');
      outputs[heredoc[1] ?? ''] = body.join('\n');
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

/**
 * The expression language the action uses, and no more: values (`inputs.x`, `steps.id.outputs.x`,
 * `github.action_path`, 'literals'), `==`, `!=`, `&&` and `always()`. Anything else throws, so the action
 * cannot grow an expression this runner would evaluate wrongly.
 */
function evaluate(expression: string, context: { inputs: Record<string, string>; steps: Record<string, Record<string, string>>; actionPath: string }): string | boolean {
  const value = (term: string): string => {
    const t = term.trim();
    const literal = /^'([^']*)'$/.exec(t);
    if (literal) return literal[1] ?? '';
    const input = /^inputs\.([\w-]+)$/.exec(t);
    if (input) return context.inputs[input[1] ?? ''] ?? '';
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(t);
    if (output) return context.steps[output[1] ?? '']?.[output[2] ?? ''] ?? '';
    if (t === 'github.action_path') return context.actionPath;
    throw new Error(`the simulated runner does not know the expression "${t}"`);
  };
  const terms = expression.split('&&').map((term) => term.trim());
  if (terms.length === 1 && !/==|!=|always\(\)/.test(expression)) return value(expression);
  return terms.every((term) => {
    if (term === 'always()') return true;
    const comparison = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(term);
    if (!comparison) return value(term) !== '';
    const equal = value(comparison[1] ?? '') === value(comparison[3] ?? '');
    return comparison[2] === '==' ? equal : !equal;
  });
}

function substitute(text: string, context: Parameters<typeof evaluate>[1]): string {
  return text.replace(/\$\{\{(.+?)\}\}/g, (_, expression: string) => String(evaluate(expression, context)));
}

/** Runs action.yml's steps as GitHub's runner would, in `workspace`, with these inputs. */
function runAction(workspace: string, given: Record<string, string>): JobRun {
  const action = parse(readFileSync(ACTION_FILE, 'utf8')) as Action;
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = given[name] ?? spec.default ?? '';
  const context = { inputs, steps: {} as Record<string, Record<string, string>>, actionPath: packageRoot };
  const summaryFile = join(workspace, 'step-summary.md');
  writeFileSync(summaryFile, '');
  const job: JobRun = { outputs: {}, used: [], ran: [], succeeded: true, summary: '', logs: {} };
  action.runs.steps.forEach((step, index) => {
    const name = step.name ?? step.id ?? `step ${index}`;
    const condition = step.if === undefined ? true : evaluate(step.if.replace(/^\$\{\{(.+)\}\}$/s, '$1'), context);
    const alwaysRuns = step.if?.includes('always()') ?? false;
    if (!condition || (!job.succeeded && !alwaysRuns)) return;
    job.ran.push(name);
    if (step.uses !== undefined) {
      const withInputs: Record<string, string> = {};
      for (const [key, raw] of Object.entries(step.with ?? {})) withInputs[key] = substitute(String(raw), context);
      job.used.push({ uses: step.uses, with: withInputs });
      return;
    }
    expect(step.shell, `${name} names its shell`).to.equal('bash');
    const outputFile = join(workspace, `output-${index}.txt`);
    writeFileSync(outputFile, '');
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? workspace, GITHUB_ACTION_PATH: packageRoot, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_WORKSPACE: workspace, CI: 'true', GITHUB_ACTIONS: 'true' };
    for (const [key, raw] of Object.entries(step.env ?? {})) env[key] = substitute(raw, context);
    expect(step.run ?? '', `${name}: inputs reach the shell through env only`).not.to.match(/\$\{\{/);
    const result = spawnSync('bash', ['-e', '-c', step.run ?? ''], { cwd: workspace, env, encoding: 'utf8', timeout: 120_000 });
    job.logs[name] = `${result.stdout}${result.stderr}`;
    if (step.id !== undefined) context.steps[step.id] = readOutputFile(outputFile);
    if (result.status !== 0) job.succeeded = false;
  });
  for (const [name, spec] of Object.entries(action.outputs)) job.outputs[name] = substitute(spec.value, context);
  job.summary = readFileSync(summaryFile, 'utf8');
  return job;
}

describe('the GitHub Action (action.yml)', function () {
  this.timeout(180_000);
  let workspace: string;

  beforeEach(function () {
    workspace = mkdtempSync(join(tmpdir(), 'tp-action-'));
  });
  afterEach(function () {
    rmSync(workspace, { recursive: true, force: true });
  });

  it('is a valid composite action by @action-validator/cli', function () {
    const result = validate(ACTION_FILE);
    expect(result.status, result.output).to.equal(0);
    const action = parse(readFileSync(ACTION_FILE, 'utf8')) as Action;
    expect(action.runs.using).to.equal('composite');
  });

  it('the validator rejects an action whose run step names no shell (it does check)', function () {
    const broken = readFileSync(ACTION_FILE, 'utf8').replace('    - name: Gate\n      shell: bash\n', '    - name: Gate\n');
    expect(broken).not.to.equal(readFileSync(ACTION_FILE, 'utf8'));
    const dir = mkdtempSync(join(workspace, 'broken-'));
    writeFileSync(join(dir, 'action.yml'), broken);
    const result = validate(join(dir, 'action.yml'));
    expect(result.status).to.equal(1);
    expect(result.output).to.match(/shell/);
  });

  it('audits the demo organization: outputs as findings.json states them, summary, SARIF to code scanning, the job failed by the gate', function () {
    requireDemoBundle(this);
    const job = runAction(workspace, { bundle: DEMO_BUNDLE, out: 'audit-out' });
    const findings = JSON.parse(readFileSync(join(workspace, 'audit-out', 'findings.json'), 'utf8')) as { summary: Record<string, number>; run: { outcome: { exitCode: number; verdict: string } } };
    expect(job.outputs['exit-code']).to.equal('1');
    expect(job.outputs['exit-code']).to.equal(String(findings.run.outcome.exitCode));
    expect(job.outputs['outcome']).to.equal(findings.run.outcome.verdict);
    expect(job.outputs['fail']).to.equal(String(findings.summary['FAIL']));
    expect(job.outputs['pass']).to.equal(String(findings.summary['PASS']));
    expect(job.outputs['detections']).to.equal(String(findings.summary['detections']));
    expect(Number(job.outputs['fail'])).to.be.greaterThan(0);
    expect(job.logs['Install trailproof']).to.match(/already built/);
    const sarifUpload = job.used.find((u) => u.uses.startsWith('github/codeql-action/upload-sarif'));
    expect(sarifUpload, 'the SARIF is handed to code scanning').to.not.equal(undefined);
    expect(sarifUpload?.with['sarif_file']).to.equal(join('audit-out', 'findings.sarif'));
    expect(existsSync(join(workspace, sarifUpload?.with['sarif_file'] ?? 'missing'))).to.equal(true);
    expect(job.used.map((u) => u.uses)).to.include('actions/setup-node@v4');
    expect(job.summary).to.equal(readFileSync(join(workspace, 'audit-out', 'summary.md'), 'utf8'));
    expect(job.ran.at(-1)).to.equal('Gate');
    expect(job.succeeded, 'the Gate step fails the job with exit 1').to.equal(false);
    expect(job.logs['Gate']).to.match(/::error title=trailproof::gate failed \(exit 1\)/);
  });

  it('passes the job when nothing gates (fail-on none), and skips what its inputs turn off', function () {
    requireDemoBundle(this);
    const job = runAction(workspace, { bundle: DEMO_BUNDLE, 'fail-on': 'none', 'upload-sarif': 'false', 'setup-node': 'false' });
    expect(job.outputs['exit-code']).to.equal('0');
    expect(job.outputs['outcome']).to.equal('passed');
    expect(job.used, 'neither setup-node nor the SARIF upload ran').to.deep.equal([]);
    expect(job.succeeded).to.equal(true);
    expect(job.logs['Gate']).to.match(/gate passed/);
  });

  it('a refused input: exit 2 and outcome error in the outputs, trailproof\'s message in the job summary, no SARIF upload, the job failed', function () {
    const job = runAction(workspace, { bundle: join(workspace, 'no-such-bundle') });
    expect(job.outputs['exit-code']).to.equal('2');
    expect(job.outputs['outcome']).to.equal('error');
    expect(job.summary).to.match(/trailproof could not run \(exit 2\)/);
    expect(job.summary).to.include('no-such-bundle');
    expect(job.used.some((u) => u.uses.startsWith('github/codeql-action'))).to.equal(false);
    expect(job.succeeded).to.equal(false);
  });

  it('an input crafted as shell is passed as data, never run', function () {
    const marker = join(workspace, 'pwned');
    const job = runAction(workspace, { bundle: `x"; touch ${marker}; echo "`, accounts: `$(touch ${marker})` });
    expect(existsSync(marker)).to.equal(false);
    expect(job.outputs['exit-code']).to.equal('2');
  });
});
