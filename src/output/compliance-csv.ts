// The compliance CSV (`--format compliance`, compliance.csv): one row per framework requirement, the shape
// of the per-framework compliance exports auditors receive from other tools: framework (id, title, version),
// requirement (id, title), its status (by the requirement's declared aggregation: the worst over its results,
// or for an "any" check met by one passing subject; NOT_ASSESSED when no check covers it), the aggregation
// note, result counts, the checks behind it and the evidence its results cite. Every framework of
// the run is in the one file, framework by framework (a framework's rows are one filter away); the same cell
// rules as results.csv (RFC 4180, CSV-injection guard). Read from findings.frameworks and the results only.
import type { Findings, Result, Status } from '../model/types.js';
import { csvCell } from './csv.js';

/** At most this many evidence references in one cell (a spreadsheet cell holds 32,767 characters); the rest counted. */
export const MAX_EVIDENCE_PER_CELL = 50;

const COLUMNS = ['framework', 'framework_title', 'framework_version', 'requirement', 'requirement_title', 'status', 'results', 'checks', 'accounts', 'evidence', 'aggregation'] as const;
const STATUS_ORDER: Status[] = ['FAIL', 'ERROR', 'NOT_TESTED', 'MANUAL', 'WAIVED', 'PASS', 'NOT_APPLICABLE'];

function counted(counts: Partial<Record<Status, number>>): string {
  return STATUS_ORDER.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s] ?? 0} ${s}`).join('; ');
}

function evidenceCell(results: Result[]): string {
  const refs = [...new Set(results.flatMap((r) => r.evidence.map((e) => `${e.file}#${e.pointer}${e.tampered ? ' (tampered)' : ''}`)))];
  const shown = refs.slice(0, MAX_EVIDENCE_PER_CELL).join('; ');
  return refs.length > MAX_EVIDENCE_PER_CELL ? `${shown}; ... and ${refs.length - MAX_EVIDENCE_PER_CELL} more (findings.json lists them)` : shown;
}

export function renderComplianceCsv(findings: Findings): string {
  // The results that count toward each framework requirement, from each result's own mapping.
  const byRequirement = new Map<string, Result[]>();
  for (const r of findings.results) {
    for (const [framework, ids] of Object.entries(r.frameworks)) {
      for (const id of ids) {
        const key = `${framework}\u0000${id}`;
        const list = byRequirement.get(key);
        if (list) list.push(r);
        else byRequirement.set(key, [r]);
      }
    }
  }
  const rows: string[][] = [[...COLUMNS]];
  const frameworks = [...(findings.frameworks ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const f of frameworks) {
    for (const req of f.requirements) {
      const results = byRequirement.get(`${f.id}\u0000${req.id}`) ?? [];
      const accounts = [...new Set(results.map((r) => r.account))].sort();
      const aggregation = Object.entries(req.aggregate ?? {}).filter(([, mode]) => mode === 'any').map(([checkId]) => `${checkId}: any`).join('; ');
      rows.push([f.id, f.title, f.version, req.id, req.title, req.status, counted(req.counts), req.checks.join(' '), accounts.join(' '), evidenceCell(results), [aggregation, req.note ?? ''].filter(Boolean).join('. ')]);
    }
  }
  return rows.map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export const complianceCsvRenderer = { fileName: 'compliance.csv', binary: false, render: async (f: Findings) => renderComplianceCsv(f) } as const;
