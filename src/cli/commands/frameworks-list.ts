// `trailproof frameworks list`: the compliance frameworks trailproof reports on (checks/frameworks/*.json),
// as a table or JSON: id, name, version, how many requirements, and which checks are mapped to them.
import { loadFrameworks, type Framework } from '../../engine/frameworks.js';
import { TrailproofError } from '../../errors.js';
import { renderTable, type Column } from '../../output/table.js';
import { defineCommand, type ArgsOf } from '../command.js';
import { screenFlags, screenFor, type Io } from '../io.js';

export interface FrameworkEntry {
  id: string;
  name: string;
  version: string;
  url: string;
  requirements: number;
  /** Requirements no check is mapped to (covered by MANUAL review, or not at all). */
  unmapped: number;
  /** Every check mapped to one of its requirements, sorted. */
  checks: string[];
}

const FRAMEWORK_COLUMNS: Column[] = [
  { header: 'ID', priority: 1, min: 10 },
  { header: 'NAME', priority: 2, min: 20 },
  { header: 'VERSION', priority: 3, min: 7 },
  { header: 'REQUIREMENTS', priority: 1, min: 12 },
  { header: 'CHECKS', priority: 1, min: 6 },
];

export function frameworkEntry(fw: Framework): FrameworkEntry {
  const checks = [...new Set(fw.requirements.flatMap((r) => r.checks))].sort();
  return { id: fw.id, name: fw.title, version: fw.version, url: fw.url, requirements: fw.requirements.length, unmapped: fw.requirements.filter((r) => r.checks.length === 0).length, checks };
}

const frameworksListOptions = { format: { type: 'string', choices: ['table', 'json'], default: 'table', describe: 'table or json' } } as const;

async function frameworksList(args: ArgsOf<[typeof frameworksListOptions]>, io: Io): Promise<number> {
  const format = args.format;
  if (format !== 'table' && format !== 'json') throw new TrailproofError('TP_USAGE', `--format: frameworks list prints "table" or "json", not "${format}"`);
  const entries = loadFrameworks().map(frameworkEntry);
  if (format === 'json') io.stdout(JSON.stringify(entries, null, 2) + '\n');
  else {
    const rows = entries.map((e) => [e.id, e.name, e.version, e.unmapped > 0 ? `${e.requirements} (${e.unmapped} unmapped)` : String(e.requirements), String(e.checks.length)]);
    io.stdout(renderTable(FRAMEWORK_COLUMNS, rows, screenFor(io, screenFlags(args))) + '\n');
  }
  return 0;
}

export const command = defineCommand({
  name: 'list',
  describe: 'List the compliance frameworks: id, name, version, requirements, checks mapped',
  options: [frameworksListOptions],
  builder: (y) =>
    y
      .example('$0 frameworks list', 'Which frameworks --framework accepts')
      .example('$0 frameworks list --format json', 'With every mapped check id'),
  run: frameworksList,
});
