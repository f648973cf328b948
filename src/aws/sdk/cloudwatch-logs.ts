// The @aws-sdk/client-cloudwatch-logs names trailproof uses, re-exported so that only src/aws names the SDK (a lint rule
// forbids it elsewhere). One module per service keeps each SDK package loaded only where its service is used.
export {
  CloudWatchLogsClient,
  paginateDescribeLogGroups,
  paginateDescribeMetricFilters,
} from '@aws-sdk/client-cloudwatch-logs';
