// `collect --accounts` narrows what is judged, not the evidence the judgement needs: the organization trails
// that record the named accounts are still read where they live (the management account's listing, the trail's
// status and selectors, its bucket in the log archive account, its key), each read listed in the manifest's
// collection.extra with why; the narrowed audit then gives the full audit's verdicts for the named account.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_GATE_CHECKS } from '../../src/cli/commands/gate.js';
import type { ExtraEvidence } from '../../src/collect/index.js';
import type { Findings } from '../../src/model/types.js';
import { FakeAws, callerCredentials } from '../../fixtures/fake-aws.js';
import { DEV, LOG, MGMT, ORG_KEY_ARN, auditBundle, collectFake, orgEstate } from '../../fixtures/estates.js';

function manifest(dir: string): { scope: { accounts: string[] }; collection: { extra?: ExtraEvidence[]; notCollected: { kind: string; id: string; reason: string }[] } } {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ReturnType<typeof manifest>;
}

function gateVerdicts(findings: Findings, account: string): string[] {
  return findings.results
    .filter((r) => r.account === account && (DEFAULT_GATE_CHECKS as readonly string[]).includes(r.checkId))
    .map((r) => `${r.checkId} ${r.status} ${r.resource} ${r.message}`);
}

describe('collect --accounts: the organization trails that decide the named accounts', () => {
  let fake: FakeAws | undefined;
  afterEach(() => fake?.restore());

  it('reads the organization trail, its bucket and its key outside the scope, and lists each read in collection.extra', async () => {
    fake = new FakeAws(orgEstate()).install();
    const narrowed = await collectFake(fake, { accounts: [DEV] });
    const m = manifest(narrowed.dir);
    expect(m.scope.accounts).to.deep.equal([DEV]);
    const extra = (m.collection.extra ?? []).map((e) => `${e.account} ${e.region} ${e.what.split(':')[0] ?? ''}`);
    expect(extra).to.deep.equal([
      `${MGMT} eu-west-1 cloudtrail`,
      `${MGMT} us-east-1 cloudtrail`,
      `${MGMT} us-east-1 trail org-trail`,
      `${LOG} eu-west-1 bucket org-cloudtrail-logs`,
      `${LOG} us-east-1 key arn`,
    ]);
    expect(m.collection.extra?.find((e) => e.account === LOG && e.what.startsWith('key'))?.what).to.equal(`key ${ORG_KEY_ARN}: kms:DescribeKey, GetKeyRotationStatus, GetKeyPolicy`);
    expect(m.collection.extra?.every((e) => e.why.length > 20)).to.equal(true);
    const status = JSON.parse(readFileSync(join(narrowed.dir, `accounts/${MGMT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json`), 'utf8')) as { IsLogging: boolean };
    expect(status.IsLogging).to.equal(true);
  });

  it('gives the full collection\'s verdicts for the named account, and writes no collection.extra without --accounts', async () => {
    fake = new FakeAws(orgEstate()).install();
    const full = await collectFake(fake);
    expect(manifest(full.dir).collection.extra).to.equal(undefined);
    const narrowed = await collectFake(fake, { accounts: [DEV] });
    const [fullFindings, narrowedFindings] = [await auditBundle(full.dir), await auditBundle(narrowed.dir)];
    expect(gateVerdicts(narrowedFindings, DEV)).to.deep.equal(gateVerdicts(fullFindings, DEV));
    expect(narrowedFindings.results.find((r) => r.checkId === 'trail.org-coverage' && r.account === DEV)?.status).to.equal('PASS');
    // The organization trail and its bucket are judged too, as the gate reports them.
    const about = (resource: string): string[] => narrowedFindings.results.filter((r) => r.resource === resource).map((r) => `${r.checkId} ${r.status}`).sort();
    expect(about('arn:aws:s3:::org-cloudtrail-logs')).to.include('bucket.not-public PASS');
  });

  it('lists the organization trails through the caller (a delegated administrator) when the management account cannot be reached', async () => {
    fake = new FakeAws(orgEstate({ caller: LOG, unassumable: [MGMT] })).install();
    const narrowed = await collectFake(fake, { accounts: [DEV], credentials: callerCredentials(LOG) });
    const m = manifest(narrowed.dir);
    const management = m.collection.notCollected.find((n) => n.kind === 'account' && n.id === MGMT);
    expect(management?.reason).to.match(/^organization trails not read there: cannot assume arn:aws:iam::111111111111:role\/TrailproofAudit: AccessDenied: .*; listed through the caller 222222222222 instead$/);
    expect((m.collection.extra ?? []).filter((e) => e.account === LOG && e.what === 'cloudtrail:DescribeTrails').map((e) => e.region).sort()).to.deep.equal(['eu-west-1', 'us-east-1']);
    const findings = await auditBundle(narrowed.dir);
    const result = (checkId: string): { status: string; message: string } | undefined => findings.results.find((r) => r.checkId === checkId && r.account === DEV);
    expect(result('trail.multi-region')?.status).to.equal('PASS');
    expect(result('trail.multi-region')?.message).to.include('org-trail');
    // The fake lets only the management account list the organization's service access: that, not the trail, is undecided.
    expect(result('trail.org-coverage')?.message).to.match(/^Account 333333333333: CloudTrail trusted access could not be checked: /);
  });
});
