import { expect } from 'chai';
import { check } from '../../../checks/trail/global-service-events.js';
import { describeCheck } from '../../../src/check-tester.js';
import { accountResource, Fixture, MANAGEMENT, MEMBER, noRegionInScopeBundle, pointers, STANDALONE, standaloneBundle } from '../account-trail-estate.js';

const SELF = accountResource(STANDALONE);

describeCheck(check, {
  valid: [
    {
      name: 'an account whose logging multi-region trail includes global service events', bundle: standaloneBundle(), resource: SELF, status: 'PASS', messageId: 'included',
      check(r) {
        expect(r.message).to.equal(`Account ${STANDALONE} is recorded by logging multi-region trail main, which includes global service events.`);
        expect(pointers(r)).to.have.members([
          `accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IsMultiRegionTrail`,
          `accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IncludeGlobalServiceEvents`,
          `accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json#/IsLogging`,
        ]);
      },
    },
    {
      name: 'a member through the organization trail, whether or not its DescribeTrails lists it',
      bundle: () => {
        const f = new Fixture([MANAGEMENT, MEMBER]).organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, hiddenFrom: [MEMBER] });
        return f.build();
      },
      resource: accountResource(MEMBER), status: 'PASS', messageId: 'included',
    },
    {
      name: 'through a shadow trail of a multi-region trail homed outside the audited regions',
      bundle: () => {
        const f = new Fixture([STANDALONE], ['us-east-1']).standalone(STANDALONE);
        f.trail({ account: STANDALONE, name: 'frankfurt', home: 'eu-central-1', filesAt: { account: STANDALONE, region: 'us-east-1' } });
        return f.build();
      },
      resource: SELF, status: 'PASS', messageId: 'included',
    },
    {
      name: 'an account with no enabled region in scope',
      bundle: noRegionInScopeBundle(),
      resource: SELF, status: 'NOT_APPLICABLE', messageId: 'noRegions',
      check: (r) => expect(r.message).to.contain('has no enabled region in the audited scope'),
    },
  ],
  invalid: [
    {
      name: 'a multi-region trail without global service events', bundle: standaloneBundle({ globalServiceEvents: false }), resource: SELF, status: 'FAIL', messageId: 'missing',
      check(r) {
        expect(r.message).to.equal(
          `Account ${STANDALONE} has no logging multi-region trail that includes global service events (IAM, STS) (trail main: does not include global service events).`,
        );
        expect(pointers(r)).to.include(`accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IncludeGlobalServiceEvents`);
      },
    },
    {
      name: 'a multi-region trail with global service events that is not logging', bundle: standaloneBundle({ logging: false }), resource: SELF, status: 'FAIL', messageId: 'missing',
      check: (r) => expect(r.message).to.contain('(trail main: not logging)'),
    },
    {
      name: 'a single-region trail that includes global service events', bundle: standaloneBundle({ name: 'local', multiRegion: false }), resource: SELF, status: 'FAIL', messageId: 'missing',
      check: (r) => expect(r.message).to.contain('(trail local: not multi-region)'),
    },
    {
      name: 'a denied GetTrailStatus, naming it', bundle: standaloneBundle({ logging: { error: 'AccessDeniedException' } }), resource: SELF, status: 'ERROR',
      check: (r) => expect(r.message).to.contain(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json holds a failed call: AccessDeniedException`),
    },
    {
      name: 'a GetTrailStatus missing from the bundle, naming it', bundle: standaloneBundle({ logging: null }), resource: SELF, status: 'ERROR',
      check: (r) => expect(r.message).to.contain('GetTrailStatus/main.json is missing from the bundle'),
    },
    {
      name: 'no region of the account listed, naming DescribeTrails',
      bundle: () => {
        const f = new Fixture([STANDALONE]).standalone(STANDALONE);
        f.describeTrailsFails(STANDALONE, 'eu-west-1', 'AccessDeniedException').describeTrailsFails(STANDALONE, 'us-east-1', 'AccessDeniedException');
        return f.build();
      },
      resource: SELF, status: 'ERROR',
      check: (r) => expect(r.message).to.contain('DescribeTrails.json holds a failed call: AccessDeniedException'),
    },
  ],
});
