#!/usr/bin/env node
// The published entry point: the compiled CLI does the work and returns an exit code.

// The AWS SDK warns on every run under Node 20 that its releases after January 2027 will need Node 22.
// trailproof supports Node 20 with the SDK versions its lockfile pins, and stderr must stay one clear line
// per problem, so that notice is turned off unless the user asked for it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// The last resort: a throw that escaped main() (a stream callback, an event emitter, a promise nobody
// awaited) ends the run with one line and exit 2, never a raw stack trace or exit 1, which CONTRACT keeps
// for "the gate failed". The stack only with --debug.
const debug = process.argv.includes('--debug');
const lastResort = (err) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`trailproof: internal error: ${(message.split('\n')[0] ?? '').trim() || 'unknown'}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
  else process.stderr.write('trailproof: run again with --debug for the stack trace, and please report it\n');
  process.exit(2);
};
process.on('uncaughtException', lastResort);
process.on('unhandledRejection', lastResort);

const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
