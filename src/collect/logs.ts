// CloudWatch Logs: the log groups (a trail's delivery target, its retention) and the metric filters on them.
import { paginateDescribeLogGroups, paginateDescribeMetricFilters } from '../aws/sdk/cloudwatch-logs.js';
import type { ClientSet } from './clients.js';
import { recordPages, type Recorder } from './record.js';

export async function logGroupsAndFilters(rec: Recorder, clients: ClientSet): Promise<void> {
  const place = { account: clients.account, where: clients.region };
  const client = clients.logs;
  await Promise.all([
    recordPages(rec, place, 'logs/DescribeLogGroups.json', 'logs:DescribeLogGroups', ['logGroups'], (abortSignal) =>
      paginateDescribeLogGroups({ client }, {}, { abortSignal })),
    recordPages(rec, place, 'logs/DescribeMetricFilters.json', 'logs:DescribeMetricFilters', ['metricFilters'], (abortSignal) =>
      paginateDescribeMetricFilters({ client }, {}, { abortSignal })),
  ]);
}
