import { expect } from 'chai';
import { renderReportHtml } from '../../src/report/html.js';
import { buildReportView } from '../../src/report/model.js';
import { fixtureFindings, writeFixtureBundle } from './fixtures.js';

describe('report view model', () => {
  const bundle = writeFixtureBundle();
  const findings = fixtureFindings(bundle);
  const view = buildReportView(findings, { bundleDir: bundle.dir });

  it('says "not compliant" when a failure or a detection is at or above the gate, and why', () => {
    expect(view.verdict).to.deep.equal({ level: 'fail', headline: 'Not compliant', detail: '1 failing result and 2 risky events at or above high severity.', exitCode: 1, outcome: 'failed', gate: 'Gate --fail-on high -> exit 1 (failed)' });
    const below = fixtureFindings();
    below.detections = [];
    below.results = below.results.filter((r) => r.checkId !== 'bucket.secure-transport');
    // An ERROR at or above the gate is left: the run exits 3, and the report says it decided nothing.
    expect(buildReportView(below).verdict).to.include({ level: 'fail', headline: 'Not decided', exitCode: 3, outcome: 'not decided' });
    below.run.failOn = 'critical';
    expect(buildReportView(below).verdict).to.include({ level: 'attention', headline: 'Needs attention', exitCode: 0 });
  });

  it('repeats the findings file counts rather than recounting them', () => {
    const byStatus = Object.entries(findings.summary).filter(([k]) => k !== 'detections' && k !== 'observations');
    // Observations (FAIL at severity info) follow FAIL, so the counts add up to the results.
    byStatus.splice(byStatus.findIndex(([k]) => k === 'FAIL') + 1, 0, ['OBSERVATION', findings.summary.observations]);
    expect(view.counts.statuses.map((s) => [s.status, s.count])).to.deep.equal(byStatus);
    expect(view.counts.statuses.reduce((sum, s) => sum + s.count, 0)).to.equal(view.counts.total);
    expect(view.counts.detections).to.equal(3);
  });

  it('groups results that need attention by check, most severe first, with evidence excerpts', () => {
    expect(view.attention.groups.map((g) => `${g.status} ${g.checkId}`)).to.deep.equal(['FAIL bucket.secure-transport', 'FAIL trail.log-file-validation', 'ERROR trail.management-events', 'MANUAL trail.s3-data-events']);
    const validation = view.attention.groups[1]?.items[0];
    expect(validation?.evidence[0]?.lines.some((l) => l.mark && l.text.includes('"LogFileValidationEnabled": false'))).to.equal(true);
  });

  it('puts the risky events on a timeline by day with who, what, from where and the result', () => {
    expect(view.detections.days.map((d) => d.day)).to.deep.equal(['2026-08-02', '2026-09-13', '2026-09-14']);
    const winter = view.detections.days[2]?.items[0];
    expect(winter).to.deep.include({ actorShort: 'Winter', actorType: 'IAMUser', action: 's3:DeleteBucket', target: 'example-prod-customer-data', sourceIp: '192.0.2.55', result: 'Succeeded' });
    expect(view.detections.days[1]?.items[0]?.span).to.equal('7 events from 13 Sep 2026 22:04:02 UTC to 13 Sep 2026 22:10:41 UTC');
  });

  it('puts serious detections on the summary page even when the findings hold no event context for them', () => {
    expect(view.incidents).to.deep.equal([]);
    expect(view.briefing.items.map((i) => `${i.severity} ${i.kind} ${i.headline}`)).to.deep.equal([
      'high incident Root user used: root ran GetAccountSummary, 2 Aug 2026 09:15:00 UTC (it succeeded)',
      'high incident S3 bucket deleted: Winter ran DeleteBucket on example-prod-customer-data, 14 Sep 2026 03:32:07 UTC (it succeeded)',
      'high failure Trail log buckets refuse requests without TLS: not met for 1 resource',
    ]);
    expect(view.briefing.items[1]?.detail).to.equal('Rule s3-bucket-deleted, from 192.0.2.55 in 444444444444 · us-east-1; the findings hold no event context for it.');
    expect(view.briefing.counts[1]).to.equal("1 result needs a person's judgement; 1 result the evidence could not decide (never counted as passes).");
    // Custom templates written before the briefing still find topRisks: the same items, one line each.
    expect(view.topRisks.map((r) => r.text)).to.deep.equal(view.briefing.items.map((i) => `${i.headline}. ${i.detail}`));
  });

  it('names the accounts from the organization, and the member that was not collected', () => {
    expect(view.organization).to.equal('AWS organization o-exampleorg1');
    expect(view.scope.accounts.map((a) => a.name)).to.deep.equal(['Management', 'Log Archive', 'Production']);
    expect(view.scope.notCollected.map((g) => g.what)).to.include('account 555555555555 (Sandbox)');
  });

  it('names the organization the findings record, with or without the bundle; the bundle\'s only for findings written before', () => {
    const recorded = fixtureFindings(bundle);
    recorded.run.organization = { id: 'o-recorded001', managementAccount: '111111111111' };
    expect(buildReportView(recorded).organization).to.equal('AWS organization o-recorded001');
    expect(buildReportView(recorded, { bundleDir: bundle.dir }).organization).to.equal('AWS organization o-recorded001');
    // Findings written before run.organization: the bundle's DescribeOrganization, else the accounts.
    expect(findings.run.organization).to.equal(undefined);
    expect(buildReportView(findings).organization).to.equal('AWS accounts 111111111111, 222222222222, 444444444444');
    // The audit found none in the evidence: the accounts, as the findings say.
    const none = fixtureFindings(bundle);
    none.run.organization = null;
    expect(buildReportView(none, { bundleDir: bundle.dir }).organization).to.equal('AWS accounts 111111111111, 222222222222, 444444444444');
  });

  it('lists every bundle file with its SHA-256 when the bundle is the audited one, cited files only otherwise', () => {
    expect(view.appendix.files.length).to.equal(6);
    expect(view.appendix.files.filter((f) => f.cited).length).to.equal(4);
    const warnings: string[] = [];
    const other = fixtureFindings(bundle);
    other.run.bundle = { ...(other.run.bundle as NonNullable<typeof other.run.bundle>), manifestSha256: '0'.repeat(64) };
    const v = buildReportView(other, { bundleDir: bundle.dir, warn: (m) => warnings.push(m) });
    expect(v.appendix.files.every((f) => f.cited)).to.equal(true);
    expect(v.appendix.filesNote).to.contain('is not the one the audit read');
    expect(warnings.join('\n')).to.contain('is not the one the audit read');
  });

  it('lists the period\'s days without logs among the days with detections, one row per run, from eventContext.logDays', () => {
    const withLogs = fixtureFindings();
    (withLogs as { eventContext?: unknown }).eventContext = {
      bounds: { windowMinutes: 15, eventsPerSide: 10, detectionsMax: 20, filesMax: 50 },
      detections: [],
      logDays: ['2026-08-02', '2026-09-13', '2026-09-14'].map((day) => ({ day, files: 1 })),
    };
    const days = buildReportView(withLogs).detections;
    expect(days.days.map((d) => (d.notExaminedDays > 0 ? `${d.dayText}: ${d.notExaminedDays} not examined` : `${d.dayText}: ${d.items.length}`))).to.deep.equal([
      '1 Jul 2026 to 1 Aug 2026: 32 not examined',
      '2 Aug 2026: 1',
      '3 Aug 2026 to 12 Sep 2026: 41 not examined',
      '13 Sep 2026: 1',
      '14 Sep 2026: 1',
      '15 Sep 2026 to 30 Sep 2026: 16 not examined',
    ]);
    expect(days.notExamined).to.equal('1 Jul 2026 to 1 Aug 2026, 3 Aug 2026 to 12 Sep 2026, 15 Sep 2026 to 30 Sep 2026');
    withLogs.detections = [];
    const quiet = renderReportHtml(withLogs).html;
    expect(quiet).to.contain('No risky event was detected on the days examined; not examined (no logs in the evidence): 1 Jul 2026 to 1 Aug 2026, 3 Aug 2026');
  });

  it('lists no not-examined days when the findings do not record which days the logs cover', () => {
    expect(view.detections.days.every((d) => d.notExaminedDays === 0)).to.equal(true);
    expect(view.detections.notExamined).to.equal('');
  });
});
