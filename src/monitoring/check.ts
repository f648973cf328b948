// The fifteen CIS monitoring checks, made by one factory from their rows in ./controls.ts: the messages, the
// remediation, and one result per collected account from the chain (./chain.ts). This turns the chain's outcome
// into PASS (saying when the filter is broader, or when an EventBridge rule carries it), FAIL naming the missing
// link, or ERROR naming the call we could not read.
import { defineCheck, type Check, type CheckContext, type CheckResult } from '../engine/check.js';
import type { Estate } from '../evidence/estate.js';
import { cisControl } from './cis-patterns.js';
import { monitoringChain } from './chain.js';
import { monitoringControl } from './controls.js';

export const MONITORING_MESSAGES = {
  pass: 'Account {{account}} alarms on {{about}} (CIS {{control}}): {{chain}}.',
  broader: 'Account {{account}} alarms on {{about}} (CIS {{control}}) with a broader filter that also matches {{extra}}: {{chain}}.',
  eventBridge: 'Account {{account}} notifies on {{about}} (CIS {{control}}) through EventBridge: {{chain}}.',
  missing: 'Account {{account}} has no working alarm on {{about}} (CIS {{control}}): the {{link}} link is missing: {{reason}}.',
} as const;
export type MonitoringMessageId = keyof typeof MONITORING_MESSAGES;

export interface MonitoringOptions {
  requireAlarmInEachAccount: boolean;
}

export const MONITORING_DEFAULTS: MonitoringOptions = { requireAlarmInEachAccount: false };

export const MONITORING_SCHEMA = {
  type: 'object',
  properties: {
    requireAlarmInEachAccount: {
      type: 'boolean',
      description: 'Count only a metric filter and alarm on a log group in the audited account itself; by default a central log group (e.g. of the organization trail in the management account) that receives the account\'s events counts too.',
    },
  },
  additionalProperties: false,
} as const;

/** Remediation common to the section, with the control's own pattern. */
export function monitoringRemediation(control: string): { text: string; cli: string; iac: string } {
  const c = cisControl(control);
  return {
    text: `Send a multi-region trail's events to a CloudWatch Logs group, add a metric filter matching ${c.about}, an alarm on its metric that notifies an SNS topic, and confirm a subscription to that topic.`,
    cli: `aws logs put-metric-filter --log-group-name <group> --filter-name <name> --metric-transformations metricName=<metric>,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '${c.pattern}'`,
    iac: 'AWS::Logs::MetricFilter, AWS::CloudWatch::Alarm (AlarmActions: the topic), AWS::SNS::Subscription',
  };
}

/** One result per collected account. */
export function monitoringResults(estate: Estate, ctx: CheckContext<MonitoringOptions, MonitoringMessageId>, control: string): CheckResult[] {
  const c = cisControl(control);
  return estate.accounts.map((account) => {
    const subject = { account: account.id, region: 'global', resource: `AWS::::Account:${account.id}` };
    const outcome = monitoringChain(estate, account.id, c, { requireAlarmInEachAccount: ctx.options.requireAlarmInEachAccount });
    const data = { account: account.id, about: c.about, control };
    if (outcome.kind === 'not-collected') return ctx.notCollected(subject, outcome.what);
    if (outcome.kind === 'error') return ctx.error(outcome.read, subject, `${outcome.what} (CIS ${control} chain)`);
    if (outcome.kind === 'fail') {
      return ctx.result('FAIL', { ...subject, messageId: 'missing', data: { ...data, link: outcome.link, reason: outcome.reason }, evidence: outcome.evidence, details: outcome.details });
    }
    const extra = Array.isArray(outcome.details.broaderBy) ? (outcome.details.broaderBy as string[]).join(', ') : '';
    const messageId: MonitoringMessageId = outcome.via === 'eventbridge' ? 'eventBridge' : outcome.verdict === 'broader' ? 'broader' : 'pass';
    return ctx.result('PASS', { ...subject, messageId, data: { ...data, chain: outcome.summary, extra }, evidence: outcome.evidence, details: { ...outcome.details, via: outcome.via } });
  });
}

/** The check of checks/monitoring/<name>.ts, from its row in the table of controls. */
export function monitoringCheck(name: string): Check<MonitoringOptions, MonitoringMessageId> {
  const row = monitoringControl(name);
  return defineCheck({
    meta: {
      id: `monitoring.${row.name}`,
      title: row.title,
      severity: row.severity,
      scope: 'account',
      description: `CIS ${row.control}: a metric filter on the CloudWatch Logs group of a logging multi-region trail that records the account matches every event of ${cisControl(row.control).about}, an alarm with actions enabled watches its metric and notifies an SNS topic with a confirmed subscription (an EventBridge rule to such a topic is accepted). The filter is judged by the events it matches, not by its text. The group may be a central one in another account (e.g. the organization trail's), unless requireAlarmInEachAccount is set.`,
      rationale: row.rationale,
      remediation: monitoringRemediation(row.control),
      defaultOptions: MONITORING_DEFAULTS,
      schema: MONITORING_SCHEMA,
      messages: MONITORING_MESSAGES,
    },
    run(estate, ctx) {
      return monitoringResults(estate, ctx, row.control);
    },
  });
}
