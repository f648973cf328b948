import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { Prefilter } from '../../../src/events/prefilter.js';
import { BATCH_BYTES } from '../../../src/events/readers/batches.js';
import { decodeUnit, RELEASE_MIN_BYTES, type RecordSelector } from '../../../src/events/readers/decode.js';
import type { CloudTrailRecord } from '../../../src/events/record.js';
import { compileSources } from '../../../src/events/sigma/index.js';
import { tempDir } from '../helpers.js';

const PICK_RULE = `title: Pick
id: 6a1f2c3d-0000-4000-8000-000000000001
logsource: { product: aws, service: cloudtrail }
detection:
  selection: { eventName: Pick }
  condition: selection
`;

function selector(): RecordSelector {
  const prefilter = Prefilter.build(compileSources([{ file: 'pick.yml', text: PICK_RULE }]).ruleSet);
  if (prefilter === null) throw new Error('the prefilter is off for the test rule');
  return (text, ascii) => prefilter.selectRange(text, 0, text.length, ascii);
}

/** Records of about 1 KB; every 37th is named Pick. */
function records(n: number): CloudTrailRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    eventVersion: '1.10',
    eventName: i % 37 === 5 ? 'Pick' : 'Quiet',
    eventID: `id-${i}`,
    requestParameters: { padding: 'x'.repeat(900) },
  }));
}

function gzFile(recs: CloudTrailRecord[]): string {
  const path = join(tempDir(), 'log.json.gz');
  writeFileSync(path, gzipSync(JSON.stringify({ Records: recs })));
  return path;
}

async function read(path: string): Promise<{ handed: Array<[number, string]>; events: number }> {
  const handed: Array<[number, string]> = [];
  const stats = await decodeUnit({ kind: 'file', path, name: 'log.json.gz', size: 0, delivered: null }, (record, ordinal) => handed.push([ordinal, String(record.eventID)]), selector());
  expect(stats.problems).to.deep.equal([]);
  return { handed, events: stats.events };
}

describe('Reading a log file in record batches', () => {
  it('parses only the picked records of a file of many batches and gives each its place in the file', async () => {
    const recs = records(400);
    expect(JSON.stringify(recs).length).to.be.above(4 * BATCH_BYTES);
    const { handed, events } = await read(gzFile(recs));
    expect(events).to.equal(400);
    const expected = recs.flatMap((r, i) => (r.eventName === 'Pick' ? [[i, r.eventID]] : []));
    expect(handed).to.deep.equal(expected);
  });

  it('falls back to the whole file from the batch whose split was wrong, handing nothing twice', async () => {
    const recs = records(400);
    // A request holding objects whose first key is eventVersion: the text splits inside this record.
    recs[250] = { eventVersion: '1.10', eventName: 'Quiet', eventID: 'id-250', requestParameters: { items: [{ eventVersion: 'a', eventName: 'Pick' }, { eventVersion: 'b' }] } };
    const { handed, events } = await read(gzFile(recs));
    expect(events).to.equal(400);
    const ids = handed.map(([, id]) => id);
    expect(new Set(ids).size, 'no record handed twice').to.equal(ids.length);
    for (const [i, r] of recs.entries()) if (r.eventName === 'Pick') expect(handed).to.deep.include([i, r.eventID]);
    // From the failed batch on every record is handed (the whole-file parse does not prefilter), in file order.
    expect(handed.find(([, id]) => id === 'id-250')).to.deep.equal([250, 'id-250']);
    expect(handed.map(([i]) => i)).to.deep.equal([...handed.map(([i]) => i)].sort((a, b) => a - b));
  });

  it('names a file whose JSON breaks in a later batch, saying how many records were read before', async () => {
    const text = JSON.stringify({ Records: records(400) }).replace('"eventID":"id-300"', '"eventName":"Pick","eventID":tru');
    const path = join(tempDir(), 'log.json.gz');
    writeFileSync(path, gzipSync(text));
    const handed: string[] = [];
    const stats = await decodeUnit({ kind: 'file', path, name: 'log.json.gz', size: 0, delivered: null }, (r) => handed.push(String(r.eventID)), selector());
    expect(stats.problems).to.have.length(1);
    expect(stats.problems[0]).to.deep.include({ name: 'log.json.gz', events: null });
    expect(stats.problems[0]?.reason).to.match(/^bad JSON: .*\(its first \d+ records were read\)$/);
    const read = Number(/first (\d+) records/.exec(stats.problems[0]?.reason ?? '')?.[1]);
    expect(read).to.be.above(0).and.at.most(300);
    expect(stats.events).to.equal(read);
    expect(handed).to.deep.equal(records(read).flatMap((r) => (r.eventName === 'Pick' ? [String(r.eventID)] : [])));
  });

  it('inflates an object read from S3 as stored, gzip or plain JSON, and names a bad one', async () => {
    const json = Buffer.from(JSON.stringify({ Records: records(100) }));
    for (const stored of [gzipSync(json), json]) {
      const unit = { kind: 'bytes' as const, name: 's3://b/log.json.gz', size: stored.length, delivered: null, bytes: new Uint8Array(stored) };
      const handed: string[] = [];
      const stats = await decodeUnit(unit, (r) => handed.push(String(r.eventID)), selector());
      expect([stats.events, stats.bytes, handed]).to.deep.equal([100, json.length, ['id-5', 'id-42', 'id-79']]);
    }
    const truncated = gzipSync(json).subarray(0, 200);
    const stats = await decodeUnit({ kind: 'bytes', name: 's3://b/cut.json.gz', size: 200, delivered: null, bytes: new Uint8Array(truncated) }, () => undefined, selector());
    expect(stats.problems).to.have.length(1);
    expect(stats.problems[0]).to.deep.include({ name: 's3://b/cut.json.gz', events: null });
    expect(stats.problems[0]?.reason).to.match(/^bad gzip: /);
  });

  it("lets go of a large unit's bytes once it is read", async () => {
    const bytes = new Uint8Array(Buffer.from(JSON.stringify({ Records: records(1200) })));
    expect(bytes.byteLength).to.be.greaterThan(RELEASE_MIN_BYTES);
    const unit = { kind: 'bytes' as const, name: 's3://b/log.json.gz', size: bytes.length, delivered: null, bytes };
    const handed: string[] = [];
    const stats = await decodeUnit(unit, (r) => handed.push(String(r.eventID)), selector());
    expect([stats.events, handed.length]).to.deep.equal([1200, 33]);
    expect(unit.bytes.byteLength, 'the buffer was handed back').to.equal(0);
  });

  it("leaves a small unit's bytes to the collector (releasing them costs more than it frees)", async () => {
    const bytes = new Uint8Array(Buffer.from(JSON.stringify({ Records: records(200) })));
    expect(bytes.byteLength).to.be.lessThan(RELEASE_MIN_BYTES);
    const unit = { kind: 'bytes' as const, name: 's3://b/log.json.gz', size: bytes.length, delivered: null, bytes };
    const stats = await decodeUnit(unit, () => undefined, selector());
    expect(stats.events).to.equal(200);
    expect(unit.bytes.byteLength).to.equal(bytes.byteLength);
  });
});
