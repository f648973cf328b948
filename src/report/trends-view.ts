// The report's "Trends" section (templates/partials/trends.hbs): the numbers of trends.ts as two inline SVG
// charts (results by status per audit, failing requirements per framework per audit) and the tables that hold
// the same numbers, and the checks whose results regressed or recovered since the previous audit (one row per
// check: the "Changes since the previous audit" section lists the results themselves).
import type { Status } from '../model/types.js';
import { COUNTED_STATUSES, STATUS_LABELS, groupedBarChart, stackedBarChart } from './charts.js';
import { groupBy, plural } from './format.js';
import { rollupByCheck, type CheckRollup } from './changes.js';
import { failingCell, type TrendMove, type Trends } from './trends.js';

/** A check whose results regressed or recovered: the roll-up, and the statuses its results moved between. */
export interface TrendMoveRow extends CheckRollup {
  /** e.g. "Pass → Fail", or "Pass, Waived → Fail" when its results came from several statuses. */
  moved: string;
}

export interface TrendsView {
  intro: string;
  charts: { statuses: string; frameworks: string };
  statuses: { status: Status | 'OBSERVATION'; label: string }[];
  audits: { label: string; period: string; runId: string; file: string; current: boolean; counts: number[]; total: number; detections: number }[];
  auditLabels: string[];
  frameworks: { id: string; name: string; cells: string[] }[];
  previous: string;
  /** The checks that regressed and recovered since the previous audit, one row per check; `total` counts results. */
  moves: { title: string; empty: string; rows: TrendMoveRow[]; total: number }[];
  skipped: { file: string; reason: string }[];
}

/** The checks whose results moved, one row each (the report's table and summary.md's lines). */
export function moveRows(moves: TrendMove[]): { rows: TrendMoveRow[]; total: number } {
  const byCheck = groupBy(moves, (m) => m.result.checkId);
  const rows = rollupByCheck(moves.map((m) => m.result)).map((check) => {
    const mine = byCheck.get(check.checkId) ?? [];
    const before = [...new Set(mine.map((m) => STATUS_LABELS[m.before]))].join(', ');
    const now = [...new Set(mine.map((m) => STATUS_LABELS[m.result.status]))].join(', ');
    return { ...check, moved: `${before} → ${now}` };
  });
  return { rows, total: moves.length };
}

export function trendsView(trends: Trends): TrendsView {
  const { audits, frameworks } = trends;
  const labels = audits.map((a) => a.label);
  const first = audits[0];
  const previous = audits[audits.length - 2];
  // Only the statuses some audit has, in the findings' order: an empty NOT_TESTED column says nothing.
  // Observations (FAIL at severity info) next to FAIL, so each row adds up to its audit's results.
  const statuses = COUNTED_STATUSES.filter((s) => audits.some((a) => a.counts[s] > 0));
  const statusRows = audits.map((a) => ({ label: a.label, counts: Object.fromEntries(statuses.map((s) => [s, a.counts[s]])) }));
  const statusDesc = audits.map((a) => `${a.label}: ${statuses.map((s) => `${a.counts[s]} ${STATUS_LABELS[s].toLowerCase()}`).join(', ')}, ${a.total} results, ${a.detections} detections`).join('; ');
  return {
    intro: previous
      ? `${plural(audits.length, 'audit')} of the same organization, from ${first?.label ?? ''} to ${labels[labels.length - 1] ?? ''}: this run and the earlier findings files of the history folder. Each audit's counts are its own findings file's; requirement statuses are those each file records.`
      : `The history folder holds no earlier audit of the same organization${trends.skipped.length > 0 ? ' (the files not used are listed below)' : ''}: the trends show this run alone.`,
    charts: {
      statuses: stackedBarChart(statusRows, 'Results by status, per audit', 'results', { desc: statusDesc, named: true }),
      frameworks: frameworks.length > 0
        ? groupedBarChart(frameworks.map((fw, i) => ({ label: fw.name, values: audits.map((a) => a.failing[i] ?? null), of: audits.map((a) => a.requirements[i] ?? null) })), labels, 'Failing requirements per framework', 'requirements that FAIL')
        : '',
    },
    statuses: statuses.map((status) => ({ status, label: STATUS_LABELS[status] })),
    audits: audits.map((a, i) => ({ label: a.label, period: a.period, runId: a.runId, file: a.file ?? 'this run', current: i === audits.length - 1, counts: statuses.map((s) => a.counts[s]), total: a.total, detections: a.detections })),
    auditLabels: labels,
    frameworks: frameworks.map((fw, i) => ({ id: fw.id, name: fw.name, cells: audits.map((a) => failingCell(a, i)) })),
    previous: previous?.label ?? '',
    moves: previous
      ? [
          { title: `Checks that regressed since ${previous.label}`, empty: 'No result that was not failing then fails now.', ...moveRows(trends.regressed) },
          { title: `Checks that recovered since ${previous.label}`, empty: 'No result that failed then passes now.', ...moveRows(trends.recovered) },
        ]
      : [],
    skipped: trends.skipped,
  };
}
