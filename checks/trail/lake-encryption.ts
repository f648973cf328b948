import {
  accountSubject, type CheckResult, defineCheck, describeUnusable, type EventDataStore, evidenceRef, type EvidenceRef, type GetEventDataStoreResponse, type Read, readRef, type Source,
} from '../../src/check-kit.js';

interface Listing {
  account: string;
  region: string;
  entry: EventDataStore;
  source: Source;
  pointer: string;
}

type Field = 'KmsKeyId' | 'RetentionPeriod' | 'TerminationProtectionEnabled';

const EDS_ARN = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\d{12}):eventdatastore\/(.+)$/;

export const check = defineCheck({
  meta: {
    id: 'trail.lake-encryption',
    title: 'CloudTrail Lake event data stores use a customer managed key, long retention and termination protection',
    severity: 'medium',
    scope: 'event-data-store',
    description:
      'Each CloudTrail Lake event data store is read with GetEventDataStore (ListEventDataStores no longer returns KmsKeyId): ' +
      'its KMS key, retention period and termination protection.',
    rationale:
      'Events in an event data store are the audit record itself: a customer managed key puts reading them under your key policy, ' +
      'a short retention deletes them before an investigation or audit needs them, and without termination protection one API call deletes the store.',
    remediation: {
      text: 'Set a customer managed KMS key on the event data store (it cannot be removed later), raise its retention period and turn on termination protection.',
      cli: 'aws cloudtrail update-event-data-store --event-data-store <arn> --kms-key-id <key-arn> --retention-period 365 --termination-protection-enabled',
      iac: 'AWS::CloudTrail::EventDataStore KmsKeyId, RetentionPeriod: 365, TerminationProtectionEnabled: true',
    },
    defaultOptions: { minRetentionDays: 365 },
    schema: {
      type: 'object',
      properties: {
        minRetentionDays: { type: 'integer', minimum: 1, default: 365, description: 'Fewest days an event data store must keep its events.' },
      },
      additionalProperties: false,
    },
    messages: {
      protected:
        'Event data store {{store}} is encrypted with customer managed KMS key {{key}}, keeps events {{days}} days and has termination protection.',
      unprotected: 'Event data store {{store}} falls short: {{problems}}.',
      none: 'Account {{account}} has no CloudTrail Lake event data stores.',
    },
  },
  run(estate, ctx) {
    const results: CheckResult[] = [];
    const stores = new Map<string, Listing[]>();
    const unusable = new Set<string>();
    for (const ar of estate.accountRegions) {
      const read = ar.eventDataStores;
      if (read.kind !== 'ok') {
        unusable.add(ar.account);
        const subject = accountSubject(ar.account, ar.region);
        results.push(ctx.error(read, subject, `CloudTrail Lake event data stores of account ${ar.account} in ${ar.region}`));
        continue;
      }
      (read.value.EventDataStores ?? []).forEach((entry, i) => {
        const id = entry.EventDataStoreArn ?? `${ar.account}/${ar.region}/${entry.Name ?? String(i)}`;
        const listings = stores.get(id) ?? [];
        listings.push({ account: ar.account, region: ar.region, entry, source: read.source, pointer: `/EventDataStores/${i}` });
        stores.set(id, listings);
      });
    }

    if (stores.size === 0) {
      for (const account of estate.accounts) {
        if (unusable.has(account.id)) continue;
        const evidence = estate.regionsOf(account.id).flatMap((ar) => readRef(ar.eventDataStores, '/EventDataStores'));
        const subject = accountSubject(account.id);
        results.push(ctx.result('NOT_APPLICABLE', { ...subject, messageId: 'none', data: { account: account.id }, evidence }));
      }
      return results;
    }

    const minDays = ctx.options.minRetentionDays;
    for (const [id, listings] of [...stores.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const arn = EDS_ARN.exec(id);
      const owner = arn ? { account: arn[2] as string, region: arn[1] as string } : (listings[0] as Listing);
      // The owner's own listing first: GetEventDataStore was called where the store was listed.
      const ordered = [...listings].sort((a, b) => Number(isAt(b, owner)) - Number(isAt(a, owner)));
      const listing = ordered[0] as Listing;
      const name = listing.entry.Name ?? id;
      const subject = { account: owner.account, region: owner.region, resource: id };
      const get = readGet(ordered, arn?.[3] ?? listing.entry.Name ?? '', (file) => estate.bundle.read<GetEventDataStoreResponse>(file));
      const got = get.kind === 'ok' ? get.value : undefined;
      const evidence: EvidenceRef[] = [];
      const field = <K extends Field>(key: K): EventDataStore[K] | undefined => {
        if (got !== undefined && got[key] !== undefined && get.kind === 'ok') {
          evidence.push(evidenceRef(get.source, `/${key}`));
          return got[key];
        }
        if (listing.entry[key] !== undefined) {
          evidence.push(evidenceRef(listing.source, `${listing.pointer}/${key}`));
          return listing.entry[key];
        }
        return undefined;
      };

      const problems: string[] = [];
      const unknown: string[] = [];
      // A field the GetEventDataStore answer leaves out is a fact about the store; one we could not read is not.
      const known = get.kind === 'ok';
      const key = field('KmsKeyId');
      if (typeof key !== 'string' || key === '') {
        if (known || key !== undefined) problems.push('it has no customer managed KMS key (events are encrypted with a key AWS owns)');
        else unknown.push('KMS key');
      }
      const days = field('RetentionPeriod');
      if (typeof days === 'number') {
        if (days < minDays) problems.push(`it keeps events ${days} days (minimum ${minDays})`);
      } else if (known) problems.push('it reports no retention period');
      else unknown.push('retention period');
      const termination = field('TerminationProtectionEnabled');
      if (termination === false || (termination === undefined && known)) problems.push('termination protection is off');
      else if (termination === undefined) unknown.push('termination protection');

      const details = {
        kmsKeyId: typeof key === 'string' && key !== '' ? key : null,
        retentionPeriod: typeof days === 'number' ? days : null,
        minRetentionDays: minDays,
        terminationProtectionEnabled: termination ?? null,
        status: listing.entry.Status ?? got?.Status ?? null,
      };
      if (get.kind !== 'ok' && (problems.length > 0 || unknown.length > 0)) evidence.push(...readRef(get));
      if (problems.length > 0) {
        if (get.kind !== 'ok' && unknown.length > 0) problems.push(`its ${unknown.join(', ')} could not be read (${describeUnusable(get)})`);
        results.push(ctx.result('FAIL', { ...subject, messageId: 'unprotected', data: { store: name, problems: problems.join('; ') }, evidence, details }));
      } else if (get.kind !== 'ok' && unknown.length > 0) {
        results.push({ ...ctx.error(get, subject, `Event data store ${name} (${unknown.join(', ')} unknown)`), evidence, details });
      } else {
        const data = { store: name, key: details.kmsKeyId ?? '', days: details.retentionPeriod ?? 0 };
        results.push(ctx.result('PASS', { ...subject, messageId: 'protected', data, evidence, details }));
      }
    }
    return results;
  },
});

function isAt(listing: Listing, place: { account: string; region: string }): boolean {
  return listing.account === place.account && listing.region === place.region;
}

/** The store's GetEventDataStore where it was listed: the first answer that is ok, else a failed call, else the first missing file. */
function readGet(listings: Listing[], storeId: string, read: (file: string) => Read<GetEventDataStoreResponse>): Read<GetEventDataStoreResponse> {
  const reads = listings.map((l) => read(`accounts/${l.account}/${l.region}/cloudtrail/GetEventDataStore/${storeId}.json`));
  return reads.find((r) => r.kind === 'ok') ?? reads.find((r) => r.kind === 'error') ?? (reads[0] as Read<GetEventDataStoreResponse>);
}
