// CloudTrail log records and log files as CloudTrail delivers them to S3: the record format (field order as AWS
// writes it), the userIdentity shapes of the common caller types, the object key layout and gzip. Everything is
// deterministic: randomness comes from a seeded PRNG, ids from a hash when the caller gives none, and gzipSync
// writes mtime 0, so the same input always yields the same bytes.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { BundleBuilder } from '../../fixtures/bundle-builder.js';
import { Rng, UPPER_DIGITS } from '../../fixtures/rng.js';

export { Rng };



/** A UUID-shaped id derived from content, for records whose caller gave no eventID. */
export function hashUuid(content: string): string {
  const h = createHash('sha256').update(content).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An IAM-style id (prefix plus upper-case base32 characters) derived from a seed string: stable across runs. */
export function stableId(prefix: string, length: number, seed: string): string {
  const bytes = createHash('sha256').update(seed).digest();
  let out = prefix;
  for (let i = 0; i < length; i++) out += UPPER_DIGITS[(bytes[i % bytes.length] as number) % 32];
  return out;
}

/** Lower-case hex derived from a seed string (instance ids, role suffixes, task ids). */
export function stableHex(length: number, seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

export type UserIdentity = Record<string, unknown>;

export function iamUserIdentity(account: string, userName: string, principalId: string, accessKeyId?: string): UserIdentity {
  return {
    type: 'IAMUser',
    principalId,
    arn: `arn:aws:iam::${account}:user/${userName}`,
    accountId: account,
    ...(accessKeyId === undefined ? {} : { accessKeyId }),
    userName,
  };
}

export interface RoleSession {
  account: string;
  roleName: string;
  /** IAM path of the role, e.g. "/aws-reserved/sso.amazonaws.com/"; "/" when left out. */
  rolePath?: string | undefined;
  roleId: string;
  sessionName: string;
  accessKeyId: string;
  /** When the session's credentials were issued (ISO-8601 without milliseconds). */
  creationDate: string;
  mfaAuthenticated?: boolean | undefined;
  /** Sessions of EC2 instance profiles say so. */
  ec2RoleDelivery?: boolean | undefined;
  /** Web identity federation (e.g. GitHub Actions OIDC). */
  federatedProvider?: string | undefined;
  /** A service acting with the role (service-linked roles). */
  invokedBy?: string | undefined;
}

export function assumedRoleIdentity(s: RoleSession): UserIdentity {
  const path = s.rolePath ?? '/';
  return {
    type: 'AssumedRole',
    principalId: `${s.roleId}:${s.sessionName}`,
    arn: `arn:aws:sts::${s.account}:assumed-role/${s.roleName}/${s.sessionName}`,
    accountId: s.account,
    accessKeyId: s.accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: s.roleId,
        arn: `arn:aws:iam::${s.account}:role${path}${s.roleName}`,
        accountId: s.account,
        userName: s.roleName,
      },
      webIdFederationData: s.federatedProvider === undefined ? {} : { federatedProvider: s.federatedProvider, attributes: {} },
      attributes: { creationDate: s.creationDate, mfaAuthenticated: s.mfaAuthenticated === true ? 'true' : 'false' },
      ...(s.ec2RoleDelivery === true ? { ec2RoleDelivery: '2.0' } : {}),
    },
    ...(s.invokedBy === undefined ? {} : { invokedBy: s.invokedBy }),
  };
}

export function awsServiceIdentity(invokedBy: string): UserIdentity {
  return { type: 'AWSService', invokedBy };
}

export function rootIdentity(account: string, accessKeyId?: string): UserIdentity {
  return {
    type: 'Root',
    principalId: account,
    arn: `arn:aws:iam::${account}:root`,
    accountId: account,
    ...(accessKeyId === undefined ? {} : { accessKeyId }),
  };
}

export interface TlsDetails {
  tlsVersion: string;
  cipherSuite: string;
  clientProvidedHostHeader: string;
}

export function tls(host: string, version: 'TLSv1.2' | 'TLSv1.3' = 'TLSv1.3'): TlsDetails {
  return { tlsVersion: version, cipherSuite: version === 'TLSv1.3' ? 'TLS_AES_128_GCM_SHA256' : 'ECDHE-RSA-AES128-GCM-SHA256', clientProvidedHostHeader: host };
}

export interface RecordInput {
  eventVersion?: string;
  userIdentity: UserIdentity;
  /** ISO-8601 to the second, as CloudTrail writes it: "2026-09-14T03:32:07Z". */
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: unknown;
  responseElements?: unknown;
  additionalEventData?: Record<string, unknown>;
  /** Left out of the record when not given (console sign-in events carry none). */
  requestID?: string;
  /** Derived from the record's content when not given. */
  eventID?: string;
  readOnly: boolean;
  /** S3 calls on many objects (ListObjects, DeleteObjects) name an ARNPrefix instead of an ARN. */
  resources?: { accountId?: string; type: string; ARN?: string; ARNPrefix?: string }[];
  eventType?: 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent' | 'AwsConsoleAction';
  apiVersion?: string;
  serviceEventDetails?: Record<string, unknown>;
  recipientAccountId: string;
  sharedEventID?: string;
  vpcEndpointId?: string;
  vpcEndpointAccountId?: string;
  eventCategory?: 'Management' | 'Data';
  tlsDetails?: TlsDetails;
  sessionCredentialFromConsole?: boolean;
}

/** One CloudTrail record with its members in the order CloudTrail writes them. */
export function cloudTrailRecord(input: RecordInput): Record<string, unknown> {
  const category = input.eventCategory ?? 'Management';
  const record: Record<string, unknown> = {
    eventVersion: input.eventVersion ?? '1.11',
    userIdentity: input.userIdentity,
    eventTime: input.eventTime,
    eventSource: input.eventSource,
    eventName: input.eventName,
    awsRegion: input.awsRegion,
    sourceIPAddress: input.sourceIPAddress,
    userAgent: input.userAgent,
  };
  if (input.errorCode !== undefined) record['errorCode'] = input.errorCode;
  if (input.errorMessage !== undefined) record['errorMessage'] = input.errorMessage;
  record['requestParameters'] = input.requestParameters ?? null;
  record['responseElements'] = input.responseElements ?? null;
  if (input.additionalEventData !== undefined) record['additionalEventData'] = input.additionalEventData;
  if (input.requestID !== undefined) record['requestID'] = input.requestID;
  record['eventID'] = input.eventID ?? hashUuid(JSON.stringify(input));
  record['readOnly'] = input.readOnly;
  if (input.resources !== undefined) record['resources'] = input.resources;
  record['eventType'] = input.eventType ?? 'AwsApiCall';
  if (input.apiVersion !== undefined) record['apiVersion'] = input.apiVersion;
  if (input.serviceEventDetails !== undefined) record['serviceEventDetails'] = input.serviceEventDetails;
  record['managementEvent'] = category === 'Management';
  record['recipientAccountId'] = input.recipientAccountId;
  if (input.sharedEventID !== undefined) record['sharedEventID'] = input.sharedEventID;
  if (input.vpcEndpointId !== undefined) record['vpcEndpointId'] = input.vpcEndpointId;
  if (input.vpcEndpointAccountId !== undefined) record['vpcEndpointAccountId'] = input.vpcEndpointAccountId;
  record['eventCategory'] = category;
  if (input.tlsDetails !== undefined) record['tlsDetails'] = input.tlsDetails;
  if (input.sessionCredentialFromConsole === true) record['sessionCredentialFromConsole'] = 'true';
  return record;
}

/** "2026-09-14T03:32:07Z" from epoch milliseconds (CloudTrail's eventTime has no fraction). */
export function eventTimeOf(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface LogFileInput {
  /** Set for an organization trail: keys then read AWSLogs/<orgId>/<account>/... */
  orgId?: string;
  account: string;
  region: string;
  /** When CloudTrail delivered the file (the name carries it to the minute). */
  deliveredAt: number;
  /** The 16 random characters at the end of the name. */
  suffix: string;
  records: Record<string, unknown>[];
}

/** The object key CloudTrail writes: AWSLogs/[<orgId>/]<account>/CloudTrail/<region>/YYYY/MM/DD/<name>.json.gz */
export function logObjectKey(file: Omit<LogFileInput, 'records'>): string {
  const iso = new Date(file.deliveredAt).toISOString();
  const [date, time] = [iso.slice(0, 10), iso.slice(11, 16)];
  const stamp = `${date.replace(/-/g, '')}T${time.replace(':', '')}Z`;
  const org = file.orgId === undefined ? '' : `${file.orgId}/`;
  const name = `${file.account}_CloudTrail_${file.region}_${stamp}_${file.suffix}.json.gz`;
  return `AWSLogs/${org}${file.account}/CloudTrail/${file.region}/${date.replace(/-/g, '/')}/${name}`;
}

/** The gzip bytes of one log file: compact {"Records":[...]} as CloudTrail writes it. */
export function logFileBytes(records: Record<string, unknown>[]): Buffer {
  return gzipSync(Buffer.from(JSON.stringify({ Records: records })), { level: 9 });
}

/** Adds one log file under logs/ (the bucket's root in the S3 delivery layout) and returns its bundle path. */
export function addLogFile(builder: BundleBuilder, file: LogFileInput): string {
  const path = `logs/${logObjectKey(file)}`;
  builder.file(path, logFileBytes(file.records));
  return path;
}
