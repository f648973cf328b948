import { expect } from 'chai';
import { check } from '../../../checks/trail/cloudwatch-logs.js';
import { trailArn } from '../../../fixtures/bundle-builder.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { MEMBER, MGMT, OUTSIDER, builder, hoursBefore, pointersOf, writeOrganization, writeTrails, type TrailSpec } from '../trail-key-estate.js';

const ARN = trailArn(MGMT, 'us-east-1', 'main');
const GROUP = `arn:aws:logs:us-east-1:${MGMT}:log-group:cloudtrail/main:*`;
const HOME_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/DescribeTrails.json`;
const STATUS_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/GetTrailStatus/main.json`;

function run(spec: Partial<TrailSpec> = {}, options: Record<string, unknown> = {}) {
  const b = writeTrails(builder(), [{ account: MGMT, name: 'main', logGroupArn: GROUP, ...spec }]);
  return runCheck(check, b, options);
}

describe('trail.cloudwatch-logs', () => {
  it('PASSes a trail that delivered to its log group half an hour before collection', () => {
    const result = resultFor(run(), ARN);
    expect(result).to.include({ status: 'PASS', account: MGMT, region: 'us-east-1' });
    expect(result.message).to.equal(`Trail main delivers its events to CloudWatch Logs group ${GROUP}, latest 0.5 hours before collection.`);
    expect(result.details).to.include({ logGroupArn: GROUP, latestDeliveryTime: hoursBefore(0.5), ageHours: 0.5 });
    expect(pointersOf(result.evidence)).to.deep.equal([`${HOME_FILE}#/trailList/0/CloudWatchLogsLogGroupArn`, `${STATUS_FILE}#/LatestCloudWatchLogsDeliveryTime`]);
  });

  it('FAILs a trail without a log group', () => {
    const result = resultFor(runCheck(check, writeTrails(builder(), [{ account: MGMT, name: 'main' }])), ARN);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.contain('Trail main does not send its events to CloudWatch Logs');
    expect(pointersOf(result.evidence)).to.deep.equal([`${HOME_FILE}#/trailList/0`]);
  });

  it('PASSes a delivery exactly maxDeliveryAgeHours before collection and FAILs one an hour later', () => {
    expect(resultFor(run({ status: { LatestCloudWatchLogsDeliveryTime: hoursBefore(24) } }), ARN).status).to.equal('PASS');
    const late = resultFor(run({ status: { LatestCloudWatchLogsDeliveryTime: hoursBefore(25) } }), ARN);
    expect(late.status).to.equal('FAIL');
    expect(late.message).to.equal(
      `Trail main is not delivering its events to CloudWatch Logs group ${GROUP}: its latest delivery was 25 hours before collection (limit 24 hours).`,
    );
  });

  it('measures the age from the manifest collectedAt and takes the limit from the options', () => {
    const old = '2019-03-01T12:00:00.000Z';
    const spec = { account: MGMT, name: 'main', logGroupArn: GROUP, status: { LatestCloudWatchLogsDeliveryTime: hoursBefore(6, old) } };
    expect(resultFor(runCheck(check, writeTrails(builder([MGMT], ['us-east-1'], old), [spec])), ARN).status).to.equal('PASS');
    expect(resultFor(runCheck(check, writeTrails(builder([MGMT], ['us-east-1'], old), [spec]), { maxDeliveryAgeHours: 5 }), ARN).status).to.equal('FAIL');
  });

  it('FAILs a trail whose latest delivery to CloudWatch Logs failed, naming the error', () => {
    const result = resultFor(run({ status: { LatestCloudWatchLogsDeliveryError: 'CloudTrail unable to assume role' } }), ARN);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.contain('its latest delivery failed with CloudTrail unable to assume role');
    expect(pointersOf(result.evidence)).to.include(`${STATUS_FILE}#/LatestCloudWatchLogsDeliveryError`);
  });

  it('FAILs a trail with a log group that never received events', () => {
    const result = resultFor(run({ status: { LatestCloudWatchLogsDeliveryTime: undefined } }), ARN);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.contain('it has never delivered events to CloudWatch Logs');
    expect(result.details).to.include({ latestDeliveryTime: null, ageHours: null });
  });

  it('ERRORs naming the file when GetTrailStatus was denied', () => {
    const b = writeTrails(builder(), [{ account: MGMT, name: 'main', logGroupArn: GROUP }]).putError(MGMT, 'us-east-1', 'cloudtrail/GetTrailStatus/main.json', 'AccessDeniedException');
    const result = resultFor(runCheck(check, b), ARN);
    expect(result.status).to.equal('ERROR');
    expect(result.message).to.contain(`${STATUS_FILE} holds a failed call: AccessDeniedException`);
  });

  it('ERRORs when GetTrailStatus is missing for a collected account', () => {
    const result = resultFor(run({ status: null }), ARN);
    expect(result.status).to.equal('ERROR');
    expect(result.message).to.contain(`${STATUS_FILE} is missing from the bundle`);
  });

  it('is MANUAL for an organization trail whose owner was not collected and whose status is nowhere', () => {
    const group = `arn:aws:logs:us-east-1:${OUTSIDER}:log-group:org:*`;
    const b = writeTrails(builder([MEMBER]), [{ account: OUTSIDER, name: 'org', organization: true, members: [MEMBER], logGroupArn: group, status: null }]);
    expect(resultFor(runCheck(check, b), trailArn(OUTSIDER, 'us-east-1', 'org'))).to.include({ status: 'MANUAL', account: OUTSIDER });
  });

  it('reports an organization trail seen from member accounts once and a shadow trail once', () => {
    const b = builder([MGMT, MEMBER], ['eu-west-1', 'us-east-1', 'us-west-2']);
    writeOrganization(b, MGMT, [MEMBER]);
    writeTrails(b, [{ account: MGMT, name: 'org', homeRegion: 'us-east-1', organization: true, members: [MEMBER], logGroupArn: GROUP }]);
    const results = runCheck(check, b);
    expect(results.map((r) => [r.account, r.region, r.status])).to.deep.equal([[MGMT, 'us-east-1', 'PASS']]);
  });
});
