// `trailproof checks list`: the catalog, as a table or JSON, with framework mappings and parameters.
import { loadFrameworks, indexFrameworks } from '../../engine/frameworks.js';
import { table } from '../../output/table.js';
import { arg, type CommandSpec } from '../command.js';
import type { Io } from '../io.js';
import { splitList } from '../options.js';
import { loadRegistry } from './audit.js';
import { loadConfig } from '../../config/load.js';
import { TrailproofError } from '../../errors.js';

export interface ChecksListArgs {
  format?: string;
  config?: string;
  plugin?: string[];
}

export async function checksList(args: ChecksListArgs, io: Io): Promise<number> {
  const format = args.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new TrailproofError('TP_USAGE', `--format: checks list prints "table" or "json", not "${format}"`);
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
  io.stdout(table(rows, ['ID', 'SEVERITY', 'TITLE', 'FRAMEWORKS', 'PARAMETERS']) + '\n');
  return 0;
}

export const command: CommandSpec = {
  name: 'list',
  describe: 'List every check: id, title, severity, framework mappings, parameters',
  builder: (y) =>
    y.options({
      format: { type: 'string', describe: 'table or json', requiresArg: true },
      plugin: { type: 'string', array: true, describe: 'Also list checks from a folder, file or npm package', requiresArg: true },
    }),
  run: (args, io) => {
    const parsed: ChecksListArgs = {};
    const format = arg.string(args, 'format');
    const config = arg.string(args, 'config');
    const plugin = arg.strings(args, 'plugin');
    if (format !== undefined) parsed.format = format;
    if (config !== undefined) parsed.config = config;
    if (plugin !== undefined) parsed.plugin = plugin;
    return checksList(parsed, io);
  },
};
