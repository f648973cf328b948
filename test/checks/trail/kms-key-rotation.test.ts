import { expect } from 'chai';
import { check } from '../../../checks/trail/kms-key-rotation.js';
import { trailArn } from '../../../fixtures/bundle-builder.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { MEMBER, MGMT, OUTSIDER, builder, keyArn, pointersOf, writeKey, writeOrganization, writeTrails, type KeySpec } from '../trail-key-estate.js';

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY = keyArn(MGMT, 'us-east-1', KEY_ID);
const KEY_DIR = `accounts/${MGMT}/us-east-1/kms/${KEY_ID}`;
const HOME_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/DescribeTrails.json`;

function run(key: Partial<KeySpec> = {}) {
  const b = writeTrails(builder(), [{ account: MGMT, name: 'main', kmsKeyId: KEY }]);
  writeKey(b, { account: MGMT, region: 'us-east-1', keyId: KEY_ID, ...key });
  return runCheck(check, b);
}

describe('trail.kms-key-rotation', () => {
  it('PASSes a customer managed, enabled, rotated key, reported on the key and naming its trail', () => {
    const result = resultFor(run(), KEY);
    expect(result).to.include({ status: 'PASS', account: MGMT, region: 'us-east-1' });
    expect(result.message).to.equal(`KMS key ${KEY} (used by trail main) is customer managed, enabled and rotated automatically.`);
    expect(result.details).to.deep.include({ keyManager: 'CUSTOMER', keyState: 'Enabled', rotationEnabled: true, rotationPeriodInDays: 365, trails: [trailArn(MGMT, 'us-east-1', 'main')] });
    expect(pointersOf(result.evidence)).to.deep.equal([
      `${HOME_FILE}#/trailList/0/KmsKeyId`,
      `${KEY_DIR}/DescribeKey.json#/KeyMetadata/KeyState`,
      `${KEY_DIR}/DescribeKey.json#/KeyMetadata/KeyManager`,
      `${KEY_DIR}/GetKeyRotationStatus.json#/KeyRotationEnabled`,
    ]);
  });

  it('FAILs a key whose automatic rotation is off', () => {
    const result = resultFor(run({ rotation: false }), KEY);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.equal(`KMS key ${KEY} (used by trail main): automatic key rotation is off.`);
    expect(result.details).to.include({ rotationEnabled: false });
  });

  it('FAILs an AWS managed key', () => {
    const result = resultFor(run({ metadata: { KeyManager: 'AWS' } }), KEY);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.contain('the key is AWS managed, not customer managed');
  });

  it('FAILs a disabled key loudly: CloudTrail cannot deliver with it', () => {
    const result = resultFor(run({ metadata: { KeyState: 'Disabled' } }), KEY);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.equal(`KMS key ${KEY} (used by trail main): the key is Disabled, so CloudTrail cannot deliver log files encrypted with it.`);
  });

  it('FAILs a key pending deletion, naming the deletion date', () => {
    const result = resultFor(run({ metadata: { KeyState: 'PendingDeletion', DeletionDate: '2026-10-08T00:00:00.000Z' } }), KEY);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.contain('the key is PendingDeletion and will be deleted on 2026-10-08T00:00:00.000Z').and.contain('CloudTrail cannot deliver log files');
    expect(result.details).to.include({ keyState: 'PendingDeletion', deletionDate: '2026-10-08T00:00:00.000Z' });
    expect(pointersOf(result.evidence)).to.include(`${KEY_DIR}/DescribeKey.json#/KeyMetadata/DeletionDate`);
  });

  it('FAILs a key in another state than Enabled, listing every problem', () => {
    const result = resultFor(run({ metadata: { KeyState: 'PendingImport', KeyManager: 'AWS' }, rotation: false }), KEY);
    expect(result.message).to.equal(
      `KMS key ${KEY} (used by trail main): the key is in state PendingImport, not Enabled; the key is AWS managed, not customer managed; automatic key rotation is off.`,
    );
  });

  it('reports one result per key, naming every trail that uses it', () => {
    const b = writeTrails(builder(), [
      { account: MGMT, name: 'main', kmsKeyId: KEY },
      { account: MGMT, name: 'audit', homeRegion: 'eu-west-1', multiRegion: false, kmsKeyId: KEY },
      { account: MGMT, name: 'plain', homeRegion: 'eu-west-1', multiRegion: false },
    ]);
    writeKey(b, { account: MGMT, region: 'us-east-1', keyId: KEY_ID });
    const results = runCheck(check, b);
    expect(results).to.have.length(1);
    expect(results[0]?.message).to.contain('(used by trails audit, main)');
    expect(results[0]?.details?.trails).to.deep.equal([trailArn(MGMT, 'eu-west-1', 'audit'), trailArn(MGMT, 'us-east-1', 'main')]);
  });

  it('reads a key in another collected account there, and is MANUAL for a key in an account not collected', () => {
    const inB = keyArn(MEMBER, 'eu-west-1', 'bbbb2222-0000-0000-0000-000000000000');
    const inC = keyArn(OUTSIDER, 'us-east-1', 'cccc3333-0000-0000-0000-000000000000');
    const b = writeTrails(builder([MGMT, MEMBER]), [
      { account: MGMT, name: 'main', kmsKeyId: inB },
      { account: MGMT, name: 'other', homeRegion: 'eu-west-1', multiRegion: false, kmsKeyId: inC },
    ]);
    writeKey(b, { account: MEMBER, region: 'eu-west-1', keyId: 'bbbb2222-0000-0000-0000-000000000000', rotation: false });
    const results = runCheck(check, b);
    expect(results).to.have.length(2);
    const crossAccount = resultFor(results, inB);
    expect(crossAccount).to.include({ status: 'FAIL', account: MEMBER, region: 'eu-west-1' });
    expect(crossAccount.evidence.map((e) => e.file)).to.include(`accounts/${MEMBER}/eu-west-1/kms/bbbb2222-0000-0000-0000-000000000000/GetKeyRotationStatus.json`);
    const outside = resultFor(results, inC);
    expect(outside).to.include({ status: 'MANUAL', account: OUTSIDER, region: 'us-east-1' });
    expect(outside.message).to.equal(
      `KMS key ${inC} (used by trail other) was not collected (it lives in an account outside the collected scope); verify it by hand or collect that account`,
    );
  });

  it('is MANUAL for a key in a region outside the collected scope', () => {
    const elsewhere = keyArn(MGMT, 'ap-southeast-2', KEY_ID);
    const results = runCheck(check, writeTrails(builder(), [{ account: MGMT, name: 'main', kmsKeyId: elsewhere }]));
    expect(resultFor(results, elsewhere)).to.include({ status: 'MANUAL', account: MGMT, region: 'ap-southeast-2' });
  });

  it('ERRORs naming the file when DescribeKey was denied', () => {
    const b = writeTrails(builder(), [{ account: MGMT, name: 'main', kmsKeyId: KEY }]);
    writeKey(b, { account: MGMT, region: 'us-east-1', keyId: KEY_ID }).putError(MGMT, 'us-east-1', `kms/${KEY_ID}/DescribeKey.json`, 'AccessDeniedException');
    const result = resultFor(runCheck(check, b), KEY);
    expect(result.status).to.equal('ERROR');
    expect(result.message).to.contain(`${KEY_DIR}/DescribeKey.json holds a failed call: AccessDeniedException`);
    expect(pointersOf(result.evidence)).to.deep.equal([`${KEY_DIR}/DescribeKey.json#/$error`, `${HOME_FILE}#/trailList/0/KmsKeyId`]);
  });

  it('ERRORs when DescribeKey is missing for a key in a collected account and region', () => {
    const b = writeTrails(builder(), [{ account: MGMT, name: 'main', kmsKeyId: KEY }]);
    const result = resultFor(runCheck(check, b), KEY);
    expect(result.status).to.equal('ERROR');
    expect(result.message).to.contain(`${KEY_DIR}/DescribeKey.json is missing from the bundle`);
  });

  it('ERRORs naming the file when GetKeyRotationStatus was denied', () => {
    const b = writeTrails(builder(), [{ account: MGMT, name: 'main', kmsKeyId: KEY }]);
    writeKey(b, { account: MGMT, region: 'us-east-1', keyId: KEY_ID }).putError(MGMT, 'us-east-1', `kms/${KEY_ID}/GetKeyRotationStatus.json`, 'AccessDeniedException');
    const result = resultFor(runCheck(check, b), KEY);
    expect(result.status).to.equal('ERROR');
    expect(result.message).to.contain(`${KEY_DIR}/GetKeyRotationStatus.json holds a failed call: AccessDeniedException`);
  });

  it('ERRORs when GetKeyRotationStatus is missing', () => {
    const result = resultFor(run({ rotation: null }), KEY);
    expect(result.status).to.equal('ERROR');
    expect(result.message).to.contain(`${KEY_DIR}/GetKeyRotationStatus.json is missing`);
  });

  it('still FAILs a disabled key whose rotation status could not be read', () => {
    const result = resultFor(run({ metadata: { KeyState: 'Disabled' }, rotation: null }), KEY);
    expect(result.status).to.equal('FAIL');
    expect(result.details).to.include({ rotationEnabled: null });
    expect(result.details?.rotationUnreadable).to.contain('GetKeyRotationStatus.json is missing');
  });

  it('reports the key of an organization trail seen from member accounts once', () => {
    const b = builder([MGMT, MEMBER]);
    writeOrganization(b, MGMT, [MEMBER]);
    writeTrails(b, [{ account: MGMT, name: 'org', organization: true, members: [MEMBER], kmsKeyId: KEY }]);
    writeKey(b, { account: MGMT, region: 'us-east-1', keyId: KEY_ID });
    const results = runCheck(check, b);
    expect(results.map((r) => [r.resource, r.status])).to.deep.equal([[KEY, 'PASS']]);
    expect(results[0]?.message).to.contain('(used by trail org)');
  });

  it('is NOT_APPLICABLE for each trail when no trail uses a KMS key', () => {
    const b = writeTrails(builder([MGMT], ['eu-west-1', 'us-east-1', 'us-west-2']), [
      { account: MGMT, name: 'main', homeRegion: 'us-east-1' },
      { account: MGMT, name: 'regional', homeRegion: 'eu-west-1', multiRegion: false },
    ]);
    const results = runCheck(check, b);
    expect(results.map((r) => [r.resource, r.status])).to.deep.equal([
      [trailArn(MGMT, 'eu-west-1', 'regional'), 'NOT_APPLICABLE'],
      [trailArn(MGMT, 'us-east-1', 'main'), 'NOT_APPLICABLE'],
    ]);
    expect(results[1]?.message).to.equal('Trail main has no KMS key, so there is no key to rotate (see trail.kms-encryption).');
  });

  it('returns nothing when there is no trail at all', () => {
    expect(runCheck(check, writeTrails(builder(), []))).to.deep.equal([]);
  });
});
