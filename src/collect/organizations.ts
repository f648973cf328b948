// AWS Organizations: the organization each account belongs to, and from the caller (the management account
// or a delegated administrator) the accounts, the services with trusted access and the delegated administrators.
import {
  DescribeOrganizationCommand,
  paginateListAWSServiceAccessForOrganization,
  paginateListAccounts,
  paginateListDelegatedAdministrators,
  type Account,
  type Organization,
} from '../aws/sdk/organizations.js';
import type { ClientSet } from './clients.js';
import { record, recordPages, type Recorder } from './record.js';

export async function describeOrganization(rec: Recorder, clients: ClientSet): Promise<Organization | undefined> {
  const out = await record(rec, { account: clients.account, where: 'global' }, 'organizations/DescribeOrganization.json', 'organizations:DescribeOrganization', (abortSignal) =>
    clients.organizations.send(new DescribeOrganizationCommand({}), { abortSignal }));
  return out?.Organization;
}

/** The caller's organization listings; the accounts when ListAccounts answered, with the files' paths. */
export async function organizationListings(rec: Recorder, clients: ClientSet): Promise<{ accounts: Account[] | undefined; listAccountsFile: string }> {
  const place = { account: clients.account, where: 'global' };
  const client = clients.organizations;
  const [accounts] = await Promise.all([
    recordPages(rec, place, 'organizations/ListAccounts.json', 'organizations:ListAccounts', ['Accounts'], (abortSignal) =>
      paginateListAccounts({ client }, {}, { abortSignal })),
    recordPages(rec, place, 'organizations/ListAWSServiceAccessForOrganization.json', 'organizations:ListAWSServiceAccessForOrganization', ['EnabledServicePrincipals'], (abortSignal) =>
      paginateListAWSServiceAccessForOrganization({ client }, {}, { abortSignal })),
    recordPages(rec, place, 'organizations/ListDelegatedAdministrators.json', 'organizations:ListDelegatedAdministrators', ['DelegatedAdministrators'], (abortSignal) =>
      paginateListDelegatedAdministrators({ client }, {}, { abortSignal })),
  ]);
  return { accounts: accounts === undefined ? undefined : ((accounts['Accounts'] ?? []) as Account[]), listAccountsFile: `accounts/${place.account}/global/organizations/ListAccounts.json` };
}

/** ACTIVE accounts (State, or the older Status while both are returned). */
export function activeAccounts(accounts: Account[]): string[] {
  return accounts.filter((a) => (a.State ?? a.Status ?? 'ACTIVE') === 'ACTIVE' && a.Id !== undefined).map((a) => a.Id as string);
}
