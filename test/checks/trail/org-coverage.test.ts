import { expect } from 'chai';
import { check } from '../../../checks/trail/org-coverage.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { Fixture, MANAGEMENT, MEMBER, ORG_ID, SECOND_MEMBER, STANDALONE, accountResource, pointers, standaloneResult } from '../account-trail-estate.js';

const SERVICE_ACCESS = `accounts/${MANAGEMENT}/global/organizations/ListAWSServiceAccessForOrganization.json`;

function organization(serviceAccess?: string[] | { error: string } | null): Fixture {
  const f = new Fixture([MANAGEMENT, MEMBER]);
  return serviceAccess === undefined ? f.organization(MANAGEMENT, [MEMBER]) : f.organization(MANAGEMENT, [MEMBER], serviceAccess);
}

describe('trail.org-coverage', () => {
  it('PASSes the management and member accounts covered by a logging multi-region organization trail with trusted access', () => {
    const f = organization();
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    const results = runCheck(check, f.build());
    const member = resultFor(results, accountResource(MEMBER));
    expect(member.status).to.equal('PASS');
    expect(member.message).to.equal(
      `Account ${MEMBER} is covered by organization trail org-trail (multi-region, logging, owned by management account ${MANAGEMENT}) and CloudTrail trusted access is enabled for organization ${ORG_ID}.`,
    );
    expect(pointers(member)).to.have.members([
      `accounts/${MANAGEMENT}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IsOrganizationTrail`,
      `accounts/${MANAGEMENT}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IsMultiRegionTrail`,
      `accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json#/IsLogging`,
      `${SERVICE_ACCESS}#/EnabledServicePrincipals/0`,
    ]);
    expect(resultFor(results, accountResource(MANAGEMENT)).status).to.equal('PASS');
  });

  it('PASSes a member whose DescribeTrails does not list the organization trail, covered through membership', () => {
    const f = organization();
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, hiddenFrom: [MEMBER] });
    expect(resultFor(runCheck(check, f.build()), accountResource(MEMBER)).status).to.equal('PASS');
  });

  it('PASSes a member whose DescribeTrails could not be read at all, covered through membership', () => {
    const f = organization();
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    f.describeTrailsFails(MEMBER, 'eu-west-1', 'AccessDeniedException').describeTrailsFails(MEMBER, 'us-east-1', null);
    expect(resultFor(runCheck(check, f.build()), accountResource(MEMBER)).status).to.equal('PASS');
  });

  it('FAILs saying that CloudTrail trusted access is not enabled', () => {
    const f = organization(['config.amazonaws.com']);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(
      `Account ${MEMBER} is not covered by its organization's CloudTrail: CloudTrail trusted access is not enabled for organization ${ORG_ID} (cloudtrail.amazonaws.com is not among its enabled service principals).`,
    );
    expect(pointers(r)).to.deep.equal([`${SERVICE_ACCESS}#/EnabledServicePrincipals`]);
  });

  it('FAILs saying the organization trail is not logging', () => {
    const f = organization();
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, logging: false });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(
      `Account ${MEMBER} is not covered by its organization's CloudTrail: no multi-region, logging organization trail owned by management account ${MANAGEMENT} covers it (trail org-trail: not logging).`,
    );
    expect(pointers(r)).to.include(`accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json#/IsLogging`);
  });

  it('FAILs an organization trail that is not multi-region', () => {
    const f = organization();
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, multiRegion: false });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain('(trail org-trail: not multi-region)');
  });

  it('FAILs when the management account has only a trail of its own, naming both missing conditions', () => {
    const f = organization(['config.amazonaws.com']);
    f.trail({ account: MANAGEMENT, name: 'management-only' });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain(`no multi-region, logging organization trail owned by management account ${MANAGEMENT} covers it (none was found); and CloudTrail trusted access is not enabled`);
    expect(pointers(r)).to.include(`accounts/${MEMBER}/us-east-1/cloudtrail/DescribeTrails.json#/trailList`);
    expect(r.details).to.have.property('missing').with.length(2);
  });

  it('FAILs every account when the only logging multi-region organization trail belongs to a member, not the management account', () => {
    const f = organization();
    f.trail({ account: MEMBER, name: 'member-org-trail', organization: true });
    const results = runCheck(check, f.build());
    for (const account of [MEMBER, MANAGEMENT]) {
      const r = resultFor(results, accountResource(account));
      expect(r.status, account).to.equal('FAIL');
      expect(r.message).to.equal(
        `Account ${account} is not covered by its organization's CloudTrail: no multi-region, logging organization trail owned by management account ${MANAGEMENT} covers it (none was found).`,
      );
    }
  });

  it('ERRORs naming ListAWSServiceAccessForOrganization when it was denied', () => {
    const f = organization({ error: 'AccessDeniedException' });
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.equal(
      `Account ${MEMBER}: CloudTrail trusted access could not be checked: ${SERVICE_ACCESS} holds a failed call: AccessDeniedException: AccessDeniedException (simulated)`,
    );
    expect(pointers(r)).to.deep.equal([`${SERVICE_ACCESS}#/$error`]);
  });

  it('FAILs on the organization trail even when trusted access could not be checked, and says so', () => {
    const f = organization({ error: 'AccessDeniedException' });
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, logging: false });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain(`Also, CloudTrail trusted access could not be checked: ${SERVICE_ACCESS} holds a failed call: AccessDeniedException`);
  });

  it('ERRORs naming GetTrailStatus of the organization trail when it was denied', () => {
    const f = organization();
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, logging: { error: 'AccessDeniedException' } });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`the status of organization trail org-trail could not be read: accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json holds a failed call`);
  });

  it('ERRORs for a member-only bundle where trusted access was not collected', () => {
    const f = new Fixture([MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, filesAt: { account: MEMBER, region: 'us-east-1' } });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`${SERVICE_ACCESS} is missing from the bundle`);
  });

  it('ERRORs, naming the missing status, when trusted access is known (from a delegated administrator) but the organization trail was not collected', () => {
    const f = new Fixture([MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.builder.put(MEMBER, 'global', 'organizations/ListAWSServiceAccessForOrganization.json', { EnabledServicePrincipals: [{ ServicePrincipal: 'cloudtrail.amazonaws.com' }] });
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`the status of organization trail org-trail could not be read (management account ${MANAGEMENT} is not in the audited scope)`);
    expect(r.message).to.contain(`accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json is missing from the bundle`);
  });

  it('ERRORs rather than FAILing "none was found" when only the member\'s own trails were listed', () => {
    const f = new Fixture([MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.builder.put(MEMBER, 'global', 'organizations/ListAWSServiceAccessForOrganization.json', { EnabledServicePrincipals: [{ ServicePrincipal: 'cloudtrail.amazonaws.com' }] });
    f.trail({ account: MEMBER, name: 'member-own' });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`the trails of management account ${MANAGEMENT}, which owns the organization trails, could not be listed`);
    expect(r.message).not.to.contain('none was found');
  });

  it('PASSes a member-only bundle holding the management account\'s listing of its organization trail (a narrowed collection)', () => {
    const f = new Fixture([MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.builder.put(MEMBER, 'global', 'organizations/ListAWSServiceAccessForOrganization.json', { EnabledServicePrincipals: [{ ServicePrincipal: 'cloudtrail.amazonaws.com' }] });
    const arn = f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, hiddenFrom: [MEMBER] });
    const bundle = f.build();
    // Only the management account's own listing names the organization trail, as in moto.
    bundle.describeTrails(MANAGEMENT, 'us-east-1', [{ Name: 'org-trail', TrailARN: arn, HomeRegion: 'us-east-1', S3BucketName: 'org-trail-logs', IsMultiRegionTrail: true, IsOrganizationTrail: true }]);
    bundle.put(MANAGEMENT, 'us-east-1', 'cloudtrail/GetTrailStatus/org-trail.json', { IsLogging: true });
    const r = resultFor(runCheck(check, bundle), accountResource(MEMBER));
    expect(r.status).to.equal('PASS');
    expect(pointers(r)).to.include(`accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json#/IsLogging`);
  });

  it('is NOT_APPLICABLE for every account when there is no organization', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main' });
    expect(r.status).to.equal('NOT_APPLICABLE');
    expect(r.message).to.equal(`Account ${STANDALONE} is not in an AWS Organization.`);
    expect(pointers(r)).to.deep.equal([`accounts/${STANDALONE}/global/organizations/DescribeOrganization.json#/$error`]);
  });

  it('ERRORs rather than calling an account standalone when DescribeOrganization was denied', () => {
    const f = new Fixture([STANDALONE]);
    f.builder.putError(STANDALONE, 'global', 'organizations/DescribeOrganization.json', 'AccessDeniedException');
    const r = resultFor(runCheck(check, f.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain('cannot tell whether it is in an AWS Organization');
    expect(r.message).to.contain('DescribeOrganization.json holds a failed call: AccessDeniedException');
  });

  it('is NOT_APPLICABLE for audited accounts that are not members: standalone, or in another organization', () => {
    const f = new Fixture([MANAGEMENT, MEMBER, SECOND_MEMBER, STANDALONE]).organization(MANAGEMENT, [MEMBER]).standalone(SECOND_MEMBER);
    f.builder.put(STANDALONE, 'global', 'organizations/DescribeOrganization.json', { Organization: { Id: 'o-someoneelse', MasterAccountId: '999999999999' } });
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    const results = runCheck(check, f.build());
    const standalone = resultFor(results, accountResource(SECOND_MEMBER));
    expect(standalone.status).to.equal('NOT_APPLICABLE');
    expect(standalone.message).to.equal(`Account ${SECOND_MEMBER} is not in an AWS Organization.`);
    const other = resultFor(results, accountResource(STANDALONE));
    expect(other.status).to.equal('NOT_APPLICABLE');
    expect(other.message).to.equal(`Account ${STANDALONE} is not a member of organization ${ORG_ID}.`);
    expect(pointers(other)).to.deep.equal([`accounts/${STANDALONE}/global/organizations/DescribeOrganization.json#/Organization/Id`]);
  });

  it('decides membership from ListAccounts when the account cannot describe its organization, and ERRORs when neither answers', () => {
    const listed = new Fixture([MANAGEMENT, STANDALONE]).organization(MANAGEMENT, [MEMBER]);
    listed.builder.putError(STANDALONE, 'global', 'organizations/DescribeOrganization.json', 'AccessDeniedException');
    const r = resultFor(runCheck(check, listed.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('NOT_APPLICABLE');
    expect(pointers(r)).to.deep.equal([`accounts/${MANAGEMENT}/global/organizations/ListAccounts.json#/Accounts`]);

    const unknown = new Fixture([MANAGEMENT, STANDALONE]).organization(MANAGEMENT, [MEMBER]);
    unknown.builder.putError(STANDALONE, 'global', 'organizations/DescribeOrganization.json', 'AccessDeniedException');
    unknown.builder.putError(MANAGEMENT, 'global', 'organizations/ListAccounts.json', 'AccessDeniedException');
    const e = resultFor(runCheck(check, unknown.build()), accountResource(STANDALONE));
    expect(e.status).to.equal('ERROR');
    expect(e.message).to.contain(`cannot tell whether it is a member of organization ${ORG_ID}`);
  });
});
