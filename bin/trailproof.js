#!/usr/bin/env node
// The published entry point: the compiled CLI does the work and returns an exit code.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
