import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { findEvents } from '../../../src/events/find.js';
import { localLogs } from '../../../src/events/readers/local.js';
import type { LogSource, LogUnit, ScanScope } from '../../../src/events/readers/types.js';
import { record, tempDir, writeLog } from '../helpers.js';

const ALL: ScanScope = { from: null, to: null, accounts: [], regions: [] };

async function unitsOf(source: LogSource): Promise<LogUnit[]> {
  const out: LogUnit[] = [];
  for await (const unit of source.units()) out.push(unit);
  return out;
}

const everything = { names: [], errorsOnly: false };

describe('local log folders (--logs DIR)', () => {
  it('reads .json.gz and .json files with and without an organization folder, in delivery order', async () => {
    const root = tempDir();
    writeLog(root, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T10:05:00Z', records: [record({ time: '2026-09-14T10:01:00Z', name: 'B' })] });
    writeLog(root, { orgId: 'o-a1b2c3d4e5', account: '222222222222', region: 'eu-west-1', delivered: '2026-09-14T09:05:00Z', records: [record({ time: '2026-09-14T09:01:00Z', name: 'A', account: '222222222222' })] });
    writeLog(root, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-15T01:00:00Z', plain: true, records: [record({ time: '2026-09-15T00:58:00Z', name: 'C' })] });
    const units = await unitsOf(localLogs(root, ALL));
    expect(units.map((u) => u.delivered)).to.deep.equal([Date.parse('2026-09-14T09:05:00Z'), Date.parse('2026-09-14T10:05:00Z'), Date.parse('2026-09-15T01:00:00Z')]);
    const found = await findEvents([localLogs(root, ALL)], { query: everything, scope: ALL, workers: 0, sort: 'time' });
    expect(found.events.map((e) => e.eventName)).to.deep.equal(['A', 'B', 'C']);
    expect(found.stats.files).to.equal(3);
    expect(found.stats.filesSkipped).to.equal(0);
  });

  it('never opens files whose key puts them outside --from/--to, --accounts or --regions', async () => {
    const root = tempDir();
    const garbage = Buffer.from('this file must never be opened');
    const keep = (delivered: string, time: string): string =>
      writeLog(root, { account: '111111111111', region: 'us-east-1', delivered, records: [record({ time, name: `at ${time}` })] });
    const inRange = [keep('2026-09-14T00:04:00Z', '2026-09-14T00:01:00Z'), keep('2026-09-14T23:59:00Z', '2026-09-14T23:55:00Z')];
    // Delivered after --to but holding its last minutes: kept (CloudTrail files the day of delivery).
    const late = keep('2026-09-15T00:07:00Z', '2026-09-14T23:58:00Z');
    // Out of range by day folder, by file name, by account, by region: unreadable bytes, so opening one would show.
    writeLog(root, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-12T12:00:00Z', records: [], bytes: garbage });
    writeLog(root, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-13T23:58:00Z', records: [], bytes: garbage });
    writeLog(root, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-16T12:00:00Z', records: [], bytes: garbage });
    writeLog(root, { account: '999999999999', region: 'us-east-1', delivered: '2026-09-14T12:00:00Z', records: [], bytes: garbage });
    writeLog(root, { account: '111111111111', region: 'ap-south-1', delivered: '2026-09-14T12:00:00Z', records: [], bytes: garbage });
    // Other CloudTrail folders (digests, Insights) are not logs.
    mkdirSync(join(root, 'AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2026/09/14'), { recursive: true });
    writeFileSync(join(root, 'AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2026/09/14/x.json.gz'), garbage);

    const scope: ScanScope = { from: Date.parse('2026-09-14T00:00:00Z'), to: Date.parse('2026-09-14T23:59:59.999Z'), accounts: ['111111111111'], regions: ['us-east-1'] };
    const source = localLogs(root, scope);
    const units = await unitsOf(source);
    expect(units.map((u) => u.name).sort()).to.deep.equal([...inRange, late].map((k) => join(root, k)).sort());
    // The other account, the other region and CloudTrail-Digest are pruned by name; other days are never listed.
    expect(source.pruned().folders).to.equal(3);

    const found = await findEvents([localLogs(root, scope)], { query: everything, scope, workers: 0, sort: 'time' });
    expect(found.stats.skipped).to.deep.equal([]);
    expect(found.events.map((e) => e.eventTime)).to.deep.equal(['2026-09-14T00:01:00Z', '2026-09-14T23:55:00Z', '2026-09-14T23:58:00Z']);
  });

  it('says when one account and region sits under two trails, so the scan must drop second copies', async () => {
    const root = tempDir();
    writeLog(root, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T10:05:00Z', records: [] });
    writeLog(root, { account: '111111111111', region: 'eu-west-1', delivered: '2026-09-14T10:05:00Z', records: [] });
    const single = localLogs(root, ALL);
    await unitsOf(single);
    expect(single.mayRepeat()).to.equal(false);
    writeLog(root, { orgId: 'o-a1b2c3d4e5', account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T10:05:00Z', records: [] });
    const two = localLogs(root, ALL);
    await unitsOf(two);
    expect(two.mayRepeat()).to.equal(true);
  });

  it('keeps only the events inside the range from the files it opens', async () => {
    const root = tempDir();
    writeLog(root, {
      account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T10:05:00Z',
      records: [record({ time: '2026-09-14T09:59:59Z', name: 'before' }), record({ time: '2026-09-14T10:00:00Z', name: 'first' }), record({ time: '2026-09-14T10:04:00Z', name: 'last' })],
    });
    const scope: ScanScope = { from: Date.parse('2026-09-14T10:00:00Z'), to: Date.parse('2026-09-14T10:04:00Z'), accounts: [], regions: [] };
    const found = await findEvents([localLogs(root, scope)], { query: everything, scope, workers: 0, sort: 'time' });
    expect(found.events.map((e) => e.eventName)).to.deep.equal(['first', 'last']);
    expect(found.stats.events).to.equal(3);
    expect(found.stats.eventsInScope).to.equal(2);
  });

  it('reports a truncated gzip, corrupt gzip, bad JSON and a file without Records by name, and reads the rest', async () => {
    const root = tempDir();
    const good = record({ time: '2026-09-14T10:01:00Z', name: 'GoodEvent' });
    const whole = gzipSync(Buffer.from(JSON.stringify({ Records: [record({ time: '2026-09-14T10:02:00Z', name: 'Lost' })] })));
    const at = (minute: number, extra: Partial<Parameters<typeof writeLog>[1]>): string =>
      writeLog(root, { account: '111111111111', region: 'us-east-1', delivered: `2026-09-14T10:${String(minute).padStart(2, '0')}:00Z`, records: [], suffix: `File${minute}`, ...extra });
    const okKey = at(5, { records: [good] });
    const truncated = at(6, { bytes: whole.subarray(0, whole.length - 12) });
    const corrupt = at(7, { bytes: Buffer.concat([whole.subarray(0, 10), Buffer.alloc(40, 0xff)]) });
    const badJson = at(8, { bytes: gzipSync(Buffer.from('{"Records": [{"eventName": "x"},')) });
    const noRecords = at(9, { bytes: gzipSync(Buffer.from('{"records": []}')) });
    const found = await findEvents([localLogs(root, ALL)], { query: everything, scope: ALL, workers: 0, sort: 'time' });
    expect(found.events.map((e) => e.eventName)).to.deep.equal(['GoodEvent']);
    expect(found.stats.files).to.equal(5);
    expect(found.stats.filesSkipped).to.equal(4);
    const reasons = Object.fromEntries(found.stats.skipped.map((s) => [s.name, s.reason]));
    expect(Object.keys(reasons).sort()).to.deep.equal([truncated, corrupt, badJson, noRecords].map((k) => join(root, k)).sort());
    expect(reasons[join(root, truncated)]).to.match(/^bad gzip: unexpected end of file/);
    expect(reasons[join(root, corrupt)]).to.match(/^bad gzip/);
    expect(reasons[join(root, badJson)]).to.match(/^bad JSON/);
    expect(reasons[join(root, noRecords)]).to.equal('not a CloudTrail log file: no Records array');
    expect(okKey).to.contain('File5');
  });

  it('reads a folder inside the layout (one account and region) and loose files outside it', async () => {
    const root = tempDir();
    writeLog(root, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T10:05:00Z', records: [record({ time: '2026-09-14T10:01:00Z', name: 'InLayout' })] });
    const regionDir = join(root, 'AWSLogs/111111111111/CloudTrail/us-east-1');
    const found = await findEvents([localLogs(regionDir, ALL)], { query: everything, scope: ALL, workers: 0, sort: 'time' });
    expect(found.events.map((e) => e.eventName)).to.deep.equal(['InLayout']);

    const flat = tempDir();
    writeFileSync(join(flat, 'export.json'), JSON.stringify({ Records: [record({ time: '2026-09-14T10:01:00Z', name: 'Loose' })] }));
    const loose = await findEvents([localLogs(flat, ALL)], { query: everything, scope: ALL, workers: 0, sort: 'time' });
    expect(loose.events.map((e) => e.eventName)).to.deep.equal(['Loose']);
  });

  it('refuses a folder that does not exist with a usage error naming it', async () => {
    const missing = join(tempDir(), 'nope');
    let error: unknown;
    try {
      await unitsOf(localLogs(missing, ALL, 'nope'));
    } catch (err) {
      error = err;
    }
    expect(String(error)).to.match(/--logs nope: cannot read the folder/);
  });
});
