// `trailproof checks list`: the catalog, as a table or JSON, with framework mappings and parameters.
import { loadFrameworks, indexFrameworks } from '../../engine/frameworks.js';
import { renderTable, type Column } from '../../output/table.js';
import { severityTone, type Screen } from '../../output/terminal.js';
import { defineCommand } from '../command.js';
import { screenFlags, screenFor, type Io } from '../io.js';
import { splitList } from '../options.js';
import { loadRegistry } from '../../engine/run.js';
import { loadConfig } from '../../config/load.js';
import { TrailproofError } from '../../errors.js';
import { relative, resolve } from 'node:path';

export interface ChecksListArgs {
  format?: string;
  config?: string;
  plugin?: string[];
  /** Sigma rule folders to list and lint instead of the posture checks. */
  rules?: string[];
  /** How the table is laid out (fitted and coloured on a terminal); whole and plain when absent. */
  screen?: Screen;
}

/** On 80 columns: id, severity and title; the framework mappings and parameters need --wide or a wider screen. */
const CHECK_COLUMNS: Column[] = [
  { header: 'ID', priority: 1, min: 30, shorten: 'middle' },
  { header: 'SEVERITY', priority: 1, min: 8, tone: severityTone },
  { header: 'TITLE', priority: 2, min: 24 },
  { header: 'FRAMEWORKS', priority: 3, min: 16 },
  { header: 'PARAMETERS', priority: 4, min: 20 },
];

const LINT_COLUMNS: Column[] = [
  { header: 'RULE', priority: 1, min: 20, shorten: 'middle' },
  { header: 'SEVERITY', priority: 1, min: 8, tone: severityTone },
  { header: 'TITLE', priority: 3, min: 16 },
  { header: 'LINT', priority: 2, min: 16 },
];

/**
 * `checks list --rules DIR`: loads the rules, lints each (a field CloudTrail never has, an eventSource that does
 * not exist, a condition that can never hold, a regular expression that backtracks exponentially) and lists them; exit 1 when a rule does not load or has an error.
 */
async function rulesLint(dirs: string[], format: 'table' | 'json', io: Io, screen: Screen | undefined): Promise<number> {
  const { loadRules, lintRule, lintRegexes } = await import('../../events/sigma/index.js');
  const loaded = loadRules(dirs.map((d) => resolve(io.cwd, d)));
  const regexIssues = await Promise.all(loaded.rules.map((rule) => lintRegexes(rule)));
  const rows = loaded.rules.map((rule, n) => ({
    ruleId: rule.ruleId,
    severity: rule.severity,
    title: rule.meta.title,
    file: relative(io.cwd, rule.file) || rule.file,
    issues: [...lintRule(rule), ...(regexIssues[n] ?? [])]
      .sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1))
      .map((i) => ({ level: i.level, code: i.code, message: i.message })),
  }));
  const loadErrors = loaded.errors.map((e) => ({ file: relative(io.cwd, e.file) || e.file, feature: e.feature, message: e.message }));
  if (format === 'json') io.stdout(JSON.stringify({ rules: rows, errors: loadErrors }, null, 2) + '\n');
  else {
    io.stdout(renderTable(LINT_COLUMNS, rows.map((r) => [r.ruleId, r.severity, r.title, r.issues.map((i) => `${i.level}: ${i.message}`).join('; ') || 'ok']), screen) + '\n');
    for (const e of loadErrors) io.stderr(`trailproof: ${e.message}\n`);
  }
  const errors = loadErrors.length + rows.filter((r) => r.issues.some((i) => i.level === 'error')).length;
  const warnings = rows.filter((r) => r.issues.some((i) => i.level === 'warning')).length;
  io.stderr(`${rows.length} rules loaded, ${loadErrors.length} failed to load, ${errors - loadErrors.length} with lint errors, ${warnings} with warnings\n`);
  return errors > 0 ? 1 : 0;
}

export async function checksList(args: ChecksListArgs, io: Io): Promise<number> {
  const format = args.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new TrailproofError('TP_USAGE', `--format: checks list prints "table" or "json", not "${format}"`);
  if (args.rules !== undefined && args.rules.length > 0) return rulesLint(args.rules, format, io, args.screen);
  const { config, baseDir } = loadConfig(args.config, io.cwd);
  const registry = await loadRegistry([
    ...(config.plugins ?? []).map((spec) => ({ spec, baseDir })),
    ...splitList(args.plugin).map((spec) => ({ spec, baseDir: io.cwd })),
  ]);
  const index = indexFrameworks(loadFrameworks(), registry);
  const catalog = registry.all().map(({ check, origin }) => {
    const { meta } = check;
    const properties = (meta.schema.properties ?? {}) as Record<string, { type?: string; description?: string }>;
    return {
      id: meta.id,
      title: meta.title,
      severity: meta.severity,
      scope: meta.scope,
      origin,
      description: meta.description,
      rationale: meta.rationale,
      remediation: meta.remediation,
      frameworks: index.get(meta.id) ?? {},
      parameters: Object.entries(properties).map(([name, p]) => ({
        name,
        type: p.type ?? 'any',
        default: (meta.defaultOptions as Record<string, unknown>)[name],
        description: p.description ?? '',
      })),
    };
  });
  if (format === 'json') {
    io.stdout(JSON.stringify(catalog, null, 2) + '\n');
    return 0;
  }
  const rows = catalog.map((c) => [
    c.id,
    c.severity,
    c.title,
    Object.entries(c.frameworks).map(([fw, reqs]) => `${fw} ${reqs.join(',')}`).join('; '),
    c.parameters.map((p) => `${p.name}=${JSON.stringify(p.default)}`).join(' '),
  ]);
  io.stdout(renderTable(CHECK_COLUMNS, rows, args.screen) + '\n');
  return 0;
}

const checksListOptions = {
  format: { type: 'string', describe: 'table or json', requiresArg: true },
  plugin: { type: 'string', array: true, describe: 'Also list checks from a folder, file or npm package', requiresArg: true },
  rules: { type: 'string', array: true, describe: 'List and lint the Sigma rules in this folder instead (exit 1 when one does not load or can never match CloudTrail)', requiresArg: true },
} as const;

export const command = defineCommand({
  name: 'list',
  describe: 'List every check: id, title, severity, framework mappings, parameters',
  options: [checksListOptions],
  builder: (y) =>
    y
      .example('$0 checks list', 'The built-in checks, fitted to the terminal')
      .example('$0 checks list --plugin ./my-checks --format json', 'With your own checks, as JSON')
      .example('$0 checks list --rules ./my-rules', 'Lint your Sigma rules: exit 1 when one does not load or can never match'),
  run: (args, io) => {
    const parsed: ChecksListArgs = {};
    if (args.format !== undefined) parsed.format = args.format;
    if (args.config !== undefined) parsed.config = args.config;
    if (args.plugin !== undefined) parsed.plugin = args.plugin;
    if (args.rules !== undefined) parsed.rules = args.rules;
    parsed.screen = screenFor(io, screenFlags(args));
    return checksList(parsed, io);
  },
});
