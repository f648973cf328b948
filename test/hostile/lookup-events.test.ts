// Hostile events from the live LookupEvents API: one Event whose CloudTrailEvent is bad JSON, one nested
// thousands deep. Each is skipped as that event's problem (named by account, region, page and event), and the
// other events of the page and the pages after are still read (before, one bad Event lost the rest of its
// account and region).
import { expect } from 'chai';
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { findEvents } from '../../src/events/find.js';
import { lookupEvents } from '../../src/events/readers/lookup-events.js';
import { FULL_SCOPE } from '../../src/events/readers/types.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { record } from '../events/helpers.js';
import { deepObjectText, recordText } from './helpers.js';

function sdkEvent(r: ReturnType<typeof record>, text = JSON.stringify(r)): Record<string, unknown> {
  return { EventId: r.eventID, EventName: r.eventName, EventTime: new Date(r.eventTime as string), EventSource: r.eventSource, CloudTrailEvent: text };
}

describe('hostile live LookupEvents events', () => {
  it('skips a bad and a too-deep CloudTrailEvent by name, and reads the rest of the page and the next page', async () => {
    const client = new CloudTrailClient({ region: 'us-east-1' });
    const first = record({ time: '2026-09-14T03:30:00Z', name: 'DeleteBucket' });
    const bad = record({ time: '2026-09-14T03:31:00Z', name: 'StopLogging' });
    const deep = record({ time: '2026-09-14T03:32:00Z', name: 'DeleteTrail' });
    const last = record({ time: '2026-09-14T03:33:00Z', name: 'PutBucketPolicy' });
    mockClient(client)
      .on(LookupEventsCommand)
      .callsFake((input: LookupEventsCommandInput) =>
        input.NextToken === undefined
          ? { Events: [sdkEvent(first), sdkEvent(bad, '{"eventID": "cut'), sdkEvent(deep, recordText(deep, 'requestParameters', deepObjectText(8000)))], NextToken: 'page-2' }
          : { Events: [sdkEvent(last)] },
      );
    const source = lookupEvents([{ account: '111111111111', region: 'us-east-1', client }], FULL_SCOPE, fakeClock());
    const found = await findEvents([source], { query: { names: [], errorsOnly: false }, scope: FULL_SCOPE, workers: 0, sort: 'time' });
    expect(found.events.map((e) => e.eventName)).to.deep.equal(['DeleteBucket', 'PutBucketPolicy']);
    expect(found.stats.skipped.map((s) => [s.name, s.events])).to.deep.equal([
      [`LookupEvents 111111111111 us-east-1 page 1 event 1 (${bad.eventID})`, 1],
      [`LookupEvents 111111111111 us-east-1 page 1 event 2 (${deep.eventID})`, 1],
    ]);
    expect(found.stats.skipped[0]?.reason).to.match(/JSON/);
    expect(found.stats.skipped[1]?.reason).to.equal('CloudTrailEvent nested deeper than 64 levels (MAX_RECORD_DEPTH)');
    expect(found.stats.eventsSkipped).to.equal(2);
    expect(found.stats.filesSkipped).to.equal(0);
  });
});
