// CloudTrail: the trails each account and region sees, each trail's status, selectors and insights (asked by
// ARN, which also answers for an organization trail seen from a member account), CloudTrail Lake event data
// stores, and optionally the 90-day event history (LookupEvents), paced and streamed to JSON Lines.
import {
  DescribeTrailsCommand,
  GetEventDataStoreCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
  paginateListEventDataStores,
  type Trail,
} from '../aws/sdk/cloudtrail.js';
import type { ClientSet } from './clients.js';
import { filePath, record, recordPages, type Place, type Recorder } from './record.js';
import type { Pacer } from '../aws/scheduler.js';
import { isSafePath } from './writer.js';

function here(clients: ClientSet): Place {
  return { account: clients.account, where: clients.region };
}

/** DescribeTrails with shadow trails: every trail that records this account and region. */
export async function describeTrails(rec: Recorder, clients: ClientSet): Promise<Trail[] | undefined> {
  const out = await record(rec, here(clients), 'cloudtrail/DescribeTrails.json', 'cloudtrail:DescribeTrails', (abortSignal) =>
    clients.cloudtrail.send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal }),
  );
  return out?.trailList;
}

/** Status, event selectors and insight selectors of one trail, asked from its home region. */
export async function trailDetails(rec: Recorder, clients: ClientSet, trailArn: string, name: string): Promise<void> {
  const place = here(clients);
  await Promise.all([
    record(rec, place, `cloudtrail/GetTrailStatus/${name}.json`, 'cloudtrail:GetTrailStatus', (abortSignal) =>
      clients.cloudtrail.send(new GetTrailStatusCommand({ Name: trailArn }), { abortSignal })),
    record(rec, place, `cloudtrail/GetEventSelectors/${name}.json`, 'cloudtrail:GetEventSelectors', (abortSignal) =>
      clients.cloudtrail.send(new GetEventSelectorsCommand({ TrailName: trailArn }), { abortSignal })),
    record(rec, place, `cloudtrail/GetInsightSelectors/${name}.json`, 'cloudtrail:GetInsightSelectors', (abortSignal) =>
      clients.cloudtrail.send(new GetInsightSelectorsCommand({ TrailName: trailArn }), { abortSignal })),
  ]);
}

/**
 * ListEventDataStores, then GetEventDataStore for each store (the list no longer carries KmsKeyId and the
 * other settings). Returns the stores whose id could not be used as a file name.
 */
export async function eventDataStores(rec: Recorder, clients: ClientSet): Promise<string[]> {
  const place = here(clients);
  const list = await recordPages(rec, place, 'cloudtrail/ListEventDataStores.json', 'cloudtrail:ListEventDataStores', ['EventDataStores'], (abortSignal) =>
    paginateListEventDataStores({ client: clients.cloudtrail }, {}, { abortSignal }),
  );
  const stores = (list?.['EventDataStores'] ?? []) as { EventDataStoreArn?: string }[];
  const unusable: string[] = [];
  await Promise.all(stores.map(async ({ EventDataStoreArn: arn }) => {
    const id = arn?.split('/').pop();
    if (arn === undefined || id === undefined || !isSafePath(id)) {
      unusable.push(arn ?? '(no ARN)');
      return;
    }
    await record(rec, place, `cloudtrail/GetEventDataStore/${id}.json`, 'cloudtrail:GetEventDataStore', (abortSignal) =>
      clients.cloudtrail.send(new GetEventDataStoreCommand({ EventDataStore: arn }), { abortSignal }));
  }));
  return unusable;
}

/**
 * The event history of the last 90 days, one `Event` per line. LookupEvents allows two requests per second
 * per account and region, so each page waits its turn; pages are fetched by token (not the SDK's paginator)
 * so a page still throttled after the retries is asked again from where it stopped. A history that could not
 * be read to its end is not stored as if complete: the file then holds one `{"$error": ...}` line.
 */
export async function lookupEvents(rec: Recorder, clients: ClientSet, pacer: Pacer): Promise<number> {
  const place = here(clients);
  const path = filePath(place, 'cloudtrail/LookupEvents.jsonl');
  const file = await rec.writer.openLines(path);
  if (file === undefined) return 0;
  let token: string | undefined;
  let count = 0;
  for (;;) {
    await pacer.wait(`${place.account}/${place.where}`);
    const input = token === undefined ? { MaxResults: 50 } : { MaxResults: 50, NextToken: token };
    const outcome = await rec.scheduler.call({ action: 'cloudtrail:LookupEvents', account: place.account, region: place.where }, (abortSignal) =>
      clients.cloudtrail.send(new LookupEventsCommand(input), { abortSignal }));
    if (!outcome.ok) {
      await file.abort();
      if (!outcome.skipped) {
        const failed = await rec.writer.openLines(path);
        await failed?.write(JSON.stringify({ $error: outcome.error }));
        await failed?.commit();
      }
      return count;
    }
    for (const event of outcome.value.Events ?? []) {
      await file.write(JSON.stringify(event));
      count++;
    }
    token = outcome.value.NextToken;
    if (!token) break;
  }
  await file.commit();
  return count;
}
