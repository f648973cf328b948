// `npm run bench:sql`: the same corpus (default 1,000,000 realistic events, bench/scan-corpus.ts) through the
// in-process engine and through the rules compiled to SQL on DuckDB, side by side: events per second of each,
// DuckDB's load and query times apart, and whether both found the same detections.
// Usage: node dist/bench/sql.bench.js [events]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultWorkers } from '../src/events/pipeline.js';
import { localLogs } from '../src/events/readers/local.js';
import { FULL_SCOPE } from '../src/events/readers/types.js';
import { ruleSources } from '../src/events/rules.js';
import { scanEvents } from '../src/events/scan.js';
import { duckdbRunner, duckTableFromFiles } from '../src/sql/duckdb.js';
import { sqlScan } from '../src/sql/engine.js';
import { writeCorpus } from './scan-corpus.js';

function rate(events: number, ms: number): string {
  return `${Math.round(events / (ms / 1000)).toLocaleString('en-US')} events/s`;
}

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 1_000_000);
  const dir = await mkdtemp(join(tmpdir(), 'trailproof-bench-sql-'));
  try {
    const corpus = await writeCorpus(dir, events);
    const rules = ruleSources({ builtin: true, dirs: [] }).sources;
    process.stdout.write(`corpus: ${corpus.events.toLocaleString('en-US')} events in ${corpus.files} files, ${rules.length} rule files\n`);

    let t = Date.now();
    const local = await scanEvents([localLogs(dir, FULL_SCOPE)], { rules, scope: FULL_SCOPE, workers: defaultWorkers() });
    const localMs = Date.now() - t;

    // The table as `scan --engine duckdb --logs DIR` loads it: DuckDB reads the files itself.
    t = Date.now();
    const paths: string[] = [];
    for await (const unit of localLogs(dir, FULL_SCOPE).units()) if (unit.kind === 'file') paths.push(unit.path);
    const table = await duckTableFromFiles(paths);
    const loadMs = Date.now() - t;
    t = Date.now();
    const sql = await sqlScan({ engine: 'duckdb', rules, table: table.table, layout: 'organization', scope: FULL_SCOPE, runner: duckdbRunner(table.connection) });
    const queryMs = Date.now() - t;
    table.close();

    const same = JSON.stringify(sql.detections) === JSON.stringify(local.detections);
    process.stdout.write(
      [
        `in-process engine: ${rate(corpus.events, localMs)} (${(localMs / 1000).toFixed(1)} s, ${defaultWorkers()} workers), ${local.detections.length} detections`,
        `DuckDB SQL:        ${rate(corpus.events, queryMs)} querying (${(queryMs / 1000).toFixed(1)} s, ${sql.queries.length} queries, ${sql.queries.reduce((n, q) => n + q.rows, 0).toLocaleString('en-US')} rows back), ${rate(corpus.events, loadMs + queryMs)} with the load (${(loadMs / 1000).toFixed(1)} s to load the table), ${sql.detections.length} detections`,
        `same detections: ${same ? 'yes' : 'NO'}`,
      ].join('\n') + '\n',
    );
    if (!same) process.exitCode = 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
