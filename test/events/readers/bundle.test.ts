import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findEvents } from '../../../src/events/find.js';
import { bundleEvents, bundleHasEvents, readManifest } from '../../../src/events/readers/bundle.js';
import type { ScanScope } from '../../../src/events/readers/types.js';
import { BundleBuilder } from '../../../fixtures/bundle-builder.js';
import { logBytes, logKey, record } from '../helpers.js';

const ALL: ScanScope = { from: null, to: null, accounts: [], regions: [] };
const everything = { names: [], errorsOnly: false };
const LOOKUP = 'accounts/111111111111/us-east-1/cloudtrail/LookupEvents.jsonl';

/** A LookupEvents `Event` as the SDK returns it (dates as ISO strings in a bundle), CloudTrailEvent as text. */
function lookupEvent(r: ReturnType<typeof record>): Record<string, unknown> {
  return {
    EventId: r.eventID,
    EventName: r.eventName,
    ReadOnly: 'false',
    AccessKeyId: 'AKIAEXAMPLE',
    EventTime: r.eventTime,
    EventSource: r.eventSource,
    Username: r.userIdentity?.userName,
    Resources: [{ ResourceType: 'AWS::S3::Bucket', ResourceName: 'example-bucket' }],
    CloudTrailEvent: JSON.stringify(r),
  };
}

function withLog(builder: BundleBuilder, file: Parameters<typeof logKey>[0] & { records: ReturnType<typeof record>[] }): string {
  const path = `logs/${logKey(file)}`;
  builder.file(path, logBytes(file));
  return path;
}

describe('bundle events (--bundle DIR)', () => {
  it('reads the logs and every LookupEvents.jsonl, CloudTrailEvent parsed into the record, an event in both once', async () => {
    const shared = record({ time: '2026-09-14T03:32:07Z', name: 'DeleteBucket', user: 'Winter', ip: '192.0.2.55' });
    const onlyLookup = record({ time: '2026-09-14T03:40:00Z', name: 'ListBuckets' });
    const onlyLog = record({ time: '2026-09-14T03:20:00Z', name: 'PutBucketVersioning' });
    const b = new BundleBuilder();
    withLog(b, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T03:35:00Z', records: [onlyLog, shared] });
    b.file(LOOKUP, [onlyLookup, shared].map((r) => JSON.stringify(lookupEvent(r))).join('\n') + '\n');
    const dir = b.writeTemp();
    expect(bundleHasEvents(readManifest(dir))).to.equal(true);

    const found = await findEvents([bundleEvents(dir, ALL)], { query: everything, scope: ALL, workers: 0, sort: 'time' });
    expect(found.events.map((e) => e.eventName)).to.deep.equal(['PutBucketVersioning', 'DeleteBucket', 'ListBuckets']);
    expect(found.stats.duplicates).to.equal(1);
    const deleted = found.events[1];
    expect(deleted?.userIdentity?.userName).to.equal('Winter');
    expect(deleted?.sourceIPAddress).to.equal('192.0.2.55');
    expect(found.stats.files).to.equal(2);
  });

  it('rebuilds a record from the Event fields when CloudTrailEvent is missing, and names a bad line', async () => {
    const b = new BundleBuilder();
    const lines = [
      JSON.stringify({ EventId: 'e-1', EventName: 'ConsoleLogin', EventTime: '2026-09-14T08:00:00Z', EventSource: 'signin.amazonaws.com', Username: 'root', ReadOnly: 'false' }),
      '{"EventId": "e-2", "EventName": ',
      JSON.stringify({ EventId: 'e-3', EventName: 'GetCallerIdentity', CloudTrailEvent: '{"eventID": "e-3", "eventName": "GetCallerIdentity", "eventTime": "2026-09-14T08:01:00Z"' }),
    ];
    b.file(LOOKUP, lines.join('\n') + '\n');
    const dir = b.writeTemp();
    const found = await findEvents([bundleEvents(dir, ALL)], { query: everything, scope: ALL, workers: 0, sort: 'time' });
    expect(found.events).to.have.length(1);
    expect(found.events[0]).to.deep.include({ eventID: 'e-1', eventName: 'ConsoleLogin', eventTime: '2026-09-14T08:00:00Z', eventSource: 'signin.amazonaws.com', awsRegion: 'us-east-1', recipientAccountId: '111111111111', readOnly: false });
    expect(found.events[0]?.userIdentity).to.deep.equal({ userName: 'root' });
    expect(found.stats.skipped.map((s) => s.name)).to.deep.equal([`${LOOKUP}:2`, `${LOOKUP}:3`]);
    expect(found.stats.skipped.map((s) => s.reason.replace(/:.*/s, ''))).to.deep.equal(['bad JSON', 'CloudTrailEvent']);
    expect(found.stats.skipped[1]?.reason).to.match(/^CloudTrailEvent: bad JSON/);
    expect(found.stats.eventsSkipped).to.equal(2);
    expect(found.stats.filesSkipped).to.equal(0);
  });

  it('reads only the files the manifest lists, and reports one that no longer matches it', async () => {
    const b = new BundleBuilder();
    const path = withLog(b, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T03:35:00Z', records: [record({ time: '2026-09-14T03:30:00Z', name: 'Listed' })] });
    const dir = b.writeTemp();
    const unlisted = logKey({ account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T04:35:00Z', suffix: 'Unlisted0000000' });
    writeFileSync(join(dir, 'logs', unlisted), logBytes({ account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T04:35:00Z', records: [record({ time: '2026-09-14T04:30:00Z', name: 'Unlisted' })] }));
    const clean = await findEvents([bundleEvents(dir, ALL)], { query: everything, scope: ALL, workers: 0, sort: 'time' });
    expect(clean.events.map((e) => e.eventName)).to.deep.equal(['Listed']);
    expect(clean.stats.modified).to.deep.equal([]);

    writeFileSync(join(dir, path), logBytes({ account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T03:35:00Z', records: [record({ time: '2026-09-14T03:30:00Z', name: 'Rewritten' })] }));
    const tampered = await findEvents([bundleEvents(dir, ALL)], { query: everything, scope: ALL, workers: 0, sort: 'time' });
    expect(tampered.stats.modified).to.deep.equal([path]);
  });

  it('leaves out LookupEvents files and logs of accounts and regions not asked for', async () => {
    const b = new BundleBuilder({ accounts: ['111111111111', '222222222222'] });
    b.file(LOOKUP, JSON.stringify(lookupEvent(record({ time: '2026-09-14T03:40:00Z', name: 'Kept' }))) + '\n');
    b.file('accounts/222222222222/us-east-1/cloudtrail/LookupEvents.jsonl', 'not read\n');
    withLog(b, { account: '222222222222', region: 'us-east-1', delivered: '2026-09-14T03:35:00Z', records: [record({ time: '2026-09-14T03:30:00Z', name: 'Other', account: '222222222222' })] });
    const dir = b.writeTemp();
    const scope: ScanScope = { ...ALL, accounts: ['111111111111'] };
    const source = bundleEvents(dir, scope);
    const found = await findEvents([source], { query: everything, scope, workers: 0, sort: 'time' });
    expect(found.events.map((e) => e.eventName)).to.deep.equal(['Kept']);
    expect(found.stats.skipped).to.deep.equal([]);
    expect(found.stats.pruned).to.deep.equal({ folders: 1, files: 1 });
  });

  it('says a bundle without logs or LookupEvents has no events', () => {
    const dir = new BundleBuilder().put('111111111111', 'us-east-1', 'cloudtrail/DescribeTrails.json', { trailList: [] }).writeTemp();
    expect(bundleHasEvents(readManifest(dir))).to.equal(false);
  });
});
