// The CLI's arguments are typed from the option tables (src/cli/command.ts defineCommand/ArgsOf): a flag read
// under a key the tables do not declare fails the type check. The `@ts-expect-error` lines below are the
// proof: if a misspelled key compiled, tsc would report the unused directive and the build would fail.
import { expect } from 'chai';
import { defineCommand, type ArgsOf } from '../../src/cli/command.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { auditOptions } from '../../src/cli/options.js';

const TABLES = [auditOptions, { wait: { type: 'number', requiresArg: true, describe: 'Seconds' } }] as const;

describe('typed CLI options', function () {
  it('types each flag of the tables and the common options, and refuses a key no table declares', function () {
    const args = { bundle: 'b', 'fail-on': 'high', checks: ['trail.*'], wait: 3, quiet: false } as unknown as ArgsOf<typeof TABLES>;
    const bundle: string | undefined = args.bundle;
    const failOn: 'critical' | 'high' | 'medium' | 'low' | 'info' | 'none' | undefined = args['fail-on'];
    const checks: string[] | undefined = args.checks;
    const wait: number | undefined = args.wait;
    const quiet: boolean = args.quiet;
    // @ts-expect-error: --fail-onn is not a flag of these tables
    const misspelled: unknown = args['fail-onn'];
    // @ts-expect-error: camel-cased keys are not read; the tables name flags as the user types them
    const camel: unknown = args.failOn;
    expect([bundle, failOn, checks, wait, quiet, misspelled, camel]).to.deep.equal(['b', 'high', ['trail.*'], 3, false, undefined, undefined]);
  });

  it('hands a command the arguments yargs parsed against its tables', async function () {
    let seen: ArgsOf<typeof TABLES> | undefined;
    const spec = defineCommand({ name: 'probe', describe: 'probe', options: TABLES, run: async (args) => ((seen = args), 0) });
    const io = memoryIo();
    const parsed = { bundle: 'demo', wait: 5, quiet: true } as Record<string, unknown>;
    expect(await spec.run(parsed, io)).to.equal(0);
    expect(seen?.bundle).to.equal('demo');
    expect(seen?.wait).to.equal(5);
    // And the real parser still reads every audit flag under its name (a typo in a table would show here).
    expect(await main(['audit', '--bundle', 'nowhere', '--format', 'nope'], io)).to.equal(2);
    expect(io.err).to.equal('trailproof: --format: unknown format "nope"; available: json, html, pdf, junit, sarif, csv, ocsf, markdown, asff, compliance\n');
  });
});
