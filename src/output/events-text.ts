// Text forms of events and detections: tables for a person (laid out by src/output/table.ts to fit a terminal
// or whole for a pipe), CSV and JSON lines for machines, and the summary a scan or search ends with. Fields a
// caller controls (the user agent above all) are made safe for a terminal (no control characters) and for a
// spreadsheet (no formula at the start of a cell).
import { SEVERITIES, type Detection } from '../model/types.js';
import { renderTable, type Column } from './table.js';
import { PLAIN, severityTone, type Screen, type Tone } from './terminal.js';
import type { PipelineStats } from '../events/pipeline.js';
import { failureOf } from '../events/failure.js';
import { summarizeEvent, type CloudTrailRecord } from '../events/record.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A text for a log line: control characters (escape sequences, newlines) shown as `?`, long text clipped. */
export function cell(value: unknown, max = 80): string {
  const text = (value === null || value === undefined ? '' : String(value)).replace(CONTROL, '?');
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function service(eventSource: string): string {
  return eventSource.replace(/\.amazonaws\.com$/, '');
}

/**
 * Request parameters that name what a call acted on, most telling first: the first one present is the
 * RESOURCE of an event that lists no `resources` ARN (most management events list none).
 */
const RESOURCE_PARAMETERS = [
  'bucketName', 'roleName', 'userName', 'groupName', 'policyArn', 'keyId', 'trailName', 'name', 'functionName',
  'instanceId', 'dBInstanceIdentifier', 'secretId', 'logGroupName', 'detectorId', 'topicArn', 'queueUrl',
  'tableName', 'stackName', 'clusterName', 'repositoryName', 'accessKeyId', 'resourceArn', 'arn',
] as const;

/**
 * The resource a call acted on: a naming request parameter (the bucket name, role name, key id people
 * search by), else the first ARN the record lists; '' when neither.
 */
export function resourceOf(record: CloudTrailRecord): string {
  const params = record.requestParameters;
  const listed = (record.resources ?? []).find((res) => typeof res.ARN === 'string' && res.ARN !== '')?.ARN ?? '';
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return listed;
  const named = params as Record<string, unknown>;
  for (const key of RESOURCE_PARAMETERS) {
    const value = named[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  // EC2 writes its instances as instancesSet.items[].instanceId.
  const items = (named['instancesSet'] as { items?: unknown } | undefined)?.items;
  if (Array.isArray(items)) {
    const ids = items.map((i) => (i !== null && typeof i === 'object' ? (i as Record<string, unknown>)['instanceId'] : undefined)).filter((id): id is string => typeof id === 'string');
    if (ids.length > 0) return ids.join(',');
  }
  return listed;
}

function resultTone(value: string): Tone {
  return value === 'ok' ? 'quiet' : 'alert';
}

/** On 80 columns: time, event, resource, actor and result; the rest gives way to them in this order. */
const EVENT_COLUMNS: Column[] = [
  { header: 'TIME', priority: 1, min: 20 },
  { header: 'EVENT', priority: 1, min: 12 },
  { header: 'RESOURCE', priority: 2, min: 12, shorten: 'arn', keepWhole: true },
  { header: 'SERVICE', priority: 7, min: 6 },
  { header: 'ACTOR', priority: 2, min: 16, shorten: 'arn' },
  { header: 'SOURCE IP', priority: 4, min: 15, shorten: 'middle' },
  { header: 'USER AGENT', priority: 8, min: 12, shorten: 'middle' },
  { header: 'ACCOUNT', priority: 5, min: 12 },
  { header: 'REGION', priority: 6, min: 9 },
  { header: 'RESULT', priority: 2, min: 6, tone: resultTone },
];

/** Shows an ISO instant in the zone the user asked for (`--tz`); the instant itself by default (UTC). */
export type TimeText = (iso: string) => string;

const AS_WRITTEN: TimeText = (iso) => iso;

export function eventsTable(records: readonly CloudTrailRecord[], screen: Screen = PLAIN, time: TimeText = AS_WRITTEN): string {
  const rows = records.map((r) => {
    const s = summarizeEvent(r);
    return [time(s.eventTime), s.eventName, resourceOf(r), service(s.eventSource), s.actor, s.sourceIPAddress, s.userAgent, s.account, s.region, failureOf(r) ?? 'ok'];
  });
  return renderTable(EVENT_COLUMNS, rows, screen) + '\n';
}

export const CSV_COLUMNS = [
  'eventTime', 'eventName', 'eventSource', 'actor', 'actorType', 'sessionIssuer', 'sourceIPAddress', 'userAgent',
  'account', 'region', 'errorCode', 'errorMessage', 'eventId', 'readOnly', 'resources', 'requestParameters',
] as const;

/** RFC 4180 quoting; a cell that a spreadsheet would run as a formula gets a leading apostrophe. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function eventsCsv(records: readonly CloudTrailRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records) {
    const s = summarizeEvent(r);
    const values: Record<(typeof CSV_COLUMNS)[number], string> = {
      eventTime: s.eventTime,
      eventName: s.eventName,
      eventSource: s.eventSource,
      actor: s.actor,
      actorType: s.actorType,
      sessionIssuer: s.sessionIssuer ?? '',
      sourceIPAddress: s.sourceIPAddress,
      userAgent: s.userAgent,
      account: s.account,
      region: s.region,
      errorCode: s.errorCode ?? '',
      errorMessage: typeof r.errorMessage === 'string' ? r.errorMessage : '',
      eventId: s.eventID,
      readOnly: r.readOnly === undefined ? '' : String(r.readOnly),
      resources: (r.resources ?? []).map((x) => x.ARN ?? '').filter((a) => a !== '').join(' '),
      requestParameters: r.requestParameters === undefined || r.requestParameters === null ? '' : JSON.stringify(r.requestParameters),
    };
    lines.push(CSV_COLUMNS.map((c) => csvCell(values[c])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * One event told in words (`events --id`): who did what to which resource, when, from where, with what, and
 * how it ended; then the record as CloudTrail wrote it, indented. Every field from the record is made safe
 * for the terminal.
 */
export function eventAccount(record: CloudTrailRecord, time: TimeText = AS_WRITTEN): string {
  const s = summarizeEvent(record);
  const resource = resourceOf(record);
  const failure = failureOf(record);
  const who = `${cell(s.actor, 200)}${s.actorType === '' ? '' : ` (${cell(s.actorType)})`}`;
  const lines = [
    `${who} called ${cell(s.eventName)}${s.eventSource === '' ? '' : ` on ${cell(service(s.eventSource))}`}${resource === '' ? '' : ` for ${cell(resource, 200)}`}.`,
    `  when:      ${cell(time(s.eventTime))}`,
    `  where:     account ${cell(s.account) || '(none)'}, region ${cell(s.region) || '(none)'}, from ${cell(s.sourceIPAddress) || '(no address)'}`,
    `  with:      ${cell(s.userAgent, 200) || '(no user agent)'}`,
    `  result:    ${failure === null ? 'succeeded' : `failed: ${cell(failure, 200)}`}`,
    `  resource:  ${cell(resource, 200) || '(none named)'}`,
  ];
  if (s.sessionIssuer !== null) lines.push(`  issued by: ${cell(s.sessionIssuer, 200)}`);
  lines.push(`  event id:  ${cell(s.eventID)}`);
  // The raw record: JSON escapes control characters, so it is safe on a terminal as it is.
  return `${lines.join('\n')}\n\n${JSON.stringify(record, null, 2)}\n`;
}

/** One record per line, as CloudTrail wrote it. */
export function eventsJsonl(records: readonly CloudTrailRecord[]): string {
  return records.map((r) => JSON.stringify(r) + '\n').join('');
}

const DETECTION_COLUMNS: Column[] = [
  { header: 'SEVERITY', priority: 1, min: 8, tone: severityTone },
  { header: 'RULE', priority: 1, min: 16, shorten: 'middle' },
  { header: 'WHEN', priority: 2, min: 20 },
  { header: 'COUNT', priority: 3, min: 5 },
  { header: 'RESOURCE', priority: 2, min: 12, shorten: 'arn', keepWhole: true },
  { header: 'WHO', priority: 2, min: 16, shorten: 'arn' },
  { header: 'WHAT', priority: 2, min: 12 },
  { header: 'FROM', priority: 4, min: 15, shorten: 'middle' },
  { header: 'ACCOUNT', priority: 4, min: 12 },
  { header: 'REGION', priority: 5, min: 9 },
  { header: 'RESULT', priority: 3, min: 6, tone: resultTone },
];

/** The resource a detection's event acted on, from the request parameters and ARNs the detection keeps. */
export function detectionResource(d: Detection): string {
  const resources = Array.isArray(d['resources']) ? (d['resources'] as unknown[]).filter((a): a is string => typeof a === 'string').map((ARN) => ({ ARN })) : [];
  return resourceOf({ requestParameters: d['requestParameters'], resources } as CloudTrailRecord);
}

function detectionResult(d: Detection): string {
  // A failed console sign-in has no error code, only its message (eventDetection keeps it).
  return d.errorCode ?? (typeof d['errorMessage'] === 'string' && d['errorMessage'] !== '' ? `failed: ${d['errorMessage']}` : 'ok');
}

/** One value when every detection of a group has it, else how many different ones ("3 resources"). */
function sameOr(values: readonly string[], plural: string): string {
  const distinct = [...new Set(values.filter((v) => v !== ''))];
  if (distinct.length <= 1) return distinct[0] ?? '';
  return `${distinct.length} ${plural}`;
}

/**
 * The detections as table rows. Grouped (the terminal default), a rule that fired many times is one row:
 * its count is the events of all its detections, its WHEN the first to the last, and a column whose
 * detections differ says how many values it had; `--no-group` or `--wide` shows each detection.
 */
export function detectionsTable(detections: readonly Detection[], screen: Screen = PLAIN, time: TimeText = AS_WRITTEN, group = false): string {
  const when = (first: string, last: string): string => (first === last ? time(first) : `${time(first)} .. ${time(last)}`);
  if (!group) {
    const rows = detections.map((d) => [
      d.severity, d.ruleId, d.count > 1 ? when(d.firstSeen, d.lastSeen) : time(d.eventTime), String(d.count), detectionResource(d),
      d.actor, d.eventName, d.sourceIPAddress, d.account, d.region, detectionResult(d),
    ]);
    return renderTable(DETECTION_COLUMNS, rows, screen) + '\n';
  }
  const byRule = new Map<string, Detection[]>();
  for (const d of detections) byRule.set(d.ruleId, [...(byRule.get(d.ruleId) ?? []), d]);
  const rows = [...byRule.values()].map((ds) => {
    const first = ds.map((d) => (d.count > 1 ? d.firstSeen : d.eventTime)).sort()[0] ?? '';
    const last = ds.map((d) => (d.count > 1 ? d.lastSeen : d.eventTime)).sort().at(-1) ?? '';
    const one = ds[0] as Detection;
    return [
      one.severity, one.ruleId, when(first, last), String(ds.reduce((sum, d) => sum + d.count, 0)),
      sameOr(ds.map(detectionResource), 'resources'), sameOr(ds.map((d) => d.actor), 'callers'), sameOr(ds.map((d) => d.eventName), 'events'),
      sameOr(ds.map((d) => d.sourceIPAddress), 'addresses'), sameOr(ds.map((d) => d.account), 'accounts'), sameOr(ds.map((d) => d.region), 'regions'),
      sameOr(ds.map(detectionResult), 'results'),
    ];
  });
  return renderTable(DETECTION_COLUMNS, rows, screen) + '\n';
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}

/** The lines every scan and search ends with: what was read, skipped and left out. */
export function readSummary(stats: PipelineStats, maxSkippedShown = 20): string[] {
  const secs = stats.elapsedMs / 1000;
  const perSecond = secs > 0 ? Math.round(stats.events / secs) : stats.events;
  const out = [
    `read ${stats.sources.join(' + ')}: ${n(stats.files - stats.filesSkipped)} files read, ${n(stats.filesSkipped)} skipped; ` +
      `${n(stats.events)} events (${n(stats.eventsInScope)} in scope${stats.eventsSkipped > 0 ? `, ${n(stats.eventsSkipped)} unreadable` : ''}) ` +
      `in ${secs.toFixed(1)}s, ${n(perSecond)} events/s, ${stats.workers === 0 ? 'one thread' : `${stats.workers} worker thread${stats.workers === 1 ? '' : 's'}`}`,
  ];
  if (stats.pruned.folders + stats.pruned.files > 0) out.push(`left unopened, out of scope by their key: ${n(stats.pruned.folders)} folders, ${n(stats.pruned.files)} files`);
  for (const s of stats.skipped.slice(0, maxSkippedShown)) out.push(`skipped ${cell(s.name, 200)}: ${cell(s.reason, 200)}`);
  const more = stats.skipped.length + stats.skippedUnlisted - Math.min(stats.skipped.length, maxSkippedShown);
  if (more > 0) out.push(`... and ${n(more)} more skipped (${stats.skippedUnlisted > 0 ? `the first ${n(stats.skipped.length)} are` : 'all of them are'} in the findings file)`);
  if (stats.modified.length > 0) out.push(`EVIDENCE INTEGRITY: ${n(stats.modified.length)} file(s) do not match the bundle manifest: ${stats.modified.slice(0, 3).join(', ')}${stats.modified.length > 3 ? ' ...' : ''}`);
  return out;
}

export function severityCounts(detections: readonly Detection[]): string {
  const counts = SEVERITIES.map((s) => [s, detections.filter((d) => d.severity === s).length] as const).filter(([, c]) => c > 0);
  return counts.length === 0 ? 'none' : counts.map(([s, c]) => `${c} ${s}`).join(', ');
}

export { correlationSection, type CorrelationSection } from '../events/correlation-section.js';
import type { CorrelationSection } from '../events/correlation-section.js';

/** What the terminal summary says about the correlations: nothing when they were complete and in order. */
export function correlationLines(section: CorrelationSection): string[] {
  const out: string[] = [];
  if (section.recorrelated.length > 0) {
    out.push(`${n(section.late)} correlation inputs arrived out of order; ${section.recorrelated.length} correlations were correlated again, exactly, from the journal (${section.recorrelated.join(', ')})`);
  }
  const rules = section.incomplete.rules;
  if (rules.length > 0) {
    const inputs = (count: number): string => `${n(count)} ${count === 1 ? 'input' : 'inputs'}`;
    out.push(`CORRELATIONS INCOMPLETE: ${inputs(section.incomplete.inputs)} of ${rules.length} correlation rules could not be correlated; their detections may be missing (the gate cannot decide them at or above --fail-on: exit 3)`);
    for (const r of rules) out.push(`  ${r.ruleId} (${r.severity}): ${inputs(r.inputs)}, ${cell(r.reason, 200)}`);
  }
  return out;
}
