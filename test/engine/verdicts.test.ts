// Verdict semantics for auditors (issue 19 items 2 and 5): NOT_TESTED apart from NOT_APPLICABLE and its gate,
// info-level failures as observations, requirements aggregated by their declared meaning, stable result ids,
// test procedures, preparer and collecting identity, waiver approval and management responses.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { applyResponses, loadResponses } from '../../src/config/responses.js';
import { planAudit, runAudit } from '../../src/engine/audit.js';
import { defineCheck } from '../../src/engine/check.js';
import { frameworkView, type Framework } from '../../src/engine/frameworks.js';
import { gateExitCode, runOutcome } from '../../src/engine/gate.js';
import { apiCallOf } from '../../src/engine/procedure.js';
import { CheckRegistry } from '../../src/engine/registry.js';
import { assignResultIds, resultId } from '../../src/engine/result-id.js';
import { Bundle } from '../../src/evidence/bundle.js';
import type { Result, Status } from '../../src/model/types.js';
import { BundleBuilder } from '../../fixtures/bundle-builder.js';

const base = {
  scope: 'trail' as const,
  description: 'A check written for the verdict tests.',
  rationale: 'Auditors read verdicts by meaning.',
  remediation: { text: 'Fix it.' },
  defaultOptions: {},
  schema: { type: 'object', properties: {}, additionalProperties: false },
};

/** One result per account: the status the test asks for, with evidence in the account's DescribeTrails. */
function fixed(id: string, severity: 'high' | 'info', statusOf: (account: string) => Exclude<Status, 'WAIVED'>) {
  return defineCheck({
    meta: { ...base, id, title: 'Trails are fine', severity, messages: { m: 'Trail of {{a}}.' } },
    run(estate, ctx) {
      return estate.accounts.map((a) => ctx.result(statusOf(a.id), {
        account: a.id, region: 'us-east-1', resource: `arn:aws:cloudtrail:us-east-1:${a.id}:trail/t`, messageId: 'm', data: { a: a.id },
        evidence: [{ file: `accounts/${a.id}/us-east-1/cloudtrail/GetTrailStatus/t.json`, sha256: '0'.repeat(64), pointer: '/IsLogging' }],
      }));
    },
  });
}

function audit(checks: ReturnType<typeof fixed>[], config = {}, request = {}) {
  const registry = new CheckRegistry();
  for (const check of checks) registry.add({ check, origin: 'built-in' });
  const bundle = Bundle.open(new BundleBuilder({ accounts: ['111111111111', '222222222222'] }).writeTemp());
  return runAudit(bundle, planAudit(registry, [], config), { source: 'bundle', failOn: 'high', ...request });
}

function result(checkId: string, status: Status, resource: string): Result {
  return { id: resultId(checkId, '111111111111', 'us-east-1', resource), checkId, title: 't', severity: 'high', status, account: '111111111111', region: 'us-east-1', resource, message: 'm', evidence: [], frameworks: {} };
}

describe('verdicts by meaning', () => {
  describe('NOT_TESTED', () => {
    it('is its own status in the summary, apart from NOT_APPLICABLE', () => {
      const findings = audit([fixed('test.digests', 'high', (a) => (a.startsWith('1') ? 'NOT_TESTED' : 'NOT_APPLICABLE'))]);
      expect(findings.summary.NOT_TESTED).to.equal(1);
      expect(findings.summary.NOT_APPLICABLE).to.equal(1);
    });

    it('leaves the run not decided (exit 3) at or above --fail-on, a FAIL still winning, and says why', () => {
      const untested = audit([fixed('test.digests', 'high', () => 'NOT_TESTED')]);
      expect(gateExitCode(untested, 'high')).to.equal(3);
      expect(runOutcome(untested, 'high').reason).to.equal('2 results at or above high not tested because the evidence was not collected (NOT_TESTED)');
      expect(gateExitCode(untested, 'critical')).to.equal(0);
      const failing = audit([fixed('test.digests', 'high', (a) => (a.startsWith('1') ? 'NOT_TESTED' : 'FAIL'))]);
      expect(gateExitCode(failing, 'high')).to.equal(1);
    });
  });

  describe('observations', () => {
    it('counts a FAIL at severity info as an observation, never in FAIL, and the counts still add up', () => {
      const findings = audit([fixed('test.cost', 'info', () => 'FAIL'), fixed('test.trail', 'high', (a) => (a.startsWith('1') ? 'PASS' : 'FAIL'))]);
      expect(findings.summary.FAIL).to.equal(1);
      expect(findings.summary.observations).to.equal(2);
      expect(findings.results.filter((r) => r.observation === true).map((r) => r.checkId)).to.deep.equal(['test.cost', 'test.cost']);
      const counted = findings.summary.PASS + findings.summary.FAIL + findings.summary.observations;
      expect(counted).to.equal(findings.results.length);
    });
  });

  describe('requirement aggregation', () => {
    const fw = (aggregate?: Framework['requirements'][number]['aggregate']): Framework => ({
      id: 'fw', title: 'fw', version: '1', url: 'https://example.com',
      requirements: [{ id: 'R', title: 'At least one trail is logging', checks: ['trail.logging-active', 'trail.multi-region'], ...(aggregate === undefined ? {} : { aggregate }) }],
    });
    const results = [
      result('trail.logging-active', 'PASS', 'arn:org-trail'),
      result('trail.logging-active', 'FAIL', 'arn:legacy-trail'),
      result('trail.multi-region', 'PASS', 'AWS::::Account:111111111111'),
    ];

    it('keeps worst-status-wins by default: a stopped redundant trail fails the requirement', () => {
      expect(frameworkView(fw(), results).requirements[0]?.status).to.equal('FAIL');
    });

    it('meets an "any" check with one passing subject; the stopped trail stays its own FAIL, named in the note', () => {
      const req = frameworkView(fw({ 'trail.logging-active': 'any' }), results).requirements[0];
      expect(req?.status).to.equal('PASS');
      expect(req?.checkStatus).to.deep.equal({ 'trail.logging-active': 'PASS', 'trail.multi-region': 'PASS' });
      expect(req?.counts).to.deep.equal({ PASS: 2, FAIL: 1 });
      expect(req?.note).to.equal('1 result of trail.logging-active that did not pass does not decide it: 1 passing subject meets it (aggregate "any").');
    });

    it('fails an "any" check when no subject passes, and an "all" check beside it still decides', () => {
      const stopped = [result('trail.logging-active', 'FAIL', 'arn:a'), result('trail.multi-region', 'PASS', 'x')];
      expect(frameworkView(fw('any'), stopped).requirements[0]?.status).to.equal('FAIL');
      const uncovered = [result('trail.logging-active', 'PASS', 'arn:a'), result('trail.multi-region', 'FAIL', 'x')];
      expect(frameworkView(fw({ 'trail.logging-active': 'any' }), uncovered).requirements[0]?.status).to.equal('FAIL');
    });

    it('ranks NOT_TESTED below ERROR and above MANUAL', () => {
      const mixed = [result('trail.logging-active', 'NOT_TESTED', 'a'), result('trail.multi-region', 'MANUAL', 'b')];
      expect(frameworkView(fw(), mixed).requirements[0]?.status).to.equal('NOT_TESTED');
    });
  });

  describe('working-paper fields', () => {
    it('gives every result a stable id from check, account, region and resource, numbering repeats', () => {
      expect(resultId('trail.logging-active', '111111111111', 'us-east-1', 'arn:x')).to.match(/^TP-[0-9a-f]{12}$/);
      expect(resultId('trail.logging-active', '111111111111', 'us-east-1', 'arn:x')).to.equal(resultId('trail.logging-active', '111111111111', 'us-east-1', 'arn:x'));
      expect(resultId('trail.logging-active', '111111111111', 'us-east-1', 'arn:x')).to.not.equal(resultId('trail.logging-active', '111111111111', 'us-east-2', 'arn:x'));
      const { id: _id, ...r } = result('c.d', 'FAIL', 'arn:x');
      const ids = assignResultIds([r, { ...r, message: 'other' }]).map((x) => x.id);
      expect(ids[1]).to.equal(`${ids[0] ?? ''}-2`);
      const a = audit([fixed('test.trail', 'high', () => 'FAIL')]);
      const b = audit([fixed('test.trail', 'high', () => 'PASS')]);
      expect(a.results.map((x) => x.id)).to.deep.equal(b.results.map((x) => x.id));
    });

    it('records the preparer and the identity that collected the evidence', () => {
      const findings = audit([fixed('test.trail', 'high', () => 'PASS')], { report: { preparedBy: 'config person' } }, { preparedBy: 'Ada Auditor' });
      expect(findings.run.preparedBy).to.equal('Ada Auditor');
      expect(findings.run.collectedBy?.arn).to.be.a('string').and.match(/^arn:aws:/);
      expect(audit([fixed('test.trail', 'high', () => 'PASS')], { report: { preparedBy: 'config person' } }).run.preparedBy).to.equal('config person');
    });

    it('carries the waiver approver and approval date on WAIVED results', () => {
      const waivers = [{ check: 'test.trail', resource: '*', reason: 'accepted until the migration', owner: 'sec', expires: '2099-01-01', approvedBy: 'CISO', approvedOn: '2026-08-01' }];
      const findings = audit([fixed('test.trail', 'high', () => 'FAIL')], { waivers });
      expect(findings.results.map((r) => r.waiver)).to.deep.equal([1, 2].map(() => ({ reason: 'accepted until the migration', owner: 'sec', expires: '2099-01-01', approvedBy: 'CISO', approvedOn: '2026-08-01', originalStatus: 'FAIL' })));
      expect(findings.waivers[0]).to.include({ approvedBy: 'CISO', approvedOn: '2026-08-01', matched: 2 });
    });

    it('fills owner, response and due date from the responses (by result id first) and lists those that match nothing', () => {
      const plain = audit([fixed('test.trail', 'high', () => 'FAIL')]);
      const first = plain.results[0] as Result;
      const responses = [
        { result: first.id, owner: 'alice', response: 'Fix by moving to the org trail', dueDate: '2026-12-31' },
        { check: 'test.trail', resource: 'arn:aws:cloudtrail:*', owner: 'bob', response: 'Accepted' },
        { check: 'test.other', resource: '*', owner: 'carol', response: 'Stale' },
      ];
      const findings = audit([fixed('test.trail', 'high', () => 'FAIL')], { responses });
      expect(findings.results.map((r) => r.response)).to.deep.equal([
        { owner: 'alice', response: 'Fix by moving to the org trail', dueDate: '2026-12-31' },
        { owner: 'bob', response: 'Accepted' },
      ]);
      expect(findings.unmatchedResponses).to.deep.equal([responses[2]]);
      expect(applyResponses([result('c.d', 'PASS', 'x')], [{ check: 'c.d', resource: '*', owner: 'o', response: 'r' }]).results[0]?.response).to.equal(undefined);
    });

    it('reads a --responses FILE (a list or an object with responses:) and names what is wrong with a bad one', () => {
      const dir = new BundleBuilder({ accounts: ['111111111111'] }).writeTemp();
      writeFileSync(join(dir, 'responses.yml'), '- check: trail.logging-active\n  resource: "*"\n  owner: ops\n  response: Restart it\n  dueDate: 2026-10-31\n');
      expect(loadResponses(join(dir, 'responses.yml'))).to.deep.equal([{ check: 'trail.logging-active', resource: '*', owner: 'ops', response: 'Restart it', dueDate: '2026-10-31' }]);
      writeFileSync(join(dir, 'bad.yml'), 'responses:\n  - owner: ops\n    response: no subject\n');
      expect(() => loadResponses(join(dir, 'bad.yml'))).to.throw(/--responses .*bad\.yml: .*responses\.0/);
      writeFileSync(join(dir, 'other.yml'), 'waivers: []\n');
      expect(() => loadResponses(join(dir, 'other.yml'))).to.throw(/must be a list of responses/);
    });

    it('generates each check\'s test procedure: API calls from its evidence, criterion and population', () => {
      const findings = audit([fixed('test.trail', 'high', () => 'PASS')]);
      expect(findings.checks).to.deep.equal([{
        id: 'test.trail', title: 'Trails are fine', severity: 'high', scope: 'trail',
        procedure: { apiCalls: ['cloudtrail:GetTrailStatus'], criterion: 'Passes when trails are fine. A check written for the verdict tests.', population: 'every trail the collected evidence shows: 2 trails in 2 accounts' },
      }]);
      expect(apiCallOf('accounts/1/us-east-1/s3/my-bucket/GetBucketPolicy.json')).to.equal('s3:GetBucketPolicy');
      expect(apiCallOf('accounts/1/us-east-1/cloudtrail/DescribeTrails.json')).to.equal('cloudtrail:DescribeTrails');
      expect(apiCallOf('logs/AWSLogs/1/CloudTrail-Digest/us-east-1/2026/09/13/x.json.gz')).to.equal('s3:GetObject (CloudTrail digest files)');
      expect(apiCallOf('manifest.json')).to.equal(undefined);
    });
  });
});
