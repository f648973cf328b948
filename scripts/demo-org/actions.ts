// The API calls the demo's background activity is made of, with request parameters, responses and resources
// shaped as CloudTrail records them for each service. A persona (demo-org-activity.ts) picks from these.
import type { Rng, RecordInput } from './events.js';
import { stableHex } from './events.js';

export interface Ctx {
  rng: Rng;
  account: string;
  region: string;
  at: number;
  /** Buckets the caller works with (S3 calls pick one). */
  buckets: readonly string[];
  /** The caller's principal ARN, for error messages. */
  principalArn: string;
}

export interface Action {
  source: string;
  name: string;
  readOnly: boolean;
  /** IAM and Organizations calls are recorded in us-east-1 only. */
  global?: boolean;
  /** An S3 object-level (data) event. */
  data?: boolean;
  version?: string;
  params?: (c: Ctx) => unknown;
  response?: (c: Ctx) => unknown;
  resources?: (c: Ctx, params: unknown) => RecordInput['resources'];
  additional?: (c: Ctx) => Record<string, unknown>;
  /** Some calls fail now and then the way they do in every account. */
  failure?: { p: number; code: string; message: (c: Ctx) => string };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function s3Host(bucket: string, region: string): string {
  return `${bucket}.s3.${region}.amazonaws.com`;
}

export function s3Additional(rng: Rng, bytesOut = 0, bytesIn = 0): Record<string, unknown> {
  return {
    SignatureVersion: 'SigV4',
    CipherSuite: 'TLS_AES_128_GCM_SHA256',
    bytesTransferredIn: bytesIn,
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': `${rng.chars(75, B64)}=`,
    bytesTransferredOut: bytesOut,
  };
}

export function instanceIds(account: string): string[] {
  return [1, 2, 3, 4].map((n) => `i-0${stableHex(16, `${account}/instance/${n}`)}`);
}

function bucketOf(c: Ctx): string {
  return c.rng.pick(c.buckets);
}

const describe = (source: string, name: string, params: (c: Ctx) => unknown, version = '1.10'): Action => ({ source, name, readOnly: true, version, params });

function bucketCall(name: string, member: string, failure?: Action['failure']): Action {
  const action: Action = {
    source: 's3.amazonaws.com',
    name,
    readOnly: true,
    version: '1.10',
    params: (c) => {
      const bucket = bucketOf(c);
      return { bucketName: bucket, Host: s3Host(bucket, c.region), [member]: '' };
    },
    resources: (c, p) => [{ accountId: c.account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${(p as { bucketName: string }).bucketName}` }],
    additional: (c) => s3Additional(c.rng),
  };
  if (failure !== undefined) action.failure = failure;
  return action;
}

function objectCall(name: 'GetObject' | 'PutObject' | 'HeadObject'): Action {
  return {
    source: 's3.amazonaws.com',
    name,
    readOnly: name !== 'PutObject',
    data: true,
    version: '1.10',
    params: (c) => {
      const bucket = bucketOf(c);
      const day = new Date(c.at).toISOString().slice(0, 10).replace(/-/g, '/');
      return { bucketName: bucket, Host: s3Host(bucket, c.region), key: `${bucket.includes('artifact') ? 'builds' : 'exports'}/${day}/${c.rng.hex(12)}.json.gz` };
    },
    response: name === 'PutObject' ? () => ({ 'x-amz-server-side-encryption': 'AES256' }) : () => null,
    resources: (c, p) => {
      const { bucketName, key } = p as { bucketName: string; key: string };
      return [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucketName}/${key}` }, { accountId: c.account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucketName}` }];
    },
    additional: (c) => ({ ...s3Additional(c.rng, name === 'GetObject' ? c.rng.int(900, 480000) : 0, name === 'PutObject' ? c.rng.int(900, 480000) : 0), SSEApplied: 'Default_SSE_S3' }),
  };
}

const notAuthorized = (action: string) => (c: Ctx): string => `User: ${c.principalArn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;

export const ACTIONS = {
  describeInstances: describe('ec2.amazonaws.com', 'DescribeInstances', () => ({ instancesSet: {}, filterSet: {} })),
  describeSecurityGroups: describe('ec2.amazonaws.com', 'DescribeSecurityGroups', () => ({ securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} })),
  describeVpcs: describe('ec2.amazonaws.com', 'DescribeVpcs', () => ({ vpcSet: {}, filterSet: {} })),
  describeSubnets: describe('ec2.amazonaws.com', 'DescribeSubnets', () => ({ subnetSet: {}, filterSet: {} })),
  describeVolumes: describe('ec2.amazonaws.com', 'DescribeVolumes', () => ({ volumeSet: {}, filterSet: {} })),
  describeNetworkInterfaces: describe('ec2.amazonaws.com', 'DescribeNetworkInterfaces', () => ({ networkInterfaceIdSet: {}, filterSet: {} })),
  createTags: {
    source: 'ec2.amazonaws.com', name: 'CreateTags', readOnly: false, version: '1.10',
    params: (c) => ({ resourcesSet: { items: [{ resourceId: c.rng.pick(instanceIds(c.account)) }] }, tagSet: { items: [{ key: 'CostCenter', value: 'cc-4410' }] } }),
    response: (c) => ({ requestId: c.rng.uuid(), _return: true }),
  } satisfies Action,
  getCallerIdentity: { source: 'sts.amazonaws.com', name: 'GetCallerIdentity', readOnly: true, version: '1.08' } satisfies Action,
  listRoles: { source: 'iam.amazonaws.com', name: 'ListRoles', readOnly: true, global: true, version: '1.09' } satisfies Action,
  getRole: {
    source: 'iam.amazonaws.com', name: 'GetRole', readOnly: true, global: true, version: '1.09',
    params: (c) => ({ roleName: c.rng.pick(['OrganizationAccountAccessRole', 'AWSServiceRoleForConfig', 'github-actions-deploy', 'orders-api-task', 'AWSControlTowerExecution', 'cdk-hnb659fds-deploy-role']) }),
    failure: { p: 0.08, code: 'NoSuchEntityException', message: () => 'The role with name cdk-hnb659fds-deploy-role cannot be found.' },
  } satisfies Action,
  listAttachedRolePolicies: {
    source: 'iam.amazonaws.com', name: 'ListAttachedRolePolicies', readOnly: true, global: true, version: '1.09',
    params: (c) => ({ roleName: c.rng.pick(['OrganizationAccountAccessRole', 'github-actions-deploy', 'orders-api-task']) }),
  } satisfies Action,
  getPolicy: { source: 'iam.amazonaws.com', name: 'GetPolicy', readOnly: true, global: true, version: '1.09', params: (c) => ({ policyArn: c.rng.pick(['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/SecurityAudit', `arn:aws:iam::${c.account}:policy/deploy-boundary`]) }) } satisfies Action,
  getAccountPasswordPolicy: { source: 'iam.amazonaws.com', name: 'GetAccountPasswordPolicy', readOnly: true, global: true, version: '1.09' } satisfies Action,
  getAccountSummary: { source: 'iam.amazonaws.com', name: 'GetAccountSummary', readOnly: true, global: true, version: '1.09' } satisfies Action,
  listAccounts: { source: 'organizations.amazonaws.com', name: 'ListAccounts', readOnly: true, global: true } satisfies Action,
  describeOrganization: { source: 'organizations.amazonaws.com', name: 'DescribeOrganization', readOnly: true, global: true } satisfies Action,
  listPoliciesForTarget: {
    source: 'organizations.amazonaws.com', name: 'ListPoliciesForTarget', readOnly: true, global: true,
    params: (c) => ({ targetId: c.rng.pick(['222222222222', '444444444444', '555555555555', 'ou-a1b2-workload1']), filter: 'SERVICE_CONTROL_POLICY' }),
  } satisfies Action,
  listBuckets: {
    source: 's3.amazonaws.com', name: 'ListBuckets', readOnly: true, version: '1.10',
    params: (c) => ({ Host: `s3.${c.region}.amazonaws.com` }),
    additional: (c) => s3Additional(c.rng),
  } satisfies Action,
  getBucketLocation: bucketCall('GetBucketLocation', 'location'),
  getBucketAcl: bucketCall('GetBucketAcl', 'acl'),
  getBucketEncryption: bucketCall('GetBucketEncryption', 'encryption'),
  getBucketVersioning: bucketCall('GetBucketVersioning', 'versioning'),
  getBucketPublicAccessBlock: bucketCall('GetBucketPublicAccessBlock', 'publicAccessBlock'),
  getBucketPolicy: bucketCall('GetBucketPolicy', 'policy', { p: 0.3, code: 'NoSuchBucketPolicy', message: () => 'The bucket policy does not exist' }),
  getBucketTagging: bucketCall('GetBucketTagging', 'tagging', { p: 0.5, code: 'NoSuchTagSet', message: () => 'The TagSet does not exist' }),
  getObject: objectCall('GetObject'),
  putObject: objectCall('PutObject'),
  headObject: objectCall('HeadObject'),
  describeTrails: describe('cloudtrail.amazonaws.com', 'DescribeTrails', () => ({ trailNameList: [], includeShadowTrails: true }), '1.11'),
  getTrailStatus: describe('cloudtrail.amazonaws.com', 'GetTrailStatus', () => ({ name: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/example-org-trail' }), '1.11'),
  getEventSelectors: describe('cloudtrail.amazonaws.com', 'GetEventSelectors', () => ({ trailName: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/example-org-trail' }), '1.11'),
  lookupEvents: describe('cloudtrail.amazonaws.com', 'LookupEvents', (c) => ({ lookupAttributes: [{ attributeKey: 'EventName', attributeValue: c.rng.pick(['ConsoleLogin', 'DeleteBucket', 'StopLogging', 'PutBucketPolicy']) }], maxResults: 50 }), '1.11'),
  describeKey: describe('kms.amazonaws.com', 'DescribeKey', (c) => ({ keyId: c.rng.pick(['alias/aws/s3', 'alias/aws/ebs', 'alias/app']) }), '1.11'),
  listAliases: describe('kms.amazonaws.com', 'ListAliases', () => null, '1.11'),
  getParameters: describe('ssm.amazonaws.com', 'GetParameters', (c) => ({ names: [`/${c.account === '555555555555' ? 'staging' : 'prod'}/orders-api/feature-flags`, `/${c.account === '555555555555' ? 'staging' : 'prod'}/orders-api/endpoint`], withDecryption: true }), '1.08'),
  updateInstanceInformation: {
    source: 'ssm.amazonaws.com', name: 'UpdateInstanceInformation', readOnly: false, version: '1.08',
    params: (c) => ({ instanceId: c.rng.pick(instanceIds(c.account)), agentVersion: '3.3.859.0', agentStatus: 'Active', platformType: 'Linux', platformName: 'Amazon Linux', platformVersion: '2023', ipAddress: `10.20.${c.rng.int(1, 3) * 16}.${c.rng.int(10, 250)}`, agentName: 'amazon-ssm-agent', availabilityZone: `${c.region}a`, availabilityZoneId: 'use1-az6' }),
  } satisfies Action,
  getSecretValue: describe('secretsmanager.amazonaws.com', 'GetSecretValue', (c) => ({ secretId: `arn:aws:secretsmanager:${c.region}:${c.account}:secret:prod/orders-api/db-${c.rng.pick(['Xq3k9Z', 'Xq3k9Z', 'b7PfL2'])}` }), '1.08'),
  getAuthorizationToken: describe('ecr.amazonaws.com', 'GetAuthorizationToken', () => ({ registryIds: [] }), '1.08'),
  batchGetImage: describe('ecr.amazonaws.com', 'BatchGetImage', (c) => ({ repositoryName: 'orders-api', imageIds: [{ imageTag: `sha-${c.rng.hex(7)}` }], acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json'] }), '1.08'),
  describeServices: describe('ecs.amazonaws.com', 'DescribeServices', (c) => ({ cluster: c.account === '555555555555' ? 'staging-orders' : 'prod-orders', services: ['orders-api', 'orders-worker'] }), '1.08'),
  updateService: {
    source: 'ecs.amazonaws.com', name: 'UpdateService', readOnly: false, version: '1.08',
    params: (c) => ({ cluster: c.account === '555555555555' ? 'staging-orders' : 'prod-orders', service: 'orders-api', taskDefinition: `orders-api:${c.rng.int(412, 431)}`, forceNewDeployment: false }),
    response: (c) => ({ service: { serviceName: 'orders-api', status: 'ACTIVE', desiredCount: c.rng.int(4, 8), launchType: 'FARGATE' } }),
  } satisfies Action,
  describeStacks: describe('cloudformation.amazonaws.com', 'DescribeStacks', (c) => ({ stackName: c.rng.pick(['orders-api', 'orders-network', 'StackSet-guardrails-2f6c']) }), '1.09'),
  describeStackEvents: describe('cloudformation.amazonaws.com', 'DescribeStackEvents', (c) => ({ stackName: c.rng.pick(['orders-api', 'orders-network']) }), '1.09'),
  listFunctions: describe('lambda.amazonaws.com', 'ListFunctions20150331', () => null, '1.08'),
  getFunction: describe('lambda.amazonaws.com', 'GetFunction20150331v2', (c) => ({ functionName: c.rng.pick(['orders-report', 'orders-webhook', 'log-shipper']) }), '1.08'),
  describeLogGroups: describe('logs.amazonaws.com', 'DescribeLogGroups', () => ({ logGroupNamePrefix: '/ecs/' }), '1.09'),
  filterLogEvents: describe('logs.amazonaws.com', 'FilterLogEvents', (c) => ({ logGroupName: '/ecs/orders-api', startTime: c.at - 3600000, filterPattern: 'ERROR', interleaved: true }), '1.09'),
  describeDBInstances: describe('rds.amazonaws.com', 'DescribeDBInstances', () => null, '1.09'),
  describeTable: describe('dynamodb.amazonaws.com', 'DescribeTable', (c) => ({ tableName: c.rng.pick(['orders', 'customers', 'idempotency-keys']) }), '1.09'),
  listDetectors: describe('guardduty.amazonaws.com', 'ListDetectors', () => null, '1.09'),
  listFindings: describe('guardduty.amazonaws.com', 'ListFindings', () => ({ detectorId: '4ec1f2a9b8d7c6e5f4a3b2c1d0e9f8a7', findingCriteria: { criterion: { 'service.archived': { eq: ['false'] } } }, maxResults: 50 }), '1.09'),
  getFindingsGuardDuty: describe('guardduty.amazonaws.com', 'GetFindings', (c) => ({ detectorId: '4ec1f2a9b8d7c6e5f4a3b2c1d0e9f8a7', findingIds: [c.rng.hex(32)] }), '1.09'),
  getFindingsSecurityHub: describe('securityhub.amazonaws.com', 'GetFindings', () => ({ filters: { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }], WorkflowStatus: [{ Value: 'NEW', Comparison: 'EQUALS' }] }, maxResults: 100 }), '1.09'),
  startQueryExecution: {
    source: 'athena.amazonaws.com', name: 'StartQueryExecution', readOnly: false, version: '1.09',
    params: (c) => ({
      queryString: c.rng.pick([
        "SELECT eventtime, eventname, useridentity.arn, sourceipaddress FROM cloudtrail_logs WHERE eventname IN ('DeleteBucket','PutBucketPolicy') AND timestamp >= '2026/09/01'",
        "SELECT useridentity.arn, count(*) AS denied FROM cloudtrail_logs WHERE errorcode = 'AccessDenied' GROUP BY 1 ORDER BY 2 DESC LIMIT 20",
      ]),
      queryExecutionContext: { database: 'cloudtrail_logs', catalog: 'AwsDataCatalog' },
      resultConfiguration: { outputLocation: 's3://example-security-athena-results/' },
      workGroup: 'primary',
    }),
    response: (c) => ({ queryExecutionId: c.rng.uuid() }),
  } satisfies Action,
  getQueryExecution: describe('athena.amazonaws.com', 'GetQueryExecution', (c) => ({ queryExecutionId: c.rng.uuid() }), '1.09'),
  denied: (action: string, source: string, name: string, code = 'AccessDenied'): Action => ({
    source, name, readOnly: true, version: '1.09', failure: { p: 1, code, message: notAuthorized(action) },
  }),
} as const;
