// `trailproof events`: the investigator's search over event history. Who did what, when, from where, as an
// aligned table, JSON lines (the records as CloudTrail wrote them) or CSV; the summary goes to stderr.
import { loadConfig } from '../../config/load.js';
import { TrailproofError } from '../../errors.js';
import { findEvents, type SortOrder } from '../../events/find.js';
import { eventSourceOptions, progressMode, readCommonArgs } from '../event-options.js';
import { defaultWorkers } from '../../events/pipeline.js';
import { ProgressDisplay } from '../../events/progress.js';
import { cell, eventAccount, eventsCsv, eventsJsonl, eventsTable, readSummary } from '../../output/events-text.js';
import type { EventQuery } from '../../events/search.js';
import { openSources, scopeFromFlags } from '../../events/sources.js';
import type { CloudTrailRecord } from '../../events/record.js';
import { defineCommand, type ArgsOf } from '../command.js';
import { timeFormat, timeZoneOption, type TimeFormat } from '../time-options.js';
import { processIo, screenFlags, screenFor, type Io } from '../io.js';

export const EVENT_FORMATS = ['table', 'jsonl', 'csv'] as const;

export const eventsOptions = {
  ...eventSourceOptions,
  name: { type: 'string', array: true, requiresArg: true, describe: 'Event name, e.g. DeleteBucket (repeatable: any of them)' },
  user: { type: 'string', requiresArg: true, describe: 'The caller: a user or role name, or an ARN (a role ARN also finds its sessions)' },
  ip: { type: 'string', requiresArg: true, describe: 'Source address or CIDR block (e.g. 192.0.2.55 or 192.0.2.0/24)' },
  source: { type: 'string', requiresArg: true, describe: 'The service: s3 or s3.amazonaws.com' },
  'errors-only': { type: 'boolean', default: false, describe: 'Only calls that failed: an errorCode, a console sign-in that failed (ConsoleLogin Failure), or an errorMessage alone' },
  resource: { type: 'string', requiresArg: true, describe: 'A resource ARN or name (a bucket, a role, an instance id...)' },
  limit: { type: 'number', requiresArg: true, describe: 'Show at most this many events (the first ones in --sort order)' },
  sort: { type: 'string', choices: ['time', '-time'], default: 'time', describe: 'time: oldest first; -time: newest first' },
  format: { type: 'string', choices: EVENT_FORMATS, default: 'table', describe: 'table, jsonl (one CloudTrail record per line) or csv' },
  id: { type: 'string', requiresArg: true, describe: 'One event by its eventID: told in words (who, what, when, where from, with what, result, resource), then its record. Not found: a message on stderr, exit 0' },
  ...timeZoneOption,
} as const;

type EventsArgs = ArgsOf<[typeof eventsOptions]>;

function queryOf(args: EventsArgs): EventQuery {
  const names = (args.name ?? []).flatMap((n) => String(n).split(',')).map((n) => n.trim()).filter((n) => n !== '');
  const query: EventQuery = { names, errorsOnly: args['errors-only'] === true };
  for (const [flag, key] of [['user', 'user'], ['ip', 'ip'], ['source', 'source'], ['resource', 'resource'], ['id', 'eventId']] as const) {
    const v = args[flag];
    if (v === undefined) continue;
    const text = String(v).trim();
    if (text === '') throw new TrailproofError('TP_USAGE', `--${flag}: give a value`);
    query[key] = text;
  }
  return query;
}

export async function events(args: EventsArgs, io: Io): Promise<number> {
  const common = readCommonArgs(args, { cwd: io.cwd, nowMs: Date.now() });
  const time = timeFormat(args.tz);
  const { config } = loadConfig(common.config, io.cwd);
  if (common.scope.accounts.length === 0 && config.accounts !== undefined) common.scope.accounts = [...config.accounts];
  const query = queryOf(args);
  let limit: number | undefined;
  if (args.limit !== undefined) {
    limit = args.limit;
    if (!Number.isInteger(limit) || limit < 1) throw new TrailproofError('TP_USAGE', `--limit ${String(args.limit)}: give a whole number of events, 1 or more`);
  }
  const format = args.format;
  const sort: SortOrder = args.sort;
  const { scope } = scopeFromFlags(common.scope);
  const opened = await openSources(common.source, scope, io.cwd);

  const progress = new ProgressDisplay(progressMode(common, io === processIo && process.stderr.isTTY === true), io.stderr, 'events');
  let result;
  try {
    result = await findEvents(opened.sources, {
      query,
      scope,
      sort,
      workers: common.workers ?? defaultWorkers(),
      ...(limit === undefined ? {} : { limit }),
      onProgress: (s) => progress.update(s),
    });
  } finally {
    progress.done();
  }
  const { events: found, stats } = result;
  if (query.eventId !== undefined) return oneEvent(io, { found, format, id: query.eventId, time, sources: stats.sources.join(' + '), quiet: common.quiet });
  if (format === 'jsonl') io.stdout(eventsJsonl(found));
  else if (format === 'csv') io.stdout(eventsCsv(found));
  else io.stdout(found.length > 0 ? eventsTable(found, screenFor(io, screenFlags(args)), time) : 'no events match\n');

  if (!common.quiet) {
    const shown = limit !== undefined && stats.found > found.length ? `${found.length} of ${stats.found} matching events shown (--limit ${limit})` : `${found.length} matching events`;
    io.stderr([...readSummary(stats), shown].join('\n') + '\n');
  }
  if (stats.modified.length > 0 && !common.allowModified) {
    throw new TrailproofError('TP_BUNDLE_TAMPERED', `evidence bundle ${common.source.bundle ?? ''} does not match its manifest (${stats.modified.length} modified: ${stats.modified.slice(0, 3).join(', ')}). Use --allow-modified-evidence to accept it`);
  }
  // Every input failed: the search could not look at anything, which is not "no match".
  if (stats.events === 0 && stats.filesSkipped > 0) {
    io.stderr('trailproof: no events could be read: the search could not look at anything\n');
    return 3;
  }
  return 0;
}

/**
 * `events --id`: the one event in words, or in the asked format. An id that is not there is an answer, not a
 * failed gate nor bad usage: nothing on stdout (a script sees an empty result), a message on stderr, exit 0.
 * Duplicate deliveries of one event (the same eventID twice) are shown once.
 */
function oneEvent(io: Io, o: { found: readonly CloudTrailRecord[]; format: string; id: string; time: TimeFormat; sources: string; quiet: boolean }): number {
  const event = o.found[0];
  if (event === undefined) {
    io.stderr(`trailproof: no event with id ${cell(o.id, 200)} in ${o.sources}\n`);
    return 0;
  }
  if (o.format === 'jsonl') io.stdout(eventsJsonl([event]));
  else if (o.format === 'csv') io.stdout(eventsCsv([event]));
  else io.stdout(eventAccount(event, o.time));
  if (o.found.length > 1 && !o.quiet) io.stderr(`${o.found.length} records carry this id (duplicate deliveries); the first is shown\n`);
  return 0;
}

export const command = defineCommand({
  name: 'events',
  describe: 'Search event history: who did what, when, from where',
  options: [eventsOptions],
  builder: (y) =>
    y
      .example('$0 events --bundle ./evidence --resource my-bucket --name DeleteBucket', 'Who deleted a bucket, when and from where')
      .example('$0 events --lookup-events --since 2h --tz LOCAL --errors-only', 'The last two hours of failed calls, live, in local time')
      .example('$0 events --logs ./AWSLogs --id 3f2b8c1e-0a4d-4e6f-9b7a-1c2d3e4f5a6b', 'One event in words, then its record')
      .example('$0 events --logs ./AWSLogs --user Winter --from 2026-09-14 --to 2026-09-14 --format csv > winter.csv', "One user's day as CSV")
      .example('$0 events --logs s3://org-trail-bucket --ip 192.0.2.0/24 --errors-only --sort -time --limit 50', 'The latest failed calls from a network'),
  run: events,
});
