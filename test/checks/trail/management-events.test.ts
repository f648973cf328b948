import { expect } from 'chai';
import { check } from '../../../checks/trail/management-events.js';
import { describeCheck } from '../../../src/check-tester.js';
import { accountResource, fixtureBundle, MANAGEMENT, MEMBER, noRegionInScopeBundle, pointers, selectors, STANDALONE, standaloneBundle } from '../account-trail-estate.js';

const SELF = accountResource(STANDALONE);
const OF_MEMBER = accountResource(MEMBER);

describeCheck(check, {
  valid: [
    {
      name: 'a member whose every region is recorded by the organization trail, citing its status and selectors',
      bundle: fixtureBundle([MANAGEMENT, MEMBER], (f) => {
        f.organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
      }),
      resource: OF_MEMBER, status: 'PASS', messageId: 'covered',
      check(r) {
        expect(r.message).to.equal(
          `Every region of account ${MEMBER} (eu-west-1, us-east-1) is recorded by a logging trail that records all read and write management events (trail org-trail).`,
        );
        expect(pointers(r)).to.have.members([
          `accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json#/IsLogging`,
          `accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetEventSelectors/org-trail.json#/EventSelectors/0`,
        ]);
      },
    },
    {
      name: 'a member whose DescribeTrails does not list the organization trail',
      bundle: fixtureBundle([MANAGEMENT, MEMBER], (f) => {
        f.organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, hiddenFrom: [MEMBER] });
      }),
      resource: OF_MEMBER, status: 'PASS', messageId: 'covered',
    },
    { name: 'split advanced selectors (readOnly true and false in separate selectors)', bundle: standaloneBundle({ selectors: selectors.splitAdvanced }), resource: SELF, status: 'PASS', messageId: 'covered' },
    {
      name: 'every region through a multi-region trail homed elsewhere, seen as a shadow trail', bundle: standaloneBundle({ name: 'dublin', home: 'eu-west-1' }), resource: SELF, status: 'PASS', messageId: 'covered',
      check: (r) => expect(r.details).to.deep.equal({
        regions: {
          'eu-west-1': `covered by arn:aws:cloudtrail:eu-west-1:${STANDALONE}:trail/dublin`,
          'us-east-1': `covered by arn:aws:cloudtrail:eu-west-1:${STANDALONE}:trail/dublin`,
        },
      }),
    },
    {
      name: 'a member region that could not be listed when the organization trail covers it',
      bundle: fixtureBundle([MANAGEMENT, MEMBER], (f) => {
        f.organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
        f.describeTrailsFails(MEMBER, 'eu-west-1', 'AccessDeniedException');
      }),
      resource: OF_MEMBER, status: 'PASS', messageId: 'covered',
    },
    {
      name: 'an account with no enabled region in scope',
      bundle: noRegionInScopeBundle(),
      resource: SELF, status: 'NOT_APPLICABLE', messageId: 'noRegions', check: (r) => expect(r.message).to.contain('has no enabled region in the audited scope'),
    },
  ],
  invalid: [
    {
      name: 'a trail that excludes KMS events, listing the regions and the exclusion', bundle: standaloneBundle({ selectors: selectors.excludingKms }), resource: SELF, status: 'FAIL', messageId: 'gaps',
      check(r) {
        expect(r.message).to.equal(
          `Account ${STANDALONE} has regions where not every management event is recorded: eu-west-1, us-east-1: trail main records read and write management events but excludes kms.amazonaws.com.`,
        );
        expect(pointers(r)).to.include(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetEventSelectors/main.json#/EventSelectors/0`);
      },
    },
    {
      name: 'write-only management events', bundle: standaloneBundle({ selectors: selectors.writeOnly }), resource: SELF, status: 'FAIL', messageId: 'gaps',
      check: (r) => expect(r.message).to.contain('trail main records write-only management events'),
    },
    {
      name: 'a multi-region trail that is not logging', bundle: standaloneBundle({ logging: false }), resource: SELF, status: 'FAIL', messageId: 'gaps',
      check(r) {
        expect(r.message).to.contain('eu-west-1, us-east-1: trail main is not logging');
        expect(pointers(r)).to.include(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json#/IsLogging`);
      },
    },
    {
      name: 'the region a single-region trail leaves unrecorded, and only that region', bundle: standaloneBundle({ name: 'virginia', multiRegion: false }), resource: SELF, status: 'FAIL', messageId: 'gaps',
      check(r) {
        expect(r.message).to.equal(`Account ${STANDALONE} has regions where not every management event is recorded: eu-west-1: no trail records the region.`);
        expect(pointers(r)).to.deep.equal([`accounts/${STANDALONE}/eu-west-1/cloudtrail/DescribeTrails.json#/trailList`]);
      },
    },
    {
      name: 'a denied GetTrailStatus, naming it', bundle: standaloneBundle({ logging: { error: 'AccessDeniedException' } }), resource: SELF, status: 'ERROR',
      check(r) {
        expect(r.message).to.contain(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json holds a failed call: AccessDeniedException`);
        expect(pointers(r)).to.deep.equal([`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json#/$error`]);
      },
    },
    {
      name: 'a denied GetEventSelectors, naming it', bundle: standaloneBundle({ selectors: { error: 'AccessDeniedException' } }), resource: SELF, status: 'ERROR',
      check: (r) => expect(r.message).to.contain('GetEventSelectors/main.json holds a failed call: AccessDeniedException'),
    },
    {
      name: 'a region that could not be listed and no known trail covers, naming DescribeTrails',
      bundle: fixtureBundle([STANDALONE], (f) => {
        f.standalone(STANDALONE);
        f.trail({ account: STANDALONE, name: 'virginia', multiRegion: false });
        f.describeTrailsFails(STANDALONE, 'eu-west-1', null);
      }),
      resource: SELF, status: 'ERROR',
      check(r) {
        expect(r.message).to.contain(`region eu-west-1: no trail is proven to record every management event, and the region's trails could not be listed`);
        expect(r.message).to.contain(`accounts/${STANDALONE}/eu-west-1/cloudtrail/DescribeTrails.json is missing from the bundle`);
      },
    },
    {
      name: 'an uncovered region, saying which other region could not be decided',
      bundle: fixtureBundle([STANDALONE], (f) => {
        f.standalone(STANDALONE);
        f.describeTrailsFails(STANDALONE, 'eu-west-1', 'AccessDeniedException');
      }),
      resource: SELF, status: 'FAIL', messageId: 'gaps',
      check(r) {
        expect(r.message).to.equal(
          `Account ${STANDALONE} has regions where not every management event is recorded: us-east-1: no trail records the region. Could not decide eu-west-1 (see details).`,
        );
        expect((r.details?.regions as Record<string, string>)['eu-west-1']).to.contain('DescribeTrails.json holds a failed call: AccessDeniedException');
      },
    },
    {
      name: 'a member whose organization trail lives in a management account that was not collected',
      bundle: fixtureBundle([MEMBER], (f) => {
        f.organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
      }),
      resource: OF_MEMBER, status: 'MANUAL',
      check: (r) => expect(r.message).to.contain(`Trail org-trail of account ${MANAGEMENT}, which records account ${MEMBER} in eu-west-1, was not collected`),
    },
    {
      name: 'a GetEventSelectors missing from the bundle, naming it', bundle: standaloneBundle({ selectors: null }), resource: SELF, status: 'ERROR',
      check: (r) => expect(r.message).to.contain(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetEventSelectors/main.json is missing from the bundle`),
    },
  ],
});
