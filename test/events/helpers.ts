// Test data for the event readers and the scan: CloudTrail records in the documented shape, log files
// written where CloudTrail writes them (S3 delivery layout, gzip), and a few Sigma rules.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CloudTrailRecord } from '../../src/events/record.js';

export function tempDir(prefix = 'trailproof-events-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

let counter = 0;

/** A uuid-shaped id that is unique within a test run and sorts by creation. */
export function eventId(): string {
  counter++;
  return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
}

export interface RecordInput {
  time: string;
  name: string;
  source?: string;
  account?: string;
  region?: string;
  user?: string;
  ip?: string;
  agent?: string;
  errorCode?: string;
  errorMessage?: string;
  params?: Record<string, unknown> | null;
  id?: string;
  role?: { name: string; session: string };
  resources?: { ARN: string; type: string }[];
}

/** A management event as CloudTrail writes it: an IAM user's call with an access key, or a role session. */
export function record(input: RecordInput): CloudTrailRecord {
  const account = input.account ?? '111111111111';
  const identity = input.role
    ? {
        type: 'AssumedRole',
        principalId: `AROAEXAMPLE:${input.role.session}`,
        arn: `arn:aws:sts::${account}:assumed-role/${input.role.name}/${input.role.session}`,
        accountId: account,
        accessKeyId: 'ASIAEXAMPLE',
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: `arn:aws:iam::${account}:role/${input.role.name}`, accountId: account, userName: input.role.name },
          attributes: { creationDate: input.time, mfaAuthenticated: 'false' },
        },
      }
    : { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${account}:user/${input.user ?? 'alice'}`, accountId: account, accessKeyId: 'AKIAEXAMPLE', userName: input.user ?? 'alice' };
  const r: CloudTrailRecord = {
    eventVersion: '1.09',
    userIdentity: identity,
    eventTime: input.time,
    eventSource: input.source ?? 's3.amazonaws.com',
    eventName: input.name,
    awsRegion: input.region ?? 'us-east-1',
    sourceIPAddress: input.ip ?? '198.51.100.7',
    userAgent: input.agent ?? 'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#s3api.delete-bucket',
    requestParameters: input.params === undefined ? { bucketName: 'example-bucket' } : input.params,
    responseElements: null,
    requestID: 'EXAMPLE0REQUEST0ID',
    eventID: input.id ?? eventId(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
  if (input.errorCode !== undefined) r.errorCode = input.errorCode;
  if (input.errorMessage !== undefined) r.errorMessage = input.errorMessage;
  if (input.resources !== undefined) r.resources = input.resources;
  return r;
}

export interface LogFile {
  account: string;
  region: string;
  /** ISO instant of delivery; the name carries it to the minute, the folder its day. */
  delivered: string;
  records: CloudTrailRecord[];
  orgId?: string;
  suffix?: string;
  /** Bytes to write instead of the gzip of {Records}: a corrupt file. */
  bytes?: Buffer;
  /** Write plain JSON (.json) instead of gzip. */
  plain?: boolean;
}

/** The key CloudTrail writes a log file under: AWSLogs/[<orgId>/]<account>/CloudTrail/<region>/YYYY/MM/DD/<name>. */
export function logKey(file: Omit<LogFile, 'records'>): string {
  const iso = new Date(file.delivered).toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}T${iso.slice(11, 16).replace(':', '')}Z`;
  const name = `${file.account}_CloudTrail_${file.region}_${stamp}_${file.suffix ?? 'AbCdEfGhIjKlMnOp'}.json${file.plain ? '' : '.gz'}`;
  return `AWSLogs/${file.orgId === undefined ? '' : `${file.orgId}/`}${file.account}/CloudTrail/${file.region}/${iso.slice(0, 10).replace(/-/g, '/')}/${name}`;
}

export function logBytes(file: LogFile): Buffer {
  if (file.bytes !== undefined) return file.bytes;
  const json = Buffer.from(JSON.stringify({ Records: file.records }));
  return file.plain ? json : gzipSync(json);
}

/** Writes the file under root and returns its key (path relative to root). */
export function writeLog(root: string, file: LogFile): string {
  const key = logKey(file);
  mkdirSync(dirname(join(root, key)), { recursive: true });
  writeFileSync(join(root, key), logBytes(file));
  return key;
}

/** A Sigma rule for one event name (and optionally errors only), as a user would write it. */
export function eventRule(id: string, eventName: string, level = 'high', extra = ''): string {
  return `title: ${eventName} seen (${id})
id: ${id}
status: test
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    eventName: ${eventName}${extra}
  condition: selection
level: ${level}
`;
}

/** An event_count correlation over a base rule, grouped by the caller's ARN. */
export function countRule(id: string, base: string, threshold: number, timespan = '5m', level = 'medium'): string {
  return `title: Burst of ${base} (${id})
id: ${id}
status: test
correlation:
  type: event_count
  rules:
    - ${base}
  group-by:
    - userIdentity.arn
  timespan: ${timespan}
  condition:
    gte: ${threshold}
level: ${level}
`;
}

/** Writes rule files into a new folder and returns it. */
export function ruleDir(files: Record<string, string>): string {
  const dir = tempDir('trailproof-rules-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
