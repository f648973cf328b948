// What makes report.html explorable: the one inline script (templates/report.js, or the --templates folder's),
// the Content-Security-Policy that admits exactly that script by the SHA-256 of its text, and the per-result
// rows the script filters, sorts and deep-links to (`#result-<id>`). The script is data like the CSS: read as
// text, never built from findings. Everything it works on is written by the templates as escaped text and
// data-* attributes, so a hostile resource name or message stays text. The PDF is printed from the same
// document under seal.ts's sandbox policy, which runs no script: it shows what the HTML shows without script.
import { createHash } from 'node:crypto';
import { TrailproofError } from '../errors.js';
import type { Result, Severity, Status } from '../model/types.js';
import type { AttentionGroup } from './attention.js';
import { STATUS_LABELS } from './charts.js';

/** One row of the "every result" table: what it shows, and the data-* values the script filters on. */
export interface ResultRow {
  /** The result's stable id (findings `result.id`); the row's anchor is `result-<id>`. */
  id: string;
  checkId: string;
  /** OBSERVATION for a FAIL at severity info, as the report's counts and the status filter tell them apart. */
  status: Status | 'OBSERVATION';
  label: string;
  severity: Severity;
  account: string;
  region: string;
  resource: string;
  /** The framework ids the result counts toward, space-separated (data-f). */
  frameworks: string;
  /** The anchor of the "needs attention" row that shows this result's evidence, when it has one. */
  evidence: string | null;
}

const ROW_ORDER: Status[] = ['FAIL', 'ERROR', 'NOT_TESTED', 'MANUAL', 'WAIVED', 'PASS', 'NOT_APPLICABLE'];

/** Every result, by check and then status (worst first), keeping the findings' order within (account, region, resource). */
export function resultRows(results: readonly Result[], groups: readonly AttentionGroup[]): ResultRow[] {
  const shownAt = new Map<string, string>();
  for (const g of groups) for (const item of g.items) for (const id of item.ids) shownAt.set(id, item.anchor);
  const rank = (s: Status): number => ROW_ORDER.indexOf(s);
  return [...results]
    .sort((a, b) => (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : rank(a.status) - rank(b.status)))
    .map((r) => ({
      id: r.id,
      checkId: r.checkId,
      status: r.observation === true ? 'OBSERVATION' : r.status,
      label: STATUS_LABELS[r.observation === true ? 'OBSERVATION' : r.status],
      severity: r.severity,
      account: r.account,
      region: r.region,
      resource: r.resource,
      frameworks: Object.keys(r.frameworks ?? {}).sort().join(' '),
      evidence: shownAt.get(r.id) ?? null,
    }));
}

/** The policy of report.html: nothing loads; styles inline, images and fonts as data: URLs, one script by hash. */
const BASE_POLICY = ["default-src 'none'", "style-src 'unsafe-inline'", 'img-src data:', 'font-src data:'];

/** `'sha256-<base64>'`, the CSP source that admits an inline script whose text is exactly `script`. */
export function scriptSource(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

/** The report's Content-Security-Policy: BASE_POLICY, plus `script-src` for the script's hash when there is one. */
export function reportPolicy(script: string | null): string {
  return [...BASE_POLICY, ...(script ? [`script-src ${scriptSource(script)}`] : [])].join('; ');
}

/**
 * The script as it may sit inside `<script>...</script>`: text that could close the element or open an HTML
 * comment there would change what the page parses, so such a script is refused, naming the file.
 */
export function checkedScript(text: string, file: string): string | null {
  if (text.trim() === '') return null;
  if (/<\/script|<!--/i.test(text)) throw new TrailproofError('TP_USAGE', `template ${file}: the script contains "</script" or "<!--", which would end or change its inline <script> element; write them as "<\\/script" and "<\\!--"`);
  return text;
}
