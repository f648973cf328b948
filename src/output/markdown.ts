// A short Markdown summary for a CI job page or a pull request comment: the verdict, the counts (observations
// apart from failures), the top failures with their result ids and management responses, detections, and with
// --history the trends across audits; the full story stays in the HTML/PDF report. The headline is the run's recorded
// outcome: it reads "compliant" or "passed" only when the run exits 0.
import { outcomeOf } from '../engine/gate.js';
import { SEVERITIES, STATUSES, type Findings, type Result, type RunOutcome } from '../model/types.js';
import { describePeriod } from '../model/period.js';
import type { RenderContext } from '../report/context.js';
import { plural } from '../report/format.js';
import { moveRows } from '../report/trends-view.js';
import { computeTrends, failingCell } from '../report/trends.js';
import type { History } from '../report/trends-history.js';

const SHOWN = 10;

/** Text safe inside a Markdown table cell: pipes and line breaks would end the cell. */
export function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([*_`[\]<>])/g, '\\$1');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

const GATE_WORDS: Record<RunOutcome['exitCode'], string> = { 0: 'passed', 1: '**failed**', 2: '**not decided: evidence modified**', 3: '**not decided**' };

/** The headline from the outcome alone: only an exit-0 run reads "compliant" (or "needs attention" below the gate). */
function headline(findings: Findings): string {
  const s = findings.summary;
  switch (outcomeOf(findings).exitCode) {
    case 0:
      return s.FAIL + s.ERROR + s.MANUAL + (s.NOT_TESTED ?? 0) > 0 || findings.integrity?.verified === false ? 'needs attention' : 'compliant';
    case 1:
      return 'not compliant';
    case 2:
      return 'evidence modified: not decided';
    case 3:
      return 'not decided';
  }
}

/** Trends across the audits of --history, as the report's "Trends across audits" gives them: the same numbers as text. */
function trendLines(findings: Findings, history: History, period?: Findings['run']['period']): string[] {
  const trends = computeTrends(findings, history, period);
  const out: string[] = [];
  const labels = trends.audits.map((a) => mdCell(a.label));
  out.push(`### Trends (${trends.audits.length} audits)`, '');
  // The columns of the main counts table above: the statuses, then observations (FAIL at severity info).
  out.push(`| audit | ${STATUSES.join(' | ')} | observations | results | detections |`);
  out.push(`|---|${STATUSES.map(() => '---:').join('|')}|---:|---:|---:|`);
  for (const a of trends.audits) out.push(`| ${mdCell(a.label)}${a.file === null ? ' (this run)' : ''} | ${STATUSES.map((st) => a.counts[st]).join(' | ')} | ${a.counts.OBSERVATION} | ${a.total} | ${a.detections} |`);
  out.push('');
  if (trends.frameworks.length > 0) {
    out.push('Failing requirements per framework:', '');
    out.push(`| framework | ${labels.join(' | ')} |`);
    out.push(`|---|${labels.map(() => '---:').join('|')}|`);
    trends.frameworks.forEach((fw, i) => {
      out.push(`| ${mdCell(fw.name)} | ${trends.audits.map((a) => failingCell(a, i)).join(' | ')} |`);
    });
    out.push('');
  }
  const previous = trends.audits[trends.audits.length - 2]?.label;
  if (previous !== undefined) {
    // Per check, as the report's trends give them; the report's "Changes since" section lists each result.
    for (const [title, moves] of [['regressed', trends.regressed], ['recovered', trends.recovered]] as const) {
      const checks = moveRows(moves).rows;
      const listed = checks.slice(0, SHOWN).map((c) => `${code(c.checkId)} (${plural(c.results, 'result')}, ${c.moved}: ${c.examples.map(code).join(', ')}${c.more > 0 ? ` and ${c.more} more` : ''})`);
      out.push(`**Checks that ${title} since ${mdCell(previous)} (${plural(checks.length, 'check')}, ${plural(moves.length, 'result')}):** ${listed.join(', ') || 'none'}${checks.length > SHOWN ? `, and ${checks.length - SHOWN} more checks in the full report` : ''}.`, '');
    }
  }
  for (const skip of trends.skipped) out.push(`History file not used: ${code(skip.file)}: ${mdCell(skip.reason)}`, '');
  return out;
}

export function renderMarkdown(findings: Findings, history?: History, period?: Findings['run']['period']): string {
  const s = findings.summary;
  const failOn = findings.run.failOn;
  const outcome = outcomeOf(findings);
  const rank = (r: Result): number => SEVERITIES.indexOf(r.severity);
  const failing = findings.results.filter((r) => r.status === 'FAIL' && r.observation !== true).sort((a, b) => rank(a) - rank(b));
  const observations = findings.results.filter((r) => r.observation === true);
  const out: string[] = [];
  out.push(`## trailproof audit: ${headline(findings)}`);
  out.push('');
  out.push(`Run \`${findings.run.id}\` · period ${describePeriod(findings.run.period)} · ${findings.run.scope.accounts.length} account(s), ${findings.run.scope.regions.length} region(s) · gate \`--fail-on ${failOn}\` ${GATE_WORDS[outcome.exitCode]} (exit ${outcome.exitCode}: ${mdCell(outcome.reason)})`);
  out.push('');
  out.push(`| ${STATUSES.join(' | ')} | observations | detections |`);
  out.push(`|${STATUSES.map(() => '---:').join('|')}|---:|---:|`);
  out.push(`| ${STATUSES.map((st) => s[st] ?? 0).join(' | ')} | ${s.observations ?? 0} | ${s.detections} |`);
  out.push('');
  if (failing.length > 0) {
    out.push(`### Failing (${failing.length})`);
    out.push('');
    out.push('| id | severity | check | resource | account | requirements | owner / response / due |');
    out.push('|---|---|---|---|---|---|---|');
    for (const r of failing.slice(0, SHOWN)) {
      const reqs = Object.entries(r.frameworks).map(([fw, ids]) => `${fw} ${ids.join(', ')}`).join('; ');
      const response = r.response === undefined ? '' : mdCell(`${r.response.owner}: ${r.response.response}${r.response.dueDate === undefined ? '' : ` (due ${r.response.dueDate})`}`);
      out.push(`| ${code(r.id)} | ${r.severity} | ${code(r.checkId)} | ${code(r.resource)} | ${r.account} | ${mdCell(reqs)} | ${response} |`);
    }
    if (failing.length > SHOWN) out.push(`\n…and ${failing.length - SHOWN} more in the full report.`);
    out.push('');
  }
  if (observations.length > 0) {
    out.push(`**Observations (${observations.length}, severity info, not failures):** ${observations.slice(0, SHOWN).map((r) => `${code(r.id)} ${code(r.checkId)} ${code(r.resource)}`).join(', ')}${observations.length > SHOWN ? `, and ${observations.length - SHOWN} more` : ''}.`, '');
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
  if (history !== undefined) out.push(...trendLines(findings, history, period));
  const expired = findings.waivers.filter((w) => w.expired);
  if (expired.length > 0) out.push(`**Expired waivers:** ${expired.map((w) => `${code(w.checkId)} ${code(w.resource)} (expired ${w.expires})`).join(', ')}`, '');
  if (findings.integrity && !findings.integrity.verified) out.push(`**Evidence integrity:** ${findings.integrity.modified.length} modified and ${findings.integrity.missing.length} missing file(s) in the bundle${findings.integrity.allowedModified ? ' (accepted with --allow-modified-evidence)' : ''}.`, '');
  const unlisted = findings.integrity?.unlisted ?? [];
  if (unlisted.length > 0) out.push(`**Unlisted files:** ${unlisted.length} file(s) in the bundle that the manifest does not list were not read.`, '');
  const by = [findings.run.collectedBy === undefined ? '' : ` by ${code(findings.run.collectedBy.arn)}`, findings.run.preparedBy === undefined ? '' : `; prepared by ${mdCell(findings.run.preparedBy)}`].join('');
  out.push(`<sub>trailproof ${findings.tool.version}; evidence collected ${findings.run.collectedAt}${by}</sub>`);
  return out.join('\n') + '\n';
}

export const markdownRenderer = { fileName: 'summary.md', binary: false, render: async (f: Findings, ctx?: RenderContext) => renderMarkdown(f, ctx?.history, ctx?.period) } as const;
