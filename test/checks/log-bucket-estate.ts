// A realistic estate for the bucket, retention and cost check tests: trails seen in every region the way
// DescribeTrails (includeShadowTrails) shows them, their status and selectors, an organization when asked for,
// and log buckets whose every S3 response starts out compliant so each test changes only what it is about.
import type { GetEventSelectorsResponse, LogGroup, Trail } from '../../src/evidence/aws.js';
import type { S3Operation } from '../../src/evidence/estate.js';
import { BundleBuilder, trailArn, type BuilderOptions } from '../../fixtures/bundle-builder.js';

export const MANAGEMENT = '111111111111';
export const LOG_ARCHIVE = '222222222222';
export const MEMBER = '333333333333';
export const OUTSIDER = '999999999999';
export const ORG_ID = 'o-a1b2c3d4e5';

export const allManagementEvents: GetEventSelectorsResponse = {
  EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }],
};
export const noManagementEvents: GetEventSelectorsResponse = {
  EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }],
};

export interface TrailSpec {
  account: string;
  name: string;
  bucket: string;
  homeRegion?: string;
  prefix?: string;
  multiRegion?: boolean;
  organization?: boolean;
  logGroupArn?: string;
  /** The GetEventSelectors response; null writes no file (not collected). */
  selectors?: GetEventSelectorsResponse | null;
  isLogging?: boolean;
}

export interface BucketSpec {
  name: string;
  account: string;
  region?: string;
  /** Trail ARNs the default policy lets CloudTrail write for (bound with aws:SourceArn); default: any trail of the owner. */
  trailArns?: string[];
  /** Replaces the default response of an operation; undefined leaves the default. */
  responses?: Partial<Record<S3Operation, unknown>>;
  /** Stores the operation as a failed call with this error name. */
  errors?: Partial<Record<S3Operation, string>>;
  /** Operations whose file is left out of the bundle. */
  omit?: S3Operation[];
}

/** The policy a careful log-archive team writes: TLS only, CloudTrail bound to named trails. */
export function cloudTrailBucketPolicy(bucket: string, trailArns: string[], prefix = ''): Record<string, unknown> {
  const objects = `arn:aws:s3:::${bucket}/${prefix === '' ? '' : `${prefix}/`}AWSLogs/*`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AWSCloudTrailAclCheck',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:GetBucketAcl',
        Resource: `arn:aws:s3:::${bucket}`,
        Condition: { StringEquals: { 'aws:SourceArn': trailArns } },
      },
      {
        Sid: 'AWSCloudTrailWrite',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: objects,
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArns } },
      },
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

export function policyResponse(doc: unknown): { Policy: string } {
  return { Policy: JSON.stringify(doc) };
}

export const fullBlockPublicAccess = {
  PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
};

function defaultBucketResponses(spec: BucketSpec): Record<S3Operation, unknown> {
  return {
    GetBucketPolicy: policyResponse(cloudTrailBucketPolicy(spec.name, spec.trailArns ?? [`arn:aws:cloudtrail:*:${spec.account}:trail/*`])),
    GetBucketPolicyStatus: { PolicyStatus: { IsPublic: false } },
    GetPublicAccessBlock: fullBlockPublicAccess,
    GetBucketAcl: {
      Owner: { ID: 'c0ffee0000000000000000000000000000000000000000000000000000000001', DisplayName: 'log-archive' },
      Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'c0ffee0000000000000000000000000000000000000000000000000000000001' }, Permission: 'FULL_CONTROL' }],
    },
    GetBucketVersioning: { Status: 'Enabled', MFADelete: 'Disabled' },
    GetBucketLogging: { LoggingEnabled: { TargetBucket: 'access-logs-bucket', TargetPrefix: `${spec.name}/` } },
    GetBucketEncryption: {
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: `arn:aws:kms:us-east-1:${spec.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab` }, BucketKeyEnabled: true }] },
    },
    GetBucketLifecycleConfiguration: {
      Rules: [{ ID: 'archive-then-expire', Status: 'Enabled', Filter: { Prefix: 'AWSLogs/' }, Transitions: [{ Days: 180, StorageClass: 'GLACIER' }], Expiration: { Days: 2555 } }],
    },
    GetObjectLockConfiguration: { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 1 } } } },
    GetBucketLocation: { LocationConstraint: spec.region === undefined || spec.region === 'us-east-1' ? null : spec.region },
  };
}

/** Builds one estate: call trail(), bucket() and the rest, then build() before running a check. */
export class Scenario {
  readonly builder: BundleBuilder;
  private readonly trails: { spec: TrailSpec; trail: Trail }[] = [];
  private org: { management: string; members: string[] } | undefined;

  constructor(options: BuilderOptions = {}) {
    this.builder = new BundleBuilder({ accounts: [MANAGEMENT], regions: ['eu-west-1', 'us-east-1'], ...options });
  }

  /** An AWS Organization: DescribeOrganization in every collected member, ListAccounts in the management account. */
  organization(management: string, members: string[]): this {
    this.org = { management, members };
    const organization = { Id: ORG_ID, Arn: `arn:aws:organizations::${management}:organization/${ORG_ID}`, FeatureSet: 'ALL', MasterAccountId: management, MasterAccountArn: `arn:aws:organizations::${management}:account/${ORG_ID}/${management}` };
    for (const account of [management, ...members]) {
      if (this.builder.accounts.includes(account)) this.builder.put(account, 'global', 'organizations/DescribeOrganization.json', { Organization: organization });
    }
    if (this.builder.accounts.includes(management)) {
      this.builder.put(management, 'global', 'organizations/ListAccounts.json', {
        Accounts: [management, ...members].map((id) => ({ Id: id, Name: `account-${id.slice(0, 3)}`, Status: 'ACTIVE', Arn: `arn:aws:organizations::${management}:account/${ORG_ID}/${id}` })),
      });
    }
    return this;
  }

  /** A trail with its status, event selectors and insight selectors in the owner's home region. */
  trail(spec: TrailSpec): string {
    const homeRegion = spec.homeRegion ?? 'us-east-1';
    const arn = trailArn(spec.account, homeRegion, spec.name);
    const trail: Trail = {
      Name: spec.name,
      TrailARN: arn,
      HomeRegion: homeRegion,
      S3BucketName: spec.bucket,
      ...(spec.prefix === undefined ? {} : { S3KeyPrefix: spec.prefix }),
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: spec.multiRegion ?? true,
      IsOrganizationTrail: spec.organization ?? false,
      LogFileValidationEnabled: true,
      ...(spec.logGroupArn === undefined ? {} : { CloudWatchLogsLogGroupArn: spec.logGroupArn, CloudWatchLogsRoleArn: `arn:aws:iam::${spec.account}:role/CloudTrailToLogs` }),
      HasCustomEventSelectors: false,
      HasInsightSelectors: false,
    };
    this.trails.push({ spec, trail });
    if (this.builder.accounts.includes(spec.account)) {
      const at = (op: string): string => `cloudtrail/${op}/${spec.name}.json`;
      this.builder.put(spec.account, homeRegion, at('GetTrailStatus'), { IsLogging: spec.isLogging ?? true, LatestDeliveryTime: '2026-10-01T05:55:00.000Z', StartLoggingTime: '2025-01-01T00:00:00.000Z' });
      if (spec.selectors !== null) this.builder.put(spec.account, homeRegion, at('GetEventSelectors'), { TrailARN: arn, ...(spec.selectors ?? allManagementEvents) });
      this.builder.putError(spec.account, homeRegion, at('GetInsightSelectors'), 'InsightNotEnabledException', `Trail ${arn} does not have Insights enabled.`);
    }
    return arn;
  }

  /** A log bucket whose files sit in its owner's account and region, compliant unless told otherwise. */
  bucket(spec: BucketSpec): this {
    const region = spec.region ?? 'us-east-1';
    const defaults = defaultBucketResponses(spec);
    for (const op of Object.keys(defaults) as S3Operation[]) {
      const path = `s3/${spec.name}/${op}.json`;
      const error = spec.errors?.[op];
      if (spec.omit?.includes(op)) continue;
      if (error !== undefined) this.builder.putError(spec.account, region, path, error);
      else this.builder.put(spec.account, region, path, spec.responses?.[op] ?? defaults[op]);
    }
    return this;
  }

  /** The account-level Block Public Access setting (s3control GetPublicAccessBlock). */
  accountBlockPublicAccess(account: string, response: unknown): this {
    this.builder.put(account, 'global', 's3control/GetPublicAccessBlock.json', response);
    return this;
  }

  logGroups(account: string, region: string, groups: LogGroup[]): this {
    this.builder.put(account, region, 'logs/DescribeLogGroups.json', { logGroups: groups });
    return this;
  }

  /** Writes DescribeTrails in every collected account and region and returns the builder. */
  build(): BundleBuilder {
    for (const account of this.builder.accounts) {
      for (const region of this.builder.regions) {
        const visible = this.trails.filter(({ spec }) => {
          const home = spec.homeRegion ?? 'us-east-1';
          const applies = (spec.multiRegion ?? true) || home === region;
          const member = this.org !== undefined && spec.organization === true && spec.account === this.org.management && this.org.members.includes(account);
          return applies && (spec.account === account || member);
        });
        this.builder.describeTrails(account, region, visible.map(({ trail }) => trail));
      }
    }
    return this.builder;
  }
}

export function logGroupArn(account: string, region: string, name: string): string {
  return `arn:aws:logs:${region}:${account}:log-group:${name}:*`;
}

/** An organization trail delivering to a bucket in an account the bundle did not collect: bucket checks say MANUAL. */
export function outsiderBucketBundle(): BundleBuilder {
  const s = new Scenario();
  s.trail({ account: MANAGEMENT, name: 'main-trail', bucket: 'outsider-logs' });
  return s.build();
}
