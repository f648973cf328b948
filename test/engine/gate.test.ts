// The CI gate's promise (README, exit codes): MANUAL and WAIVED results never fail the gate, whatever their
// severity and whatever the waived result was; a FAIL or a detection at or above --fail-on does (1); an
// ERROR at or above it that nothing fails is "could not decide" (3).
import { expect } from 'chai';
import { gateExitCode } from '../../src/engine/gate.js';
import type { Findings, Result, Severity, Status } from '../../src/model/types.js';
import { fixtureFindings } from '../report/fixtures.js';

function withResults(statuses: [Status, Severity][], extra: Partial<Result> = {}): Findings {
  const base = fixtureFindings();
  const template = base.results[0] as Result;
  const results = statuses.map(([status, severity], i) => ({ ...template, ...extra, checkId: `gate.case-${i}`, status, severity }));
  return { ...base, results, detections: [] };
}

describe('the CI gate', () => {
  it('passes (0) when every result at critical severity is MANUAL, even with --fail-on info', () => {
    const findings = withResults([['MANUAL', 'critical'], ['MANUAL', 'high'], ['MANUAL', 'info']]);
    expect(gateExitCode(findings, 'info')).to.equal(0);
    expect(gateExitCode(findings, 'critical')).to.equal(0);
  });

  it('passes (0) when every failing result is WAIVED, the waiver recording that it was a FAIL', () => {
    const waiver = { reason: 'accepted risk, ticket SEC-1', owner: 'secops@example.com', expires: '2027-01-01', originalStatus: 'FAIL' as const };
    const findings = withResults([['WAIVED', 'critical'], ['WAIVED', 'high']], { waiver });
    expect(gateExitCode(findings, 'info')).to.equal(0);
    expect(gateExitCode(findings, 'high')).to.equal(0);
  });

  it('passes (0) with PASS and NOT_APPLICABLE results beside MANUAL and WAIVED ones', () => {
    expect(gateExitCode(withResults([['PASS', 'critical'], ['NOT_APPLICABLE', 'critical'], ['MANUAL', 'critical'], ['WAIVED', 'critical']]), 'info')).to.equal(0);
  });

  it('fails (1) on one FAIL at or above --fail-on among MANUAL and WAIVED results, and not below it', () => {
    const findings = withResults([['MANUAL', 'critical'], ['WAIVED', 'critical'], ['FAIL', 'medium']]);
    expect(gateExitCode(findings, 'medium')).to.equal(1);
    expect(gateExitCode(findings, 'high')).to.equal(0);
    expect(gateExitCode(findings, 'none')).to.equal(0);
  });

  it('says the evidence could not decide (3) for an ERROR at or above --fail-on, a FAIL still winning', () => {
    expect(gateExitCode(withResults([['ERROR', 'high'], ['MANUAL', 'critical']]), 'high')).to.equal(3);
    expect(gateExitCode(withResults([['ERROR', 'high'], ['FAIL', 'high']]), 'high')).to.equal(1);
    expect(gateExitCode(withResults([['ERROR', 'low']]), 'high')).to.equal(0);
  });
});
