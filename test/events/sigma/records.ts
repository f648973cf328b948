// CloudTrail records for the rule-engine tests, in the documented record shape (CloudTrail user guide,
// "CloudTrail record contents" and "userIdentity element"): a full management event with overrides.
import type { CloudTrailRecord, UserIdentity } from '../../../src/events/record.js';

export const ACCOUNT = '111122223333';

export function iamUser(name = 'winter'): UserIdentity {
  return { type: 'IAMUser', principalId: 'AIDAJ45Q7YFFAREXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, accountId: ACCOUNT, accessKeyId: 'AKIAIOSFODNN7EXAMPLE', userName: name };
}

export function assumedRole(role = 'deploy', session = 'ci-run'): UserIdentity {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLEID:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    accountId: ACCOUNT,
    accessKeyId: 'ASIAEXAMPLEKEY',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEID', arn: `arn:aws:iam::${ACCOUNT}:role/${role}`, accountId: ACCOUNT, userName: role },
      attributes: { mfaAuthenticated: 'false', creationDate: '2026-09-14T03:00:00Z' },
    },
  };
}

export function root(): UserIdentity {
  return { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: '' };
}

let counter = 0;

/** A successful AWS CLI call by IAM user winter at the story's time, with the given fields replaced. */
export function ct(overrides: Partial<CloudTrailRecord> & Record<string, unknown>): CloudTrailRecord {
  counter++;
  const n = String(counter).padStart(12, '0');
  return {
    eventVersion: '1.09',
    userIdentity: iamUser(),
    eventTime: '2026-09-14T03:32:07Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'ListBuckets',
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.55',
    userAgent: 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/s3api.list-buckets',
    requestParameters: null,
    responseElements: null,
    requestID: `req-${n}`,
    eventID: `8a3c0f5e-0000-4000-8000-${n}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 's3.us-east-1.amazonaws.com' },
    ...overrides,
  };
}

/** The same record at another time (ISO instant or seconds after the story's time). */
export function at(record: CloudTrailRecord, when: string | number): CloudTrailRecord {
  const eventTime = typeof when === 'string' ? when : new Date(Date.parse('2026-09-14T03:32:07Z') + when * 1000).toISOString().replace('.000Z', 'Z');
  return { ...record, eventTime };
}
