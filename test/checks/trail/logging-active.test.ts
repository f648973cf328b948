import { expect } from 'chai';
import { check } from '../../../checks/trail/logging-active.js';
import { trailArn } from '../../../fixtures/bundle-builder.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { MEMBER, MGMT, OUTSIDER, builder, hoursBefore, pointersOf, writeOrganization, writeTrails, type TrailSpec } from '../trail-key-estate.js';

const ARN = trailArn(MGMT, 'us-east-1', 'main');
const STATUS_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/GetTrailStatus/main.json`;

function run(spec: Partial<TrailSpec> = {}, options: Record<string, unknown> = {}) {
  const b = writeTrails(builder(), [{ account: MGMT, name: 'main', ...spec }]);
  return runCheck(check, b, options);
}

describe('trail.logging-active', () => {
  it('PASSes a logging trail that delivered an hour before collection', () => {
    const result = resultFor(run(), ARN);
    expect(result.status).to.equal('PASS');
    expect(result).to.include({ account: MGMT, region: 'us-east-1' });
    expect(result.message).to.equal('Trail main is logging and delivered its latest log file 1 hour before collection.');
    expect(result.details).to.include({ isLogging: true, latestDeliveryTime: hoursBefore(1), ageHours: 1 });
    expect(pointersOf(result.evidence)).to.deep.equal([`${STATUS_FILE}#/IsLogging`, `${STATUS_FILE}#/LatestDeliveryTime`]);
  });

  it('PASSes a delivery exactly maxDeliveryAgeHours before collection', () => {
    const result = resultFor(run({ status: { LatestDeliveryTime: hoursBefore(24) } }), ARN);
    expect(result.status).to.equal('PASS');
    expect(result.details).to.include({ ageHours: 24 });
  });

  it('FAILs a delivery one hour past maxDeliveryAgeHours', () => {
    const result = resultFor(run({ status: { LatestDeliveryTime: hoursBefore(25) } }), ARN);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.equal(
      'Trail main is not delivering its logs: its latest log file was delivered 25 hours before collection (limit 24 hours).',
    );
    expect(result.details).to.include({ ageHours: 25, maxDeliveryAgeHours: 24 });
  });

  it('takes maxDeliveryAgeHours from the options', () => {
    expect(resultFor(run({ status: { LatestDeliveryTime: hoursBefore(48) } }, { maxDeliveryAgeHours: 48 }), ARN).status).to.equal('PASS');
    expect(resultFor(run({ status: { LatestDeliveryTime: hoursBefore(3) } }, { maxDeliveryAgeHours: 2 }), ARN).status).to.equal('FAIL');
  });

  it('measures the age from the manifest collectedAt, never the wall clock', () => {
    const old = '2019-03-01T12:00:00.000Z';
    const atLimit = writeTrails(builder([MGMT], ['us-east-1'], old), [{ account: MGMT, name: 'main', status: { LatestDeliveryTime: hoursBefore(24, old) } }]);
    expect(resultFor(runCheck(check, atLimit), ARN).status).to.equal('PASS');
    const past = writeTrails(builder([MGMT], ['us-east-1'], old), [{ account: MGMT, name: 'main', status: { LatestDeliveryTime: hoursBefore(25, old) } }]);
    expect(resultFor(runCheck(check, past), ARN).status).to.equal('FAIL');
  });

  it('FAILs a stopped trail', () => {
    const result = resultFor(run({ status: { IsLogging: false, StopLoggingTime: hoursBefore(2) } }), ARN);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.equal('Trail main is not delivering its logs: logging is stopped (IsLogging is false).');
    expect(result.details).to.include({ isLogging: false });
  });

  it('FAILs a trail whose latest delivery failed, naming the error', () => {
    const result = resultFor(run({ status: { LatestDeliveryError: 'AccessDenied' } }), ARN);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.contain('its latest delivery to S3 failed with AccessDenied');
    expect(result.details).to.include({ latestDeliveryError: 'AccessDenied' });
    expect(pointersOf(result.evidence)).to.include(`${STATUS_FILE}#/LatestDeliveryError`);
  });

  it('treats an empty LatestDeliveryError as no error', () => {
    expect(resultFor(run({ status: { LatestDeliveryError: '' } }), ARN).status).to.equal('PASS');
  });

  it('FAILs a trail that has never delivered, listing every problem', () => {
    const result = resultFor(run({ status: { IsLogging: false, LatestDeliveryTime: undefined } }), ARN);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.equal('Trail main is not delivering its logs: logging is stopped (IsLogging is false); it has never delivered a log file.');
    expect(result.details).to.include({ latestDeliveryTime: null, ageHours: null });
  });

  it('reports an unreadable delivery time as ERROR, not PASS', () => {
    const result = resultFor(run({ status: { LatestDeliveryTime: 'yesterday' } }), ARN);
    expect(result.status).to.equal('ERROR');
    expect(result.message).to.contain('"yesterday" is not a valid time');
  });

  it('ERRORs naming the file when GetTrailStatus was denied', () => {
    const b = writeTrails(builder(), [{ account: MGMT, name: 'main' }]).putError(MGMT, 'us-east-1', 'cloudtrail/GetTrailStatus/main.json', 'AccessDeniedException');
    const result = resultFor(runCheck(check, b), ARN);
    expect(result.status).to.equal('ERROR');
    expect(result.message).to.contain(STATUS_FILE).and.contain('AccessDeniedException');
    expect(pointersOf(result.evidence)).to.deep.equal([`${STATUS_FILE}#/$error`]);
  });

  it('ERRORs when GetTrailStatus is missing for a trail of a collected account', () => {
    const result = resultFor(run({ status: null }), ARN);
    expect(result.status).to.equal('ERROR');
    expect(result.message).to.equal(`Trail main: ${STATUS_FILE} is missing from the bundle (call not collected)`);
  });

  it('is MANUAL for an organization trail whose owner was not collected and whose status is nowhere', () => {
    const b = writeTrails(builder([MEMBER]), [{ account: OUTSIDER, name: 'org', organization: true, members: [MEMBER], status: null }]);
    const result = resultFor(runCheck(check, b), trailArn(OUTSIDER, 'us-east-1', 'org'));
    expect(result).to.include({ status: 'MANUAL', account: OUTSIDER, region: 'us-east-1' });
    expect(result.message).to.contain('trail org was not collected');
  });

  it('judges an organization trail from the status a member account collected, reported under its owner', () => {
    const b = writeTrails(builder([MEMBER]), [
      { account: OUTSIDER, name: 'org', organization: true, members: [MEMBER], statusAccount: MEMBER, status: { IsLogging: false } },
    ]);
    const results = runCheck(check, b);
    expect(results).to.have.length(1);
    expect(results[0]).to.include({ status: 'FAIL', account: OUTSIDER, resource: trailArn(OUTSIDER, 'us-east-1', 'org') });
    expect(results[0]?.evidence[0]?.file).to.equal(`accounts/${MEMBER}/us-east-1/cloudtrail/GetTrailStatus/org.json`);
  });

  it('reports an organization trail seen from member accounts once, under the owner account', () => {
    const b = builder([MGMT, MEMBER, '444444444444']);
    writeOrganization(b, MGMT, [MEMBER, '444444444444']);
    writeTrails(b, [{ account: MGMT, name: 'org', organization: true, members: [MEMBER, '444444444444'] }]);
    const results = runCheck(check, b);
    expect(results.map((r) => [r.account, r.region, r.resource, r.status])).to.deep.equal([[MGMT, 'us-east-1', trailArn(MGMT, 'us-east-1', 'org'), 'PASS']]);
  });

  it('does not duplicate a multi-region trail for its shadow copies', () => {
    const b = writeTrails(builder([MGMT], ['eu-west-1', 'us-east-1', 'us-west-2']), [{ account: MGMT, name: 'main', homeRegion: 'us-east-1' }]);
    const results = runCheck(check, b);
    expect(results).to.have.length(1);
    expect(results[0]).to.include({ region: 'us-east-1', resource: ARN });
  });

  it('judges each trail on its own status', () => {
    const b = writeTrails(builder(), [
      { account: MGMT, name: 'main' },
      { account: MGMT, name: 'regional', homeRegion: 'eu-west-1', multiRegion: false, status: { LatestDeliveryTime: hoursBefore(30) } },
    ]);
    const results = runCheck(check, b);
    expect(resultFor(results, ARN).status).to.equal('PASS');
    expect(resultFor(results, trailArn(MGMT, 'eu-west-1', 'regional'))).to.include({ status: 'FAIL', region: 'eu-west-1' });
  });
});
