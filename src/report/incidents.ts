// Each high or critical detection told as an incident, from the findings' `eventContext` (collected during
// the audit by src/events/context.ts): who, with which access key and session; what the same principal did
// before and after within the window; what others' calls on the same resources met afterwards; the resources
// touched; and the log file the event was read from with the digest verification that covers it (the
// trail.log-integrity result of the trail whose logs and digest files share that file's delivery root).
import type { ContextEvent, DetectionContext, EventContextSection, Findings, Result, Severity, Status } from '../model/types.js';
import { formatDateTime, groupBy, plural, serviceName, shortActor } from './format.js';

export function eventContextOf(findings: Findings): EventContextSection | null {
  const ctx = findings.eventContext;
  return ctx !== undefined && Array.isArray(ctx.detections) && Array.isArray(ctx.logDays) ? ctx : null;
}

export interface IncidentRow {
  eventId: string;
  clock: string;
  action: string;
  target: string;
  result: string;
  failed: boolean;
  /** The detection's own event, highlighted. */
  self: boolean;
  who: string;
}

export interface Incident {
  anchor: string;
  at: string;
  /** The detection's eventTime (ISO), to order incidents by time rather than by their formatted text. */
  time: string;
  severity: Severity;
  titles: string;
  rules: string;
  who: string;
  principal: string;
  accessKey: string;
  session: string;
  sourceIp: string;
  userAgent: string;
  where: string;
  result: string;
  rows: IncidentRow[];
  omitted: string | null;
  resources: string[];
  logFile: { file: string; sha256: string } | null;
  proof: { status: Status | null; text: string };
  /** Detections told in this incident (one principal's events within overlapping windows are one incident). */
  events: number;
}

function row(e: ContextEvent, self = false): IncidentRow {
  return {
    eventId: e.eventId,
    clock: e.eventTime.slice(11, 19),
    action: `${serviceName(e.eventSource)}:${e.eventName}`,
    target: e.targets.length > 1 ? `${e.targets[0] ?? ''} (+${e.targets.length - 1})` : (e.targets[0] ?? ''),
    result: e.errorCode === null ? 'Succeeded' : `Failed: ${e.errorCode}`,
    failed: e.errorCode !== null,
    self,
    who: e.principal === undefined ? '' : (/:assumed-role\/([^/]+)\//.exec(e.principal)?.[1] ?? shortActor(e.principal)),
  };
}

/** The root a log file is delivered under (`logs/AWSLogs/<org or account>/`), shared with its trail's digest files. */
function deliveryRoot(file: string): string {
  const m = /^(.*?AWSLogs\/(?:o-[a-z0-9]+\/)?)/.exec(file);
  return m?.[1] ?? '';
}

/** The digest verification that covers a log file: a trail.log-integrity result over the same delivery root and time. */
function proofOf(logFile: DetectionContext['logFile'], eventTime: string, results: Result[]): Incident['proof'] {
  if (logFile === null) return { status: null, text: 'The log file holding this event was not found within the window: the event is proven only by the scan that matched it.' };
  const root = deliveryRoot(logFile.file);
  const covering = results.filter((r) => r.checkId === 'trail.log-integrity' && r.evidence.some((e) => root !== '' && deliveryRoot(e.file) === root));
  const within = covering.find((r) => {
    const from = r.details?.provenFrom;
    const to = r.details?.provenTo;
    return typeof from === 'string' && typeof to === 'string' && from <= eventTime && eventTime <= to;
  });
  const r = within ?? covering[0];
  if (r === undefined) return { status: null, text: 'No digest verification in this audit covers this log file: its integrity rests on the bundle manifest\'s SHA-256 alone.' };
  const logs = r.details?.logs as { valid?: number; total?: number } | undefined;
  const span = typeof r.details?.provenFrom === 'string' && typeof r.details.provenTo === 'string' ? ` from ${formatDateTime(r.details.provenFrom)} to ${formatDateTime(r.details.provenTo as string)}` : '';
  const counted = logs?.total !== undefined ? `: ${logs.valid ?? 0} of ${plural(logs.total, 'log file')}${span} verified intact` : '';
  return { status: r.status, text: `${r.status === 'PASS' ? 'Covered by the verified digest chain' : 'Digest verification'} of trail ${r.resource.replace(/^.*:trail\//, '')} (trail.log-integrity)${r.status === 'PASS' ? counted : `: ${r.message}`}.` };
}

function sessionText(ctx: DetectionContext): string {
  const s = ctx.session;
  if (s === null) return 'long-term credentials (no session)';
  const parts = [s.createdAt !== null ? `session started ${formatDateTime(s.createdAt)}` : 'session', s.mfaAuthenticated === null ? '' : s.mfaAuthenticated ? 'with MFA' : 'without MFA', s.issuer !== null ? `issued by ${s.issuer}` : ''];
  return parts.filter(Boolean).join(', ');
}

/** Incidents of one principal whose windows overlap (three root sign-in events) read as one, its rows merged. */
function mergeOverlapping(list: (Incident & { principalArn: string; from: string; to: string })[]): Incident[] {
  const out: (Incident & { principalArn: string; from: string; to: string })[] = [];
  for (const inc of list) {
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.principalArn === inc.principalArn && inc.from <= prev.to) {
      const seen = new Set(prev.rows.map((r) => r.eventId));
      for (const r of inc.rows) {
        const same = prev.rows.find((x) => x.eventId === r.eventId);
        if (same !== undefined) same.self ||= r.self;
        else if (!seen.has(r.eventId)) prev.rows.push(r);
      }
      prev.rows.sort((a, b) => (a.clock < b.clock ? -1 : a.clock > b.clock ? 1 : 0));
      prev.rules = [...new Set([...prev.rules.split(', '), ...inc.rules.split(', ')])].join(', ');
      prev.resources = [...new Set([...prev.resources, ...inc.resources])].sort();
      if (prev.accessKey === 'not recorded') prev.accessKey = inc.accessKey;
      prev.to = inc.to > prev.to ? inc.to : prev.to;
      prev.events++;
      continue;
    }
    out.push(inc);
  }
  return out.map(({ principalArn: _p, from: _f, to: _t, ...inc }) => inc);
}

export function incidents(findings: Findings): Incident[] {
  const ctx = eventContextOf(findings);
  if (ctx === null) return [];
  const byEvent = groupBy(findings.detections, (d) => d.eventId);
  return mergeOverlapping(ctx.detections.flatMap((c, i): (Incident & { principalArn: string; from: string; to: string })[] => {
    const list = (byEvent.get(c.eventId) ?? []).filter((d) => c.ruleIds.includes(d.ruleId));
    const d = [...list].sort((a, b) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(a.severity) - ['critical', 'high', 'medium', 'low', 'info'].indexOf(b.severity))[0];
    if (d === undefined) return [];
    const self: ContextEvent = { eventTime: d.eventTime, eventName: d.eventName, eventSource: d.eventSource, eventId: d.eventId, errorCode: d.errorCode === '' ? null : d.errorCode, sourceIPAddress: d.sourceIPAddress, targets: c.resources.slice(0, 1) };
    const rows = [...c.before.map((e) => row(e)), row(self, true), ...c.after.map((e) => row(e)), ...(c.onResource ?? []).map((e) => row(e))].sort((a, b) => (a.clock < b.clock ? -1 : a.clock > b.clock ? 1 : 0));
    const omitted = c.omitted.before + c.omitted.after + (c.omitted.onResource ?? 0);
    return [{
      anchor: `inc-${i + 1}`,
      at: formatDateTime(d.eventTime),
      time: d.eventTime,
      severity: d.severity,
      titles: [...new Set(list.map((x) => x.title))].join('; '),
      rules: c.ruleIds.join(', '),
      who: `${shortActor(c.principal)} (${d.actorType})`,
      principal: c.principal,
      accessKey: c.accessKeyId === null || c.accessKeyId === '' ? 'not recorded' : c.accessKeyId,
      session: sessionText(c),
      sourceIp: d.sourceIPAddress,
      userAgent: d.userAgent,
      where: `${d.account} · ${d.region}`,
      result: d.errorCode === null || d.errorCode === '' ? 'Succeeded' : `Failed: ${d.errorCode}`,
      rows,
      omitted: omitted > 0 ? `${plural(omitted, 'more event')} in the window (${formatDateTime(c.window.from)} to ${formatDateTime(c.window.to)}) left out: at most ${ctx.bounds.eventsPerSide} a side are kept.` : null,
      resources: c.resources,
      logFile: c.logFile,
      proof: proofOf(c.logFile, d.eventTime, findings.results),
      events: 1,
      principalArn: c.principal,
      from: c.window.from,
      to: c.window.to,
    }];
  }));
}
