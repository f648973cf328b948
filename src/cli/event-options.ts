// The flags `scan` and `events` share (where the events are, which of them, how fast), their option table
// and their typed reading, kept apart from the parsers as for the other commands.
import { resolve } from 'node:path';
import { TrailproofError } from '../errors.js';
import { readManifest } from '../events/readers/bundle.js';
import { splitList } from './options.js';
import { sinceFrom } from './time-options.js';
import type { ProgressMode } from '../progress.js';
import type { ScopeFlags, SourceFlags } from '../events/sources.js';

export const eventSourceOptions = {
  logs: { type: 'string', array: true, requiresArg: true, describe: 'CloudTrail log files in the S3 delivery layout: a folder, or s3://bucket/prefix (repeatable)' },
  bundle: { type: 'string', requiresArg: true, describe: "An evidence bundle: its logs/ and every LookupEvents.jsonl" },
  'lookup-events': { type: 'boolean', default: false, describe: 'Read the last 90 days of management events live through CloudTrail LookupEvents (2 requests/s per account and region)' },
  from: { type: 'string', requiresArg: true, describe: 'First instant or date (UTC) of the events to read, e.g. 2026-07-01 or 2026-07-01T00:00:00Z' },
  to: { type: 'string', requiresArg: true, describe: 'Last instant or date (a date includes the whole day)' },
  since: { type: 'string', requiresArg: true, describe: 'Only the last 30m, 2h, 7d or 2w instead of --from/--to: before the bundle\'s collectedAt for --bundle alone (a saved bundle answers the same next year), before now otherwise' },
  period: { type: 'string', requiresArg: true, describe: 'A quarter, half, month or year instead of --from/--to: 2026-Q3, 2026-H2, 2026-09, 2026' },
  accounts: { type: 'string', requiresArg: true, describe: 'Comma list of account ids to read (others are not opened)' },
  regions: { type: 'string', requiresArg: true, describe: 'Comma list of regions to read (others are not opened)' },
  workers: { type: 'number', requiresArg: true, describe: 'Worker threads that parse and match files (default: one per core but one, the main thread reading files too; 0: the main thread only)' },
  profile: { type: 'string', requiresArg: true, describe: 'AWS profile for s3:// logs and --lookup-events' },
  region: { type: 'string', requiresArg: true, describe: 'Region of the first S3 call (a bucket elsewhere is followed) and of --lookup-events without --regions; default AWS_REGION, AWS_DEFAULT_REGION, the profile\'s, else us-east-1 for S3' },
  'assume-role': { type: 'string', requiresArg: true, describe: 'Role name assumed in each --accounts account other than the caller\'s (--lookup-events)' },
  'allow-modified-evidence': { type: 'boolean', default: false, describe: 'Read a bundle whose files do not match its manifest (reported, not refused)' },
} as const;

export interface CommonEventArgs {
  source: SourceFlags;
  scope: ScopeFlags;
  workers: number | undefined;
  allowModified: boolean;
  quiet: boolean;
  progress: boolean;
  config: string | undefined;
}

function optionalString(args: Record<string, unknown>, key: string): string | undefined {
  const v = args[key];
  return v === undefined ? undefined : String(v);
}

/**
 * The instant `--since` counts back from: a bundle read alone is a snapshot, so its collectedAt; anything
 * live or a log folder (which keeps growing) counts from the clock.
 */
function sinceAnchor(source: SourceFlags, cwd: string, nowMs: number): number {
  if (source.bundle === undefined || source.logs.length > 0 || source.lookupEvents) return nowMs;
  const collected = Date.parse(readManifest(resolve(cwd, source.bundle)).collectedAt);
  return Number.isNaN(collected) ? nowMs : collected;
}

/** Where `--since` is counted from: the working folder (for --bundle) and the clock. */
export interface SinceContext {
  cwd: string;
  nowMs: number;
}

export function readCommonArgs(args: Record<string, unknown>, since?: SinceContext): CommonEventArgs {
  const logs = args['logs'];
  const source: SourceFlags = {
    logs: logs === undefined ? [] : (Array.isArray(logs) ? logs : [logs]).map(String),
    lookupEvents: args['lookup-events'] === true,
  };
  const bundle = optionalString(args, 'bundle');
  if (bundle !== undefined) source.bundle = bundle;
  const profile = optionalString(args, 'profile');
  if (profile !== undefined) source.profile = profile;
  const region = optionalString(args, 'region');
  if (region !== undefined) source.region = region;
  const role = optionalString(args, 'assume-role');
  if (role !== undefined) source.assumeRole = role;
  const scope: ScopeFlags = { accounts: splitList(optionalString(args, 'accounts')), regions: splitList(optionalString(args, 'regions')) };
  for (const key of ['period', 'from', 'to'] as const) {
    const v = optionalString(args, key);
    if (v !== undefined) scope[key] = v;
  }
  const sinceValue = optionalString(args, 'since');
  if (sinceValue !== undefined) {
    if (scope.from !== undefined || scope.to !== undefined || scope.period !== undefined) throw new TrailproofError('TP_USAGE', `--since ${sinceValue} cannot be combined with --from, --to or --period: give one of them`);
    const context = since ?? { cwd: '.', nowMs: Date.now() };
    scope.from = sinceFrom(sinceValue, sinceAnchor(source, context.cwd, context.nowMs));
  }
  let workers: number | undefined;
  if (args['workers'] !== undefined) {
    workers = Number(args['workers']);
    if (!Number.isInteger(workers) || workers < 0 || workers > 64) throw new TrailproofError('TP_USAGE', `--workers ${String(args['workers'])}: give a whole number from 0 (this thread only) to 64`);
  }
  return {
    source,
    scope,
    workers,
    allowModified: args['allow-modified-evidence'] === true,
    quiet: args['quiet'] === true,
    progress: args['progress'] !== false,
    config: optionalString(args, 'config'),
  };
}

/** Terminal redraws only when stderr is a terminal and progress is on; plain lines otherwise; nothing with --quiet. */
export function progressMode(common: CommonEventArgs, stderrIsTty: boolean): ProgressMode {
  if (common.quiet) return 'off';
  return common.progress && stderrIsTty ? 'tty' : 'lines';
}
