import { expect } from 'chai';
import { check } from '../../../checks/trail/multi-region.js';
import { describeCheck } from '../../../src/check-tester.js';
import { accountResource, fixtureBundle, MANAGEMENT, MEMBER, noRegionInScopeBundle, pointers, selectors, STANDALONE, standaloneBundle } from '../account-trail-estate.js';

const SELF = accountResource(STANDALONE);
const OF_MEMBER = accountResource(MEMBER);

/** The management account and a member, recorded by org-trail. */
const organization = fixtureBundle([MANAGEMENT, MEMBER], (f) => {
  f.organization(MANAGEMENT, [MEMBER]);
  f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
});

/** STANDALONE with a single-region trail, MEMBER (standalone too) with none. */
const singleAndNone = fixtureBundle([STANDALONE, MEMBER], (f) => {
  f.standalone(STANDALONE).standalone(MEMBER);
  f.trail({ account: STANDALONE, name: 'local', multiRegion: false });
});

describeCheck(check, {
  valid: [
    {
      name: 'an account with its own logging multi-region trail recording read and write management events', bundle: standaloneBundle(), resource: SELF, status: 'PASS', messageId: 'recorded',
      check(r) {
        expect(r.account).to.equal(STANDALONE);
        expect(r.region).to.equal('global');
        expect(r.message).to.equal(`Account ${STANDALONE} is recorded by logging multi-region trail main, which records read and write management events.`);
        expect(pointers(r)).to.have.members([
          `accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IsMultiRegionTrail`,
          `accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json#/IsLogging`,
          `accounts/${STANDALONE}/us-east-1/cloudtrail/GetEventSelectors/main.json#/EventSelectors/0`,
        ]);
      },
    },
    {
      name: 'a member account through the organization trail it sees as organization-foreign', bundle: organization, resource: OF_MEMBER, status: 'PASS', messageId: 'recorded',
      check(r) {
        expect(r.message).to.contain('trail org-trail');
        expect(r.details).to.deep.include({ trail: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org-trail` });
      },
    },
    { name: 'the management account through its organization trail', bundle: organization, resource: accountResource(MANAGEMENT), status: 'PASS', messageId: 'recorded' },
    {
      name: 'a member whose DescribeTrails does not list the organization trail, through its membership',
      bundle: fixtureBundle([MANAGEMENT, MEMBER], (f) => {
        f.organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, hiddenFrom: [MEMBER] });
      }),
      resource: OF_MEMBER, status: 'PASS', messageId: 'recorded',
      check: (r) => expect(pointers(r)).to.include(`accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json#/IsLogging`),
    },
    {
      name: 'through a multi-region trail homed in another region, seen here as a shadow trail',
      bundle: fixtureBundle([STANDALONE], (f) => {
        f.standalone(STANDALONE);
        f.trail({ account: STANDALONE, name: 'dublin', home: 'eu-west-1', filesAt: { account: STANDALONE, region: 'us-east-1' } });
      }, ['us-east-1']),
      resource: SELF, status: 'PASS', messageId: 'recorded',
      check(r) {
        expect(r.message).to.contain('trail dublin');
        expect(pointers(r)).to.include(`accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IsMultiRegionTrail`);
      },
    },
    {
      name: 'advanced selectors that record reads and writes in separate selectors', bundle: standaloneBundle({ selectors: selectors.splitAdvanced }), resource: SELF, status: 'PASS', messageId: 'recorded',
      check: (r) => expect(pointers(r)).to.include.members([
        `accounts/${STANDALONE}/us-east-1/cloudtrail/GetEventSelectors/main.json#/AdvancedEventSelectors/0`,
        `accounts/${STANDALONE}/us-east-1/cloudtrail/GetEventSelectors/main.json#/AdvancedEventSelectors/1`,
      ]),
    },
    {
      name: 'a trail that excludes a management event source, naming the exclusion', bundle: standaloneBundle({ selectors: selectors.excludingKms }), resource: SELF, status: 'PASS', messageId: 'recorded',
      check(r) {
        expect(r.message).to.contain('leaves out kms.amazonaws.com (judged by trail.management-events)');
        expect(r.details).to.deep.include({ excludedSources: ['kms.amazonaws.com'] });
      },
    },
    {
      name: 'another trail that qualifies although one trail could not be read',
      bundle: fixtureBundle([STANDALONE], (f) => {
        f.standalone(STANDALONE);
        f.trail({ account: STANDALONE, name: 'a-broken', logging: { error: 'AccessDeniedException' } });
        f.trail({ account: STANDALONE, name: 'b-good' });
      }),
      resource: SELF, status: 'PASS', messageId: 'recorded',
    },
    {
      name: 'a member-only bundle whose organization trail status was collected where the member sees it',
      bundle: fixtureBundle([MEMBER], (f) => {
        f.organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true, filesAt: { account: MEMBER, region: 'us-east-1' } });
      }),
      resource: OF_MEMBER, status: 'PASS', messageId: 'recorded',
    },
    {
      name: 'a member none of whose regions could be listed, covered by the organization trail',
      bundle: fixtureBundle([MANAGEMENT, MEMBER], (f) => {
        f.organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
        f.describeTrailsFails(MEMBER, 'eu-west-1', 'AccessDeniedException').describeTrailsFails(MEMBER, 'us-east-1', null);
      }),
      resource: OF_MEMBER, status: 'PASS', messageId: 'recorded',
    },
    {
      name: 'an account with no enabled region in scope',
      bundle: noRegionInScopeBundle(),
      resource: SELF, status: 'NOT_APPLICABLE', messageId: 'noRegions',
      check: (r) => expect(pointers(r)).to.deep.equal([`accounts/${STANDALONE}/global/ec2/DescribeRegions.json#/Regions`]),
    },
  ],
  invalid: [
    {
      name: 'an account whose only multi-region trail is not logging', bundle: standaloneBundle({ name: 'prod-trail', logging: false }), resource: SELF, status: 'FAIL', messageId: 'unrecorded',
      check(r) {
        expect(r.message).to.equal(`Account ${STANDALONE} has no logging multi-region trail recording read and write management events (trail prod-trail: not logging).`);
        expect(pointers(r)).to.include(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/prod-trail.json#/IsLogging`);
      },
    },
    {
      name: 'a trail that records write-only management events', bundle: standaloneBundle({ name: 'writes', selectors: selectors.writeOnly }), resource: SELF, status: 'FAIL', messageId: 'unrecorded',
      check: (r) => expect(r.message).to.contain('trail writes: records write-only management events'),
    },
    {
      name: 'an account with only a single-region trail', bundle: singleAndNone, resource: SELF, status: 'FAIL', messageId: 'unrecorded',
      check(r) {
        expect(r.message).to.contain('trail local: not multi-region');
        expect(pointers(r)).to.include(`accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList/0/IsMultiRegionTrail`);
      },
    },
    {
      name: 'an account with no trail at all', bundle: singleAndNone, resource: OF_MEMBER, status: 'FAIL', messageId: 'unrecorded',
      check(r) {
        expect(r.message).to.contain('(no trail records the account)');
        expect(pointers(r)).to.have.members([
          `accounts/${MEMBER}/eu-west-1/cloudtrail/DescribeTrails.json#/trailList`,
          `accounts/${MEMBER}/us-east-1/cloudtrail/DescribeTrails.json#/trailList`,
        ]);
      },
    },
    {
      name: 'a denied GetTrailStatus for the only candidate trail, naming the file', bundle: standaloneBundle({ logging: { error: 'AccessDeniedException' } }), resource: SELF, status: 'ERROR',
      check(r) {
        expect(r.message).to.contain(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json holds a failed call: AccessDeniedException`);
        expect(r.message).to.contain('trail main could not be judged');
        expect(pointers(r)).to.deep.equal([`accounts/${STANDALONE}/us-east-1/cloudtrail/GetTrailStatus/main.json#/$error`]);
      },
    },
    {
      name: 'a denied GetEventSelectors, naming the file', bundle: standaloneBundle({ selectors: { error: 'AccessDeniedException' } }), resource: SELF, status: 'ERROR',
      check: (r) => expect(r.message).to.contain('GetEventSelectors/main.json holds a failed call: AccessDeniedException'),
    },
    {
      name: 'a GetEventSelectors never collected, naming the file', bundle: standaloneBundle({ selectors: null }), resource: SELF, status: 'ERROR',
      check: (r) => expect(r.message).to.contain(`accounts/${STANDALONE}/us-east-1/cloudtrail/GetEventSelectors/main.json is missing from the bundle`),
    },
    {
      name: 'a trail a readable fact already rules out, as FAIL rather than ERROR', bundle: standaloneBundle({ logging: { error: 'AccessDeniedException' }, selectors: selectors.writeOnly }),
      resource: SELF, status: 'FAIL', messageId: 'unrecorded', check: (r) => expect(r.message).to.contain('records write-only management events'),
    },
    {
      name: 'a member whose organization trail lives in a management account that was not collected',
      bundle: fixtureBundle([MEMBER], (f) => {
        f.organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
      }),
      resource: OF_MEMBER, status: 'MANUAL',
      check: (r) => expect(r.message).to.contain(`Trail org-trail of account ${MANAGEMENT}, which records account ${MEMBER}, was not collected`),
    },
    {
      name: 'no region of the account listed, naming DescribeTrails',
      bundle: fixtureBundle([STANDALONE], (f) => {
        f.standalone(STANDALONE);
        f.describeTrailsFails(STANDALONE, 'eu-west-1', 'AccessDeniedException').describeTrailsFails(STANDALONE, 'us-east-1', null);
      }),
      resource: SELF, status: 'ERROR',
      check: (r) => expect(r.message).to.contain(`accounts/${STANDALONE}/eu-west-1/cloudtrail/DescribeTrails.json holds a failed call: AccessDeniedException`),
    },
    {
      name: 'one region not listed while another shows no multi-region trail',
      bundle: fixtureBundle([STANDALONE], (f) => {
        f.standalone(STANDALONE);
        f.describeTrailsFails(STANDALONE, 'eu-west-1', null);
      }),
      resource: SELF, status: 'FAIL', messageId: 'unrecorded',
      check: (r) => expect(pointers(r)).to.deep.equal([`accounts/${STANDALONE}/us-east-1/cloudtrail/DescribeTrails.json#/trailList`]),
    },
  ],
});
