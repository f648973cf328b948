// The report's verdict headline, from the run's recorded outcome (findings.json run.outcome): "Compliant" or
// "Needs attention" only when the run exits 0, "Not compliant" on exit 1, "Evidence modified: not decided" on
// exit 2 and "Not decided" on exit 3. A run that decided nothing is level fail as well, so a template that
// colours by level (the report, the email) never shows it green.
import { atOrAbove, gateLine, outcomeOf } from '../engine/gate.js';
import type { Findings, RunOutcome } from '../model/types.js';
import { plural } from './format.js';

export interface ReportVerdict {
  level: 'fail' | 'attention' | 'pass';
  headline: string;
  detail: string;
  exitCode: RunOutcome['exitCode'];
  /** The outcome's verdict words, e.g. "evidence modified: not decided". */
  outcome: RunOutcome['verdict'];
  /** e.g. "Gate --fail-on high -> exit 2 (evidence modified: not decided)". */
  gate: string;
}

export function verdictOf(findings: Findings): ReportVerdict {
  const failOn = findings.run.failOn;
  const outcome = outcomeOf(findings);
  const stated = { exitCode: outcome.exitCode, outcome: outcome.verdict, gate: `Gate ${gateLine(findings)}` };
  const integrityBad = findings.integrity !== undefined && !findings.integrity.verified;
  const s = findings.summary;
  const threshold = failOn === 'none' ? '' : ` at or above ${failOn} severity`;
  switch (outcome.exitCode) {
    case 2: {
      const integrity = findings.integrity;
      const files = integrity ? `${plural(integrity.modified.length, 'evidence file')} modified and ${plural(integrity.missing.length, 'file')} missing` : 'evidence files that do not match their manifest';
      return { level: 'fail', headline: 'Evidence modified: not decided', detail: `The evidence bundle does not match its manifest (${files}); no result of this run can be relied on, whatever it says.`, ...stated };
    }
    case 3: {
      const undecided = findings.results.filter((r) => r.status === 'ERROR' && atOrAbove(r.severity, failOn)).length;
      return { level: 'fail', headline: 'Not decided', detail: `${plural(undecided, 'result')}${threshold} the evidence could not decide: the audit gate cannot pass.`, ...stated };
    }
    case 1: {
      const gateFails = findings.results.filter((r) => r.status === 'FAIL' && atOrAbove(r.severity, failOn)).length;
      const gateDetections = findings.detections.filter((d) => atOrAbove(d.severity, failOn)).length;
      const parts = [gateFails > 0 ? plural(gateFails, 'failing result') : '', gateDetections > 0 ? plural(gateDetections, 'risky event') : ''].filter(Boolean);
      return { level: 'fail', headline: 'Not compliant', detail: `${parts.join(' and ') || outcome.reason}${parts.length > 0 ? threshold : ''}.`, ...stated };
    }
    case 0:
      break;
  }
  if (s.FAIL > 0 || s.ERROR > 0 || s.MANUAL > 0 || integrityBad) {
    const parts = [s.FAIL > 0 ? plural(s.FAIL, 'failing result') + ' below the gate' : '', s.ERROR > 0 ? plural(s.ERROR, 'result') + ' the evidence could not decide' : '', s.MANUAL > 0 ? plural(s.MANUAL, 'result') + ' for manual review' : '', integrityBad ? 'evidence files that do not match their manifest (accepted with --allow-modified-evidence)' : ''].filter(Boolean);
    return { level: 'attention', headline: 'Needs attention', detail: `${parts.join('; ')}.`, ...stated };
  }
  return { level: 'pass', headline: 'Compliant', detail: `Every assessed result passed, is not applicable or is waived (${plural(s.WAIVED, 'waived result')}).`, ...stated };
}
