// The scan's detections do not depend on how the logs arrived. The same events (every built-in correlation's
// firing fixture streams, each in its own stretch of time) are written in several file layouts: one file per
// five minutes in delivery order (the streaming path, nothing late), a few huge files that each span the
// whole period, the five-minute files listed in reverse and in random order (their delivery stamps
// permuted), and events shuffled within their files. Every layout must give the same detections (ids,
// counts, first and last seen), and every built-in correlation must fire in it.
import { expect } from 'chai';
import fc from 'fast-check';
import { rmSync } from 'node:fs';
import { BATCH_MAX_UNITS } from '../../src/events/pool.js';
import { localLogs } from '../../src/events/readers/local.js';
import { FULL_SCOPE } from '../../src/events/readers/types.js';
import type { CloudTrailRecord } from '../../src/events/record.js';
import { ruleSources } from '../../src/events/rules.js';
import { scanEvents, type ScanResult } from '../../src/events/scan.js';
import type { SpillOptions } from '../../src/events/spill.js';
import { catalogFiles, reportingDoc } from '../checks/rules/harness.js';
import { isCorrelationFixture, type RuleFixture } from '../checks/rules/fixtures/records.js';
import { tempDir, writeLog, type LogFile } from './helpers.js';

const FIVE_MINUTES = 5 * 60_000;
/** Each fixture stream gets its own stretch of time, longer than any rule's window or baseline. */
const STRETCH_MS = 10 * 24 * 3_600_000;

const correlationIds = catalogFiles()
  .filter((f) => (reportingDoc(f) as { correlation?: unknown }).correlation !== undefined)
  .map((f) => f.ruleId);

/** Rule parameters the corpus's cases were written for (a rule's firing cases with its first one's). */
const parameters: Record<string, Record<string, unknown>> = {};

/** Every firing case of every correlation fixture, each moved into its own stretch of time. */
async function corpus(): Promise<CloudTrailRecord[]> {
  const out: CloudTrailRecord[] = [];
  let stretch = 0;
  for (const ruleId of correlationIds) {
    const mod = (await import(`../checks/rules/fixtures/${ruleId}.js`)) as { fixture: RuleFixture };
    if (!isCorrelationFixture(mod.fixture)) throw new Error(`fixture of ${ruleId} is not a correlation fixture`);
    const firing = mod.fixture.cases.filter((c) => c.detections > 0);
    const chosen = JSON.stringify(firing[0]?.parameters ?? null);
    if (firing[0]?.parameters !== undefined) parameters[ruleId] = firing[0].parameters;
    for (const c of firing) {
      if (JSON.stringify(c.parameters ?? null) !== chosen) continue;
      const shift = stretch++ * STRETCH_MS;
      for (const r of c.events) {
        const n = out.length;
        out.push({ ...r, eventTime: new Date(Date.parse(r.eventTime as string) + shift).toISOString().replace('.000Z', 'Z'), eventID: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}` });
      }
    }
  }
  return out;
}

const time = (r: CloudTrailRecord): number => Date.parse(r.eventTime as string);
const where = (r: CloudTrailRecord): { account: string; region: string } => ({ account: r.recipientAccountId ?? '111122223333', region: r.awsRegion ?? 'us-east-1' });

/** One file per account, region and five minutes of event time, delivered two minutes after its window. */
function fiveMinuteFiles(records: readonly CloudTrailRecord[]): LogFile[] {
  const files = new Map<string, LogFile>();
  for (const r of records) {
    const window = Math.floor(time(r) / FIVE_MINUTES);
    const { account, region } = where(r);
    const key = `${account} ${region} ${window}`;
    let file = files.get(key);
    if (file === undefined) {
      file = { account, region, delivered: new Date((window + 1) * FIVE_MINUTES + 2 * 60_000).toISOString(), records: [], suffix: `w${window}` };
      files.set(key, file);
    }
    file.records.push(r);
  }
  return [...files.values()].sort((a, b) => a.delivered.localeCompare(b.delivered));
}

/** The same files with their delivery stamps permuted: `order[i]` is the stamp file i takes. */
function restamped(files: readonly LogFile[], order: readonly number[]): LogFile[] {
  return files.map((f, i) => ({ ...f, delivered: (files[order[i] as number] as LogFile).delivered }));
}

/** `count` files per account and region, events dealt round-robin: each spans the whole period. */
function hugeFiles(records: readonly CloudTrailRecord[], count: number): LogFile[] {
  const files = new Map<string, LogFile>();
  const last = Math.max(...records.map(time));
  records.forEach((r, i) => {
    const { account, region } = where(r);
    const key = `${account} ${region} ${i % count}`;
    let file = files.get(key);
    if (file === undefined) {
      file = { account, region, delivered: new Date(last + 5 * 60_000).toISOString(), records: [], suffix: `huge${i % count}` };
      files.set(key, file);
    }
    file.records.push(r);
  });
  return [...files.values()];
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function scanLayout(files: readonly LogFile[], spill?: SpillOptions, workers = 0): Promise<ScanResult> {
  const dir = tempDir('trailproof-order-');
  try {
    for (const f of files) writeLog(dir, f);
    const rules = ruleSources({ builtin: true, dirs: [] });
    return await scanEvents([localLogs(dir, FULL_SCOPE)], { rules: rules.sources, parameters, scope: FULL_SCOPE, workers, spawnAfterMs: 0, ...(spill === undefined ? {} : { spill }) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What must not change with the layout. */
function essentials(result: ScanResult): string[] {
  return result.detections.map((d) => [d.ruleId, d.eventId, d.count, d.firstSeen, d.lastSeen, d.account, d.region, d.actor].join(' | '));
}

describe('detections whatever the file layout and order', function () {
  this.timeout(300_000);
  let records: CloudTrailRecord[];
  let baseline: ScanResult;

  before(async () => {
    records = await corpus();
    baseline = await scanLayout(fiveMinuteFiles(records));
  });

  it('fires every built-in correlation in delivery order, five-minute files, with nothing late', () => {
    const fired = new Set(baseline.detections.map((d) => d.ruleId));
    expect(correlationIds.filter((id) => !fired.has(id))).to.deep.equal([]);
    expect(baseline.stats.late).to.equal(0);
    expect(baseline.stats.recorrelated).to.deep.equal([]);
    expect(baseline.stats.incomplete).to.deep.equal([]);
  });

  it('gives the same detections from three huge files that each span the whole period (worker threads)', async () => {
    const result = await scanLayout(hugeFiles(records, 3), undefined, 2);
    expect(result.stats.late).to.be.greaterThan(0);
    expect(essentials(result)).to.deep.equal(essentials(baseline));
    expect(result.stats.incomplete).to.deep.equal([]);
  });

  it('gives the same detections and counts from the five-minute files on worker threads, several small files to a message', async () => {
    const files = fiveMinuteFiles(records);
    expect(files.length).to.be.greaterThan(2 * BATCH_MAX_UNITS);
    const result = await scanLayout(files, undefined, 2);
    expect(essentials(result)).to.deep.equal(essentials(baseline));
    expect([result.stats.files, result.stats.events, result.stats.late]).to.deep.equal([baseline.stats.files, baseline.stats.events, 0]);
  });

  it('gives the same detections from the five-minute files listed in reverse', async () => {
    const files = fiveMinuteFiles(records);
    const result = await scanLayout(restamped(files, files.map((_, i) => files.length - 1 - i)));
    expect(result.stats.late).to.be.greaterThan(0);
    expect(result.stats.recorrelated).to.include.members(['console-login-failures', 'password-spray']);
    expect(essentials(result)).to.deep.equal(essentials(baseline));
  });

  it('gives the same detections in any random file order and with events shuffled within files', async () => {
    const files = fiveMinuteFiles(records);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), async (seed, shuffleWithin) => {
        const order = shuffled(files.map((_, i) => i), seed);
        const layout = restamped(files, order).map((f, i) => (shuffleWithin ? { ...f, records: shuffled(f.records, seed + i) } : f));
        const result = await scanLayout(layout);
        expect(essentials(result)).to.deep.equal(essentials(baseline));
        expect(result.stats.incomplete).to.deep.equal([]);
      }),
      { numRuns: 4 },
    );
  });

  it('gives the same detections from shuffled huge files sorted on disk in many runs (a tiny memory budget)', async () => {
    const files = hugeFiles(records, 2).map((f, i) => ({ ...f, records: shuffled(f.records, 7 + i) }));
    const result = await scanLayout(files, { memoryBudgetBytes: 16 * 1024 });
    expect(result.stats.spill?.runs).to.be.greaterThan(1);
    expect(essentials(result)).to.deep.equal(essentials(baseline));
  });

  it('names the correlations it could not make exact when the journal reaches its disk bound', async () => {
    const files = fiveMinuteFiles(records);
    const result = await scanLayout(restamped(files, files.map((_, i) => files.length - 1 - i)), { maxBytes: 1024 });
    expect(result.stats.late).to.be.greaterThan(0);
    const ids = result.stats.incomplete.map((i) => i.ruleId);
    expect(ids).to.include('console-login-failures');
    const entry = result.stats.incomplete.find((i) => i.ruleId === 'console-login-failures');
    expect(entry?.severity).to.equal('medium');
    expect(entry?.inputs).to.be.greaterThan(0);
    expect(entry?.reason).to.match(/disk bound of 0 MiB \(SPILL_MAX_BYTES\)/);
    expect(result.stats.recorrelated).to.deep.equal([]);
  });
});
