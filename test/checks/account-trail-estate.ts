// A realistic estate for the per-account trail check tests (multi-region, management events, organization
// coverage, global service events, S3 data events, Insights): trails sighted in every region the way
// DescribeTrails (includeShadowTrails) shows them, organization trails seen from member accounts, and each trail's
// status, event selectors and insight selectors in its owner's home region. Everything starts out compliant, so
// each test changes only what it is about.
import type { GetEventSelectorsResponse, InsightSelector, Trail } from '../../src/evidence/aws.js';
import { BundleBuilder, trailArn } from '../../fixtures/bundle-builder.js';

export const MANAGEMENT = '111111111111';
export const MEMBER = '222222222222';
export const SECOND_MEMBER = '333333333333';
export const STANDALONE = '444444444444';
export const ORG_ID = 'o-h4example01';
export const REGIONS = ['eu-west-1', 'us-east-1'];

export function accountResource(account: string): string {
  return `AWS::::Account:${account}`;
}

type InsightType = NonNullable<InsightSelector['InsightType']>;
/** A response as stored: the value, a failed call (`{ error: name }`), or null for a call never made (no file). */
export type Stored<T> = T | { error: string } | null;

const managementRead = { Field: 'eventCategory', Equals: ['Management'] };
const s3Objects = [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }];

export const selectors = {
  allManagement: { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] },
  writeOnly: { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] },
  excludingKms: {
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: ['kms.amazonaws.com'] }],
  },
  /** All management events and every S3 object event, with basic selectors ("arn:aws:s3" selects every bucket). */
  allManagementAndS3: {
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }],
  },
  /** Advanced selectors that split reads and writes into separate selectors: together they record everything. */
  splitAdvanced: {
    AdvancedEventSelectors: [
      { Name: 'Management reads', FieldSelectors: [managementRead, { Field: 'readOnly', Equals: ['true'] }] },
      { Name: 'Management writes', FieldSelectors: [managementRead, { Field: 'readOnly', Equals: ['false'] }] },
      { Name: 'S3 object reads', FieldSelectors: [...s3Objects, { Field: 'readOnly', Equals: ['true'] }] },
      { Name: 'S3 object writes', FieldSelectors: [...s3Objects, { Field: 'readOnly', Equals: ['false'] }] },
    ],
  },
  /** Every management event, and S3 object events of every bucket but the trail's own log bucket. */
  s3ExceptLogBucket: {
    AdvancedEventSelectors: [
      { Name: 'Management events', FieldSelectors: [managementRead] },
      { Name: 'S3 objects but the log bucket', FieldSelectors: [...s3Objects, { Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::org-trail-logs/'] }] },
    ],
  },
} satisfies Record<string, GetEventSelectorsResponse>;

export interface TrailSpec {
  account: string;
  name: string;
  home?: string;
  multiRegion?: boolean;
  organization?: boolean;
  globalServiceEvents?: boolean;
  /** GetTrailStatus IsLogging (default true). */
  logging?: Stored<boolean>;
  /** GetEventSelectors (default: all management events and every S3 object event). */
  selectors?: Stored<GetEventSelectorsResponse>;
  /** GetInsightSelectors: the enabled types (default both); [] stores InsightNotEnabledException. */
  insights?: Stored<InsightType[]>;
  /** Accounts whose DescribeTrails does not list the trail (say, a member that joined after the last refresh). */
  hiddenFrom?: string[];
  /** Where status and selectors were collected, when not the owner's home region. */
  filesAt?: { account: string; region: string };
}

interface Org {
  management: string;
  members: string[];
}

export class Fixture {
  readonly builder: BundleBuilder;
  private readonly trails: { spec: TrailSpec; trail: Trail }[] = [];
  private org: Org | undefined;
  private readonly unlisted = new Map<string, string | null>();

  constructor(accounts: string[], regions: string[] = REGIONS) {
    this.builder = new BundleBuilder({ accounts, regions });
  }

  private collected(account: string): boolean {
    return this.builder.accounts.includes(account);
  }

  /** An AWS Organization with trusted access for the given service principals (or a failed call). */
  organization(management: string, members: string[], serviceAccess: Stored<string[]> = ['cloudtrail.amazonaws.com', 'config.amazonaws.com']): this {
    this.org = { management, members };
    const organization = {
      Id: ORG_ID,
      Arn: `arn:aws:organizations::${management}:organization/${ORG_ID}`,
      FeatureSet: 'ALL',
      MasterAccountId: management,
      MasterAccountArn: `arn:aws:organizations::${management}:account/${ORG_ID}/${management}`,
    };
    for (const account of [management, ...members].filter((a) => this.collected(a))) {
      this.builder.put(account, 'global', 'organizations/DescribeOrganization.json', { Organization: organization });
    }
    if (this.collected(management)) {
      const org = (op: string, value: Stored<unknown>): void => {
        if (value === null) return;
        const path = `organizations/${op}.json`;
        if (isError(value)) this.builder.putError(management, 'global', path, value.error);
        else this.builder.put(management, 'global', path, value);
      };
      org('ListAccounts', { Accounts: [management, ...members].map((id) => ({ Id: id, Name: `account-${id.slice(0, 3)}`, Status: 'ACTIVE', State: 'ACTIVE' })) });
      org('ListAWSServiceAccessForOrganization', serviceAccess === null || isError(serviceAccess)
        ? serviceAccess
        : { EnabledServicePrincipals: serviceAccess.map((p) => ({ ServicePrincipal: p, DateEnabled: '2025-01-01T00:00:00.000Z' })) });
    }
    return this;
  }

  /** An account that is in no organization, as Organizations answers for it. */
  standalone(account: string): this {
    this.builder.putError(account, 'global', 'organizations/DescribeOrganization.json', 'AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
    return this;
  }

  /** DescribeTrails of one account and region failed with this error, or (null) was never collected. */
  describeTrailsFails(account: string, region: string, error: string | null): this {
    this.unlisted.set(`${account}/${region}`, error);
    return this;
  }

  trail(spec: TrailSpec): string {
    const home = spec.home ?? 'us-east-1';
    const arn = trailArn(spec.account, home, spec.name);
    const insights = spec.insights === undefined ? (['ApiCallRateInsight', 'ApiErrorRateInsight'] as InsightType[]) : spec.insights;
    const trail: Trail = {
      Name: spec.name,
      TrailARN: arn,
      HomeRegion: home,
      S3BucketName: 'org-trail-logs',
      IncludeGlobalServiceEvents: spec.globalServiceEvents ?? true,
      IsMultiRegionTrail: spec.multiRegion ?? true,
      IsOrganizationTrail: spec.organization ?? false,
      LogFileValidationEnabled: true,
      HasCustomEventSelectors: true,
      HasInsightSelectors: Array.isArray(insights) && insights.length > 0,
    };
    this.trails.push({ spec, trail });
    const at = spec.filesAt ?? { account: spec.account, region: home };
    if (!this.collected(at.account)) return arn;
    const put = (op: string, value: Stored<unknown>): void => {
      if (value === null) return;
      const path = `cloudtrail/${op}/${spec.name}.json`;
      if (isError(value)) this.builder.putError(at.account, at.region, path, value.error);
      else this.builder.put(at.account, at.region, path, value);
    };
    const logging = spec.logging === undefined ? true : spec.logging;
    put('GetTrailStatus', logging === null || isError(logging)
      ? logging
      : { IsLogging: logging, LatestDeliveryTime: '2026-10-01T05:55:00.000Z', ...(logging ? { StartLoggingTime: '2025-01-01T00:00:00.000Z' } : { StopLoggingTime: '2026-09-30T12:00:00.000Z' }) });
    const sel = spec.selectors === undefined ? selectors.allManagementAndS3 : spec.selectors;
    put('GetEventSelectors', sel === null || isError(sel) ? sel : { TrailARN: arn, ...sel });
    if (Array.isArray(insights) && insights.length === 0) {
      this.builder.putError(at.account, at.region, `cloudtrail/GetInsightSelectors/${spec.name}.json`, 'InsightNotEnabledException', `Trail ${arn} does not have Insights enabled.`);
    } else {
      put('GetInsightSelectors', insights === null || isError(insights) ? insights : { TrailARN: arn, InsightSelectors: insights.map((t) => ({ InsightType: t })) });
    }
    return arn;
  }

  /** Writes DescribeTrails in every collected account and region (shadow and organization views) and returns the builder. */
  build(): BundleBuilder {
    for (const account of this.builder.accounts) {
      for (const region of this.builder.regions) {
        const failure = this.unlisted.get(`${account}/${region}`);
        if (failure === null) continue;
        if (failure !== undefined) {
          this.builder.putError(account, region, 'cloudtrail/DescribeTrails.json', failure);
          continue;
        }
        const visible = this.trails.filter(({ spec }) => {
          const applies = (spec.multiRegion ?? true) || (spec.home ?? 'us-east-1') === region;
          const member = spec.organization === true && this.org !== undefined && spec.account === this.org.management && this.org.members.includes(account);
          return applies && (spec.account === account || member) && !(spec.hiddenFrom ?? []).includes(account);
        });
        this.builder.describeTrails(account, region, visible.map(({ trail }) => trail));
      }
    }
    return this.builder;
  }
}

function isError(value: unknown): value is { error: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { error?: unknown }).error === 'string';
}

/** A standalone account recorded by one trail, main unless `spec` names another: a bundle built when a describeCheck case runs. */
export function standaloneBundle(spec: Partial<TrailSpec> = {}): () => BundleBuilder {
  return fixtureBundle([STANDALONE], (f) => {
    f.standalone(STANDALONE);
    f.trail({ account: STANDALONE, name: 'main', ...spec });
  });
}

/**
 * A standalone account whose only enabled region (ap-south-1) lies outside the audited regions: the case every
 * per-region trail check answers NOT_APPLICABLE (noRegions).
 */
export function noRegionInScopeBundle(): () => BundleBuilder {
  return fixtureBundle([STANDALONE], (f) => {
    f.standalone(STANDALONE);
    f.builder.put(STANDALONE, 'global', 'ec2/DescribeRegions.json', { Regions: [{ RegionName: 'ap-south-1', OptInStatus: 'opt-in-not-required' }] });
  });
}

/** A fixture of `accounts` (and `regions`) set up by `setup`: a bundle built when a describeCheck case runs. */
export function fixtureBundle(accounts: string[], setup: (f: Fixture) => void, regions: string[] = REGIONS): () => BundleBuilder {
  return () => {
    const f = new Fixture(accounts, regions);
    setup(f);
    return f.build();
  };
}

/** A result's evidence as `file#pointer`, the form the assertions name. */
export function pointers(r: { evidence: { file: string; pointer: string }[] }): string[] {
  return r.evidence.map((e) => `${e.file}#${e.pointer}`);
}
