import { expect } from 'chai';
import { check } from '../../../checks/trail/log-file-validation.js';
import { trailArn } from '../../../fixtures/bundle-builder.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { MEMBER, MGMT, OUTSIDER, builder, pointersOf, writeOrganization, writeTrails } from '../trail-key-estate.js';

const ARN = trailArn(MGMT, 'us-east-1', 'main');
const HOME_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/DescribeTrails.json`;

describe('trail.log-file-validation', () => {
  it('PASSes a trail that validates its log files', () => {
    const result = resultFor(runCheck(check, writeTrails(builder(), [{ account: MGMT, name: 'main' }])), ARN);
    expect(result).to.include({ status: 'PASS', account: MGMT, region: 'us-east-1', message: 'Trail main validates its log files.' });
    expect(pointersOf(result.evidence)).to.deep.equal([`${HOME_FILE}#/trailList/0/LogFileValidationEnabled`]);
  });

  it('FAILs a trail whose validation is off', () => {
    const b = writeTrails(builder(), [{ account: MGMT, name: 'main', config: { LogFileValidationEnabled: false } }]);
    const result = resultFor(runCheck(check, b), ARN);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.equal('Trail main does not validate its log files: no digest files prove the logs intact.');
    expect(pointersOf(result.evidence)).to.deep.equal([`${HOME_FILE}#/trailList/0/LogFileValidationEnabled`]);
  });

  it('FAILs a trail whose DescribeTrails entry leaves LogFileValidationEnabled out', () => {
    const b = writeTrails(builder(), [{ account: MGMT, name: 'main' }]);
    const entry = { Name: 'main', TrailARN: ARN, HomeRegion: 'us-east-1', IsMultiRegionTrail: false, S3BucketName: 'logs' };
    b.describeTrails(MGMT, 'us-east-1', [entry]).describeTrails(MGMT, 'eu-west-1', []);
    expect(resultFor(runCheck(check, b), ARN).status).to.equal('FAIL');
  });

  it('does not duplicate a multi-region trail for its shadow copies', () => {
    const b = writeTrails(builder([MGMT], ['eu-west-1', 'us-east-1', 'us-west-2']), [{ account: MGMT, name: 'main', homeRegion: 'us-east-1' }]);
    const results = runCheck(check, b);
    expect(results).to.have.length(1);
    expect(results[0]).to.include({ region: 'us-east-1', resource: ARN });
    expect(results[0]?.evidence[0]?.file).to.equal(HOME_FILE);
  });

  it('reports an organization trail seen from member accounts once, under the owner account', () => {
    const b = builder([MGMT, MEMBER, OUTSIDER]);
    writeOrganization(b, MGMT, [MEMBER, OUTSIDER]);
    writeTrails(b, [{ account: MGMT, name: 'org', organization: true, members: [MEMBER, OUTSIDER] }]);
    const results = runCheck(check, b);
    expect(results.map((r) => [r.account, r.region, r.resource, r.status])).to.deep.equal([[MGMT, 'us-east-1', trailArn(MGMT, 'us-east-1', 'org'), 'PASS']]);
  });

  it('judges an organization trail of an uncollected management account from a member sighting', () => {
    const b = writeTrails(builder([MEMBER]), [{ account: OUTSIDER, name: 'org', organization: true, members: [MEMBER], config: { LogFileValidationEnabled: false } }]);
    const results = runCheck(check, b);
    expect(results.map((r) => [r.account, r.status])).to.deep.equal([[OUTSIDER, 'FAIL']]);
    expect(results[0]?.evidence[0]?.file).to.match(new RegExp(`^accounts/${MEMBER}/[a-z0-9-]+/cloudtrail/DescribeTrails\\.json$`));
  });

  it('judges a trail from a shadow sighting when its home region could not be listed', () => {
    const b = writeTrails(builder(), [{ account: MGMT, name: 'main' }]).putError(MGMT, 'us-east-1', 'cloudtrail/DescribeTrails.json', 'AccessDeniedException');
    const result = resultFor(runCheck(check, b), ARN);
    expect(result).to.include({ status: 'PASS', region: 'us-east-1' });
    expect(pointersOf(result.evidence)).to.deep.equal([`accounts/${MGMT}/eu-west-1/cloudtrail/DescribeTrails.json#/trailList/0/LogFileValidationEnabled`]);
  });

  it('returns no result when no DescribeTrails could be read (the per-account checks report that)', () => {
    const b = builder([MGMT], ['us-east-1']).putError(MGMT, 'us-east-1', 'cloudtrail/DescribeTrails.json', 'AccessDeniedException');
    expect(runCheck(check, b)).to.deep.equal([]);
  });
});
