// The everyday activity of the demo organization: who works in which account (people through IAM Identity Center,
// pipelines through GitHub OIDC, workloads through task and instance roles, AWS services through service-linked
// roles) and what they call, turned into CloudTrail records grouped into 5-minute log files the way CloudTrail
// delivers them. The scripted story (demo-org-story.ts) is merged into the same files.
import { ACTIONS, instanceIds, type Action, type Ctx } from './actions.js';
import {
  Rng,
  assumedRoleIdentity,
  awsServiceIdentity,
  cloudTrailRecord,
  eventTimeOf,
  stableHex,
  stableId,
  tls,
  type LogFileInput,
  type RecordInput,
  type UserIdentity,
} from './events.js';
import { trailArnOf } from './aws.js';
import { ACCOUNTS, BUCKETS, KEYS, LOG_DAYS, NETWORKS, ORG_ID, TRAILS, cliUserAgent } from './profile.js';
import { keyArnOf } from './storage.js';

export interface Persona {
  key: string;
  account: string;
  regions: readonly string[];
  weight: number;
  identity: (at: number) => UserIdentity;
  ip: (c: Ctx) => string;
  agent: (c: Ctx, a: Action) => string;
  actions: Action[];
  buckets?: string[];
  /** Calls made from the console carry sessionCredentialFromConsole. */
  console?: boolean;
  /** An AWS service calling: no TLS details (the service's own endpoint), its name as address and agent. */
  service?: boolean;
  vpce?: string;
}

export const UA = {
  chrome: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:130.0) Gecko/20100101 Firefox/130.0',
  jsSdk: (api: string) => `aws-sdk-js/3.654.0 ua/2.1 os/linux#5.10.225-213.878.amzn2.x86_64 lang/js md/nodejs#20.17.0 api/${api}#3.654.0 m/E,J`,
  boto: 'Boto3/1.35.10 md/Botocore#1.35.10 ua/2.0 os/linux#6.1.109-118.189.amzn2023.x86_64 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.10',
  terraform: (api: string) => `APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.67.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.5 ua/2.1 os/linux lang/go#1.22.6 md/GOOS#linux md/GOARCH#amd64 api/${api}#1.0.0`,
  ssmAgent: 'aws-sdk-go/1.44.330 (go1.22.5; linux; amd64) amazon-ssm-agent/3.3.859.0',
};

/** When Winter deleted the production bucket (demo-org-story.ts); later calls on it fail. */
const CUSTOMER_DATA_DELETED = Date.parse('2026-09-14T03:32:07Z');

const service = (a: Action): string => a.source.replace('.amazonaws.com', '');
const command = (a: Action): string => `${service(a)}.${a.name.replace(/\d{8}(v\d)?$/, '').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`;
const cli = (_c: Ctx, a: Action): string => cliUserAgent(command(a));
const browser = (c: Ctx): string => (c.rng.chance(0.6) ? 'AWS Internal' : c.rng.pick([UA.chrome, UA.firefox]));

export interface RoleOptions {
  path?: string;
  session: (at: number) => string;
  mfa?: boolean;
  ec2?: boolean;
  federated?: string;
  invokedBy?: string;
}

export function role(account: string, roleName: string, o: RoleOptions): (at: number) => UserIdentity {
  const roleId = stableId('AROA', 17, `${account}/${roleName}`);
  return (at) => {
    const hour = Math.floor(at / 3600000);
    const sessionName = o.session(at);
    const issued = hour * 3600000 - (parseInt(stableHex(2, `${roleName}/${hour}`), 16) % 50) * 60000;
    return assumedRoleIdentity({
      account, roleName, rolePath: o.path, roleId, sessionName,
      accessKeyId: stableId('ASIA', 16, `${account}/${roleName}/${sessionName}/${hour}`),
      creationDate: eventTimeOf(issued), mfaAuthenticated: o.mfa, ec2RoleDelivery: o.ec2, federatedProvider: o.federated, invokedBy: o.invokedBy,
    });
  };
}

export const ssoRole = (account: string, permissionSet: string, email: string): ((at: number) => UserIdentity) =>
  role(account, `AWSReservedSSO_${permissionSet}_${stableHex(16, `${account}/${permissionSet}`)}`, { path: '/aws-reserved/sso.amazonaws.com/', session: () => email });
const githubOidc = (account: string): string => `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`;
const fixed = (value: string) => (): string => value;
const among = (values: readonly string[]) => (c: Ctx): string => c.rng.pick(values);
const privateIp = (c: Ctx): string => `10.20.${c.rng.int(1, 3) * 16 + c.rng.int(0, 3)}.${c.rng.int(10, 250)}`;

const A = ACTIONS;
const BUCKET_CALLS = [A.getBucketLocation, A.getBucketAcl, A.getBucketEncryption, A.getBucketVersioning, A.getBucketPolicy, A.getBucketPublicAccessBlock, A.getBucketTagging];
const EC2_DESCRIBES = [A.describeInstances, A.describeSecurityGroups, A.describeVpcs, A.describeSubnets, A.describeVolumes, A.describeNetworkInterfaces];

function serviceLinked(account: string, roleName: string, principal: string, regions: readonly string[], weight: number, actions: Action[], buckets: string[]): Persona {
  return {
    key: `${account}:${roleName}`, account, regions, weight, actions, buckets, service: true,
    identity: role(account, roleName, { path: `/aws-service-role/${principal}/`, session: fixed(roleName === 'AWSServiceRoleForConfig' ? 'AWSConfig-Describe' : roleName), invokedBy: principal }),
    ip: fixed(principal), agent: fixed(principal),
  };
}

/** AWS services assuming workload roles (STS AssumeRole as AWSService). */
function serviceAssume(account: string, roles: [string, string][], regions: readonly string[], weight: number): Persona {
  const assume: Action = {
    source: 'sts.amazonaws.com', name: 'AssumeRole', readOnly: true, version: '1.08',
    params: (c) => {
      const [roleName] = c.rng.pick(roles);
      return { roleArn: `arn:aws:iam::${account}:role/${roleName}`, roleSessionName: stableHex(32, `${roleName}/${Math.floor(c.at / 3600000)}`) };
    },
    response: (c) => ({ credentials: { accessKeyId: `ASIA${c.rng.upper(16)}`, expiration: expiration(c.at + 6 * 3600000) } }),
    resources: (_c, p) => [{ accountId: account, type: 'AWS::IAM::Role', ARN: (p as { roleArn: string }).roleArn }],
  };
  return {
    key: `${account}:service-assume`, account, regions, weight, actions: [assume], service: true,
    identity: () => awsServiceIdentity(roles[0]?.[1] ?? 'ecs-tasks.amazonaws.com'),
    ip: () => roles[0]?.[1] ?? 'ecs-tasks.amazonaws.com', agent: () => roles[0]?.[1] ?? 'ecs-tasks.amazonaws.com',
  };
}

/** STS writes credential expiry in its own human format: "Sep 14, 2026, 9:32:07 AM". */
export function expiration(ms: number): string {
  const d = new Date(ms);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const h = d.getUTCHours();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** CloudTrail encrypting each delivered log file with the organization trail's key (recorded in the key's account). */
function cloudTrailKeyUse(): Persona {
  const key = keyArnOf(KEYS.orgTrail);
  const members = Object.values(ACCOUNTS);
  const generate: Action = {
    source: 'kms.amazonaws.com', name: 'GenerateDataKey', readOnly: true, version: '1.11',
    params: (c) => {
      const member = c.rng.pick(members);
      const region = c.rng.pick(['us-east-1', 'us-east-1', 'eu-west-1', 'ap-southeast-2']);
      const stamp = eventTimeOf(c.at).replace(/[-:]/g, '').slice(0, 13);
      return {
        keySpec: 'AES_256',
        encryptionContext: {
          'aws:cloudtrail:arn': trailArnOf(TRAILS.org),
          'aws:s3:arn': `arn:aws:s3:::${BUCKETS.orgLogs}/AWSLogs/${ORG_ID}/${member}/CloudTrail/${region}/${eventTimeOf(c.at).slice(0, 10).replace(/-/g, '/')}/${member}_CloudTrail_${region}_${stamp}Z_${c.rng.alnum(16)}.json.gz`,
        },
        keyId: key,
      };
    },
    resources: (c) => [{ accountId: c.account, type: 'AWS::KMS::Key', ARN: key }],
  };
  return {
    key: 'cloudtrail-kms', account: KEYS.orgTrail.account, regions: ['us-east-1'], weight: 3, actions: [generate], service: true,
    identity: () => awsServiceIdentity('cloudtrail.amazonaws.com'), ip: fixed('cloudtrail.amazonaws.com'), agent: fixed('cloudtrail.amazonaws.com'),
  };
}

export function personas(): Persona[] {
  const { management: mgmt, logArchive, security, prod, staging } = ACCOUNTS;
  const all = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
  const us = ['us-east-1'] as const;
  const usEu = ['us-east-1', 'eu-west-1'] as const;
  const configActions = [...EC2_DESCRIBES, ...BUCKET_CALLS, A.describeTrails, A.listRoles, A.getRole, A.getAccountPasswordPolicy, A.describeKey, A.listFunctions];
  const out: Persona[] = [];
  for (const account of [mgmt, logArchive, security, prod]) out.push(serviceLinked(account, 'AWSServiceRoleForConfig', 'config.amazonaws.com', all, 3, configActions, accountBuckets(account)));
  out.push(serviceLinked(staging, 'AWSServiceRoleForConfig', 'config.amazonaws.com', usEu, 3, configActions, accountBuckets(staging)));

  out.push(
    { key: 'alice', account: mgmt, regions: usEu, weight: 2, console: true, identity: ssoRole(mgmt, 'AdministratorAccess', 'alice@example.com'), ip: among(NETWORKS.office), agent: browser,
      actions: [A.listAccounts, A.describeOrganization, A.listPoliciesForTarget, A.listRoles, A.getRole, A.describeTrails, A.getTrailStatus, A.getEventSelectors, A.listBuckets, A.describeInstances] },
    { key: 'org-terraform', account: mgmt, regions: us, weight: 2, identity: role(mgmt, 'github-actions-org-terraform', { session: fixed('GitHubActions'), federated: githubOidc(mgmt) }), ip: among(NETWORKS.ciRunners),
      agent: (_c, a) => UA.terraform(service(a)), actions: [A.getCallerIdentity, A.describeOrganization, A.listPoliciesForTarget, A.getRole, A.getPolicy, A.listAttachedRolePolicies, A.describeTrails, A.getEventSelectors] },
    serviceAssume(mgmt, [['org-account-vending', 'lambda.amazonaws.com']], us, 1),
    { key: 'bob', account: logArchive, regions: us, weight: 1, identity: ssoRole(logArchive, 'ReadOnlyAccess', 'bob@example.com'), ip: among(NETWORKS.home), agent: cli,
      actions: [A.getCallerIdentity, A.listBuckets, ...BUCKET_CALLS], buckets: accountBuckets(logArchive) },
    serviceLinked(security, 'AWSServiceRoleForAmazonGuardDuty', 'guardduty.amazonaws.com', all, 2, [...EC2_DESCRIBES, A.getBucketPublicAccessBlock, A.getBucketAcl, A.getBucketPolicy], accountBuckets(security)),
    serviceLinked(security, 'AWSServiceRoleForSecurityHub', 'securityhub.amazonaws.com', all, 2, [A.describeTrails, A.getTrailStatus, A.getEventSelectors, A.getAccountPasswordPolicy, A.getAccountSummary, A.describeKey, A.describeSecurityGroups], accountBuckets(security)),
    { key: 'carol', account: security, regions: usEu, weight: 2, console: true, identity: ssoRole(security, 'SecurityAnalyst', 'carol@example.com'), ip: among([...NETWORKS.office, ...NETWORKS.vpn]), agent: browser,
      actions: [A.startQueryExecution, A.getQueryExecution, A.getQueryExecution, A.listDetectors, A.listFindings, A.getFindingsGuardDuty, A.getFindingsSecurityHub, A.lookupEvents, A.getObject], buckets: [BUCKETS.athenaResults] },
    cloudTrailKeyUse(),
  );

  const ordersKey = keyArnOf(KEYS.prodApp);
  const decrypt: Action = {
    source: 'kms.amazonaws.com', name: 'Decrypt', readOnly: true, version: '1.11',
    params: () => ({ encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { SecretARN: `arn:aws:secretsmanager:us-east-1:${prod}:secret:prod/orders-api/db-Xq3k9Z`, SecretVersionId: 'c1f3e5a7-9b2d-4f60-8e1a-3c5b7d9f0a21' } }),
    resources: () => [{ accountId: prod, type: 'AWS::KMS::Key', ARN: ordersKey }],
  };
  out.push(
    { key: 'orders-api', account: prod, regions: us, weight: 5, vpce: 'vpce-0a1b2c3d4e5f60718', buckets: [BUCKETS.ordersExports, BUCKETS.customerData],
      identity: role(prod, 'orders-api-task', { session: (at) => stableHex(32, `orders-api/${Math.floor(at / 3600000)}`) }), ip: privateIp,
      agent: (_c, a) => UA.jsSdk(service(a)), actions: [A.getObject, A.getObject, A.putObject, A.headObject, decrypt, A.getSecretValue, A.getParameters, A.describeTable] },
    { key: 'orders-worker', account: prod, regions: us, weight: 3, buckets: [BUCKETS.ordersExports],
      identity: role(prod, 'orders-worker-ec2', { session: (at) => instanceIds(prod)[Math.floor(at / 3600000) % 4] as string, ec2: true }), ip: privateIp,
      agent: (_c, a) => (a.name === 'UpdateInstanceInformation' ? UA.ssmAgent : UA.boto), actions: [A.updateInstanceInformation, A.updateInstanceInformation, A.getObject, A.getCallerIdentity] },
    { key: 'prod-deploy', account: prod, regions: us, weight: 2, buckets: [BUCKETS.deployArtifacts], identity: role(prod, 'github-actions-deploy', { session: fixed('GitHubActions'), federated: githubOidc(prod) }),
      ip: among(NETWORKS.ciRunners), agent: cli, actions: [A.getCallerIdentity, A.getAuthorizationToken, A.batchGetImage, A.describeServices, A.updateService, A.describeStacks, A.putObject] },
    { key: 'dave', account: prod, regions: all, weight: 2, console: true, identity: ssoRole(prod, 'AdministratorAccess', 'dave@example.com'), ip: among([...NETWORKS.office, ...NETWORKS.vpn]), agent: browser,
      actions: [...EC2_DESCRIBES, A.describeDBInstances, A.describeServices, A.describeLogGroups, A.filterLogEvents, A.describeStackEvents, A.createTags] },
    serviceAssume(prod, [['orders-api-task', 'ecs-tasks.amazonaws.com'], ['orders-api-execution', 'ecs-tasks.amazonaws.com']], us, 2),
    { key: 'ravi', account: staging, regions: usEu, weight: 2, identity: ssoRole(staging, 'PowerUserAccess', 'ravi@example.com'), ip: among(NETWORKS.home), agent: cli, buckets: [BUCKETS.stagingArtifacts],
      actions: [...EC2_DESCRIBES.slice(0, 3), A.listFunctions, A.getFunction, A.describeLogGroups, A.filterLogEvents, A.describeStacks, A.listBuckets, A.getObject] },
    { key: 'mia', account: staging, regions: usEu, weight: 1, console: true, identity: ssoRole(staging, 'PowerUserAccess', 'mia@example.com'), ip: among(NETWORKS.office), agent: browser,
      actions: [A.describeInstances, A.describeServices, A.describeStackEvents, A.listFunctions, A.describeLogGroups] },
    { key: 'staging-deploy', account: staging, regions: usEu, weight: 1, buckets: [BUCKETS.stagingArtifacts], identity: role(staging, 'github-actions-deploy', { session: fixed('GitHubActions'), federated: githubOidc(staging) }),
      ip: among(NETWORKS.ciRunners), agent: cli, actions: [A.getCallerIdentity, A.getAuthorizationToken, A.describeServices, A.updateService, A.putObject] },
    { key: 'staging-orders-api', account: staging, regions: usEu, weight: 2, buckets: [BUCKETS.stagingArtifacts],
      identity: role(staging, 'orders-api-task', { session: (at) => stableHex(32, `staging-orders-api/${Math.floor(at / 3600000)}`) }), ip: privateIp,
      agent: (_c, a) => UA.jsSdk(service(a)), actions: [A.getParameters, A.getObject, A.describeTable] },
  );
  return out;
}

function accountBuckets(account: string): string[] {
  switch (account) {
    case ACCOUNTS.logArchive: return [BUCKETS.orgLogs, BUCKETS.orgAccessLogs];
    case ACCOUNTS.security: return [BUCKETS.securityLogs, BUCKETS.securityAccessLogs, BUCKETS.athenaResults];
    case ACCOUNTS.prod: return [BUCKETS.prodTrailLogs, BUCKETS.ordersExports, BUCKETS.deployArtifacts, BUCKETS.customerData];
    case ACCOUNTS.staging: return [BUCKETS.stagingArtifacts];
    default: return ['example-management-terraform-state', 'cdk-hnb659fds-assets-111111111111-us-east-1'];
  }
}

/** One record of a persona calling an action in an account and region at a time. */
export function personaRecord(p: Persona, a: Action, rng: Rng, region: string, at: number): Record<string, unknown> {
  const identity = p.identity(at);
  const c: Ctx = { rng, account: p.account, region, at, buckets: p.buckets ?? accountBuckets(p.account), principalArn: String(identity['arn'] ?? '') };
  const params = a.params?.(c) ?? null;
  const bucket = (params as { bucketName?: string } | null)?.bucketName;
  const gone = bucket === BUCKETS.customerData && at > CUSTOMER_DATA_DELETED;
  const failed = gone || (a.failure !== undefined && rng.chance(a.failure.p));
  const input: RecordInput = {
    eventVersion: a.version ?? '1.11',
    userIdentity: identity,
    eventTime: eventTimeOf(at),
    eventSource: a.source,
    eventName: a.name,
    awsRegion: a.global === true ? 'us-east-1' : region,
    sourceIPAddress: p.ip(c),
    userAgent: p.agent(c, a),
    requestParameters: params,
    responseElements: failed ? null : (a.response?.(c) ?? null),
    requestID: a.source === 's3.amazonaws.com' ? rng.upper(16) : rng.uuid(),
    eventID: rng.uuid(),
    readOnly: a.readOnly,
    recipientAccountId: p.account,
    eventCategory: a.data === true ? 'Data' : 'Management',
  };
  if (gone) {
    // Workloads keep calling the production bucket after Winter deleted it.
    input.errorCode = 'NoSuchBucket';
    input.errorMessage = 'The specified bucket does not exist';
  } else if (failed && a.failure !== undefined) {
    input.errorCode = a.failure.code;
    input.errorMessage = a.failure.message(c);
  }
  const additional = a.additional?.(c);
  if (additional !== undefined) input.additionalEventData = additional;
  const resources = a.resources?.(c, params);
  if (resources !== undefined) input.resources = resources;
  if (p.service === true && identity['type'] === 'AWSService') input.sharedEventID = rng.uuid();
  if (p.vpce !== undefined) {
    input.vpcEndpointId = p.vpce;
    input.vpcEndpointAccountId = p.account;
  }
  if (p.service !== true) {
    const host = (params as { Host?: string } | null)?.Host ?? (a.global === true ? `${service(a)}.amazonaws.com` : `${service(a)}.${region}.amazonaws.com`);
    input.tlsDetails = tls(host);
  }
  if (p.console === true) input.sessionCredentialFromConsole = true;
  return cloudTrailRecord(input);
}

/** [account, region, log files on 2026-09-13, -14, -15] of everyday activity. */
const WINDOW_PLAN: [string, string, number, number, number][] = [
  [ACCOUNTS.management, 'us-east-1', 2, 1, 2], [ACCOUNTS.management, 'eu-west-1', 1, 0, 0], [ACCOUNTS.management, 'ap-southeast-2', 0, 1, 0],
  [ACCOUNTS.logArchive, 'us-east-1', 1, 1, 0], [ACCOUNTS.logArchive, 'eu-west-1', 0, 0, 1],
  [ACCOUNTS.security, 'us-east-1', 1, 2, 1], [ACCOUNTS.security, 'eu-west-1', 1, 0, 1],
  [ACCOUNTS.prod, 'us-east-1', 2, 2, 2], [ACCOUNTS.prod, 'eu-west-1', 0, 1, 0], [ACCOUNTS.prod, 'ap-southeast-2', 0, 0, 1],
  [ACCOUNTS.staging, 'us-east-1', 1, 0, 1], [ACCOUNTS.staging, 'eu-west-1', 1, 1, 1],
];
const WINDOW_MS = 5 * 60000;
const DAY_13 = LOG_DAYS.first;

export interface ScriptedRecord {
  account: string;
  region: string;
  record: Record<string, unknown>;
}

/** Background activity plus the scripted records, as 5-minute log files of 50-300 records each, in a fixed order. */
export function buildLogFiles(seed: number, scripted: ScriptedRecord[]): LogFileInput[] {
  const rng = new Rng(seed);
  const cast = personas();
  const windows = new Map<string, { account: string; region: string; end: number; records: Record<string, unknown>[] }>();
  const windowAt = (account: string, region: string, end: number): { account: string; region: string; end: number; records: Record<string, unknown>[] } => {
    const key = `${account}|${region}|${end}`;
    const found = windows.get(key) ?? { account, region, end, records: [] };
    windows.set(key, found);
    return found;
  };
  const fill = (w: { account: string; region: string; end: number; records: Record<string, unknown>[] }, count: number): void => {
    const here = cast.filter((p) => p.account === w.account && p.regions.includes(w.region));
    for (let i = 0; i < count; i++) {
      const p = rng.weighted(here.map((x) => [x, x.weight] as const));
      const choices = p.actions.filter((a) => a.global !== true || w.region === 'us-east-1');
      const a = rng.pick(choices.length > 0 ? choices : p.actions);
      w.records.push(personaRecord(p, a, rng, w.region, w.end - WINDOW_MS + rng.int(0, WINDOW_MS / 1000 - 20) * 1000));
    }
  };
  for (const [account, region, ...perDay] of WINDOW_PLAN) {
    perDay.forEach((count, day) => {
      for (let n = 0; n < count; n++) {
        const hour = rng.weighted([[rng.int(13, 22), 6], [rng.int(7, 12), 3], [rng.int(0, 6), 1]] as const);
        const end = DAY_13 + day * 86400000 + hour * 3600000 + rng.int(1, 12) * WINDOW_MS;
        const w = windowAt(account, region, end);
        fill(w, Math.floor(50 + 230 * rng.next() ** 2));
      }
    });
  }
  for (const s of scripted) {
    const at = Date.parse(String(s.record['eventTime']));
    windowAt(s.account, s.region, Math.floor(at / WINDOW_MS) * WINDOW_MS + WINDOW_MS).records.push(s.record);
  }
  const files: LogFileInput[] = [];
  for (const w of [...windows.values()].sort((x, y) => x.end - y.end || x.account.localeCompare(y.account) || x.region.localeCompare(y.region))) {
    if (w.records.length < 50) fill(w, rng.int(50, 90) - w.records.length);
    const records = [...w.records].sort((x, y) => String(x['eventTime']).localeCompare(String(y['eventTime'])));
    // CloudTrail delivers a file a few minutes after the window closes.
    files.push({ orgId: ORG_ID, account: w.account, region: w.region, deliveredAt: w.end + rng.int(2, 9) * 60000, suffix: rng.alnum(16), records });
  }
  return files;
}
