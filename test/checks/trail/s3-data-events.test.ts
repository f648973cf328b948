import { expect } from 'chai';
import { check } from '../../../checks/trail/s3-data-events.js';
import { describeCheck } from '../../../src/check-tester.js';
import { accountResource, Fixture, MANAGEMENT, MEMBER, noRegionInScopeBundle, pointers, selectors, STANDALONE, standaloneBundle } from '../account-trail-estate.js';

const SELECTORS = `accounts/${STANDALONE}/us-east-1/cloudtrail/GetEventSelectors/main.json`;
const SELF = accountResource(STANDALONE);

describeCheck(check, {
  valid: [
    {
      name: 'a basic selector that records S3 object events of every bucket', bundle: standaloneBundle({ selectors: selectors.allManagementAndS3 }), resource: SELF, status: 'PASS', messageId: 'recorded',
      check(r) {
        expect(r.message).to.equal(`Account ${STANDALONE} is recorded by logging multi-region trail main, which records read and write S3 object events for all buckets.`);
        expect(pointers(r)).to.include(`${SELECTORS}#/EventSelectors/0`);
      },
    },
    {
      name: 'advanced selectors that record S3 object reads and writes in separate selectors', bundle: standaloneBundle({ selectors: selectors.splitAdvanced }), resource: SELF, status: 'PASS', messageId: 'recorded',
      check: (r) => expect(pointers(r)).to.include.members([`${SELECTORS}#/AdvancedEventSelectors/2`, `${SELECTORS}#/AdvancedEventSelectors/3`]),
    },
    {
      name: 'a member recorded by the organization trail it sees as organization-foreign',
      bundle: () => {
        const f = new Fixture([MANAGEMENT, MEMBER]).organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
        return f.build();
      },
      resource: accountResource(MEMBER), status: 'PASS', messageId: 'recorded', check: (r) => expect(r.message).to.contain('trail org-trail'),
    },
    {
      name: 'an account with no enabled region in scope',
      bundle: noRegionInScopeBundle(),
      resource: SELF, status: 'NOT_APPLICABLE', messageId: 'noRegions', check: (r) => expect(r.message).to.contain('has no enabled region in the audited scope'),
    },
  ],
  invalid: [
    {
      name: 'a selector that leaves out the log bucket by resources.ARN NotStartsWith, with the detail', bundle: standaloneBundle({ selectors: selectors.s3ExceptLogBucket }),
      resource: SELF, status: 'MANUAL', messageId: 'narrowed',
      check(r) {
        expect(r.message).to.contain(`Account ${STANDALONE}: logging multi-region trail main records S3 object events only in part (`);
        expect(r.message).to.contain('resources.ARN NotStartsWith arn:aws:s3:::org-trail-logs/');
        expect(pointers(r)).to.include(`${SELECTORS}#/AdvancedEventSelectors/1`);
      },
    },
    {
      name: 'a trail that records no S3 object events', bundle: standaloneBundle({ selectors: selectors.allManagement }), resource: SELF, status: 'FAIL', messageId: 'unrecorded',
      check(r) {
        expect(r.message).to.equal(
          `Account ${STANDALONE} has no logging multi-region trail recording S3 object-level read and write events for all buckets (trail main: records no S3 object events).`,
        );
        expect(pointers(r)).to.include(`${SELECTORS}#`);
      },
    },
    {
      name: 'a trail that records only S3 object writes',
      bundle: standaloneBundle({ selectors: { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] } }),
      resource: SELF, status: 'FAIL', messageId: 'unrecorded', check: (r) => expect(r.message).to.contain('only write events are recorded'),
    },
    {
      name: 'a multi-region trail with complete S3 selectors that is not logging', bundle: standaloneBundle({ logging: false }), resource: SELF, status: 'FAIL', messageId: 'unrecorded',
      check: (r) => expect(r.message).to.contain('(trail main: not logging)'),
    },
    {
      name: 'a single-region trail, even with complete S3 selectors', bundle: standaloneBundle({ multiRegion: false }), resource: SELF, status: 'FAIL', messageId: 'unrecorded',
      check: (r) => expect(r.message).to.contain('(trail main: not multi-region)'),
    },
    {
      name: 'a denied GetEventSelectors, naming it', bundle: standaloneBundle({ selectors: { error: 'AccessDeniedException' } }), resource: SELF, status: 'ERROR',
      check(r) {
        expect(r.message).to.contain(`${SELECTORS} holds a failed call: AccessDeniedException`);
        expect(pointers(r)).to.deep.equal([`${SELECTORS}#/$error`]);
      },
    },
    {
      name: 'another trail that could record everything could not be read (ERROR rather than MANUAL)',
      bundle: () => {
        const f = new Fixture([STANDALONE]).standalone(STANDALONE);
        f.trail({ account: STANDALONE, name: 'main', selectors: selectors.s3ExceptLogBucket });
        f.trail({ account: STANDALONE, name: 'second', logging: { error: 'AccessDeniedException' } });
        return f.build();
      },
      resource: SELF, status: 'ERROR', check: (r) => expect(r.message).to.contain('GetTrailStatus/second.json holds a failed call'),
    },
    {
      name: 'a member whose organization trail lives in a management account that was not collected',
      bundle: () => {
        const f = new Fixture([MEMBER]).organization(MANAGEMENT, [MEMBER]);
        f.trail({ account: MANAGEMENT, name: 'org-trail', organization: true });
        return f.build();
      },
      resource: accountResource(MEMBER), status: 'MANUAL',
      check: (r) => expect(r.message).to.contain(`Trail org-trail of account ${MANAGEMENT}, which records account ${MEMBER}, was not collected`),
    },
    {
      name: 'a GetEventSelectors missing from the bundle, naming it', bundle: standaloneBundle({ selectors: null }), resource: SELF, status: 'ERROR',
      check: (r) => expect(r.message).to.contain(`${SELECTORS} is missing from the bundle`),
    },
  ],
});
