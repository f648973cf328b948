import { expect } from 'chai';
import { check } from '../../../checks/trail/management-events.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { Fixture, MANAGEMENT, MEMBER, STANDALONE, accountResource, pointers, selectors, standaloneResult } from '../account-trail-estate.js';


describe('trail.management-events', () => {
  it('PASSes a member whose every region is recorded by the organization trail, citing its status and selectors', () => {
    const f = new Fixture([MANAGEMENT, MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('PASS');
    expect(r.message).to.equal(
      `Every region of account ${MEMBER} (eu-west-1, us-east-1) is recorded by a logging trail that records all read and write management events (trail org-trail).`,
    );
    expect(pointers(r)).to.have.members([
      `accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json#/IsLogging`,
      `accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetEventSelectors/org-trail.json#/EventSelectors/0`,
    ]);
  });

  it('PASSes a member whose DescribeTrails does not list the organization trail', () => {
    const f = new Fixture([MANAGEMENT, MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, hiddenFrom: [MEMBER] });
    expect(resultFor(runCheck(check, f.build()), accountResource(MEMBER)).status).to.equal('PASS');
  });

  it('PASSes split advanced selectors (readOnly true and false in separate selectors)', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.trail({ account: STANDALONE, name: 'main', selectors: selectors.splitAdvanced });
    expect(resultFor(runCheck(check, f.build()), accountResource(STANDALONE)).status).to.equal('PASS');
  });

  it('PASSes every region through a multi-region trail homed elsewhere, seen as a shadow trail', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'dublin', home: 'eu-west-1' });
    expect(r.status).to.equal('PASS');
    expect(r.details).to.deep.equal({
      regions: {
        'eu-west-1': `covered by arn:aws:cloudtrail:eu-west-1:${STANDALONE}:trail/dublin`,
        'us-east-1': `covered by arn:aws:cloudtrail:eu-west-1:${STANDALONE}:trail/dublin`,
      },
    });
  });

  it('FAILs a trail that excludes KMS events, listing the regions and the exclusion', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', selectors: selectors.excludingKms });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(
      `Account ${STANDALONE} has regions where not every management event is recorded: eu-west-1, us-east-1: trail main records read and write management events but excludes kms.amazonaws.com.`,
    );
    expect(pointers(r)).to.include(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetEventSelectors/main.json#/EventSelectors/0`);
  });

  it('FAILs write-only management events', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', selectors: selectors.writeOnly });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain('trail main records write-only management events');
  });

  it('FAILs a multi-region trail that is not logging', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', logging: false });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain('eu-west-1, us-east-1: trail main is not logging');
    expect(pointers(r)).to.include(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json#/IsLogging`);
  });

  it('FAILs the region a single-region trail leaves unrecorded, and only that region', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'virginia', multiRegion: false });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(`Account ${STANDALONE} has regions where not every management event is recorded: eu-west-1: no trail records the region.`);
    expect(pointers(r)).to.deep.equal([`accounts/${STANDALONE}/eu-west-1/cloudtrail/DescribeTrails.json#/trailList`]);
  });

  it('ERRORs naming GetTrailStatus when it was denied', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', logging: { error: 'AccessDeniedException' } });
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json holds a failed call: AccessDeniedException`);
    expect(pointers(r)).to.deep.equal([`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json#/$error`]);
  });

  it('ERRORs naming GetEventSelectors when it was denied', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', selectors: { error: 'AccessDeniedException' } });
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain('GetEventSelectors/main.json holds a failed call: AccessDeniedException');
  });

  it('ERRORs naming DescribeTrails for a region that could not be listed and no known trail covers', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.trail({ account: STANDALONE, name: 'virginia', multiRegion: false });
    f.describeTrailsFails(STANDALONE, 'eu-west-1', null);
    const r = resultFor(runCheck(check, f.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`region eu-west-1: no trail is proven to record every management event, and the region's trails could not be listed`);
    expect(r.message).to.contain(`accounts/${STANDALONE}/eu-west-1/cloudtrail/DescribeTrails.json is missing from the bundle`);
  });

  it('PASSes a member region that could not be listed when the organization trail covers it', () => {
    const f = new Fixture([MANAGEMENT, MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    f.describeTrailsFails(MEMBER, 'eu-west-1', 'AccessDeniedException');
    expect(resultFor(runCheck(check, f.build()), accountResource(MEMBER)).status).to.equal('PASS');
  });

  it('FAILs an uncovered region and says which other region could not be decided', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.describeTrailsFails(STANDALONE, 'eu-west-1', 'AccessDeniedException');
    const r = resultFor(runCheck(check, f.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(
      `Account ${STANDALONE} has regions where not every management event is recorded: us-east-1: no trail records the region. Could not decide eu-west-1 (see details).`,
    );
    expect((r.details?.regions as Record<string, string>)['eu-west-1']).to.contain('DescribeTrails.json holds a failed call: AccessDeniedException');
  });

  it('is MANUAL for a member whose organization trail lives in a management account that was not collected', () => {
    const f = new Fixture([MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('MANUAL');
    expect(r.message).to.contain(`Trail org-trail of account ${MANAGEMENT}, which records account ${MEMBER} in eu-west-1, was not collected`);
  });

  it('ERRORs naming GetEventSelectors when it is missing from the bundle', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', selectors: null });
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetEventSelectors/main.json is missing from the bundle`);
  });

  it('is NOT_APPLICABLE for an account with no enabled region in scope', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.builder.put(STANDALONE, 'global', 'ec2/DescribeRegions.json', { Regions: [{ RegionName: 'ap-south-1', OptInStatus: 'opt-in-not-required' }] });
    const r = resultFor(runCheck(check, f.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('NOT_APPLICABLE');
    expect(r.message).to.contain('has no enabled region in the audited scope');
  });
});
