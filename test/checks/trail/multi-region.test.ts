import { expect } from 'chai';
import { check } from '../../../checks/trail/multi-region.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { Fixture, MANAGEMENT, MEMBER, STANDALONE, accountResource, pointers, selectors, standaloneResult } from '../account-trail-estate.js';


describe('trail.multi-region', () => {
  it('PASSes an account with its own logging multi-region trail recording read and write management events', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main' });
    expect(r.status).to.equal('PASS');
    expect(r.account).to.equal(STANDALONE);
    expect(r.region).to.equal('global');
    expect(r.message).to.equal(`Account ${STANDALONE} is recorded by logging multi-region trail main, which records read and write management events.`);
    expect(pointers(r)).to.have.members([
      `accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IsMultiRegionTrail`,
      `accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json#/IsLogging`,
      `accounts/${STANDALONE}/us-east-1/cloudtrail/GetEventSelectors/main.json#/EventSelectors/0`,
    ]);
  });

  it('PASSes a member account through the organization trail it sees as organization-foreign', () => {
    const f = new Fixture([MANAGEMENT, MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    const results = runCheck(check, f.build());
    const r = resultFor(results, accountResource(MEMBER));
    expect(r.status).to.equal('PASS');
    expect(r.message).to.contain('trail org-trail');
    expect(r.details).to.deep.include({ trail: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org-trail` });
    expect(resultFor(results, accountResource(MANAGEMENT)).status).to.equal('PASS');
  });

  it('PASSes a member whose DescribeTrails does not list the organization trail, through its membership', () => {
    const f = new Fixture([MANAGEMENT, MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, hiddenFrom: [MEMBER] });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('PASS');
    expect(pointers(r)).to.include(`accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json#/IsLogging`);
  });

  it('PASSes through a multi-region trail homed in another region, seen here as a shadow trail', () => {
    const f = new Fixture([STANDALONE], ['us-east-1']).standalone(STANDALONE);
    f.trail({ account: STANDALONE, name: 'dublin', home: 'eu-west-1', filesAt: { account: STANDALONE, region: 'us-east-1' } });
    const r = resultFor(runCheck(check, f.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('PASS');
    expect(r.message).to.contain('trail dublin');
    expect(pointers(r)).to.include(`accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IsMultiRegionTrail`);
  });

  it('PASSes advanced selectors that record reads and writes in separate selectors', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', selectors: selectors.splitAdvanced });
    expect(r.status).to.equal('PASS');
    expect(pointers(r)).to.include.members([
      `accounts/${STANDALONE}/us-east-1/cloudtrail/GetEventSelectors/main.json#/AdvancedEventSelectors/0`,
      `accounts/${STANDALONE}/us-east-1/cloudtrail/GetEventSelectors/main.json#/AdvancedEventSelectors/1`,
    ]);
  });

  it('PASSes a trail that excludes a management event source, naming the exclusion', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', selectors: selectors.excludingKms });
    expect(r.status).to.equal('PASS');
    expect(r.message).to.contain('leaves out kms.amazonaws.com (judged by trail.management-events)');
    expect(r.details).to.deep.include({ excludedSources: ['kms.amazonaws.com'] });
  });

  it('FAILs an account whose only multi-region trail is not logging', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'prod-trail', logging: false });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(
      `Account ${STANDALONE} has no logging multi-region trail recording read and write management events (trail prod-trail: not logging).`,
    );
    expect(pointers(r)).to.include(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/prod-trail.json#/IsLogging`);
  });

  it('FAILs a trail that records write-only management events', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'writes', selectors: selectors.writeOnly });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain('trail writes: records write-only management events');
  });

  it('FAILs an account with only a single-region trail, and one with no trail at all', () => {
    const f = new Fixture([STANDALONE, MEMBER]).standalone(STANDALONE).standalone(MEMBER);
    f.trail({ account: STANDALONE, name: 'local', multiRegion: false });
    const results = runCheck(check, f.build());
    const single = resultFor(results, accountResource(STANDALONE));
    expect(single.status).to.equal('FAIL');
    expect(single.message).to.contain('trail local: not multi-region');
    expect(pointers(single)).to.include(`accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IsMultiRegionTrail`);
    const none = resultFor(results, accountResource(MEMBER));
    expect(none.status).to.equal('FAIL');
    expect(none.message).to.contain('(no trail records the account)');
    expect(pointers(none)).to.have.members([
      `accounts/${MEMBER}/eu-west-1/cloudtrail/DescribeTrails.json#/trailList`,
      `accounts/${MEMBER}/us-east-1/cloudtrail/DescribeTrails.json#/trailList`,
    ]);
  });

  it('ERRORs naming the file when GetTrailStatus was denied for the only candidate trail', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', logging: { error: 'AccessDeniedException' } });
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json holds a failed call: AccessDeniedException`);
    expect(r.message).to.contain('trail main could not be judged');
    expect(pointers(r)).to.deep.equal([`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json#/$error`]);
  });

  it('ERRORs naming the file when GetEventSelectors was denied or never collected', () => {
    const denied = new Fixture([STANDALONE]).standalone(STANDALONE);
    denied.trail({ account: STANDALONE, name: 'main', selectors: { error: 'AccessDeniedException' } });
    const d = resultFor(runCheck(check, denied.build()), accountResource(STANDALONE));
    expect(d.status).to.equal('ERROR');
    expect(d.message).to.contain('GetEventSelectors/main.json holds a failed call: AccessDeniedException');

    const missing = new Fixture([STANDALONE]).standalone(STANDALONE);
    missing.trail({ account: STANDALONE, name: 'main', selectors: null });
    const m = resultFor(runCheck(check, missing.build()), accountResource(STANDALONE));
    expect(m.status).to.equal('ERROR');
    expect(m.message).to.contain(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetEventSelectors/main.json is missing from the bundle`);
  });

  it('FAILs rather than ERRORs when a readable fact already rules the trail out', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', logging: { error: 'AccessDeniedException' }, selectors: selectors.writeOnly });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain('records write-only management events');
  });

  it('PASSes when another trail qualifies although one trail could not be read', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.trail({ account: STANDALONE, name: 'a-broken', logging: { error: 'AccessDeniedException' } });
    f.trail({ account: STANDALONE, name: 'b-good' });
    expect(resultFor(runCheck(check, f.build()), accountResource(STANDALONE)).status).to.equal('PASS');
  });

  it('is MANUAL for a member whose organization trail lives in a management account that was not collected', () => {
    const f = new Fixture([MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('MANUAL');
    expect(r.message).to.contain(`Trail org-trail of account ${MANAGEMENT}, which records account ${MEMBER}, was not collected`);
  });

  it('PASSes a member-only bundle whose organization trail status was collected where the member sees it', () => {
    const f = new Fixture([MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, filesAt: { account: MEMBER, region: 'us-east-1' } });
    expect(resultFor(runCheck(check, f.build()), accountResource(MEMBER)).status).to.equal('PASS');
  });

  it('ERRORs naming DescribeTrails when no region of the account could be listed', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.describeTrailsFails(STANDALONE, 'eu-west-1', 'AccessDeniedException').describeTrailsFails(STANDALONE, 'us-east-1', null);
    const r = resultFor(runCheck(check, f.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`accounts/${STANDALONE}/eu-west-1/cloudtrail/DescribeTrails.json holds a failed call: AccessDeniedException`);
  });

  it('FAILs when one region could not be listed but another shows no multi-region trail', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.describeTrailsFails(STANDALONE, 'eu-west-1', null);
    const r = resultFor(runCheck(check, f.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('FAIL');
    expect(pointers(r)).to.deep.equal([`accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList`]);
  });

  it('PASSes a member none of whose regions could be listed, covered by the organization trail', () => {
    const f = new Fixture([MANAGEMENT, MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    f.describeTrailsFails(MEMBER, 'eu-west-1', 'AccessDeniedException').describeTrailsFails(MEMBER, 'us-east-1', null);
    expect(resultFor(runCheck(check, f.build()), accountResource(MEMBER)).status).to.equal('PASS');
  });

  it('is NOT_APPLICABLE for an account with no enabled region in scope', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.builder.put(STANDALONE, 'global', 'ec2/DescribeRegions.json', { Regions: [{ RegionName: 'ap-south-1', OptInStatus: 'opt-in-not-required' }] });
    const r = resultFor(runCheck(check, f.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('NOT_APPLICABLE');
    expect(pointers(r)).to.deep.equal([`accounts/${STANDALONE}/global/ec2/DescribeRegions.json#/Regions`]);
  });
});
