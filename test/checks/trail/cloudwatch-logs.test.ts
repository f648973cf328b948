import { expect } from 'chai';
import { check } from '../../../checks/trail/cloudwatch-logs.js';
import { trailArn } from '../../../fixtures/bundle-builder.js';
import { describeCheck } from '../../../src/check-tester.js';
import { MEMBER, MGMT, OUTSIDER, builder, hoursBefore, pointersOf, writeOrganization, writeTrails, type TrailSpec } from '../trail-key-estate.js';

const ARN = trailArn(MGMT, 'us-east-1', 'main');
const GROUP = `arn:aws:logs:us-east-1:${MGMT}:log-group:cloudtrail/main:*`;
const HOME_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/DescribeTrails.json`;
const STATUS_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/GetTrailStatus/main.json`;
const OLD = '2019-03-01T12:00:00.000Z';

/** Trail main sending to GROUP, its status changed by `spec`. */
function trail(spec: Partial<TrailSpec> = {}) {
  return () => writeTrails(builder(), [{ account: MGMT, name: 'main', logGroupArn: GROUP, ...spec }]);
}

/** A bundle collected at OLD whose trail delivered six hours before. */
function collectedLongAgo() {
  return writeTrails(builder([MGMT], ['us-east-1'], OLD), [{ account: MGMT, name: 'main', logGroupArn: GROUP, status: { LatestCloudWatchLogsDeliveryTime: hoursBefore(6, OLD) } }]);
}

describeCheck(check, {
  valid: [
    {
      name: 'a trail that delivered to its log group half an hour before collection', bundle: trail(), resource: ARN, status: 'PASS', messageId: 'delivering',
      check(r) {
        expect(r).to.include({ account: MGMT, region: 'us-east-1' });
        expect(r.message).to.equal(`Trail main delivers its events to CloudWatch Logs group ${GROUP}, latest 0.5 hours before collection.`);
        expect(r.details).to.include({ logGroupArn: GROUP, latestDeliveryTime: hoursBefore(0.5), ageHours: 0.5 });
        expect(pointersOf(r.evidence)).to.deep.equal([`${HOME_FILE}#/trailList/0/CloudWatchLogsLogGroupArn`, `${STATUS_FILE}#/LatestCloudWatchLogsDeliveryTime`]);
      },
    },
    { name: 'a delivery exactly maxDeliveryAgeHours before collection', bundle: trail({ status: { LatestCloudWatchLogsDeliveryTime: hoursBefore(24) } }), resource: ARN, status: 'PASS', messageId: 'delivering' },
    { name: 'a delivery six hours before the manifest collectedAt, years ago (the age is measured from collectedAt)', bundle: collectedLongAgo, resource: ARN, status: 'PASS', messageId: 'delivering' },
    {
      name: 'an organization trail seen from member accounts, and its shadow trails, reported once',
      bundle: () => {
        const b = builder([MGMT, MEMBER], ['eu-west-1', 'us-east-1', 'us-west-2']);
        writeOrganization(b, MGMT, [MEMBER]);
        return writeTrails(b, [{ account: MGMT, name: 'org', homeRegion: 'us-east-1', organization: true, members: [MEMBER], logGroupArn: GROUP }]);
      },
      status: 'PASS', messageId: 'delivering',
      check: (_r, all) => expect(all.map((r) => [r.account, r.region, r.status])).to.deep.equal([[MGMT, 'us-east-1', 'PASS']]),
    },
  ],
  invalid: [
    {
      name: 'a trail without a log group', bundle: () => writeTrails(builder(), [{ account: MGMT, name: 'main' }]), resource: ARN, status: 'FAIL', messageId: 'notConfigured',
      check(r) {
        expect(r.message).to.contain('Trail main does not send its events to CloudWatch Logs');
        expect(pointersOf(r.evidence)).to.deep.equal([`${HOME_FILE}#/trailList/0`]);
      },
    },
    {
      name: 'a delivery an hour older than maxDeliveryAgeHours', bundle: trail({ status: { LatestCloudWatchLogsDeliveryTime: hoursBefore(25) } }), resource: ARN, status: 'FAIL', messageId: 'notDelivering',
      check: (r) => expect(r.message).to.equal(
        `Trail main is not delivering its events to CloudWatch Logs group ${GROUP}: its latest delivery was 25 hours before collection (limit 24 hours).`,
      ),
    },
    { name: 'a delivery six hours before collection with maxDeliveryAgeHours 5 (the limit comes from the options)', bundle: collectedLongAgo, options: { maxDeliveryAgeHours: 5 }, resource: ARN, status: 'FAIL', messageId: 'notDelivering' },
    {
      name: 'a trail whose latest delivery to CloudWatch Logs failed, naming the error', bundle: trail({ status: { LatestCloudWatchLogsDeliveryError: 'CloudTrail unable to assume role' } }),
      resource: ARN, status: 'FAIL', messageId: 'notDelivering',
      check(r) {
        expect(r.message).to.contain('its latest delivery failed with CloudTrail unable to assume role');
        expect(pointersOf(r.evidence)).to.include(`${STATUS_FILE}#/LatestCloudWatchLogsDeliveryError`);
      },
    },
    {
      name: 'a trail with a log group that never received events', bundle: trail({ status: { LatestCloudWatchLogsDeliveryTime: undefined } }), resource: ARN, status: 'FAIL', messageId: 'notDelivering',
      check(r) {
        expect(r.message).to.contain('it has never delivered events to CloudWatch Logs');
        expect(r.details).to.include({ latestDeliveryTime: null, ageHours: null });
      },
    },
    {
      name: 'a LatestCloudWatchLogsDeliveryTime that is not a time', bundle: trail({ status: { LatestCloudWatchLogsDeliveryTime: 'yesterday' } }), resource: ARN, status: 'ERROR', messageId: 'unreadableTime',
      check: (r) => expect(r.message).to.equal(`Trail main sends its events to CloudWatch Logs group ${GROUP} but its LatestCloudWatchLogsDeliveryTime "yesterday" is not a valid time.`),
    },
    {
      name: 'a denied GetTrailStatus, naming the file',
      bundle: () => trail()().putError(MGMT, 'us-east-1', 'cloudtrail/GetTrailStatus/main.json', 'AccessDeniedException'),
      resource: ARN, status: 'ERROR', check: (r) => expect(r.message).to.contain(`${STATUS_FILE} holds a failed call: AccessDeniedException`),
    },
    {
      name: 'a GetTrailStatus missing for a collected account', bundle: trail({ status: null }), resource: ARN, status: 'ERROR',
      check: (r) => expect(r.message).to.contain(`${STATUS_FILE} is missing from the bundle`),
    },
    {
      name: 'an organization trail whose owner was not collected and whose status is nowhere',
      bundle: () => writeTrails(builder([MEMBER]), [{ account: OUTSIDER, name: 'org', organization: true, members: [MEMBER], logGroupArn: `arn:aws:logs:us-east-1:${OUTSIDER}:log-group:org:*`, status: null }]),
      resource: trailArn(OUTSIDER, 'us-east-1', 'org'), status: 'MANUAL', check: (r) => expect(r).to.include({ account: OUTSIDER }),
    },
  ],
});
