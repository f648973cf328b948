// The CloudTrail record: the documented fields of a management, data or network activity event as it
// appears in a delivered log file's `Records` array (and in LookupEvents' `CloudTrailEvent` text). Every
// reader normalizes to this shape; the rule engine, scan and search read nothing else. Fields CloudTrail
// adds later are kept through the index signature, so a rule can still name them.

export interface SessionIssuer {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  userName?: string;
}

export interface SessionContext {
  sessionIssuer?: SessionIssuer;
  webIdFederationData?: { federatedProvider?: string; attributes?: Record<string, unknown> };
  attributes?: { mfaAuthenticated?: string; creationDate?: string };
  sourceIdentity?: string;
  ec2RoleDelivery?: string;
  assumedRoot?: string;
  [field: string]: unknown;
}

export interface UserIdentity {
  /** Root, IAMUser, AssumedRole, Role, FederatedUser, Directory, IdentityCenterUser, AWSAccount, AWSService, Unknown. */
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  /** The service that made the call on the principal's behalf, e.g. `cloudformation.amazonaws.com`. */
  invokedBy?: string;
  sessionContext?: SessionContext;
  identityProvider?: string;
  credentialId?: string;
  onBehalfOf?: { userId?: string; identityStoreArn?: string };
  [field: string]: unknown;
}

export interface TlsDetails {
  tlsVersion?: string;
  cipherSuite?: string;
  clientProvidedHostHeader?: string;
}

export interface ResourceRef {
  ARN?: string;
  accountId?: string;
  type?: string;
}

export interface CloudTrailRecord {
  eventVersion?: string;
  userIdentity?: UserIdentity;
  /** ISO-8601 UTC, second precision: `2026-09-14T03:32:07Z`. */
  eventTime?: string;
  /** The service endpoint: `s3.amazonaws.com`. */
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  /** An IPv4 or IPv6 address, or a service name such as `AWS Internal` or `cloudformation.amazonaws.com`. */
  sourceIPAddress?: string;
  userAgent?: string;
  /** Absent when the call succeeded. */
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID?: string;
  eventID?: string;
  readOnly?: boolean;
  resources?: ResourceRef[];
  /** AwsApiCall, AwsServiceEvent, AwsConsoleAction, AwsConsoleSignIn, AwsCloudTrailInsight, AwsVpceEvent. */
  eventType?: string;
  apiVersion?: string;
  managementEvent?: boolean;
  recipientAccountId?: string;
  serviceEventDetails?: Record<string, unknown>;
  sharedEventID?: string;
  vpcEndpointId?: string;
  vpcEndpointAccountId?: string;
  /** Management, Data, NetworkActivity, Insight. */
  eventCategory?: string;
  tlsDetails?: TlsDetails;
  sessionCredentialFromConsole?: string;
  addendum?: Record<string, unknown>;
  edgeDeviceDetails?: Record<string, unknown>;
  eventContext?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The facts of one event a detection needs to say who did what, when, from where and with what result. */
export interface EventSummary {
  eventTime: string;
  eventID: string;
  eventName: string;
  eventSource: string;
  /** The principal's ARN; for services and anonymous callers, the best name the record has. */
  actor: string;
  actorType: string;
  /** The role (or user) a temporary session was issued from, for AssumedRole and FederatedUser callers. */
  sessionIssuer: string | null;
  sourceIPAddress: string;
  userAgent: string;
  account: string;
  region: string;
  errorCode: string | null;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The best name for who made the call, for tables and detections. */
export function actorOf(record: CloudTrailRecord): string {
  const id = record.userIdentity;
  return text(id?.arn) ?? text(id?.userName) ?? text(id?.principalId) ?? text(id?.invokedBy) ?? text(id?.type) ?? 'unknown';
}

/** A field as the summary's text: a string as it is, nothing as '', anything else (a hostile record's number, object) as JSON. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

export function summarizeEvent(record: CloudTrailRecord): EventSummary {
  const id = record.userIdentity;
  return {
    eventTime: asText(record.eventTime),
    eventID: asText(record.eventID),
    eventName: asText(record.eventName),
    eventSource: asText(record.eventSource),
    actor: actorOf(record),
    actorType: asText(id?.type),
    sessionIssuer: text(id?.sessionContext?.sessionIssuer?.arn) ?? null,
    sourceIPAddress: asText(record.sourceIPAddress),
    userAgent: asText(record.userAgent),
    account: asText(record.recipientAccountId ?? id?.accountId),
    region: asText(record.awsRegion),
    errorCode: text(record.errorCode) ?? null,
  };
}

/** Milliseconds since the epoch for a record's eventTime, or NaN when it has none or it does not parse. */
export function eventTimeMs(record: CloudTrailRecord): number {
  const t = record.eventTime;
  return typeof t === 'string' ? timeMs(t) : Number.NaN;
}

/** Days in each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar (Date.UTC's): February has 29 in a leap year. */
function daysIn(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1] as number;
}

function digits(t: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The time of `t` when it is in CloudTrail's own form (`2026-09-14T03:32:07Z`, every record's), read directly;
 * NaN for anything else (fractions, offsets, a day past its month's end, a year before 100). For such a text,
 * isoSecond of the result gives the text back.
 */
export function canonicalTimeMs(t: string): number {
  // A correlation input's time is read twice (for the input, then by the packer, wire.ts), and a log file's
  // records come seconds apart: the last text read is remembered.
  if (t === lastCanonicalText) return lastCanonicalMs;
  const ms = readCanonicalTime(t);
  lastCanonicalText = t;
  lastCanonicalMs = ms;
  return ms;
}

let lastCanonicalText = '';
let lastCanonicalMs = Number.NaN;

function readCanonicalTime(t: string): number {
  if (t.length !== 20 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(10) !== 84 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58 || t.charCodeAt(19) !== 90) return Number.NaN;
  const year = digits(t, 0, 4);
  const month = digits(t, 5, 2);
  const day = digits(t, 8, 2);
  const hour = digits(t, 11, 2);
  const minute = digits(t, 14, 2);
  const second = digits(t, 17, 2);
  // Date.UTC reads years 0-99 as 1900-1999: those are left to Date.parse.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/**
 * Date.parse of a time, read directly when it is in CloudTrail's own form: a correlation input needs its
 * event's time, and Date.parse was a tenth of what packing an input cost. Anything else goes to Date.parse, so
 * the result is Date.parse's whatever the text.
 */
export function timeMs(t: string): number {
  const ms = canonicalTimeMs(t);
  return Number.isNaN(ms) ? Date.parse(t) : ms;
}

/** CloudTrail's eventTime form, `2026-09-14T03:32:07Z`, which compares as text in time order. */
const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * A scope's time range (milliseconds, either end open) as a test of an eventTime's text, null when there is
 * no range: bounds to the second (--from takes in its whole second, --to, an inclusive instant, too), a time
 * in CloudTrail's form compared as text, any other through Date.parse.
 */
export function eventTimeInRange(from: number | null, to: number | null): ((t: string) => boolean) | null {
  if (from === null && to === null) return null;
  const fromText = from === null ? null : isoSeconds(Math.floor(from / 1000) * 1000);
  const toText = to === null ? null : isoSeconds(Math.floor(to / 1000) * 1000);
  return (t) => {
    if (CANONICAL_TIME.test(t)) return (fromText === null || t >= fromText) && (toText === null || t <= toText);
    const ms = Date.parse(t);
    return !Number.isNaN(ms) && (from === null || ms >= from) && (to === null || ms <= to);
  };
}

const DAY_MS = 86_400_000;
/** The largest time a Date holds (ECMAScript's range: 10^8 days either side of the epoch). */
const MAX_TIME_MS = 8.64e15;
/** '00' to '59'. */
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
let lastDay = Number.NaN;
let lastDayText = '';

/**
 * A time in CloudTrail's form, to the second (milliseconds dropped). The date part comes from toISOString,
 * once per day; the time of day is written here: the correlator rebuilds an eventTime for every input it
 * samples (wire.ts), and toISOString with a replace was most of that cost on a corpus of small files.
 */
export function isoSeconds(ms: number): string {
  // Outside a Date's range (and NaN), toISOString throws as before.
  if (!(Math.abs(ms) <= MAX_TIME_MS)) return new Date(ms).toISOString();
  // A Date drops a fraction of a millisecond toward zero.
  const t = Math.trunc(ms);
  const day = Math.floor(t / DAY_MS);
  if (day !== lastDay) {
    const iso = new Date(day * DAY_MS).toISOString();
    lastDayText = iso.slice(0, iso.indexOf('T') + 1);
    lastDay = day;
  }
  const s = Math.floor((t - day * DAY_MS) / 1000);
  return `${lastDayText}${TWO_DIGITS[Math.floor(s / 3600)] as string}:${TWO_DIGITS[Math.floor(s / 60) % 60] as string}:${TWO_DIGITS[s % 60] as string}Z`;
}

let lastSecond = Number.NaN;
let lastIso = '';

/** isoSeconds of a whole second, the last one remembered: the inputs it rebuilds eventTimes for come in time order. */
export function isoSecond(ms: number): string {
  if (ms !== lastSecond) {
    lastSecond = ms;
    lastIso = isoSeconds(ms);
  }
  return lastIso;
}
