// The CI gate (CONTRACT section 1): 1 when a FAIL result or a detection is at or above --fail-on; 3 when none
// is but a result at or above it is ERROR, or a correlation rule at or above it could not be completed (the
// evidence could not decide it: fail closed); else 0.
import { SEVERITIES, type Findings, type Severity } from '../model/types.js';

export function atOrAbove(severity: Severity, failOn: Severity | 'none'): boolean {
  return failOn !== 'none' && SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(failOn);
}

/** Severities of the correlations a scan could not complete (`scan.correlation.incomplete.rules`). */
function incompleteCorrelations(findings: Findings): Severity[] {
  const scan = (findings as { scan?: { correlation?: { incomplete?: { rules?: Array<{ severity: Severity }> } } } }).scan;
  return scan?.correlation?.incomplete?.rules?.map((r) => r.severity) ?? [];
}

export function gateExitCode(findings: Findings, failOn: Severity | 'none'): 0 | 1 | 3 {
  if (findings.results.some((r) => r.status === 'FAIL' && atOrAbove(r.severity, failOn))) return 1;
  if (findings.detections.some((d) => atOrAbove(d.severity, failOn))) return 1;
  if (findings.results.some((r) => r.status === 'ERROR' && atOrAbove(r.severity, failOn))) return 3;
  if (incompleteCorrelations(findings).some((s) => atOrAbove(s, failOn))) return 3;
  return 0;
}
