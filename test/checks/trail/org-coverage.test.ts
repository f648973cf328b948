import { expect } from 'chai';
import { check } from '../../../checks/trail/org-coverage.js';
import { describeCheck } from '../../../src/check-tester.js';
import type { BundleBuilder } from '../../../fixtures/bundle-builder.js';
import { type Fixture, MANAGEMENT, MEMBER, ORG_ID, SECOND_MEMBER, STANDALONE, accountResource, fixtureBundle, pointers, standaloneBundle, type TrailSpec } from '../account-trail-estate.js';

const SERVICE_ACCESS = `accounts/${MANAGEMENT}/global/organizations/ListAWSServiceAccessForOrganization.json`;
const OF_MEMBER = accountResource(MEMBER);
const OF_MANAGEMENT = accountResource(MANAGEMENT);

/** The management account and a member, with `trail` (and the service access given, by default CloudTrail's and Config's). */
function organization(trail: Omit<TrailSpec, 'name'> & { name?: string }, serviceAccess?: string[] | { error: string } | null): () => BundleBuilder {
  return fixtureBundle([MANAGEMENT, MEMBER], (f) => {
    if (serviceAccess === undefined) f.organization(MANAGEMENT, [MEMBER]);
    else f.organization(MANAGEMENT, [MEMBER], serviceAccess);
    f.trail({ name: 'org-trail', ...trail });
  });
}

const ORG_TRAIL = { account: MANAGEMENT, organization: true };

/** A member-only bundle whose trusted access was read (as from a delegated administrator), set up further by `setup`. */
function memberOnly(setup: (f: Fixture) => void): () => BundleBuilder {
  return fixtureBundle([MEMBER], (f) => {
    f.organization(MANAGEMENT, [MEMBER]);
    f.builder.put(MEMBER, 'global', 'organizations/ListAWSServiceAccessForOrganization.json', { EnabledServicePrincipals: [{ ServicePrincipal: 'cloudtrail.amazonaws.com' }] });
    setup(f);
  });
}

/** The organization trail is owned by a member, not the management account. */
const memberOwned = organization({ account: MEMBER, name: 'member-org-trail', organization: true });

/** Audited accounts outside the organization: SECOND_MEMBER standalone, STANDALONE in another organization. */
const outsiders = fixtureBundle([MANAGEMENT, MEMBER, SECOND_MEMBER, STANDALONE], (f) => {
  f.organization(MANAGEMENT, [MEMBER]).standalone(SECOND_MEMBER);
  f.builder.put(STANDALONE, 'global', 'organizations/DescribeOrganization.json', { Organization: { Id: 'o-someoneelse', MasterAccountId: '999999999999' } });
  f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
});

/** STANDALONE cannot describe its organization; ListAccounts (of MANAGEMENT) leaves it out, or is denied too. */
function membershipFromListAccounts(listAccountsDenied: boolean): () => BundleBuilder {
  return fixtureBundle([MANAGEMENT, STANDALONE], (f) => {
    f.organization(MANAGEMENT, [MEMBER]);
    f.builder.putError(STANDALONE, 'global', 'organizations/DescribeOrganization.json', 'AccessDeniedException');
    if (listAccountsDenied) f.builder.putError(MANAGEMENT, 'global', 'organizations/ListAccounts.json', 'AccessDeniedException');
  });
}

describeCheck(check, {
  valid: [
    {
      name: 'a member covered by a logging multi-region organization trail with trusted access', bundle: organization(ORG_TRAIL), resource: OF_MEMBER, status: 'PASS', messageId: 'covered',
      check(r) {
        expect(r.message).to.equal(
          `Account ${MEMBER} is covered by organization trail org-trail (multi-region, logging, owned by management account ${MANAGEMENT}) and CloudTrail trusted access is enabled for organization ${ORG_ID}.`,
        );
        expect(pointers(r)).to.have.members([
          `accounts/${MANAGEMENT}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IsOrganizationTrail`,
          `accounts/${MANAGEMENT}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IsMultiRegionTrail`,
          `accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json#/IsLogging`,
          `${SERVICE_ACCESS}#/EnabledServicePrincipals/0`,
        ]);
      },
    },
    { name: 'the management account covered by its organization trail', bundle: organization(ORG_TRAIL), resource: OF_MANAGEMENT, status: 'PASS', messageId: 'covered' },
    { name: 'a member whose DescribeTrails does not list the organization trail, covered through membership', bundle: organization({ ...ORG_TRAIL, hiddenFrom: [MEMBER] }), resource: OF_MEMBER, status: 'PASS', messageId: 'covered' },
    {
      name: 'a member whose DescribeTrails could not be read at all, covered through membership',
      bundle: fixtureBundle([MANAGEMENT, MEMBER], (f) => {
        f.organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
        f.describeTrailsFails(MEMBER, 'eu-west-1', 'AccessDeniedException').describeTrailsFails(MEMBER, 'us-east-1', null);
      }),
      resource: OF_MEMBER, status: 'PASS', messageId: 'covered',
    },
    {
      name: 'a member-only bundle holding the management account\'s listing of its organization trail (a narrowed collection)',
      bundle: () => {
        let arn = '';
        const bundle = memberOnly((f) => {
          arn = f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, hiddenFrom: [MEMBER] });
        })();
        // Only the management account's own listing names the organization trail, as in moto.
        bundle.describeTrails(MANAGEMENT, 'us-east-1', [{ Name: 'org-trail', TrailARN: arn, HomeRegion: 'us-east-1', S3BucketName: 'org-trail-logs', IsMultiRegionTrail: true, IsOrganizationTrail: true }]);
        return bundle.put(MANAGEMENT, 'us-east-1', 'cloudtrail/GetTrailStatus/org-trail.json', { IsLogging: true });
      },
      resource: OF_MEMBER, status: 'PASS', messageId: 'covered',
      check: (r) => expect(pointers(r)).to.include(`accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json#/IsLogging`),
    },
    {
      name: 'every account when there is no organization', bundle: standaloneBundle(), resource: accountResource(STANDALONE), status: 'NOT_APPLICABLE', messageId: 'notInOrganization',
      check(r) {
        expect(r.message).to.equal(`Account ${STANDALONE} is not in an AWS Organization.`);
        expect(pointers(r)).to.deep.equal([`accounts/${STANDALONE}/global/organizations/DescribeOrganization.json#/$error`]);
      },
    },
    {
      name: 'an audited standalone account beside the organization', bundle: outsiders, resource: accountResource(SECOND_MEMBER), status: 'NOT_APPLICABLE', messageId: 'notInOrganization',
      check: (r) => expect(r.message).to.equal(`Account ${SECOND_MEMBER} is not in an AWS Organization.`),
    },
    {
      name: 'an audited account in another organization', bundle: outsiders, resource: accountResource(STANDALONE), status: 'NOT_APPLICABLE', messageId: 'notMember',
      check(r) {
        expect(r.message).to.equal(`Account ${STANDALONE} is not a member of organization ${ORG_ID}.`);
        expect(pointers(r)).to.deep.equal([`accounts/${STANDALONE}/global/organizations/DescribeOrganization.json#/Organization/Id`]);
      },
    },
    {
      name: 'an account that cannot describe its organization, decided from ListAccounts', bundle: membershipFromListAccounts(false), resource: accountResource(STANDALONE), status: 'NOT_APPLICABLE', messageId: 'notMember',
      check: (r) => expect(pointers(r)).to.deep.equal([`accounts/${MANAGEMENT}/global/organizations/ListAccounts.json#/Accounts`]),
    },
  ],
  invalid: [
    {
      name: 'CloudTrail trusted access not enabled, saying so', bundle: organization(ORG_TRAIL, ['config.amazonaws.com']), resource: OF_MEMBER, status: 'FAIL', messageId: 'uncovered',
      check(r) {
        expect(r.message).to.equal(
          `Account ${MEMBER} is not covered by its organization's CloudTrail: CloudTrail trusted access is not enabled for organization ${ORG_ID} (cloudtrail.amazonaws.com is not among its enabled service principals).`,
        );
        expect(pointers(r)).to.deep.equal([`${SERVICE_ACCESS}#/EnabledServicePrincipals`]);
      },
    },
    {
      name: 'an organization trail that is not logging, saying so', bundle: organization({ ...ORG_TRAIL, logging: false }), resource: OF_MEMBER, status: 'FAIL', messageId: 'uncovered',
      check(r) {
        expect(r.message).to.equal(
          `Account ${MEMBER} is not covered by its organization's CloudTrail: no multi-region, logging organization trail owned by management account ${MANAGEMENT} covers it (trail org-trail: not logging).`,
        );
        expect(pointers(r)).to.include(`accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json#/IsLogging`);
      },
    },
    {
      name: 'an organization trail that is not multi-region', bundle: organization({ ...ORG_TRAIL, multiRegion: false }), resource: OF_MEMBER, status: 'FAIL', messageId: 'uncovered',
      check: (r) => expect(r.message).to.contain('(trail org-trail: not multi-region)'),
    },
    {
      name: 'a management account with only a trail of its own, naming both missing conditions', bundle: organization({ account: MANAGEMENT, name: 'management-only' }, ['config.amazonaws.com']),
      resource: OF_MEMBER, status: 'FAIL', messageId: 'uncovered',
      check(r) {
        expect(r.message).to.contain(`no multi-region, logging organization trail owned by management account ${MANAGEMENT} covers it (none was found); and CloudTrail trusted access is not enabled`);
        expect(pointers(r)).to.include(`accounts/${MEMBER}/us-east-1/cloudtrail/DescribeTrails.json#/trailList`);
        expect(r.details).to.have.property('missing').with.length(2);
      },
    },
    ...[MEMBER, MANAGEMENT].map((account) => ({
      name: `account ${account} when the only logging multi-region organization trail belongs to a member, not the management account`, bundle: memberOwned,
      resource: accountResource(account), status: 'FAIL' as const, messageId: 'uncovered',
      check: (r: { message: string }) => expect(r.message).to.equal(
        `Account ${account} is not covered by its organization's CloudTrail: no multi-region, logging organization trail owned by management account ${MANAGEMENT} covers it (none was found).`,
      ),
    })),
    {
      name: 'a denied ListAWSServiceAccessForOrganization, naming it', bundle: organization(ORG_TRAIL, { error: 'AccessDeniedException' }), resource: OF_MEMBER, status: 'ERROR',
      check(r) {
        expect(r.message).to.equal(
          `Account ${MEMBER}: CloudTrail trusted access could not be checked: ${SERVICE_ACCESS} holds a failed call: AccessDeniedException: AccessDeniedException (simulated)`,
        );
        expect(pointers(r)).to.deep.equal([`${SERVICE_ACCESS}#/$error`]);
      },
    },
    {
      name: 'the organization trail not logging even when trusted access could not be checked, saying so', bundle: organization({ ...ORG_TRAIL, logging: false }, { error: 'AccessDeniedException' }),
      resource: OF_MEMBER, status: 'FAIL', messageId: 'uncovered',
      check: (r) => expect(r.message).to.contain(`Also, CloudTrail trusted access could not be checked: ${SERVICE_ACCESS} holds a failed call: AccessDeniedException`),
    },
    {
      name: 'a denied GetTrailStatus of the organization trail, naming it', bundle: organization({ ...ORG_TRAIL, logging: { error: 'AccessDeniedException' } }), resource: OF_MEMBER, status: 'ERROR',
      check: (r) => expect(r.message).to.contain(`the status of organization trail org-trail could not be read: accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json holds a failed call`),
    },
    {
      name: 'a member-only bundle where trusted access was not collected',
      bundle: fixtureBundle([MEMBER], (f) => {
        f.organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, filesAt: { account: MEMBER, region: 'us-east-1' } });
      }),
      resource: OF_MEMBER, status: 'ERROR', check: (r) => expect(r.message).to.contain(`${SERVICE_ACCESS} is missing from the bundle`),
    },
    {
      name: 'trusted access known (from a delegated administrator) but the organization trail not collected, naming the missing status',
      bundle: memberOnly((f) => f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true })),
      resource: OF_MEMBER, status: 'ERROR',
      check(r) {
        expect(r.message).to.contain(`the status of organization trail org-trail could not be read (management account ${MANAGEMENT} is not in the audited scope)`);
        expect(r.message).to.contain(`accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json is missing from the bundle`);
      },
    },
    {
      name: 'only the member\'s own trails listed (ERROR rather than FAIL "none was found")', bundle: memberOnly((f) => f.trail({ account: MEMBER, name: 'member-own' })),
      resource: OF_MEMBER, status: 'ERROR',
      check(r) {
        expect(r.message).to.contain(`the trails of management account ${MANAGEMENT}, which owns the organization trails, could not be listed`);
        expect(r.message).not.to.contain('none was found');
      },
    },
    {
      name: 'a denied DescribeOrganization (rather than calling the account standalone)',
      bundle: fixtureBundle([STANDALONE], (f) => f.builder.putError(STANDALONE, 'global', 'organizations/DescribeOrganization.json', 'AccessDeniedException')),
      resource: accountResource(STANDALONE), status: 'ERROR',
      check(r) {
        expect(r.message).to.contain('cannot tell whether it is in an AWS Organization');
        expect(r.message).to.contain('DescribeOrganization.json holds a failed call: AccessDeniedException');
      },
    },
    {
      name: 'an account that cannot describe its organization when ListAccounts does not answer either', bundle: membershipFromListAccounts(true), resource: accountResource(STANDALONE), status: 'ERROR',
      check: (r) => expect(r.message).to.contain(`cannot tell whether it is a member of organization ${ORG_ID}`),
    },
  ],
});
