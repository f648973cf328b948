// Flags that forgive: a mistyped command or flag is answered with the nearest real one ("Unknown argument:
// frmat. Did you mean --format?"), and flags can come from TRAILPROOF_* environment variables. yargs' own
// `.env()` cannot be used under `.strict()`: it turns every TRAILPROOF_* variable into an argument, and the
// project already has variables that are no flag (TRAILPROOF_SMTP_*, TRAILPROOF_CONFIG, ...), which strict
// mode would refuse. So only the option names of the command being run are looked up, and a variable that
// names none of them is left alone. Precedence: a flag on the command line, then its variable, then the
// config file (the variable becomes a flag before parsing, so it overrides the file as a flag does).
import yargs from 'yargs';
import { suggest } from '../config/load.js';
import { TrailproofError } from '../errors.js';
import type { CommandSpec } from './command.js';
import { commonOptions } from './options.js';

/** The commands main.ts registers: a command runs, or holds subcommands. */
export interface CommandNode {
  name: string;
  spec?: CommandSpec;
  sub?: CommandNode[];
}

/**
 * TRAILPROOF_* variables that are settings of their own, never flags, even where a flag has that name
 * (TRAILPROOF_CONFIG is read by config discovery itself).
 */
const NOT_FLAGS = [/^TRAILPROOF_CONFIG$/, /^TRAILPROOF_SMTP_/, /^TRAILPROOF_EMAIL_/, /^TRAILPROOF_SES_/, /^TRAILPROOF_UPDATE_/, /^TRAILPROOF_SARIF_/];

/** Options yargs adds itself, never taken from the environment. */
const PARSER_OPTIONS = new Set(['help', 'version']);

/** The command (and subcommand) the words of argv name, before the first flag. */
export function commandPath(argv: readonly string[], tree: readonly CommandNode[]): CommandNode[] {
  const path: CommandNode[] = [];
  let level: readonly CommandNode[] = tree;
  for (const word of argv) {
    if (word.startsWith('-')) break;
    const node = level.find((n) => n.name === word);
    if (node === undefined) break;
    path.push(node);
    level = node.sub ?? [];
  }
  return path;
}

interface OptionNames {
  names: string[];
  booleans: Set<string>;
}

/** The flags a command takes (its own and the common ones), as its builder declares them. */
/** What yargs keeps of a parser's declared options (present on the instance, absent from its typings). */
interface DeclaredOptions {
  getOptions(): { key: Record<string, unknown>; boolean: string[] };
}

function optionNames(spec: CommandSpec | undefined): OptionNames {
  const parser = yargs([]).options(commonOptions);
  const options = ((spec === undefined ? parser : spec.builder(parser)) as unknown as DeclaredOptions).getOptions();
  const names = Object.keys(options.key).filter((k) => !PARSER_OPTIONS.has(k));
  return { names, booleans: new Set(options.boolean) };
}

/** The variable for a flag: --fail-on is TRAILPROOF_FAIL_ON. */
export function envName(flag: string): string {
  return `TRAILPROOF_${flag.toUpperCase().replace(/-/g, '_')}`;
}

function givenOnCommandLine(argv: readonly string[], flag: string): boolean {
  return argv.some((a) => a === `--${flag}` || a.startsWith(`--${flag}=`) || a === `--no-${flag}`);
}

/** Flags taken from the environment, appended to argv; `fromEnv` says which variable set each, for errors. */
export function envFlags(argv: readonly string[], tree: readonly CommandNode[], env: NodeJS.ProcessEnv): { argv: string[]; fromEnv: Map<string, string> } {
  const fromEnv = new Map<string, string>();
  const extra: string[] = [];
  const { names, booleans } = optionNames(commandPath(argv, tree).at(-1)?.spec);
  for (const flag of names) {
    const variable = envName(flag);
    const value = env[variable];
    if (value === undefined || value.trim() === '' || NOT_FLAGS.some((re) => re.test(variable)) || givenOnCommandLine(argv, flag)) continue;
    if (booleans.has(flag)) {
      const on = /^(1|true|yes|on)$/i.test(value.trim());
      if (!on && !/^(0|false|no|off)$/i.test(value.trim())) throw new TrailproofError('TP_USAGE', `${variable}=${value}: give true or false (it sets --${flag})`);
      extra.push(on ? `--${flag}` : `--no-${flag}`);
    } else extra.push(`--${flag}=${value}`);
    fromEnv.set(flag, variable);
  }
  // Flags after a `--` would be positional words: put them before it.
  const end = argv.indexOf('--');
  const out = end === -1 ? [...argv, ...extra] : [...argv.slice(0, end), ...extra, ...argv.slice(end)];
  return { argv: out, fromEnv };
}

/**
 * yargs' failure message with a way forward: an unknown word gets the nearest command (when it stands where a
 * command does) or flag of the command being run, and a bad value that came from a variable names it.
 */
export function explainFailure(message: string, argv: readonly string[], tree: readonly CommandNode[], fromEnv: ReadonlyMap<string, string>): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown === null) {
    for (const [flag, variable] of fromEnv) if (message.includes(`Argument: ${flag},`)) return `${message} (--${flag} came from ${variable})`;
    return message;
  }
  const path = commandPath(argv, tree);
  const commands = (path.length === 0 ? tree : (path.at(-1)?.sub ?? [])).map((n) => n.name);
  const flags = optionNames(path.at(-1)?.spec).names;
  const isFlag = (word: string): boolean => argv.some((a) => a.startsWith('-') && a.replace(/^--?(no-)?/, '').split('=')[0] === word);
  // yargs names a flag twice, as typed and camel-cased (fail-onn, failOnn): keep the typed one.
  const words = (unknown[1] as string).split(', ').filter((w, _i, all) => !(/[A-Z]/.test(w) && all.some((o) => o !== w && o.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()) === w)));
  // A word where a command should be is the mistake that matters; the flags after it belong to that command.
  const command = words.find((w) => !isFlag(w) && commands.length > 0 && (path.length === 0 || path.at(-1)?.spec === undefined));
  if (command !== undefined) {
    const near = suggest(command, commands);
    return `Unknown argument: ${command}. ${near === undefined ? `Commands: ${commands.join(', ')}` : `Did you mean ${near}?`}`;
  }
  const hints = words.map((w) => (isFlag(w) ? suggest(w, flags) : undefined)).filter((h): h is string => h !== undefined).map((h) => `--${h}`);
  const said = `Unknown argument${words.length > 1 ? 's' : ''}: ${words.join(', ')}`;
  return hints.length === 0 ? `${said}. See --help` : `${said}. Did you mean ${hints.join(', ')}?`;
}
