// Every output carries the working-paper fields and the new verdict meanings: the stable result id, the
// management response, the waiver approval, NOT_TESTED as undecided and an observation apart from failures.
import { expect } from 'chai';
import { asffFindings } from '../../src/output/asff.js';
import { renderCsv } from '../../src/output/csv.js';
import { renderJunit } from '../../src/output/junit.js';
import { renderMarkdown } from '../../src/output/markdown.js';
import { renderOcsf } from '../../src/output/ocsf.js';
import { renderSarif } from '../../src/output/sarif.js';
import { renderSummary } from '../../src/output/table.js';
import type { Findings, Result } from '../../src/model/types.js';
import { fixtureFindings } from '../report/fixtures.js';
import { parseCsv } from '../helpers/csv.js';

function findingsWithWorkingPapers(): { findings: Findings; failing: Result; untested: Result; observation: Result } {
  const findings = fixtureFindings();
  const failing = findings.results.find((r) => r.status === 'FAIL') as Result;
  failing.response = { owner: 'platform@example.com', response: 'Fixed in the October window', dueDate: '2026-10-31' };
  const untested: Result = { ...failing, id: 'TP-0000000000aa', checkId: 'trail.log-integrity', status: 'NOT_TESTED', severity: 'high', resource: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/legacy', message: 'Not tested: no digests.' };
  delete untested.response;
  delete untested.remediation;
  const observation: Result = { ...untested, id: 'TP-0000000000bb', checkId: 'cost.duplicate-management-copies', status: 'FAIL', severity: 'info', observation: true, message: 'A second copy of management events costs money.' };
  findings.results.push(untested, observation);
  findings.summary.NOT_TESTED = 1;
  findings.summary.observations = 1;
  return { findings, failing, untested, observation };
}

describe('working-paper fields in every output', () => {
  const { findings, failing, untested, observation } = findingsWithWorkingPapers();

  it('JUnit: names each test case with its result id, skips NOT_TESTED and observations, and shows the response', () => {
    const xml = renderJunit(findings);
    expect(xml).to.include(`${failing.id}" time="0">`).and.include('Response (platform@example.com, due 2026-10-31): Fixed in the October window');
    expect(xml).to.include('<skipped message="NOT_TESTED: Not tested: no digests."/>');
    expect(xml).to.include('<skipped message="OBSERVATION (info, not a failure): A second copy of management events costs money."/>');
    expect(xml).to.match(/<testsuite name="cost\.duplicate-management-copies" tests="1" failures="0" errors="0" skipped="1"/);
  });

  it('SARIF: fingerprints and correlates each result by its id, sends NOT_TESTED as open and leaves observations out', () => {
    const run = (JSON.parse(renderSarif(findings)) as { runs: [{ results: Array<{ ruleId: string; kind: string; correlationGuid?: string; partialFingerprints: Record<string, string>; properties: Record<string, unknown> }> }] }).runs[0];
    const sent = run.results.find((r) => r.properties.resultId === failing.id);
    expect(sent?.partialFingerprints['trailproofResultId/v1']).to.equal(failing.id);
    expect(sent?.correlationGuid).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sent?.properties.response).to.deep.equal(failing.response);
    expect(run.results.find((r) => r.properties.resultId === untested.id)?.kind).to.equal('open');
    expect(run.results.some((r) => r.properties.resultId === observation.id)).to.equal(false);
    const all = (JSON.parse(renderSarif(findings, { include: 'all' })) as typeof findings & { runs: [{ results: Array<{ kind: string; properties: Record<string, unknown> }> }] }).runs[0];
    expect(all.results.find((r) => r.properties.resultId === observation.id)?.kind).to.equal('informational');
  });

  it('CSV: has the result id, observation and response columns', () => {
    const rows = parseCsv(renderCsv(findings));
    const header = rows[0] ?? [];
    const row = rows.find((r) => r[header.indexOf('result_id')] === failing.id) ?? [];
    expect(row[header.indexOf('response_owner')]).to.equal('platform@example.com');
    expect(row[header.indexOf('management_response')]).to.equal('Fixed in the October window');
    expect(row[header.indexOf('response_due_date')]).to.equal('2026-10-31');
    expect(rows.find((r) => r[header.indexOf('result_id')] === observation.id)?.[header.indexOf('observation')]).to.equal('yes');
  });

  it('ASFF and OCSF: carry the result id; NOT_TESTED is open and not available; the response is the note', () => {
    const asff = asffFindings(findings);
    const sent = asff.find((f) => f.ProductFields['trailproof/ResultId'] === failing.id);
    expect(sent?.Note).to.deep.include({ Text: 'Management response (due 2026-10-31): Fixed in the October window', UpdatedBy: 'platform@example.com' });
    expect(asff.find((f) => f.ProductFields['trailproof/ResultId'] === untested.id)?.Compliance?.Status).to.equal('NOT_AVAILABLE');
    expect(asff.find((f) => f.ProductFields['trailproof/ResultId'] === observation.id)?.ProductFields['trailproof/Observation']).to.equal('true');
    const ocsf = JSON.parse(renderOcsf(findings)) as Array<{ unmapped: Record<string, unknown>; compliance?: { status?: string } }>;
    expect(ocsf.find((e) => e.unmapped.trailproof_result_id === untested.id)?.compliance?.status).to.equal('Not Tested');
  });

  it('summary.md and the terminal: count observations apart and list failures with their ids', () => {
    const md = renderMarkdown(findings);
    expect(md).to.include(`\`${failing.id}\``).and.include('**Observations (1, severity info, not failures):**');
    const text = renderSummary(findings);
    expect(text).to.include('1 NOT_TESTED').and.include('1 observations (severity info, not failures)');
    expect(text).to.include(untested.id);
    expect(text).to.not.include(observation.id);
  });
});
