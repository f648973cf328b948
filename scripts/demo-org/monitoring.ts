// Realistic CloudWatch Logs, CloudWatch alarm and SNS responses for evidence bundles (see demo-org-aws.ts for the
// conventions): the log groups a trail delivers to, the CIS Benchmark metric filters on them, the alarms on those
// metrics and the subscriptions of the topics the alarms notify.
import type { BundleBuilder } from '../../fixtures/bundle-builder.js';

/** The CIS AWS Foundations Benchmark monitoring filters (section 4 in v3.0), by metric name. */
export const CIS_FILTERS = {
  UnauthorizedAPICalls: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
  ConsoleSigninWithoutMFA: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  RootAccountUsage: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  IAMPolicyChanges:
    '{($.eventSource=iam.amazonaws.com) && (($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy))}',
  CloudTrailChanges: '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
  ConsoleAuthenticationFailures: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  DisableOrDeleteCMK: '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
  S3BucketPolicyChanges:
    '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
  AWSConfigChanges: '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
  SecurityGroupChanges: '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
} as const;
export type CisMetric = keyof typeof CIS_FILTERS;

export interface LogGroupSpec {
  name: string;
  /** Epoch milliseconds, as CloudWatch Logs returns it. */
  createdAt: number;
  /** Left out: never expire. */
  retentionInDays?: number;
  storedBytes: number;
  kmsKeyId?: string;
}

export interface MetricFilterSpec {
  logGroup: string;
  name: string;
  metric: CisMetric;
  namespace: string;
  createdAt: number;
}

export interface AlarmSpec {
  name: string;
  description: string;
  metric: CisMetric;
  namespace: string;
  topicArns: string[];
  /** ISO-8601 with milliseconds. */
  configuredAt: string;
  stateChangedAt: string;
}

export interface TopicSpec {
  name: string;
  subscriptions: { id: string; protocol: 'email' | 'https' | 'sqs' | 'lambda'; endpoint: string }[];
}

export interface MonitoringSpec {
  account: string;
  region: string;
  logGroups: LogGroupSpec[];
  metricFilters: MetricFilterSpec[];
  alarms: AlarmSpec[];
  topics: TopicSpec[];
}

export function logGroupArnOf(account: string, region: string, name: string): string {
  return `arn:aws:logs:${region}:${account}:log-group:${name}:*`;
}

export function topicArnOf(account: string, region: string, name: string): string {
  return `arn:aws:sns:${region}:${account}:${name}`;
}

/** DescribeLogGroups, DescribeMetricFilters, DescribeAlarms and ListSubscriptionsByTopic of one account and region. */
export function addMonitoring(builder: BundleBuilder, spec: MonitoringSpec): void {
  const { account, region } = spec;
  builder.put(account, region, 'logs/DescribeLogGroups.json', {
    logGroups: spec.logGroups.map((g) => ({
      logGroupName: g.name,
      creationTime: g.createdAt,
      ...(g.retentionInDays === undefined ? {} : { retentionInDays: g.retentionInDays }),
      metricFilterCount: spec.metricFilters.filter((f) => f.logGroup === g.name).length,
      arn: logGroupArnOf(account, region, g.name),
      storedBytes: g.storedBytes,
      ...(g.kmsKeyId === undefined ? {} : { kmsKeyId: g.kmsKeyId }),
      logGroupClass: 'STANDARD',
      logGroupArn: logGroupArnOf(account, region, g.name).replace(/:\*$/, ''),
    })),
  });
  builder.put(account, region, 'logs/DescribeMetricFilters.json', {
    metricFilters: spec.metricFilters.map((f) => ({
      filterName: f.name,
      filterPattern: CIS_FILTERS[f.metric],
      metricTransformations: [{ metricName: f.metric, metricNamespace: f.namespace, metricValue: '1' }],
      creationTime: f.createdAt,
      logGroupName: f.logGroup,
      applyOnTransformedLogs: false,
    })),
  });
  builder.put(account, region, 'cloudwatch/DescribeAlarms.json', {
    MetricAlarms: spec.alarms.map((a) => ({
      AlarmName: a.name,
      AlarmArn: `arn:aws:cloudwatch:${region}:${account}:alarm:${a.name}`,
      AlarmDescription: a.description,
      AlarmConfigurationUpdatedTimestamp: a.configuredAt,
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: a.topicArns,
      InsufficientDataActions: [],
      StateValue: 'OK',
      StateReason: 'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].',
      StateUpdatedTimestamp: a.stateChangedAt,
      MetricName: a.metric,
      Namespace: a.namespace,
      Statistic: 'Sum',
      Dimensions: [],
      Period: 300,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      StateTransitionedTimestamp: a.stateChangedAt,
    })),
    CompositeAlarms: [],
  });
  for (const topic of spec.topics) {
    const topicArn = topicArnOf(account, region, topic.name);
    builder.put(account, region, `sns/ListSubscriptionsByTopic/${topic.name}.json`, {
      Subscriptions: topic.subscriptions.map((s) => ({ SubscriptionArn: `${topicArn}:${s.id}`, Owner: account, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: topicArn })),
    });
  }
}
