import { expect } from 'chai';
import { check } from '../../../checks/trail/kms-key-rotation.js';
import { trailArn } from '../../../fixtures/bundle-builder.js';
import { describeCheck } from '../../../src/check-tester.js';
import { MEMBER, MGMT, OUTSIDER, builder, keyArn, pointersOf, writeKey, writeOrganization, writeTrails, type KeySpec } from '../trail-key-estate.js';

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY = keyArn(MGMT, 'us-east-1', KEY_ID);
const KEY_DIR = `accounts/${MGMT}/us-east-1/kms/${KEY_ID}`;
const HOME_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/DescribeTrails.json`;
const IN_MEMBER = keyArn(MEMBER, 'eu-west-1', 'bbbb2222-0000-0000-0000-000000000000');
const IN_OUTSIDER = keyArn(OUTSIDER, 'us-east-1', 'cccc3333-0000-0000-0000-000000000000');
const ELSEWHERE = keyArn(MGMT, 'ap-southeast-2', KEY_ID);

/** One trail, main, encrypting with KEY, whose key files hold `key`. */
function withKey(key: Partial<KeySpec> = {}) {
  return () => {
    const b = writeTrails(builder(), [{ account: MGMT, name: 'main', kmsKeyId: KEY }]);
    return writeKey(b, { account: MGMT, region: 'us-east-1', keyId: KEY_ID, ...key });
  };
}

/** Trail main uses a key in a collected member account, trail other a key in an account not collected. */
function crossAccount() {
  const b = writeTrails(builder([MGMT, MEMBER]), [
    { account: MGMT, name: 'main', kmsKeyId: IN_MEMBER },
    { account: MGMT, name: 'other', homeRegion: 'eu-west-1', multiRegion: false, kmsKeyId: IN_OUTSIDER },
  ]);
  return writeKey(b, { account: MEMBER, region: 'eu-west-1', keyId: 'bbbb2222-0000-0000-0000-000000000000', rotation: false });
}

describeCheck(check, {
  valid: [
    {
      name: 'a customer managed, enabled, rotated key, reported on the key and naming its trail', bundle: withKey(), resource: KEY, status: 'PASS', messageId: 'rotated',
      check(r) {
        expect(r).to.include({ account: MGMT, region: 'us-east-1' });
        expect(r.message).to.equal(`KMS key ${KEY} (used by trail main) is customer managed, enabled and rotated automatically.`);
        expect(r.details).to.deep.include({ keyManager: 'CUSTOMER', keyState: 'Enabled', rotationEnabled: true, rotationPeriodInDays: 365, trails: [trailArn(MGMT, 'us-east-1', 'main')] });
        expect(pointersOf(r.evidence)).to.deep.equal([
          `${HOME_FILE}#/trailList/0/KmsKeyId`,
          `${KEY_DIR}/DescribeKey.json#/KeyMetadata/KeyState`,
          `${KEY_DIR}/DescribeKey.json#/KeyMetadata/KeyManager`,
          `${KEY_DIR}/GetKeyRotationStatus.json#/KeyRotationEnabled`,
        ]);
      },
    },
    {
      name: 'each trail when no trail uses a KMS key',
      bundle: () => writeTrails(builder([MGMT], ['eu-west-1', 'us-east-1', 'us-west-2']), [
        { account: MGMT, name: 'main', homeRegion: 'us-east-1' },
        { account: MGMT, name: 'regional', homeRegion: 'eu-west-1', multiRegion: false },
      ]),
      resource: trailArn(MGMT, 'us-east-1', 'main'), status: 'NOT_APPLICABLE', messageId: 'noKey',
      check(r, all) {
        expect(all.map((x) => [x.resource, x.status])).to.deep.equal([
          [trailArn(MGMT, 'eu-west-1', 'regional'), 'NOT_APPLICABLE'],
          [trailArn(MGMT, 'us-east-1', 'main'), 'NOT_APPLICABLE'],
        ]);
        expect(r.message).to.equal('Trail main has no KMS key, so there is no key to rotate (see trail.kms-encryption).');
      },
    },
  ],
  invalid: [
    {
      name: 'a key whose automatic rotation is off', bundle: withKey({ rotation: false }), resource: KEY, status: 'FAIL', messageId: 'failing',
      check(r) {
        expect(r.message).to.equal(`KMS key ${KEY} (used by trail main): automatic key rotation is off.`);
        expect(r.details).to.include({ rotationEnabled: false });
      },
    },
    {
      name: 'an AWS managed key', bundle: withKey({ metadata: { KeyManager: 'AWS' } }), resource: KEY, status: 'FAIL', messageId: 'failing',
      check: (r) => expect(r.message).to.contain('the key is AWS managed, not customer managed'),
    },
    {
      name: 'a disabled key, loudly: CloudTrail cannot deliver with it', bundle: withKey({ metadata: { KeyState: 'Disabled' } }), resource: KEY, status: 'FAIL', messageId: 'failing',
      check: (r) => expect(r.message).to.equal(`KMS key ${KEY} (used by trail main): the key is Disabled, so CloudTrail cannot deliver log files encrypted with it.`),
    },
    {
      name: 'a key pending deletion, naming the deletion date', bundle: withKey({ metadata: { KeyState: 'PendingDeletion', DeletionDate: '2026-10-08T00:00:00.000Z' } }),
      resource: KEY, status: 'FAIL', messageId: 'failing',
      check(r) {
        expect(r.message).to.contain('the key is PendingDeletion and will be deleted on 2026-10-08T00:00:00.000Z').and.contain('CloudTrail cannot deliver log files');
        expect(r.details).to.include({ keyState: 'PendingDeletion', deletionDate: '2026-10-08T00:00:00.000Z' });
        expect(pointersOf(r.evidence)).to.include(`${KEY_DIR}/DescribeKey.json#/KeyMetadata/DeletionDate`);
      },
    },
    {
      name: 'a key in another state than Enabled, listing every problem', bundle: withKey({ metadata: { KeyState: 'PendingImport', KeyManager: 'AWS' }, rotation: false }),
      resource: KEY, status: 'FAIL', messageId: 'failing',
      check: (r) => expect(r.message).to.equal(
        `KMS key ${KEY} (used by trail main): the key is in state PendingImport, not Enabled; the key is AWS managed, not customer managed; automatic key rotation is off.`,
      ),
    },
    {
      name: 'a key in another collected account, read there', bundle: crossAccount, resource: IN_MEMBER, status: 'FAIL', messageId: 'failing',
      check(r, all) {
        expect(all).to.have.length(2);
        expect(r).to.include({ account: MEMBER, region: 'eu-west-1' });
        expect(r.evidence.map((e) => e.file)).to.include(`accounts/${MEMBER}/eu-west-1/kms/bbbb2222-0000-0000-0000-000000000000/GetKeyRotationStatus.json`);
      },
    },
    {
      name: 'a key in an account not collected', bundle: crossAccount, resource: IN_OUTSIDER, status: 'MANUAL',
      check(r) {
        expect(r).to.include({ account: OUTSIDER, region: 'us-east-1' });
        expect(r.message).to.equal(
          `KMS key ${IN_OUTSIDER} (used by trail other) was not collected (it lives in an account outside the collected scope); verify it by hand or collect that account`,
        );
      },
    },
    {
      name: 'a key in a region outside the collected scope', bundle: () => writeTrails(builder(), [{ account: MGMT, name: 'main', kmsKeyId: ELSEWHERE }]),
      resource: ELSEWHERE, status: 'MANUAL', check: (r) => expect(r).to.include({ account: MGMT, region: 'ap-southeast-2' }),
    },
    {
      name: 'a denied DescribeKey, naming the file',
      bundle: () => withKey()().putError(MGMT, 'us-east-1', `kms/${KEY_ID}/DescribeKey.json`, 'AccessDeniedException'),
      resource: KEY, status: 'ERROR',
      check(r) {
        expect(r.message).to.contain(`${KEY_DIR}/DescribeKey.json holds a failed call: AccessDeniedException`);
        expect(pointersOf(r.evidence)).to.deep.equal([`${KEY_DIR}/DescribeKey.json#/$error`, `${HOME_FILE}#/trailList/0/KmsKeyId`]);
      },
    },
    {
      name: 'DescribeKey missing for a key in a collected account and region', bundle: () => writeTrails(builder(), [{ account: MGMT, name: 'main', kmsKeyId: KEY }]),
      resource: KEY, status: 'ERROR', check: (r) => expect(r.message).to.contain(`${KEY_DIR}/DescribeKey.json is missing from the bundle`),
    },
    {
      name: 'a denied GetKeyRotationStatus, naming the file',
      bundle: () => withKey()().putError(MGMT, 'us-east-1', `kms/${KEY_ID}/GetKeyRotationStatus.json`, 'AccessDeniedException'),
      resource: KEY, status: 'ERROR', check: (r) => expect(r.message).to.contain(`${KEY_DIR}/GetKeyRotationStatus.json holds a failed call: AccessDeniedException`),
    },
    {
      name: 'GetKeyRotationStatus missing', bundle: withKey({ rotation: null }), resource: KEY, status: 'ERROR',
      check: (r) => expect(r.message).to.contain(`${KEY_DIR}/GetKeyRotationStatus.json is missing`),
    },
    {
      name: 'a disabled key whose rotation status could not be read, still', bundle: withKey({ metadata: { KeyState: 'Disabled' }, rotation: null }), resource: KEY, status: 'FAIL', messageId: 'failing',
      check(r) {
        expect(r.details).to.include({ rotationEnabled: null });
        expect(r.details?.rotationUnreadable).to.contain('GetKeyRotationStatus.json is missing');
      },
    },
  ],
  results: [
    {
      name: 'reports one result per key, naming every trail that uses it',
      bundle: () => {
        const b = writeTrails(builder(), [
          { account: MGMT, name: 'main', kmsKeyId: KEY },
          { account: MGMT, name: 'audit', homeRegion: 'eu-west-1', multiRegion: false, kmsKeyId: KEY },
          { account: MGMT, name: 'plain', homeRegion: 'eu-west-1', multiRegion: false },
        ]);
        return writeKey(b, { account: MGMT, region: 'us-east-1', keyId: KEY_ID });
      },
      check(results) {
        expect(results).to.have.length(1);
        expect(results[0]?.message).to.contain('(used by trails audit, main)');
        expect(results[0]?.details?.trails).to.deep.equal([trailArn(MGMT, 'eu-west-1', 'audit'), trailArn(MGMT, 'us-east-1', 'main')]);
      },
    },
    {
      name: 'reports the key of an organization trail seen from member accounts once',
      bundle: () => {
        const b = builder([MGMT, MEMBER]);
        writeOrganization(b, MGMT, [MEMBER]);
        writeTrails(b, [{ account: MGMT, name: 'org', organization: true, members: [MEMBER], kmsKeyId: KEY }]);
        return writeKey(b, { account: MGMT, region: 'us-east-1', keyId: KEY_ID });
      },
      check(results) {
        expect(results.map((r) => [r.resource, r.status])).to.deep.equal([[KEY, 'PASS']]);
        expect(results[0]?.message).to.contain('(used by trail org)');
      },
    },
    { name: 'returns nothing when there is no trail at all', bundle: () => writeTrails(builder(), []), check: (results) => expect(results).to.deep.equal([]) },
  ],
});
