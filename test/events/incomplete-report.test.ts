// The report says when correlations were incomplete: the detections chapter opens with how many inputs
// could not be correlated and which rules, read from the findings file's `scan.correlation.incomplete`.
import { expect } from 'chai';
import { renderReportHtml } from '../../src/report/html.js';
import { buildReportView } from '../../src/report/model.js';
import { fixtureFindings } from '../report/fixtures.js';

describe('report: incomplete correlations', () => {
  it('names the rules and inputs in the detections chapter, and says nothing when all were correlated', () => {
    const findings = fixtureFindings();
    expect(buildReportView(findings).detections.incomplete).to.equal(null);
    const incomplete = Object.assign(fixtureFindings(), {
      scan: { correlation: { late: 0, untimed: 3, recorrelated: [], spill: null, incomplete: { inputs: 3, rules: [{ ruleId: 'password-spray', title: 'Password spray from one address', severity: 'high', inputs: 3, reason: 'events without a readable eventTime cannot be placed in a time window' }] } } },
    });
    const text = buildReportView(incomplete).detections.incomplete;
    expect(text).to.equal('Incomplete: 3 event matches could not be correlated, so these correlation rules may have missed detections: password-spray (high, 3 inputs). The gate treats them as undecided.');
    expect(renderReportHtml(incomplete).html).to.contain('<p class="notice incomplete"><b>Incomplete: 3 event matches could not be correlated');
  });
});
