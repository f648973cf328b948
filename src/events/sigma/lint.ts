// The rule linter: flags rules that can never match raw CloudTrail (a field no CloudTrail record has, an
// eventSource that does not exist, a condition that pins two eventNames at once) and likely mistakes.
// lintRegexes (async: recheck runs beside) flags `re` patterns a backtracking engine would take super-linear
// time on: exponential as an error, polynomial or unproven as a warning.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../paths.js';
import { compilePattern, parseWildcards, wrapStar } from './patterns.js';
import { compileRegex, isBuiltinRuleFile, re2Regex, regexParts, screenRegex } from './regex.js';
import type { FieldUse, SigmaRule } from './types.js';

export type LintCode = 'unknown-field' | 'unknown-event-source' | 'never-matches' | 'value-looks-like-field' | 'counts-without-outcome' | 'super-linear-regex';

export interface LintIssue {
  ruleId: string;
  file: string;
  level: 'error' | 'warning';
  code: LintCode;
  message: string;
}

/** A documented CloudTrail subtree: known keys, `'leaf'` for a value, `'open'` where any key may appear. */
type Shape = 'leaf' | 'open' | { [key: string]: Shape };

const L = 'leaf' as const;
const O = 'open' as const;

const SESSION_ISSUER: Shape = { type: L, principalId: L, arn: L, accountId: L, userName: L };
const USER_IDENTITY: Shape = {
  type: L,
  principalId: L,
  arn: L,
  accountId: L,
  accessKeyId: L,
  userName: L,
  invokedBy: L,
  identityProvider: L,
  credentialId: L,
  sessionContext: { sessionIssuer: SESSION_ISSUER, webIdFederationData: { federatedProvider: L, attributes: O }, attributes: { mfaAuthenticated: L, creationDate: L }, sourceIdentity: L, ec2RoleDelivery: L, assumedRoot: L },
  onBehalfOf: { userId: L, identityStoreArn: L },
  inScopeOf: O,
};

/** The fields of a CloudTrail record (management, data, network activity and Insights events). */
export const CLOUDTRAIL_RECORD: Shape = {
  eventVersion: L,
  userIdentity: USER_IDENTITY,
  eventTime: L,
  eventSource: L,
  eventName: L,
  awsRegion: L,
  sourceIPAddress: L,
  userAgent: L,
  errorCode: L,
  errorMessage: L,
  requestParameters: O,
  responseElements: O,
  additionalEventData: O,
  requestID: L,
  eventID: L,
  readOnly: L,
  resources: O,
  eventType: L,
  apiVersion: L,
  managementEvent: L,
  recipientAccountId: L,
  serviceEventDetails: O,
  sharedEventID: L,
  vpcEndpointId: L,
  vpcEndpointAccountId: L,
  eventCategory: L,
  tlsDetails: { tlsVersion: L, cipherSuite: L, clientProvidedHostHeader: L },
  sessionCredentialFromConsole: L,
  addendum: O,
  edgeDeviceDetails: O,
  eventContext: O,
  insightDetails: O,
};

function suggest(key: string, known: string[]): string {
  const lower = key.toLowerCase();
  const hit = known.find((k) => k.toLowerCase() === lower) ?? known.find((k) => k.toLowerCase().includes(lower) || lower.includes(k.toLowerCase()));
  return hit === undefined ? '' : ` (did you mean ${hit}?)`;
}

/** Why a dotted path cannot exist in a CloudTrail record, or null when it can. */
export function fieldProblem(path: string): string | null {
  let shape: Shape = CLOUDTRAIL_RECORD;
  const segments = path.split('.');
  for (let i = 0; i < segments.length; i++) {
    const key = segments[i] as string;
    if (shape === 'open') return null;
    if (shape === 'leaf') return `${segments.slice(0, i).join('.')} is a single value in CloudTrail records; it has no field "${key}"`;
    const next: Shape | undefined = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (next === undefined) {
      const where = i === 0 ? 'CloudTrail records have no field' : `${segments.slice(0, i).join('.')} has no field`;
      return `${where} "${key}"${suggest(key, Object.keys(shape))}`;
    }
    shape = next;
  }
  return null;
}

let knownSources: string[] | null = null;

/** The eventSource values CloudTrail uses, from src/events/sigma/event-sources.json. */
export function eventSources(): string[] {
  if (knownSources === null) {
    const data = JSON.parse(readFileSync(join(packageRoot, 'src', 'events', 'sigma', 'event-sources.json'), 'utf8')) as { sources: string[] };
    knownSources = data.sources;
  }
  return knownSources;
}

function sourceMatches(use: FieldUse, value: string, builtin: boolean): boolean | null {
  const mods = new Set(use.modifiers);
  const sources = eventSources();
  if (mods.has('re')) {
    const re = compileRegex(value, { i: mods.has('i'), m: mods.has('m'), s: mods.has('s') }, builtin);
    return sources.some((s) => re.test(s));
  }
  if (mods.has('neq') || mods.has('fieldref') || mods.has('exists') || mods.has('cidr') || mods.has('base64') || mods.has('base64offset')) return null;
  const tokens = wrapStar(parseWildcards(value, mods.has('windash')), mods.has('contains') || mods.has('endswith'), mods.has('contains') || mods.has('startswith'));
  const test = compilePattern(tokens, mods.has('cased'));
  return sources.some((s) => test(s, s.toLowerCase()));
}

const FIELD_LIKE = /^(userIdentity|requestParameters|responseElements|additionalEventData|resources|serviceEventDetails)\.[A-Za-z0-9_.]+$/;

function fieldsOf(rule: SigmaRule): Array<{ path: string; what: string }> {
  if (rule.kind === 'correlation') {
    const paths = [...rule.groupBy.filter((g) => rule.aliases[g] === undefined), ...Object.values(rule.aliases).flatMap((m) => Object.values(m)).filter((f) => f !== '*')];
    if (rule.field !== null && rule.aliases[rule.field] === undefined) paths.push(rule.field);
    return paths.map((path) => ({ path, what: 'correlation' }));
  }
  const out: Array<{ path: string; what: string }> = [];
  for (const use of rule.fieldUses) {
    if (use.field !== null) out.push({ path: use.field, what: `selection ${use.selection}` });
    if (use.modifiers.includes('fieldref')) for (const v of use.values) if (typeof v === 'string') out.push({ path: v, what: `selection ${use.selection} (fieldref)` });
  }
  return out;
}

/** Problems of one loaded rule, errors first. An empty list means nothing was found. */
export function lintRule(rule: SigmaRule): LintIssue[] {
  const issues: LintIssue[] = [];
  const add = (level: LintIssue['level'], code: LintCode, message: string): void => {
    issues.push({ ruleId: rule.ruleId, file: rule.file, level, code, message });
  };
  const reported = new Set<string>();
  for (const { path, what } of fieldsOf(rule)) {
    const problem = fieldProblem(path);
    if (problem !== null && !reported.has(path)) {
      reported.add(path);
      add('error', 'unknown-field', `${what}: field "${path}" never matches raw CloudTrail: ${problem}`);
    }
  }
  if (rule.kind === 'event') {
    if (rule.index.eventNames?.length === 0 || rule.index.eventSources?.length === 0) {
      add('error', 'never-matches', 'the condition requires an event to have two different eventName (or eventSource) values at once');
    }
    for (const use of rule.fieldUses) {
      if (use.field === 'eventSource') {
        for (const v of use.values) {
          if (typeof v !== 'string') continue;
          if (sourceMatches(use, v, isBuiltinRuleFile(rule.file)) === false) add('error', 'unknown-event-source', `selection ${use.selection}: eventSource "${v}" is not a CloudTrail event source (see src/events/sigma/event-sources.json)`);
        }
      }
      if (use.field !== null && !use.modifiers.includes('fieldref')) {
        for (const v of use.values) {
          if (typeof v === 'string' && FIELD_LIKE.test(v)) add('warning', 'value-looks-like-field', `selection ${use.selection}: "${use.field}" is compared with the text "${v}", which looks like a field name; use |fieldref to compare with that field's value`);
        }
      }
    }
    if (rule.trailproof?.counts === 'success' && !rule.fieldUses.some((u) => u.field !== null && /^(errorCode|errorMessage|responseElements\.ConsoleLogin)$/.test(u.field))) {
      add('warning', 'counts-without-outcome', 'trailproof.counts is "success" but the detection never reads errorCode (or the ConsoleLogin result), so failed calls match too');
    }
  }
  return issues.sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
}

/**
 * The rule's `re` patterns that backtrack super-linearly (recheck): an error when exponential, a warning
 * when polynomial or when recheck cannot decide in time. Such a pattern runs here on RE2 in linear time
 * (or was refused when loading), but other Sigma back ends and SIEMs would backtrack on it.
 */
export async function lintRegexes(rule: SigmaRule): Promise<LintIssue[]> {
  if (rule.kind !== 'event') return [];
  const issues: LintIssue[] = [];
  const seen = new Set<string>();
  for (const use of rule.fieldUses) {
    if (!use.modifiers.includes('re')) continue;
    for (const value of use.values) {
      if (typeof value !== 'string' || seen.has(value)) continue;
      seen.add(value);
      const { source, flags } = regexParts(value, { i: use.modifiers.includes('i'), m: use.modifiers.includes('m'), s: use.modifiers.includes('s') });
      const verdict = await screenRegex(source, flags);
      if (verdict.status === 'safe') continue;
      const where = re2Regex(source, flags).ok ? 'trailproof runs it in linear time (RE2), but a backtracking engine would not' : 'it runs on a backtracking engine';
      issues.push({
        ruleId: rule.ruleId,
        file: rule.file,
        level: verdict.exponential ? 'error' : 'warning',
        code: 'super-linear-regex',
        message: `selection ${use.selection}: ${verdict.reason}: ${value} (${where})`,
      });
    }
  }
  return issues;
}
