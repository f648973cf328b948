import { expect } from 'chai';
import { check } from '../../../checks/trail/insights.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { Fixture, MANAGEMENT, MEMBER, STANDALONE, accountResource, pointers, standaloneResult } from '../account-trail-estate.js';

const INSIGHTS = `accounts/${STANDALONE}/us-east-1/cloudtrail/GetInsightSelectors/main.json`;

describe('trail.insights', () => {
  it('PASSes a logging trail with both Insights types, citing the selectors and the status', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main' });
    expect(r.status).to.equal('PASS');
    expect(r.message).to.equal(`Account ${STANDALONE} is recorded by logging trail main, which has Insights for ApiCallRateInsight and ApiErrorRateInsight.`);
    expect(pointers(r)).to.have.members([`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json#/IsLogging`, `${INSIGHTS}#/InsightSelectors`]);
  });

  it('PASSes a member through the organization trail it sees as organization-foreign', () => {
    const f = new Fixture([MANAGEMENT, MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    const r = resultFor(runCheck(check, f.build()), accountResource(MEMBER));
    expect(r.status).to.equal('PASS');
    expect(pointers(r)).to.include(`accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetInsightSelectors/org-trail.json#/InsightSelectors`);
  });

  it('PASSes a single-region trail with both types: Insights does not require a multi-region trail', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.trail({ account: STANDALONE, name: 'main', multiRegion: false });
    expect(resultFor(runCheck(check, f.build()), accountResource(STANDALONE)).status).to.equal('PASS');
  });

  it('FAILs a trail with only the API call rate type, naming the missing type', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', insights: ['ApiCallRateInsight'] });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.equal(
      `Account ${STANDALONE} has no logging trail with Insights for both ApiCallRateInsight and ApiErrorRateInsight (trail main: ApiErrorRateInsight missing (only ApiCallRateInsight enabled)).`,
    );
    expect(pointers(r)).to.include(`${INSIGHTS}#/InsightSelectors`);
  });

  it('FAILs a trail whose GetInsightSelectors answered InsightNotEnabledException', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', insights: [] });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain('(trail main: no Insights enabled)');
    expect(pointers(r)).to.include(`${INSIGHTS}#/$error`);
  });

  it('FAILs from DescribeTrails HasInsightSelectors false when GetInsightSelectors was not called', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', insights: null });
    expect(r.status).to.equal('FAIL');
    expect(pointers(r)).to.include(`accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/HasInsightSelectors`);
  });

  it('FAILs a trail with both types that is not logging', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', logging: false });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain('(trail main: not logging)');
  });

  it('ERRORs naming GetInsightSelectors when it was denied', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', insights: { error: 'AccessDeniedException' } });
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`${INSIGHTS} holds a failed call: AccessDeniedException`);
    expect(pointers(r)).to.deep.equal([`${INSIGHTS}#/$error`]);
  });

  it('ERRORs naming GetInsightSelectors when a trail that has Insights selectors lacks the file', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.trail({ account: STANDALONE, name: 'main' });
    const builder = f.build().remove(INSIGHTS);
    const r = resultFor(runCheck(check, builder), accountResource(STANDALONE));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`${INSIGHTS} is missing from the bundle`);
  });

  it('ERRORs naming GetTrailStatus when it was denied', () => {
    const r = standaloneResult(check, { account: STANDALONE, name: 'main', logging: { error: 'AccessDeniedException' } });
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain('GetTrailStatus/main.json holds a failed call: AccessDeniedException');
  });

  it('ERRORs naming DescribeTrails when a region could not be listed and no known trail qualifies', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.trail({ account: STANDALONE, name: 'main', insights: [] });
    f.describeTrailsFails(STANDALONE, 'eu-west-1', null);
    const r = resultFor(runCheck(check, f.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('ERROR');
    expect(r.message).to.contain(`accounts/${STANDALONE}/eu-west-1/cloudtrail/DescribeTrails.json is missing from the bundle`);
  });

  it('is MANUAL for a member whose organization trail lives in a management account that was not collected', () => {
    const f = new Fixture([MEMBER]).organization(MANAGEMENT, [MEMBER]);
    f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
    expect(resultFor(runCheck(check, f.build()), accountResource(MEMBER)).status).to.equal('MANUAL');
  });

  it('is NOT_APPLICABLE for an account with no enabled region in scope', () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.builder.put(STANDALONE, 'global', 'ec2/DescribeRegions.json', { Regions: [{ RegionName: 'ap-south-1', OptInStatus: 'opt-in-not-required' }] });
    const r = resultFor(runCheck(check, f.build()), accountResource(STANDALONE));
    expect(r.status).to.equal('NOT_APPLICABLE');
    expect(r.message).to.contain('has no enabled region in the audited scope');
  });
});
