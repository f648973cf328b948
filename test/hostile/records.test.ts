// Hostile records and files through the real CLI: a record nested thousands deep, a LookupEvents line of
// tens of MB, a log file larger than the refusal size, a gzip bomb whose trailer lies. Each is skipped as
// its own named problem (terminal and findings.json), every other detection is still found, and the exit
// code is the gate's, never a crash.
import { expect } from 'chai';
import { mkdirSync, openSync, closeSync, ftruncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MAX_RECORD_DEPTH } from '../../src/events/depth.js';
import { MAX_INFLATED_BYTES, MAX_JSONL_LINE_BYTES } from '../../src/events/readers/decode.js';
import type { Findings } from '../../src/model/types.js';
import { packageRoot } from '../../src/paths.js';
import { BundleBuilder } from '../../fixtures/bundle-builder.js';
import { logKey, record, tempDir } from '../events/helpers.js';
import { deepArrayText, deepObjectText, expectNoCrash, expectSkipLine, logText, recordText, run } from './helpers.js';

const ACCOUNT = '111111111111';
const BUDGET_MS = 30_000;

interface ScanSection {
  skipped: { name: string; reason: string; events: number | null }[];
  events: { read: number; unreadable: number };
  files: { read: number; skipped: number };
}

function scanOf(out: string): { findings: Findings; scan: ScanSection } {
  const findings = JSON.parse(out) as Findings & { scan: ScanSection };
  return { findings, scan: findings.scan };
}

const deleted = record({ time: '2026-09-14T03:32:07Z', name: 'DeleteTrail', source: 'cloudtrail.amazonaws.com', params: { name: 'org-trail' } });
const stopped = record({ time: '2026-09-14T03:34:07Z', name: 'StopLogging', source: 'cloudtrail.amazonaws.com', params: { name: 'org-trail' } });
const deepStop = record({ time: '2026-09-14T03:33:07Z', name: 'StopLogging', source: 'cloudtrail.amazonaws.com' });
const deepArray = record({ time: '2026-09-14T03:33:30Z', name: 'DeleteTrail', source: 'cloudtrail.amazonaws.com' });

/** Writes a log file's text (gzip unless plain) where CloudTrail writes it; returns its path. */
function writeLogText(root: string, text: string | Buffer, delivered: string, plain = false): string {
  const key = logKey({ account: ACCOUNT, region: 'us-east-1', delivered, plain });
  const path = join(root, key);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, plain ? text : gzipSync(text));
  return path;
}

/** A folder with one log file holding, between two good detections, records nested 6,000 deep. */
function deepLogs(): { dir: string; file: string } {
  const dir = tempDir('tp-hostile-');
  const file = writeLogText(dir, logText([
    JSON.stringify(deleted),
    recordText(deepStop, 'requestParameters', deepObjectText(6000)),
    recordText(deepArray, 'responseElements', `{"items":${deepArrayText(6000)}}`),
    JSON.stringify(stopped),
  ]), '2026-09-14T03:45:00Z');
  return { dir, file };
}

describe('hostile records (CLI)', function () {
  this.timeout(120_000);

  it(`skips a record nested past MAX_RECORD_DEPTH (${MAX_RECORD_DEPTH}) in scan --logs, names it, and finds every other detection`, async () => {
    const { dir, file } = deepLogs();
    for (const workers of ['0', '2']) {
      const r = await run(['scan', '--logs', dir, '--format', 'json', '--workers', workers]);
      expect(r.code, r.err).to.equal(1); // the gate: two high detections
      expectNoCrash(r.err);
      expectSkipLine(r.err, `${file}: record 1`, /nested deeper than 64 levels \(MAX_RECORD_DEPTH\)/);
      expectSkipLine(r.err, `${file}: record 2`, /MAX_RECORD_DEPTH/);
      const { findings, scan } = scanOf(r.out);
      expect(findings.detections.map((d) => [d.ruleId, d.eventId])).to.deep.equal([
        ['cloudtrail-trail-deleted', deleted.eventID],
        ['cloudtrail-logging-stopped', stopped.eventID],
      ]);
      expect(scan.skipped.map((s) => [s.name, s.events])).to.deep.equal([[`${file}: record 1`, 1], [`${file}: record 2`, 1]]);
      expect(scan.events).to.deep.include({ read: 4, unreadable: 2 });
      expect(r.ms).to.be.below(BUDGET_MS);
    }
  });

  it('keeps the gate the only way to exit 1: with nothing at or above --fail-on, a skipped record exits 0', async () => {
    const { dir } = deepLogs();
    const r = await run(['scan', '--logs', dir, '--fail-on', 'critical', '--format', 'json']);
    expect(r.code, r.err).to.equal(0);
    expect(scanOf(r.out).scan.skipped).to.have.length(2);
  });

  it('events --logs: the deep records are named and skipped, the others listed, as a table and as JSON', async () => {
    const { dir, file } = deepLogs();
    const table = await run(['events', '--logs', dir, '--source', 'cloudtrail']);
    expect(table.code, table.err).to.equal(0);
    expectNoCrash(table.err);
    expect(table.out).to.contain('DeleteTrail').and.contain('StopLogging');
    expectSkipLine(table.err, `${file}: record 1`, /MAX_RECORD_DEPTH/);
    const json = await run(['events', '--logs', dir, '--format', 'jsonl']);
    expect(json.code, json.err).to.equal(0);
    expect(json.out.trim().split('\n').map((l) => (JSON.parse(l) as { eventID: string }).eventID)).to.deep.equal([deleted.eventID, stopped.eventID]);
  });

  it('audit --bundle --logs: the deep records are in findings.json\'s scan.skipped, the other detections in its detections', async () => {
    const { dir, file } = deepLogs();
    const out = tempDir('tp-hostile-out-');
    const r = await run(['audit', '--bundle', join(packageRoot, 'examples', 'demo-org'), '--logs', dir, '--out', out, '--format', 'json', '--quiet']);
    expect([0, 1], r.err).to.include(r.code);
    expectNoCrash(r.err);
    const { readFileSync } = await import('node:fs');
    const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings & { scan: ScanSection };
    expect(findings.scan.skipped.map((s) => s.name)).to.include.members([`${file}: record 1`, `${file}: record 2`]);
    const ids = findings.detections.map((d) => d.eventId);
    expect(ids).to.include.members([deleted.eventID, stopped.eventID]);
    expect(ids).to.not.include(deepStop.eventID);
  });

  it(`skips a LookupEvents.jsonl line longer than MAX_JSONL_LINE_BYTES, a deep line and a deep CloudTrailEvent, each by line number`, async () => {
    const path = 'accounts/111111111111/us-east-1/cloudtrail/LookupEvents.jsonl';
    const event = (r: typeof deleted): string => JSON.stringify({ EventId: r.eventID, EventName: r.eventName, EventTime: r.eventTime, EventSource: r.eventSource, CloudTrailEvent: JSON.stringify(r) });
    const long = `{"EventId":"long","CloudTrailEvent":"${'x'.repeat(MAX_JSONL_LINE_BYTES + 1024)}"}`;
    const deepLine = `{"EventId":"deep","Resources":${deepArrayText(5000)}}`;
    const deepEvent = JSON.stringify({ EventId: 'deep-event', CloudTrailEvent: recordText(deepStop, 'requestParameters', deepObjectText(5000)) });
    const b = new BundleBuilder();
    b.file(path, [event(deleted), long, deepLine, deepEvent, event(stopped)].join('\n') + '\n');
    const bundle = b.writeTemp();
    const r = await run(['scan', '--bundle', bundle, '--format', 'json']);
    expect(r.code, r.err).to.equal(1);
    expectNoCrash(r.err);
    expectSkipLine(r.err, `${path}:2`, /line of 16\.0 MiB, longer than 16 MiB \(MAX_JSONL_LINE_BYTES\)/);
    expectSkipLine(r.err, `${path}:3`, /MAX_RECORD_DEPTH/);
    expectSkipLine(r.err, `${path}:4`, /CloudTrailEvent nested deeper than 64 levels/);
    const { findings, scan } = scanOf(r.out);
    expect(findings.detections.map((d) => d.eventId)).to.deep.equal([deleted.eventID, stopped.eventID]);
    expect(scan.skipped.map((s) => s.name)).to.deep.equal([`${path}:2`, `${path}:3`, `${path}:4`]);
    expect(r.ms).to.be.below(BUDGET_MS);
  });

  it(`refuses a plain .json log file larger than MAX_INFLATED_BYTES by its size, before reading it`, async () => {
    const dir = tempDir('tp-hostile-');
    writeLogText(dir, logText([JSON.stringify(deleted), JSON.stringify(stopped)]), '2026-09-14T03:45:00Z');
    // A sparse file: its size is past the bound, yet it takes no disk and, refused by size, no memory.
    const huge = writeLogText(dir, '', '2026-09-14T03:50:00Z', true);
    const fd = openSync(huge, 'r+');
    ftruncateSync(fd, MAX_INFLATED_BYTES + 1024 * 1024);
    closeSync(fd);
    const r = await run(['scan', '--logs', dir, '--format', 'json']);
    expect(r.code, r.err).to.equal(1);
    expectSkipLine(r.err, huge, /257\.0 MiB, larger than 256 MiB \(MAX_INFLATED_BYTES\)/);
    const { findings, scan } = scanOf(r.out);
    expect(findings.detections).to.have.length(2);
    expect(scan.files).to.deep.equal({ read: 1, skipped: 1 });
    expect(r.ms).to.be.below(BUDGET_MS);
  });

  it('refuses a gzip bomb by MAX_INFLATED_BYTES however small its trailer says it is, and never trusts a trailer that lies large', async () => {
    const dir = tempDir('tp-hostile-');
    writeLogText(dir, logText([JSON.stringify(deleted)]), '2026-09-14T03:40:00Z');
    // A trailer claiming 4 GiB on a small file: only a size hint (capped), and zlib's own length check fails it.
    const lyingLarge = gzipSync(logText([JSON.stringify(stopped)]));
    lyingLarge.writeUInt32LE(0xffffffff, lyingLarge.length - 4);
    const largePath = writeLogText(dir, '', '2026-09-14T03:45:00Z');
    writeFileSync(largePath, lyingLarge);
    // 20 gzip members of 16 MiB of spaces (320 MiB inflated, 300 KB stored), the last trailer claiming 100 bytes.
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20), { level: 1 });
    const bomb = Buffer.concat(Array.from({ length: 20 }, () => member));
    bomb.writeUInt32LE(100, bomb.length - 4);
    const bombPath = writeLogText(dir, '', '2026-09-14T03:50:00Z');
    writeFileSync(bombPath, bomb);
    const r = await run(['scan', '--logs', dir, '--format', 'json', '--workers', '0']);
    expect(r.code, r.err).to.equal(1);
    expectNoCrash(r.err);
    expectSkipLine(r.err, bombPath, /larger than 256 MiB inflated \(MAX_INFLATED_BYTES\)/);
    expectSkipLine(r.err, largePath, /bad gzip: incorrect length check/);
    expect(scanOf(r.out).findings.detections.map((d) => d.eventId)).to.deep.equal([deleted.eventID]);
    expect(r.ms).to.be.below(BUDGET_MS);
  });
});
