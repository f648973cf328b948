// The CloudTrail record: the documented fields of a management, data or network activity event as it
// appears in a delivered log file's `Records` array (and in LookupEvents' `CloudTrailEvent` text). Every
// reader normalizes to this shape; the rule engine, scan and search read nothing else. Fields CloudTrail
// adds later are kept through the index signature, so a rule can still name them.

export interface SessionIssuer {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  userName?: string;
}

export interface SessionContext {
  sessionIssuer?: SessionIssuer;
  webIdFederationData?: { federatedProvider?: string; attributes?: Record<string, unknown> };
  attributes?: { mfaAuthenticated?: string; creationDate?: string };
  sourceIdentity?: string;
  ec2RoleDelivery?: string;
  assumedRoot?: string;
  [field: string]: unknown;
}

export interface UserIdentity {
  /** Root, IAMUser, AssumedRole, Role, FederatedUser, Directory, IdentityCenterUser, AWSAccount, AWSService, Unknown. */
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  /** The service that made the call on the principal's behalf, e.g. `cloudformation.amazonaws.com`. */
  invokedBy?: string;
  sessionContext?: SessionContext;
  identityProvider?: string;
  credentialId?: string;
  onBehalfOf?: { userId?: string; identityStoreArn?: string };
  [field: string]: unknown;
}

export interface TlsDetails {
  tlsVersion?: string;
  cipherSuite?: string;
  clientProvidedHostHeader?: string;
}

export interface ResourceRef {
  ARN?: string;
  accountId?: string;
  type?: string;
}

export interface CloudTrailRecord {
  eventVersion?: string;
  userIdentity?: UserIdentity;
  /** ISO-8601 UTC, second precision: `2026-09-14T03:32:07Z`. */
  eventTime?: string;
  /** The service endpoint: `s3.amazonaws.com`. */
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  /** An IPv4 or IPv6 address, or a service name such as `AWS Internal` or `cloudformation.amazonaws.com`. */
  sourceIPAddress?: string;
  userAgent?: string;
  /** Absent when the call succeeded. */
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID?: string;
  eventID?: string;
  readOnly?: boolean;
  resources?: ResourceRef[];
  /** AwsApiCall, AwsServiceEvent, AwsConsoleAction, AwsConsoleSignIn, AwsCloudTrailInsight, AwsVpceEvent. */
  eventType?: string;
  apiVersion?: string;
  managementEvent?: boolean;
  recipientAccountId?: string;
  serviceEventDetails?: Record<string, unknown>;
  sharedEventID?: string;
  vpcEndpointId?: string;
  vpcEndpointAccountId?: string;
  /** Management, Data, NetworkActivity, Insight. */
  eventCategory?: string;
  tlsDetails?: TlsDetails;
  sessionCredentialFromConsole?: string;
  addendum?: Record<string, unknown>;
  edgeDeviceDetails?: Record<string, unknown>;
  eventContext?: Record<string, unknown>;
  [field: string]: unknown;
}

/** The facts of one event a detection needs to say who did what, when, from where and with what result. */
export interface EventSummary {
  eventTime: string;
  eventID: string;
  eventName: string;
  eventSource: string;
  /** The principal's ARN; for services and anonymous callers, the best name the record has. */
  actor: string;
  actorType: string;
  /** The role (or user) a temporary session was issued from, for AssumedRole and FederatedUser callers. */
  sessionIssuer: string | null;
  sourceIPAddress: string;
  userAgent: string;
  account: string;
  region: string;
  errorCode: string | null;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The best name for who made the call, for tables and detections. */
export function actorOf(record: CloudTrailRecord): string {
  const id = record.userIdentity;
  return text(id?.arn) ?? text(id?.userName) ?? text(id?.principalId) ?? text(id?.invokedBy) ?? text(id?.type) ?? 'unknown';
}

export function summarizeEvent(record: CloudTrailRecord): EventSummary {
  const id = record.userIdentity;
  return {
    eventTime: record.eventTime ?? '',
    eventID: record.eventID ?? '',
    eventName: record.eventName ?? '',
    eventSource: record.eventSource ?? '',
    actor: actorOf(record),
    actorType: id?.type ?? '',
    sessionIssuer: text(id?.sessionContext?.sessionIssuer?.arn) ?? null,
    sourceIPAddress: record.sourceIPAddress ?? '',
    userAgent: record.userAgent ?? '',
    account: record.recipientAccountId ?? id?.accountId ?? '',
    region: record.awsRegion ?? '',
    errorCode: text(record.errorCode) ?? null,
  };
}

/** Milliseconds since the epoch for a record's eventTime, or NaN when it has none or it does not parse. */
export function eventTimeMs(record: CloudTrailRecord): number {
  return typeof record.eventTime === 'string' ? Date.parse(record.eventTime) : Number.NaN;
}
