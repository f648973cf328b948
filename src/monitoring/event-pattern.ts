// A small EventBridge event pattern matcher, enough to judge rules that route CloudTrail events (the accepted
// alternative to a metric filter and alarm): exact values, `prefix`, `anything-but` (value or list), `exists`,
// nested objects. A CloudTrail record reaches EventBridge wrapped as {source: "aws.<service>", "detail-type":
// "AWS API Call via CloudTrail" (or "AWS Console Sign In via CloudTrail"), detail: <record>}. A pattern using
// anything else (numeric, cidr, wildcard, $or) is not judged: undefined, so the rule is simply not accepted.
import type { CloudTrailRecord } from '../events/record.js';

type Matcher = (value: unknown) => boolean;

function valueMatcher(spec: unknown): Matcher | undefined {
  if (spec === null || typeof spec === 'string' || typeof spec === 'number' || typeof spec === 'boolean') return (v) => v === spec;
  if (typeof spec !== 'object' || Array.isArray(spec)) return undefined;
  const entries = Object.entries(spec as Record<string, unknown>);
  if (entries.length !== 1) return undefined;
  const [op, arg] = entries[0] as [string, unknown];
  if (op === 'prefix' && typeof arg === 'string') return (v) => typeof v === 'string' && v.startsWith(arg);
  if (op === 'exists' && typeof arg === 'boolean') return (v) => (v !== undefined) === arg;
  if (op === 'anything-but') {
    const list = Array.isArray(arg) ? arg : [arg];
    if (!list.every((x) => typeof x === 'string' || typeof x === 'number')) return undefined;
    return (v) => v !== undefined && !list.includes(v as string | number);
  }
  return undefined;
}

function objectMatcher(pattern: unknown): Matcher | undefined {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) return undefined;
  const parts: Matcher[] = [];
  for (const [key, spec] of Object.entries(pattern as Record<string, unknown>)) {
    let m: Matcher | undefined;
    if (Array.isArray(spec)) {
      const alts = spec.map(valueMatcher);
      if (alts.some((a) => a === undefined)) return undefined;
      const ok = alts as Matcher[];
      m = (v) => (Array.isArray(v) ? v.some((x) => ok.some((a) => a(x))) : ok.some((a) => a(v)));
    } else {
      m = objectMatcher(spec);
    }
    if (m === undefined) return undefined;
    const sub = m;
    parts.push((v) => v !== null && typeof v === 'object' && sub((v as Record<string, unknown>)[key]));
  }
  return (v) => parts.every((p) => p(v));
}

/** The event EventBridge sees for a CloudTrail record. */
export function eventBridgeEnvelope(record: CloudTrailRecord): Record<string, unknown> {
  const service = (record.eventSource ?? '').replace(/\.amazonaws\.com$/, '');
  const detailType = record.eventType === 'AwsConsoleSignIn' ? 'AWS Console Sign In via CloudTrail' : 'AWS API Call via CloudTrail';
  return { source: `aws.${service}`, 'detail-type': detailType, account: record.recipientAccountId, region: record.awsRegion, detail: record };
}

/** A predicate over CloudTrail records for an EventBridge pattern text, or undefined when the pattern is not one we judge. */
export function eventPatternMatcher(text: string): ((record: CloudTrailRecord) => boolean) | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const m = objectMatcher(parsed);
  return m === undefined ? undefined : (record) => m(eventBridgeEnvelope(record));
}
