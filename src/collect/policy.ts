// The IAM actions the collector calls, one list the code is typed against (a call names its action), and the
// least-privilege policy kept in policy/trailproof-readonly-policy.json. A test runs a full collection and
// checks the file grants exactly the actions the calls used.
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
  'cloudtrail:LookupEvents',
  'cloudwatch:DescribeAlarms',
  'ec2:DescribeRegions',
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

export type IamAction = (typeof READ_ACTIONS)[number] | 'sts:AssumeRole';

export const POLICY_FILE = join(packageRoot, 'policy', 'trailproof-readonly-policy.json');

/** The role the policy's AssumeRole statement names until --assume-role gives the real one. */
export const POLICY_ROLE_PLACEHOLDER = 'TrailproofAudit';

/**
 * The policy file's text, with the audit role's name put in when one is given. The read statement goes on
 * the audit role in every account; the AssumeRole statement on the principal that runs the collection.
 */
export function readPolicy(roleName?: string): string {
  let text: string;
  try {
    text = readFileSync(POLICY_FILE, 'utf8');
  } catch (err) {
    throw new TrailproofError('TP_BUNDLE_UNREADABLE', `cannot read the IAM policy ${POLICY_FILE}: ${errorMessage(err)}`);
  }
  if (roleName === undefined) return text;
  return text.split(`:role/${POLICY_ROLE_PLACEHOLDER}"`).join(`:role/${roleName}"`);
}
