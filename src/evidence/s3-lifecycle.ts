// Finds the lifecycle rules of a log bucket that delete CloudTrail logs too early or move them where they cannot
// be read without a restore. Pure: the caller passes the collection time that dates are measured from.
import type { LifecycleRule } from './aws.js';

export interface LifecycleViolation {
  ruleIndex: number;
  ruleId?: string;
  kind: 'expiration' | 'noncurrent-expiration' | 'transition';
  days?: number;
  date?: string;
  storageClass?: string;
  /** A sentence naming the rule, what it does and the minimum it breaks. */
  detail: string;
  /** JSON Pointer into the GetBucketLifecycleConfiguration response, e.g. "/Rules/0/Expiration". */
  pointer: string;
}

export interface LifecycleOptions {
  /** Key prefix the trail writes under, from logPrefixOf(). */
  logPrefix: string;
  minRetentionDays: number;
  /** Days logs must stay immediately readable (not in an archive storage class). */
  minHotDays: number;
  collectedAt: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

// Classes whose objects can be read with a plain GetObject. Any other class (GLACIER, DEEP_ARCHIVE, or one this
// list does not know yet) is treated as needing a restore, so an unknown class is reported rather than passed.
const READABLE_CLASSES = new Set(['STANDARD', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'REDUCED_REDUNDANCY']);

/** CloudTrail writes under `<S3KeyPrefix>/AWSLogs/`, or `AWSLogs/` when the trail has no prefix. */
export function logPrefixOf(s3KeyPrefix: string | undefined): string {
  const prefix = (s3KeyPrefix ?? '').replace(/\/+$/, '');
  return prefix === '' ? 'AWSLogs/' : `${prefix}/AWSLogs/`;
}

/**
 * Whether the rule acts on some of the trail's log objects. A tag filter never matches them (CloudTrail does
 * not tag what it writes); size filters are ignored because log files come in every size.
 */
export function ruleCoversPrefix(rule: LifecycleRule, logPrefix: string): boolean {
  const filter = rule.Filter;
  if (filter?.Tag !== undefined || (filter?.And?.Tags?.length ?? 0) > 0) return false;
  const prefix = filter?.And?.Prefix ?? filter?.Prefix ?? rule.Prefix ?? '';
  return prefix.startsWith(logPrefix) || logPrefix.startsWith(prefix);
}

export function lifecycleViolations(rules: LifecycleRule[], opts: LifecycleOptions): LifecycleViolation[] {
  const violations: LifecycleViolation[] = [];
  rules.forEach((rule, ruleIndex) => {
    if (rule.Status !== 'Enabled' || !ruleCoversPrefix(rule, opts.logPrefix)) return;
    const base = { ruleIndex, ...(rule.ID === undefined ? {} : { ruleId: rule.ID }) };
    const name = rule.ID === undefined ? `rule ${ruleIndex} (no ID)` : `rule "${rule.ID}"`;
    const keepUntil = isoDay(opts.collectedAt.getTime() + opts.minRetentionDays * DAY_MS);
    const hotUntil = isoDay(opts.collectedAt.getTime() + opts.minHotDays * DAY_MS);

    const exp = rule.Expiration;
    if (typeof exp?.Days === 'number' && exp.Days < opts.minRetentionDays) {
      violations.push({
        ...base, kind: 'expiration', days: exp.Days, pointer: `/Rules/${ruleIndex}/Expiration`,
        detail: `${name} expires log objects after ${exp.Days} days (minimum ${opts.minRetentionDays})`,
      });
    }
    if (exp?.Date !== undefined && before(exp.Date, opts.collectedAt, opts.minRetentionDays)) {
      violations.push({
        ...base, kind: 'expiration', date: exp.Date, pointer: `/Rules/${ruleIndex}/Expiration`,
        detail: `${name} expires log objects on ${exp.Date}; logs written at collection must be kept until ${keepUntil} (minimum ${opts.minRetentionDays} days)`,
      });
    }

    const noncurrent = rule.NoncurrentVersionExpiration?.NoncurrentDays;
    if (typeof noncurrent === 'number' && noncurrent < opts.minRetentionDays) {
      violations.push({
        ...base, kind: 'noncurrent-expiration', days: noncurrent, pointer: `/Rules/${ruleIndex}/NoncurrentVersionExpiration`,
        detail: `${name} permanently deletes noncurrent log object versions ${noncurrent} days after they become noncurrent (minimum ${opts.minRetentionDays})`,
      });
    }

    (rule.Transitions ?? []).forEach((t, i) => {
      const storageClass = t.StorageClass ?? 'an unnamed storage class';
      if (t.StorageClass !== undefined && READABLE_CLASSES.has(t.StorageClass.toUpperCase())) return;
      const where = `${storageClass}, where they cannot be read without a restore`;
      const transition = { ...base, kind: 'transition' as const, pointer: `/Rules/${ruleIndex}/Transitions/${i}`, ...(t.StorageClass === undefined ? {} : { storageClass: t.StorageClass }) };
      if (typeof t.Days === 'number' && t.Days < opts.minHotDays) {
        violations.push({
          ...transition, days: t.Days,
          detail: `${name} moves log objects to ${where}, after ${t.Days} days (minimum ${opts.minHotDays} days readable)`,
        });
      }
      if (t.Date !== undefined && before(t.Date, opts.collectedAt, opts.minHotDays)) {
        violations.push({
          ...transition, date: t.Date,
          detail: `${name} moves log objects to ${where}, on ${t.Date}; logs written at collection must stay readable until ${hotUntil} (minimum ${opts.minHotDays} days)`,
        });
      }
    });
  });
  return violations;
}

/** Whether `date` falls before collectedAt + days; a date that cannot be read counts as too early (fail closed). */
function before(date: string, collectedAt: Date, days: number): boolean {
  const at = Date.parse(date);
  return Number.isNaN(at) || at < collectedAt.getTime() + days * DAY_MS;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
