// CloudWatch: the alarms (metric and composite) of an account and region, and the SNS topics they notify.
import { paginateDescribeAlarms } from '../aws/sdk/cloudwatch.js';
import type { ClientSet } from './clients.js';
import { recordPages, type Recorder } from './record.js';

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/;

/** Stores DescribeAlarms; returns the SNS topic ARNs its alarms notify. */
export async function alarms(rec: Recorder, clients: ClientSet): Promise<string[]> {
  const place = { account: clients.account, where: clients.region };
  const out = await recordPages(rec, place, 'cloudwatch/DescribeAlarms.json', 'cloudwatch:DescribeAlarms', ['MetricAlarms', 'CompositeAlarms'], (abortSignal) =>
    paginateDescribeAlarms({ client: clients.cloudwatch }, { AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }, { abortSignal }));
  const topics = new Set<string>();
  for (const alarm of [...((out?.['MetricAlarms'] ?? []) as AlarmActions[]), ...((out?.['CompositeAlarms'] ?? []) as AlarmActions[])]) {
    for (const arn of [...(alarm.AlarmActions ?? []), ...(alarm.OKActions ?? []), ...(alarm.InsufficientDataActions ?? [])]) {
      if (TOPIC_ARN.test(arn)) topics.add(arn);
    }
  }
  return [...topics].sort();
}

interface AlarmActions {
  AlarmActions?: string[];
  OKActions?: string[];
  InsufficientDataActions?: string[];
}
