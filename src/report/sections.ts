// View-model sections that read the findings' side tables: the detections timeline, scope and method,
// waivers, the changes since the previous audit and the evidence appendix. Nothing here decides a status.
import type { Detection, Findings, Result, Severity, Status } from '../model/types.js';
import type { BundleFacts } from './bundle-facts.js';
import { rollupByCheck, type Changes, type ChangedResult, type CheckRollup } from './changes.js';
import { describePeriod } from '../model/period.js';
import { formatDateTime, formatDay, runsWhere, serviceName, shortActor, utcDay } from './format.js';

/** Detection members every detection has; anything else a rule adds is shown as context. */
const DETECTION_BASE = new Set(['ruleId', 'title', 'severity', 'eventTime', 'eventName', 'eventSource', 'eventId', 'actor', 'actorType', 'sourceIPAddress', 'userAgent', 'account', 'region', 'errorCode', 'count', 'firstSeen', 'lastSeen']);

const TARGET_KEY = /(^|[a-z])(bucketName|name|Name|Id|Arn|ARN|arn)$/;

/** What an event acted on, when its request parameters (or resources) say: a bucket, trail, user, role... */
export function detectionTarget(d: Detection): string | null {
  const params = d.requestParameters;
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) {
    for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
      if (typeof value === 'string' && value !== '' && key !== 'Host' && TARGET_KEY.test(key)) return value;
    }
  }
  const resources = d.resources;
  if (Array.isArray(resources)) {
    for (const r of resources as unknown[]) {
      if (typeof r === 'object' && r !== null) {
        const arn = (r as Record<string, unknown>).ARN ?? (r as Record<string, unknown>).arn;
        if (typeof arn === 'string') return arn;
      }
    }
  }
  return null;
}

export interface TimelineItem {
  anchor: string;
  time: string;
  timeText: string;
  severity: Severity;
  ruleId: string;
  title: string;
  actor: string;
  actorShort: string;
  actorType: string;
  action: string;
  target: string | null;
  eventId: string;
  sourceIp: string;
  region: string;
  account: string;
  userAgent: string;
  succeeded: boolean;
  result: string;
  /** Every rule that matched this event (one row, however many rules matched it), most severe first. */
  rules: string;
  /** Whether the incident timeline tells this event with its context (then the print shows its row briefly). */
  told: boolean;
  /** For correlation rules: "12 events from <first> to <last>"; null for single events. */
  span: string | null;
  context: { key: string; value: string }[];
}

export interface TimelineDay {
  day: string;
  dayText: string;
  items: TimelineItem[];
  /** A run of days without logs in the evidence (then items is empty and dayText names the run), or 0. */
  notExaminedDays: number;
}

function compact(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length <= 160 ? text : `${text.slice(0, 159)}…`;
}

/** Request parameters and other context as "a.b: value" pairs, so the word a verdict rests on ("Suspended") is never cut. */
export function flatten(value: unknown, prefix = '', out: { key: string; value: string }[] = []): { key: string; value: string }[] {
  if (out.length >= 8) return out;
  if (typeof value === 'string' && /^\s*[{[]/.test(value)) {
    try {
      return flatten(JSON.parse(value) as unknown, prefix, out);
    } catch {
      // Not JSON after all: shown as the text it is.
    }
  }
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) {
    out.push({ key: prefix, value: compact(value.join(', ')) });
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === 'Host' || k === 'xmlns' || v === '' || v === null || v === undefined) continue;
      flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
    }
  } else out.push({ key: prefix, value: compact(value) });
  return out;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export function timeline(detections: Detection[], told: ReadonlySet<string> = new Set()): TimelineDay[] {
  const sorted = [...detections].sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || (a.ruleId < b.ruleId ? -1 : 1)));
  // One event matched by several rules is one row naming them all (correlations stay rows of their own).
  const byEvent = new Map<string, Detection[]>();
  for (const d of sorted) {
    const key = d.count > 1 ? `${d.ruleId}\u0000${d.firstSeen}\u0000${d.actor}` : d.eventId;
    const list = byEvent.get(key);
    if (list) list.push(d);
    else byEvent.set(key, [d]);
  }
  const days = new Map<string, TimelineItem[]>();
  [...byEvent.values()].forEach((list, i) => {
    const byRank = [...list].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
    const d = byRank[0] as Detection;
    const item: TimelineItem = {
      anchor: `det-${i + 1}`,
      time: d.eventTime,
      timeText: formatDateTime(d.eventTime),
      severity: d.severity,
      ruleId: d.ruleId,
      title: byRank.map((x) => x.title).join('; '),
      rules: byRank.map((x) => `${x.ruleId} (${x.severity})`).join(', '),
      actor: d.actor,
      actorShort: shortActor(d.actor),
      actorType: d.actorType,
      action: `${serviceName(d.eventSource)}:${d.eventName}`,
      target: detectionTarget(d),
      eventId: d.eventId,
      sourceIp: d.sourceIPAddress,
      region: d.region,
      account: d.account,
      userAgent: d.userAgent,
      succeeded: d.errorCode === null || d.errorCode === '',
      result: d.errorCode === null || d.errorCode === '' ? 'Succeeded' : `Failed: ${d.errorCode}`,
      told: told.has(d.eventId),
      span: d.count > 1 ? `${d.count} events from ${formatDateTime(d.firstSeen)} to ${formatDateTime(d.lastSeen)}` : null,
      context: Object.entries(d)
        .filter(([k, v]) => !DETECTION_BASE.has(k) && !['samples', 'groupBy', 'rules', 'resources', 'cis'].includes(k) && v !== null && v !== undefined && v !== '')
        .flatMap(([key, value]) => flatten(value, key))
        .slice(0, 6),
    };
    const day = utcDay(d.eventTime) || 'unknown';
    const items = days.get(day) ?? [];
    items.push(item);
    days.set(day, items);
  });
  return [...days.entries()].map(([day, items]) => ({ day, dayText: day === 'unknown' ? 'Unknown day' : formatDay(`${day}T00:00:00Z`), items, notExaminedDays: 0 }));
}

/**
 * The detections table's days with each run of days without logs placed among them in date order, as one
 * row ("1 Jul 2026 to 12 Sep 2026: not examined"), so a stretch of the table without detections is never
 * read as a quiet one. Which days were examined comes from detectionsPerDay (findings.eventContext.logDays).
 */
export function withDaysNotExamined(days: TimelineDay[], perDay: { day: string; examined?: boolean }[]): TimelineDay[] {
  const runs = runsWhere(perDay, (d) => d.examined === false).map(([i, j]): TimelineDay => {
    const first = perDay[i]?.day ?? '';
    const last = perDay[j - 1]?.day ?? first;
    return { day: first, dayText: first === last ? formatDay(`${first}T00:00:00Z`) : `${formatDay(`${first}T00:00:00Z`)} to ${formatDay(`${last}T00:00:00Z`)}`, items: [], notExaminedDays: j - i };
  });
  // 'unknown' sorts after every YYYY-MM-DD; sort is stable, so a day keeps its place.
  return [...days, ...runs].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

/** Every UTC day from the period (when bounded and under ~13 months) or the detections' span, with counts. */
export function detectionsPerDay(detections: Detection[], period: { from: string | null; to: string | null }, examined?: ReadonlySet<string>): { day: string; count: number; examined?: boolean }[] {
  const counts = new Map<string, number>();
  for (const d of detections) {
    const day = utcDay(d.eventTime);
    if (day) counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  const known = [...counts.keys()].sort();
  let first = known[0];
  let last = known[known.length - 1];
  if (period.from !== null && period.to !== null && Date.parse(period.to) - Date.parse(period.from) <= 400 * 86_400_000) {
    const pf = utcDay(period.from);
    const pt = utcDay(period.to);
    first = first === undefined || pf < first ? pf : first;
    last = last === undefined || pt > last ? pt : last;
  }
  if (first === undefined || last === undefined) return [];
  const out: { day: string; count: number; examined?: boolean }[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`) && out.length < 800; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(examined === undefined ? { day, count: counts.get(day) ?? 0 } : { day, count: counts.get(day) ?? 0, examined: examined.has(day) || (counts.get(day) ?? 0) > 0 });
  }
  return out;
}

export interface ScopeView {
  accounts: { id: string; name: string | null }[];
  regions: string[];
  sources: string[];
  notCollected: { what: string; why: string }[];
  notCollectedMore: number;
}

const NOT_COLLECTED_SHOWN = 60;

export function scopeView(findings: Findings, facts: BundleFacts | null): ScopeView {
  const accounts = findings.run.scope.accounts.map((id) => ({ id, name: facts?.accountNames.get(id) ?? null }));
  const bundle = findings.run.bundle;
  const sources: string[] = [
    findings.run.source === 'live'
      ? `AWS API responses collected live at ${formatDateTime(findings.run.collectedAt)}`
      : `AWS API responses from the evidence bundle ${bundle?.path ?? '(path not recorded)'}${bundle ? `, written by ${bundle.tool} ${bundle.version}` : ''}, collected ${formatDateTime(findings.run.collectedAt)}`,
  ];
  if (facts?.hasLogs) sources.push('CloudTrail log files delivered to S3 (the bundle\'s logs/ folder)');
  if (facts?.hasLookupEvents) sources.push('CloudTrail event history (LookupEvents)');
  if (findings.detections.length > 0 && !facts?.hasLogs && !facts?.hasLookupEvents) sources.push('CloudTrail events read by the event-history rules');
  sources.push(`Period under review: ${describePeriod(findings.run.period)}`);

  const gaps: { what: string; why: string }[] = [];
  for (const file of findings.integrity?.missing ?? []) gaps.push({ what: file, why: 'listed in the manifest but missing from the bundle' });
  for (const file of findings.integrity?.modified ?? []) gaps.push({ what: file, why: 'does not match its SHA-256 in the manifest (results citing it are marked tampered)' });
  for (const file of findings.integrity?.unlisted ?? []) gaps.push({ what: file, why: 'in the bundle but not listed in the manifest: not read' });
  for (const r of findings.results.filter((x) => x.status === 'ERROR')) {
    gaps.push({ what: `${r.checkId} for ${r.resource} (${r.account}, ${r.region})`, why: r.message });
  }
  if (facts) {
    const inScope = new Set(findings.run.scope.accounts);
    for (const [id, name] of [...facts.accountNames.entries()].sort()) {
      if (!inScope.has(id)) gaps.push({ what: `account ${id} (${name})`, why: 'member of the organization, not in the collected scope' });
    }
  }
  return { accounts, regions: findings.run.scope.regions, sources, notCollected: gaps.slice(0, NOT_COLLECTED_SHOWN), notCollectedMore: Math.max(0, gaps.length - NOT_COLLECTED_SHOWN) };
}

export interface WaiverRow {
  checkId: string;
  resource: string;
  account: string;
  reason: string;
  owner: string;
  expires: string;
  matched: number;
  /** Working-paper fields when the findings carry them (waiver.approvedBy / approvedOn in the config). */
  approvedBy: string;
  approvedOn: string;
}

export function waiverRows(findings: Findings): { active: WaiverRow[]; expired: WaiverRow[] } {
  const rows = findings.waivers.map((w) => ({
    row: { checkId: w.checkId, resource: w.resource, account: w.account ?? 'any', reason: w.reason, owner: w.owner, expires: w.expires, matched: w.matched, approvedBy: (w as { approvedBy?: string }).approvedBy ?? '', approvedOn: (w as { approvedOn?: string }).approvedOn ?? '' },
    expired: w.expired,
  }));
  return { active: rows.filter((r) => !r.expired).map((r) => r.row), expired: rows.filter((r) => r.expired).map((r) => r.row) };
}

export interface ChangeRow {
  checkId: string;
  severity: Severity;
  status: Status;
  before: string;
  account: string;
  region: string;
  resource: string;
  message: string;
}

export interface ChangesView {
  previousRun: string;
  previousPeriod: string;
  previousFinished: string;
  previousFile: string | null;
  /** Each group lists its results, or (`checks`) rolls them up per check where the results chapter lists them. */
  groups: { title: string; rows: ChangeRow[]; checks: CheckRollup[] | null; total: number; empty: string }[];
  counts: { status: Status; now: number; before: number; delta: string }[];
  detections: { now: number; before: number; delta: string };
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n === 0 ? '0' : String(n);
}

function row(r: Result, before: string): ChangeRow {
  return { checkId: r.checkId, severity: r.severity, status: r.status, before, account: r.account, region: r.region, resource: r.resource, message: r.message };
}

export function changesView(changes: Changes): ChangesView {
  const rows = (list: ChangedResult[]): ChangeRow[] => list.map((c) => row(c.result, c.before ?? 'not reported'));
  return {
    previousRun: changes.previous.runId,
    previousPeriod: describePeriod(changes.previous.period),
    previousFinished: formatDateTime(changes.previous.finishedAt),
    previousFile: changes.previous.file ?? null,
    groups: [
      { title: 'New failures', rows: rows(changes.newFailures), total: changes.newFailures.length, checks: null, empty: 'No new failures.' },
      { title: 'Fixed', rows: rows(changes.fixed), total: changes.fixed.length, checks: null, empty: 'Nothing that failed before passes now.' },
      // Still failing: the results chapter lists every one of them already; here, per check, how many.
      { title: 'Still failing', rows: [], checks: rollupByCheck(changes.stillFailing.map((c) => c.result)), total: changes.stillFailing.length, empty: 'Nothing failed in both audits.' },
      { title: 'Newly waived', rows: rows(changes.newlyWaived), total: changes.newlyWaived.length, checks: null, empty: 'No result newly waived.' },
      { title: 'Failing before, not reported now', rows: changes.noLongerReported.map((r) => row(r, 'FAIL')), total: changes.noLongerReported.length, checks: null, empty: 'Every earlier failure is accounted for above.' },
    ],
    counts: changes.counts.map((c) => ({ status: c.status, now: c.now, before: c.before, delta: signed(c.delta) })),
    detections: { now: changes.detections.now, before: changes.detections.before, delta: signed(changes.detections.delta) },
  };
}
