import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFindingsFile } from '../../src/output/json-file.js';
import type { Findings } from '../../src/model/types.js';

describe('findings file writer', () => {
  it('streams exactly the bytes of JSON.stringify(findings, null, 2) and returns their SHA-256', () => {
    const findings = {
      schemaVersion: '1',
      tool: { name: 'trailproof', version: '0.1.0' },
      run: { id: 'r', startedAt: 'a', finishedAt: 'b', source: 'bundle', scope: { accounts: ['111111111111'], regions: [] }, period: { from: null, to: null } },
      summary: { PASS: 1, FAIL: 0, MANUAL: 0, ERROR: 0, NOT_APPLICABLE: 0, WAIVED: 0, detections: 0 },
      results: Array.from({ length: 3000 }, (_, i) => ({ checkId: 'a.b', message: `line\nwith "quotes" ${i}`, evidence: [{ file: 'f', sha256: 'x', pointer: '/a' }], frameworks: {} })),
      detections: [],
      waivers: [],
      integrity: undefined,
    } as unknown as Findings;
    const path = join(mkdtempSync(join(tmpdir(), 'trailproof-json-')), 'findings.json');
    const sha = writeFindingsFile(findings, path);
    const expected = JSON.stringify(findings, null, 2) + '\n';
    const written = readFileSync(path, 'utf8');
    expect(written).to.equal(expected);
    expect(sha).to.equal(createHash('sha256').update(Buffer.from(expected, 'utf8')).digest('hex'));
  });
});
