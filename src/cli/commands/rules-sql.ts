// `trailproof rules sql --engine athena|lake|duckdb [--rules DIR]`: the SQL the rules compile to, for review
// or for use in other tools. Without a period the queries read every partition; give --period/--from/--to,
// --accounts, --regions to see them pruned as a scan would.
import { resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { ruleSettings, ruleSources } from '../../events/rules.js';
import { readCommonArgs } from '../event-options.js';
import { scopeFromFlags } from '../../events/sources.js';
import type { EngineName } from '../../sql/dialect.js';
import { planSqlScan } from '../../sql/engine.js';
import type { TableLayout } from '../../sql/plan.js';
import { defineCommand, type ArgsOf } from '../command.js';
import type { Io } from '../io.js';
import { dryRunText, lakeStore } from './scan-sql.js';

const rulesSqlOptions = {
  engine: { type: 'string', choices: ['athena', 'lake', 'duckdb'], default: 'athena', describe: 'The SQL dialect and table' },
  rules: { type: 'string', array: true, requiresArg: true, describe: 'A folder (or file) of Sigma rules as well as the built-ins (repeatable)' },
  'builtin-rules': { type: 'boolean', default: true, describe: 'Include the built-in catalog (--no-builtin-rules: only --rules)' },
  'athena-table': { type: 'string', requiresArg: true, describe: 'The table the SQL reads (default cloudtrail_logs; Athena: database.table), as in scan' },
  // The old name, kept working and out of the help: scan calls the same idea --athena-table.
  table: { type: 'string', hidden: true, requiresArg: true },
  'table-layout': { type: 'string', choices: ['account', 'organization', 'none'], describe: 'How the Athena table is partitioned (default organization)' },
  'event-data-store': { type: 'string', requiresArg: true, describe: 'Lake: the event data store id the SQL names' },
  period: { type: 'string', requiresArg: true, describe: 'Prune to a quarter, half, month or year: 2026-Q3' },
  from: { type: 'string', requiresArg: true, describe: 'First instant or date (UTC)' },
  to: { type: 'string', requiresArg: true, describe: 'Last instant or date' },
  accounts: { type: 'string', requiresArg: true, describe: 'Comma list of account ids' },
  regions: { type: 'string', requiresArg: true, describe: 'Comma list of regions' },
} as const;

async function rulesSql(args: ArgsOf<[typeof rulesSqlOptions]>, io: Io): Promise<number> {
  const engine: EngineName = args.engine;
  const { config } = loadConfig(args.config, io.cwd);
  const dirs = (args.rules ?? []).map((d) => resolve(io.cwd, d));
  const rules = ruleSources({ builtin: args['builtin-rules'] !== false, dirs });
  for (const err of rules.errors) io.stderr(`trailproof: rule not loaded: ${err.message}\n`);
  const { scope } = scopeFromFlags(readCommonArgs(args).scope);
  const layout: TableLayout = args['table-layout'] ?? (engine === 'lake' ? 'none' : 'organization');
  const table = engine === 'lake' ? lakeStore(args['event-data-store'] ?? 'event-data-store-id') : (args['athena-table'] ?? args.table ?? 'cloudtrail_logs');
  const planned = planSqlScan({ engine, rules: rules.sources, parameters: ruleSettings(config).parameters, table, layout, scope });
  for (const err of planned.errors) io.stderr(`trailproof: rule not loaded: ${err.message}\n`);
  io.stdout(dryRunText(planned, engine));
  return rules.errors.length + planned.errors.length > 0 ? 2 : 0;
}

export const command = defineCommand({
  name: 'sql',
  describe: 'Print the SQL the rules compile to (Athena/Trino, CloudTrail Lake or DuckDB)',
  options: [rulesSqlOptions],
  builder: (y) =>
    y
      .example('$0 rules sql --engine athena --period 2026-Q3 > q3.sql', 'The Athena SQL of every built-in rule for a quarter')
      .example('$0 rules sql --engine lake --event-data-store EXAMPLE-f852 --rules ./my-rules --no-builtin-rules', 'Your own rules as CloudTrail Lake SQL'),
  run: rulesSql,
});
