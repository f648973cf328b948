// `npm run bench:gate`: the account-vending gate for one new account of an organization of 200 accounts, with
// 17 regions enabled, through the SDK clients mocked (aws-sdk-client-mock) with 50 ms of latency per call:
// the narrowed collection (the account, plus the management account's organization trail, its bucket found in
// the log archive account, its key), the vending checks and the outputs, as `trailproof gate` runs them.
// Target: under 10 s per gate on a 2-core machine.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gate } from '../src/cli/commands/gate.js';
import { memoryIo } from '../src/cli/io.js';
import type { Findings } from '../src/model/types.js';
import { FakeAws, callerCredentials, type FakeEstate } from '../fixtures/fake-aws.js';
import { BENCH_REGIONS, BENCH_MGMT, BENCH_LOG_ARCHIVE } from './estate.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const ACCOUNTS = Number(process.env['BENCH_ACCOUNTS'] ?? 200);
const LATENCY_MS = Number(process.env['BENCH_LATENCY_MS'] ?? 50);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const REGIONS = BENCH_REGIONS;
const MGMT = BENCH_MGMT;
const LOG_ARCHIVE = BENCH_LOG_ARCHIVE;
const KEY = '0b7f1c52-1111-4d3a-9b7e-000000000001';

function estate(): FakeEstate {
  const ids = Array.from({ length: ACCOUNTS }, (_, i) => String(100000000000 + i));
  return {
    caller: MGMT,
    organization: { id: 'o-bench12345', management: MGMT, members: ids },
    regions: REGIONS,
    optedOut: ['af-south-1', 'ap-east-1', 'me-south-1'],
    trails: [{ owner: MGMT, name: 'org-trail', home: 'us-east-1', multiRegion: true, organization: true, bucket: 'bench-org-cloudtrail', kmsKeyId: `arn:aws:kms:us-east-1:${LOG_ARCHIVE}:key/${KEY}` }],
    buckets: [{ name: 'bench-org-cloudtrail', owner: LOG_ARCHIVE, region: 'us-east-1', versioning: 'Enabled' as const }],
    keys: [{ account: LOG_ARCHIVE, region: 'us-east-1', id: KEY, rotation: true }],
    pageSize: 50,
    latencyMs: LATENCY_MS,
    record: false,
  };
}

const fake = new FakeAws(estate()).install();
const newAccount = String(100000000000 + ACCOUNTS - 1);
console.log(`gate: account ${newAccount} of ${ACCOUNTS} accounts, ${REGIONS.length} regions, ${LATENCY_MS} ms per call, ${RUNS} runs`);
const seconds: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const out = join(mkdtempSync(join(tmpdir(), 'trailproof-gate-bench-')), 'out');
    const io = memoryIo();
    const callsBefore = fake.callCount;
    const started = Date.now();
    const code = await gate({
      account: newAccount, out, quiet: true,
      live: {
        credentials: callerCredentials(MGMT), s3control: fake.s3control, region: 'us-east-1', assumeRole: 'TrailproofAudit',
        callTimeoutMs: 30_000, progress: 'off',
      },
    }, io);
    const s = (Date.now() - started) / 1000;
    seconds.push(s);
    console.log(`run ${i + 1}: exit ${code}, ${s.toFixed(2)} s wall, ${fake.callCount - callsBefore} calls`);
    // The fake's last delivery is a fixed date, so trail.logging-active may FAIL on age; the coverage must PASS.
    const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings;
    const coverage = findings.results.find((r) => r.checkId === 'trail.org-coverage' && r.account === newAccount);
    if (coverage?.status !== 'PASS' || findings.results.length < 7) throw new Error(`the gate did not judge the account as covered: ${io.err}`);
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
} finally {
  fake.restore();
}
const worst = Math.max(...seconds);
console.log(`target: one account x ${REGIONS.length} regions at ${LATENCY_MS} ms under 10 s: ${worst < 10 ? 'met' : 'MISSED'} (worst ${worst.toFixed(2)} s, best ${Math.min(...seconds).toFixed(2)} s)`);
