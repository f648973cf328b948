import { expect } from 'chai';
import { check } from '../../../checks/trail/kms-encryption.js';
import { trailArn } from '../../../fixtures/bundle-builder.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { MEMBER, MGMT, builder, keyArn, pointersOf, writeOrganization, writeTrails } from '../trail-key-estate.js';

const ARN = trailArn(MGMT, 'us-east-1', 'main');
const HOME_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/DescribeTrails.json`;
const KEY = keyArn(MGMT, 'us-east-1', '1234abcd-12ab-34cd-56ef-1234567890ab');

describe('trail.kms-encryption', () => {
  it('PASSes a trail with a KMS key, naming the key', () => {
    const results = runCheck(check, writeTrails(builder(), [{ account: MGMT, name: 'main', kmsKeyId: KEY }]));
    const result = resultFor(results, ARN);
    expect(result).to.include({ status: 'PASS', account: MGMT, region: 'us-east-1' });
    expect(result.message).to.equal(`Trail main encrypts its log files with KMS key ${KEY}.`);
    expect(result.details).to.deep.equal({ kmsKeyId: KEY });
    expect(pointersOf(result.evidence)).to.deep.equal([`${HOME_FILE}#/trailList/0/KmsKeyId`]);
  });

  it('FAILs a trail without a KMS key: its logs are encrypted with SSE-S3 only', () => {
    const results = runCheck(check, writeTrails(builder(), [{ account: MGMT, name: 'main' }]));
    const result = resultFor(results, ARN);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.contain('Trail main has no KMS key').and.contain('SSE-S3 only');
    expect(pointersOf(result.evidence)).to.deep.equal([`${HOME_FILE}#/trailList/0`]);
  });

  it('FAILs a trail whose KmsKeyId is an empty string', () => {
    const results = runCheck(check, writeTrails(builder(), [{ account: MGMT, name: 'main', config: { KmsKeyId: '' } }]));
    expect(resultFor(results, ARN).status).to.equal('FAIL');
  });

  it('judges each trail on its own configuration', () => {
    const b = writeTrails(builder(), [
      { account: MGMT, name: 'main', kmsKeyId: KEY },
      { account: MGMT, name: 'plain', homeRegion: 'eu-west-1', multiRegion: false },
    ]);
    const results = runCheck(check, b);
    expect(results.map((r) => [r.resource, r.status])).to.deep.equal([
      [trailArn(MGMT, 'eu-west-1', 'plain'), 'FAIL'],
      [ARN, 'PASS'],
    ]);
  });

  it('does not duplicate a multi-region trail for its shadow copies', () => {
    const results = runCheck(check, writeTrails(builder([MGMT], ['eu-west-1', 'us-east-1', 'us-west-2']), [{ account: MGMT, name: 'main', homeRegion: 'us-east-1' }]));
    expect(results).to.have.length(1);
    expect(results[0]?.evidence[0]?.file).to.equal(HOME_FILE);
  });

  it('reports an organization trail seen from member accounts once, under the owner account', () => {
    const b = builder([MGMT, MEMBER]);
    writeOrganization(b, MGMT, [MEMBER]);
    writeTrails(b, [{ account: MGMT, name: 'org', organization: true, members: [MEMBER], kmsKeyId: KEY }]);
    const results = runCheck(check, b);
    expect(results.map((r) => [r.account, r.region, r.status])).to.deep.equal([[MGMT, 'us-east-1', 'PASS']]);
  });

  it('judges a trail from a shadow sighting when its home region could not be listed', () => {
    const b = writeTrails(builder(), [{ account: MGMT, name: 'main' }]).putError(MGMT, 'us-east-1', 'cloudtrail/DescribeTrails.json', 'AccessDeniedException');
    const result = resultFor(runCheck(check, b), ARN);
    expect(result).to.include({ status: 'FAIL', region: 'us-east-1' });
    expect(pointersOf(result.evidence)).to.deep.equal([`accounts/${MGMT}/eu-west-1/cloudtrail/DescribeTrails.json#/trailList/0`]);
  });
});
