// Who is collecting and what: the caller's identity (sts:GetCallerIdentity, first), the organization when the
// caller can read it, and the accounts in scope after --org, --accounts and --exclude-accounts.
import { makeClient } from '../aws/clients.js';
import { GetCallerIdentityCommand, STSClient } from '../aws/sdk/sts.js';
import { TrailproofError } from '../errors.js';
import type { CollectSession } from './clients.js';
import { enabledRegions } from './ec2.js';
import { activeAccounts, describeOrganization, organizationListings } from './organizations.js';
import type { Recorder } from './record.js';

export interface ScopeRequest {
  accounts?: string[] | undefined;
  excludeAccounts?: string[] | undefined;
  assumeRole?: string | undefined;
  /** undefined: use the organization when the caller can list its accounts. */
  org?: boolean | undefined;
}

export interface Identity {
  Account: string;
  Arn: string;
  UserId?: string;
}

export interface Scope {
  identity: Identity;
  accounts: string[];
  /** Whether the accounts came from the organization's ListAccounts. */
  fromOrganization: boolean;
  organizationId?: string;
  /** The organization's management account (DescribeOrganization's MasterAccountId), when known. */
  managementAccountId?: string;
  /** --accounts named the accounts: the scope is narrower than the organization. */
  narrowed: boolean;
  /** ACTIVE accounts of the organization with their names, when ListAccounts answered (where to look for a trail's bucket outside the scope). */
  organizationAccounts?: { id: string; name: string }[];
  /** The caller account's enabled regions (DescribeRegions), the fallback for accounts whose own call failed. */
  callerRegions?: string[];
  warnings: string[];
}

const ACCOUNT_ID = /^\d{12}$/;

/** --accounts names an account the organization does not (yet) list as ACTIVE: a usage error, or, for a freshly vended account, something to wait for. */
export class AccountNotActiveError extends TrailproofError {
  constructor(readonly accounts: string[], message: string) {
    super('TP_USAGE', message);
  }
}

export function checkAccountIds(flag: string, ids: string[]): void {
  for (const id of ids) if (!ACCOUNT_ID.test(id)) throw new TrailproofError('TP_USAGE', `${flag}: "${id}" is not a 12-digit account id`);
}

export async function identify(session: CollectSession, rec: Recorder): Promise<Identity> {
  const sts = makeClient(STSClient, session.settings(session.options.region, session.base));
  const outcome = await rec.scheduler.call({ account: 'caller', region: 'global' }, (abortSignal) => sts.send(new GetCallerIdentityCommand({}), { abortSignal }));
  if (!outcome.ok) {
    throw new TrailproofError(
      'TP_EVIDENCE_INSUFFICIENT',
      `cannot identify the caller (sts:GetCallerIdentity): ${outcome.error.name}: ${outcome.error.message.split('\n')[0] ?? ''}; configure AWS credentials (--profile, AWS_PROFILE or AWS_ACCESS_KEY_ID) and try again`,
      { exitCode: 3 },
    );
  }
  const { Account, Arn, UserId } = outcome.value;
  if (Account === undefined || Arn === undefined) {
    throw new TrailproofError('TP_EVIDENCE_INSUFFICIENT', 'sts:GetCallerIdentity answered without an account or ARN', { exitCode: 3 });
  }
  return UserId === undefined ? { Account, Arn } : { Account, Arn, UserId };
}

export async function resolveScope(request: ScopeRequest, session: CollectSession, rec: Recorder): Promise<Scope> {
  const identity = await identify(session, rec);
  session.setCaller(identity.Account, identity.Arn);
  const caller = session.clients(identity.Account, session.options.region, session.base);
  const warnings: string[] = [];

  const [organization, callerRegions] = await Promise.all([
    request.org === false ? Promise.resolve(undefined) : describeOrganization(rec, caller),
    enabledRegions(rec, caller),
  ]);
  // The listings are evidence for the organization checks; they need the management or a delegated administrator account.
  const listings = organization?.Id === undefined ? undefined : await organizationListings(rec, caller);
  const orgAccounts = listings?.accounts === undefined ? undefined : activeAccounts(listings.accounts);
  if (request.org === true && orgAccounts === undefined) {
    throw new TrailproofError(
      'TP_EVIDENCE_INSUFFICIENT',
      organization?.Id === undefined
        ? `--org: account ${identity.Account} cannot describe an organization (see accounts/${identity.Account}/global/organizations/DescribeOrganization.json); use --no-org to collect the caller's account`
        : `--org: cannot list the accounts of ${organization.Id} (organizations:ListAccounts failed); run from the management account or a delegated administrator, or use --no-org`,
      { exitCode: 3 },
    );
  }
  const fromOrganization = request.org !== false && orgAccounts !== undefined;

  let accounts = fromOrganization ? (orgAccounts as string[]) : [identity.Account];
  const named = request.accounts ?? [];
  if (named.length > 0) {
    if (fromOrganization) {
      const notActive = named.filter((a) => !accounts.includes(a));
      if (notActive.length > 0) throw new AccountNotActiveError(notActive, `--accounts: ${notActive.join(', ')} ${notActive.length === 1 ? 'is not an ACTIVE account' : 'are not ACTIVE accounts'} of organization ${organization?.Id ?? ''}`);
    }
    accounts = named;
  }
  const excluded = new Set(request.excludeAccounts ?? []);
  accounts = [...new Set(accounts.filter((a) => !excluded.has(a)))].sort();

  const others = accounts.filter((a) => a !== identity.Account);
  if (others.length > 0 && request.assumeRole === undefined) {
    if (fromOrganization && named.length === 0 && request.org === undefined) {
      warnings.push(`organization ${organization?.Id ?? ''} has ${accounts.length} ACTIVE accounts in scope, but without --assume-role only the caller's account ${identity.Account} is collected; give --assume-role NAME (a read-only role in every account) to collect them all`);
      accounts = accounts.filter((a) => a === identity.Account);
    } else {
      throw new TrailproofError('TP_USAGE', `--assume-role NAME is needed to collect accounts other than the caller's (${identity.Account}): ${others.slice(0, 5).join(', ')}${others.length > 5 ? ` and ${others.length - 5} more` : ''}`);
    }
  }
  if (accounts.length === 0) throw new TrailproofError('TP_USAGE', 'no account left to collect after --accounts and --exclude-accounts');

  const scope: Scope = { identity, accounts, fromOrganization, warnings, narrowed: named.length > 0 };
  if (organization?.Id !== undefined) scope.organizationId = organization.Id;
  if (organization?.MasterAccountId !== undefined) scope.managementAccountId = organization.MasterAccountId;
  if (listings?.accounts !== undefined) {
    const active = new Set(orgAccounts ?? []);
    scope.organizationAccounts = listings.accounts.filter((a) => a.Id !== undefined && active.has(a.Id)).map((a) => ({ id: a.Id as string, name: a.Name ?? '' }));
  }
  if (callerRegions !== undefined) scope.callerRegions = callerRegions;
  return scope;
}
