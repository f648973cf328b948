// The command line. main() parses, runs one command and returns its exit code (CONTRACT section 1);
// only bin/trailproof.js touches the process. Errors print one line (a stack only with --debug).
import yargs from 'yargs';
import { TrailproofError, errorMessage } from '../errors.js';
import { toolVersion } from '../paths.js';
import { audit } from './commands/audit.js';
import { checksList } from './commands/checks.js';
import { processIo, type Io } from './io.js';
import { auditOptions, commonOptions } from './options.js';

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  const debug = argv.includes('--debug');
  const parser = yargs(argv)
    .scriptName('trailproof')
    .usage('$0 <command> [options]\n\nCompliance auditing and evidence reports for AWS CloudTrail.')
    .options(commonOptions)
    .command(
      'audit',
      'Run every enabled check over an evidence bundle, write outputs, exit by the gate',
      (y) => y.options(auditOptions).example('$0 audit --bundle examples/demo-org --out reports/demo --format json,junit', 'Audit the demo organization'),
      async (args) => {
        exitCode = await audit(
          {
            ...(args.bundle !== undefined && { bundle: args.bundle }),
            ...(args.out !== undefined && { out: args.out }),
            ...(args.format !== undefined && { format: args.format }),
            ...(args['fail-on'] !== undefined && { failOn: args['fail-on'] }),
            ...(args.framework !== undefined && { framework: args.framework }),
            ...(args.accounts !== undefined && { accounts: args.accounts }),
            ...(args.checks !== undefined && { checks: args.checks.map(String) }),
            ...(args.plugin !== undefined && { plugin: args.plugin.map(String) }),
            ...(args.config !== undefined && { config: args.config }),
            quiet: args.quiet,
            allowModifiedEvidence: args['allow-modified-evidence'],
          },
          io,
        );
      },
    )
    .command('checks', 'The check catalog', (y) =>
      y
        .command(
          'list',
          'List every check: id, title, severity, framework mappings, parameters',
          (yy) =>
            yy.options({
              format: { type: 'string', describe: 'table or json', requiresArg: true },
              plugin: { type: 'string', array: true, describe: 'Also list checks from a folder, file or npm package', requiresArg: true },
            }),
          async (args) => {
            exitCode = await checksList(
              {
                ...(args.format !== undefined && { format: args.format }),
                ...(args.config !== undefined && { config: args.config }),
                ...(args.plugin !== undefined && { plugin: args.plugin.map(String) }),
              },
              io,
            );
          },
        )
        .demandCommand(1, 'checks needs a subcommand: list'),
    )
    .demandCommand(1, 'Give a command: audit or checks list (see --help)')
    .strict()
    .version(toolVersion)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, err) => {
      throw err ?? new TrailproofError('TP_USAGE', message);
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
