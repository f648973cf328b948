// `trailproof collect --out DIR`: live collection from AWS into an evidence bundle, and nothing else. The
// options that choose what to collect are shared with `trailproof audit` without --bundle. The collector (and
// with it the AWS SDK) is imported when a collection runs, so other commands start fast.
import { resolve } from 'node:path';
import { TrailproofError } from '../../errors.js';
import type { CollectOptions, ProgressMode } from '../../collect/index.js';
import { readPolicy } from '../../collect/policy.js';
import { parsePeriod } from '../../model/period.js';
import { cleanOnInterrupt } from '../interrupt.js';
import { defineCommand, type ArgsOf } from '../command.js';
import { processIo, type Io } from '../io.js';
import { splitList } from '../options.js';

/** What to collect and how: the flags of `collect` that `audit` also takes for a live audit (it has --accounts). */
export const liveOptions = {
  profile: { type: 'string', describe: 'AWS profile to use (default: the SDK default credential chain)', requiresArg: true },
  region: { type: 'string', describe: 'Region for global calls (STS, Organizations, DescribeRegions); default: the profile or AWS_REGION, else us-east-1', requiresArg: true },
  regions: { type: 'string', describe: "Comma list of regions to collect (default: each account's enabled regions)", requiresArg: true },
  'exclude-accounts': { type: 'string', describe: 'Comma list of account ids to leave out', requiresArg: true },
  'assume-role': { type: 'string', describe: 'Role NAME to assume in every account other than the caller\'s (e.g. a read-only audit role)', requiresArg: true },
  'external-id': { type: 'string', describe: 'External id for --assume-role', requiresArg: true },
  org: { type: 'boolean', describe: "Collect every ACTIVE account of the organization (default when the caller can list them; --no-org: the caller's account only)" },
  concurrency: { type: 'number', describe: 'AWS calls in flight at once (default 32)', requiresArg: true },
  'call-timeout': { type: 'number', describe: 'Seconds one call (or one page) may take before it counts as timed out (default 30)', requiresArg: true },
  'lookup-events': { type: 'boolean', describe: 'Also collect the 90-day event history (LookupEvents, 2 requests/s per account and region)', default: false },
  logs: { type: 'string', describe: "Without a value: also copy each trail's log and digest files of the period into logs/ (with the digest metadata sidecars) and CloudTrail's public keys" },
  from: { type: 'string', describe: 'With --logs: start of the period (date or ISO-8601 instant, UTC); default: 7 days before --to', requiresArg: true },
  to: { type: 'string', describe: 'With --logs: end of the period, inclusive (a date includes the whole day); default: the collection time', requiresArg: true },
  period: { type: 'string', describe: 'With --logs: the period as 2026-Q3, 2026-H2, 2026-09 or 2026 (instead of --from/--to)', requiresArg: true },
} as const;

export const collectOptions = {
  out: { type: 'string', describe: 'Folder to write the evidence bundle to (must not exist or be empty)', requiresArg: true },
  accounts: { type: 'string', describe: 'Comma list of account ids to collect (default: every ACTIVE account of the organization); the organization trails that record them are still read where they live (manifest collection.extra)', requiresArg: true },
  ...liveOptions,
  archive: { type: 'boolean', describe: 'Also write DIR.tar.gz of the bundle for evidence retention', default: false },
  'print-policy': { type: 'boolean', describe: 'Print the least-privilege IAM policy the collection needs, and exit', default: false },
  'log-buckets': { type: 'string', describe: 'With --print-policy: comma list of the trail buckets --logs reads (fills in the log-copy statement)', requiresArg: true },
} as const;

/**
 * `--logs` in its two forms: alone, copy each trail's own log files into the bundle (collect, live audit);
 * with a folder or s3://bucket/prefix (CONTRACT's common option), log files to read (audit runs its event
 * rules over them too). Repeatable.
 */
export function logsFlag(args: { logs?: unknown }): { copy: boolean; locations: string[] } {
  const raw = args.logs;
  if (raw === undefined || raw === false) return { copy: false, locations: [] };
  const values = (Array.isArray(raw) ? raw : [raw]).map((v) => (v === true ? '' : String(v)));
  return { copy: values.includes(''), locations: values.filter((v) => v !== '') };
}

function stderrIsTty(io: Io): boolean {
  return io.stderr === processIo.stderr && process.stderr.isTTY === true;
}

/** The flags a live collection reads (collect's, and audit's without --bundle). */
type LiveArgs = ArgsOf<[typeof liveOptions], 'logs'> & { accounts?: string | undefined };

/**
 * The live-collection options from parsed arguments, for `collect` and for `audit` without --bundle. For
 * `collect` the period only chooses the logs to copy; `audit` also reports over it (periodForLogsOnly false).
 */
export function liveCollectOptions(args: LiveArgs, io: Io, periodForLogsOnly = true): Omit<CollectOptions, 'out' | 'archive'> {
  // The SDK warns on every run that future releases need a newer Node; the package's engines field says what this one supports.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const quiet = args.quiet;
  const progress: ProgressMode = quiet ? 'off' : args.progress !== false && stderrIsTty(io) ? 'tty' : 'lines';
  const list = (value: string | undefined): string[] | undefined => {
    const values = splitList(value);
    return values.length > 0 ? values : undefined;
  };
  const timeout = args['call-timeout'];
  const period = parsePeriod({ period: args.period, from: args.from, to: args.to });
  const logs = logsFlag(args).copy;
  if (period !== undefined && !logs && periodForLogsOnly) throw new TrailproofError('TP_USAGE', '--from, --to and --period choose the logs to copy: give them with --logs');
  const options: Omit<CollectOptions, 'out' | 'archive'> = {
    profile: args.profile,
    region: args.region,
    regions: list(args.regions),
    accounts: list(args.accounts),
    excludeAccounts: list(args['exclude-accounts']),
    assumeRole: args['assume-role'],
    externalId: args['external-id'],
    org: typeof args.org === 'boolean' ? args.org : undefined,
    concurrency: args.concurrency,
    callTimeoutMs: timeout === undefined ? undefined : timeout * 1000,
    lookupEvents: args['lookup-events'] === true,
    logs: logs ? { from: period?.from ? new Date(period.from) : undefined, to: period?.to ? new Date(period.to) : undefined } : undefined,
    progress,
    // --quiet keeps warnings (a scope narrower than asked for) and drops the rest.
    log: quiet ? (text) => void (text.startsWith('trailproof: warning:') ? io.stderr(text) : undefined) : (text) => io.stderr(text),
  };
  if (options.concurrency !== undefined && Number.isNaN(options.concurrency)) throw new TrailproofError('TP_USAGE', '--concurrency: give a whole number');
  return options;
}

export async function collect(args: ArgsOf<[typeof collectOptions], 'logs'>, io: Io): Promise<number> {
  if (args['print-policy']) {
    io.stdout(readPolicy(args['assume-role'], splitList(args['log-buckets'])));
    return 0;
  }
  const out = args.out;
  if (out === undefined) throw new TrailproofError('TP_USAGE', 'collect needs --out DIR, the folder to write the evidence bundle to');
  const [location] = logsFlag(args).locations;
  if (location !== undefined) {
    throw new TrailproofError('TP_USAGE', `collect --logs copies each trail's own log files from its bucket and takes no folder or bucket ("${location}"); to run the event rules over log files, give them to scan or audit (trailproof audit --bundle DIR --logs ${location})`);
  }
  const options = liveCollectOptions(args, io);
  // The AWS SDK takes seconds to load: only a command that calls AWS pays for it.
  const { collectBundle, formatSummary, insufficient, removePartialBundles } = await import('../../collect/index.js');
  const result = await cleanOnInterrupt(io, removePartialBundles, () => collectBundle({ ...options, out: resolve(io.cwd, out), archive: args.archive }));
  if (!args.quiet) io.stderr(formatSummary(result));
  // The bundle is kept: its $error files say what went wrong where.
  if (!result.usable) throw insufficient(result);
  return 0;
}

export const command = defineCommand({
  name: 'collect',
  describe: 'Collect evidence from AWS (every account and enabled region) into a bundle',
  options: [collectOptions],
  repeatable: ['logs'],
  builder: (y) =>
    y
      .example('$0 collect --out evidence/2026-Q3 --assume-role TrailproofAudit --archive', 'Collect the whole organization from the management account')
      .example('$0 collect --out evidence/dev --no-org --regions us-east-1,eu-west-1', "Only the caller's account, two regions")
      .example('$0 collect --out evidence/2026-Q3 --assume-role TrailproofAudit --logs --period 2026-Q3', 'Also copy the quarter\'s log and digest files and the public keys, to prove log integrity offline')
      .example('$0 collect --print-policy --assume-role TrailproofAudit > trailproof-policy.json', 'The IAM policy the collection needs'),
  run: collect,
});
