// What the fifteen CIS monitoring checks share: their messages, and one result per collected account from the
// chain (src/monitoring/chain.ts). Each check module names its control and its words; this turns the chain's
// outcome into PASS (saying when the filter is broader, or when an EventBridge rule carries it), FAIL naming the
// missing link, or ERROR naming the call we could not read.
import type { CheckContext, CheckResult } from '../engine/check.js';
import type { Estate } from '../evidence/estate.js';
import { cisControl } from './cis-patterns.js';
import { monitoringChain } from './chain.js';

export const MONITORING_MESSAGES = {
  pass: 'Account {{account}} alarms on {{about}} (CIS {{control}}): {{chain}}.',
  broader: 'Account {{account}} alarms on {{about}} (CIS {{control}}) with a broader filter that also matches {{extra}}: {{chain}}.',
  eventBridge: 'Account {{account}} notifies on {{about}} (CIS {{control}}) through EventBridge: {{chain}}.',
  missing: 'Account {{account}} has no working alarm on {{about}} (CIS {{control}}): the {{link}} link is missing: {{reason}}.',
} as const;
export type MonitoringMessageId = keyof typeof MONITORING_MESSAGES;

export const MONITORING_SCHEMA = { type: 'object', properties: {}, additionalProperties: false } as const;

/** Remediation common to the section, with the control's own pattern. */
export function monitoringRemediation(control: string): { text: string; cli: string; iac: string } {
  const c = cisControl(control);
  return {
    text: `Send a multi-region trail's events to a CloudWatch Logs group, add a metric filter matching ${c.about}, an alarm on its metric that notifies an SNS topic, and confirm a subscription to that topic.`,
    cli: `aws logs put-metric-filter --log-group-name <group> --filter-name <name> --metric-transformations metricName=<metric>,metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '${c.pattern}'`,
    iac: 'AWS::Logs::MetricFilter, AWS::CloudWatch::Alarm (AlarmActions: the topic), AWS::SNS::Subscription',
  };
}

/** One result per collected account. `ids` names the message ids, so each check module cites them. */
export function monitoringResults<Options extends object>(
  estate: Estate,
  ctx: CheckContext<Options, MonitoringMessageId>,
  control: string,
  ids: Record<MonitoringMessageId, MonitoringMessageId>,
): CheckResult[] {
  const c = cisControl(control);
  return estate.accounts.map((account) => {
    const subject = { account: account.id, region: 'global', resource: `AWS::::Account:${account.id}` };
    const outcome = monitoringChain(estate, account.id, c);
    const data = { account: account.id, about: c.about, control };
    if (outcome.kind === 'not-collected') return ctx.notCollected(subject, outcome.what);
    if (outcome.kind === 'error') return ctx.error(outcome.read, subject, `${outcome.what} (CIS ${control} chain)`);
    if (outcome.kind === 'fail') {
      return ctx.result('FAIL', { ...subject, messageId: ids.missing, data: { ...data, link: outcome.link, reason: outcome.reason }, evidence: outcome.evidence, details: outcome.details });
    }
    const extra = Array.isArray(outcome.details.broaderBy) ? (outcome.details.broaderBy as string[]).join(', ') : '';
    const messageId = outcome.via === 'eventbridge' ? ids.eventBridge : outcome.verdict === 'broader' ? ids.broader : ids.pass;
    return ctx.result('PASS', { ...subject, messageId, data: { ...data, chain: outcome.summary, extra }, evidence: outcome.evidence, details: { ...outcome.details, via: outcome.via } });
  });
}
