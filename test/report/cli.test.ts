import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { fixtureFindings, previousFindings, writeFixtureBundle } from './fixtures.js';

async function report(args: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  const code = await main(['report', ...args], io);
  return { code, out: io.out, err: io.err };
}

describe('trailproof report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-report-cli-'));
  const bundle = writeFixtureBundle();
  const findings = fixtureFindings(bundle);
  const file = join(dir, 'findings.json');
  writeFileSync(file, JSON.stringify(findings, null, 2) + '\n');

  it('writes every text format from a saved findings file, json copied byte for byte', async () => {
    const out = join(dir, 'all');
    const r = await report(['--findings', file, '--out', out, '--format', 'html,json,junit,sarif,csv,ocsf,markdown']);
    expect(r.err).not.to.contain('trailproof:');
    expect(r.code).to.equal(0);
    for (const name of ['report.html', 'findings.json', 'junit.xml', 'findings.sarif', 'results.csv', 'findings.ocsf.json', 'summary.md']) expect(existsSync(join(out, name)), name).to.equal(true);
    expect(readFileSync(join(out, 'findings.json'))).to.deep.equal(readFileSync(file));
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).to.contain(`data-sha="findings">${sha}<`);
    expect(r.err).to.match(/wrote .*report\.html \(\d+ KB\)/);
  });

  it('prints one text format to stdout when there is no --out', async () => {
    const r = await report(['--findings', file, '--format', 'markdown']);
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/^## trailproof audit: not compliant/);
  });

  it('compares with the latest earlier run of --history, and labels the period', async () => {
    const history = join(dir, 'history');
    mkdirSync(join(history, '2026-q2'), { recursive: true });
    const previous = previousFindings(findings);
    writeFileSync(join(history, '2026-q2', 'findings.json'), JSON.stringify(previous));
    const out = join(dir, 'q3');
    const r = await report(['--findings', file, '--out', out, '--format', 'html', '--history', history, '--period', '2026-Q3']);
    expect(r.code).to.equal(0);
    expect(r.err).to.match(/previous audit: .*2026-q2\/findings\.json \(run 3a1d9e44-/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).to.contain(previous.run.id);
    expect(html).to.contain('2026-Q3 (1 Jul 2026 to 30 Sep 2026)');
    expect(html).to.contain('Bucket old-trail-bucket has no server access logging.');
  });

  it('refuses --previous of another organization id, and warns when only the accounts tell them apart', async () => {
    const mine = structuredClone(findings);
    mine.run.organization = { id: 'o-aaaaaaaaaa', managementAccount: '111111111111' };
    const mineFile = join(dir, 'org-a.json');
    writeFileSync(mineFile, JSON.stringify(mine));
    const theirs = previousFindings(findings);
    theirs.run.organization = { id: 'o-bbbbbbbbbb', managementAccount: '999999999999' };
    const theirsFile = join(dir, 'org-b.json');
    writeFileSync(theirsFile, JSON.stringify(theirs));
    const refused = await report(['--findings', mineFile, '--out', join(dir, 'cross'), '--format', 'markdown', '--previous', theirsFile]);
    expect(refused.code).to.equal(2);
    expect(refused.err).to.contain(`--previous ${theirsFile}: another organization: it records organization o-bbbbbbbbbb, this run o-aaaaaaaaaa`);
    const unnamed = previousFindings(findings);
    unnamed.run.scope.accounts = ['999999999999'];
    const unnamedFile = join(dir, 'unnamed.json');
    writeFileSync(unnamedFile, JSON.stringify(unnamed));
    const warned = await report(['--findings', file, '--out', join(dir, 'cross-accounts'), '--format', 'markdown', '--previous', unnamedFile]);
    expect(warned.code, warned.err).to.equal(0);
    expect(warned.err).to.match(/trailproof: warning: --previous .*unnamed\.json: another organization: it shares 0 of its 1 accounts/);
  });

  it('names each history file it cannot use once on stderr and in the report, and still exits 0', async () => {
    const history = join(dir, 'history-mixed');
    for (const sub of ['2026-q2', 'broken', 'other']) mkdirSync(join(history, sub), { recursive: true });
    writeFileSync(join(history, '2026-q2', 'findings.json'), JSON.stringify(previousFindings(findings)));
    writeFileSync(join(history, 'broken', 'findings.json'), '{"schemaVersion": "1", "run": ');
    const other = previousFindings(findings);
    other.run.scope.accounts = ['999999999999'];
    writeFileSync(join(history, 'other', 'findings.json'), JSON.stringify(other));
    const out = join(dir, 'q3-mixed');
    const r = await report(['--findings', file, '--out', out, '--format', 'html,markdown', '--history', history]);
    expect(r.code, r.err).to.equal(0);
    const notices = r.err.split('\n').filter((l) => l.startsWith('trailproof: history: skipped'));
    expect(notices).to.have.length(2);
    expect(notices[0]).to.match(/^trailproof: history: skipped .*broken\/findings\.json: is not valid JSON: /);
    expect(notices[1]).to.match(/^trailproof: history: skipped .*other\/findings\.json: another organization: it shares 0 of its 1 accounts/);
    expect(r.err).to.match(/trends over 2 audits/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).to.contain('id="sec-trends"');
    expect(html).to.contain('History files not used');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).to.contain('### Trends (2 audits)');
  });

  it('places a run among its history by the --period it is reported for, when its findings record none', async () => {
    const unlabelled = structuredClone(findings);
    unlabelled.run.period = { from: null, to: null };
    const f = join(dir, 'unlabelled.json');
    writeFileSync(f, JSON.stringify(unlabelled));
    const history = join(dir, 'history-periods');
    for (const sub of ['2026-q2', '2026-q3-draft']) mkdirSync(join(history, sub), { recursive: true });
    writeFileSync(join(history, '2026-q2', 'findings.json'), JSON.stringify(previousFindings(findings)));
    const draft = structuredClone(findings);
    draft.run.id = 'q3-draft';
    draft.run.finishedAt = '2026-10-01T05:00:00.000Z';
    writeFileSync(join(history, '2026-q3-draft', 'findings.json'), JSON.stringify(draft));
    const r = await report(['--findings', f, '--format', 'markdown', '--history', history, '--period', '2026-Q3']);
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.match(/history: skipped \S*2026-q3-draft\/findings\.json: run q3-draft of this run's own period: this run supersedes it/);
    expect(r.out).to.contain('| 2026-Q3 (this run) |');
    expect(r.out).to.contain('**Checks that regressed since 2026-Q2 (1 check, 1 result):**');
  });

  it('shows excerpts from the bundle the findings record, and says so when it is gone', async () => {
    const moved = fixtureFindings(bundle);
    moved.run.bundle = { ...(moved.run.bundle as NonNullable<typeof moved.run.bundle>), path: join(dir, 'no-such-bundle') };
    const f = join(dir, 'moved.json');
    writeFileSync(f, JSON.stringify(moved));
    const r = await report(['--findings', f, '--format', 'html']);
    expect(r.err).to.contain('not found: the report shows evidence references and SHA-256 only (give --bundle DIR for excerpts)');
    expect(r.out).not.to.contain('&quot;LogFileValidationEnabled&quot;: false');
    const withBundle = await report(['--findings', f, '--format', 'html', '--bundle', bundle.dir]);
    expect(withBundle.out).to.contain('&quot;LogFileValidationEnabled&quot;: false');
  });

  it('takes branding from the config file: organization, title, logo (relative to the file) and colours', async () => {
    const conf = join(dir, 'conf');
    mkdirSync(join(conf, 'img'), { recursive: true });
    writeFileSync(join(conf, 'img', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#123"/></svg>');
    writeFileSync(join(conf, 'trailproof.yml'), 'report:\n  organizationName: Example Corp\n  title: Quarterly logging evidence\n  logo: img/logo.svg\n  colors:\n    primary: "#0b3d2e"\n');
    const r = await report(['--findings', file, '--format', 'html', '--config', join(conf, 'trailproof.yml')]);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.contain('<title>Quarterly logging evidence · Example Corp · 1 Jul 2026 to 30 Sep 2026</title>');
    expect(r.out).to.contain(`src="data:image/svg+xml;base64,${readFileSync(join(conf, 'img', 'logo.svg')).toString('base64')}"`);
    expect(r.out).to.contain('--primary: #0b3d2e');
  });

  it('exits 2 with one line naming the problem for bad usage and bad input', async () => {
    const cases: [string[], RegExp][] = [
      [['--findings', file, '--format', 'docx'], /--format: unknown format "docx"; available: .*html.*pdf/],
      [['--findings', file, '--format', 'pdf'], /--format pdf is binary and cannot go to stdout/],
      [['--findings', file, '--format', 'html,csv'], /several formats need --out DIR/],
      [['--findings', file, '--out', dir, '--previous', file, '--history', dir], /give one/],
      [['--findings', file, '--format', 'html', '--email-to', 'a@example.com'], /--email-to needs --out DIR/],
      [['--findings', file, '--out', dir, '--email-to', 'not-an-address'], /"not-an-address" is not an email address/],
      [['--findings', join(dir, 'missing.json'), '--format', 'html'], /cannot read findings file .*missing\.json/],
      [['--findings', file, '--format', 'html', '--period', '2026-Q7'], /--period 2026-Q7: expected a quarter/],
      [['--findings', file, '--format', 'html', '--templates', join(dir, 'nope')], /--templates .*nope: not a folder/],
    ];
    for (const [args, message] of cases) {
      const r = await report(args);
      expect(r.code, args.join(' ')).to.equal(2);
      expect(r.err, args.join(' ')).to.match(message);
      expect(r.err.trim().split('\n'), args.join(' ')).to.have.length(1);
    }
  });

  it('refuses a file that is not a findings file, naming it', async () => {
    const bad = join(dir, 'sarif.json');
    writeFileSync(bad, JSON.stringify({ version: '2.1.0', runs: [] }));
    const r = await report(['--findings', bad, '--format', 'html']);
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/findings file .*sarif\.json is not a trailproof findings file/);
  });
});
