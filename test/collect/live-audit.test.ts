// `trailproof audit` without --bundle collects into a temporary bundle and audits it. The audit of a live
// collection and the audit of the bundle it wrote give identical findings: here the live path is run as
// audit.ts runs it (collectToTempBundle, then the engine) and compared with `audit --bundle` on the kept bundle.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { collectToTempBundle, removeTempBundle } from '../../src/collect/index.js';
import type { Findings } from '../../src/model/types.js';
import { FakeAws, awsError } from '../../fixtures/fake-aws.js';
import { auditBundle, fakeOptions, orgEstate } from '../../fixtures/estates.js';

describe('audit of a live collection', () => {
  let fake: FakeAws | undefined;
  afterEach(() => fake?.restore());

  it('gives the same findings as the audit of the bundle it wrote', async () => {
    fake = new FakeAws(orgEstate()).install();
    const keep = join(mkdtempSync(join(tmpdir(), 'trailproof-keep-test-')), 'evidence');
    const { out: _out, archive: _archive, ...options } = fakeOptions(fake);
    const logged: string[] = [];
    const dir = await collectToTempBundle({ ...options, keepAs: keep, log: (t) => logged.push(t) });
    expect(dir).to.equal(keep);
    expect(logged.join('')).to.match(/^trailproof: collected 4 accounts x 2 regions/);
    const live = await auditBundle(dir, 'live');

    const io = memoryIo();
    const code = await main(['audit', '--bundle', dir, '--format', 'json', '--fail-on', 'none', '--quiet'], io);
    expect(code, io.err).to.equal(0);
    const offline = JSON.parse(io.out) as Findings;
    expect(live.run.source).to.equal('live');
    expect(offline.run.source).to.equal('bundle');
    expect(live.results.length).to.be.greaterThan(20);
    expect(offline.results).to.deep.equal(live.results);
    expect(offline.summary).to.deep.equal(live.summary);
  });

  it('collects into a temporary folder that removeTempBundle() takes away', async () => {
    fake = new FakeAws(orgEstate()).install();
    const { out: _out, archive: _archive, ...options } = fakeOptions(fake);
    const dir = await collectToTempBundle(options);
    expect(dirname(dirname(dir))).to.equal(tmpdir());
    expect(existsSync(join(dir, 'manifest.json'))).to.equal(true);
    await removeTempBundle(dir);
    expect(existsSync(dirname(dir))).to.equal(false);
  });

  it('refuses with exit code 3, leaving nothing behind, when nothing usable was collected', async () => {
    fake = new FakeAws(orgEstate({ fault: (c) => (c.op === 'DescribeTrails' ? awsError('AccessDeniedException', 'denied') : undefined) })).install();
    const { out: _out, archive: _archive, ...options } = fakeOptions(fake);
    const before = new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('trailproof-live-')));
    const err = await collectToTempBundle(options).then(() => undefined, (e: unknown) => e);
    expect(err).to.deep.include({ code: 'TP_EVIDENCE_INSUFFICIENT', exitCode: 3 });
    const after = readdirSync(tmpdir()).filter((f) => f.startsWith('trailproof-live-') && !before.has(f));
    expect(after).to.deep.equal([]);
  });
});
