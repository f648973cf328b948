import { expect } from 'chai';
import { check } from '../../../checks/trail/lake-encryption.js';
import type { EventDataStore } from '../../../src/evidence/aws.js';
import type { BundleBuilder } from '../../../fixtures/bundle-builder.js';
import { describeCheck } from '../../../src/check-tester.js';
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

/** One store, STORE, in MGMT us-east-1: its list entry changed by `list`, its GetEventDataStore by `get` (null: not collected). */
function withStore(list: Partial<EventDataStore> = {}, get: { [K in keyof EventDataStore]?: EventDataStore[K] | undefined } | null = {}): BundleBuilder {
  const b = lake().put(MGMT, 'us-east-1', 'cloudtrail/ListEventDataStores.json', { EventDataStores: [listed(STORE, list)] });
  if (get !== null) {
    b.put(MGMT, 'us-east-1', `cloudtrail/GetEventDataStore/${STORE_ID}.json`, { ...listed(STORE), KmsKeyId: KEY, BillingMode: 'EXTENDABLE_RETENTION_PRICING', ...get });
  }
  return b;
}

const OF_MGMT = `AWS::::Account:${MGMT}`;
const FOREIGN = edsArn('999999999999', 'us-east-1', STORE_ID);

describeCheck(check, {
  valid: [
    {
      name: 'a store with a customer managed key, long retention and termination protection', bundle: () => withStore(), resource: STORE, status: 'PASS', messageId: 'protected',
      check(r) {
        expect(r).to.include({ account: MGMT, region: 'us-east-1' });
        expect(r.message).to.equal(`Event data store audit-lake is encrypted with customer managed KMS key ${KEY}, keeps events 2557 days and has termination protection.`);
        expect(r.details).to.deep.equal({ kmsKeyId: KEY, retentionPeriod: 2557, minRetentionDays: 365, terminationProtectionEnabled: true, status: 'ENABLED' });
        expect(pointersOf(r.evidence)).to.deep.equal([`${GET_FILE}#/KmsKeyId`, `${GET_FILE}#/RetentionPeriod`, `${GET_FILE}#/TerminationProtectionEnabled`]);
      },
    },
    { name: 'a retention of exactly minRetentionDays', bundle: () => withStore({}, { RetentionPeriod: 365 }), resource: STORE, status: 'PASS', messageId: 'protected' },
    { name: 'a retention of 90 days with minRetentionDays 90 (from the options)', bundle: () => withStore({}, { RetentionPeriod: 90 }), options: { minRetentionDays: 90 }, resource: STORE, status: 'PASS', messageId: 'protected' },
    {
      name: 'the list entry, when GetEventDataStore is missing but the entry carries KmsKeyId', bundle: () => withStore({ KmsKeyId: KEY }, null), resource: STORE, status: 'PASS', messageId: 'protected',
      check: (r) => expect(pointersOf(r.evidence)).to.deep.equal([
        `${LIST_FILE}#/EventDataStores/0/KmsKeyId`,
        `${LIST_FILE}#/EventDataStores/0/RetentionPeriod`,
        `${LIST_FILE}#/EventDataStores/0/TerminationProtectionEnabled`,
      ]),
    },
    {
      name: 'a store listed in several accounts, once, under the account its ARN names',
      bundle: () => {
        const b = lake([MGMT, MEMBER]);
        const org = listed(STORE, { OrganizationEnabled: true });
        b.put(MGMT, 'us-east-1', 'cloudtrail/ListEventDataStores.json', { EventDataStores: [org] });
        b.put(MEMBER, 'us-east-1', 'cloudtrail/ListEventDataStores.json', { EventDataStores: [org] });
        return b.put(MGMT, 'us-east-1', `cloudtrail/GetEventDataStore/${STORE_ID}.json`, { ...org, KmsKeyId: KEY });
      },
      status: 'PASS', messageId: 'protected',
      check: (_r, all) => expect(all.map((r) => [r.account, r.region, r.resource, r.status])).to.deep.equal([[MGMT, 'us-east-1', STORE, 'PASS']]),
    },
    {
      name: 'a store of an account not collected, read from GetEventDataStore where a member account listed it',
      bundle: () => {
        const b = lake([MEMBER]);
        b.put(MEMBER, 'us-east-1', 'cloudtrail/ListEventDataStores.json', { EventDataStores: [listed(FOREIGN)] });
        return b.put(MEMBER, 'us-east-1', `cloudtrail/GetEventDataStore/${STORE_ID}.json`, { ...listed(FOREIGN), KmsKeyId: KEY });
      },
      resource: FOREIGN, status: 'PASS', messageId: 'protected', check: (r) => expect(r).to.include({ account: '999999999999' }),
    },
    {
      name: 'the other regions of an account whose ListEventDataStores failed in one',
      bundle: () => withStore().putError(MGMT, 'eu-west-1', 'cloudtrail/ListEventDataStores.json', 'AccessDeniedException'),
      resource: STORE, status: 'PASS', messageId: 'protected',
    },
    {
      name: 'each account once when the bundle holds no event data store', bundle: () => lake([MGMT, MEMBER]), resource: OF_MGMT, status: 'NOT_APPLICABLE', messageId: 'none',
      check(r, all) {
        expect(all.map((x) => [x.account, x.region, x.resource, x.status])).to.deep.equal([
          [MGMT, 'global', OF_MGMT, 'NOT_APPLICABLE'],
          [MEMBER, 'global', `AWS::::Account:${MEMBER}`, 'NOT_APPLICABLE'],
        ]);
        expect(r.message).to.equal(`Account ${MGMT} has no CloudTrail Lake event data stores.`);
        expect(r.evidence).to.have.length(2);
      },
    },
  ],
  invalid: [
    { name: 'a retention one day short of minRetentionDays', bundle: () => withStore({}, { RetentionPeriod: 364 }), resource: STORE, status: 'FAIL', messageId: 'unprotected' },
    {
      name: 'every unmet condition listed, trusting GetEventDataStore over the list entry', bundle: () => withStore({}, { KmsKeyId: undefined, RetentionPeriod: 90, TerminationProtectionEnabled: false }),
      resource: STORE, status: 'FAIL', messageId: 'unprotected',
      check(r) {
        expect(r.message).to.equal(
          'Event data store audit-lake falls short: it has no customer managed KMS key (events are encrypted with a key AWS owns); it keeps events 90 days (minimum 365); termination protection is off.',
        );
        expect(r.details).to.include({ kmsKeyId: null, retentionPeriod: 90, terminationProtectionEnabled: false });
      },
    },
    {
      name: 'a missing GetEventDataStore when nothing tells the key, naming it', bundle: () => withStore({}, null), resource: STORE, status: 'ERROR',
      check: (r) => expect(r.message).to.equal(`Event data store audit-lake (KMS key unknown): ${GET_FILE} is missing from the bundle (call not collected)`),
    },
    {
      name: 'a denied GetEventDataStore, naming the file',
      bundle: () => withStore({}, null).putError(MGMT, 'us-east-1', `cloudtrail/GetEventDataStore/${STORE_ID}.json`, 'AccessDeniedException'),
      resource: STORE, status: 'ERROR',
      check(r) {
        expect(r.message).to.contain(`${GET_FILE} holds a failed call: AccessDeniedException`);
        expect(pointersOf(r.evidence)).to.include(`${GET_FILE}#/$error`);
      },
    },
    {
      name: 'a store whose short retention is known although its key could not be read, still', bundle: () => withStore({ RetentionPeriod: 30 }, null), resource: STORE, status: 'FAIL', messageId: 'unprotected',
      check: (r) => expect(r.message).to.contain('it keeps events 30 days (minimum 365)').and.contain(`its KMS key could not be read (${GET_FILE} is missing`),
    },
    {
      name: 'a store in any status, including one pending deletion', bundle: () => withStore({ Status: 'PENDING_DELETION' }, { Status: 'PENDING_DELETION', TerminationProtectionEnabled: false }),
      resource: STORE, status: 'FAIL', messageId: 'unprotected', check: (r) => expect(r.details).to.include({ status: 'PENDING_DELETION' }),
    },
    {
      name: 'an account and region whose ListEventDataStores failed, the others still judged',
      bundle: () => withStore().putError(MGMT, 'eu-west-1', 'cloudtrail/ListEventDataStores.json', 'AccessDeniedException'),
      resource: OF_MGMT, status: 'ERROR',
      check(r, all) {
        expect(all.map((x) => [x.region, x.resource, x.status])).to.deep.equal([
          ['eu-west-1', OF_MGMT, 'ERROR'],
          ['us-east-1', STORE, 'PASS'],
        ]);
        expect(r.message).to.contain(`accounts/${MGMT}/eu-west-1/cloudtrail/ListEventDataStores.json holds a failed call: AccessDeniedException`);
      },
    },
    {
      name: 'an account and region whose ListEventDataStores was never collected', bundle: () => lake().remove(`accounts/${MGMT}/eu-west-1/cloudtrail/ListEventDataStores.json`), status: 'ERROR',
      check(r, all) {
        expect(all.map((x) => [x.region, x.status])).to.deep.equal([['eu-west-1', 'ERROR']]);
        expect(r.message).to.contain('ListEventDataStores.json is missing from the bundle');
      },
    },
  ],
});
