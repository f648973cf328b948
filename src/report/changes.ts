// "Changes since the previous audit": results matched by what they are about (check, account, region,
// resource), never by position, so two findings files compare however their results were ordered.
import { SEVERITIES, STATUSES, type Findings, type Result, type Status } from '../model/types.js';
import { groupBy } from './format.js';

export interface ChangedResult {
  result: Result;
  /** The status in the previous audit, or null when the previous audit had no such result. */
  before: Status | null;
}

export interface Changes {
  previous: { runId: string; finishedAt: string; period: { from: string | null; to: string | null }; file?: string };
  /** FAIL now, and not FAIL before (new, or was PASS, WAIVED ...). */
  newFailures: ChangedResult[];
  /** FAIL before, PASS or NOT_APPLICABLE now. */
  fixed: ChangedResult[];
  stillFailing: ChangedResult[];
  /** WAIVED now and not before. */
  newlyWaived: ChangedResult[];
  /** FAIL before and not reported now at all: fixed by removal, or out of scope; an auditor asks which. */
  noLongerReported: Result[];
  /** Per status: count now and before. */
  counts: { status: Status; now: number; before: number; delta: number }[];
  detections: { now: number; before: number; delta: number };
}

export function resultKey(r: Pick<Result, 'checkId' | 'account' | 'region' | 'resource'>): string {
  return `${r.checkId}\u0000${r.account}\u0000${r.region}\u0000${r.resource}`;
}

export function compareChanges(current: Findings, previous: Findings, previousFile?: string): Changes {
  const before = new Map<string, Result>();
  for (const r of previous.results) before.set(resultKey(r), r);
  const seen = new Set<string>();
  const changes: Changes = {
    previous: { runId: previous.run.id, finishedAt: previous.run.finishedAt, period: previous.run.period },
    newFailures: [],
    fixed: [],
    stillFailing: [],
    newlyWaived: [],
    noLongerReported: [],
    counts: [],
    detections: { now: current.detections.length, before: previous.detections.length, delta: current.detections.length - previous.detections.length },
  };
  if (previousFile !== undefined) changes.previous.file = previousFile;
  for (const r of current.results) {
    const key = resultKey(r);
    seen.add(key);
    const old = before.get(key);
    const was = old?.status ?? null;
    if (r.status === 'FAIL') (was === 'FAIL' ? changes.stillFailing : changes.newFailures).push({ result: r, before: was });
    else if (was === 'FAIL' && (r.status === 'PASS' || r.status === 'NOT_APPLICABLE')) changes.fixed.push({ result: r, before: was });
    if (r.status === 'WAIVED' && was !== 'WAIVED') changes.newlyWaived.push({ result: r, before: was });
  }
  for (const [key, r] of before) if (!seen.has(key) && r.status === 'FAIL') changes.noLongerReported.push(r);
  changes.counts = STATUSES.map((status) => {
    const now = current.summary[status] ?? 0;
    const then = previous.summary[status] ?? 0;
    return { status, now, before: then, delta: now - then };
  });
  return changes;
}

/** Results of one check, rolled up: how many and where, with a few of their resources named. */
export interface CheckRollup {
  checkId: string;
  title: string;
  severity: Result['severity'];
  results: number;
  accounts: number;
  /** Up to ROLLUP_EXAMPLES resources, in the results' order. */
  examples: string[];
  /** Resources not named. */
  more: number;
}

export const ROLLUP_EXAMPLES = 3;

/**
 * One row per check, most severe first, then most results: where a list of results would repeat what the
 * results chapter already shows in full ("still failing", "regressed since the previous audit").
 */
export function rollupByCheck(results: readonly Result[]): CheckRollup[] {
  const byCheck = groupBy(results, (r) => r.checkId);
  const rank = (s: Result['severity']): number => SEVERITIES.indexOf(s);
  return [...byCheck.entries()].map(([checkId, list]) => {
    const first = list[0] as Result;
    const resources = [...new Set(list.map((r) => r.resource))];
    return {
      checkId,
      title: first.title,
      severity: first.severity,
      results: list.length,
      accounts: new Set(list.map((r) => r.account)).size,
      examples: resources.slice(0, ROLLUP_EXAMPLES),
      more: Math.max(0, resources.length - ROLLUP_EXAMPLES),
    };
  }).sort((a, b) => rank(a.severity) - rank(b.severity) || b.results - a.results || (a.checkId < b.checkId ? -1 : 1));
}
