// What the organization benchmarks share: the 17 regions enabled by default in an AWS account (the estate every
// bench spreads its calls or evidence over) and the ids of the management and log-archive accounts.
export const BENCH_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2', 'sa-east-1',
];
export const BENCH_MGMT = '100000000000';
export const BENCH_LOG_ARCHIVE = '100000000001';
