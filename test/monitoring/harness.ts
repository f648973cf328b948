// A shared harness for the fifteen CIS monitoring checks: a complete, realistic chain (a logging multi-region
// trail delivering to a CloudWatch Logs group, a metric filter with the benchmark's pattern, an alarm with actions
// enabled notifying an SNS topic with a confirmed email subscription) that each case breaks at one link, and the
// cases the issue names run against every check through `describeMonitoringCheck`.
import { expect } from 'chai';
import { describeCheck } from '../../src/check-tester.js';
import type { AnyCheck, CheckResult } from '../../src/engine/check.js';
import { cisControl } from '../../src/monitoring/cis-patterns.js';
import { BundleBuilder, trailArn } from '../../fixtures/bundle-builder.js';
import { runCheck, resultFor } from '../helpers/check-tester.js';

export const ACCOUNT = '111111111111';
export const OTHER = '999999999999';
export const REGIONS = ['eu-west-1', 'us-east-1'];
export const HOME = 'us-east-1';
export const GROUP = 'aws-cloudtrail-logs-org';
export const NAMESPACE = 'CISBenchmark';
export const TOPIC = 'security-alarms';
export const RESOURCE = `AWS::::Account:${ACCOUNT}`;
const TOPIC_ARN = `arn:aws:sns:${HOME}:${ACCOUNT}:${TOPIC}`;

export interface ChainSpec {
  pattern: string;
  logging?: boolean;
  multiRegion?: boolean;
  /** The log group's account (default the trail's). */
  groupAccount?: string;
  /** The group's account is collected and holds the filter, alarm and topic: a central monitoring account. */
  central?: boolean;
  noGroup?: boolean;
  filterGroup?: string;
  alarmNamespace?: string;
  actionsEnabled?: boolean;
  alarmActions?: string[];
  subscriptions?: string[];
  /** Leave these files out or store them as AccessDenied. */
  missing?: ('filters' | 'alarms' | 'subscriptions' | 'status')[];
  denied?: ('filters' | 'alarms' | 'subscriptions' | 'selectors')[];
}

export function chainBundle(spec: ChainSpec): BundleBuilder {
  const holder = spec.central === true ? (spec.groupAccount ?? ACCOUNT) : ACCOUNT;
  const topicArn = `arn:aws:sns:${HOME}:${holder}:${TOPIC}`;
  const b = new BundleBuilder({ accounts: holder === ACCOUNT ? [ACCOUNT] : [ACCOUNT, holder], regions: REGIONS });
  const name = 'org-trail';
  const groupArn = `arn:aws:logs:${HOME}:${spec.groupAccount ?? ACCOUNT}:log-group:${GROUP}:*`;
  const trail = {
    Name: name, S3BucketName: 'org-trail-logs', IncludeGlobalServiceEvents: true, IsMultiRegionTrail: spec.multiRegion ?? true, HomeRegion: HOME,
    TrailARN: trailArn(ACCOUNT, HOME, name), LogFileValidationEnabled: true, HasCustomEventSelectors: false, HasInsightSelectors: false, IsOrganizationTrail: false,
    ...(spec.noGroup === true ? {} : { CloudWatchLogsLogGroupArn: groupArn, CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/CloudTrailToLogs` }),
  };
  for (const region of REGIONS) b.describeTrails(ACCOUNT, region, [trail]);
  const ct = (op: string): string => `cloudtrail/${op}/${name}.json`;
  if (!(spec.missing ?? []).includes('status')) b.put(ACCOUNT, HOME, ct('GetTrailStatus'), { IsLogging: spec.logging ?? true, LatestDeliveryTime: '2026-10-01T05:55:00.000Z' });
  const denied = spec.denied ?? [];
  const missing = spec.missing ?? [];
  if (denied.includes('selectors')) b.putError(ACCOUNT, HOME, ct('GetEventSelectors'), 'AccessDeniedException');
  else b.put(ACCOUNT, HOME, ct('GetEventSelectors'), { TrailARN: trail.TrailARN, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] });
  b.put(holder, HOME, 'logs/DescribeLogGroups.json', { logGroups: [{ logGroupName: GROUP, arn: groupArn, retentionInDays: 365 }] });
  const store = (key: 'filters' | 'alarms' | 'subscriptions', path: string, value: unknown): void => {
    if (missing.includes(key)) return;
    if (denied.includes(key)) b.putError(holder, HOME, path, 'AccessDeniedException');
    else b.put(holder, HOME, path, value);
  };
  store('filters', 'logs/DescribeMetricFilters.json', {
    metricFilters: [
      { filterName: 'Unrelated', filterPattern: '{ $.eventName = "RunInstances" }', logGroupName: GROUP, metricTransformations: [{ metricName: 'Launches', metricNamespace: NAMESPACE, metricValue: '1' }] },
      { filterName: 'CISFilter', filterPattern: spec.pattern, logGroupName: spec.filterGroup ?? GROUP, metricTransformations: [{ metricName: 'CISMetric', metricNamespace: NAMESPACE, metricValue: '1' }] },
    ],
  });
  store('alarms', 'cloudwatch/DescribeAlarms.json', {
    MetricAlarms: [{
      AlarmName: 'cis-alarm', MetricName: 'CISMetric', Namespace: spec.alarmNamespace ?? NAMESPACE, ActionsEnabled: spec.actionsEnabled ?? true,
      AlarmActions: spec.alarmActions ?? [topicArn], Statistic: 'Sum', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }],
    CompositeAlarms: [],
  });
  store('subscriptions', `sns/ListSubscriptionsByTopic/${TOPIC}.json`, {
    Subscriptions: (spec.subscriptions ?? [`${topicArn}:5f3c1a2b-0000-4000-8000-000000000001`]).map((arn, i) => ({
      SubscriptionArn: arn, Owner: holder, Protocol: 'email', Endpoint: `secops${i}@example.com`, TopicArn: topicArn,
    })),
  });
  return b;
}

/** Adds an EventBridge rule (and its targets) in the home region. */
export function withEventBridge(b: BundleBuilder, pattern: unknown, targets: string[] = [TOPIC_ARN]): BundleBuilder {
  b.put(ACCOUNT, HOME, 'events/ListRules.json', { Rules: [{ Name: 'cis-rule', State: 'ENABLED', EventPattern: JSON.stringify(pattern), EventBusName: 'default' }] });
  b.put(ACCOUNT, HOME, 'events/ListTargetsByRule/cis-rule.json', { Targets: targets.map((Arn, i) => ({ Id: `t${i}`, Arn })) });
  return b;
}

export function run(check: AnyCheck, spec: ChainSpec | BundleBuilder, options: Record<string, unknown> = {}): ReturnType<typeof resultFor> {
  return resultFor(runCheck(check, spec instanceof BundleBuilder ? spec : chainBundle(spec), options), RESOURCE);
}

/** Takes one `($.eventName = X)` (any quoting) out of a pattern. */
export function without(pattern: string, eventName: string): string {
  const re = new RegExp(`\\(\\s*\\$\\.eventName\\s*=\\s*"?${eventName}"?\\s*\\)\\s*\\|\\|\\s*|\\s*\\|\\|\\s*\\(\\s*\\$\\.eventName\\s*=\\s*"?${eventName}"?\\s*\\)`);
  const out = pattern.replace(re, '');
  if (out === pattern) throw new Error(`cannot remove ${eventName} from ${pattern}`);
  return out;
}

/** Reordered (the operands of every || and && reversed where safe) and requoted: the same filter in other words. */
export function reworded(pattern: string): string {
  const requoted = pattern.replace(/= ([A-Za-z][A-Za-z0-9.]*)\)/g, '= "$1")').replace(/ = /g, '=');
  const inner = /^\{\s*\(\$\.eventSource=("?[a-z.]+"?)\)\s*&&\s*\((.*)\)\s*\}$/.exec(requoted);
  if (inner) return `{ (${(inner[2] as string).split(' || ').reverse().join(' || ')}) && ($.eventSource = ${inner[1] as string}) }`;
  const flat = /^\{\s*(\(\$\.eventName=[^{}]*\))\s*\}$/.exec(requoted);
  if (flat) return `{ ${(flat[1] as string).split(' || ').reverse().join(' || ')} }`;
  return `{ (${requoted.replace(/^\{\s*|\s*\}$/g, '')}) }`;
}

export interface MonitoringCase {
  check: AnyCheck;
  control: string;
  /** An event name the benchmark names, to take out of the pattern (undefined for the case-based controls). */
  removable?: string;
  /** The benchmark pattern with one case missing, for controls without event names, and the label it misses. */
  missingCase?: { pattern: string; label: string };
}


/** An EventBridge rule that matches every CloudTrail event: a broader rule, accepted and labelled as EventBridge. */
const ANY_CLOUDTRAIL_EVENT = { detail: { eventTime: [{ exists: true }] } };

export function describeMonitoringCheck(c: MonitoringCase): void {
  const pattern = cisControl(c.control).pattern;
  const extended = `{ (${pattern.replace(/^\{\s*|\s*\}$/g, '')}) || ($.eventName = "ListBuckets") || ($.eventName = "${cisControl(c.control).negatives[0]?.record.eventName ?? ''}") }`;
  const narrowed = c.removable !== undefined ? { pattern: without(pattern, c.removable), label: c.removable } : c.missingCase;
  const bundle = (spec: ChainSpec) => (): BundleBuilder => chainBundle(spec);
  describe(`${c.check.meta.id} (CIS ${c.control})`, () => {
    describeCheck(c.check, {
      valid: [
        {
          name: 'the benchmark pattern verbatim with an alarm and a confirmed subscriber, citing each link', bundle: bundle({ pattern }), resource: RESOURCE, status: 'PASS', messageId: 'pass',
          check(r) {
            expect(r.message).to.contain(`CIS ${c.control}`).and.contain('metric filter CISFilter').and.contain('alarm cis-alarm').and.contain(`topic ${TOPIC}`);
            expect(r.evidence.map((e) => `${e.file}#${e.pointer}`)).to.include.members([
              `accounts/${ACCOUNT}/${HOME}/logs/DescribeMetricFilters.json#/metricFilters/1`,
              `accounts/${ACCOUNT}/${HOME}/cloudwatch/DescribeAlarms.json#/MetricAlarms/0`,
              `accounts/${ACCOUNT}/${HOME}/sns/ListSubscriptionsByTopic/${TOPIC}.json#/Subscriptions/0`,
            ]);
            expect(r.details).to.include({ verdict: 'exact', via: 'cloudwatch', metricFilter: 'CISFilter' });
          },
        },
        { name: `the same filter reordered and requoted: ${reworded(pattern)}`, bundle: bundle({ pattern: reworded(pattern) }), resource: RESOURCE, status: 'PASS', messageId: 'pass' },
        {
          name: 'a filter extended with another event, saying it is broader', bundle: bundle({ pattern: extended }), resource: RESOURCE, status: 'PASS', messageId: 'broader',
          check(r) {
            expect(r.details).to.include({ verdict: 'broader' });
            expect(r.message).to.contain('broader filter');
          },
        },
        {
          name: 'an EventBridge rule matching every event to a subscribed topic, labelled as EventBridge',
          bundle: () => withEventBridge(chainBundle({ pattern: '{ $.eventName = "NoSuchEvent" }' }), ANY_CLOUDTRAIL_EVENT), resource: RESOURCE, status: 'PASS', messageId: 'eventBridge',
          check(r) {
            expect(r.message).to.contain('through EventBridge');
            expect(r.details).to.include({ via: 'eventbridge', eventBridgeRule: 'cis-rule' });
          },
        },
        {
          name: 'a central log group in another (collected) account that receives the trail\'s events',
          bundle: bundle({ pattern, groupAccount: OTHER, central: true }), resource: RESOURCE, status: 'PASS', messageId: 'pass',
          check(r) {
            expect(r.message).to.contain(`log group ${GROUP} in account ${OTHER}`);
          },
        },
      ],
      invalid: [
        ...(narrowed === undefined ? [] : [{
          name: `a filter without ${narrowed.label}, naming it on the metric-filter link`, bundle: bundle({ pattern: narrowed.pattern }), resource: RESOURCE, status: 'FAIL' as const, messageId: 'missing',
          check(r: CheckResult) {
            expect(r.message).to.contain('metric-filter link').and.contain(`misses ${narrowed.label}`);
            expect(r.details).to.deep.include({ missingLink: 'metric-filter', missedEvents: [narrowed.label] });
          },
        }]),
        {
          name: 'the alarm watches another namespace (alarm link)', bundle: bundle({ pattern, alarmNamespace: 'LogMetrics' }), resource: RESOURCE, status: 'FAIL', messageId: 'missing',
          check: (r) => expect(r.message).to.contain('alarm link').and.contain('namespace LogMetrics'),
        },
        {
          name: 'the alarm has its actions disabled (alarm link)', bundle: bundle({ pattern, actionsEnabled: false }), resource: RESOURCE, status: 'FAIL', messageId: 'missing',
          check(r) {
            expect(r.message).to.contain('alarm link').and.contain('actions disabled');
            expect(r.evidence[0]?.pointer).to.equal('/MetricAlarms/0/ActionsEnabled');
          },
        },
        {
          name: 'the topic has only a pending subscription (subscription link)', bundle: bundle({ pattern, subscriptions: ['PendingConfirmation'] }), resource: RESOURCE, status: 'FAIL', messageId: 'missing',
          check: (r) => expect(r.message).to.contain('subscription link').and.contain(`topic ${TOPIC} has only 1 pending subscription`),
        },
        {
          name: 'the trail is not logging (trail link)', bundle: bundle({ pattern, logging: false }), resource: RESOURCE, status: 'FAIL', messageId: 'missing',
          check: (r) => expect(r.message).to.contain('trail link').and.contain('not logging'),
        },
        {
          name: 'a central log group, when alarms are required in each account (trail link)', bundle: bundle({ pattern, groupAccount: OTHER, central: true }),
          options: { requireAlarmInEachAccount: true }, resource: RESOURCE, status: 'FAIL', messageId: 'missing',
          check: (r) => expect(r.message).to.contain('trail link').and.contain(`in another account (${OTHER})`),
        },
        {
          name: 'the metric filters were denied, naming the call', bundle: bundle({ pattern, denied: ['filters'] }), resource: RESOURCE, status: 'ERROR',
          check: (r) => expect(r.message).to.contain('DescribeMetricFilters.json').and.contain('AccessDeniedException'),
        },
        {
          name: 'the metric filters were not collected, naming the call', bundle: bundle({ pattern, missing: ['filters'] }), resource: RESOURCE, status: 'ERROR',
          check: (r) => expect(r.message).to.contain('DescribeMetricFilters.json'),
        },
        {
          name: 'a central log group in an account that was not collected', bundle: bundle({ pattern, groupAccount: OTHER }), resource: RESOURCE, status: 'MANUAL',
          check: (r) => expect(r.message).to.contain(`The metric filters of log group ${GROUP} in account ${OTHER}`),
        },
      ],
    });
  });
}
