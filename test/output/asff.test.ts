import { expect } from 'chai';
import { ASFF_DESCRIPTION_MAX, asffFindings, renderAsff, type AsffFinding } from '../../src/output/asff.js';
import { renderers } from '../../src/output/index.js';
import { LOG_BUCKET, LOGS, MGMT, PROD, TRAIL_ARN, fixtureFindings } from '../report/fixtures.js';

describe('ASFF output (Security Hub)', () => {
  const findings = fixtureFindings();
  const asff = JSON.parse(renderAsff(findings)) as AsffFinding[];
  const byCheck = (id: string, list = asff): AsffFinding => list.find((f) => f.GeneratorId === id) as AsffFinding;

  it('is the asff format of the renderer map, written to findings.asff.json', () => {
    expect(renderers.asff.fileName).to.equal('findings.asff.json');
  });

  it('writes one finding per result that is not PASS or NOT_APPLICABLE, plus one per detection', () => {
    const open = findings.results.filter((r) => r.status !== 'PASS' && r.status !== 'NOT_APPLICABLE');
    expect(asff).to.have.length(open.length + findings.detections.length);
    expect(asff.map((f) => f.GeneratorId)).to.not.include.members(['trail.multi-region', 'retention.s3-lifecycle']);
  });

  it('fills the fields Security Hub requires, for the account default product of the finding', () => {
    const f = byCheck('trail.log-file-validation');
    expect(f).to.deep.include({
      SchemaVersion: '2018-10-08',
      ProductArn: `arn:aws:securityhub:us-east-1:${MGMT}:product/${MGMT}/default`,
      AwsAccountId: MGMT,
      CreatedAt: findings.run.startedAt,
      UpdatedAt: findings.run.finishedAt,
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
    });
    expect(f.Severity.Label).to.equal('MEDIUM');
    expect(f.Resources).to.deep.equal([{ Type: 'AwsCloudTrailTrail', Id: TRAIL_ARN, Partition: 'aws', Region: 'us-east-1' }]);
    expect(f.Types[0]).to.equal('Software and Configuration Checks/AWS Security Best Practices');
    expect(f.Compliance?.Status).to.equal('FAILED');
    expect(f.Remediation?.Recommendation.Text).to.be.a('string').and.not.equal('');
  });

  it('maps statuses to Compliance.Status and framework mappings to RelatedRequirements', () => {
    expect(byCheck('trail.s3-data-events').Compliance?.Status).to.equal('WARNING');
    expect(byCheck('trail.management-events').Compliance).to.deep.include({ Status: 'NOT_AVAILABLE', RelatedRequirements: ['cis-aws-3.0 3.1'] });
    const waived = byCheck('bucket.versioning-mfa-delete');
    expect(waived.Compliance?.Status).to.equal('FAILED');
    expect(waived.Workflow.Status).to.equal('SUPPRESSED');
    expect(waived.Note?.Text).to.contain('MFA delete cannot be enabled by automation');
    expect(waived.Resources[0]).to.deep.include({ Type: 'AwsS3Bucket', Id: LOG_BUCKET });
    expect(waived.AwsAccountId).to.equal(LOGS);
  });

  it('gives the same check on the same resource the same Id on every run, and different resources different Ids', () => {
    const later = fixtureFindings();
    later.run.id = 'another-run';
    later.run.startedAt = '2027-03-01T00:00:00Z';
    later.run.finishedAt = '2027-03-01T00:05:00Z';
    const again = asffFindings(later);
    expect(again.map((f) => f.Id)).to.deep.equal(asff.map((f) => f.Id));
    expect(again[0]?.UpdatedAt).to.equal('2027-03-01T00:05:00Z');
    expect(new Set(asff.map((f) => f.Id)).size).to.equal(asff.length);
    for (const f of asff) expect(f.Id).to.match(/^trailproof\/[\w.:/-]+\/[0-9a-f]{40}$/);
  });

  it('renders the same findings file to the same bytes', () => {
    expect(renderAsff(fixtureFindings())).to.equal(renderAsff(fixtureFindings()));
  });

  it('sends passing results as archived and PASSED when asked for resolved findings, so they close', () => {
    const all = asffFindings(findings, { resolved: true });
    expect(all).to.have.length(findings.results.length + findings.detections.length);
    const passed = byCheck('trail.multi-region', all);
    expect(passed).to.deep.include({ RecordState: 'ARCHIVED', Workflow: { Status: 'RESOLVED' } });
    expect(passed.Compliance?.Status).to.equal('PASSED');
    // A global result is filed in us-east-1 (in the run's scope).
    expect(passed.ProductArn).to.equal(`arn:aws:securityhub:us-east-1:${MGMT}:product/${MGMT}/default`);
  });

  it('files a detection in its account and region with the touched resource, the rule id as generator', () => {
    const d = byCheck('s3-bucket-deleted');
    expect(d).to.deep.include({ AwsAccountId: PROD, Types: ['Unusual Behaviors/User'], FirstObservedAt: '2026-09-14T03:32:07Z' });
    expect(d.Severity.Label).to.equal('HIGH');
    expect(d.Resources[0]?.Region).to.equal('us-east-1');
  });

  it('keeps Title and Description within Security Hub bounds', () => {
    const long = fixtureFindings();
    const first = long.results.find((r) => r.status === 'FAIL');
    if (first) first.message = 'x'.repeat(5000);
    for (const f of asffFindings(long)) {
      expect(f.Description.length).to.be.at.most(ASFF_DESCRIPTION_MAX);
      expect(f.Title.length).to.be.at.most(256);
    }
  });
});
