// The package's library entry (`import { audit } from 'trailproof'`): the audit pipeline as functions, the
// renderers of the machine formats, and the report writer, with the types of what they take and return. The
// command line is a translation of flags around these (src/cli). Checks are written against `trailproof/check`.
// The report writer loads the report modules (templates, Chromium for PDF) only when it is called.
import type { Findings } from './model/types.js';
import type { ReportAsk, ReportPlan, ReportRequest } from './output/write-report.js';

export { audit, checkAccounts, loadRegistry, tamperedEvidence, withAudit, type AuditOptions, type AuditRun } from './engine/run.js';
export { runOutcome, gateExitCode } from './engine/gate.js';
export { loadConfig, type Config } from './config/load.js';
export { FORMATS, isFormat, renderers, type Format } from './output/index.js';
export { writeFindingsFile } from './output/json-file.js';
export { TrailproofError } from './errors.js';
export type { Detection, Findings, Result, RunOrganization, RunOutcome, Severity, Status, Summary } from './model/types.js';
export type { ReportAsk, ReportPlan, ReportRequest } from './output/write-report.js';

/** Checks the report formats and their destinations (see src/output/write-report.ts planReport). */
export async function planReport(ask: ReportAsk): Promise<ReportPlan> {
  return (await import('./output/write-report.js')).planReport(ask);
}

/** Writes the report of a set of findings: HTML, PDF and the other formats, the attestation, the email. */
export async function writeReport(request: ReportRequest): Promise<Findings> {
  return (await import('./output/write-report.js')).writeReport(request);
}
