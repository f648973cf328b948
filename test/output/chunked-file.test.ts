import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHUNK_CHARS, writeChunked } from '../../src/output/chunked-file.js';
import { renderCsv } from '../../src/output/csv.js';
import { renderJunit } from '../../src/output/junit.js';
import { writeReports } from '../../src/output/write.js';
import type { Result } from '../../src/model/types.js';
import { fixtureFindings } from '../report/fixtures.js';

describe('outputs written piece by piece', () => {
  it('writes what the pieces say, across chunk boundaries and multi-byte characters, with its size and SHA-256', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-chunked-'));
    const pieces = Array.from({ length: 3000 }, (_, i) => `${i}: bucket-é€😀-${'x'.repeat(i % 97)}\n`);
    const text = pieces.join('');
    expect(text.length).to.be.greaterThan(3 * CHUNK_CHARS);
    const written = writeChunked(join(dir, 'out.txt'), (write) => pieces.forEach(write));
    const bytes = readFileSync(join(dir, 'out.txt'));
    expect(bytes.toString('utf8')).to.equal(text);
    expect(written).to.deep.equal({ size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(readdirSync(dir)).to.deep.equal(['out.txt']);
  });

  it('leaves neither the file nor its .tmp when the text cannot be completed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-chunked-'));
    expect(() => writeChunked(join(dir, 'junit.xml'), (write) => {
      write('x'.repeat(CHUNK_CHARS * 2));
      throw new Error('renderer failed');
    })).to.throw('renderer failed');
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('writes junit.xml and results.csv with exactly the text their renderers give, keeping only the PDF bytes', async () => {
    const findings = fixtureFindings();
    // Enough results that the files span many chunks.
    const base = findings.results[0] as Result;
    findings.results = Array.from({ length: 2000 }, (_, i) => ({ ...base, id: `${base.id}-${i}`, resource: `arn:aws:s3:::bucket-${i}-ünïcode` }));
    const out = mkdtempSync(join(tmpdir(), 'trailproof-chunked-'));
    const written = await writeReports(findings, ['junit', 'csv'], out, {});
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).to.equal(renderJunit(findings));
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).to.equal(renderCsv(findings));
    expect(written.map((w) => [w.format, w.size, w.bytes])).to.deep.equal([
      ['junit', readFileSync(join(out, 'junit.xml')).length, undefined],
      ['csv', readFileSync(join(out, 'results.csv')).length, undefined],
    ]);
    expect(existsSync(join(out, 'junit.xml.tmp'))).to.equal(false);
  });
});
