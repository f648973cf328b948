// One module per command (mocha's model): its option table, and a function that runs it and returns the
// exit code. main.ts registers them in one list. defineCommand types a command's parsed arguments from its
// option table (yargs' own inference), so reading a flag the table does not declare fails the type check.
import type { Argv, InferredOptionTypes, Options } from 'yargs';
import type { Io } from './io.js';
import type { commonOptions } from './options.js';

export interface CommandSpec {
  /** yargs command string, e.g. 'audit' or 'list' (for subcommands of 'checks'). */
  name: string;
  describe: string;
  /** Adds the command's options (and examples) to the parser. */
  builder(yargs: Argv): Argv;
  /** Runs the command with the parsed arguments (camel-cased keys available) and returns the exit code. */
  run(args: Record<string, unknown>, io: Io): Promise<number>;
}

/** An option table: flag name -> its yargs definition (declared `as const`, so the types can be inferred). */
export type OptionTable = Readonly<Record<string, Options>>;

/** Option tables merged in order, as yargs registers them: a later table's definition of a flag wins. */
export type MergedTables<L extends readonly OptionTable[]> = L extends readonly [infer First extends OptionTable, ...infer Rest extends readonly OptionTable[]]
  ? Omit<First, keyof MergedTables<Rest>> & MergedTables<Rest>
  : unknown;

/**
 * The parsed arguments of a command's option tables and the common options, by flag name, typed from the
 * tables. No index signature: a key that is not a declared flag does not compile.
 */
export type ArgsOf<L extends readonly OptionTable[]> = InferredOptionTypes<MergedTables<[typeof commonOptions, ...L]>>;

/** A command whose `run` reads arguments typed from its option tables. */
export interface TypedCommand<L extends readonly OptionTable[]> {
  name: string;
  describe: string;
  /** The option tables, registered in this order (the order --help lists them in). */
  options: L;
  /** Examples and other parser settings beyond the options. */
  builder?: (yargs: Argv) => Argv;
  run(args: ArgsOf<L>, io: Io): Promise<number>;
}

/** A command with typed arguments, as the untyped spec main.ts registers. */
export function defineCommand<const L extends readonly OptionTable[]>(spec: TypedCommand<L>): CommandSpec {
  return {
    name: spec.name,
    describe: spec.describe,
    builder: (y) => {
      let parser = y;
      for (const table of spec.options) parser = parser.options(table);
      return spec.builder ? spec.builder(parser) : parser;
    },
    // yargs parsed `args` against exactly these tables, which is what ArgsOf describes.
    run: (args, io) => spec.run(args as ArgsOf<L>, io),
  };
}

/** Typed reads of parsed arguments, so command modules do not cast by hand. */
export const arg = {
  string(args: Record<string, unknown>, key: string): string | undefined {
    const v = args[key];
    return v === undefined ? undefined : String(v);
  },
  strings(args: Record<string, unknown>, key: string): string[] | undefined {
    const v = args[key];
    if (v === undefined) return undefined;
    return (Array.isArray(v) ? v : [v]).map(String);
  },
  boolean(args: Record<string, unknown>, key: string): boolean {
    return args[key] === true;
  },
  number(args: Record<string, unknown>, key: string): number | undefined {
    const v = args[key];
    return v === undefined ? undefined : Number(v);
  },
};

/** A command whose capability is not in this version yet: exits 2 saying so. */
export function notYet(name: string, describe: string, what: string): CommandSpec {
  return {
    name,
    describe: `${describe} (not available yet)`,
    builder: (y) => y.strict(false),
    run: async (_args, io) => {
      io.stderr(`trailproof: ${name} is not available in this version yet: ${what}\n`);
      return 2;
    },
  };
}
