// One module per command (mocha's model): its option table, and a function that runs it and returns the
// exit code. main.ts registers them in one list. defineCommand types a command's parsed arguments from its
// option table (yargs' own inference), so reading a flag the table does not declare fails the type check.
import type { Argv, InferredOptionTypes, Options } from 'yargs';
import type { Io } from './io.js';
import { commonOptions } from './options.js';

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
 * tables. No index signature: a key that is not a declared flag does not compile. `Repeatable` names flags of
 * one value that may be given several times (`--logs A --logs B`): they read as a string or a list of them.
 */
export type ArgsOf<L extends readonly OptionTable[], Repeatable extends string = never> = Omit<InferredOptionTypes<MergedTables<[typeof commonOptions, ...L]>>, Repeatable> & {
  [K in Repeatable]?: string | string[];
};

/** A command whose `run` reads arguments typed from its option tables. */
export interface TypedCommand<L extends readonly OptionTable[], Repeatable extends string> {
  name: string;
  describe: string;
  /** The option tables, registered in this order (the order --help lists them in). */
  options: L;
  /** Flags of one value kept as a list when given several times (every other one reads as one value). */
  repeatable?: readonly Repeatable[];
  /** Examples and other parser settings beyond the options. */
  builder?: (yargs: Argv) => Argv;
  run(args: ArgsOf<L, Repeatable>, io: Io): Promise<number>;
}

/** A command with typed arguments, as the untyped spec main.ts registers. */
export function defineCommand<const L extends readonly OptionTable[], const Repeatable extends string = never>(spec: TypedCommand<L, Repeatable>): CommandSpec {
  return {
    name: spec.name,
    describe: spec.describe,
    builder: (y) => {
      let parser = y;
      for (const table of spec.options) parser = parser.options(table);
      return spec.builder ? spec.builder(parser) : parser;
    },
    // yargs parsed `args` against exactly these tables; with one value per flag, it is what ArgsOf describes.
    run: (args, io) => spec.run(oneValuePerFlag(args, [commonOptions, ...spec.options], spec.repeatable ?? []) as ArgsOf<L, Repeatable>, io),
  };
}

/**
 * yargs gives a string or number flag given twice as an array. A flag declared as one value reads as one,
 * as it always has here: strings joined with commas (`--accounts A --accounts B` is `A,B`), numbers as NaN
 * (refused by the flag's own check).
 */
function oneValuePerFlag(args: Record<string, unknown>, tables: readonly OptionTable[], repeatable: readonly string[]): Record<string, unknown> {
  const out = { ...args };
  for (const table of tables) {
    for (const [flag, definition] of Object.entries(table)) {
      const value = out[flag];
      if (!Array.isArray(value) || definition.array === true || repeatable.includes(flag)) continue;
      if (definition.type === 'string') out[flag] = String(value);
      else if (definition.type === 'number') out[flag] = Number(value);
    }
  }
  return out;
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
