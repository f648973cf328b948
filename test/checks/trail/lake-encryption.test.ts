import { expect } from 'chai';
import { check } from '../../../checks/trail/lake-encryption.js';
import type { EventDataStore } from '../../../src/evidence/aws.js';
import type { BundleBuilder } from '../../../fixtures/bundle-builder.js';
import { resultFor, runCheck } from '../../helpers/check-tester.js';
import { MEMBER, MGMT, builder, keyArn, pointersOf } from '../trail-key-estate.js';

const STORE_ID = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const STORE = edsArn(MGMT, 'us-east-1', STORE_ID);
const LIST_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/ListEventDataStores.json`;
const GET_FILE = `accounts/${MGMT}/us-east-1/cloudtrail/GetEventDataStore/${STORE_ID}.json`;
const KEY = keyArn(MGMT, 'us-east-1', 'eds-key-0001');

function edsArn(account: string, region: string, id: string): string {
  return `arn:aws:cloudtrail:${region}:${account}:eventdatastore/${id}`;
}

/** The ListEventDataStores entry as the API returns it today: no KmsKeyId. */
function listed(arn: string, extra: Partial<EventDataStore> = {}): EventDataStore {
  return {
    EventDataStoreArn: arn,
    Name: 'audit-lake',
    Status: 'ENABLED',
    MultiRegionEnabled: true,
    OrganizationEnabled: false,
    RetentionPeriod: 2557,
    TerminationProtectionEnabled: true,
    ...extra,
  };
}

/** An empty ListEventDataStores in every collected account and region. */
function lake(accounts = [MGMT], regions = ['us-east-1', 'eu-west-1']): BundleBuilder {
  const b = builder(accounts, regions);
  for (const account of accounts) for (const region of regions) b.put(account, region, 'cloudtrail/ListEventDataStores.json', { EventDataStores: [] });
  return b;
}

function withStore(list: Partial<EventDataStore> = {}, get: { [K in keyof EventDataStore]?: EventDataStore[K] | undefined } | null = {}): BundleBuilder {
  const b = lake().put(MGMT, 'us-east-1', 'cloudtrail/ListEventDataStores.json', { EventDataStores: [listed(STORE, list)] });
  if (get !== null) {
    b.put(MGMT, 'us-east-1', `cloudtrail/GetEventDataStore/${STORE_ID}.json`, { ...listed(STORE), KmsKeyId: KEY, BillingMode: 'EXTENDABLE_RETENTION_PRICING', ...get });
  }
  return b;
}

describe('trail.lake-encryption', () => {
  it('PASSes a store with a customer managed key, long retention and termination protection', () => {
    const result = resultFor(runCheck(check, withStore()), STORE);
    expect(result).to.include({ status: 'PASS', account: MGMT, region: 'us-east-1' });
    expect(result.message).to.equal(`Event data store audit-lake is encrypted with customer managed KMS key ${KEY}, keeps events 2557 days and has termination protection.`);
    expect(result.details).to.deep.equal({ kmsKeyId: KEY, retentionPeriod: 2557, minRetentionDays: 365, terminationProtectionEnabled: true, status: 'ENABLED' });
    expect(pointersOf(result.evidence)).to.deep.equal([`${GET_FILE}#/KmsKeyId`, `${GET_FILE}#/RetentionPeriod`, `${GET_FILE}#/TerminationProtectionEnabled`]);
  });

  it('PASSes a retention of exactly minRetentionDays and takes the minimum from the options', () => {
    expect(resultFor(runCheck(check, withStore({}, { RetentionPeriod: 365 })), STORE).status).to.equal('PASS');
    expect(resultFor(runCheck(check, withStore({}, { RetentionPeriod: 364 })), STORE).status).to.equal('FAIL');
    expect(resultFor(runCheck(check, withStore({}, { RetentionPeriod: 90 }), { minRetentionDays: 90 }), STORE).status).to.equal('PASS');
  });

  it('FAILs listing every unmet condition, trusting GetEventDataStore over the list entry', () => {
    const b = withStore({}, { KmsKeyId: undefined, RetentionPeriod: 90, TerminationProtectionEnabled: false });
    const result = resultFor(runCheck(check, b), STORE);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.equal(
      'Event data store audit-lake falls short: it has no customer managed KMS key (events are encrypted with a key AWS owns); it keeps events 90 days (minimum 365); termination protection is off.',
    );
    expect(result.details).to.include({ kmsKeyId: null, retentionPeriod: 90, terminationProtectionEnabled: false });
  });

  it('falls back to the list entry when GetEventDataStore is missing but the entry carries KmsKeyId', () => {
    const result = resultFor(runCheck(check, withStore({ KmsKeyId: KEY }, null)), STORE);
    expect(result.status).to.equal('PASS');
    expect(pointersOf(result.evidence)).to.deep.equal([
      `${LIST_FILE}#/EventDataStores/0/KmsKeyId`,
      `${LIST_FILE}#/EventDataStores/0/RetentionPeriod`,
      `${LIST_FILE}#/EventDataStores/0/TerminationProtectionEnabled`,
    ]);
  });

  it('ERRORs naming the missing GetEventDataStore when nothing tells the key', () => {
    const result = resultFor(runCheck(check, withStore({}, null)), STORE);
    expect(result.status).to.equal('ERROR');
    expect(result.message).to.equal(`Event data store audit-lake (KMS key unknown): ${GET_FILE} is missing from the bundle (call not collected)`);
  });

  it('ERRORs naming the file when GetEventDataStore was denied', () => {
    const b = withStore({}, null).putError(MGMT, 'us-east-1', `cloudtrail/GetEventDataStore/${STORE_ID}.json`, 'AccessDeniedException');
    const result = resultFor(runCheck(check, b), STORE);
    expect(result.status).to.equal('ERROR');
    expect(result.message).to.contain(`${GET_FILE} holds a failed call: AccessDeniedException`);
    expect(pointersOf(result.evidence)).to.include(`${GET_FILE}#/$error`);
  });

  it('still FAILs a store whose short retention is known although its key could not be read', () => {
    const result = resultFor(runCheck(check, withStore({ RetentionPeriod: 30 }, null)), STORE);
    expect(result.status).to.equal('FAIL');
    expect(result.message).to.contain('it keeps events 30 days (minimum 365)').and.contain(`its KMS key could not be read (${GET_FILE} is missing`);
  });

  it('judges a store in any status, including one pending deletion', () => {
    const b = withStore({ Status: 'PENDING_DELETION' }, { Status: 'PENDING_DELETION', TerminationProtectionEnabled: false });
    const result = resultFor(runCheck(check, b), STORE);
    expect(result).to.include({ status: 'FAIL' });
    expect(result.details).to.include({ status: 'PENDING_DELETION' });
  });

  it('reports a store listed in several accounts once, under the account its ARN names', () => {
    const b = lake([MGMT, MEMBER]);
    const org = listed(STORE, { OrganizationEnabled: true });
    b.put(MGMT, 'us-east-1', 'cloudtrail/ListEventDataStores.json', { EventDataStores: [org] });
    b.put(MEMBER, 'us-east-1', 'cloudtrail/ListEventDataStores.json', { EventDataStores: [org] });
    b.put(MGMT, 'us-east-1', `cloudtrail/GetEventDataStore/${STORE_ID}.json`, { ...org, KmsKeyId: KEY });
    const results = runCheck(check, b);
    expect(results.map((r) => [r.account, r.region, r.resource, r.status])).to.deep.equal([[MGMT, 'us-east-1', STORE, 'PASS']]);
  });

  it('reads GetEventDataStore where a member account listed a store of an account not collected', () => {
    const foreign = edsArn('999999999999', 'us-east-1', STORE_ID);
    const b = lake([MEMBER]);
    b.put(MEMBER, 'us-east-1', 'cloudtrail/ListEventDataStores.json', { EventDataStores: [listed(foreign)] });
    b.put(MEMBER, 'us-east-1', `cloudtrail/GetEventDataStore/${STORE_ID}.json`, { ...listed(foreign), KmsKeyId: KEY });
    expect(resultFor(runCheck(check, b), foreign)).to.include({ status: 'PASS', account: '999999999999' });
  });

  it('ERRORs for an account and region whose ListEventDataStores failed, and still judges the others', () => {
    const b = withStore().putError(MGMT, 'eu-west-1', 'cloudtrail/ListEventDataStores.json', 'AccessDeniedException');
    const results = runCheck(check, b);
    expect(results.map((r) => [r.region, r.resource, r.status])).to.deep.equal([
      ['eu-west-1', `AWS::::Account:${MGMT}`, 'ERROR'],
      ['us-east-1', STORE, 'PASS'],
    ]);
    expect(results[0]?.message).to.contain(`accounts/${MGMT}/eu-west-1/cloudtrail/ListEventDataStores.json holds a failed call: AccessDeniedException`);
  });

  it('ERRORs for an account and region whose ListEventDataStores was never collected', () => {
    const b = lake().remove(`accounts/${MGMT}/eu-west-1/cloudtrail/ListEventDataStores.json`);
    const results = runCheck(check, b);
    expect(results.map((r) => [r.region, r.status])).to.deep.equal([['eu-west-1', 'ERROR']]);
    expect(results[0]?.message).to.contain('ListEventDataStores.json is missing from the bundle');
  });

  it('is NOT_APPLICABLE once per account when the bundle holds no event data store', () => {
    const results = runCheck(check, lake([MGMT, MEMBER]));
    expect(results.map((r) => [r.account, r.region, r.resource, r.status])).to.deep.equal([
      [MGMT, 'global', `AWS::::Account:${MGMT}`, 'NOT_APPLICABLE'],
      [MEMBER, 'global', `AWS::::Account:${MEMBER}`, 'NOT_APPLICABLE'],
    ]);
    expect(results[0]?.message).to.equal(`Account ${MGMT} has no CloudTrail Lake event data stores.`);
    expect(results[0]?.evidence).to.have.length(2);
  });
});
