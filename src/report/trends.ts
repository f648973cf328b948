// Trends across audits: for the earlier audits of a history folder (trends-history.ts) and the current run,
// the results by status, the failing requirements per framework, and the results that regressed or recovered
// since the previous audit. The report (trends-view.ts) and the Markdown summary show the same numbers.
//
// Nothing is re-decided here. Counts are each file's own summary; requirement statuses are what each findings
// file records (findings.frameworks), and for a file that records none, the engine's own aggregation
// (src/engine/frameworks.ts frameworkView) applied to its results; regressions and recoveries are matched by
// result identity exactly as "Changes since the previous audit" matches them (changes.ts compareChanges).
import { frameworkView, loadFrameworks, type Framework } from '../engine/frameworks.js';
import { nameOfPeriod, describePeriod, formatDay } from '../model/period.js';
import { type Findings, type FrameworkView, type Result, type Status } from '../model/types.js';
import { statusCounts } from './charts.js';
import { compareChanges } from './changes.js';
import type { History, SkippedHistoryFile } from './trends-history.js';

export interface TrendAudit {
  /** The period's name ("2026-Q2"), else its dates, else the day the evidence was collected. */
  label: string;
  period: string;
  runId: string;
  /** The findings file it was read from; null for the current run. */
  file: string | null;
  /** By status, and OBSERVATION: FAIL results at severity info, which summary counts apart (so the counts add up to total). */
  counts: Record<Status | 'OBSERVATION', number>;
  total: number;
  detections: number;
  /** Per TrendFramework (same order): requirements FAIL, or null when the audit did not assess that framework. */
  failing: (number | null)[];
  /** Per TrendFramework: the framework's requirements in that audit, or null. */
  requirements: (number | null)[];
}

export interface TrendFramework {
  id: string;
  /** Title and version: three versions of the CIS benchmark must read apart. */
  name: string;
}

/** A result whose status moved between the previous audit and this one. */
export interface TrendMove {
  result: Result;
  before: Status;
}

export interface Trends {
  /** Oldest first; the last is the current run. */
  audits: TrendAudit[];
  frameworks: TrendFramework[];
  /** Not FAIL in the previous audit (PASS, WAIVED, MANUAL ...), FAIL now. */
  regressed: TrendMove[];
  /** FAIL in the previous audit, PASS or NOT_APPLICABLE now. */
  recovered: TrendMove[];
  skipped: SkippedHistoryFile[];
}

type RunPeriod = Findings['run']['period'];

export function auditLabel(f: Findings, period: RunPeriod = f.run.period): string {
  const { from, to } = period;
  return nameOfPeriod(from, to) ?? (from !== null || to !== null ? describePeriod(period) : `collected ${formatDay(f.run.collectedAt)}`);
}

/** Each framework view of a findings file: as recorded, else derived from its results by the engine's aggregation. */
function frameworkViewsOf(f: Findings, wanted: readonly string[], catalog: () => Framework[]): FrameworkView[] {
  if (f.frameworks !== undefined) return f.frameworks;
  return catalog().filter((fw) => wanted.includes(fw.id)).map((fw) => frameworkView(fw, f.results));
}

/** An audit's cell for framework `i` in a trend table: "3 of 14" failing requirements, or "not assessed". */
export function failingCell(audit: TrendAudit, i: number): string {
  const failing = audit.failing[i];
  return failing == null ? 'not assessed' : `${failing} of ${audit.requirements[i] ?? 0}`;
}

/** Trends computed, by history, run and period: one audit renders them in up to four formats (HTML, PDF, summary.md, e-mail). */
const computed = new WeakMap<History, WeakMap<Findings, Map<string, Trends>>>();

/**
 * `period`: the current run's, when the report is given one (`report --period`) its findings do not record.
 * The same history, findings and period give the same (shared, not to be changed) Trends, computed once.
 */
export function computeTrends(current: Findings, history: History, period: RunPeriod = current.run.period): Trends {
  let byRun = computed.get(history);
  if (byRun === undefined) computed.set(history, (byRun = new WeakMap()));
  let byPeriod = byRun.get(current);
  if (byPeriod === undefined) byRun.set(current, (byPeriod = new Map()));
  const key = JSON.stringify(period);
  let trends = byPeriod.get(key);
  if (trends === undefined) byPeriod.set(key, (trends = trendsOf(current, history, period)));
  return trends;
}

function trendsOf(current: Findings, history: History, period: RunPeriod): Trends {
  let frameworks: Framework[] | undefined;
  const catalog = (): Framework[] => (frameworks ??= loadFrameworks());
  const runs = [...history.audits.map((a) => ({ findings: a.findings, file: a.file as string | null, period: a.findings.run.period })), { findings: current, file: null, period }];
  // The current run's frameworks lead, in its order; a framework only earlier audits assessed follows.
  const named = new Map<string, string>();
  const wanted = (current.frameworks ?? []).map((fw) => fw.id);
  const viewsByRun = runs.map((run) => frameworkViewsOf(run.findings, wanted, catalog));
  for (const views of [viewsByRun[viewsByRun.length - 1] ?? [], ...viewsByRun.slice(0, -1).reverse()]) {
    for (const fw of views) if (!named.has(fw.id)) named.set(fw.id, `${fw.title} ${fw.version}`);
  }
  const trendFrameworks = [...named.entries()].map(([id, name]) => ({ id, name }));
  const audits = runs.map((run, i): TrendAudit => {
    const f = run.findings;
    const views = new Map((viewsByRun[i] ?? []).map((fw) => [fw.id, fw]));
    return {
      label: auditLabel(f, run.period),
      period: describePeriod(run.period),
      runId: f.run.id,
      file: run.file,
      counts: statusCounts(f.summary),
      total: f.results.length,
      detections: f.detections.length,
      failing: trendFrameworks.map(({ id }) => {
        const fw = views.get(id);
        return fw ? fw.requirements.filter((r) => r.status === 'FAIL').length : null;
      }),
      requirements: trendFrameworks.map(({ id }) => views.get(id)?.requirements.length ?? null),
    };
  });
  const previous = history.audits[history.audits.length - 1];
  const changes = previous ? compareChanges(current, previous.findings) : undefined;
  return {
    audits,
    frameworks: trendFrameworks,
    regressed: (changes?.newFailures ?? []).flatMap((c) => (c.before === null ? [] : [{ result: c.result, before: c.before }])),
    recovered: (changes?.fixed ?? []).flatMap((c) => (c.before === null ? [] : [{ result: c.result, before: c.before }])),
    skipped: history.skipped,
  };
}
