// The real CLI, as a user or a CI pipeline runs it: exit codes, clean machine output, one-line errors.
import { requireDemoBundle } from '../helpers/demo-bundle.js';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { compileSchema, loadSchema } from '../../src/schema.js';
import type { Findings } from '../../src/model/types.js';
import { BundleBuilder } from '../../fixtures/bundle-builder.js';

const bin = join(packageRoot, 'bin', 'trailproof.js');
const demo = join(packageRoot, 'examples', 'demo-org');

function cli(args: string[], cwd = packageRoot): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function tmp(prefix = 'trailproof-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** One clear line: no stack trace, no noise. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).to.have.length(1);
  expect(lines[0]).to.match(/^trailproof: /);
  expect(lines[0]).to.match(pattern);
}

const validateFindings = compileSchema<Findings>(loadSchema('findings.schema.json'));

describe('trailproof CLI', () => {
  it('prints its version and help', () => {
    const version = cli(['--version']);
    expect(version.code).to.equal(0);
    expect(version.stdout.trim()).to.equal((JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version);
    const help = cli(['audit', '--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain('--fail-on').and.contain('--bundle');
  });

  it('exits 2 with one line for an unknown command or flag', () => {
    const unknown = cli(['audti']);
    expect(unknown.code).to.equal(2);
    expectOneLine(unknown.stderr, /Unknown argument: audti/);
    const flag = cli(['audit', '--bundel', 'x']);
    expect(flag.code).to.equal(2);
  });

  describe('on the demo organization', function () {
    before(function () {
      requireDemoBundle(this);
    });

    it('audits it, writes findings.json (valid against the schema) and junit.xml, and exits 1 for its high failures', () => {
      const out = tmp();
      const run = cli(['audit', '--bundle', demo, '--out', out, '--format', 'json,junit']);
      expect(run.code, run.stderr).to.equal(1);
      const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings;
      expect(validateFindings(findings), JSON.stringify(validateFindings.errors)).to.equal(true);
      expect(findings.results.some((r) => r.status === 'FAIL' && r.severity === 'high')).to.equal(true);
      expect(findings.integrity?.verified).to.equal(true);
      expect(findings.run.scope.accounts).to.have.length(6);
      const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
      expect(junit).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
      // One test case per result, and one for the gate itself (failing: the run exits 1).
      expect((junit.match(/<testcase /g) ?? []).length).to.equal(findings.results.length + 1);
      expect((junit.match(/<failure /g) ?? []).length).to.equal(findings.summary.FAIL + 1);
      expect(findings.run.outcome).to.deep.include({ exitCode: 1, verdict: 'failed' });
      expect(run.stdout).to.contain('gate: --fail-on high -> exit 1');
    });

    it('passes on what the report writer has to say (no earlier audit in --history), except with --quiet', () => {
      const out = tmp();
      const history = tmp('trailproof-history-');
      const args = ['audit', '--bundle', demo, '--checks', 'trail.multi-region', '--out', out, '--format', 'json,markdown', '--history', history];
      const run = cli(args);
      expect(run.code, run.stderr).to.be.oneOf([0, 1]);
      expect(run.stderr).to.contain(`trailproof: no earlier audit in ${history}`);
      expect(run.stderr).not.to.match(/^wrote /m);
      expect(cli([...args, '--quiet']).stderr).not.to.contain('no earlier audit');
    });

    it('keeps stdout clean JSON with --format json and no --out, the summary going to stderr', () => {
      const run = cli(['audit', '--bundle', demo, '--format', 'json']);
      expect(run.code).to.equal(1);
      const findings = JSON.parse(run.stdout) as Findings;
      expect(findings.schemaVersion).to.equal('1');
      // The bundle holds CloudTrail logs, so the event rules ran too: Winter's deletion is among the detections.
      const deleted = findings.detections.find((d) => d.ruleId === 's3-bucket-deleted');
      expect(deleted).to.deep.include({ eventName: 'DeleteBucket', actor: 'arn:aws:iam::444444444444:user/Winter', sourceIPAddress: '192.0.2.55', eventTime: '2026-09-14T03:32:07Z' });
      expect(findings.summary.detections).to.equal(findings.detections.length);
      expect(run.stderr).to.contain('gate: --fail-on high -> exit 1');
    });

    it('exits 0 when nothing fails at or above --fail-on', () => {
      expect(cli(['audit', '--bundle', demo, '--fail-on', 'none', '--quiet']).code).to.equal(0);
      const run = cli(['audit', '--bundle', demo, '--checks', 'trail.log-file-validation', '--fail-on', 'high', '--format', 'json']);
      expect(run.code).to.equal(0);
      const findings = JSON.parse(run.stdout) as Findings;
      expect(new Set(findings.results.map((r) => r.checkId))).to.deep.equal(new Set(['trail.log-file-validation']));
      expect(findings.summary.FAIL).to.be.greaterThan(0);
    });

    it('runs one framework requirement by requirement with --framework', () => {
      const run = cli(['audit', '--bundle', demo, '--framework', 'cis-aws-3.0', '--format', 'json', '--fail-on', 'none']);
      expect(run.code).to.equal(0);
      const findings = JSON.parse(run.stdout) as Findings;
      expect(findings.frameworks?.map((f) => f.id)).to.deep.equal(['cis-aws-3.0']);
      expect(findings.results.every((r) => 'cis-aws-3.0' in r.frameworks)).to.equal(true);
      const req = findings.frameworks?.[0]?.requirements.find((r) => r.id === '3.2');
      expect(req?.checks).to.deep.equal(['trail.log-file-validation']);
    });

    it('reports a tampered file: results citing it are marked, outputs are written, and the run exits 2 unless allowed', () => {
      const copy = tmp();
      spawnSync('cp', ['-r', `${demo}/.`, copy]);
      const target = 'accounts/444444444444/us-east-1/cloudtrail/DescribeTrails.json';
      const doc = JSON.parse(readFileSync(join(copy, target), 'utf8')) as { trailList: { LogFileValidationEnabled?: boolean }[] };
      for (const t of doc.trailList) t.LogFileValidationEnabled = true;
      writeFileSync(join(copy, target), JSON.stringify(doc));
      const out = tmp();
      const refused = cli(['audit', '--bundle', copy, '--out', out, '--quiet']);
      expect(refused.code).to.equal(2);
      expectOneLine(refused.stderr, /does not match its manifest \(1 modified, 0 missing: accounts\/444444444444\/us-east-1\/cloudtrail\/DescribeTrails\.json\)/);
      const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings;
      expect(findings.integrity?.modified).to.deep.equal([target]);
      const cited = findings.results.flatMap((r) => r.evidence).filter((e) => e.file === target);
      expect(cited.length).to.be.greaterThan(0);
      expect(cited.every((e) => e.tampered === true)).to.equal(true);

      const allowed = cli(['audit', '--bundle', copy, '--allow-modified-evidence', '--quiet', '--fail-on', 'none']);
      expect(allowed.code).to.equal(0);
    });

    it('exits 2 naming a file the manifest lists but the bundle lacks, outputs still written, unless allowed', () => {
      const copy = tmp();
      spawnSync('cp', ['-r', `${demo}/.`, copy]);
      const target = 'accounts/444444444444/us-east-1/cloudtrail/DescribeTrails.json';
      const manifest = JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8')) as { files: Record<string, unknown> | { path: string }[] };
      expect(JSON.stringify(manifest.files), 'the manifest lists the file').to.contain(target);
      rmSync(join(copy, target));
      const out = tmp();
      const refused = cli(['audit', '--bundle', copy, '--out', out, '--quiet', '--fail-on', 'none']);
      expect(refused.code, refused.stderr).to.equal(2);
      expectOneLine(refused.stderr, /does not match its manifest \(0 modified, 1 missing: accounts\/444444444444\/us-east-1\/cloudtrail\/DescribeTrails\.json\)/);
      const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings;
      expect(findings.integrity?.missing).to.deep.equal([target]);

      const allowed = cli(['audit', '--bundle', copy, '--allow-modified-evidence', '--quiet', '--fail-on', 'none']);
      expect(allowed.code, allowed.stderr).to.equal(0);
    });
  });

  it('exits 3 when a high-severity check could not decide (every DescribeTrails denied) and nothing failed', () => {
    const b = new BundleBuilder({ accounts: ['123456789012'], regions: ['us-east-1', 'eu-west-1'] });
    for (const region of b.regions) b.putError('123456789012', region, 'cloudtrail/DescribeTrails.json', 'AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/Auditor/x is not authorized to perform: cloudtrail:DescribeTrails');
    const run = cli(['audit', '--bundle', b.writeTemp(), '--checks', 'trail.multi-region', '--format', 'json']);
    expect(run.code, run.stderr).to.equal(3);
    const findings = JSON.parse(run.stdout) as Findings;
    expect(findings.results.map((r) => r.status)).to.deep.equal(['ERROR']);
    expect(findings.results[0]?.message).to.contain('AccessDeniedException');
  });

  it('names the file, line and column of malformed JSON in one line, exit 2, nothing on stdout', () => {
    const dir = new BundleBuilder().file('accounts/111111111111/us-east-1/cloudtrail/DescribeTrails.json', '{"trailList": [\n  {"Name": "x",}\n]}\n').writeTemp();
    const run = cli(['audit', '--bundle', dir, '--format', 'json']);
    expect(run.code).to.equal(2);
    expect(run.stdout).to.equal('');
    expectOneLine(run.stderr, /malformed JSON in accounts\/111111111111\/us-east-1\/cloudtrail\/DescribeTrails\.json at line 2, column 1[67]/);
  });

  it('rejects an invalid config in one line naming the path', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'trailproof.yml'), 'checks:\n  trail.logging-active:\n    maxDeliveryAgeHours: "soon"\n');
    const run = cli(['audit', '--bundle', new BundleBuilder().writeTemp(), '--config', 'trailproof.yml'], dir);
    expect(run.code).to.equal(2);
    expectOneLine(run.stderr, /trailproof\.yml: checks\.trail\.logging-active\.maxDeliveryAgeHours must be integer/);
  });

  it('accepts event rule ids under checks in the config, and rejects ids that are neither checks nor rules', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'ok.yml'), 'checks:\n  password-spray:\n    enabled: false\n');
    expect(cli(['audit', '--bundle', new BundleBuilder().writeTemp(), '--config', 'ok.yml', '--quiet', '--fail-on', 'none'], dir).code).to.equal(0);
    writeFileSync(join(dir, 'bad.yml'), 'checks:\n  password-spary:\n    enabled: false\n');
    const bad = cli(['audit', '--bundle', new BundleBuilder().writeTemp(), '--config', 'bad.yml'], dir);
    expect(bad.code).to.equal(2);
    expectOneLine(bad.stderr, /checks\.password-spary: unknown check id "password-spary" \(did you mean password-spray\?\)/);
  });

  it('rejects an unknown check id in one line, suggesting the near one', () => {
    const run = cli(['audit', '--bundle', new BundleBuilder().writeTemp(), '--checks', 'trail.multiregion']);
    expect(run.code).to.equal(2);
    expectOneLine(run.stderr, /--checks: unknown check id "trail.multiregion" \(did you mean trail.multi-region\?\)/);
  });

  it('rejects an unknown output format in one line', () => {
    const run = cli(['audit', '--bundle', new BundleBuilder().writeTemp(), '--format', 'yaml']);
    expect(run.code).to.equal(2);
    expectOneLine(run.stderr, /--format: unknown format "yaml"; available: json, html, pdf, junit, sarif, csv, ocsf, markdown, asff/);
  });

  it('loads third-party checks from a folder, validates their parameters like built-ins, and runs them beside the catalog', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'my-checks'));
    writeFileSync(join(dir, 'my-checks', 'tagged.mjs'), `
export const check = {
  meta: {
    id: 'acme.trail-named', title: 'Trails follow the naming standard', severity: 'low', scope: 'trail',
    description: 'ACME names every trail acme-*.', rationale: 'Naming makes ownership obvious.',
    remediation: { text: 'Rename the trail.' },
    frameworks: { 'soc2': ['CC7.2'] },
    defaultOptions: { prefix: 'acme-' },
    schema: { type: 'object', properties: { prefix: { type: 'string', default: 'acme-' } }, additionalProperties: false },
    messages: { ok: 'Trail {{name}} is named well.', bad: 'Trail {{name}} does not start with {{prefix}}.' },
  },
  run(estate, ctx) {
    return estate.trails.map((t) => ctx.result(t.name.startsWith(ctx.options.prefix) ? 'PASS' : 'FAIL', {
      account: t.ownerAccount, region: t.homeRegion, resource: t.arn,
      messageId: t.name.startsWith(ctx.options.prefix) ? 'ok' : 'bad', data: { name: t.name, prefix: ctx.options.prefix } }));
  },
};
`);
    const b = new BundleBuilder().describeTrails('111111111111', 'us-east-1', [
      { Name: 'main', TrailARN: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/main', HomeRegion: 'us-east-1', IsMultiRegionTrail: true },
    ]);
    writeFileSync(join(dir, 'trailproof.yml'), 'plugins: [./my-checks]\nchecks:\n  acme.trail-named:\n    prefix: org-\n');
    const run = cli(['audit', '--bundle', b.writeTemp(), '--config', 'trailproof.yml', '--checks', 'acme.*', '--format', 'json', '--fail-on', 'none'], dir);
    expect(run.code, run.stderr).to.equal(0);
    const findings = JSON.parse(run.stdout) as Findings;
    expect(findings.results).to.have.length(1);
    expect(findings.results[0]).to.deep.include({ checkId: 'acme.trail-named', status: 'FAIL', message: 'Trail main does not start with org-.', frameworks: { soc2: ['CC7.2'] } });

    writeFileSync(join(dir, 'bad.yml'), 'plugins: [./my-checks]\nchecks:\n  acme.trail-named:\n    prefix: 7\n');
    const bad = cli(['audit', '--bundle', b.writeTemp(), '--config', 'bad.yml'], dir);
    expect(bad.code).to.equal(2);
    expectOneLine(bad.stderr, /checks\.acme\.trail-named\.prefix must be string/);

    const listed = cli(['checks', 'list', '--format', 'json', '--plugin', './my-checks'], dir);
    expect(listed.code).to.equal(0);
    const catalog = JSON.parse(listed.stdout) as { id: string; origin: string }[];
    expect(catalog.find((c) => c.id === 'acme.trail-named')?.origin).to.match(/tagged\.mjs$/);
    expect(catalog.length).to.be.greaterThan(20);
  });
});
