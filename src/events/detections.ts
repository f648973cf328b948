// Detections in the findings file's shape (CONTRACT section 3): who (ARN, type, the session issuer of a
// role session), what (eventSource, eventName, the key request parameters), when, from where (IP, user
// agent, account, region) and with what result (errorCode, errorMessage). A correlation's detection also
// has its count, first and last time, the fields of its grouping and a few sample events.
import type { Detection } from '../model/types.js';
import { summarizeEvent, type CloudTrailRecord, type EventSummary } from './record.js';
import type { CompiledRule, CorrelationMatch } from './sigma/types.js';

/** Request parameters kept per detection, and the longest text kept per value. */
const MAX_PARAMETERS = 12;
const MAX_VALUE_TEXT = 300;

function clip(text: string): string {
  return text.length <= MAX_VALUE_TEXT ? text : `${text.slice(0, MAX_VALUE_TEXT - 1)}…`;
}

/**
 * The request parameters worth showing: the first few, scalars as they are, small structures kept whole,
 * large ones (a policy document) as clipped JSON text, so a detection stays small whatever the call was.
 */
export function keyParameters(params: unknown): Record<string, unknown> | undefined {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return undefined;
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    if (n++ >= MAX_PARAMETERS) break;
    if (value === null || typeof value === 'boolean' || typeof value === 'number') out[key] = value;
    else if (typeof value === 'string') out[key] = clip(value);
    else {
      const text = JSON.stringify(value);
      out[key] = text.length <= MAX_VALUE_TEXT ? value : clip(text);
    }
  }
  return n === 0 ? undefined : out;
}

function base(ruleId: string, title: string, severity: Detection['severity'], s: EventSummary): Detection {
  return {
    ruleId,
    title,
    severity,
    eventTime: s.eventTime,
    eventName: s.eventName,
    eventSource: s.eventSource,
    eventId: s.eventID,
    actor: s.actor,
    actorType: s.actorType,
    sourceIPAddress: s.sourceIPAddress,
    userAgent: s.userAgent,
    account: s.account,
    region: s.region,
    errorCode: s.errorCode,
    count: 1,
    firstSeen: s.eventTime,
    lastSeen: s.eventTime,
  };
}

/** One event that matched one rule. */
export function eventDetection(rule: CompiledRule, record: CloudTrailRecord): Detection {
  const summary = summarizeEvent(record);
  const d = base(rule.ruleId, rule.title, rule.severity, summary);
  if (summary.sessionIssuer !== null) d['sessionIssuer'] = summary.sessionIssuer;
  const params = keyParameters(record.requestParameters);
  if (params !== undefined) d['requestParameters'] = params;
  if (typeof record.errorMessage === 'string' && record.errorMessage !== '') d['errorMessage'] = clip(record.errorMessage);
  const arns = (record.resources ?? []).map((r) => r.ARN).filter((a): a is string => typeof a === 'string' && a !== '');
  if (arns.length > 0) d['resources'] = arns.slice(0, MAX_PARAMETERS);
  if (rule.trailproof !== null && rule.trailproof.cis.length > 0) d['cis'] = [...rule.trailproof.cis];
  return d;
}

/** Group-by fields that fill a detection's own fields, so the table says who or where for the group. */
const GROUP_FIELD_TO_DETECTION: Record<string, keyof Detection> = {
  'userIdentity.arn': 'actor',
  'userIdentity.type': 'actorType',
  sourceIPAddress: 'sourceIPAddress',
  userAgent: 'userAgent',
  recipientAccountId: 'account',
  'userIdentity.accountId': 'account',
  awsRegion: 'region',
  eventName: 'eventName',
  eventSource: 'eventSource',
  errorCode: 'errorCode',
};

/** One burst of a correlation: its first sample event stands for "what", the grouping says "who" or "where". */
export function correlationDetection(match: CorrelationMatch): Detection {
  const first = match.samples[0]?.summary;
  const empty: EventSummary = {
    eventTime: match.firstSeen, eventID: '', eventName: '', eventSource: '', actor: '', actorType: '', sessionIssuer: null,
    sourceIPAddress: '', userAgent: '', account: '', region: '', errorCode: null,
  };
  const d = base(match.ruleId, match.title, match.severity, first ?? empty);
  d.eventTime = toSeconds(match.firstSeen);
  d.count = match.count;
  d.firstSeen = toSeconds(match.firstSeen);
  d.lastSeen = toSeconds(match.lastSeen);
  if (first?.sessionIssuer) d['sessionIssuer'] = first.sessionIssuer;
  for (const [field, value] of Object.entries(match.groupBy)) {
    d[field] = value;
    const own = GROUP_FIELD_TO_DETECTION[field];
    if (own !== undefined && value !== null) (d as Record<string, unknown>)[own] = value;
  }
  d['groupBy'] = { ...match.groupBy };
  d['correlation'] = match.type;
  d['events'] = match.events;
  if (match.values.length > 0) d['values'] = [...match.values];
  d['rules'] = [...match.rules];
  d['samples'] = match.samples.map((s) => ({
    eventTime: s.summary.eventTime,
    eventId: s.summary.eventID,
    eventName: s.summary.eventName,
    actor: s.summary.actor,
    sourceIPAddress: s.summary.sourceIPAddress,
    errorCode: s.summary.errorCode,
  }));
  const cis = match.rule.trailproof?.cis ?? [];
  if (cis.length > 0) d['cis'] = [...cis];
  return d;
}

/** CloudTrail writes times to the second; correlation times come back from Date with milliseconds. */
function toSeconds(iso: string): string {
  return iso.replace(/\.000Z$/, 'Z');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The findings order: by time, then rule, account, region, event id and actor, so runs diff cleanly. */
export function compareDetections(a: Detection, b: Detection): number {
  return (
    cmp(a.firstSeen, b.firstSeen) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.account, b.account) ||
    cmp(a.region, b.region) ||
    cmp(a.eventId, b.eventId) ||
    cmp(a.actor, b.actor) ||
    cmp(a.lastSeen, b.lastSeen) ||
    cmp(JSON.stringify(a['groupBy'] ?? null), JSON.stringify(b['groupBy'] ?? null))
  );
}
