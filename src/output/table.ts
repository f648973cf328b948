// Every table trailproof prints for a person, in one module: the checks list, the audit summary, scan
// detections, events and the rule and framework catalogs. Columns carry a priority and a minimum width; on a
// terminal the table fits the screen (long cells shortened in the middle, keeping what identifies them, and
// the least important columns hidden last, with a line naming them), while for a pipe or a file (or with
// --wide) every line is whole so the data survives. Colour, when the screen wants it, is applied after
// padding, so it never changes the layout. The audit summary, the readable end of an audit, lives here too.
import { gateLine, outcomeOf } from '../engine/gate.js';
import type { Findings, Result, Status } from '../model/types.js';
import { paint, PLAIN, severityTone, statusTone, type Screen, type Tone } from './terminal.js';

/**
 * The longest cell kept even when lines are whole: a cell is mostly caller-controlled text (a user agent, an
 * error message, a request parameter), and one huge value should not make a table unreadable in a file.
 */
export const MAX_CELL_CHARS = 1024;

/** Spaces between two columns. */
const GAP = 2;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** How a long cell is shortened: cut at the end, in the middle, or ARN-aware (account and name kept). */
export type Shorten = 'end' | 'middle' | 'arn';

export interface Column {
  header: string;
  /** 1 is the most important: kept widest and hidden last. Larger numbers give way first. */
  priority: number;
  /** The narrowest the column is shortened to before the table hides it instead. */
  min: number;
  shorten?: Shorten;
  /** The colour of a cell, from its value (e.g. statusTone). */
  tone?: (value: string) => Tone;
  /**
   * The answer the table is read for (the resource `events` and `scan` name): less important columns are hidden,
   * least important first, before this one is shortened, as long as hiding one lets it grow.
   */
  keepWhole?: boolean;
}

/** A cell's text for a terminal: control characters (escape sequences, newlines) shown as `?`, bounded. */
export function cellText(value: unknown): string {
  const text = (value === null || value === undefined ? '' : String(value)).replace(CONTROL, '?');
  return text.length <= MAX_CELL_CHARS ? text : `${text.slice(0, MAX_CELL_CHARS - 1)}…`;
}

function middle(text: string, max: number): string {
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return `${text.slice(0, head)}…${tail > 0 ? text.slice(-tail) : ''}`;
}

/**
 * An ARN (or a path like `role/a/b/Admin`) shortened so the reader still knows whose and which it is: the
 * prefix through the account id and the resource's last name stay, the path between them goes first
 * (`arn:aws:iam::123456789012:role/…/Admin`); then the name alone after '…' (`…/Admin`, `…:my-bucket`).
 * Null when not even the name fits.
 */
function shortenArn(text: string, max: number): string | null {
  const match = /^(arn:[^:]*:[^:]*:[^:]*:[^:]*:)(.*)$/s.exec(text);
  const prefix = match?.[1] ?? '';
  const resource = match?.[2] ?? text;
  const parts = resource.split('/');
  const last = parts[parts.length - 1] ?? '';
  const kind = parts.length > 2 ? `${parts[0] ?? ''}/` : '';
  const candidates = parts.length > 2 ? [`${prefix}${kind}…/${last}`, `${prefix}…/${last}`] : [];
  // The name whole with as much of the start as fits, when that leaves a useful start.
  const tail = parts.length > 1 ? `/${last}` : match ? `:${resource}` : '';
  if (tail !== '' && max - 1 - tail.length >= 8) candidates.push(`${text.slice(0, max - 1 - tail.length)}…${tail}`);
  if (tail !== '') candidates.push(`…${tail}`);
  return candidates.find((c) => c.length <= max) ?? null;
}

/** The text at most `max` characters long, shortened the column's way ('…' marks what was left out). */
export function shorten(text: string, max: number, how: Shorten = 'end'): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, Math.max(0, max));
  if (how === 'end') return `${text.slice(0, max - 1)}…`;
  if (how === 'arn') return shortenArn(text, max) ?? middle(text, max);
  return middle(text, max);
}

interface Layout {
  /** Indices of the columns shown, in table order. */
  shown: number[];
  widths: number[];
}

/** Which columns fit and how wide each is: natural widths when whole, else hide and share out by priority. */
function layout(columns: readonly Column[], natural: readonly number[], width: number | undefined): Layout {
  const all = columns.map((_, i) => i);
  if (width === undefined) return { shown: all, widths: [...natural] };
  const total = (ids: number[], w: readonly number[]): number => ids.reduce((sum, i) => sum + (w[i] ?? 0), 0) + GAP * Math.max(0, ids.length - 1);
  if (total(all, natural) <= width) return { shown: all, widths: [...natural] };
  const minimum = columns.map((c, i) => Math.min(natural[i] ?? 0, c.min));
  // Least important first (the rightmost of equals): hidden until the minimums fit.
  const byImportance = [...all].sort((a, b) => (columns[a]?.priority ?? 0) - (columns[b]?.priority ?? 0) || a - b);
  const shown = new Set(all);
  for (const i of [...byImportance].reverse()) {
    if (shown.size <= 1 || total([...shown], minimum) <= width) break;
    shown.delete(i);
  }
  let fitted = share(columns, natural, minimum, all.filter((i) => shown.has(i)), width);
  // A keepWhole column still shortened: the least important other column gives way while that widens it.
  for (;;) {
    const short = fitted.shown.filter((i) => columns[i]?.keepWhole === true && (fitted.widths[i] ?? 0) < (natural[i] ?? 0));
    const candidates = fitted.shown.filter((i) => columns[i]?.keepWhole !== true && short.some((k) => (columns[i]?.priority ?? 0) > (columns[k]?.priority ?? 0)));
    const drop = [...byImportance].reverse().find((i) => candidates.includes(i));
    if (short.length === 0 || drop === undefined) break;
    const next = share(columns, natural, minimum, fitted.shown.filter((i) => i !== drop), width);
    if (!short.some((k) => (next.widths[k] ?? 0) > (fitted.widths[k] ?? 0))) break;
    fitted = next;
  }
  return fitted;
}

/** Widths for the shown columns: each at least its minimum, the rest of the screen shared out by importance. */
function share(columns: readonly Column[], natural: readonly number[], minimum: readonly number[], ids: number[], width: number): Layout {
  const total = (list: number[], w: readonly number[]): number => list.reduce((sum, i) => sum + (w[i] ?? 0), 0) + GAP * Math.max(0, list.length - 1);
  const shown = new Set(ids);
  const byImportance = [...ids].sort((a, b) => (columns[a]?.priority ?? 0) - (columns[b]?.priority ?? 0) || a - b);
  // Shared out tier by tier (priority 1 first) and evenly within a tier: its columns grow to a common level
  // (or their natural width), the highest that fits; what rounding leaves goes to the most important first.
  const widths = [...minimum];
  // A tier's keepWhole columns are served before the rest of the tier.
  const tierOf = (i: number): number => (columns[i]?.priority ?? 0) - (columns[i]?.keepWhole === true ? 0.5 : 0);
  const tiers = [...new Set(ids.map(tierOf))].sort((a, b) => a - b);
  for (const tier of tiers) {
    const members = ids.filter((i) => tierOf(i) === tier);
    const at = (level: number): number[] => widths.map((w, i) => (members.includes(i) ? Math.min(natural[i] ?? 0, Math.max(w, level)) : w));
    const top = Math.max(0, ...members.map((i) => natural[i] ?? 0));
    let level = 0;
    while (level < top && total(ids, at(level + 1)) <= width) level++;
    at(level).forEach((w, i) => (widths[i] = w));
  }
  let spare = width - total(ids, widths);
  for (const i of byImportance) {
    if (!shown.has(i) || spare <= 0) continue;
    const add = Math.min((natural[i] ?? 0) - (widths[i] ?? 0), spare);
    widths[i] = (widths[i] ?? 0) + add;
    spare -= add;
  }
  // One column wider than the screen at its minimum: it gets the screen.
  if (ids.length === 1 && spare < 0) widths[ids[0] as number] = width;
  return { shown: ids, widths };
}

/**
 * The table as text (no final newline): header, a rule, one line per row. On a screen with a width no line is
 * longer than it; columns hidden to fit are named on a last line, with the flag that shows them.
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly unknown[])[], screen: Screen = PLAIN): string {
  const cells = rows.map((r) => columns.map((_, i) => cellText(r[i])));
  const natural = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const { shown, widths } = layout(columns, natural, screen.width);
  const last = shown[shown.length - 1];
  const line = (values: string[], toned: boolean): string =>
    shown
      .map((i) => {
        const column = columns[i] as Column;
        const w = widths[i] ?? 0;
        const text = shorten(values[i] ?? '', w, column.shorten);
        const pad = i === last ? '' : ' '.repeat(Math.max(0, w - text.length));
        return (toned && column.tone ? paint(text, column.tone(text), screen.color) : text) + pad;
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  const out = [line(columns.map((c) => c.header), false), line(columns.map((_, i) => '-'.repeat(widths[i] ?? 0)), false), ...cells.map((r) => line(r, true))];
  const hidden = columns.filter((_, i) => !shown.includes(i)).map((c) => c.header);
  if (hidden.length > 0 && screen.width !== undefined) {
    out.push(paint(shorten(`(--wide shows ${hidden.join(', ')})`, screen.width), 'quiet', screen.color));
  }
  return out.join('\n');
}

const ATTENTION: Status[] = ['FAIL', 'ERROR', 'NOT_TESTED', 'MANUAL'];

/** What failed and why come first; the account gives way before the message does, the region first. */
const ATTENTION_COLUMNS: Column[] = [
  { header: 'STATUS', priority: 1, min: 6, tone: statusTone },
  { header: 'SEVERITY', priority: 2, min: 8, tone: severityTone },
  { header: 'CHECK', priority: 1, min: 20, shorten: 'middle' },
  { header: 'ACCOUNT', priority: 3, min: 12 },
  { header: 'REGION', priority: 4, min: 9 },
  { header: 'MESSAGE', priority: 1, min: 24 },
  { header: 'ID', priority: 5, min: 15 },
];

/** The gate line's verdict coloured: a failed gate stands out, an undecided one is yellow. */
function gateTone(findings: Findings): Tone {
  const { exitCode } = outcomeOf(findings);
  return exitCode === 1 || exitCode === 2 ? 'bad' : exitCode === 3 ? 'warn' : 'plain';
}

export function renderSummary(findings: Findings, screen: Screen = PLAIN): string {
  const s = findings.summary;
  // Observations (FAIL at severity info) are counted on their own line, not listed as failures.
  const attention = findings.results.filter((r: Result) => ATTENTION.includes(r.status) && r.observation !== true);
  const out: string[] = [];
  out.push(`trailproof ${findings.tool.version} audit ${findings.run.id}`);
  out.push(`evidence collected ${findings.run.collectedAt}: ${findings.run.scope.accounts.length} accounts, ${findings.run.scope.regions.length} regions`);
  if (findings.integrity && !findings.integrity.verified) {
    const refused = findings.integrity.refused?.length ?? 0;
    out.push(paint(`EVIDENCE INTEGRITY: ${findings.integrity.modified.length} modified, ${findings.integrity.missing.length} missing${refused > 0 ? `, ${refused} refused unread` : ''} file(s) (results citing them are marked tampered)`, 'bad', screen.color));
  }
  if ((findings.integrity?.unlistedTotal ?? 0) > 0) {
    out.push(`evidence: ${findings.integrity?.unlistedTotal ?? 0} file(s) in the bundle folder not listed in its manifest were ignored (never read; named in findings.json integrity.unlisted)`);
  }
  const unlisted = findings.integrity?.unlisted ?? [];
  if (unlisted.length > 0) out.push(`evidence bundle: ${unlisted.length} file(s) the manifest does not list were not read: ${unlisted.slice(0, 3).join(', ')}${unlisted.length > 3 ? ` and ${unlisted.length - 3} more` : ''}`);
  out.push('');
  if (attention.length > 0) {
    out.push(renderTable(ATTENTION_COLUMNS, attention.map((r) => [r.status, r.severity, r.checkId, r.account, r.region, r.message, r.id]), screen));
    out.push('');
  }
  const expired = findings.waivers.filter((w) => w.expired);
  if (expired.length > 0) out.push(`expired waivers: ${expired.map((w) => `${w.checkId} ${w.resource} (expired ${w.expires})`).join('; ')}`);
  // Counts by status name, not "N passed": the word passed belongs to the gate line alone, which says exit 0.
  // Split in two where the counts would not fit a terminal's line: a line never runs past the screen.
  const counts = `results: ${s.PASS} PASS, ${paint(`${s.FAIL} FAIL`, s.FAIL > 0 ? 'bad' : 'plain', screen.color)}, ${s.MANUAL} MANUAL, ${s.ERROR} ERROR, ${s.NOT_TESTED ?? 0} NOT_TESTED`;
  const rest = `${s.WAIVED} WAIVED, ${s.NOT_APPLICABLE} NOT_APPLICABLE; ${s.observations ?? 0} observations (severity info, not failures)`;
  if (screen.width === undefined) out.push(`${counts}, ${rest}`);
  else out.push(`${counts},`, ...rest.split('; ').map((part, i) => `  ${part}${i === 0 ? ';' : ''}`));
  out.push(`gate: ${paint(gateLine(findings), gateTone(findings), screen.color)}`);
  return out.join('\n') + '\n';
}
