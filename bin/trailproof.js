#!/usr/bin/env node
// The published entry point: the compiled CLI does the work and returns an exit code.

// The AWS SDK warns on every run under Node 20 that its releases after January 2027 will need Node 22.
// trailproof supports Node 20 with the SDK versions its lockfile pins, and stderr must stay one clear line
// per problem, so that notice is turned off unless the user asked for it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
