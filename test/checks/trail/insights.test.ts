import { expect } from 'chai';
import { check } from '../../../checks/trail/insights.js';
import { describeCheck } from '../../../src/check-tester.js';
import { accountResource, Fixture, MANAGEMENT, MEMBER, noRegionInScopeBundle, pointers, STANDALONE, type TrailSpec } from '../account-trail-estate.js';

const INSIGHTS = `accounts/${STANDALONE}/us-east-1/cloudtrail/GetInsightSelectors/main.json`;
const SELF = accountResource(STANDALONE);

/** A standalone account with one trail. */
function standalone(spec: Partial<TrailSpec> = {}): () => ReturnType<Fixture['build']> {
  return () => {
    const f = new Fixture([STANDALONE]).standalone(STANDALONE);
    f.trail({ account: STANDALONE, name: 'main', ...spec });
    return f.build();
  };
}

describeCheck(check, {
  valid: [
    {
      name: 'a logging trail with both Insights types, citing the selectors and the status', bundle: standalone(), resource: SELF, status: 'PASS', messageId: 'enabled',
      check(r) {
        expect(r.message).to.equal(`Account ${STANDALONE} is recorded by logging trail main, which has Insights for ApiCallRateInsight and ApiErrorRateInsight.`);
        expect(pointers(r)).to.have.members([`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json#/IsLogging`, `${INSIGHTS}#/InsightSelectors`]);
      },
    },
    {
      name: 'a member through the organization trail it sees as organization-foreign',
      bundle: () => {
        const f = new Fixture([MANAGEMENT, MEMBER]).organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
        return f.build();
      },
      resource: accountResource(MEMBER), status: 'PASS', messageId: 'enabled',
      check: (r) => expect(pointers(r)).to.include(`accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetInsightSelectors/org-trail.json#/InsightSelectors`),
    },
    { name: 'a single-region trail with both types: Insights does not require a multi-region trail', bundle: standalone({ multiRegion: false }), resource: SELF, status: 'PASS', messageId: 'enabled' },
    {
      name: 'an account with no enabled region in scope',
      bundle: noRegionInScopeBundle(),
      resource: SELF, status: 'NOT_APPLICABLE', messageId: 'noRegions',
      check: (r) => expect(r.message).to.contain('has no enabled region in the audited scope'),
    },
  ],
  invalid: [
    {
      name: 'a trail with only the API call rate type, naming the missing type', bundle: standalone({ insights: ['ApiCallRateInsight'] }), resource: SELF, status: 'FAIL', messageId: 'missing',
      check(r) {
        expect(r.message).to.equal(
          `Account ${STANDALONE} has no logging trail with Insights for both ApiCallRateInsight and ApiErrorRateInsight (trail main: ApiErrorRateInsight missing (only ApiCallRateInsight enabled)).`,
        );
        expect(pointers(r)).to.include(`${INSIGHTS}#/InsightSelectors`);
      },
    },
    {
      name: 'a trail whose GetInsightSelectors answered InsightNotEnabledException', bundle: standalone({ insights: [] }), resource: SELF, status: 'FAIL', messageId: 'missing',
      check(r) {
        expect(r.message).to.contain('(trail main: no Insights enabled)');
        expect(pointers(r)).to.include(`${INSIGHTS}#/$error`);
      },
    },
    {
      name: 'from DescribeTrails HasInsightSelectors false when GetInsightSelectors was not called', bundle: standalone({ insights: null }), resource: SELF, status: 'FAIL', messageId: 'missing',
      check: (r) => expect(pointers(r)).to.include(`accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/HasInsightSelectors`),
    },
    {
      name: 'a trail with both types that is not logging', bundle: standalone({ logging: false }), resource: SELF, status: 'FAIL', messageId: 'missing',
      check: (r) => expect(r.message).to.contain('(trail main: not logging)'),
    },
    {
      name: 'a denied GetInsightSelectors, naming it', bundle: standalone({ insights: { error: 'AccessDeniedException' } }), resource: SELF, status: 'ERROR',
      check(r) {
        expect(r.message).to.contain(`${INSIGHTS} holds a failed call: AccessDeniedException`);
        expect(pointers(r)).to.deep.equal([`${INSIGHTS}#/$error`]);
      },
    },
    {
      name: 'a trail that has Insights selectors but lacks the GetInsightSelectors file, naming it', bundle: () => standalone()().remove(INSIGHTS), resource: SELF, status: 'ERROR',
      check: (r) => expect(r.message).to.contain(`${INSIGHTS} is missing from the bundle`),
    },
    {
      name: 'a denied GetTrailStatus, naming it', bundle: standalone({ logging: { error: 'AccessDeniedException' } }), resource: SELF, status: 'ERROR',
      check: (r) => expect(r.message).to.contain('GetTrailStatus/main.json holds a failed call: AccessDeniedException'),
    },
    {
      name: 'a region that could not be listed while no known trail qualifies, naming DescribeTrails',
      bundle: () => {
        const f = new Fixture([STANDALONE]).standalone(STANDALONE);
        f.trail({ account: STANDALONE, name: 'main', insights: [] });
        f.describeTrailsFails(STANDALONE, 'eu-west-1', null);
        return f.build();
      },
      resource: SELF, status: 'ERROR',
      check: (r) => expect(r.message).to.contain(`accounts/${STANDALONE}/eu-west-1/cloudtrail/DescribeTrails.json is missing from the bundle`),
    },
    {
      name: 'a member whose organization trail lives in a management account that was not collected',
      bundle: () => {
        const f = new Fixture([MEMBER]).organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
        return f.build();
      },
      resource: accountResource(MEMBER), status: 'MANUAL',
    },
  ],
});
