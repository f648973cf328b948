// The organization trails a narrowed collection (--accounts) still needs: the management account's
// DescribeTrails in each region collected, each organization trail then followed to its status, bucket and key
// by the collector, and where the trail's bucket may live when no account in scope owns it. Reads made outside
// the scope are recorded as ExtraEvidence (the manifest's collection.extra) with why they were made.
import type { Trail } from '../aws/sdk/cloudtrail.js';
import { parseTrailArn } from '../evidence/estate.js';
import type { CollectSession } from './clients.js';
import { describeTrails } from './cloudtrail.js';
import type { NotCollected } from './record.js';
import { enabledRegions } from './ec2.js';
import { activeAccounts, organizationListings } from './organizations.js';
import type { Recorder } from './record.js';
import type { Scope } from './scope.js';

/** Evidence read outside the scope because the verdicts of accounts in scope depend on it. */
export interface ExtraEvidence {
  account: string;
  /** A region, or 'global'. */
  region: string;
  what: string;
  why: string;
}

/**
 * How many accounts outside the scope are searched (ListBuckets) for the owner of an organization trail's
 * bucket, names that look like a log archive first. An organization larger than this whose bucket lives in an
 * account found later leaves the bucket not collected (its checks MANUAL), named in collection.notCollected.
 */
export const MAX_BUCKET_OWNER_SEARCH = 25;

/** What the collector lends organizationTrails(). */
export interface OrganizationTrailsHost {
  session: CollectSession;
  rec: Recorder;
  scope: Scope;
  /** --regions, if given. */
  regions: string[] | undefined;
  notCollected: NotCollected[];
  inScope(account: string): boolean;
  /** Lets the collector read an account outside the scope from now on. */
  allowOutside(account: string): void;
  noteExtra(account: string, region: string, what: string, why: string): void;
  followTrail(trail: Trail, seenFrom: string): Promise<void>;
}

/**
 * The organization's ACTIVE accounts to search (ListBuckets) for the owner of a trail's bucket, names like
 * "log archive" first (as Control Tower names it), at most MAX_BUCKET_OWNER_SEARCH.
 */
export function ownerSearchOrder(accounts: { id: string; name: string }[], skip: (account: string) => boolean): string[] {
  const looksLikeArchive = (name: string): boolean => /log|archive|audit|security/i.test(name);
  return [...accounts.filter((a) => looksLikeArchive(a.name)), ...accounts.filter((a) => !looksLikeArchive(a.name))]
    .map((a) => a.id)
    .filter((a) => !skip(a))
    .slice(0, MAX_BUCKET_OWNER_SEARCH);
}

/**
 * The organization trails of the management account, for a narrowed scope: its DescribeTrails in each region
 * collected (an organization trail need not show in a member's listing), then each organization trail
 * followed as any trail is (status and selectors in its home region, bucket, key). When the management
 * account cannot be reached, the caller (a delegated administrator sees the organization trails) lists them.
 */
export async function organizationTrails(host: OrganizationTrailsHost, management: string): Promise<void> {
  let lister = management;
  let why = `organization trails of management account ${management} record the accounts in scope`;
  let access = await host.session.credentialsFor(management);
  if (!access.ok) {
    const caller = host.scope.identity.Account;
    const readable = caller !== management && !host.inScope(caller);
    host.notCollected.push({
      kind: 'account', id: management,
      reason: `organization trails not read there: cannot assume ${access.roleArn}: ${access.error.name}: ${access.error.message.split('\n')[0] ?? ''}${readable ? `; listed through the caller ${caller} instead` : ''}`,
    });
    if (!readable) return;
    lister = caller;
    host.allowOutside(caller);
    why = `organization trails of management account ${management}, which could not be reached, as the caller (a delegated administrator) lists them`;
    access = await host.session.credentialsFor(caller);
    if (!access.ok) return;
  }
  const credentials = access.credentials;
  const global = host.session.clients(lister, host.session.options.region, credentials);
  const isCaller = lister === host.scope.identity.Account;
  if (!isCaller && host.scope.organizationAccounts === undefined) {
    // The caller could not list the organization: the management account can.
    const listings = await organizationListings(host.rec, global);
    host.noteExtra(lister, 'global', 'organizations:ListAccounts, ListAWSServiceAccessForOrganization, ListDelegatedAdministrators', `the organization facts (the caller ${host.scope.identity.Account} could not list them)`);
    if (listings.accounts !== undefined) {
      const active = new Set(activeAccounts(listings.accounts));
      host.scope.organizationAccounts = listings.accounts.filter((a) => a.Id !== undefined && active.has(a.Id)).map((a) => ({ id: a.Id as string, name: a.Name ?? '' }));
    }
  }
  const enabled = isCaller ? host.scope.callerRegions : await enabledRegions(host.rec, global);
  if (!isCaller) host.noteExtra(lister, 'global', 'ec2:DescribeRegions', why);
  const wanted = host.regions;
  const regions = enabled === undefined ? (wanted ?? [host.session.options.region]) : wanted === undefined ? enabled : wanted.filter((r) => enabled.includes(r));
  await Promise.all(regions.map(async (region) => {
    const trails = await describeTrails(host.rec, host.session.clients(lister, region, credentials));
    host.noteExtra(lister, region, 'cloudtrail:DescribeTrails', why);
    const owned = (trails ?? []).filter((t) => t.IsOrganizationTrail === true && t.TrailARN !== undefined && parseTrailArn(t.TrailARN)?.account === management);
    await Promise.all(owned.map((trail) => host.followTrail(trail, lister)));
  }));
}
