// The package as a user installs it: `npm pack` of this folder, the tarball unpacked into an empty project as
// npm would install it (its dependencies are the shared install, linked: the machine is offline), then
// `npx trailproof audit` run there, both entries (`trailproof`, `trailproof/check`) imported by a script,
// and plugin checks written against `trailproof/check` loaded: one in plain JavaScript, one in TypeScript
// that must pass the type check (and a wrong one that must not).
import { expect } from 'chai';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import type { Findings } from '../../src/model/types.js';
import { BundleBuilder } from '../../fixtures/bundle-builder.js';
import { requirePart } from '../helpers/real-parts.js';

const TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/main';

/** A plugin check in plain JavaScript, as the plugin guide shows it. */
const JS_PLUGIN = `import { defineCheck } from 'trailproof/check';
export const check = defineCheck({
  meta: {
    id: 'acme.trail-named', title: 'Trails follow the naming standard', severity: 'low', scope: 'trail',
    description: 'ACME names every trail acme-*.', rationale: 'Naming makes ownership obvious.',
    remediation: { text: 'Rename the trail.' },
    defaultOptions: { prefix: 'acme-' },
    schema: { type: 'object', properties: { prefix: { type: 'string' } }, additionalProperties: false },
    messages: { ok: 'Trail {{name}} is named well.', bad: 'Trail {{name}} does not start with {{prefix}}.' },
  },
  run(estate, ctx) {
    return estate.trails.map((t) => ctx.result(t.name.startsWith(ctx.options.prefix) ? 'PASS' : 'FAIL', {
      account: t.ownerAccount, region: t.homeRegion, resource: t.arn,
      messageId: t.name.startsWith(ctx.options.prefix) ? 'ok' : 'bad', data: { name: t.name, prefix: ctx.options.prefix } }));
  },
});
`;

/** The same kind of check in TypeScript: options and message ids typed. */
const TS_PLUGIN = `import { defineCheck, type CheckResult } from 'trailproof/check';
export const check = defineCheck<{ minimum: number }, 'few' | 'enough'>({
  meta: {
    id: 'acme.trail-count', title: 'The organization keeps enough trails', severity: 'info', scope: 'account',
    description: 'Counts the trails.', rationale: 'A second trail is a backup.',
    remediation: { text: 'Add a trail.' },
    defaultOptions: { minimum: 2 },
    schema: { type: 'object', properties: { minimum: { type: 'integer' } }, additionalProperties: false },
    messages: { few: '{{count}} trails, fewer than {{minimum}}.', enough: '{{count}} trails.' },
  },
  run(estate, ctx): CheckResult[] {
    const count: number = estate.trails.length;
    return [ctx.result(count >= ctx.options.minimum ? 'PASS' : 'FAIL', {
      account: '111111111111', region: 'global', resource: 'acme:trails',
      messageId: count >= ctx.options.minimum ? 'enough' : 'few', data: { count, minimum: ctx.options.minimum } })];
  },
});
`;

/** A TypeScript check with a message id its messages do not have: the type check must refuse it. */
const TS_WRONG = TS_PLUGIN.replace("'enough' : 'few'", "'enough' : 'fewer'");

/** A script that uses the library entry: an audit with both plugins, its summary on stdout. */
const SCRIPT = `import { audit, renderers } from 'trailproof';
import { defineCheck } from 'trailproof/check';
const bundle = process.argv[2];
if (typeof defineCheck !== 'function') throw new Error('trailproof/check has no defineCheck');
const findings = await audit({ bundle, plugins: ['./plugin.mjs', './out/plugin.js'], checks: ['acme.*'], failOn: 'none' });
const junit = await renderers.junit.render(findings, {});
console.log(JSON.stringify({ outcome: findings.run.outcome, results: findings.results.map((r) => [r.checkId, r.status, r.message]), junit: String(junit).startsWith('<?xml') }));
`;

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
}

describe('the installable package (npm pack, installed into an empty project)', function () {
  this.timeout(300_000);
  let work: string;
  let app: string;
  let shipped: string[];
  let bundle: string;

  before(function () {
    requirePart(this, 'tar', spawnSync('tar', ['--version']).status === 0 ? undefined : 'no tar command on PATH (apt-get install tar)');
    work = mkdtempSync(join(tmpdir(), 'trailproof-pack-'));
    // --ignore-scripts: dist/ is the build under test (prepare would rebuild it while the suite reads it).
    const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], packageRoot);
    expect(pack.status, pack.stderr).to.equal(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    if (info === undefined) throw new Error(`npm pack printed no package: ${pack.stdout}`);
    shipped = info.files.map((f) => f.path);
    app = join(work, 'app');
    const installed = join(app, 'node_modules', 'trailproof');
    mkdirSync(installed, { recursive: true });
    const untar = run('tar', ['-xzf', join(work, info.filename), '-C', installed, '--strip-components', '1'], work);
    expect(untar.status, untar.stderr).to.equal(0);
    // The package's dependencies: the shared install, linked (no registry here).
    const shared = join(packageRoot, 'node_modules');
    for (const name of readdirSync(shared)) {
      if (name.startsWith('.') || name === 'trailproof') continue;
      symlinkSync(join(shared, name), join(app, 'node_modules', name));
    }
    mkdirSync(join(app, 'node_modules', '.bin'));
    symlinkSync('../trailproof/bin/trailproof.js', join(app, 'node_modules', '.bin', 'trailproof'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'acme-audit', private: true, type: 'module', dependencies: { trailproof: `file:../${info.filename}` } }, null, 2));
    bundle = new BundleBuilder().describeTrails('111111111111', 'us-east-1', [
      { Name: 'main', TrailARN: TRAIL, HomeRegion: 'us-east-1', IsMultiRegionTrail: true },
    ]).writeTemp();
  });

  after(function () {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('ships the library entry, the check kit and their declaration files, and no source maps', function () {
    expect(shipped).to.include.members(['package.json', 'bin/trailproof.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/check-kit.js', 'dist/src/check-kit.d.ts', 'dist/src/engine/run.d.ts']);
    expect(shipped.filter((f) => f.endsWith('.map'))).to.deep.equal([]);
    expect(shipped.filter((f) => f.startsWith('dist/test/') || f.startsWith('src/') && f.endsWith('.ts'))).to.deep.equal([]);
  });

  it('runs `npx trailproof audit` on a bundle from the installed package', function () {
    const audit = run('npm', ['exec', '--offline', '--no', '--', 'trailproof', 'audit', '--bundle', bundle, '--checks', 'trail.*', '--format', 'json', '--fail-on', 'none', '--quiet'], app);
    expect(audit.status, audit.stderr).to.equal(0);
    const findings = JSON.parse(audit.stdout) as Findings;
    expect(findings.tool.name).to.equal('trailproof');
    expect(findings.run.outcome?.exitCode).to.equal(0);
    expect(findings.results.find((r) => r.checkId === 'trail.log-file-validation' && r.resource === TRAIL)?.status).to.equal('FAIL');
  });

  it('type-checks a TypeScript plugin against trailproof/check, and refuses one with a message id it does not define', function () {
    const tsc = join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const options = ['--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--strict', '--skipLibCheck', '--types', 'node'];
    writeFileSync(join(app, 'plugin.ts'), TS_PLUGIN);
    writeFileSync(join(app, 'wrong.ts'), TS_WRONG);
    const good = run(process.execPath, [tsc, ...options, '--outDir', 'out', 'plugin.ts'], app);
    expect(good.status, good.stdout + good.stderr).to.equal(0);
    const wrong = run(process.execPath, [tsc, ...options, '--noEmit', 'wrong.ts'], app);
    expect(wrong.status).to.not.equal(0);
    expect(wrong.stdout).to.match(/wrong\.ts\(\d+,\d+\): error TS2322: .*"fewer"/);
  });

  it('imports both entries from a script and audits with plugins written against trailproof/check (JavaScript and compiled TypeScript)', function () {
    writeFileSync(join(app, 'plugin.mjs'), JS_PLUGIN);
    writeFileSync(join(app, 'audit.mjs'), SCRIPT);
    const script = run(process.execPath, ['audit.mjs', bundle], app);
    expect(script.status, script.stderr).to.equal(0);
    const out = JSON.parse(script.stdout) as { outcome: { exitCode: number }; results: string[][]; junit: boolean };
    expect(out.outcome.exitCode).to.equal(0);
    expect(out.results).to.deep.equal([
      ['acme.trail-count', 'FAIL', '1 trails, fewer than 2.'],
      ['acme.trail-named', 'FAIL', 'Trail main does not start with acme-.'],
    ]);
    expect(out.junit).to.equal(true);
  });
});
