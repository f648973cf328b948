// Who is who in the Example Corp demo organization: account ids and names, regions, the trails, buckets and keys,
// and the people of the story. The builders (demo-org.ts) and the log generator (demo-org-activity.ts,
// demo-org-story.ts) read these names from here so the posture files and the logs tell the same story.

export const ORG_ID = 'o-a1b2c3d4e5';
export const COLLECTED_AT = '2026-10-01T06:00:00.000Z';
export const SCOPE_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
export const TOOL = { name: 'trailproof-demo-generator', version: '1' } as const;
/** The days of CloudTrail logs in the bundle: 2026-09-13 to 2026-09-15 (the first day's midnight UTC, in ms). */
export const LOG_DAYS = { first: Date.UTC(2026, 8, 13), count: 3 } as const;

export const ACCOUNTS = {
  management: '111111111111',
  logArchive: '222222222222',
  security: '333333333333',
  prod: '444444444444',
  staging: '555555555555',
  sandbox: '666666666666',
} as const;
export type DemoAccount = (typeof ACCOUNTS)[keyof typeof ACCOUNTS];

export const ACCOUNT_NAMES: Record<DemoAccount, string> = {
  '111111111111': 'example-management',
  '222222222222': 'example-log-archive',
  '333333333333': 'example-security',
  '444444444444': 'example-workload-prod',
  '555555555555': 'example-workload-staging',
  '666666666666': 'example-sandbox-new',
};

/** A member that was closed: ListAccounts shows it SUSPENDED; it is not in the audit's scope. */
export const SUSPENDED_ACCOUNT = { id: '777777777777', name: 'example-legacy-dev' } as const;
/** An account outside the organization (a former vendor's) that still receives the staging legacy trail's logs. */
export const OUTSIDE_ACCOUNT = '999999999999';

/** Service control policies whose denials appear in the evidence and the logs. */
export const SCPS = {
  /** Denies every region but us-east-1 and eu-west-1 to the staging OU (the audit role is not exempt). */
  regionGuardrail: `arn:aws:organizations::111111111111:policy/o-a1b2c3d4e5/service_control_policy/p-3k8m1n5b`,
  /** Denies StopLogging, DeleteTrail and UpdateTrail on the organization trail to everyone in member accounts. */
  protectBaseline: `arn:aws:organizations::111111111111:policy/o-a1b2c3d4e5/service_control_policy/p-7q2w9e4r`,
} as const;

/** The audit role has the same name in every account; the manifest identity is its session in the management account. */
export const AUDIT_ROLE = { name: 'TrailproofAuditRole', id: 'AROA6TRLPRF2AUDIT7QX4', session: 'trailproof-collect' } as const;

export const TRAILS = {
  org: { owner: ACCOUNTS.management, name: 'example-org-trail', homeRegion: 'us-east-1' },
  securityAudit: { owner: ACCOUNTS.security, name: 'security-audit', homeRegion: 'eu-west-1' },
  prod: { owner: ACCOUNTS.prod, name: 'prod-trail', homeRegion: 'us-east-1' },
  stagingLegacy: { owner: ACCOUNTS.staging, name: 'staging-legacy', homeRegion: 'eu-west-1' },
} as const;

export const BUCKETS = {
  orgLogs: 'example-org-cloudtrail-logs',
  orgAccessLogs: 'example-s3-access-logs-222222222222-us-east-1',
  securityLogs: 'example-security-audit-logs-eu-west-1',
  securityAccessLogs: 'example-s3-access-logs-333333333333-eu-west-1',
  prodTrailLogs: 'example-prod-trail-logs',
  legacyLogs: 'example-legacy-cloudtrail-999999999999',
  /** The production bucket Winter deletes on 2026-09-14. */
  customerData: 'example-prod-customer-data',
  ordersExports: 'example-prod-orders-exports',
  deployArtifacts: 'example-prod-deploy-artifacts',
  stagingArtifacts: 'example-staging-deploy-artifacts',
  athenaResults: 'example-security-athena-results',
} as const;

export const KEYS = {
  orgTrail: { account: ACCOUNTS.security, region: 'us-east-1', keyId: '7c1e4b9a-3f2d-4e58-9a6b-0d8f2c5e1a37' },
  lake: { account: ACCOUNTS.security, region: 'us-east-1', keyId: 'b4d2f8e1-6a3c-49d7-8e05-1f9c7a2b6d44' },
  stagingLegacy: { account: ACCOUNTS.staging, region: 'eu-west-1', keyId: '2e9a6c13-8b4f-4d71-a5e2-7c3b0f1d9e86' },
  prodApp: { account: ACCOUNTS.prod, region: 'us-east-1', keyId: '5a8c3e71-0d2b-4f96-b1e4-9c6a2d7f3b05' },
} as const;

export const EVENT_DATA_STORES = {
  orgLake: { account: ACCOUNTS.security, region: 'us-east-1', id: '9f3e1c7a-2b8d-4a65-b0c4-6e1d8f2a7b93', name: 'example-org-lake' },
  prodQueries: { account: ACCOUNTS.prod, region: 'us-east-1', id: '3d6b9e2f-7a1c-4e08-95d3-b2f7c4a8e160', name: 'prod-incident-queries' },
} as const;

export const LOG_GROUPS = {
  orgTrail: { account: ACCOUNTS.management, region: 'us-east-1', name: 'aws-cloudtrail-logs-example-org' },
  prodTrail: { account: ACCOUNTS.prod, region: 'us-east-1', name: 'prod-trail-logs' },
} as const;

/** Networks (documentation ranges) the people and machines of the story come from. */
export const NETWORKS = {
  office: ['203.0.113.10', '203.0.113.11', '203.0.113.12'],
  vpn: ['203.0.113.70', '203.0.113.71'],
  ciRunners: ['198.51.100.14', '198.51.100.15', '198.51.100.38', '198.51.100.41'],
  home: ['192.0.2.17', '192.0.2.130', '192.0.2.201'],
  /** Where the stolen instance credentials were used from. */
  attacker: '198.51.100.23',
  /** Winter's address. */
  winter: '192.0.2.55',
} as const;

export const WINTER = {
  account: ACCOUNTS.prod,
  userName: 'Winter',
  principalId: 'AIDA4MZQ7WINTER2EXMPL',
  accessKeyId: 'AKIA4MZQ7WINTER2K5LX',
  ip: NETWORKS.winter,
} as const;

export const MARCO = { account: ACCOUNTS.prod, userName: 'marco', principalId: 'AIDA4MZQ7MARCO3EXAMPL' } as const;

export function cliUserAgent(command: string): string {
  return `aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#${command}`;
}
