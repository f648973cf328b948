// One module per command (mocha's model): its option table, and a function that runs it and returns the
// exit code. main.ts registers them in one list.
import type { Argv } from 'yargs';
import type { Io } from './io.js';

export interface CommandSpec {
  /** yargs command string, e.g. 'audit' or 'list' (for subcommands of 'checks'). */
  name: string;
  describe: string;
  /** Adds the command's options (and examples) to the parser. */
  builder(yargs: Argv): Argv;
  /** Runs the command with the parsed arguments (camel-cased keys available) and returns the exit code. */
  run(args: Record<string, unknown>, io: Io): Promise<number>;
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
