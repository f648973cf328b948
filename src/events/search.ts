// The investigator's search (`trailproof events`): filters on who, what, where and with what result. The
// query is plain data (it is posted to worker threads) and compiled into one predicate where records are.
import { BlockList, isIP } from 'node:net';
import { TrailproofError } from '../errors.js';
import type { CloudTrailRecord } from './record.js';
import { failureOf } from './failure.js';
import { TRUE, type Expr } from './sigma/expr.js';
import { literal } from './sigma/patterns.js';

export interface EventQuery {
  /** eventName equals one of these (case-insensitive). */
  names: string[];
  /** A user name, role name or ARN: the caller, its session issuer, or the user a console sign-in names. */
  user?: string;
  /** An address or CIDR block. */
  ip?: string;
  /** A service: `s3` or `s3.amazonaws.com`. */
  source?: string;
  errorsOnly: boolean;
  /** An ARN or a name: a resource the event lists, or a request parameter with that value. */
  resource?: string;
  /** One event by its eventID (exact). */
  eventId?: string;
}

export type RecordPredicate = (record: CloudTrailRecord) => boolean;

function lower(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value.toLowerCase() : undefined;
}

/** The name part of an ARN: `arn:aws:iam::1:user/path/Winter` -> Winter; `arn:aws:s3:::bucket` -> bucket. */
export function arnName(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const slash = resource.lastIndexOf('/');
  return slash >= 0 ? resource.slice(slash + 1) : resource;
}

/** Names a caller answers to: its user name, the role of a role session, the session name, its issuer's name. */
function callerNames(record: CloudTrailRecord): string[] {
  const id = record.userIdentity;
  const names: string[] = [];
  const push = (v: unknown): void => {
    const l = lower(v);
    if (l !== undefined) names.push(l);
  };
  push(id?.userName);
  push(id?.sessionContext?.sessionIssuer?.userName);
  const arn = typeof id?.arn === 'string' ? id.arn : '';
  if (arn !== '') {
    push(arnName(arn));
    // assumed-role/<Role>/<session>: the role name too.
    const assumed = /:assumed-role\/([^/]+)\//.exec(arn);
    if (assumed) push(assumed[1]);
  }
  if (id?.type === 'Root') push('root');
  // A failed console sign-in names the user only here.
  push((record.additionalEventData as Record<string, unknown> | undefined)?.['UserName']);
  return names;
}

function userPredicate(user: string): RecordPredicate {
  const wanted = user.toLowerCase();
  if (wanted.startsWith('arn:')) {
    return (r) => lower(r.userIdentity?.arn) === wanted || lower(r.userIdentity?.sessionContext?.sessionIssuer?.arn) === wanted;
  }
  return (r) => callerNames(r).includes(wanted);
}

function ipPredicate(ip: string): RecordPredicate {
  const slash = ip.indexOf('/');
  const address = slash >= 0 ? ip.slice(0, slash) : ip;
  const family = isIP(address);
  if (family === 0) {
    if (slash >= 0) throw new TrailproofError('TP_USAGE', `--ip ${ip}: not an address or CIDR block`);
    // CloudTrail also records service names here ("AWS Internal", "cloudformation.amazonaws.com").
    const wanted = ip.toLowerCase();
    return (r) => lower(r.sourceIPAddress) === wanted;
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const prefix = slash >= 0 ? Number(ip.slice(slash + 1)) : family === 4 ? 32 : 128;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128) || (slash >= 0 && !/^\d+$/.test(ip.slice(slash + 1)))) {
    throw new TrailproofError('TP_USAGE', `--ip ${ip}: bad prefix length`);
  }
  const list = new BlockList();
  list.addSubnet(address, prefix, type);
  return (r) => {
    const source = r.sourceIPAddress;
    if (typeof source !== 'string') return false;
    const f = isIP(source);
    if (f === 0) return false;
    return list.check(source, f === 4 ? 'ipv4' : 'ipv6');
  };
}

/** A service as its eventSource: `s3` -> s3.amazonaws.com. */
function sourceName(source: string): string {
  const s = source.toLowerCase();
  return s.includes('.') ? s : `${s}.amazonaws.com`;
}

function sourcePredicate(source: string): RecordPredicate {
  const wanted = sourceName(source);
  return (r) => lower(r.eventSource) === wanted;
}

function stringLeaves(value: unknown, out: string[], depth = 0): void {
  if (depth > 8) return;
  if (typeof value === 'string') out.push(value.toLowerCase());
  else if (Array.isArray(value)) for (const v of value) stringLeaves(v, out, depth + 1);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) stringLeaves(v, out, depth + 1);
}

function resourcePredicate(resource: string): RecordPredicate {
  const wanted = resource.toLowerCase();
  // An ARN is also looked for by its name (a bucket ARN's bucket is `bucketName` in the request).
  const name = wanted.startsWith('arn:') ? arnName(wanted) : wanted;
  return (r) => {
    for (const res of r.resources ?? []) {
      const arn = lower(res.ARN);
      if (arn !== undefined && (arn === wanted || arnName(arn) === name)) return true;
    }
    const leaves: string[] = [];
    stringLeaves(r.requestParameters, leaves);
    return leaves.some((v) => v === wanted || v === name || (v.startsWith('arn:') && arnName(v) === name));
  };
}

/** A field equal (case-insensitively) to one of the values. */
function oneOf(field: string, values: string[]): Expr {
  return { kind: 'field', field, groups: [{ kind: 'any', tests: values.map((v) => ({ kind: 'pattern', tokens: literal(v), cased: false })) }], all: false, neq: false };
}

/**
 * What every event the query finds has, as a detection expression: the event names, the service, an error
 * code, a caller's ARN. It is what the raw-text prefilter needs to leave the other records unparsed (the
 * query itself is then tested on the records parsed); a query with none of these (only --ip, --resource or a
 * user name) gives TRUE, and every record is parsed.
 */
export function queryExpr(query: EventQuery): Expr {
  const items: Expr[] = [];
  if (query.names.length > 0) items.push(oneOf('eventName', query.names));
  if (query.source !== undefined) items.push(oneOf('eventSource', [sourceName(query.source)]));
  // The three ways failureOf reads a failure.
  if (query.errorsOnly) items.push({ kind: 'or', items: [{ kind: 'exists', field: 'errorCode', present: true }, { kind: 'exists', field: 'errorMessage', present: true }, oneOf('responseElements.ConsoleLogin', ['Failure'])] });
  if (query.user?.toLowerCase().startsWith('arn:')) {
    items.push({ kind: 'or', items: [oneOf('userIdentity.arn', [query.user]), oneOf('userIdentity.sessionContext.sessionIssuer.arn', [query.user])] });
  }
  return items.length === 0 ? TRUE : { kind: 'and', items };
}

/** The query as one predicate: every filter given must hold. */
export function compileQuery(query: EventQuery): RecordPredicate {
  const tests: RecordPredicate[] = [];
  if (query.names.length > 0) {
    const names = new Set(query.names.map((n) => n.toLowerCase()));
    tests.push((r) => typeof r.eventName === 'string' && names.has(r.eventName.toLowerCase()));
  }
  if (query.source !== undefined) tests.push(sourcePredicate(query.source));
  if (query.errorsOnly) tests.push((r) => failureOf(r) !== null);
  if (query.user !== undefined) tests.push(userPredicate(query.user));
  if (query.ip !== undefined) tests.push(ipPredicate(query.ip));
  if (query.resource !== undefined) tests.push(resourcePredicate(query.resource));
  if (query.eventId !== undefined) {
    const id = query.eventId;
    tests.push((r) => r.eventID === id);
  }
  return (record) => {
    for (const test of tests) if (!test(record)) return false;
    return true;
  };
}
