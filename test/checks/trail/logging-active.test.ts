import { expect } from 'chai';
import { check } from '../../../checks/trail/logging-active.js';
import { trailArn } from '../../../fixtures/bundle-builder.js';
import { describeCheck } from '../../../src/check-tester.js';
import { MEMBER, MGMT, OUTSIDER, builder, hoursBefore, pointersOf, writeOrganization, writeTrails, type TrailSpec } from '../trail-key-estate.js';

const ARN = trailArn(MGMT, 'us-east-1', 'main');
const STATUS_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/GetTrailStatus/main.json`;
const OLD = '2019-03-01T12:00:00.000Z';

/** Trail main, its status changed by `spec`. */
function trail(spec: Partial<TrailSpec> = {}) {
  return () => writeTrails(builder(), [{ account: MGMT, name: 'main', ...spec }]);
}

/** A bundle collected at OLD whose trail delivered `hours` before. */
function collectedLongAgo(hours: number) {
  return () => writeTrails(builder([MGMT], ['us-east-1'], OLD), [{ account: MGMT, name: 'main', status: { LatestDeliveryTime: hoursBefore(hours, OLD) } }]);
}

/** Trail main healthy, trail regional delivered 30 hours before collection. */
function twoTrails() {
  return writeTrails(builder(), [
    { account: MGMT, name: 'main' },
    { account: MGMT, name: 'regional', homeRegion: 'eu-west-1', multiRegion: false, status: { LatestDeliveryTime: hoursBefore(30) } },
  ]);
}

describeCheck(check, {
  valid: [
    {
      name: 'a logging trail that delivered an hour before collection', bundle: trail(), resource: ARN, status: 'PASS', messageId: 'active',
      check(r) {
        expect(r).to.include({ account: MGMT, region: 'us-east-1' });
        expect(r.message).to.equal('Trail main is logging and delivered its latest log file 1 hour before collection.');
        expect(r.details).to.include({ isLogging: true, latestDeliveryTime: hoursBefore(1), ageHours: 1 });
        expect(pointersOf(r.evidence)).to.deep.equal([`${STATUS_FILE}#/IsLogging`, `${STATUS_FILE}#/LatestDeliveryTime`]);
      },
    },
    {
      name: 'a delivery exactly maxDeliveryAgeHours before collection', bundle: trail({ status: { LatestDeliveryTime: hoursBefore(24) } }), resource: ARN, status: 'PASS', messageId: 'active',
      check: (r) => expect(r.details).to.include({ ageHours: 24 }),
    },
    { name: 'a delivery 48 hours before collection with maxDeliveryAgeHours 48 (from the options)', bundle: trail({ status: { LatestDeliveryTime: hoursBefore(48) } }), options: { maxDeliveryAgeHours: 48 }, resource: ARN, status: 'PASS', messageId: 'active' },
    { name: 'a delivery at the limit before a manifest collectedAt years ago (never the wall clock)', bundle: collectedLongAgo(24), resource: ARN, status: 'PASS', messageId: 'active' },
    { name: 'an empty LatestDeliveryError, as no error', bundle: trail({ status: { LatestDeliveryError: '' } }), resource: ARN, status: 'PASS', messageId: 'active' },
    {
      name: 'an organization trail seen from member accounts, once, under the owner account',
      bundle: () => {
        const b = builder([MGMT, MEMBER, '444444444444']);
        writeOrganization(b, MGMT, [MEMBER, '444444444444']);
        return writeTrails(b, [{ account: MGMT, name: 'org', organization: true, members: [MEMBER, '444444444444'] }]);
      },
      status: 'PASS', messageId: 'active',
      check: (_r, all) => expect(all.map((r) => [r.account, r.region, r.resource, r.status])).to.deep.equal([[MGMT, 'us-east-1', trailArn(MGMT, 'us-east-1', 'org'), 'PASS']]),
    },
    {
      name: 'a multi-region trail, not duplicated for its shadow copies',
      bundle: () => writeTrails(builder([MGMT], ['eu-west-1', 'us-east-1', 'us-west-2']), [{ account: MGMT, name: 'main', homeRegion: 'us-east-1' }]),
      status: 'PASS', messageId: 'active', check: (r) => expect(r).to.include({ region: 'us-east-1', resource: ARN }),
    },
    { name: 'each trail on its own status: main delivering', bundle: twoTrails, resource: ARN, status: 'PASS', messageId: 'active' },
  ],
  invalid: [
    {
      name: 'a delivery one hour past maxDeliveryAgeHours', bundle: trail({ status: { LatestDeliveryTime: hoursBefore(25) } }), resource: ARN, status: 'FAIL', messageId: 'inactive',
      check(r) {
        expect(r.message).to.equal('Trail main is not delivering its logs: its latest log file was delivered 25 hours before collection (limit 24 hours).');
        expect(r.details).to.include({ ageHours: 25, maxDeliveryAgeHours: 24 });
      },
    },
    { name: 'a delivery 3 hours before collection with maxDeliveryAgeHours 2 (from the options)', bundle: trail({ status: { LatestDeliveryTime: hoursBefore(3) } }), options: { maxDeliveryAgeHours: 2 }, resource: ARN, status: 'FAIL', messageId: 'inactive' },
    { name: 'a delivery past the limit before a manifest collectedAt years ago', bundle: collectedLongAgo(25), resource: ARN, status: 'FAIL', messageId: 'inactive' },
    {
      name: 'a stopped trail', bundle: trail({ status: { IsLogging: false, StopLoggingTime: hoursBefore(2) } }), resource: ARN, status: 'FAIL', messageId: 'inactive',
      check(r) {
        expect(r.message).to.equal('Trail main is not delivering its logs: logging is stopped (IsLogging is false).');
        expect(r.details).to.include({ isLogging: false });
      },
    },
    {
      name: 'a trail whose latest delivery failed, naming the error', bundle: trail({ status: { LatestDeliveryError: 'AccessDenied' } }), resource: ARN, status: 'FAIL', messageId: 'inactive',
      check(r) {
        expect(r.message).to.contain('its latest delivery to S3 failed with AccessDenied');
        expect(r.details).to.include({ latestDeliveryError: 'AccessDenied' });
        expect(pointersOf(r.evidence)).to.include(`${STATUS_FILE}#/LatestDeliveryError`);
      },
    },
    {
      name: 'a trail that has never delivered, listing every problem', bundle: trail({ status: { IsLogging: false, LatestDeliveryTime: undefined } }), resource: ARN, status: 'FAIL', messageId: 'inactive',
      check(r) {
        expect(r.message).to.equal('Trail main is not delivering its logs: logging is stopped (IsLogging is false); it has never delivered a log file.');
        expect(r.details).to.include({ latestDeliveryTime: null, ageHours: null });
      },
    },
    {
      name: 'an unreadable delivery time, as ERROR, not PASS', bundle: trail({ status: { LatestDeliveryTime: 'yesterday' } }), resource: ARN, status: 'ERROR', messageId: 'unreadableTime',
      check: (r) => expect(r.message).to.contain('"yesterday" is not a valid time'),
    },
    {
      name: 'a denied GetTrailStatus, naming the file',
      bundle: () => trail()().putError(MGMT, 'us-east-1', 'cloudtrail/GetTrailStatus/main.json', 'AccessDeniedException'),
      resource: ARN, status: 'ERROR',
      check(r) {
        expect(r.message).to.contain(STATUS_FILE).and.contain('AccessDeniedException');
        expect(pointersOf(r.evidence)).to.deep.equal([`${STATUS_FILE}#/$error`]);
      },
    },
    {
      name: 'a GetTrailStatus missing for a trail of a collected account', bundle: trail({ status: null }), resource: ARN, status: 'ERROR',
      check: (r) => expect(r.message).to.equal(`Trail main: ${STATUS_FILE} is missing from the bundle (call not collected)`),
    },
    {
      name: 'an organization trail whose owner was not collected and whose status is nowhere',
      bundle: () => writeTrails(builder([MEMBER]), [{ account: OUTSIDER, name: 'org', organization: true, members: [MEMBER], status: null }]),
      resource: trailArn(OUTSIDER, 'us-east-1', 'org'), status: 'MANUAL',
      check(r) {
        expect(r).to.include({ account: OUTSIDER, region: 'us-east-1' });
        expect(r.message).to.contain('trail org was not collected');
      },
    },
    {
      name: 'an organization trail judged from the status a member account collected, reported under its owner',
      bundle: () => writeTrails(builder([MEMBER]), [
        { account: OUTSIDER, name: 'org', organization: true, members: [MEMBER], statusAccount: MEMBER, status: { IsLogging: false } },
      ]),
      status: 'FAIL', messageId: 'inactive',
      check(r) {
        expect(r).to.include({ account: OUTSIDER, resource: trailArn(OUTSIDER, 'us-east-1', 'org') });
        expect(r.evidence[0]?.file).to.equal(`accounts/${MEMBER}/us-east-1/cloudtrail/GetTrailStatus/org.json`);
      },
    },
    {
      name: 'each trail on its own status: regional late', bundle: twoTrails, resource: trailArn(MGMT, 'eu-west-1', 'regional'), status: 'FAIL', messageId: 'inactive',
      check: (r) => expect(r).to.include({ region: 'eu-west-1' }),
    },
  ],
});
