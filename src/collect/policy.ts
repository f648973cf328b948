// The IAM actions the collector calls, one list the code is typed against (a call names its action), and the
// least-privilege policy kept in policy/trailproof-readonly-policy.json. A test runs a full collection and
// checks the file grants exactly the actions the calls used. kms:Decrypt is never called by the collector:
// S3 calls it when `collect --logs` reads SSE-KMS objects, so the policy grants it only through S3.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrailproofError, errorMessage } from '../errors.js';
import { packageRoot } from '../paths.js';

/** Read-only actions, as IAM names them (which is not always the SDK operation's name). */
export const READ_ACTIONS = [
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetEventDataStore',
  'cloudtrail:GetEventSelectors',
  'cloudtrail:GetInsightSelectors',
  'cloudtrail:GetTrailStatus',
  'cloudtrail:ListEventDataStores',
  'cloudtrail:ListPublicKeys',
  'cloudtrail:LookupEvents',
  'cloudwatch:DescribeAlarms',
  'ec2:DescribeRegions',
  'events:ListRules',
  'events:ListTargetsByRule',
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'logs:DescribeLogGroups',
  'logs:DescribeMetricFilters',
  'organizations:DescribeOrganization',
  'organizations:ListAWSServiceAccessForOrganization',
  'organizations:ListAccounts',
  'organizations:ListDelegatedAdministrators',
  's3:GetAccountPublicAccessBlock',
  's3:GetBucketAcl',
  's3:GetBucketLocation',
  's3:GetBucketLogging',
  's3:GetBucketObjectLockConfiguration',
  's3:GetBucketPolicy',
  's3:GetBucketPolicyStatus',
  's3:GetBucketPublicAccessBlock',
  's3:GetBucketVersioning',
  's3:GetEncryptionConfiguration',
  's3:GetLifecycleConfiguration',
  's3:ListAllMyBuckets',
  'sns:ListSubscriptionsByTopic',
] as const;

/**
 * What `collect --logs` needs on the trail buckets (and nothing else): granted by their own statement on the
 * buckets, because s3:GetObject on every bucket would read any data in the account.
 */
export const LOG_COPY_ACTIONS = ['s3:GetObject', 's3:ListBucket'] as const;

export type IamAction = (typeof READ_ACTIONS)[number] | (typeof LOG_COPY_ACTIONS)[number] | 'sts:AssumeRole';

export const READ_STATEMENT = 'TrailproofReadEvidence';
export const LOG_COPY_STATEMENT = 'TrailproofCopyTrailLogs';
/** The bucket name the log-copy statement names until --log-buckets gives the real ones. */
export const POLICY_BUCKET_PLACEHOLDER = 'TRAIL-LOG-BUCKET';

export const POLICY_FILE = join(packageRoot, 'policy', 'trailproof-readonly-policy.json');

/** The role the policy's AssumeRole statement names until --assume-role gives the real one. */
export const POLICY_ROLE_PLACEHOLDER = 'TrailproofAudit';

/**
 * The policy file's text, with the audit role's name put in when one is given. The read statement goes on
 * the audit role in every account; the AssumeRole statement on the principal that runs the collection.
 */
export function readPolicy(roleName?: string, logBuckets: string[] = []): string {
  let text: string;
  try {
    text = readFileSync(POLICY_FILE, 'utf8');
  } catch (err) {
    throw new TrailproofError('TP_BUNDLE_UNREADABLE', `cannot read the IAM policy ${POLICY_FILE}: ${errorMessage(err)}`);
  }
  if (roleName !== undefined) text = text.split(`:role/${POLICY_ROLE_PLACEHOLDER}"`).join(`:role/${roleName}"`);
  if (logBuckets.length === 0) return text;
  const policy = JSON.parse(text) as { Statement: { Sid?: string; Resource?: unknown }[] };
  const statement = policy.Statement.find((s) => s.Sid === LOG_COPY_STATEMENT);
  if (statement === undefined) throw new TrailproofError('TP_BUNDLE_UNREADABLE', `${POLICY_FILE} has no ${LOG_COPY_STATEMENT} statement`);
  statement.Resource = logBuckets.flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`]);
  return JSON.stringify(policy, null, 2) + '\n';
}
