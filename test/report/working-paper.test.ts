import { expect } from 'chai';
import { renderReportHtml } from '../../src/report/html.js';
import { buildReportView } from '../../src/report/model.js';
import type { Findings } from '../../src/model/types.js';
import { fixtureFindings, writeFixtureBundle } from './fixtures.js';

// A hand-made findings file carrying the working-paper fields the findings assembly adds (result ids, test
// procedures, responses, waiver approvals, preparer and collecting identity): the report shows each of them.
function withWorkingPaper(findings: Findings): Findings {
  findings.run.preparedBy = 'Dana Auditor (internal audit)';
  findings.run.collectedBy = { account: '111111111111', arn: 'arn:aws:sts::111111111111:assumed-role/TrailproofAuditRole/collector', userId: 'AROAEXAMPLE:collector' };
  findings.checks = [...new Set(findings.results.map((r) => r.checkId))].sort().map((id) => ({ id, title: id, severity: 'high', scope: 'trail', procedure: { apiCalls: ['cloudtrail:DescribeTrails'], criterion: `the setting ${id} checks is on.`, population: 'every trail' } }));
  for (const [i, r] of findings.results.entries()) {
    r.id = `TP-${String(i + 1).padStart(4, '0')}`;
    if (r.status === 'FAIL') r.response = { owner: 'Platform team', response: 'Fix scheduled in change CHG-42.', dueDate: '2026-11-30' };
  }
  findings.waivers = [{ checkId: 'trail.insights', resource: '*', reason: 'Cost', owner: 'cfo@example.com', expires: '2027-01-01', expired: false, matched: 0, approvedBy: 'CISO', approvedOn: '2026-06-01' } as Findings['waivers'][number]];
  return findings;
}

describe('working-paper fields in the report', () => {
  const bundle = writeFixtureBundle();
  const findings = withWorkingPaper(fixtureFindings(bundle));
  const view = buildReportView(findings, { bundleDir: bundle.dir });

  it('names who prepared the report and which identity collected the evidence', () => {
    expect(view.workingPaper).to.deep.equal({ preparedBy: 'Dana Auditor (internal audit)', collectedBy: 'arn:aws:sts::111111111111:assumed-role/TrailproofAuditRole/collector' });
  });

  it('gives each row its result ids, each check its test procedure and each failure its owner, response and due date', () => {
    const failing = view.attention.groups.find((g) => g.status === 'FAIL');
    expect(failing?.procedure).to.match(/^Read cloudtrail:DescribeTrails\. Pass when: the setting .* checks is on\. Population: every trail\.$/);
    expect(failing?.items[0]?.ids[0]).to.match(/^TP-\d{4}$/);
    expect(failing?.items[0]?.response).to.deep.equal({ owner: 'Platform team', text: 'Fix scheduled in change CHG-42.', due: '2026-11-30' });
  });

  it('prints them all in the HTML, with the waiver approver and approval date', () => {
    const { html } = renderReportHtml(findings, { bundleDir: bundle.dir });
    for (const text of ['Prepared by', 'Dana Auditor (internal audit)', 'Evidence collected by', 'Test procedure:', 'Platform team, due 2026-11-30', 'Fix scheduled in change CHG-42.', 'approved by CISO on 2026-06-01']) expect(html, text).to.contain(text);
    for (const r of findings.results.filter((x) => ['FAIL', 'ERROR', 'MANUAL'].includes(x.status))) expect(html).to.contain((r as typeof r & { id: string }).id);
  });

  it('shows none of them when the findings do not carry them', () => {
    const plain = buildReportView(fixtureFindings(bundle), { bundleDir: bundle.dir });
    expect(plain.workingPaper).to.deep.equal({ preparedBy: null, collectedBy: null });
    expect(plain.attention.groups.every((g) => g.procedure === null && g.items.every((i) => i.response === null))).to.equal(true);
  });

  it('labels a NOT_TESTED status (evidence not collected) as "Not tested", apart from not applicable', () => {
    const nt = fixtureFindings(bundle);
    const first = nt.results[0];
    if (first === undefined) throw new Error('fixture has no result');
    (first as { status: string }).status = 'NOT_TESTED';
    const { html } = renderReportHtml(nt, { bundleDir: bundle.dir });
    expect(html).to.contain('<span class="badge badge-not-tested">Not tested</span>');
  });
});
