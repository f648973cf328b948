// The demo organization's verdicts read by meaning (issue 19 items 2 and 5): the cases the auditor disputed.
// One stopped redundant trail no longer fails "at least one trail is logging" requirements, info-level cost
// results are observations, trails without collected digests are NOT_TESTED, and the working-paper fields
// (result ids, collecting identity, preparer, waiver approval, responses, test procedures) are in the findings.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { Findings } from '../../src/model/types.js';
import { packageRoot } from '../../src/paths.js';

const demo = join(packageRoot, 'examples', 'demo-org');

describe('the demo organization, verdicts by meaning', function () {
  this.timeout(180_000);
  let findings: Findings;
  let out: string;
  let legacyId: string;

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'trailproof-demo-verdicts-'));
    // The config waives one result with an approval; the responses file answers the stopped legacy trail.
    writeFileSync(join(out, 'config.yml'), [
      'waivers:',
      '  - check: bucket.object-lock',
      '    resource: arn:aws:s3:::example-org-cloudtrail-logs',
      '    reason: Versioning and lifecycle rules protect it until the Object Lock migration',
      '    owner: cloud-security@example.com',
      '    expires: 2027-03-31',
      '    approvedBy: CISO',
      '    approvedOn: 2026-07-01',
      '',
    ].join('\n'));
    writeFileSync(join(out, 'responses.yml'), 'responses:\n  - check: trail.logging-active\n    resource: "*staging-legacy"\n    owner: platform@example.com\n    response: The legacy trail is deleted in the October change window\n    dueDate: 2026-10-31\n');
    const io = memoryIo();
    const code = await main(['audit', '--bundle', demo, '--config', join(out, 'config.yml'), '--responses', join(out, 'responses.yml'), '--prepared-by', 'Internal Audit', '--out', out, '--format', 'json,csv,junit', '--quiet'], io);
    expect(code, io.err).to.equal(1);
    findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings;
    legacyId = findings.results.find((r) => r.checkId === 'trail.logging-active' && r.status === 'FAIL')?.id ?? '';
  });

  after(() => rmSync(out, { recursive: true, force: true }));

  const requirement = (framework: string, id: string) => findings.frameworks?.find((f) => f.id === framework)?.requirements.find((r) => r.id === id);

  it('keeps the stopped legacy trail its own FAIL, while the requirements that ask for one logging trail are met', () => {
    expect(findings.results.filter((r) => r.checkId === 'trail.logging-active').map((r) => r.status).sort()).to.deep.equal(['FAIL', 'PASS', 'PASS', 'PASS']);
    expect(requirement('aws-fsbp', 'CloudTrail.3')?.status).to.equal('PASS');
    for (const cis of ['cis-aws-3.0', 'cis-aws-4.0', 'cis-aws-5.0']) expect(requirement(cis, '3.1')?.status, cis).to.equal('PASS');
    expect(requirement('pci-dss-4.0', '10.2.1')?.status).to.equal('PASS');
    expect(requirement('aws-fsbp', 'CloudTrail.3')?.note).to.equal('1 result of trail.logging-active that did not pass does not decide it: 3 passing subjects meet it (aggregate "any").');
    // The others still fail, on their own checks' results, never on trail.logging-active's.
    for (const [fw, id] of [['hipaa', '164.312(b)'], ['iso-27001-2022', 'A.8.15'], ['soc2', 'CC7.2']] as const) {
      expect(requirement(fw, id)?.checkStatus?.['trail.logging-active'], `${fw} ${id}`).to.equal('PASS');
    }
    // A failed audit logging mechanism is exactly what PCI DSS 10.7.2 asks about.
    expect(requirement('pci-dss-4.0', '10.7.2')?.status).to.equal('FAIL');
  });

  it('counts the four info-level cost results as observations, not failures', () => {
    expect(findings.summary.observations).to.equal(4);
    expect(findings.results.filter((r) => r.observation === true).map((r) => r.checkId)).to.deep.equal(Array(4).fill('cost.duplicate-management-copies'));
    expect(findings.summary.FAIL).to.equal(findings.results.filter((r) => r.status === 'FAIL').length - 4);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).to.match(/<testsuite name="cost\.duplicate-management-copies" tests="18" failures="0" errors="1" skipped="4"/);
  });

  it('says "not tested" for the trails whose digests were not collected, never "not applicable"', () => {
    const integrity = findings.results.filter((r) => r.checkId === 'trail.log-integrity');
    expect(integrity.map((r) => r.status).sort()).to.deep.equal(['NOT_TESTED', 'NOT_TESTED', 'NOT_TESTED', 'PASS']);
    expect(findings.summary.NOT_TESTED).to.equal(3);
    expect(findings.summary.NOT_APPLICABLE).to.equal(0);
  });

  it('carries the working-paper fields: ids, preparer, collecting identity, waiver approval, responses, procedures', () => {
    expect(new Set(findings.results.map((r) => r.id)).size).to.equal(findings.results.length);
    expect(findings.results.every((r) => /^TP-[0-9a-f]{12}$/.test(r.id))).to.equal(true);
    expect(findings.run.preparedBy).to.equal('Internal Audit');
    expect(findings.run.collectedBy).to.deep.equal({ account: '111111111111', arn: 'arn:aws:sts::111111111111:assumed-role/TrailproofAuditRole/trailproof-collect', userId: 'AROA6TRLPRF2AUDIT7QX4:trailproof-collect' });
    const waived = findings.results.find((r) => r.status === 'WAIVED');
    expect(waived?.waiver).to.include({ approvedBy: 'CISO', approvedOn: '2026-07-01' });
    const legacy = findings.results.find((r) => r.id === legacyId);
    expect(legacy?.response).to.deep.equal({ owner: 'platform@example.com', response: 'The legacy trail is deleted in the October change window', dueDate: '2026-10-31' });
    const procedure = findings.checks?.find((c) => c.id === 'trail.logging-active')?.procedure;
    expect(procedure?.apiCalls).to.include('cloudtrail:GetTrailStatus');
    expect(procedure?.population).to.equal('every trail the collected evidence shows: 4 trails in 4 accounts');
    const csv = readFileSync(join(out, 'results.csv'), 'utf8');
    expect(csv).to.include(legacyId).and.include('The legacy trail is deleted in the October change window');
  });

  it('gives every result the same id in a second run', async () => {
    const io = memoryIo();
    await main(['audit', '--bundle', demo, '--format', 'json', '--fail-on', 'none'], io);
    expect((JSON.parse(io.out) as Findings).results.map((r) => r.id)).to.deep.equal(findings.results.map((r) => r.id));
  });
});
