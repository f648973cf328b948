import { expect } from 'chai';
import { check } from '../../../checks/trail/kms-encryption.js';
import { trailArn } from '../../../fixtures/bundle-builder.js';
import { describeCheck } from '../../../src/check-tester.js';
import { MEMBER, MGMT, builder, keyArn, pointersOf, writeOrganization, writeTrails } from '../trail-key-estate.js';

const ARN = trailArn(MGMT, 'us-east-1', 'main');
const HOME_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/DescribeTrails.json`;
const KEY = keyArn(MGMT, 'us-east-1', '1234abcd-12ab-34cd-56ef-1234567890ab');

describeCheck(check, {
  errorCase: 'none: when no DescribeTrails can be read it returns no result; the per-account trail checks report the unread listing as ERROR',
  valid: [
    {
      name: 'a trail with a KMS key, naming the key', bundle: () => writeTrails(builder(), [{ account: MGMT, name: 'main', kmsKeyId: KEY }]), resource: ARN, status: 'PASS', messageId: 'encrypted',
      check(r) {
        expect(r).to.include({ account: MGMT, region: 'us-east-1' });
        expect(r.message).to.equal(`Trail main encrypts its log files with KMS key ${KEY}.`);
        expect(r.details).to.deep.equal({ kmsKeyId: KEY });
        expect(pointersOf(r.evidence)).to.deep.equal([`${HOME_FILE}#/trailList/0/KmsKeyId`]);
      },
    },
  ],
  invalid: [
    {
      name: 'a trail without a KMS key: its logs are encrypted with SSE-S3 only', bundle: () => writeTrails(builder(), [{ account: MGMT, name: 'main' }]), resource: ARN, status: 'FAIL', messageId: 'sseS3',
      check(r) {
        expect(r.message).to.contain('Trail main has no KMS key').and.contain('SSE-S3 only');
        expect(pointersOf(r.evidence)).to.deep.equal([`${HOME_FILE}#/trailList/0`]);
      },
    },
    { name: 'a trail whose KmsKeyId is an empty string', bundle: () => writeTrails(builder(), [{ account: MGMT, name: 'main', config: { KmsKeyId: '' } }]), resource: ARN, status: 'FAIL', messageId: 'sseS3' },
    {
      name: 'a trail judged from a shadow sighting when its home region could not be listed',
      bundle: () => writeTrails(builder(), [{ account: MGMT, name: 'main' }]).putError(MGMT, 'us-east-1', 'cloudtrail/DescribeTrails.json', 'AccessDeniedException'),
      resource: ARN, status: 'FAIL', messageId: 'sseS3',
      check(r) {
        expect(r).to.include({ region: 'us-east-1' });
        expect(pointersOf(r.evidence)).to.deep.equal([`accounts/${MGMT}/eu-west-1/cloudtrail/DescribeTrails.json#/trailList/0`]);
      },
    },
  ],
  results: [
    {
      name: 'judges each trail on its own configuration',
      bundle: () => writeTrails(builder(), [
        { account: MGMT, name: 'main', kmsKeyId: KEY },
        { account: MGMT, name: 'plain', homeRegion: 'eu-west-1', multiRegion: false },
      ]),
      check: (results) => expect(results.map((r) => [r.resource, r.status])).to.deep.equal([
        [trailArn(MGMT, 'eu-west-1', 'plain'), 'FAIL'],
        [ARN, 'PASS'],
      ]),
    },
    {
      name: 'does not duplicate a multi-region trail for its shadow copies',
      bundle: () => writeTrails(builder([MGMT], ['eu-west-1', 'us-east-1', 'us-west-2']), [{ account: MGMT, name: 'main', homeRegion: 'us-east-1' }]),
      check(results) {
        expect(results).to.have.length(1);
        expect(results[0]?.evidence[0]?.file).to.equal(HOME_FILE);
      },
    },
    {
      name: 'reports an organization trail seen from member accounts once, under the owner account',
      bundle: () => {
        const b = builder([MGMT, MEMBER]);
        writeOrganization(b, MGMT, [MEMBER]);
        return writeTrails(b, [{ account: MGMT, name: 'org', organization: true, members: [MEMBER], kmsKeyId: KEY }]);
      },
      check: (results) => expect(results.map((r) => [r.account, r.region, r.status])).to.deep.equal([[MGMT, 'us-east-1', 'PASS']]),
    },
    {
      name: 'returns no result when no DescribeTrails could be read (the per-account checks report that)',
      bundle: () => builder([MGMT], ['us-east-1']).putError(MGMT, 'us-east-1', 'cloudtrail/DescribeTrails.json', 'AccessDeniedException'),
      check: (results) => expect(results).to.deep.equal([]),
    },
  ],
});
