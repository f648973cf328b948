import { defineCheck } from '../../src/engine/check.js';
import { cisControl } from '../../src/monitoring/cis-patterns.js';
import { MONITORING_MESSAGES, MONITORING_SCHEMA, monitoringRemediation, monitoringResults } from '../../src/monitoring/check.js';

const CONTROL = '4.8';

export const check = defineCheck({
  meta: {
    id: 'monitoring.s3-bucket-policy-changes',
    title: 'S3 bucket policy changes raise an alarm that reaches a person',
    severity: 'medium',
    scope: 'account',
    description: `CIS 4.8: a metric filter on the CloudWatch Logs group of a logging multi-region trail matches every event of ${cisControl(CONTROL).about}, an alarm with actions enabled watches its metric and notifies an SNS topic with a confirmed subscription (an EventBridge rule to such a topic is accepted). The filter is judged by the events it matches, not by its text.`,
    rationale: 'A changed bucket policy or ACL can expose data or open the log bucket itself.',
    remediation: monitoringRemediation(CONTROL),
    defaultOptions: {},
    schema: MONITORING_SCHEMA,
    messages: MONITORING_MESSAGES,
  },
  run(estate, ctx) {
    return monitoringResults(estate, ctx, CONTROL, { pass: 'pass', broader: 'broader', eventBridge: 'eventBridge', missing: 'missing' });
  },
});
