// The findings files of the demo's earlier quarters (examples/history/<period>/findings.json): the real engine
// run over each earlier estate (history.ts) with the demo's config, as `trailproof audit --bundle ... --period`
// would, then made reproducible and small. Reproducible: the run id is derived from the period and the run's
// times from the collection time, since a generator reads no clock. Small: only what a report's trends and
// "changes since" read is kept (the run, summary, results, waivers, integrity, framework views); the checks'
// test procedures are left out (optional in the schema). The bundle itself is not shipped: findings record its
// manifest's SHA-256, and `node dist/scripts/make-demo-history.js` rebuilds the same files.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { audit } from '../../src/engine/run.js';
import type { Findings } from '../../src/model/types.js';
import { packageRoot } from '../../src/paths.js';
import { hashUuid } from './events.js';
import { buildEarlierQuarter, type EarlierQuarter } from './history.js';

/** A UUID-shaped id derived from the period, so the same quarter always has the same run id. */
function runIdOf(period: string): string {
  return hashUuid(`trailproof-demo-history/${period}`);
}

/** The findings file text of one earlier quarter (two-space JSON, as trailproof writes findings). */
export async function earlierQuarterFindings(q: EarlierQuarter): Promise<string> {
  const dir = buildEarlierQuarter(q).writeTemp('trailproof-demo-history-');
  try {
    const findings: Findings = await audit({ cwd: packageRoot, bundle: dir, config: join(packageRoot, 'examples', 'trailproof.yml'), period: { period: q.period } });
    const collected = Date.parse(q.collectedAt);
    findings.run.id = runIdOf(q.period);
    findings.run.startedAt = new Date(collected + 5 * 60_000).toISOString();
    findings.run.finishedAt = new Date(collected + 5 * 60_000 + 2_000).toISOString();
    if (findings.run.bundle) findings.run.bundle.path = `demo-org as of ${q.collectedAt.slice(0, 10)} (not shipped; scripts/demo-org/history.ts rebuilds it)`;
    delete findings.checks;
    return JSON.stringify(findings, null, 2) + '\n';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
