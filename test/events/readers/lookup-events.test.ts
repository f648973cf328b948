import { expect } from 'chai';
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { findEvents } from '../../../src/events/find.js';
import { Pacer } from '../../../src/aws/scheduler.js';
import { lookupEvents } from '../../../src/events/readers/lookup-events.js';
import type { ScanScope } from '../../../src/events/readers/types.js';
import { record } from '../helpers.js';
import { fakeClock } from '../../helpers/fake-clock.js';

const everything = { names: [], errorsOnly: false };

function sdkEvent(r: ReturnType<typeof record>): Record<string, unknown> {
  return { EventId: r.eventID, EventName: r.eventName, EventTime: new Date(r.eventTime as string), EventSource: r.eventSource, Username: 'alice', CloudTrailEvent: JSON.stringify(r) };
}

describe('live LookupEvents (--lookup-events)', () => {
  it('pages through every account and region, with the time range, CloudTrailEvent parsed into records', async () => {
    const a = new CloudTrailClient({ region: 'us-east-1' });
    const b = new CloudTrailClient({ region: 'eu-west-1' });
    const ma = mockClient(a);
    const mb = mockClient(b);
    const first = record({ time: '2026-09-14T03:32:07Z', name: 'DeleteBucket', user: 'Winter' });
    const second = record({ time: '2026-09-14T03:30:00Z', name: 'PutBucketVersioning', user: 'Winter' });
    const third = record({ time: '2026-09-14T05:00:00Z', name: 'RunInstances', region: 'eu-west-1' });
    ma.on(LookupEventsCommand).callsFake((input: LookupEventsCommandInput) =>
      input.NextToken === undefined ? { Events: [sdkEvent(first)], NextToken: 'page-2' } : { Events: [sdkEvent(second)] },
    );
    mb.on(LookupEventsCommand).resolves({ Events: [sdkEvent(third)] });
    const scope: ScanScope = { from: Date.parse('2026-09-14T00:00:00Z'), to: Date.parse('2026-09-14T23:59:59.999Z'), accounts: [], regions: [] };
    const clock = fakeClock();
    const source = lookupEvents([{ account: '111111111111', region: 'us-east-1', client: a }, { account: '111111111111', region: 'eu-west-1', client: b }], scope, clock);
    const found = await findEvents([source], { query: everything, scope, workers: 0, sort: 'time' });

    expect(found.events.map((e) => e.eventName)).to.deep.equal(['PutBucketVersioning', 'DeleteBucket', 'RunInstances']);
    expect(found.events[1]?.userIdentity?.userName).to.equal('Winter');
    const calls = ma.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);
    expect(calls).to.have.length(2);
    expect(calls[0]).to.deep.include({ MaxResults: 50, StartTime: new Date('2026-09-14T00:00:00Z'), EndTime: new Date('2026-09-14T23:59:59.999Z') });
    expect(calls[1]?.NextToken).to.equal('page-2');
    expect(found.stats.files).to.equal(3);
  });

  it('paces each account and region at two requests per second', async () => {
    const clock = fakeClock();
    const pacer = new Pacer(1000 / 2, clock);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pacer.wait();
      times.push(clock.now());
    }
    expect(times.map((t) => t - (times[0] as number))).to.deep.equal([0, 500, 1000, 1500, 2000]);

    const c = new CloudTrailClient({ region: 'us-east-1' });
    mockClient(c)
      .on(LookupEventsCommand)
      .callsFake((input: LookupEventsCommandInput) => {
        const page = Number(input.NextToken ?? '0');
        return { Events: [], NextToken: page < 3 ? String(page + 1) : undefined };
      });
    const paced = fakeClock();
    const scope: ScanScope = { from: null, to: null, accounts: [], regions: [] };
    await findEvents([lookupEvents([{ account: '111111111111', region: 'us-east-1', client: c }], scope, paced)], { query: everything, scope, workers: 0, sort: 'time' });
    // Four requests: the first at once, each later one 500 ms after the one before.
    expect(paced.sleeps).to.deep.equal([500, 500, 500]);
  });

  it('reports an account-region whose calls are denied and reads the others', async () => {
    const denied = new CloudTrailClient({ region: 'us-east-1' });
    mockClient(denied).on(LookupEventsCommand).rejects(Object.assign(new Error('User is not authorized to perform: cloudtrail:LookupEvents'), { name: 'AccessDeniedException' }));
    const ok = new CloudTrailClient({ region: 'us-east-1' });
    mockClient(ok).on(LookupEventsCommand).resolves({ Events: [sdkEvent(record({ time: '2026-09-14T03:32:07Z', name: 'DeleteBucket', account: '222222222222' }))] });
    const scope: ScanScope = { from: null, to: null, accounts: [], regions: [] };
    const source = lookupEvents(
      [{ account: '111111111111', region: 'us-east-1', client: denied }, { account: '222222222222', region: 'us-east-1', client: ok }],
      scope,
      fakeClock(),
    );
    const found = await findEvents([source], { query: everything, scope, workers: 0, sort: 'time' });
    expect(found.events.map((e) => e.recipientAccountId)).to.deep.equal(['222222222222']);
    expect(found.stats.skipped).to.deep.equal([{ name: 'LookupEvents 111111111111 us-east-1', reason: 'AccessDeniedException: User is not authorized to perform: cloudtrail:LookupEvents', events: null }]);
    expect(found.stats.filesSkipped).to.equal(1);
  });

  it('reads only the accounts and regions asked for', async () => {
    const c = new CloudTrailClient({ region: 'us-east-1' });
    const m = mockClient(c).on(LookupEventsCommand).resolves({ Events: [] });
    const scope: ScanScope = { from: null, to: null, accounts: [], regions: ['eu-west-1'] };
    const source = lookupEvents([{ account: '111111111111', region: 'us-east-1', client: c }], scope, fakeClock());
    await findEvents([source], { query: everything, scope, workers: 0, sort: 'time' });
    expect(m.commandCalls(LookupEventsCommand)).to.have.length(0);
    expect(source.pruned().files).to.equal(1);
  });
});
