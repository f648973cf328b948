// CIS AWS Foundations Benchmark section 4 (monitoring, 4.1 to 4.15) as behaviour: per control, the canonical
// CloudTrail events that must raise its alarm (one per event name or case the benchmark names) and events that
// must not. A metric filter implements a control when it matches every positive, whatever its text looks like;
// matching a negative too makes it broader (accepted, and said so). The pattern text is the benchmark's own, for
// remediation and tests.
import type { CloudTrailRecord } from '../events/record.js';
import { parseFilterPattern, type FilterPattern } from './filter-pattern.js';

export interface CanonicalEvent {
  /** The event name, or the case, the benchmark names: "DeleteTrail", "errorCode AccessDenied*". */
  label: string;
  record: CloudTrailRecord;
}

export interface CisControl {
  control: string;
  /** Short name of what the alarm is about. */
  about: string;
  /** The filter pattern the benchmark prints. */
  pattern: string;
  positives: CanonicalEvent[];
  negatives: CanonicalEvent[];
}

export type Verdict = 'exact' | 'broader' | 'misses';
export interface Implementation {
  verdict: Verdict;
  /** Labels of the positives the filter does not match. */
  missed: string[];
  /** Labels of the negatives the filter matches. */
  extra: string[];
}

const IAM_USER = { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111', userName: 'alice' };

function call(source: string, name: string, extra: Partial<CloudTrailRecord> = {}): CloudTrailRecord {
  return {
    eventVersion: '1.09',
    userIdentity: IAM_USER,
    eventTime: '2026-09-14T03:32:07Z',
    eventSource: `${source}.amazonaws.com`,
    eventName: name,
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.55',
    userAgent: 'aws-cli/2.17.0',
    requestParameters: {},
    responseElements: null,
    eventType: 'AwsApiCall',
    managementEvent: true,
    readOnly: false,
    recipientAccountId: '111111111111',
    ...extra,
  };
}

function named(source: string, names: string[]): CanonicalEvent[] {
  return names.map((name) => ({ label: name, record: call(source, name) }));
}

function login(extra: Partial<CloudTrailRecord>): CloudTrailRecord {
  return call('signin', 'ConsoleLogin', { eventType: 'AwsConsoleSignIn', readOnly: false, ...extra });
}

function eventNames(source: string, names: string[], withSource: boolean): string {
  const ors = names.map((n) => `($.eventName = ${n})`).join(' || ');
  return withSource ? `{ ($.eventSource = ${source}.amazonaws.com) && (${ors}) }` : `{ ${ors} }`;
}

function byNames(control: string, about: string, source: string, names: string[], negatives: string[], withSource = true): CisControl {
  return { control, about, pattern: eventNames(source, names, withSource), positives: named(source, names), negatives: named(source, negatives) };
}

const ROOT = { type: 'Root', principalId: '111111111111', arn: 'arn:aws:iam::111111111111:root', accountId: '111111111111' };

export const CIS_CONTROLS: Record<string, CisControl> = {
  '4.1': {
    control: '4.1',
    about: 'unauthorized API calls',
    pattern:
      '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
    positives: [
      { label: 'errorCode *UnauthorizedOperation', record: call('ec2', 'RunInstances', { errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.' }) },
      { label: 'errorCode AccessDenied*', record: call('s3', 'GetObject', { errorCode: 'AccessDenied', errorMessage: 'Access Denied' }) },
      { label: 'errorCode AccessDeniedException', record: call('iam', 'ListUsers', { errorCode: 'AccessDeniedException', readOnly: true }) },
    ],
    negatives: [
      { label: 'successful call', record: call('s3', 'GetObject') },
      { label: 'AccessDenied from delivery.logs.amazonaws.com', record: call('s3', 'PutObject', { errorCode: 'AccessDenied', sourceIPAddress: 'delivery.logs.amazonaws.com' }) },
      { label: 'AccessDenied on HeadBucket', record: call('s3', 'HeadBucket', { errorCode: 'AccessDenied' }) },
    ],
  },
  '4.2': {
    control: '4.2',
    about: 'console sign-in without MFA',
    pattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    positives: [{ label: 'ConsoleLogin without MFA', record: login({ additionalEventData: { MFAUsed: 'No' }, responseElements: { ConsoleLogin: 'Success' } }) }],
    negatives: [
      { label: 'ConsoleLogin with MFA', record: login({ additionalEventData: { MFAUsed: 'Yes' }, responseElements: { ConsoleLogin: 'Success' } }) },
      { label: 'failed ConsoleLogin', record: login({ additionalEventData: { MFAUsed: 'No' }, responseElements: { ConsoleLogin: 'Failure' }, errorMessage: 'Failed authentication' }) },
    ],
  },
  '4.3': {
    control: '4.3',
    about: "use of the root user",
    pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    positives: [
      { label: 'root ConsoleLogin', record: login({ userIdentity: ROOT, responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'Yes' } }) },
      { label: 'root API call', record: call('iam', 'CreateAccessKey', { userIdentity: ROOT }) },
    ],
    negatives: [
      { label: 'root call made by a service', record: call('iam', 'GetAccountSummary', { userIdentity: { ...ROOT, invokedBy: 'support.amazonaws.com' } }) },
      { label: 'root service event', record: call('kms', 'RotateKey', { userIdentity: ROOT, eventType: 'AwsServiceEvent' }) },
      { label: 'IAM user call', record: call('iam', 'CreateAccessKey') },
    ],
  },
  '4.4': byNames('4.4', 'IAM policy changes', 'iam', [
    'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy', 'CreatePolicy', 'DeletePolicy',
    'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy', 'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy',
  ], ['ListPolicies', 'CreateUser']),
  '4.5': byNames('4.5', 'CloudTrail configuration changes', 'cloudtrail', ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'], ['DescribeTrails', 'LookupEvents'], false),
  '4.6': {
    control: '4.6',
    about: 'console authentication failures',
    pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    positives: [{ label: 'failed ConsoleLogin', record: login({ errorMessage: 'Failed authentication', responseElements: { ConsoleLogin: 'Failure' } }) }],
    negatives: [{ label: 'successful ConsoleLogin', record: login({ responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'Yes' } }) }],
  },
  '4.7': byNames('4.7', 'disabling or scheduled deletion of customer managed keys', 'kms', ['DisableKey', 'ScheduleKeyDeletion'], ['EnableKey', 'CreateKey']),
  '4.8': byNames('4.8', 'S3 bucket policy changes', 's3', [
    'PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication', 'DeleteBucketPolicy', 'DeleteBucketCors',
    'DeleteBucketLifecycle', 'DeleteBucketReplication',
  ], ['GetBucketPolicy', 'PutObject']),
  '4.9': byNames('4.9', 'AWS Config configuration changes', 'config', ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'], ['DescribeConfigurationRecorders']),
  '4.10': byNames('4.10', 'security group changes', 'ec2', [
    'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'CreateSecurityGroup',
    'DeleteSecurityGroup', 'ModifySecurityGroupRules',
  ], ['DescribeSecurityGroups', 'RunInstances'], false),
  '4.11': byNames('4.11', 'network ACL changes', 'ec2', [
    'CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation',
  ], ['DescribeNetworkAcls'], false),
  '4.12': byNames('4.12', 'network gateway changes', 'ec2', [
    'CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway',
  ], ['DescribeInternetGateways'], false),
  '4.13': byNames('4.13', 'route table changes', 'ec2', [
    'CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable',
  ], ['DescribeRouteTables']),
  '4.14': byNames('4.14', 'VPC changes', 'ec2', [
    'CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection', 'DeleteVpcPeeringConnection',
    'RejectVpcPeeringConnection', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'DisableVpcClassicLink', 'EnableVpcClassicLink',
  ], ['DescribeVpcs'], false),
  '4.15': byNames('4.15', 'AWS Organizations changes', 'organizations', [
    'AcceptHandshake', 'AttachPolicy', 'CreateAccount', 'CreateOrganizationalUnit', 'CreatePolicy', 'DeclineHandshake', 'DeleteOrganization',
    'DeleteOrganizationalUnit', 'DeletePolicy', 'DetachPolicy', 'DisablePolicyType', 'EnablePolicyType', 'InviteAccountToOrganization',
    'LeaveOrganization', 'MoveAccount', 'RemoveAccountFromOrganization', 'UpdatePolicy', 'UpdateOrganizationalUnit',
  ], ['ListAccounts', 'DescribeOrganization']),
};

export function cisControl(control: string): CisControl {
  const found = CIS_CONTROLS[control];
  if (found === undefined) throw new Error(`no CIS monitoring control ${control}`);
  return found;
}

/**
 * The control's canonical events as one account's own (its id as recipientAccountId and as the caller's account):
 * a central log group receives the events of many accounts, and a filter there narrowed to other accounts must
 * not count for this one.
 */
export function controlFor(control: CisControl, account: string): CisControl {
  const own = (e: CanonicalEvent): CanonicalEvent => ({ label: e.label, record: { ...e.record, recipientAccountId: account, userIdentity: { ...e.record.userIdentity, accountId: account } } });
  return { ...control, positives: control.positives.map(own), negatives: control.negatives.map(own) };
}

/** Judges a parsed filter pattern (or any event predicate) against a control's canonical events. */
export function implementsControl(filter: FilterPattern | ((event: CloudTrailRecord) => boolean), control: CisControl): Implementation {
  const test = typeof filter === 'function' ? filter : (e: CloudTrailRecord): boolean => filter.test(e);
  const missed = control.positives.filter((p) => !test(p.record)).map((p) => p.label);
  const extra = control.negatives.filter((n) => test(n.record)).map((n) => n.label);
  return { verdict: missed.length > 0 ? 'misses' : extra.length > 0 ? 'broader' : 'exact', missed, extra };
}

/** Parses and judges a pattern text; throws FilterPatternError naming the filter when it cannot be read. */
export function implementsPattern(pattern: string, control: CisControl, filterName?: string): Implementation {
  return implementsControl(parseFilterPattern(pattern, filterName), control);
}
