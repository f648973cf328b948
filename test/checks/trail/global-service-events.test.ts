import { expect } from 'chai';
import { check } from '../../../checks/trail/global-service-events.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { Fixture, MANAGEMENT, MEMBER, STANDALONE, accountResource, pointers, standaloneResult } from '../account-trail-estate.js';


describe('trail.global-service-events', () => {
  it('PASSes an account whose logging multi-region trail includes global service events', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main' });
    expect(r.status).to.equal('PASS');
    expect(r.message).to.equal(`Account ${STANDALONE} is recorded by logging multi-region trail main, which includes global service events.`);
    expect(pointers(r)).to.have.members([
      `accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IsMultiRegionTrail`,
      `accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IncludeGlobalServiceEvents`,
      `accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json#/IsLogging`,
    ]);
  });

  it('PASSes a member through the organization trail, whether or not its DescribeTrails lists it', () => {
    const f = new Fixture([MANAGEMENT, MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, hiddenFrom: [MEMBER] });
    expect(resultFor(runCheck(check, f.build()), accountResource(MEMBER)).status).to.equal('PASS');
  });

  it('PASSes through a shadow trail of a multi-region trail homed outside the audited regions', () => {
    const f = new Fixture([STANDALONE], ['us-east-1']).standalone(STANDALONE);
    f.trail({ account: STANDALONE, name: 'frankfurt', home: 'eu-central-1', filesAt: { account: STANDALONE, region: 'us-east-1' } });
    expect(resultFor(runCheck(check, f.build()), accountResource(STANDALONE)).status).to.equal('PASS');
  });

  it('FAILs a multi-region trail without global service events', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', globalServiceEvents: false });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(
      `Account ${STANDALONE} has no logging multi-region trail that includes global service events (IAM, STS) (trail main: does not include global service events).`,
    );
    expect(pointers(r)).to.include(`accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IncludeGlobalServiceEvents`);
  });

  it('FAILs a multi-region trail with global service events that is not logging', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', logging: false });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain('(trail main: not logging)');
  });

  it('FAILs a single-region trail that includes global service events', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'local', multiRegion: false });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain('(trail local: not multi-region)');
  });

  it('ERRORs naming GetTrailStatus when it was denied', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', logging: { error: 'AccessDeniedException' } });
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json holds a failed call: AccessDeniedException`);
  });

  it('ERRORs naming GetTrailStatus when it is missing from the bundle', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', logging: null });
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain('GetTrailStatus/main.json is missing from the bundle');
  });

  it('ERRORs naming DescribeTrails when no region of the account could be listed', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.describeTrailsFails(STANDALONE, 'eu-west-1', 'AccessDeniedException').describeTrailsFails(STANDALONE, 'us-east-1', 'AccessDeniedException');
    const r = resultFor(runCheck(check, f.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain('DescribeTrails.json holds a failed call: AccessDeniedException');
  });

  it('is NOT_APPLICABLE for an account with no enabled region in scope', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.builder.put(STANDALONE, 'global', 'ec2/DescribeRegions.json', { Regions: [{ RegionName: 'ap-south-1', OptInStatus: 'opt-in-not-required' }] });
    const r = resultFor(runCheck(check, f.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('NOT_APPLICABLE');
    expect(r.message).to.contain('has no enabled region in the audited scope');
  });
});
