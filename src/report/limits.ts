// What the evidence is and is not, stated once and shown on the cover and in scope and method: the
// configuration is one snapshot, the logs cover the days the findings record (eventContext.logDays), the
// scope is the accounts and regions collected, and what an auditor should sample elsewhere. Every figure
// comes from the findings (and the bundle's account names when the bundle is at hand); nothing is decided.
import type { Findings } from '../model/types.js';
import { formatDateTime, formatDay, plural } from './format.js';
import { eventContextOf } from './incidents.js';
import type { Period } from '../model/period.js';
import type { ScopeView } from './sections.js';

export interface LimitsView {
  /** Short lines for the cover box. */
  evidence: string[];
  notShown: string[];
  sampleElsewhere: string[];
  excluded: { what: string; why: string }[];
  /** The UTC days of the period with logs in the evidence, or null when the findings do not record them. */
  examinedDays: Set<string> | null;
}

function daysOf(period: Period): string[] {
  if (period.from === null || period.to === null) return [];
  const out: string[] = [];
  for (let t = Date.parse(period.from.slice(0, 10)); t <= Date.parse(period.to) && out.length < 800; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** "13 Sep 2026 to 15 Sep 2026, 20 Sep 2026": runs of consecutive days. */
export function dayRuns(days: string[]): string {
  const runs: string[][] = [];
  for (const day of [...days].sort()) {
    const last = runs[runs.length - 1];
    const prev = last?.[last.length - 1];
    if (last !== undefined && prev !== undefined && Date.parse(day) - Date.parse(prev) === 86_400_000) last.push(day);
    else runs.push([day]);
  }
  return runs.map((r) => (r.length === 1 ? formatDay(`${r[0]}T00:00:00Z`) : `${formatDay(`${r[0]}T00:00:00Z`)} to ${formatDay(`${r[r.length - 1]}T00:00:00Z`)}`)).join(', ');
}

export function limitsView(findings: Findings, period: Period, scope: ScopeView): LimitsView {
  const ctx = eventContextOf(findings);
  const periodDays = daysOf(period);
  const logDays = ctx?.logDays.map((d) => d.day) ?? [];
  const inPeriod = periodDays.length > 0 ? logDays.filter((d) => periodDays.includes(d)) : logDays;
  const evidence = [
    `Configuration: one snapshot of the AWS API responses taken ${formatDateTime(findings.run.collectedAt)}. It shows the state at that moment, not throughout the period.`,
  ];
  if (ctx === null) evidence.push(findings.detections.length > 0 ? 'Logs: events were scanned, but the findings do not record which days they cover.' : 'Logs: no CloudTrail log was examined in this audit.');
  else if (logDays.length === 0) evidence.push('Logs: the evidence holds no delivered CloudTrail log files; any event history it holds (LookupEvents) is not dated here, so the days examined are not stated.');
  else evidence.push(`Logs: CloudTrail log files for ${periodDays.length > 0 ? `${plural(inPeriod.length, 'day')} of the ${plural(periodDays.length, 'day')} in the period` : plural(logDays.length, 'day')} (${dayRuns(inPeriod.length > 0 ? inPeriod : logDays)}); the other days were not examined.`);
  evidence.push(`Scope: ${plural(scope.accounts.length, 'account')} (${scope.accounts.map((a) => a.id).join(', ')}) in ${plural(scope.regions.length, 'region')} (${scope.regions.join(', ') || 'none recorded'}).`);

  const excluded = scope.notCollected.filter((g) => g.what.startsWith('account ')).map((g) => ({ what: g.what, why: `${g.why}: its trails, buckets and events were not examined, so organization-wide results do not speak for it.` }));
  for (const r of findings.results) {
    const m = /lives in an account outside the collected scope/.exec(r.message);
    if (m && !excluded.some((e) => e.what === r.resource)) excluded.push({ what: r.resource, why: 'referenced by a trail in scope but held in an account that was not collected: its protection is unverified (MANUAL results).' });
  }
  const unexamined = periodDays.length - inPeriod.length;
  return {
    evidence,
    notShown: [
      'Changes between snapshots: a setting turned off and back on during the period does not show in the configuration.',
      ...(unexamined > 0 ? [`Events on the ${plural(unexamined, 'day')} of the period without logs in the evidence.`] : []),
      'Events the trails do not record (data events they exclude), accounts and regions outside the scope, and whether alarms were acted on.',
    ],
    sampleElsewhere: [
      ...(unexamined > 0 ? ['For the days not examined: a sample of the organization trail\'s log files (or CloudTrail Lake) from those days, scanned with trailproof scan.'] : []),
      'For the configuration during the period: AWS Config configuration history, or the previous audits\' findings (--history).',
      ...(excluded.length > 0 ? ['For the excluded accounts and buckets: their own evidence, or a collection that includes them.'] : []),
    ],
    excluded,
    examinedDays: ctx === null ? null : new Set(logDays),
  };
}
