// A short Markdown summary for a CI job page or a pull request comment: the verdict, the counts, the top
// failures and detections; the full story stays in the HTML/PDF report.
import { atOrAbove } from '../engine/gate.js';
import { SEVERITIES, STATUSES, type Findings, type Result } from '../model/types.js';
import { describePeriod } from '../report/period.js';

const SHOWN = 10;

/** Text safe inside a Markdown table cell: pipes and line breaks would end the cell. */
export function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([*_`[\]<>])/g, '\\$1');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

export function renderMarkdown(findings: Findings): string {
  const s = findings.summary;
  const failOn = findings.run.failOn;
  const gate = findings.results.some((r) => r.status === 'FAIL' && atOrAbove(r.severity, failOn)) || findings.detections.some((d) => atOrAbove(d.severity, failOn));
  const rank = (r: Result): number => SEVERITIES.indexOf(r.severity);
  const failing = findings.results.filter((r) => r.status === 'FAIL').sort((a, b) => rank(a) - rank(b));
  const out: string[] = [];
  out.push(`## trailproof audit: ${gate ? 'not compliant' : s.FAIL + s.ERROR + s.MANUAL > 0 ? 'needs attention' : 'compliant'}`);
  out.push('');
  out.push(`Run \`${findings.run.id}\` · period ${describePeriod(findings.run.period)} · ${findings.run.scope.accounts.length} account(s), ${findings.run.scope.regions.length} region(s) · gate \`--fail-on ${failOn}\`${gate ? ' **failed**' : ' passed'}`);
  out.push('');
  out.push(`| ${STATUSES.join(' | ')} | detections |`);
  out.push(`|${STATUSES.map(() => '---:').join('|')}|---:|`);
  out.push(`| ${STATUSES.map((st) => s[st]).join(' | ')} | ${s.detections} |`);
  out.push('');
  if (failing.length > 0) {
    out.push(`### Failing (${failing.length})`);
    out.push('');
    out.push('| severity | check | resource | account | requirements |');
    out.push('|---|---|---|---|---|');
    for (const r of failing.slice(0, SHOWN)) {
      const reqs = Object.entries(r.frameworks).map(([fw, ids]) => `${fw} ${ids.join(', ')}`).join('; ');
      out.push(`| ${r.severity} | ${code(r.checkId)} | ${code(r.resource)} | ${r.account} | ${mdCell(reqs)} |`);
    }
    if (failing.length > SHOWN) out.push(`\n…and ${failing.length - SHOWN} more in the full report.`);
    out.push('');
  }
  if (findings.detections.length > 0) {
    const dets = [...findings.detections].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || (a.eventTime < b.eventTime ? -1 : 1));
    out.push(`### Risky events (${dets.length})`);
    out.push('');
    out.push('| when (UTC) | severity | rule | who | what | from |');
    out.push('|---|---|---|---|---|---|');
    for (const d of dets.slice(0, SHOWN)) out.push(`| ${d.eventTime} | ${d.severity} | ${code(d.ruleId)} | ${code(d.actor)} | ${mdCell(`${d.eventName}${d.errorCode ? ` (denied: ${d.errorCode})` : ''}`)} | ${code(d.sourceIPAddress)} |`);
    if (dets.length > SHOWN) out.push(`\n…and ${dets.length - SHOWN} more in the full report.`);
    out.push('');
  }
  const expired = findings.waivers.filter((w) => w.expired);
  if (expired.length > 0) out.push(`**Expired waivers:** ${expired.map((w) => `${code(w.checkId)} ${code(w.resource)} (expired ${w.expires})`).join(', ')}`, '');
  if (findings.integrity && !findings.integrity.verified) out.push(`**Evidence integrity:** ${findings.integrity.modified.length} modified and ${findings.integrity.missing.length} missing file(s) in the bundle.`, '');
  out.push(`<sub>trailproof ${findings.tool.version}; evidence collected ${findings.run.collectedAt}</sub>`);
  return out.join('\n') + '\n';
}

export const markdownRenderer = { fileName: 'summary.md', binary: false, render: async (f: Findings) => renderMarkdown(f) } as const;
