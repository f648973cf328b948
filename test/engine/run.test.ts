// The audit pipeline as a library (src/engine/run.ts): typed options in, findings out, nothing written or
// printed; errors in the options and the config before any evidence is read; the bundle's integrity judged
// into the run's one outcome; the log-integrity verification given to the checks through the estate.
import { expect } from 'chai';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { audit, tamperedEvidence, withAudit } from '../../src/engine/run.js';
import { TrailproofError } from '../../src/errors.js';
import { BundleBuilder } from '../../fixtures/bundle-builder.js';

const ACCOUNT = '111111111111';
const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;

function bundle(): string {
  return new BundleBuilder().describeTrails(ACCOUNT, 'us-east-1', [
    { Name: 'main', TrailARN: TRAIL, HomeRegion: 'us-east-1', IsMultiRegionTrail: true, LogFileValidationEnabled: false },
  ]).writeTemp();
}

describe('the audit pipeline as a library', function () {
  this.timeout(60_000);

  it('audits a bundle into findings with the run\'s outcome, writing nothing beside it and in the working folder', async function () {
    const dir = bundle();
    const cwd = mkdtempSync(join(tmpdir(), 'trailproof-run-'));
    const before = readdirSync(dir).sort();
    const findings = await audit({ cwd, bundle: dir, checks: ['trail.log-file-validation'], failOn: 'medium', period: { period: '2026-Q3' } });
    expect(findings.results.map((r) => [r.checkId, r.status, r.resource])).to.deep.equal([['trail.log-file-validation', 'FAIL', TRAIL]]);
    expect(findings.run.outcome).to.include({ exitCode: 1 });
    expect(findings.run.failOn).to.equal('medium');
    expect(findings.run.bundle?.path).to.equal(dir);
    expect(findings.run.period).to.deep.equal({ from: '2026-07-01T00:00:00.000Z', to: '2026-09-30T23:59:59.999Z' });
    expect(readdirSync(dir).sort()).to.deep.equal(before);
    expect(readdirSync(cwd)).to.deep.equal([]);
  });

  it('runs trail.log-integrity after verifying the bundle\'s logs (none here: NOT_TESTED for the trail)', async function () {
    const findings = await audit({ bundle: bundle(), checks: ['trail.log-integrity'], failOn: 'none' });
    expect(findings.results.map((r) => [r.checkId, r.status, r.resource])).to.deep.equal([['trail.log-integrity', 'NOT_TESTED', TRAIL]]);
  });

  it('refuses bad options and a bad config before it reads the evidence', async function () {
    const missing = join(tmpdir(), 'trailproof-no-such-bundle');
    const accounts = await audit({ bundle: missing, accounts: ['12345'] }).catch((e: unknown) => e);
    expect(accounts).to.be.instanceOf(TrailproofError).and.to.include({ code: 'TP_USAGE', message: '--accounts: "12345" is not a 12-digit account id' });
    const cwd = mkdtempSync(join(tmpdir(), 'trailproof-run-'));
    writeFileSync(join(cwd, 'bad.yml'), 'checks:\n  trail.no-such-check: {}\n');
    const config = await audit({ cwd, bundle: missing, config: 'bad.yml' }).catch((e: unknown) => e);
    expect(config).to.be.instanceOf(TrailproofError).and.to.include({ code: 'TP_CONFIG_INVALID' });
    const gate = await audit({ bundle: missing, gate: true, accounts: [ACCOUNT, '222222222222'] }).catch((e: unknown) => e);
    expect(gate).to.be.instanceOf(TrailproofError).and.to.include({ message: '--gate judges one new account: give it as --accounts ACCOUNT_ID' });
  });

  it('judges evidence that does not match its manifest into exit 2, and names the files', async function () {
    const dir = bundle();
    writeFileSync(join(dir, 'accounts', ACCOUNT, 'us-east-1', 'cloudtrail', 'DescribeTrails.json'), '{"trailList":[]}');
    const refused = await withAudit({ bundle: dir, checks: ['trail.*'], failOn: 'none' }, async (run) => ({ exitCode: run.findings.run.outcome?.exitCode, error: tamperedEvidence(run) }));
    expect(refused.exitCode).to.equal(2);
    expect(refused.error?.message).to.equal(`evidence bundle ${dir} does not match its manifest (1 modified, 0 missing: accounts/${ACCOUNT}/us-east-1/cloudtrail/DescribeTrails.json); results citing them are marked tampered. Use --allow-modified-evidence to accept it`);
    const allowed = await withAudit({ bundle: dir, checks: ['trail.*'], failOn: 'none', allowModifiedEvidence: true }, async (run) => tamperedEvidence(run));
    expect(allowed).to.equal(undefined);
  });
});
