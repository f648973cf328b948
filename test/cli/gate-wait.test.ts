// `trailproof gate --wait` against the fake AWS (the SDK mocked in-process) on an injected clock: an account
// the organization does not list as ACTIVE yet is waited for, and the gate passes once it is.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gate, waitClock } from '../../src/cli/commands/gate.js';
import { memoryIo } from '../../src/cli/io.js';
import type { Findings } from '../../src/model/types.js';
import { FakeAws } from '../../fixtures/fake-aws.js';
import { fakeOptions, orgEstate } from '../../fixtures/estates.js';
import { fakeClock } from '../helpers/fake-clock.js';

const VENDED = '666666666666';

describe('trailproof gate --wait (fake AWS)', () => {
  let fake: FakeAws | undefined;
  const savedClock = { ...waitClock };
  afterEach(() => {
    fake?.restore();
    Object.assign(waitClock, savedClock);
  });

  it('waits while the organization does not list the account as ACTIVE yet, then passes', async () => {
    fake = new FakeAws(orgEstate()).install();
    const members = fake.estate.organization?.members ?? [];
    const clock = fakeClock();
    // The account becomes ACTIVE during the second pause.
    Object.assign(waitClock, {
      now: clock.now,
      sleep: async (ms: number) => {
        await clock.sleep(ms);
        if (clock.sleeps.length === 2) members.push(VENDED);
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-gate-wait-'));
    writeFileSync(join(dir, 'config.yml'), 'gate:\n  checks: [trail.org-coverage, trail.multi-region]\n');
    const io = memoryIo(dir);
    const { out: _out, archive: _archive, ...live } = fakeOptions(fake);
    const code = await gate({ account: VENDED, waitMs: 600_000, quiet: true, config: 'config.yml', live: { ...live, progress: 'off' } }, io);
    expect(code, io.err).to.equal(0);
    const waits = io.err.split('\n').filter((l) => l.startsWith('trailproof: gate: waiting'));
    expect(waits).to.have.length(2);
    expect(waits[0]).to.equal(`trailproof: gate: waiting for account ${VENDED}: the organization does not list it as ACTIVE yet (--accounts: ${VENDED} is not an ACTIVE account of organization o-fake123456); trying again in 5 s (600 s left)`);
    expect(clock.sleeps).to.deep.equal([5000, 10000]);
    const findings = JSON.parse(io.out) as Findings;
    expect(findings.results.filter((r) => r.account === VENDED).map((r) => `${r.checkId} ${r.status}`).sort()).to.deep.equal(['trail.multi-region PASS', 'trail.org-coverage PASS']);
  });

  it('ends the wait at once on a FAIL that waiting cannot change', async () => {
    fake = new FakeAws(orgEstate()).install();
    const clock = fakeClock();
    Object.assign(waitClock, { now: clock.now, sleep: clock.sleep });
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-gate-wait-'));
    // The fake's trails last delivered on a fixed date long before now: trail.logging-active FAILs on age.
    writeFileSync(join(dir, 'config.yml'), 'gate:\n  checks: [trail.org-coverage, trail.logging-active]\n');
    const io = memoryIo(dir);
    const { out: _out, archive: _archive, ...live } = fakeOptions(fake);
    const code = await gate({ account: '333333333333', waitMs: 600_000, quiet: true, config: 'config.yml', live: { ...live, progress: 'off' } }, io);
    expect(code).to.equal(1);
    expect(clock.sleeps).to.deep.equal([]);
    expect(io.err).to.match(/^trailproof: gate FAILED for account 333333333333 \(.*exit 1\): trail.logging-active FAIL: /);
  });
});
