import { expect } from 'chai';
import { ran, requirePart, skipWithout } from '../helpers/real-parts.js';
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { renderSarif } from '../../src/output/sarif.js';
import { packageRoot } from '../../src/paths.js';
import { LOG_BUCKET, TRAIL_ARN, WINTER, fixtureFindings } from '../report/fixtures.js';
import { DEMO_BUNDLE, requireDemoBundle } from '../helpers/demo-bundle.js';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The SARIF 2.1.0 JSON Schema, offline: the npm package that ships it, or a copy named by the environment. */
function sarifSchemaFile(): string | undefined {
  const candidates = [process.env.TRAILPROOF_SARIF_SCHEMA, join(packageRoot, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json')];
  return candidates.find((c): c is string => c !== undefined && existsSync(c));
}

/**
 * The SARIF Multitool's binary: TRAILPROOF_SARIF_MULTITOOL, else the npm package's Linux binary, run directly
 * (its bin.js goes through a shell, which splits the "Gh;Sarif" argument). Its postinstall only sets the run
 * bit, so the bit is set here when npm skipped it.
 */
function multitool(): { bin: string } | { missing: string } {
  const candidates = [process.env.TRAILPROOF_SARIF_MULTITOOL, join(packageRoot, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool')];
  const bin = candidates.find((c): c is string => c !== undefined && existsSync(c));
  if (bin === undefined) return { missing: 'no Sarif.Multitool binary (npm install --save-dev @microsoft/sarif-multitool on Linux), or TRAILPROOF_SARIF_MULTITOOL=<binary>' };
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    try {
      chmodSync(bin, 0o755);
    } catch (err) {
      return { missing: `${bin} is not executable and chmod failed (${String(err)}): chmod +x it` };
    }
  }
  return { bin };
}

interface SarifLocation { physicalLocation?: { artifactLocation?: { uri?: string; uriBaseId?: string } }; logicalLocations?: { fullyQualifiedName: string }[] }
interface SarifRule { id: string; name: string; help?: { text?: string; markdown?: string }; defaultConfiguration: { level: string } }
interface SarifResultEntry { ruleId: string; ruleIndex: number; kind: string; level: string; locations: SarifLocation[]; partialFingerprints?: Record<string, string>; properties: { status?: string } }
interface SarifLog {
  version: string;
  runs: { tool: { driver: { rules: SarifRule[] } }; results: SarifResultEntry[] }[];
}

function runOf(text: string): SarifLog['runs'][number] {
  return (JSON.parse(text) as SarifLog).runs[0] as SarifLog['runs'][number];
}

/** GitHub code scanning's key requirements (the Multitool's GH rules), asserted without the Multitool. */
function expectGithubAccepts(run: SarifLog['runs'][number]): void {
  for (const rule of run.tool.driver.rules) {
    expect(rule.help?.text, `${rule.id} help.text`).to.be.a('string').and.not.equal('');
    expect(rule.help?.markdown, `${rule.id} help.markdown`).to.match(/Remediation/);
    expect(rule.name, `${rule.id} name`).to.not.equal(rule.id);
  }
  for (const r of run.results) {
    const uri = r.locations[0]?.physicalLocation?.artifactLocation?.uri;
    expect(uri, `${r.ruleId} artifact uri`).to.be.a('string').and.not.equal('');
    expect(uri, `${r.ruleId} relative uri`).to.not.match(/^[a-z]+:|^\//i);
    // A posture result has two (what it is about, and its stable result id); a detection has one.
    expect(Object.keys(r.partialFingerprints ?? {}), `${r.ruleId} fingerprints`).to.have.length(r.properties.status === undefined ? 1 : 2);
    expect(run.tool.driver.rules[r.ruleIndex]?.id).to.equal(r.ruleId);
  }
}

describe('SARIF output', () => {
  const findings = fixtureFindings();
  const text = renderSarif(findings, { include: 'all' });
  const log = JSON.parse(text) as SarifLog;
  const run = log.runs[0] as SarifLog['runs'][number];
  const attention = runOf(renderSarif(findings));

  it('validates against the SARIF 2.1.0 JSON Schema, with every result and with the default filter', function () {
    const file = sarifSchemaFile();
    if (!file) skipWithout(this, 'sarif-schema', 'no SARIF 2.1.0 schema file (npm install --save-dev @microsoft/jest-sarif, or TRAILPROOF_SARIF_SCHEMA=<file>)');
    ran('sarif-schema');
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    // The published schema is draft-04; its keywords mean the same under ajv's default draft.
    delete schema.$schema;
    delete schema.id;
    // Its patterns predate ECMAScript's unicode mode (one has a bracket ajv's u-flag regexes refuse).
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    for (const candidate of [log, JSON.parse(renderSarif(findings)) as unknown]) {
      const ok = validate(candidate);
      expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 5))).to.deep.equal([]);
      expect(ok).to.equal(true);
    }
  });

  it('has one rule per check and per detection rule, with levels by severity', () => {
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(ids).to.include.members([...new Set(findings.results.map((r) => r.checkId))]);
    expect(ids).to.include('s3-bucket-deleted');
    expect(run.tool.driver.rules.find((r) => r.id === 'bucket.secure-transport')?.defaultConfiguration.level).to.equal('error');
  });

  it('gives every result a kind and a location naming the resource ARN', () => {
    expect(run.results).to.have.length(findings.results.length + findings.detections.length);
    const byRule = (id: string): SarifResultEntry => run.results.find((r) => r.ruleId === id) as SarifResultEntry;
    expect(byRule('trail.log-file-validation')).to.deep.include({ kind: 'fail', level: 'warning' });
    expect(byRule('trail.multi-region')).to.deep.include({ kind: 'pass', level: 'none' });
    expect(byRule('trail.s3-data-events')).to.deep.include({ kind: 'review' });
    expect(byRule('trail.management-events')).to.deep.include({ kind: 'open' });
    expect(JSON.stringify(byRule('trail.log-file-validation').locations)).to.contain(`"fullyQualifiedName":"${TRAIL_ARN}"`);
    expect(JSON.stringify(byRule('trail.log-file-validation').locations)).to.contain('"uri":"accounts/111111111111/us-east-1/cloudtrail/DescribeTrails.json","uriBaseId":"BUNDLE"');
    expect(JSON.stringify(byRule('s3-bucket-deleted').locations)).to.contain(WINTER);
  });

  it('sends by default only the results that need attention: FAIL, ERROR, MANUAL and detections', () => {
    const statuses = new Set(attention.results.map((r) => r.properties.status ?? 'detection'));
    expect([...statuses].sort()).to.deep.equal(['ERROR', 'FAIL', 'MANUAL', 'detection']);
    const expected = findings.results.filter((r) => ['FAIL', 'ERROR', 'MANUAL'].includes(r.status)).length + findings.detections.length;
    expect(attention.results).to.have.length(expected);
    // Only the rules of the results sent, each at the index the results cite.
    expect(attention.tool.driver.rules.map((r) => r.id)).to.not.include('trail.multi-region');
  });

  it('locates a result without evidence and every detection at a stable aws/<account>/<region>/<service>/<resource> path, the ARN as logical location', () => {
    const noEvidence = run.results.find((r) => r.ruleId === 'trail.kms-encryption') as SarifResultEntry;
    expect(noEvidence.locations[0]?.physicalLocation?.artifactLocation).to.deep.equal({ uri: 'aws/111111111111/us-east-1/cloudtrail/trail/org-trail' });
    const deleted = run.results.find((r) => r.ruleId === 's3-bucket-deleted') as SarifResultEntry;
    expect(deleted.locations[0]?.physicalLocation?.artifactLocation?.uri).to.match(/^aws\/\d{12}\/[a-z0-9-]+\/[a-z0-9-]+\/.+/);
    for (const r of run.results.filter((e) => e.properties.status === undefined)) expect(r.locations[0]?.physicalLocation?.artifactLocation?.uri, r.ruleId).to.match(/^aws\//);
  });

  it('keeps partialFingerprints stable across runs and distinct per resource', () => {
    const later = fixtureFindings();
    later.run.id = 'a-later-run';
    later.run.startedAt = '2027-01-01T00:00:00Z';
    const again = runOf(renderSarif(later, { include: 'all' }));
    expect(again.results.map((r) => r.partialFingerprints)).to.deep.equal(run.results.map((r) => r.partialFingerprints));
    const prints = run.results.filter((r) => r.properties.status !== undefined).map((r) => JSON.stringify(r.partialFingerprints));
    expect(new Set(prints).size).to.equal(prints.length);
  });

  it('meets GitHub code scanning requirements: locations with relative artifact URIs, help text and markdown with remediation, fingerprints', () => {
    expectGithubAccepts(run);
    expectGithubAccepts(attention);
    const help = run.tool.driver.rules.find((r) => r.id === 'trail.s3-data-events')?.help;
    expect(help?.markdown).to.contain('Review the selector scope.');
  });

  it('reports a waived result (with --sarif-all) as a suppressed failure with the reason', () => {
    const waived = run.results.find((r) => r.ruleId === 'bucket.versioning-mfa-delete') as unknown as { suppressions: unknown[]; locations: unknown };
    expect(waived.suppressions).to.deep.equal([{ kind: 'external', status: 'accepted', justification: 'MFA delete cannot be enabled by automation; compensated by Object Lock. (owner security@example.com, expires 2026-12-31)' }]);
    expect(JSON.stringify(waived.locations)).to.contain(LOG_BUCKET);
  });

  it('validates with zero errors under the SARIF Multitool with the Gh and Sarif rule kinds', function () {
    this.timeout(120_000);
    const tool = multitool();
    requirePart(this, 'sarif-multitool', 'missing' in tool ? tool.missing : undefined);
    if ('missing' in tool) return;
    expect(multitoolErrors(tool.bin, renderSarif(findings))).to.deep.equal([]);
    expect(multitoolErrors(tool.bin, text)).to.deep.equal([]);
  });

  it("validates the demo organization's audit SARIF with zero Multitool errors, by default and with --sarif-all", async function () {
    this.timeout(180_000);
    requireDemoBundle(this);
    const tool = multitool();
    requirePart(this, 'sarif-multitool', 'missing' in tool ? tool.missing : undefined);
    if ('missing' in tool) return;
    const out = mkdtempSync(join(tmpdir(), 'trailproof-sarif-demo-'));
    try {
      const code = await main(['audit', '--bundle', DEMO_BUNDLE, '--out', out, '--format', 'json,sarif', '--quiet'], memoryIo());
      expect(code).to.equal(1);
      const demo = readFileSync(join(out, 'findings.sarif'), 'utf8');
      const demoRun = runOf(demo);
      expectGithubAccepts(demoRun);
      expect(demoRun.results.every((r) => r.properties.status === undefined || ['FAIL', 'ERROR', 'NOT_TESTED', 'MANUAL'].includes(r.properties.status))).to.equal(true);
      // Observations (the demo's four info-level cost results) are not alerts.
      expect(demoRun.results.filter((r) => r.ruleId === 'cost.duplicate-management-copies' && r.properties.status === 'FAIL')).to.deep.equal([]);
      expect(multitoolErrors(tool.bin, demo)).to.deep.equal([]);
      expect(await main(['report', '--findings', join(out, 'findings.json'), '--out', join(out, 'all'), '--format', 'sarif', '--sarif-all', '--quiet'], memoryIo())).to.equal(0);
      const all = readFileSync(join(out, 'all', 'findings.sarif'), 'utf8');
      expect(runOf(all).results.length).to.be.greaterThan(demoRun.results.length);
      expect(multitoolErrors(tool.bin, all)).to.deep.equal([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

/** The Multitool's error-level results for a SARIF log (Gh and Sarif rule kinds), as "RULE: message" lines. */
function multitoolErrors(bin: string, content: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-sarif-'));
  try {
    const input = join(dir, 'input.sarif');
    const output = join(dir, 'validation.sarif');
    writeFileSync(input, content);
    const res = spawnSync(bin, ['validate', input, '--rule-kind', 'Gh;Sarif', '--output', output, '--log', 'ForceOverwrite'], { encoding: 'utf8', timeout: 110_000 });
    expect(res.error, String(res.error)).to.equal(undefined);
    expect(res.status, res.stdout + res.stderr).to.equal(0);
    const validation = JSON.parse(readFileSync(output, 'utf8')) as { runs: { results?: { ruleId: string; level?: string; message: { text?: string; arguments?: string[] } }[] }[] };
    return validation.runs.flatMap((r) => r.results ?? []).filter((r) => r.level === 'error').map((e) => `${e.ruleId}: ${e.message.text ?? (e.message.arguments ?? []).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
