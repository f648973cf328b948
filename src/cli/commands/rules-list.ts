// `trailproof rules list`: the event-history rules a scan would run, the built-in catalog and any --rules
// folders, as a table or JSON: id, level, title, the ATT&CK tags and where each rule comes from. A rule that
// does not load is named on stderr and makes the exit 2 (its file is unreadable input); `checks list --rules`
// is the linter.
import { relative, resolve } from 'node:path';
import { ruleSources, BUILTIN_RULES_DIR } from '../../events/rules.js';
import { compileRules } from '../../events/builtin-rules.js';
import { TrailproofError } from '../../errors.js';
import { renderTable, type Column } from '../../output/table.js';
import { severityTone } from '../../output/terminal.js';
import { defineCommand, type ArgsOf } from '../command.js';
import { screenFlags, screenFor, type Io } from '../io.js';

export interface RuleEntry {
  id: string;
  /** The severity the rule reports at (its trailproof severity, else its Sigma level). */
  level: string;
  title: string;
  kind: 'event' | 'correlation';
  /** Sigma tags in the attack.* namespace: tactics and technique ids. */
  attack: string[];
  /** 'built-in', or the rule file's path relative to the working folder. */
  source: string;
}

/** A rule id is often a UUID, useless in part: it stays whole (36) and the other columns give way. */
const RULE_COLUMNS: Column[] = [
  { header: 'ID', priority: 1, min: 36, shorten: 'middle' },
  { header: 'LEVEL', priority: 1, min: 8, tone: severityTone },
  { header: 'TITLE', priority: 2, min: 20 },
  { header: 'ATT&CK', priority: 3, min: 12 },
  { header: 'SOURCE', priority: 4, min: 10, shorten: 'middle' },
];

export function ruleEntries(args: { builtin: boolean; dirs: string[] }, cwd: string): { rules: RuleEntry[]; errors: string[] } {
  const read = ruleSources({ builtin: args.builtin, dirs: args.dirs.map((d) => resolve(cwd, d)) });
  // The build's snapshot of the built-in rules when they are the ones read (a tenth of compiling their YAML).
  const compiled = compileRules(read.sources);
  const builtinPrefix = BUILTIN_RULES_DIR + '/';
  const rules = compiled.rules.map((rule) => ({
    id: rule.ruleId,
    level: rule.severity,
    title: rule.title,
    kind: rule.kind,
    attack: rule.meta.tags.filter((t) => t.toLowerCase().startsWith('attack.')),
    source: rule.file.startsWith(builtinPrefix) ? 'built-in' : relative(cwd, rule.file) || rule.file,
  }));
  rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { rules, errors: [...read.errors, ...compiled.errors].map((e) => e.message) };
}

const rulesListOptions = {
  format: { type: 'string', choices: ['table', 'json'], default: 'table', describe: 'table or json' },
  rules: { type: 'string', array: true, requiresArg: true, describe: 'Also list the Sigma rules in this folder or file (repeatable)' },
  'builtin-rules': { type: 'boolean', default: true, describe: 'List the built-in catalog (--no-builtin-rules: only the --rules given)' },
} as const;

async function rulesList(args: ArgsOf<[typeof rulesListOptions]>, io: Io): Promise<number> {
  const format = args.format;
  if (format !== 'table' && format !== 'json') throw new TrailproofError('TP_USAGE', `--format: rules list prints "table" or "json", not "${format}"`);
  const { rules, errors } = ruleEntries({ builtin: args['builtin-rules'] !== false, dirs: args.rules ?? [] }, io.cwd);
  if (format === 'json') io.stdout(JSON.stringify({ rules, errors }, null, 2) + '\n');
  else io.stdout(renderTable(RULE_COLUMNS, rules.map((r) => [r.id, r.level, r.title, r.attack.join(' '), r.source]), screenFor(io, screenFlags(args))) + '\n');
  for (const e of errors) io.stderr(`trailproof: rule not loaded: ${e}\n`);
  if (!args.quiet) io.stderr(`${rules.length} rules${errors.length > 0 ? `, ${errors.length} not loaded` : ''}\n`);
  return errors.length > 0 ? 2 : 0;
}

export const command = defineCommand({
  name: 'list',
  describe: 'List the event-history rules: id, level, title, ATT&CK tags, where each comes from',
  options: [rulesListOptions],
  builder: (y) =>
    y
      .example('$0 rules list', 'The built-in rules')
      .example('$0 rules list --rules ./my-rules --format json', 'The built-in rules and your own, as JSON'),
  run: rulesList,
});
