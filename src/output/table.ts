// The readable summary for a terminal: counts, then every result that needs attention, then the gate line
// with the exit code the run returns and its verdict, read from the findings' recorded outcome.
import { gateLine } from '../engine/gate.js';
import type { Findings, Result, Status } from '../model/types.js';

const ATTENTION: Status[] = ['FAIL', 'ERROR', 'MANUAL'];

export function table(rows: string[][], header: string[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function renderSummary(findings: Findings): string {
  const s = findings.summary;
  const attention = findings.results.filter((r: Result) => ATTENTION.includes(r.status));
  const out: string[] = [];
  out.push(`trailproof ${findings.tool.version} audit ${findings.run.id}`);
  out.push(`evidence collected ${findings.run.collectedAt}: ${findings.run.scope.accounts.length} accounts, ${findings.run.scope.regions.length} regions`);
  if (findings.integrity && !findings.integrity.verified) {
    const refused = findings.integrity.refused?.length ?? 0;
    out.push(`EVIDENCE INTEGRITY: ${findings.integrity.modified.length} modified, ${findings.integrity.missing.length} missing${refused > 0 ? `, ${refused} refused unread` : ''} file(s) (results citing them are marked tampered)`);
  }
  if ((findings.integrity?.unlistedTotal ?? 0) > 0) {
    out.push(`evidence: ${findings.integrity?.unlistedTotal ?? 0} file(s) in the bundle folder not listed in its manifest were ignored (never read; named in findings.json integrity.unlisted)`);
  }
  const unlisted = findings.integrity?.unlisted ?? [];
  if (unlisted.length > 0) out.push(`evidence bundle: ${unlisted.length} file(s) the manifest does not list were not read: ${unlisted.slice(0, 3).join(', ')}${unlisted.length > 3 ? ` and ${unlisted.length - 3} more` : ''}`);
  out.push('');
  if (attention.length > 0) {
    out.push(table(
      attention.map((r) => [r.status, r.severity, r.checkId, r.account, r.region, truncate(r.message, 110)]),
      ['STATUS', 'SEVERITY', 'CHECK', 'ACCOUNT', 'REGION', 'MESSAGE'],
    ));
    out.push('');
  }
  const expired = findings.waivers.filter((w) => w.expired);
  if (expired.length > 0) out.push(`expired waivers: ${expired.map((w) => `${w.checkId} ${w.resource} (expired ${w.expires})`).join('; ')}`);
  // Counts by status name, not "N passed": the word passed belongs to the gate line alone, which says exit 0.
  out.push(`results: ${s.PASS} PASS, ${s.FAIL} FAIL, ${s.MANUAL} MANUAL, ${s.ERROR} ERROR, ${s.WAIVED} WAIVED, ${s.NOT_APPLICABLE} NOT_APPLICABLE`);
  out.push(`gate: ${gateLine(findings)}`);
  return out.join('\n') + '\n';
}
