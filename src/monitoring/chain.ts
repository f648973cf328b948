// The CIS monitoring chain of one account, link by link, as the benchmark's audit procedure walks it: a logging,
// multi-region trail recording read and write management events into a CloudWatch Logs group -> a metric filter
// on that group that implements the control (judged by the events it matches) -> an alarm on the filter's metric
// name and namespace with actions enabled -> an SNS topic with a confirmed subscription.
// Central monitoring counts: the log group may live in another account (an organization trail delivering every
// member's events to the management or a security account's group), and the filter, alarm and topic are then read
// in that account; the result names the account of the group. `requireAlarmInEachAccount` keeps the strict
// per-account reading, where only a group of the account itself counts.
// Extension: an EventBridge rule (events/ListRules.json, events/ListTargetsByRule/<rule>.json in the account's
// regions) whose event pattern matches the control's events and targets a subscribed topic is accepted instead,
// labelled as such. The outcome names the furthest link reached, or the call that kept us from deciding.
import type { Read } from '../evidence/bundle.js';
import { evidenceRef } from '../evidence/bundle.js';
import { locatedRef, type Estate, type TrailModel } from '../evidence/estate.js';
import { managementCoverage } from '../evidence/selectors.js';
import type { EvidenceRef } from '../model/types.js';
import { controlFor, implementsControl, type CisControl, type Verdict } from './cis-patterns.js';
import { eventPatternMatcher } from './event-pattern.js';
import { FilterPatternError, parseFilterPattern } from './filter-pattern.js';

export interface MetricFilter {
  filterName?: string;
  filterPattern?: string;
  logGroupName?: string;
  metricTransformations?: { metricName?: string; metricNamespace?: string }[];
}
export interface MetricAlarm {
  AlarmName?: string;
  MetricName?: string;
  Namespace?: string;
  ActionsEnabled?: boolean;
  AlarmActions?: string[];
}
export interface Subscription {
  SubscriptionArn?: string;
  Protocol?: string;
  Endpoint?: string;
}
interface EventRule {
  Name?: string;
  State?: string;
  EventPattern?: string;
}

/** How the chain is walked. */
export interface ChainOptions {
  /** Only a log group in the audited account itself counts (the strict per-account reading of the benchmark). */
  requireAlarmInEachAccount: boolean;
}

/** The links, in the order the chain is walked. */
export type Link = 'trail' | 'metric-filter' | 'alarm' | 'subscription';

export type ChainOutcome =
  | { kind: 'pass'; via: 'cloudwatch' | 'eventbridge'; verdict: Verdict; summary: string; evidence: EvidenceRef[]; details: Record<string, unknown> }
  | { kind: 'fail'; link: Link; reason: string; evidence: EvidenceRef[]; details: Record<string, unknown> }
  | { kind: 'error'; read: Exclude<Read<unknown>, { kind: 'ok' }>; what: string }
  | { kind: 'not-collected'; what: string };

interface Walk {
  /** Furthest link that failed, with why. */
  failure: { link: Link; rank: number; reasons: string[]; evidence: EvidenceRef[] };
  /** First input we could not use, which would make a FAIL unsafe. */
  unusable?: { read: Exclude<Read<unknown>, { kind: 'ok' }>; what: string };
  /** A resource the chain reached in an account that was not collected. */
  notCollected?: string;
  misses: string[];
}

const RANK: Record<Link, number> = { trail: 0, 'metric-filter': 1, alarm: 2, subscription: 3 };

function note(walk: Walk, link: Link, reason: string, evidence: EvidenceRef[] = []): void {
  const rank = RANK[link];
  if (rank > walk.failure.rank) walk.failure = { link, rank, reasons: [reason], evidence: [...evidence] };
  else if (rank === walk.failure.rank) {
    walk.failure.reasons.push(reason);
    walk.failure.evidence.push(...evidence);
  }
}

function unusable(walk: Walk, read: Read<unknown>, what: string): boolean {
  if (read.kind === 'ok') return false;
  walk.unusable ??= { read, what };
  return true;
}

/** Why a trail cannot carry the chain, or undefined when it can. */
function trailProblem(trail: TrailModel, account: string, walk: Walk, options: ChainOptions): string | undefined {
  // Facts of the DescribeTrails entry first: a trail they rule out needs no status or selectors read.
  if (!trail.isMultiRegion) return `trail ${trail.name} is not multi-region`;
  if (trail.logGroup === undefined) return `trail ${trail.name} delivers to no CloudWatch Logs group`;
  if (options.requireAlarmInEachAccount && trail.logGroup.account !== account) return `trail ${trail.name} delivers to log group ${trail.logGroup.name} in another account (${trail.logGroup.account})`;
  if (unusable(walk, trail.status, `Trail ${trail.name} status`)) return `trail ${trail.name}: status unreadable`;
  if (trail.status.kind === 'ok' && trail.status.value.IsLogging !== true) return `trail ${trail.name} is not logging`;
  if (unusable(walk, trail.selectors, `Trail ${trail.name} event selectors`)) return `trail ${trail.name}: event selectors unreadable`;
  if (trail.selectors.kind === 'ok' && !managementCoverage(trail.selectors.value).complete) return `trail ${trail.name} does not record all read and write management events`;
  return undefined;
}

function topicSubscribed(estate: Estate, topicArn: string, walk: Walk, evidence: EvidenceRef[]): boolean {
  const m = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):(.+)$/.exec(topicArn);
  if (!m) {
    note(walk, 'subscription', `action ${topicArn} is not an SNS topic`);
    return false;
  }
  const read = estate.bundle.read<{ Subscriptions?: Subscription[] }>(`accounts/${m[2]}/${m[1]}/sns/ListSubscriptionsByTopic/${m[3]}.json`);
  if (read.kind === 'missing' && !estate.isCollectedAccount(m[2] as string)) {
    walk.notCollected ??= `The subscriptions of SNS topic ${topicArn}`;
    return false;
  }
  if (unusable(walk, read, `Subscriptions of topic ${m[3]}`)) return false;
  if (read.kind !== 'ok') return false;
  const subs = read.value.Subscriptions ?? [];
  const i = subs.findIndex((s) => typeof s.SubscriptionArn === 'string' && s.SubscriptionArn.startsWith('arn:'));
  if (i < 0) {
    const pending = subs.length > 0 ? `only ${subs.length} pending subscription(s)` : 'no subscriptions';
    note(walk, 'subscription', `topic ${m[3]} has ${pending}`, [evidenceRef(read.source, '/Subscriptions')]);
    return false;
  }
  evidence.push(evidenceRef(read.source, `/Subscriptions/${i}`));
  return true;
}

function cloudwatchChain(estate: Estate, account: string, control: CisControl, walk: Walk, options: ChainOptions): ChainOutcome | undefined {
  const trails = estate.trailsFor(account);
  if (trails.length === 0) note(walk, 'trail', 'no trail records the account');
  for (const trail of trails) {
    const problem = trailProblem(trail, account, walk, options);
    const group = trail.logGroup;
    if (problem !== undefined || group === undefined) {
      note(walk, 'trail', problem ?? `trail ${trail.name} has no log group`, [locatedRef(trail.entry)]);
      continue;
    }
    // The group's own account holds its filters and alarms: the audited account, or a central one.
    const central = group.account !== account;
    const where = central ? ` in account ${group.account}` : '';
    const base = `accounts/${group.account}/${group.region}`;
    const filters = estate.bundle.read<{ metricFilters?: MetricFilter[] }>(`${base}/logs/DescribeMetricFilters.json`);
    if (filters.kind === 'missing' && !estate.isCollectedAccount(group.account)) {
      walk.notCollected ??= `The metric filters of log group ${group.name} in account ${group.account}, where trail ${trail.name} delivers the events of account ${account},`;
      continue;
    }
    if (unusable(walk, filters, `Metric filters in ${group.region}`) || filters.kind !== 'ok') continue;
    const onGroup = (filters.value.metricFilters ?? []).map((f, i) => ({ f, i })).filter(({ f }) => f.logGroupName === group.name);
    let implementing = 0;
    let partial = 0;
    const closest: { name: string; missed: string[]; ref: EvidenceRef }[] = [];
    for (const { f, i } of onGroup) {
      const name = f.filterName ?? `#${i}`;
      let verdict;
      try {
        verdict = implementsControl(parseFilterPattern(f.filterPattern ?? '', name), central ? controlFor(control, account) : control);
      } catch (err) {
        if (!(err instanceof FilterPatternError)) throw err;
        partial += 1;
        note(walk, 'metric-filter', `metric filter ${name} has a pattern we cannot read (${err.reason})`, [evidenceRef(filters.source, `/metricFilters/${i}/filterPattern`)]);
        continue;
      }
      const fRef = evidenceRef(filters.source, `/metricFilters/${i}`);
      if (verdict.verdict === 'misses') {
        if (verdict.missed.length < control.positives.length) closest.push({ name, missed: verdict.missed, ref: fRef });
        continue;
      }
      implementing += 1;
      const alarms = estate.bundle.read<{ MetricAlarms?: MetricAlarm[] }>(`${base}/cloudwatch/DescribeAlarms.json`);
      if (unusable(walk, alarms, `Alarms in ${group.region}`) || alarms.kind !== 'ok') continue;
      for (const t of f.metricTransformations ?? []) {
        const list = (alarms.value.MetricAlarms ?? []).map((a, j) => ({ a, j })).filter(({ a }) => a.MetricName === t.metricName && a.Namespace === t.metricNamespace);
        if (list.length === 0) {
          const sameName = (alarms.value.MetricAlarms ?? []).filter((a) => a.MetricName === t.metricName);
          const hint = sameName.length > 0 ? ` (alarm ${sameName[0]?.AlarmName ?? ''} watches namespace ${sameName[0]?.Namespace ?? '(none)'})` : '';
          note(walk, 'alarm', `no alarm watches metric ${t.metricNamespace ?? ''}/${t.metricName ?? ''} of filter ${name}${hint}`, [fRef, evidenceRef(alarms.source, '/MetricAlarms')]);
          continue;
        }
        for (const { a, j } of list) {
          const aRef = evidenceRef(alarms.source, `/MetricAlarms/${j}`);
          if (a.ActionsEnabled !== true) {
            note(walk, 'alarm', `alarm ${a.AlarmName ?? ''} has its actions disabled`, [evidenceRef(alarms.source, `/MetricAlarms/${j}/ActionsEnabled`)]);
            continue;
          }
          const topics = (a.AlarmActions ?? []).filter((x) => x.includes(':sns:'));
          if (topics.length === 0) {
            note(walk, 'subscription', `alarm ${a.AlarmName ?? ''} notifies no SNS topic`, [evidenceRef(alarms.source, `/MetricAlarms/${j}/AlarmActions`)]);
            continue;
          }
          for (const topic of topics) {
            const evidence = [locatedRef(trail.entry, '/CloudWatchLogsLogGroupArn'), fRef, aRef];
            if (!topicSubscribed(estate, topic, walk, evidence)) continue;
            const summary = `trail ${trail.name} -> log group ${group.name}${where} -> metric filter ${name} -> alarm ${a.AlarmName ?? ''} -> topic ${topic.split(':').pop() ?? ''}`;
            return {
              kind: 'pass', via: 'cloudwatch', verdict: verdict.verdict, summary, evidence,
              details: {
                trail: trail.arn, logGroup: group.name, ...(central ? { logGroupAccount: group.account, central: true } : {}),
                metricFilter: name, alarm: a.AlarmName ?? null, topic, verdict: verdict.verdict, broaderBy: verdict.extra,
              },
            };
          }
        }
      }
    }
    // Of the filters that match some of the events, the closest ones say what is missing.
    const fewest = Math.min(...closest.map((c) => c.missed.length));
    for (const c of implementing === 0 ? closest.filter((x) => x.missed.length === fewest) : []) {
      partial += 1;
      walk.misses.push(...c.missed);
      note(walk, 'metric-filter', `metric filter ${c.name} misses ${c.missed.join(', ')}`, [c.ref]);
    }
    if (implementing === 0 && partial === 0) {
      note(walk, 'metric-filter', `no metric filter on log group ${group.name}${where} matches the events of CIS ${control.control} (${control.about})`, [evidenceRef(filters.source, '/metricFilters')]);
    }
  }
  return undefined;
}

function eventBridgeChain(estate: Estate, account: string, control: CisControl, walk: Walk): ChainOutcome | undefined {
  for (const { region } of estate.regionsOf(account)) {
    const rules = estate.bundle.read<{ Rules?: EventRule[] }>(`accounts/${account}/${region}/events/ListRules.json`);
    if (rules.kind !== 'ok') continue; // an optional extension: no file means no EventBridge evidence, not an error
    for (const [i, rule] of (rules.value.Rules ?? []).entries()) {
      if (rule.State !== 'ENABLED' || rule.Name === undefined || rule.EventPattern === undefined) continue;
      const matcher = eventPatternMatcher(rule.EventPattern);
      if (matcher === undefined) continue;
      const verdict = implementsControl(matcher, control);
      if (verdict.verdict === 'misses') continue;
      const targets = estate.bundle.read<{ Targets?: { Arn?: string }[] }>(`accounts/${account}/${region}/events/ListTargetsByRule/${rule.Name}.json`);
      if (unusable(walk, targets, `Targets of EventBridge rule ${rule.Name}`) || targets.kind !== 'ok') continue;
      for (const t of targets.value.Targets ?? []) {
        if (t.Arn === undefined || !t.Arn.includes(':sns:')) continue;
        const evidence = [evidenceRef(rules.source, `/Rules/${i}`), evidenceRef(targets.source, '/Targets')];
        if (!topicSubscribed(estate, t.Arn, walk, evidence)) continue;
        return {
          kind: 'pass', via: 'eventbridge', verdict: verdict.verdict, evidence,
          summary: `EventBridge rule ${rule.Name} (${region}) -> topic ${t.Arn.split(':').pop() ?? ''}`,
          details: { eventBridgeRule: rule.Name, region, topic: t.Arn, verdict: verdict.verdict, broaderBy: verdict.extra },
        };
      }
    }
  }
  return undefined;
}

/** Walks the chain for one account and control. */
export function monitoringChain(estate: Estate, account: string, control: CisControl, options: ChainOptions = { requireAlarmInEachAccount: false }): ChainOutcome {
  const walk: Walk = { failure: { link: 'trail', rank: -1, reasons: [], evidence: [] }, misses: [] };
  const found = cloudwatchChain(estate, account, control, walk, options) ?? eventBridgeChain(estate, account, control, walk);
  if (found) return found;
  if (walk.unusable) return { kind: 'error', ...walk.unusable };
  if (walk.notCollected !== undefined) return { kind: 'not-collected', what: walk.notCollected };
  const { link, reasons, evidence } = walk.failure;
  return {
    kind: 'fail',
    link: link,
    reason: [...new Set(reasons)].join('; ') || 'no trail records the account',
    evidence,
    details: { missingLink: link, missedEvents: [...new Set(walk.misses)] },
  };
}
