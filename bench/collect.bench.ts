// `npm run bench:collect`: an organization of 200 accounts x 17 regions collected through the SDK clients,
// mocked (aws-sdk-client-mock) with 50 ms of latency per call. Prints wall time, calls per second and peak
// memory for a smaller and the full organization, so "memory flat in the number of accounts" can be read off.
// Targets: under 60 s for 200 x 17 on a 2-core machine; the live heap about the same at both sizes.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { collectBundle, DEFAULT_CONCURRENCY } from '../src/collect/index.js';
import { FakeAws, callerCredentials, type FakeEstate } from '../fixtures/fake-aws.js';
import { fakeOptions } from '../fixtures/estates.js';
import { BENCH_REGIONS, BENCH_MGMT, BENCH_LOG_ARCHIVE } from './estate.js';
import { exposedGc } from './stats.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
// The live heap (measured right after a full collection) is what must stay flat; a peak of heapUsed alone
// mostly measures how long the garbage collector waited.
const gc = exposedGc();

const SIZES = (process.env['BENCH_ACCOUNTS'] ?? '50,200').split(',').map(Number);
const LATENCY_MS = Number(process.env['BENCH_LATENCY_MS'] ?? 50);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? DEFAULT_CONCURRENCY);
const REGIONS = BENCH_REGIONS;
const MGMT = BENCH_MGMT;
const LOG_ARCHIVE = BENCH_LOG_ARCHIVE;

function estate(accounts: number): FakeEstate {
  const ids = Array.from({ length: accounts }, (_, i) => String(100000000000 + i));
  const key = '0b7f1c52-1111-4d3a-9b7e-000000000001';
  return {
    caller: MGMT,
    organization: { id: 'o-bench12345', management: MGMT, members: ids },
    regions: REGIONS,
    optedOut: ['af-south-1', 'ap-east-1', 'me-south-1'],
    trails: [
      { owner: MGMT, name: 'org-trail', home: 'us-east-1', multiRegion: true, organization: true, bucket: 'bench-org-cloudtrail', kmsKeyId: `arn:aws:kms:us-east-1:${LOG_ARCHIVE}:key/${key}` },
      // Every account also keeps a trail of its own, with a bucket of its own: follow-ups in every account.
      ...ids.map((id) => ({ owner: id, name: `local-${id}`, home: 'eu-west-1', multiRegion: false, bucket: `bench-local-${id}` })),
    ],
    buckets: [
      { name: 'bench-org-cloudtrail', owner: LOG_ARCHIVE, region: 'us-east-1', versioning: 'Enabled' as const },
      ...ids.map((id) => ({ name: `bench-local-${id}`, owner: id, region: 'eu-west-1' })),
    ],
    keys: [{ account: LOG_ARCHIVE, region: 'us-east-1', id: key, rotation: true }],
    logGroups: Object.fromEntries(ids.map((id) => [`${id}/us-east-1`, ['aws-cloudtrail-logs']])),
    pageSize: 50,
    latencyMs: LATENCY_MS,
    record: false,
  };
}

interface Run {
  accounts: number;
  seconds: number;
  calls: number;
  files: number;
  errors: number;
  peakHeapMb: number;
  liveHeapMb: number;
}

async function run(accounts: number): Promise<Run> {
  const fake = new FakeAws(estate(accounts)).install();
  let peakHeap = 0;
  let liveHeap = 0;
  let ticks = 0;
  const sampler = setInterval(() => {
    if (++ticks % 20 === 0) {
      gc();
      liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed);
    }
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 100);
  const started = Date.now();
  try {
    const options = fakeOptions(fake, { concurrency: CONCURRENCY, callTimeoutMs: 30_000, credentials: callerCredentials(MGMT) });
    const result = await collectBundle(options);
    const seconds = (Date.now() - started) / 1000;
    rmSync(dirname(result.dir), { recursive: true, force: true });
    return { accounts, seconds, calls: fake.callCount, files: result.summary.files, errors: result.summary.errors, peakHeapMb: peakHeap / 1e6, liveHeapMb: liveHeap / 1e6 };
  } finally {
    clearInterval(sampler);
    fake.restore();
  }
}

console.log(`collect: ${SIZES.join(' and ')} accounts x ${REGIONS.length} regions, ${LATENCY_MS} ms per call, concurrency ${CONCURRENCY}`);
const runs: Run[] = [];
for (const size of SIZES) {
  const r = await run(size);
  runs.push(r);
  console.log(
    `${String(r.accounts).padStart(5)} accounts: ${r.seconds.toFixed(1)} s wall, ${r.calls} calls (${Math.round(r.calls / r.seconds)} calls/s), ` +
      `${r.files} files, ${r.errors} errors, live heap ${r.liveHeapMb.toFixed(0)} MB (peak ${r.peakHeapMb.toFixed(0)} MB)`,
  );
}
const full = runs[runs.length - 1] as Run;
const small = runs[0] as Run;
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log(`target: ${full.accounts} accounts under 60 s: ${full.seconds < 60 ? 'met' : 'MISSED'} (${full.seconds.toFixed(1)} s)`);
if (runs.length > 1) {
  const ratio = full.liveHeapMb / small.liveHeapMb;
  console.log(`memory: live heap x${ratio.toFixed(2)} for x${(full.accounts / small.accounts).toFixed(1)} the accounts: ${ratio < 1.5 ? 'flat' : 'GROWS'}`);
}
