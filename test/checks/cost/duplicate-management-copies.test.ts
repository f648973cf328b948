import { expect } from 'chai';
import { check } from '../../../checks/cost/duplicate-management-copies.js';
import { describeCheck } from '../../../src/check-tester.js';
import { MANAGEMENT, MEMBER, Scenario, noManagementEvents } from '../log-bucket-estate.js';

const BUCKET = 'org-cloudtrail-logs';
const OF_MEMBER = `AWS::::Account:${MEMBER}`;
const OF_MANAGEMENT = `AWS::::Account:${MANAGEMENT}`;
const WRITE_ONLY = { EventSelectors: [{ ReadWriteType: 'WriteOnly' as const, IncludeManagementEvents: true }] };

/** An organization trail from the management account, and the member's own single-region trail in eu-west-1; `more` changes the scenario further. */
function orgWithMemberTrail(accounts = [MANAGEMENT, MEMBER], more: (s: Scenario) => void = () => undefined): () => ReturnType<Scenario['build']> {
  return () => {
    const s = new Scenario({ accounts }).organization(MANAGEMENT, [MEMBER]);
    s.trail({ account: MANAGEMENT, name: 'org-trail', bucket: BUCKET, organization: true });
    s.trail({ account: MEMBER, name: 'member-trail', bucket: 'member-logs', homeRegion: 'eu-west-1', multiRegion: false });
    more(s);
    return s.build();
  };
}

/** A scenario of the management account alone, set up by `setup`. */
function alone(setup: (s: Scenario) => void): () => ReturnType<Scenario['build']> {
  return () => {
    const s = new Scenario();
    setup(s);
    return s.build();
  };
}

describeCheck(check, {
  valid: [
    {
      name: 'a member region where only the organization trail records', bundle: orgWithMemberTrail(), resource: OF_MEMBER, region: 'us-east-1', status: 'PASS', messageId: 'one',
      check(r, all) {
        expect(all).to.have.length(4);
        expect(r.message).to.equal(`Account ${MEMBER} in us-east-1 records management events in at most one trail (org-trail), so only the free copy is made.`);
      },
    },
    { name: 'a management account region where only the organization trail records', bundle: orgWithMemberTrail(), resource: OF_MANAGEMENT, region: 'eu-west-1', status: 'PASS', messageId: 'one' },
    {
      name: 'a trail that records no management events, or one that is stopped, not counted',
      bundle: () => {
        const s = new Scenario({ accounts: [MANAGEMENT, MEMBER] }).organization(MANAGEMENT, [MEMBER]);
        s.trail({ account: MANAGEMENT, name: 'org-trail', bucket: BUCKET, organization: true });
        s.trail({ account: MEMBER, name: 'data-trail', bucket: 'member-logs', selectors: noManagementEvents });
        s.trail({ account: MEMBER, name: 'old-trail', bucket: 'member-logs', isLogging: false });
        return s.build();
      },
      resource: OF_MEMBER, region: 'eu-west-1', status: 'PASS', messageId: 'one',
      check: (r) => expect(r.details?.['stoppedTrails']).to.deep.equal([`arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/old-trail`]),
    },
    {
      name: 'read-only and write-only trails: no event is copied twice',
      bundle: alone((s) => {
        s.trail({ account: MANAGEMENT, name: 'reads', bucket: BUCKET, selectors: { EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] } });
        s.trail({ account: MANAGEMENT, name: 'writes', bucket: BUCKET, selectors: WRITE_ONLY });
      }),
      resource: OF_MANAGEMENT, region: 'us-east-1', status: 'PASS', messageId: 'split',
      check: (r) => expect(r.message).to.include('records read and write management events in different trails (reads, writes)'),
    },
    {
      name: 'an account and region without trails', bundle: alone((s) => s.trail({ account: MANAGEMENT, name: 'local', bucket: BUCKET, multiRegion: false })),
      resource: OF_MANAGEMENT, region: 'eu-west-1', status: 'PASS', messageId: 'none',
      check: (r) => expect(r.message).to.equal(`Account ${MANAGEMENT} in eu-west-1 records management events in no trail, so no copy is billed.`),
    },
    {
      name: 'a single trail with unreadable selectors, which could not make a second copy', bundle: alone((s) => s.trail({ account: MANAGEMENT, name: 'only', bucket: BUCKET, selectors: null })),
      resource: OF_MANAGEMENT, region: 'us-east-1', status: 'PASS', messageId: 'one', check: (r) => expect(r.message).to.include('(only (event selectors not readable))'),
    },
  ],
  invalid: [
    {
      name: 'a member region recorded by the organization trail and its own trail', bundle: orgWithMemberTrail(), resource: OF_MEMBER, region: 'eu-west-1', status: 'FAIL', messageId: 'duplicated',
      check(r) {
        expect(r.message).to.equal(`Account ${MEMBER} in eu-west-1 records read and write management events in 2 trails (member-trail, org-trail): the first copy is free, the extra copy is billed.`);
        expect(r.evidence.map((e) => `${e.file}#${e.pointer}`)).to.deep.equal([
          `accounts/${MEMBER}/eu-west-1/cloudtrail/GetEventSelectors/member-trail.json#/EventSelectors/0`,
          `accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetEventSelectors/org-trail.json#/EventSelectors/0`,
        ]);
        const details = r.details as { trails: { arn: string; organizationTrail: boolean }[]; extraCopies: number };
        expect(details.trails.map((t) => t.organizationTrail)).to.deep.equal([false, true]);
        expect(details.extraCopies).to.equal(1);
        expect(details).to.not.have.property('estimatedMonthlyCostUsd');
      },
    },
    {
      name: 'the extra copies, with their monthly cost estimated when a volume is given', bundle: orgWithMemberTrail(), options: { managementEventsPerMonth: 3_000_000 },
      resource: OF_MEMBER, region: 'eu-west-1', status: 'FAIL', messageId: 'duplicated',
      check(r) {
        expect(r.message).to.include('is billed (about $60.00 a month at 3,000,000 events a month and $2.00 per 100,000 events).');
        expect(r.details).to.include({ extraCopies: 1, managementEventsPerMonth: 3_000_000, pricePer100kEvents: 2, estimatedMonthlyCostUsd: 60 });
      },
    },
    {
      name: 'the extra copies, their cost estimated at the price given', bundle: orgWithMemberTrail(), options: { managementEventsPerMonth: 250_000, pricePer100kEvents: 2.5 },
      resource: OF_MEMBER, region: 'eu-west-1', status: 'FAIL', messageId: 'duplicated', check: (r) => expect(r.details?.['estimatedMonthlyCostUsd']).to.equal(6.25),
    },
    {
      name: 'every extra copy, counted', bundle: orgWithMemberTrail(undefined, (s) => s.trail({ account: MEMBER, name: 'security-trail', bucket: 'member-logs' })), options: { managementEventsPerMonth: 100_000 },
      resource: OF_MEMBER, region: 'eu-west-1', status: 'FAIL', messageId: 'duplicated',
      check(r) {
        expect(r.message).to.include('in 3 trails (member-trail, org-trail, security-trail): the first copy is free, each of the 2 extra copies is billed (about $4.00 a month');
        expect(r.details).to.include({ extraCopies: 2, estimatedMonthlyCostUsd: 4 });
      },
    },
    {
      name: 'two write-only copies, naming only the duplicated kind',
      bundle: alone((s) => {
        s.trail({ account: MANAGEMENT, name: 'all', bucket: BUCKET });
        s.trail({ account: MANAGEMENT, name: 'writes', bucket: BUCKET, selectors: WRITE_ONLY });
      }),
      resource: OF_MANAGEMENT, region: 'us-east-1', status: 'FAIL', messageId: 'duplicated',
      check: (r) => expect(r.message).to.include('records write management events in 2 trails (all, writes)'),
    },
    {
      name: 'unreadable selectors leaving the count undecided, naming the file',
      bundle: orgWithMemberTrail(undefined, (s) => s.builder.putError(MEMBER, 'eu-west-1', 'cloudtrail/GetEventSelectors/member-trail.json', 'AccessDeniedException')),
      resource: OF_MEMBER, region: 'eu-west-1', status: 'ERROR',
      check(r) {
        expect(r.message).to.include(`Account ${MEMBER} in eu-west-1: one trail is proven to record management events, and trail member-trail could be another copy`);
        expect(r.message).to.include(`accounts/${MEMBER}/eu-west-1/cloudtrail/GetEventSelectors/member-trail.json holds a failed call: AccessDeniedException`);
        expect(r.evidence[0]).to.include({ pointer: '/$error' });
      },
    },
    {
      name: 'two proven copies, still, when a third trail is unreadable', bundle: orgWithMemberTrail(undefined, (s) => s.trail({ account: MEMBER, name: 'mystery', bucket: 'member-logs', selectors: null })),
      resource: OF_MEMBER, region: 'eu-west-1', status: 'FAIL', messageId: 'duplicated',
    },
    {
      name: 'an undecided trail that is the organization trail of an account not collected', bundle: orgWithMemberTrail([MEMBER]), resource: OF_MEMBER, region: 'eu-west-1', status: 'MANUAL',
      check: (r) => expect(r.message).to.include(`trail arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org-trail was not collected`),
    },
    {
      name: 'a denied DescribeTrails of the region',
      bundle: () => alone((s) => s.trail({ account: MANAGEMENT, name: 'main', bucket: BUCKET, homeRegion: 'eu-west-1', multiRegion: false }))()
        .putError(MANAGEMENT, 'us-east-1', 'cloudtrail/DescribeTrails.json', 'AccessDeniedException'),
      resource: OF_MANAGEMENT, region: 'us-east-1', status: 'ERROR',
      check: (r) => expect(r.message).to.include(`accounts/${MANAGEMENT}/us-east-1/cloudtrail/DescribeTrails.json holds a failed call: AccessDeniedException`),
    },
  ],
});
