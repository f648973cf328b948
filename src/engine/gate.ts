// The CI gate (CONTRACT section 1) and the run's one outcome. gateExitCode: 1 when a FAIL result or a
// detection is at or above --fail-on; 3 when none is but a result at or above it is ERROR or NOT_TESTED (its
// evidence could not be read, or was not collected), or a correlation rule at or above it could not be
// completed (the evidence could not decide it: fail closed); else 0.
// runOutcome adds the evidence: a bundle that does not match its manifest (and was not accepted with
// --allow-modified-evidence) decides nothing, exit 2, whatever the results say. The outcome is decided once,
// before any output is written, and recorded in findings.json (run.outcome): every renderer states it and none
// recomputes it, so no output can read "passed" while the run exits 1-3.
import type { Config } from '../config/load.js';
import { SEVERITIES, type Findings, type IntegrityReport, type RunOutcome, type Severity, type Status, type Verdict } from '../model/types.js';

export function atOrAbove(severity: Severity, failOn: Severity | 'none'): boolean {
  return failOn !== 'none' && SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(failOn);
}

/** Severities of the correlations a scan could not complete (`scan.correlation.incomplete.rules`). */
function incompleteCorrelations(findings: Findings): Severity[] {
  const scan = (findings as { scan?: { correlation?: { incomplete?: { rules?: Array<{ severity: Severity }> } } } }).scan;
  return scan?.correlation?.incomplete?.rules?.map((r) => r.severity) ?? [];
}

/** Statuses that leave a result undecided: the evidence failed to load (ERROR) or was not collected (NOT_TESTED). */
const UNDECIDED = new Set<Status>(['ERROR', 'NOT_TESTED']);

export function gateExitCode(findings: Findings, failOn: Severity | 'none'): 0 | 1 | 3 {
  if (findings.results.some((r) => r.status === 'FAIL' && atOrAbove(r.severity, failOn))) return 1;
  if (findings.detections.some((d) => atOrAbove(d.severity, failOn))) return 1;
  if (findings.results.some((r) => UNDECIDED.has(r.status) && atOrAbove(r.severity, failOn))) return 3;
  if (incompleteCorrelations(findings).some((s) => atOrAbove(s, failOn))) return 3;
  return 0;
}

export const VERDICTS: Record<RunOutcome['exitCode'], Verdict> = { 0: 'passed', 1: 'failed', 2: 'evidence modified: not decided', 3: 'not decided' };

/** An outcome with the verdict its exit code stands for. */
export function outcome(exitCode: RunOutcome['exitCode'], reason: string): RunOutcome {
  return { exitCode, verdict: VERDICTS[exitCode], reason };
}

/** True when files the manifest lists are modified or missing and --allow-modified-evidence did not accept them. */
export function evidenceRefused(integrity: IntegrityReport | undefined): boolean {
  return integrity !== undefined && !integrity.allowedModified && integrity.modified.length + integrity.missing.length + (integrity.refused?.length ?? 0) > 0;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The run's outcome from its findings: evidence first (exit 2), then the gate (1, 3 or 0). */
export function runOutcome(findings: Findings, failOn: Severity | 'none' = findings.run.failOn): RunOutcome {
  const integrity = findings.integrity;
  if (integrity !== undefined && evidenceRefused(integrity)) {
    const refused = integrity.refused?.length ?? 0;
    return outcome(2, `the evidence bundle does not match its manifest (${count(integrity.modified.length, 'modified file')}, ${count(integrity.missing.length, 'missing file')}${refused > 0 ? `, ${count(refused, 'file')} refused unread` : ''}) and --allow-modified-evidence was not given`);
  }
  const threshold = failOn === 'none' ? '' : ` at or above ${failOn}`;
  const failing = findings.results.filter((r) => r.status === 'FAIL' && atOrAbove(r.severity, failOn)).length;
  const detections = findings.detections.filter((d) => atOrAbove(d.severity, failOn)).length;
  const errors = findings.results.filter((r) => r.status === 'ERROR' && atOrAbove(r.severity, failOn)).length;
  const untested = findings.results.filter((r) => r.status === 'NOT_TESTED' && atOrAbove(r.severity, failOn)).length;
  const incomplete = incompleteCorrelations(findings).filter((sev) => atOrAbove(sev, failOn)).length;
  switch (gateExitCode(findings, failOn)) {
    case 1:
      return outcome(1, `${[failing > 0 ? count(failing, 'failing result') : '', detections > 0 ? count(detections, 'detection') : ''].filter(Boolean).join(' and ')}${threshold}`);
    case 3:
      return outcome(3, [
        errors > 0 ? `${count(errors, 'result')}${threshold} the evidence could not decide (ERROR)` : '',
        untested > 0 ? `${count(untested, 'result')}${threshold} not tested because the evidence was not collected (NOT_TESTED)` : '',
        incomplete > 0 ? `${count(incomplete, 'correlation rule')}${threshold} could not be correlated completely` : '',
      ].filter(Boolean).join('; '));
    case 0:
      return outcome(0, failOn === 'none' ? '--fail-on none: nothing gates the run' : `nothing${threshold} failed, was detected or is undecided`);
  }
}

/** The outcome findings.json records; a findings object without one (an older file) gets it derived from its results. */
export function outcomeOf(findings: Findings): RunOutcome {
  return findings.run.outcome ?? runOutcome(findings);
}

/** The terminal's and the reports' gate line, e.g. "--fail-on none -> exit 2 (evidence modified: not decided)". */
export function gateLine(findings: Findings): string {
  const o = outcomeOf(findings);
  return `--fail-on ${findings.run.failOn} -> exit ${o.exitCode} (${o.verdict})`;
}

/** The vending checks: coverage by the organization trail, and that trail's and its bucket's settings. */
export const DEFAULT_GATE_CHECKS = [
  'trail.org-coverage', 'trail.logging-active', 'trail.multi-region', 'trail.log-file-validation', 'trail.kms-encryption',
  'bucket.not-public', 'retention.s3-lifecycle',
] as const;

/** The gate's check list: the config's gate.checks (validated by the schema), else the default. */
export function gateCheckIds(config: Config): string[] {
  const gate = config.gate;
  return gate?.checks ?? [...DEFAULT_GATE_CHECKS];
}
