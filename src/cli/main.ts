// The command line. main() parses, runs one command and returns its exit code (CONTRACT section 1);
// only bin/trailproof.js touches the process. Errors print one line (a stack only with --debug).
import yargs, { type Argv } from 'yargs';
import { TrailproofError, errorMessage } from '../errors.js';
import { toolVersion } from '../paths.js';
import type { CommandSpec } from './command.js';
import { command as audit } from './commands/audit.js';
import { command as checksList } from './commands/checks.js';
import { command as collect } from './commands/collect.js';
import { command as events } from './commands/events.js';
import { command as frameworksList } from './commands/frameworks-list.js';
import { command as gate } from './commands/gate.js';
import { command as report } from './commands/report.js';
import { command as rulesList } from './commands/rules-list.js';
import { command as rulesSql } from './commands/rules-sql.js';
import { command as scan } from './commands/scan.js';
import { command as validateLogs } from './commands/validate-logs.js';
import { command as verify } from './commands/verify.js';
import { cloneEpilog } from './examples.js';
import { envFlags, explainFailure, type CommandNode } from './flags.js';
import { processIo, type Io } from './io.js';
import { commonOptions } from './options.js';

/** Top-level commands, in the contract's order; `checks`, `rules` and `frameworks` hold subcommands. */
const COMMANDS: CommandSpec[] = [audit, collect, scan, events, report, validateLogs, gate, verify];
const CHECKS_SUBCOMMANDS: CommandSpec[] = [checksList];
const RULES_SUBCOMMANDS: CommandSpec[] = [rulesList, rulesSql];
const FRAMEWORKS_SUBCOMMANDS: CommandSpec[] = [frameworksList];

/** The same commands as a tree, for suggestions and environment flags (flags.ts). */
export const COMMAND_TREE: CommandNode[] = [
  ...COMMANDS.map((spec) => ({ name: spec.name, spec })),
  { name: 'checks', sub: CHECKS_SUBCOMMANDS.map((spec) => ({ name: spec.name, spec })) },
  { name: 'rules', sub: RULES_SUBCOMMANDS.map((spec) => ({ name: spec.name, spec })) },
  { name: 'frameworks', sub: FRAMEWORKS_SUBCOMMANDS.map((spec) => ({ name: spec.name, spec })) },
];

/**
 * Option values that begin with a dash, which the parser would otherwise read as a bundle of one-letter
 * flags (`--sort -time` as -t -i -m -e): joined to their option (`--sort=-time`) before parsing.
 */
const DASH_VALUES: Readonly<Record<string, readonly string[]>> = { '--sort': ['-time'] };

export function joinDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (next !== undefined && DASH_VALUES[arg]?.includes(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

export async function main(rawArgv: string[], io: Io = processIo): Promise<number> {
  const typed = joinDashValues(rawArgv);
  let exitCode = 0;
  let argv: string[];
  let fromEnv: ReadonlyMap<string, string>;
  try {
    ({ argv, fromEnv } = envFlags(typed, COMMAND_TREE, io.env));
  } catch (err) {
    if (!(err instanceof TrailproofError)) throw err;
    io.stderr(`trailproof: ${err.message}\n`);
    return err.exitCode;
  }
  // After the environment's flags: TRAILPROOF_DEBUG=true asks for stacks as --debug does.
  const debug = argv.includes('--debug');
  // A command's help ends with its generic examples (its builder's), then the ones that work in a clone.
  const register = (y: Argv, spec: CommandSpec, parent?: string): Argv =>
    y.command(spec.name, spec.describe, (sub) => spec.builder(sub).epilog(cloneEpilog(parent === undefined ? spec.name : `${parent} ${spec.name}`)), async (args) => {
      exitCode = await spec.run(args as Record<string, unknown>, io);
    });

  let parser: Argv = yargs(argv)
    .scriptName('trailproof')
    .usage('$0 <command> [options]\n\nCompliance auditing and evidence reports for AWS CloudTrail.')
    .options(commonOptions);
  for (const spec of COMMANDS) parser = register(parser, spec);
  parser = parser
    .command('checks', 'The check catalog', (y) => {
      let sub = y;
      for (const spec of CHECKS_SUBCOMMANDS) sub = register(sub, spec, 'checks');
      return sub.demandCommand(1, 'checks needs a subcommand: list');
    })
    .command('rules', 'The event-history rules (list, sql)', (y) => {
      let sub = y;
      for (const spec of RULES_SUBCOMMANDS) sub = register(sub, spec, 'rules');
      return sub.demandCommand(1, 'rules needs a subcommand: list or sql');
    })
    .command('frameworks', 'The compliance frameworks', (y) => {
      let sub = y;
      for (const spec of FRAMEWORKS_SUBCOMMANDS) sub = register(sub, spec, 'frameworks');
      return sub.demandCommand(1, 'frameworks needs a subcommand: list');
    })
    .demandCommand(1, 'Give a command (see --help)')
    .strict()
    .version(toolVersion)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, err) => {
      throw err ?? new TrailproofError('TP_USAGE', explainFailure(message, typed, COMMAND_TREE, fromEnv));
    });

  try {
    let output = '';
    await parser.parseAsync(argv, {}, (_err, _argv, text) => {
      output = text;
    });
    // --help and --version print through the parse callback rather than to the process.
    if (output) io.stdout(output + '\n');
    return exitCode;
  } catch (err) {
    if (err instanceof TrailproofError) {
      io.stderr(`trailproof: ${err.message}\n`);
      if (debug && err.stack) io.stderr(err.stack + '\n');
      return err.exitCode;
    }
    io.stderr(`trailproof: internal error: ${errorMessage(err)}\n`);
    if (debug && err instanceof Error && err.stack) io.stderr(err.stack + '\n');
    else io.stderr('trailproof: run again with --debug for the stack trace, and please report it\n');
    return 2;
  }
}
