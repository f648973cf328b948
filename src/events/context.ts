// The story around each serious detection, for the report's incident timeline: what the same principal did
// shortly before and after it (the DeleteObjects calls before a bucket deletion, the NoSuchBucket failures
// after it), the access key and session it used, the resources it touched, and the log file (with the
// SHA-256 the manifest lists) the event was read from, so the report can tie it to that file's digest
// verification. It also records which days of logs the evidence holds, so the report can say which days
// of the period were never examined.
//
// It runs after the scan, over the same bundle, and reads only the log files delivered within the window
// of some detection: the scan pipeline itself is untouched. Everything here is bounded by the named
// constants below; a bound reached is counted in the section (`omitted`), never an error of the run.
import { errorMessage } from '../errors.js';
import type { Manifest } from '../evidence/manifest.js';
import type { ContextEvent, Detection, DetectionContext, EventContextSection, Severity } from '../model/types.js';
import { planBundle } from './readers/bundle.js';
import { decodeUnit } from './readers/decode.js';
import { parseLogName } from '../evidence/s3-layout.js';
import { FULL_SCOPE, type LogUnit } from './readers/types.js';
import type { CloudTrailRecord } from './record.js';

/** How far before and after a detection the same principal's events are collected. */
export const CONTEXT_WINDOW_MS = 30 * 60_000;
/** Events kept per detection on each side (the nearest ones); the rest are counted in `omitted`. */
export const CONTEXT_EVENTS_PER_SIDE = 12;
/** Detections given a context (the most severe, then the earliest); the rest are counted. */
export const CONTEXT_DETECTIONS_MAX = 25;
/** Log files read for the contexts; a window needing more is cut there and said so in `problems`. */
export const CONTEXT_FILES_MAX = 2_000;
/** How long after an event its log file may be delivered (CloudTrail: about 5 minutes, 15 at most in practice). */
const DELIVERY_MARGIN_MS = 60 * 60_000;
/** The severities whose detections get a context. */
const CONTEXT_SEVERITIES: readonly Severity[] = ['critical', 'high'];

export type { ContextEvent, DetectionContext, EventContextSection } from '../model/types.js';

const TARGET_PARAMS = ['bucketName', 'key', 'name', 'keyId', 'trailName', 'roleName', 'userName', 'policyArn', 'groupName', 'functionName'];

function targetsOf(record: CloudTrailRecord): string[] {
  const out: string[] = [];
  const resources = (record as { resources?: unknown }).resources;
  if (Array.isArray(resources)) for (const r of resources as { ARN?: unknown }[]) if (typeof r?.ARN === 'string') out.push(r.ARN);
  const params = (record as { requestParameters?: unknown }).requestParameters;
  if (out.length === 0 && typeof params === 'object' && params !== null) {
    for (const k of TARGET_PARAMS) {
      const v = (params as Record<string, unknown>)[k];
      if (typeof v === 'string' && v !== '' && v !== 'HIDDEN_DUE_TO_SECURITY_REASONS') out.push(k === 'bucketName' ? `arn:aws:s3:::${v}` : v);
    }
    const del = (params as { Delete?: { Object?: unknown } }).Delete?.Object;
    if (Array.isArray(del)) out.push(`${del.length} object(s)`);
  }
  return out.slice(0, 4);
}

function eventOf(record: CloudTrailRecord): ContextEvent {
  const code = (record as { errorCode?: unknown }).errorCode;
  return {
    eventTime: record.eventTime ?? '',
    eventName: record.eventName ?? '',
    eventSource: record.eventSource ?? '',
    eventId: (record as { eventID?: string }).eventID ?? '',
    errorCode: typeof code === 'string' && code !== '' ? code : null,
    sourceIPAddress: (record as { sourceIPAddress?: string }).sourceIPAddress ?? '',
    targets: targetsOf(record),
  };
}

interface Pending {
  context: DetectionContext;
  at: number;
  from: number;
  to: number;
  seen: Set<string>;
  before: ContextEvent[];
  after: ContextEvent[];
  onResource: ContextEvent[];
  /** What the detection acted on, to find the calls of others on it. */
  targets: Set<string>;
  resources: Set<string>;
}

/** The days of delivered log files in a manifest, sorted. */
export function logDays(manifest: Manifest): { day: string; files: number }[] {
  const days = new Map<string, number>();
  for (const file of Object.keys(manifest.files)) {
    if (!file.startsWith('logs/')) continue;
    const facts = parseLogName(file.slice(file.lastIndexOf('/') + 1));
    if (facts === undefined) continue;
    const day = new Date(facts.delivered).toISOString().slice(0, 10);
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, files]) => ({ day, files }));
}

function selected(detections: Detection[]): { chosen: Detection[][]; omitted: number } {
  const byEvent = new Map<string, Detection[]>();
  for (const d of detections) {
    const key = d.count > 1 ? `${d.ruleId}\u0000${d.firstSeen}\u0000${d.actor}` : d.eventId;
    byEvent.set(key, [...(byEvent.get(key) ?? []), d]);
  }
  const serious = [...byEvent.values()].filter((list) => list.some((d) => CONTEXT_SEVERITIES.includes(d.severity)));
  serious.sort((a, b) => ((a[0] as Detection).eventTime < (b[0] as Detection).eventTime ? -1 : 1));
  return { chosen: serious.slice(0, CONTEXT_DETECTIONS_MAX), omitted: Math.max(0, serious.length - CONTEXT_DETECTIONS_MAX) };
}

/**
 * The context of the bundle's high and critical detections. `dir` is the bundle folder and `manifest` its
 * manifest (its files were checked against it when the bundle was opened; each read here is checked again).
 */
export async function detectionContext(dir: string, manifest: Manifest, detections: Detection[]): Promise<EventContextSection> {
  const { chosen, omitted } = selected(detections);
  const pending: Pending[] = chosen.map((list) => {
    const d = list[0] as Detection;
    const at = Date.parse(d.count > 1 ? d.firstSeen : d.eventTime);
    const end = Date.parse(d.count > 1 ? d.lastSeen : d.eventTime);
    const from = at - CONTEXT_WINDOW_MS;
    const to = (Number.isNaN(end) ? at : end) + CONTEXT_WINDOW_MS;
    return {
      at,
      from,
      to,
      seen: new Set([d.eventId]),
      before: [],
      after: [],
      onResource: [],
      targets: new Set(targetsOf(d as unknown as CloudTrailRecord)),
      resources: new Set<string>(),
      context: {
        eventId: d.eventId,
        ruleIds: [...new Set(list.map((x) => x.ruleId))].sort(),
        principal: d.actor,
        accessKeyId: null,
        session: null,
        logFile: null,
        window: { from: Number.isNaN(from) ? '' : new Date(from).toISOString(), to: Number.isNaN(to) ? '' : new Date(to).toISOString() },
        before: [],
        after: [],
        onResource: [],
        omitted: { before: 0, after: 0, onResource: 0 },
        resources: [],
      },
    };
  });
  const problems: string[] = [];
  const plan = planBundle(dir, manifest, FULL_SCOPE);
  const wanted = plan.units.filter((u): u is LogUnit & { name: string } =>
    u.kind === 'jsonl' || (u.delivered !== null && pending.some((p) => u.delivered !== null && u.delivered >= p.from && u.delivered <= p.to + DELIVERY_MARGIN_MS)),
  );
  if (wanted.length > CONTEXT_FILES_MAX) problems.push(`${wanted.length} log files fall in the detections' windows; the first ${CONTEXT_FILES_MAX} (CONTEXT_FILES_MAX) were read, so some contexts may be short`);
  let filesRead = 0;
  for (const unit of pending.length === 0 ? [] : wanted.slice(0, CONTEXT_FILES_MAX)) {
    filesRead++;
    const stats = await decodeUnit(unit, (record) => {
      const t = Date.parse(record.eventTime ?? '');
      if (Number.isNaN(t)) return;
      const id = (record as { eventID?: string }).eventID ?? '';
      for (const p of pending) {
        if (t < p.from || t > p.to) continue;
        if (id === p.context.eventId) {
          if (p.context.logFile === null && unit.sha256 !== undefined) p.context.logFile = { file: unit.name, sha256: unit.sha256 };
          const who = record.userIdentity;
          p.context.accessKeyId = who?.accessKeyId !== undefined && who.accessKeyId !== '' ? who.accessKeyId : null;
          const session = who?.sessionContext;
          if (session !== undefined) {
            const mfa = session.attributes?.mfaAuthenticated;
            p.context.session = { issuer: session.sessionIssuer?.arn ?? null, createdAt: session.attributes?.creationDate ?? null, mfaAuthenticated: mfa === undefined ? null : mfa === 'true' };
          }
          for (const target of targetsOf(record)) p.resources.add(target);
          continue;
        }
        if (p.seen.has(id)) continue;
        if (record.userIdentity?.arn !== p.context.principal) {
          if (t > p.at && targetsOf(record).some((x) => p.targets.has(x))) {
            p.seen.add(id);
            p.onResource.push({ ...eventOf(record), principal: record.userIdentity?.arn ?? record.userIdentity?.invokedBy ?? 'unknown' });
          }
          continue;
        }
        p.seen.add(id);
        const event = eventOf(record);
        for (const target of event.targets) if (!/ object\(s\)$/.test(target)) p.resources.add(target);
        (t < p.at ? p.before : p.after).push(event);
      }
    });
    for (const problem of stats.problems) problems.push(`${problem.name}: ${problem.reason}`);
    if (stats.modified.length > 0) problems.push(`${unit.name}: does not match its SHA-256 in the manifest: its events were still read, the report must not rely on them`);
  }
  const byTime = (a: ContextEvent, b: ContextEvent): number => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : a.eventId < b.eventId ? -1 : 1);
  for (const p of pending) {
    p.before.sort(byTime);
    p.after.sort(byTime);
    p.context.before = p.before.slice(-CONTEXT_EVENTS_PER_SIDE);
    p.context.after = p.after.slice(0, CONTEXT_EVENTS_PER_SIDE);
    p.onResource.sort(byTime);
    p.context.onResource = p.onResource.slice(0, CONTEXT_EVENTS_PER_SIDE);
    p.context.omitted = { before: p.before.length - p.context.before.length, after: p.after.length - p.context.after.length, onResource: p.onResource.length - p.context.onResource.length };
    p.context.resources = [...p.resources].sort();
  }
  return {
    bounds: { windowMinutes: CONTEXT_WINDOW_MS / 60_000, eventsPerSide: CONTEXT_EVENTS_PER_SIDE, detectionsMax: CONTEXT_DETECTIONS_MAX, filesMax: CONTEXT_FILES_MAX },
    detections: pending.map((p) => p.context),
    omittedDetections: omitted,
    logDays: logDays(manifest),
    filesRead,
    problems,
  };
}

/** detectionContext, with a failure of its own turned into a section that says so (the scan's detections stand). */
export async function detectionContextOrProblem(dir: string, manifest: Manifest, detections: Detection[]): Promise<EventContextSection> {
  try {
    return await detectionContext(dir, manifest, detections);
  } catch (err) {
    return {
      bounds: { windowMinutes: CONTEXT_WINDOW_MS / 60_000, eventsPerSide: CONTEXT_EVENTS_PER_SIDE, detectionsMax: CONTEXT_DETECTIONS_MAX, filesMax: CONTEXT_FILES_MAX },
      detections: [],
      omittedDetections: 0,
      logDays: logDays(manifest),
      filesRead: 0,
      problems: [`the detections' context could not be read: ${errorMessage(err)}`],
    };
  }
}
