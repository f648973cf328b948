// `trailproof validate-logs`: verify CloudTrail log-file integrity from digest files (CONTRACT section 5),
// offline from a local copy of the log bucket (--logs DIR) or live from S3 (--trail ARN, --logs s3://...).
import { resolve } from 'node:path';
import { regionFromEnv, resolveEndpoint } from '../../aws/region.js';
import { TrailproofError } from '../../errors.js';
import { discoverChains, type FoundChain } from '../../integrity/discover.js';
import { trustedKeys } from '../../integrity/bundle.js';
import { parseFingerprints, readPublicKeyFiles, type PublicKeyEntry } from '../../integrity/keys.js';
import { describeChain } from '../../evidence/s3-layout.js';
import { exitCodeOf, renderJson, renderText } from '../../integrity/render.js';
import type { AwsClientConfig, S3Store } from '../../integrity/s3-store.js';
import { LocalStore, type ObjectStore } from '../../integrity/store.js';
import { validateChains } from '../../integrity/validate.js';
import { parseTrailArn } from '../../evidence/estate.js';
import { defineCommand, type ArgsOf } from '../command.js';
import type { Io } from '../io.js';
import { splitList } from '../options.js';
import { StatusLine, progressModeOf } from '../../progress.js';

export const validateLogsOptions = {
  logs: { type: 'string', describe: 'Log files in the S3 delivery layout: a local copy (DIR) or s3://bucket[/prefix]', requiresArg: true },
  trail: { type: 'string', describe: 'Trail ARN: validate its digests live from its bucket (or, with --logs DIR, only its chains in the copy)', requiresArg: true },
  account: { type: 'string', describe: 'Member account whose logs to validate (organization trails)', requiresArg: true },
  // The old name (the AWS CLI's), kept working and out of the help: the same idea is --account in gate.
  'account-id': { type: 'string', hidden: true, requiresArg: true },
  'public-keys': { type: 'string', array: true, describe: 'ListPublicKeys output (JSON); repeatable. Live without it: ListPublicKeys is called', requiresArg: true },
  'trusted-key-fingerprints': { type: 'string', describe: 'Comma list of key fingerprints to trust: a digest signed by any other key is invalid (a key must also hash to its fingerprint)', requiresArg: true },
  from: { type: 'string', describe: 'Start of the range (ISO-8601 instant or date); default: the oldest digest', requiresArg: true },
  to: { type: 'string', describe: 'End of the range (instant, or a date meaning its end); default: now', requiresArg: true },
  period: { type: 'string', describe: 'The range as a period: 2026-Q3, 2026-09 or 2026', requiresArg: true },
  bucket: { type: 'string', describe: 'Offline: the bucket the copy came from (default: the bucket the newest digest names)', requiresArg: true },
  regions: { type: 'string', describe: 'Live: comma list of regions whose digests to validate (default: every region with digests)', requiresArg: true },
  profile: { type: 'string', describe: 'Live: AWS profile to use (default: the SDK default credential chain)', requiresArg: true },
  region: { type: 'string', describe: 'Live: region for the first calls (CloudTrail, S3) before each bucket\'s own region is known; default AWS_REGION, AWS_DEFAULT_REGION', requiresArg: true },
  format: { type: 'string', choices: ['text', 'json'], describe: 'Output format on stdout', default: 'text' },
  verbose: { type: 'boolean', describe: "List every file's verdict (text: on stderr; json: a files list)", default: false },
  stricter: { type: 'boolean', describe: 'Run the checks the AWS CLI does not make (--no-stricter: its checks only)', default: true },
  logging: { type: 'boolean', describe: 'Offline: the trail was logging until --to, so a stale newest digest is a problem', default: false },
  concurrency: { type: 'number', describe: 'Log files verified at once', default: 8 },
} as const;

export interface Range {
  start: Date | undefined;
  end: Date;
}

/** --from/--to/--period to a range; `now` is the default end. A date alone means its start (from) or end (to). */
export function parseRange(from: string | undefined, to: string | undefined, period: string | undefined, now: Date): Range {
  if (period !== undefined) {
    if (from !== undefined || to !== undefined) throw new TrailproofError('TP_USAGE', '--period cannot be combined with --from or --to');
    const q = /^(\d{4})-Q([1-4])$/.exec(period);
    const m = /^(\d{4})-(\d{2})$/.exec(period);
    const y = /^(\d{4})$/.exec(period);
    const [year, month, months] = q ? [Number(q[1]), (Number(q[2]) - 1) * 3, 3] : m ? [Number(m[1]), Number(m[2]) - 1, 1] : y ? [Number(y[1]), 0, 12] : [NaN, 0, 0];
    if (Number.isNaN(year) || month > 11) throw new TrailproofError('TP_USAGE', `--period: "${period}" is not a period (2026-Q3, 2026-09 or 2026)`);
    return { start: new Date(Date.UTC(year, month, 1)), end: new Date(Date.UTC(year, month + months, 1)) };
  }
  const start = from === undefined ? undefined : instant(from, '--from', false);
  const end = to === undefined ? now : instant(to, '--to', true);
  if (start !== undefined && start > end) throw new TrailproofError('TP_USAGE', `--from ${from} is after --to ${to ?? 'now'}`);
  return { start, end };
}

function instant(value: string, flag: string, endOfDay: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(day.getTime())) return endOfDay ? new Date(day.getTime() + 86_400_000) : day;
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new TrailproofError('TP_USAGE', `${flag}: "${value}" is not an ISO-8601 instant or date (2026-09-14T03:00:00Z or 2026-09-14)`);
}

export async function validateLogs(args: ArgsOf<[typeof validateLogsOptions]>, io: Io): Promise<number> {
  const logs = args.logs;
  const trailArn = args.trail;
  const accountFlag = args.account !== undefined ? '--account' : '--account-id';
  const accountId = args.account ?? args['account-id'];
  const keyFiles = args['public-keys'] ?? [];
  const json = args.format === 'json';
  const quiet = args.quiet === true;
  const concurrency = args.concurrency ?? 8;
  if (logs === undefined && trailArn === undefined) throw new TrailproofError('TP_USAGE', 'validate-logs needs --logs DIR|s3://bucket/prefix or --trail ARN');
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new TrailproofError('TP_USAGE', `${accountFlag}: "${accountId}" is not a 12-digit account id`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TrailproofError('TP_USAGE', '--concurrency must be a whole number of at least 1');
  const range = parseRange(args.from, args.to, args.period, new Date());
  const endpoint = resolveEndpoint('S3', { env: io.env });
  const region = args.region ?? regionFromEnv(io.env);
  const aws: AwsClientConfig = { ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}), ...(args.profile === undefined ? {} : { profile: args.profile }) };

  // The AWS SDK loads only for the live forms: offline validation starts fast.
  const newS3Store = async (): Promise<S3Store> => new (await import('../../integrity/s3-store.js')).S3Store(aws);
  let s3: S3Store | undefined;
  let store: ObjectStore;
  let chains: FoundChain[];
  let logging = args.logging === true;
  let source: string;
  if (logs !== undefined && !logs.startsWith('s3://')) {
    const local = new LocalStore(resolve(io.cwd, logs), logs);
    local.allKeys();
    store = local;
    chains = await discoverChains(local, args.bucket);
    if (trailArn !== undefined) {
      const t = parseTrailArn(trailArn);
      if (t === undefined) throw new TrailproofError('TP_USAGE', `--trail: "${trailArn}" is not a trail ARN`);
      chains = chains.filter((c) => c.chain.trail === t.name && c.chain.homeRegion === t.region && c.chain.account === (accountId ?? c.chain.account));
    }
    source = logs;
  } else if (logs !== undefined) {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(logs);
    if (!m) throw new TrailproofError('TP_USAGE', `--logs: "${logs}" is not s3://bucket[/prefix]`);
    s3 = await newS3Store();
    store = s3;
    chains = await discoverChains(s3, m[1] as string, m[2] as string);
    source = logs;
  } else {
    s3 = await newS3Store();
    store = s3;
    const { resolveTrail } = await import('../../integrity/live.js');
    const live = await resolveTrail(s3, aws, trailArn as string, accountId, splitList(args.regions));
    chains = live.chains.map((chain) => ({ chain, bucket: live.bucket }));
    logging = live.logging;
    source = `s3://${live.bucket}`;
  }

  let keys: PublicKeyEntry[];
  let keysSource: string;
  if (keyFiles.length > 0) {
    keys = readPublicKeyFiles(keyFiles, io.cwd);
    keysSource = `--public-keys ${keyFiles.join(', ')}`;
  } else if (s3 !== undefined) {
    const start = range.start ?? new Date(0);
    const { listPublicKeys } = await import('../../integrity/live.js');
    keys = await listPublicKeys(aws, chains.map((c) => c.chain.region), start, new Date(range.end.getTime() + 2 * 3600_000));
    keysSource = 'ListPublicKeys';
  } else {
    throw new TrailproofError('TP_USAGE', 'validate-logs --logs DIR needs --public-keys FILE (the output of `aws cloudtrail list-public-keys`)');
  }

  const pinnedFlag = args['trusted-key-fingerprints'];
  const pinned = pinnedFlag === undefined ? undefined : parseFingerprints(splitList(pinnedFlag), '--trusted-key-fingerprints');
  if (pinned !== undefined && pinned.length === 0) throw new TrailproofError('TP_USAGE', '--trusted-key-fingerprints needs at least one fingerprint');
  const anchor = trustedKeys(keys, [], {
    ...(keyFiles.length > 0 ? { auditorKeys: { keys, files: keyFiles } } : { live: true }),
    ...(pinned === undefined ? {} : { pinned }),
  });
  keys = anchor.keys;

  // The one progress display (src/progress.ts): a redrawn line on a terminal, a plain line every few seconds
  // elsewhere, nothing with --quiet; the JSON form keeps stderr for errors alone.
  const mode = json ? 'off' : progressModeOf({ quiet, progress: args.progress !== false, stderrIsTty: io.stderrIsTty === true });
  const status = new StatusLine({ mode, write: io.stderr, intervalMs: 5000, redrawMs: 250, plainPrefix: 'trailproof: ' });
  if (mode !== 'off') io.stderr(`Validating ${chains.length} digest chain${chains.length === 1 ? '' : 's'} in ${source}${chains.length > 0 ? `: ${chains.map((c) => describeChain(c.chain)).join('; ')}` : ''}\n`);
  const checked = { digests: 0, logs: 0 };
  status.repeat((elapsedMs) => {
    const secs = elapsedMs / 1000;
    return `validate-logs: ${checked.digests.toLocaleString('en-US')} digest files and ${checked.logs.toLocaleString('en-US')} log files checked (${Math.round(secs > 0 ? checked.logs / secs : 0).toLocaleString('en-US')} log files/s), ${secs.toFixed(0)}s`;
  });
  let report;
  try {
    report = await validateChains({
      store, chains, keys, keysSource, start: range.start, end: range.end, concurrency,
      stricter: args.stricter !== false, logging, verbose: args.verbose === true,
      ...(pinned === undefined ? {} : { pinned: new Set(pinned) }),
      onProgress: (done: { digests: number; logs: number }) => Object.assign(checked, done),
    });
  } finally {
    status.done();
  }
  report.trust = anchor.trust;
  if (json) io.stdout(renderJson(report));
  else io.stdout(renderText(report));
  if (!json && args.verbose === true) {
    for (const f of report.files ?? []) io.stderr(`${f.type === 'log' ? 'Log file' : f.type === 'digest' ? 'Digest file' : '(backfill) Digest file'}\t${store.describe(f.bucket, f.key)}\t${f.valid ? 'valid' : `INVALID: ${f.reason ?? ''}`}\n`);
  }
  return exitCodeOf(report);
}

export const command = defineCommand({
  name: 'validate-logs',
  describe: 'Verify CloudTrail log-file integrity from digest files (offline or live), like aws cloudtrail validate-logs and stricter',
  options: [validateLogsOptions],
  builder: (y) =>
    y
      .example('$0 validate-logs --logs ./log-bucket --public-keys keys.json --from 2026-09-01 --to 2026-09-30', 'Validate a downloaded copy of the log bucket for September')
      .example('$0 validate-logs --trail arn:aws:cloudtrail:us-east-1:111111111111:trail/main --from 2026-09-14 --format json', 'Validate live from S3, JSON on stdout'),
  run: validateLogs,
});
