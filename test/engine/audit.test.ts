import { expect } from 'chai';
import { Bundle } from '../../src/evidence/bundle.js';
import { defineCheck } from '../../src/engine/check.js';
import { planAudit, runAudit } from '../../src/engine/audit.js';
import type { Framework } from '../../src/engine/frameworks.js';
import { gateExitCode } from '../../src/engine/gate.js';
import { CheckRegistry } from '../../src/engine/registry.js';
import { BundleBuilder } from '../../fixtures/bundle-builder.js';
import type { Findings } from '../../src/model/types.js';
import { compileSchema, loadSchema } from '../../src/schema.js';

const validateFindings = compileSchema<Findings>(loadSchema('findings.schema.json'));

const base = {
  scope: 'account' as const,
  description: 'A check written for the engine tests.',
  rationale: 'The engine must treat every check alike.',
  remediation: { text: 'Fix it.', cli: 'aws fix' },
};

const perAccount = defineCheck({
  meta: {
    ...base,
    id: 'test.per-account',
    title: 'Accounts are fine',
    severity: 'high',
    defaultOptions: { threshold: 2 },
    schema: { type: 'object', properties: { threshold: { type: 'integer', minimum: 1, default: 2 } }, additionalProperties: false },
    messages: { ok: 'Account {{id}} is fine (threshold {{t}}).', bad: 'Account {{id}} is not fine (threshold {{t}}).' },
  },
  run(estate, ctx) {
    return estate.accounts.map((a) =>
      ctx.result(a.id.startsWith('1') ? 'PASS' : 'FAIL', { account: a.id, region: 'global', resource: `AWS::::Account:${a.id}`, messageId: a.id.startsWith('1') ? 'ok' : 'bad', data: { id: a.id, t: ctx.options.threshold } }),
    );
  },
});

const throwing = defineCheck({
  meta: { ...base, id: 'test.throws', title: 'Throws', severity: 'medium', defaultOptions: {}, schema: { type: 'object', properties: {}, additionalProperties: false }, messages: { x: 'x' } },
  run() {
    throw new Error('boom: cannot read property of undefined');
  },
});

const framework: Framework = {
  id: 'test-fw',
  title: 'Test framework',
  version: '1',
  url: 'https://example.com',
  requirements: [
    { id: 'R1', title: 'Accounts are fine', checks: ['test.per-account'] },
    { id: 'R2', title: 'Not assessed', checks: [] },
  ],
};

function setup(): { registry: CheckRegistry; bundle: Bundle } {
  const registry = new CheckRegistry();
  registry.add({ check: perAccount, origin: 'built-in' });
  registry.add({ check: throwing, origin: 'built-in' });
  const bundle = Bundle.open(new BundleBuilder({ accounts: ['222222222222', '111111111111'] }).writeTemp());
  return { registry, bundle };
}

describe('audit runner', () => {
  it('turns a check that throws into one ERROR result naming the check, and still runs the others', () => {
    const { registry, bundle } = setup();
    const findings = runAudit(bundle, planAudit(registry, [framework], {}), { source: 'bundle', failOn: 'high' });
    const errors = findings.results.filter((r) => r.status === 'ERROR');
    expect(errors).to.have.length(1);
    expect(errors[0]?.checkId).to.equal('test.throws');
    expect(errors[0]?.message).to.equal('check test.throws failed: boom: cannot read property of undefined');
    expect(findings.results.filter((r) => r.checkId === 'test.per-account')).to.have.length(2);
  });

  it('stamps title, severity, frameworks and remediation, and sorts by account, region, check, resource', () => {
    const { registry, bundle } = setup();
    const findings = runAudit(bundle, planAudit(registry, [framework], {}), { source: 'bundle', failOn: 'high' });
    expect(findings.results.map((r) => [r.account, r.checkId])).to.deep.equal([
      ['111111111111', 'test.per-account'],
      ['222222222222', 'test.per-account'],
      // A crash is reported against the account the evidence was collected with.
      ['222222222222', 'test.throws'],
    ]);
    const failed = findings.results.find((r) => r.status === 'FAIL');
    expect(failed).to.deep.include({ title: 'Accounts are fine', severity: 'high', frameworks: { 'test-fw': ['R1'] } });
    expect(failed?.remediation).to.deep.equal({ text: 'Fix it.', cli: 'aws fix' });
    expect(failed?.message).to.equal('Account 222222222222 is not fine (threshold 2).');
    expect(findings.summary).to.deep.equal({ PASS: 1, FAIL: 1, MANUAL: 0, ERROR: 1, NOT_APPLICABLE: 0, WAIVED: 0, NOT_TESTED: 0, observations: 0, detections: 0 });
  });

  it('applies parameters and severity overrides from the config', () => {
    const { registry, bundle } = setup();
    const plan = planAudit(registry, [framework], { checks: { 'test.per-account': { threshold: 5, severity: 'low' }, 'test.throws': { enabled: false } } });
    const findings = runAudit(bundle, plan, { source: 'bundle', failOn: 'high' });
    expect(findings.results.map((r) => r.checkId)).to.not.include('test.throws');
    expect(findings.results[0]?.message).to.contain('threshold 5');
    expect(findings.results.every((r) => r.severity === 'low')).to.equal(true);
    expect(gateExitCode(findings, 'high')).to.equal(0);
    expect(gateExitCode(findings, 'low')).to.equal(1);
  });

  it('rejects a parameter that does not match the check schema, naming checks.<id>.<param>', () => {
    const { registry } = setup();
    expect(() => planAudit(registry, [framework], { checks: { 'test.per-account': { threshold: 0 } } }, { configFile: 'audit.yml' })).to.throw(
      /audit\.yml: checks\.test\.per-account\.threshold must be >= 1/,
    );
    expect(() => planAudit(registry, [framework], { checks: { 'test.per-account': { treshold: 3 } } })).to.throw(/has unknown property "treshold"/);
  });

  it('rejects unknown check ids in the config, in waivers and in --checks, suggesting the near one', () => {
    const { registry } = setup();
    expect(() => planAudit(registry, [framework], { checks: { 'test.per-acount': {} } })).to.throw(/unknown check id "test.per-acount" \(did you mean test.per-account\?\)/);
    expect(() => planAudit(registry, [framework], { waivers: [{ check: 'test.nope', resource: '*', reason: 'a real reason here', owner: 'x', expires: '2027-01-01' }] })).to.throw(/waivers\.0\.check: unknown check id/);
    expect(() => planAudit(registry, [framework], {}, { checks: ['trail.nope'] })).to.throw(/--checks: unknown check id "trail.nope"/);
  });

  it('selects checks by pattern and by framework', () => {
    const { registry } = setup();
    expect(planAudit(registry, [framework], {}, { checks: ['test.per-*'] }).checks.map((c) => c.check.meta.id)).to.deep.equal(['test.per-account']);
    const plan = planAudit(registry, [framework], {}, { framework: 'test-fw' });
    expect(plan.checks.map((c) => c.check.meta.id)).to.deep.equal(['test.per-account']);
    expect(() => planAudit(registry, [framework], {}, { framework: 'test-fx' })).to.throw(/unknown framework "test-fx" \(did you mean test-fw\?\)/);
  });

  it('waives a matching FAIL until its expiry (judged at collectedAt) and lists expired waivers without applying them', () => {
    const { registry, bundle } = setup();
    const waiver = { check: 'test.per-account', resource: 'AWS::::Account:2*', reason: 'Sandbox being decommissioned', owner: 'platform@example.com' };
    const live = runAudit(bundle, planAudit(registry, [framework], { waivers: [{ ...waiver, expires: '2026-10-01' }] }), { source: 'bundle', failOn: 'high' });
    const waived = live.results.find((r) => r.account === '222222222222' && r.checkId === 'test.per-account');
    expect(waived?.status).to.equal('WAIVED');
    expect(waived?.waiver).to.deep.equal({ reason: 'Sandbox being decommissioned', owner: 'platform@example.com', expires: '2026-10-01', originalStatus: 'FAIL' });
    expect(live.waivers).to.deep.equal([{ checkId: 'test.per-account', resource: 'AWS::::Account:2*', reason: 'Sandbox being decommissioned', owner: 'platform@example.com', expires: '2026-10-01', expired: false, matched: 1 }]);

    const expired = runAudit(bundle, planAudit(registry, [framework], { waivers: [{ ...waiver, expires: '2026-09-30' }] }), { source: 'bundle', failOn: 'high' });
    expect(expired.results.find((r) => r.account === '222222222222' && r.checkId === 'test.per-account')?.status).to.equal('FAIL');
    expect(expired.waivers[0]?.expired).to.equal(true);
  });

  it('never waives an ERROR: a gap in the evidence is not a risk to accept', () => {
    const { registry, bundle } = setup();
    const plan = planAudit(registry, [framework], { waivers: [{ check: 'test.throws', resource: '*', reason: 'We know it throws', owner: 'x', expires: '2030-01-01' }] });
    const findings = runAudit(bundle, plan, { source: 'bundle', failOn: 'high' });
    expect(findings.results.find((r) => r.checkId === 'test.throws')?.status).to.equal('ERROR');
  });

  it('reports only the accounts asked for', () => {
    const { registry, bundle } = setup();
    const findings = runAudit(bundle, planAudit(registry, [framework], {}), { source: 'bundle', failOn: 'high', accounts: ['222222222222'] });
    expect([...new Set(findings.results.map((r) => r.account))]).to.deep.equal(['222222222222']);
  });

  it('builds framework views requirement by requirement, worst status first, NOT_ASSESSED without checks', () => {
    const { registry, bundle } = setup();
    const findings = runAudit(bundle, planAudit(registry, [framework], {}), { source: 'bundle', failOn: 'high' });
    expect(findings.frameworks?.[0]?.requirements).to.deep.equal([
      { id: 'R1', title: 'Accounts are fine', checks: ['test.per-account'], status: 'FAIL', counts: { PASS: 1, FAIL: 1 }, aggregate: { 'test.per-account': 'all' }, checkStatus: { 'test.per-account': 'FAIL' } },
      { id: 'R2', title: 'Not assessed', checks: [], status: 'NOT_ASSESSED', counts: {} },
    ]);
  });

  it('exits 1 on a FAIL at or above --fail-on, 3 on an ERROR at or above it with no such FAIL, else 0', () => {
    const { registry, bundle } = setup();
    const findings = runAudit(bundle, planAudit(registry, [framework], {}), { source: 'bundle', failOn: 'high' });
    expect(gateExitCode(findings, 'high')).to.equal(1);
    expect(gateExitCode(findings, 'critical')).to.equal(0);
    const noFail = { ...findings, results: findings.results.filter((r) => r.status !== 'FAIL') };
    expect(gateExitCode(noFail, 'medium')).to.equal(3);
    expect(gateExitCode(noFail, 'high')).to.equal(0);
    expect(gateExitCode(findings, 'none')).to.equal(0);
  });

  describe('run.organization', () => {
    const MGMT = '111111111111';
    const MEMBER = '222222222222';
    const organization = { Id: 'o-a1b2c3d4e5', Arn: `arn:aws:organizations::${MGMT}:organization/o-a1b2c3d4e5`, MasterAccountId: MGMT, MasterAccountArn: `arn:aws:organizations::${MGMT}:account/o-a1b2c3d4e5/${MGMT}`, FeatureSet: 'ALL' };
    const findingsOf = (build: (b: BundleBuilder) => BundleBuilder): ReturnType<typeof runAudit> => {
      const { registry } = setup();
      const bundle = Bundle.open(build(new BundleBuilder({ accounts: [MEMBER, MGMT] })).writeTemp());
      return runAudit(bundle, planAudit(registry, [framework], {}), { source: 'bundle', failOn: 'high' });
    };
    const describeOrganization = 'organizations/DescribeOrganization.json';

    it('records the organization the evidence describes, with its management account', () => {
      const findings = findingsOf((b) => b.put(MEMBER, 'global', describeOrganization, { Organization: organization }).put(MGMT, 'global', describeOrganization, { Organization: organization }));
      expect(findings.run.organization).to.deep.equal({ id: 'o-a1b2c3d4e5', managementAccount: MGMT });
    });

    it('records it from a member account\'s DescribeOrganization when the management account is not in the evidence', () => {
      const findings = findingsOf((b) => b.put(MEMBER, 'global', describeOrganization, { Organization: organization }));
      expect(findings.run.organization).to.deep.equal({ id: 'o-a1b2c3d4e5', managementAccount: MGMT });
    });

    it('records null when DescribeOrganization was not collected', () => {
      expect(findingsOf((b) => b).run.organization).to.equal(null);
    });

    it('records null when DescribeOrganization failed (denied, or a standalone account not in an organization)', () => {
      const denied = findingsOf((b) => b.putError(MEMBER, 'global', describeOrganization, 'AccessDeniedException').putError(MGMT, 'global', describeOrganization, 'AccessDeniedException'));
      expect(denied.run.organization).to.equal(null);
      const standalone = findingsOf((b) => b.putError(MGMT, 'global', describeOrganization, 'AWSOrganizationsNotInUseException'));
      expect(standalone.run.organization).to.equal(null);
    });

    it('records null rather than an id that is not in AWS\'s form (the schema and trends match ids exactly)', () => {
      const findings = findingsOf((b) => b.put(MGMT, 'global', describeOrganization, { Organization: { ...organization, Id: 'o-<script>' } }));
      expect(findings.run.organization).to.equal(null);
      expect(validateFindings(findings), JSON.stringify(validateFindings.errors)).to.equal(true);
    });

    it('writes a findings file the findings schema accepts, with and without an organization', () => {
      for (const findings of [findingsOf((b) => b.put(MGMT, 'global', describeOrganization, { Organization: organization })), findingsOf((b) => b)]) {
        expect(validateFindings(findings), JSON.stringify(validateFindings.errors)).to.equal(true);
      }
    });
  });
});
