// CSV for spreadsheets (RFC 4180: quoted where needed, CRLF line ends): one row per result with its stable
// id and working-paper fields (observation, waiver approval, owner / management response / due date), and one
// column per framework holding the requirement ids the result counts toward. Cells that a spreadsheet would run as
// a formula are prefixed with an apostrophe (CSV injection), since resources and messages come from AWS data.
import type { Findings, Result } from '../model/types.js';

// New columns go after the original ones, so spreadsheets that read columns by position keep working.
const BASE_COLUMNS = [
  'account', 'region', 'check_id', 'title', 'severity', 'status', 'resource', 'message', 'remediation', 'remediation_cli', 'evidence', 'waiver_owner', 'waiver_expires', 'waiver_reason',
  'result_id', 'observation', 'waiver_approved_by', 'waiver_approved_on', 'response_owner', 'management_response', 'response_due_date',
] as const;

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function baseCells(r: Result): string[] {
  return [
    r.account,
    r.region,
    r.checkId,
    r.title,
    r.severity,
    r.status,
    r.resource,
    r.message,
    r.remediation?.text ?? '',
    r.remediation?.cli ?? '',
    r.evidence.map((e) => `${e.file}#${e.pointer}${e.tampered ? ' (tampered)' : ''}`).join('; '),
    r.waiver?.owner ?? '',
    r.waiver?.expires ?? '',
    r.waiver?.reason ?? '',
    r.id,
    r.observation === true ? 'yes' : '',
    r.waiver?.approvedBy ?? '',
    r.waiver?.approvedOn ?? '',
    r.response?.owner ?? '',
    r.response?.response ?? '',
    r.response?.dueDate ?? '',
  ];
}

/** The file row by row, for writing without holding the whole text. */
export function* csvChunks(findings: Findings): Generator<string> {
  const frameworkIds = [...new Set([...(findings.frameworks ?? []).map((f) => f.id), ...findings.results.flatMap((r) => Object.keys(r.frameworks))])].sort();
  yield [...BASE_COLUMNS, ...frameworkIds].map(csvCell).join(',') + '\r\n';
  for (const r of findings.results) yield [...baseCells(r), ...frameworkIds.map((id) => (r.frameworks[id] ?? []).join(' '))].map(csvCell).join(',') + '\r\n';
}

export function renderCsv(findings: Findings): string {
  return [...csvChunks(findings)].join('');
}

export const csvRenderer = { fileName: 'results.csv', binary: false, render: async (f: Findings) => renderCsv(f), chunks: csvChunks } as const;
