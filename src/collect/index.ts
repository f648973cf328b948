// Live collection from AWS into an evidence bundle (CONTRACT section 2): `trailproof collect` writes one to
// keep, `trailproof audit` without --bundle collects into a temporary one and audits it, so the live audit and
// the audit of the written bundle read the very same evidence.
import { existsSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { CredentialProvider } from '../aws/clients.js';
import { resolveRegion } from '../aws/region.js';
import { Pacer, Scheduler, type SchedulerStats } from '../aws/scheduler.js';
import { TrailproofError } from '../errors.js';
import { toolVersion } from '../paths.js';
import { CollectSession, type CollectSessionOptions } from './clients.js';
import { Collector } from './collector.js';
import type { NotCollected } from './record.js';
import type { ExtraEvidence } from './organization-trails.js';
import type { IamAction } from './policy.js';
import { Progress, type ProgressMode } from './progress.js';
import { checkAccountIds, resolveScope } from './scope.js';
import { writeTarGz } from './tar.js';
import { defaultWindow } from './log-window.js';
import { TrailLogs, type LogsResult } from './trail-logs.js';
import { BundleWriter } from './writer.js';

export type { NotCollected } from './record.js';
export type { ProgressMode } from './progress.js';
export type { LogFailure, LogsResult, TrailCopy } from './trail-logs.js';
export { DEFAULT_LOGS_DAYS } from './log-window.js';
export { removePartialBundles } from './writer.js';
export { AccountNotActiveError } from './scope.js';
export type { ExtraEvidence } from './organization-trails.js';
export { MAX_BUCKET_OWNER_SEARCH } from './organization-trails.js';

export const DEFAULT_CONCURRENCY = 32;
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
/** LookupEvents allows two requests per second per account and region. */
export const LOOKUP_EVENTS_PER_SECOND = 2;

export interface CollectOptions {
  /** The bundle folder to write (must not exist, or be empty). */
  out: string;
  profile?: string | undefined;
  /** Region for calls that have none; default: the profile's or environment's region, else us-east-1. */
  region?: string | undefined;
  regions?: string[] | undefined;
  accounts?: string[] | undefined;
  excludeAccounts?: string[] | undefined;
  assumeRole?: string | undefined;
  externalId?: string | undefined;
  /** undefined: the organization's accounts when the caller can list them. */
  org?: boolean | undefined;
  concurrency?: number | undefined;
  callTimeoutMs?: number | undefined;
  lookupEvents?: boolean | undefined;
  /**
   * Copy each trail's log and digest files (with the digests' metadata sidecars) into logs/, and CloudTrail's
   * public keys. `from` defaults to seven days before `to`, `to` to the collection time.
   */
  logs?: LogsRequest | undefined;
  /** Also write <out>.tar.gz. */
  archive?: boolean | undefined;
  /** Where log lines go (stderr in the CLI); each ends with a newline. */
  log?: ((text: string) => void) | undefined;
  progress?: ProgressMode | undefined;
  /** The caller's credentials instead of the SDK's default chain (embedding, tests). */
  credentials?: CredentialProvider | undefined;
  s3control?: CollectSessionOptions['s3control'];
  tuning?: { throttleBaseDelayMs?: number; lookupEventsPerSecond?: number; progressIntervalMs?: number; maxAttempts?: number } | undefined;
}

export interface LogsRequest {
  from?: Date | undefined;
  to?: Date | undefined;
}

/** The scheduler's counts of the run (calls, failures by kind and name, skipped, throttled), and what was collected. */
export interface CollectSummary extends Omit<SchedulerStats, 'actions'> {
  accounts: number;
  regions: number;
  files: number;
  durationMs: number;
  errors: number;
  notCollected: NotCollected[];
  /** With --logs: what was copied, and what could not be. */
  logs?: LogsResult;
}

export interface CollectResult {
  dir: string;
  manifest: Record<string, unknown>;
  summary: CollectSummary;
  /** False when no account and region answered DescribeTrails: nothing to audit. */
  usable: boolean;
  warnings: string[];
  /** The IAM actions the run called (the policy file is tested against them). */
  actions: IamAction[];
  archive?: { path: string; sha256: string };
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function validate(options: CollectOptions): void {
  for (const r of options.regions ?? []) if (!REGION.test(r)) throw new TrailproofError('TP_USAGE', `--regions: "${r}" is not a region name (e.g. us-east-1)`);
  if (options.region !== undefined && !REGION.test(options.region)) throw new TrailproofError('TP_USAGE', `--region: "${options.region}" is not a region name (e.g. us-east-1)`);
  checkAccountIds('--accounts', options.accounts ?? []);
  checkAccountIds('--exclude-accounts', options.excludeAccounts ?? []);
  const c = options.concurrency;
  if (c !== undefined && (!Number.isInteger(c) || c < 1 || c > 512)) throw new TrailproofError('TP_USAGE', `--concurrency: ${String(c)} is not a whole number from 1 to 512`);
  const t = options.callTimeoutMs;
  if (t !== undefined && (!Number.isFinite(t) || t <= 0)) throw new TrailproofError('TP_USAGE', '--call-timeout: give a positive number of seconds');
  if (options.externalId !== undefined && options.assumeRole === undefined) throw new TrailproofError('TP_USAGE', '--external-id goes with --assume-role NAME');
  if (options.assumeRole !== undefined && !/^[\w+=,.@/-]{1,64}$/.test(options.assumeRole)) throw new TrailproofError('TP_USAGE', `--assume-role: "${options.assumeRole}" is not an IAM role name`);
  const { from, to } = options.logs ?? {};
  for (const [flag, date] of [['--from', from], ['--to', to]] as const) {
    if (date !== undefined && Number.isNaN(date.getTime())) throw new TrailproofError('TP_USAGE', `${flag}: not a valid instant`);
  }
  if (from !== undefined && to !== undefined && from > to) throw new TrailproofError('TP_USAGE', `--from ${from.toISOString()} is after --to ${to.toISOString()}`);
}

/** The region of the global calls: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's, else us-east-1 (the aws partition's global endpoints). */
function homeRegion(options: CollectOptions): Promise<string> {
  return resolveRegion({ flag: options.region, env: process.env, profile: options.profile, fallback: 'us-east-1', flagName: '--region', purpose: 'collect' });
}

export async function collectBundle(options: CollectOptions): Promise<CollectResult> {
  validate(options);
  const started = Date.now();
  const out = resolve(options.out);
  const archivePath = `${out}.tar.gz`;
  if (options.archive === true && existsSync(archivePath)) throw new TrailproofError('TP_USAGE', `--archive: ${archivePath} already exists; choose a new --out`);
  const writer = await BundleWriter.create(out);
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const scheduler = new Scheduler<IamAction>({ concurrency, callTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, ...(options.tuning?.throttleBaseDelayMs === undefined ? {} : { throttleBaseDelayMs: options.tuning.throttleBaseDelayMs }) });
  const region = await homeRegion(options);
  const session = new CollectSession({
    profile: options.profile, region, concurrency, callTimeoutMs: options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    assumeRole: options.assumeRole, externalId: options.externalId, credentials: options.credentials,
    maxAttempts: options.tuning?.maxAttempts, s3control: options.s3control,
  }, scheduler);
  const rec = { scheduler, writer };
  const log = options.log ?? ((): void => undefined);
  let collector: Collector | undefined;
  let trailLogs: TrailLogs | undefined;
  let accountsTotal = 0;
  const progress = new Progress({
    mode: options.progress ?? 'off',
    write: log,
    intervalMs: options.tuning?.progressIntervalMs ?? 10_000,
    counts: () => ({
      accountsDone: collector?.progress.accountsDone ?? 0, accountsTotal,
      regionsDone: collector?.progress.regionsDone ?? 0, regionsKnown: collector?.progress.regionsKnown ?? 0,
      calls: scheduler.stats.calls, errors: scheduler.errorCount,
      ...(trailLogs === undefined ? {} : { logFiles: trailLogs.copied }),
    }),
  });
  try {
    const collectedAt = new Date(started).toISOString();
    const scope = await resolveScope(options, session, rec);
    for (const w of scope.warnings) log(`trailproof: warning: ${w}\n`);
    accountsTotal = scope.accounts.length;
    collector = new Collector(
      { regions: options.regions, lookupEvents: options.lookupEvents === true, organization: options.org !== false, accountParallelism: Math.max(2, Math.ceil(concurrency / 4)) },
      session, rec, scope, new Pacer(1000 / (options.tuning?.lookupEventsPerSecond ?? LOOKUP_EVENTS_PER_SECOND)),
    );
    progress.start();
    await collector.run();
    let logs: LogsResult | undefined;
    if (options.logs !== undefined) {
      const window = defaultWindow(new Date(started), options.logs.from, options.logs.to);
      trailLogs = new TrailLogs(rec, collector.logSources(), window, Math.max(2, concurrency));
      logs = await trailLogs.run();
    }
    progress.stop();

    const stats = scheduler.stats;
    const regions = options.regions ?? [...collector.regions].sort();
    const summary: CollectSummary = {
      accounts: scope.accounts.length, regions: regions.length, files: writer.files.size, calls: stats.calls, durationMs: Date.now() - started,
      errors: scheduler.errorCount, errorsByKind: stats.errorsByKind, errorsByName: stats.errorsByName, notConfigured: stats.notConfigured,
      skipped: stats.skipped, throttleRetries: stats.throttleRetries,
      notCollected: [...collector.notCollected].sort((a, b) => (a.kind + a.id < b.kind + b.id ? -1 : 1)),
      ...(logs === undefined ? {} : { logs }),
    };
    const manifest = await writer.commit({
      tool: 'trailproof',
      version: toolVersion,
      collectedAt,
      identity: scope.identity,
      scope: { accounts: scope.accounts, regions },
      collection: {
        finishedAt: new Date().toISOString(),
        region,
        organization: scope.fromOrganization ? (scope.organizationId ?? null) : null,
        assumeRole: options.assumeRole ?? null,
        lookupEvents: options.lookupEvents === true,
        calls: summary.calls,
        errors: { byKind: summary.errorsByKind, byName: summary.errorsByName },
        notConfigured: summary.notConfigured,
        skipped: summary.skipped,
        notCollected: summary.notCollected,
        ...(collector.extra.length === 0 ? {} : { extra: [...collector.extra].sort(compareExtra) }),
        ...(logs === undefined ? {} : { logs }),
      },
    });
    const result: CollectResult = { dir: out, manifest, summary, usable: collector.trailListings > 0, warnings: scope.warnings, actions: [...stats.actions].sort() };
    if (options.archive === true) {
      const files = [...Object.keys(manifest['files'] as Record<string, string>), 'manifest.json'];
      result.archive = { path: archivePath, sha256: await writeTarGz(out, files, basename(out), archivePath, started) };
    }
    return result;
  } catch (err) {
    progress.stop();
    await writer.abort();
    throw err;
  } finally {
    session.destroy();
  }
}

function compareExtra(a: ExtraEvidence, b: ExtraEvidence): number {
  const ka = `${a.account} ${a.region} ${a.what}`;
  const kb = `${b.account} ${b.region} ${b.what}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export type LiveCollectOptions = Omit<CollectOptions, 'out' | 'archive'> & {
  /** Keep the bundle here (a folder that does not exist or is empty) instead of a temporary folder. */
  keepAs?: string | undefined;
};

const LIVE_PREFIX = 'trailproof-live-';

/**
 * Collects into a new temporary folder (or `keepAs`) and returns the bundle's path, for `trailproof audit`
 * without --bundle: the live audit reads the very bundle a `collect` would have written, so auditing it again
 * with --bundle gives the same findings. Logs the summary; refuses (exit 3) when nothing usable was collected.
 * Remove a temporary bundle with removeTempBundle() when done.
 */
export async function collectToTempBundle(options: LiveCollectOptions): Promise<string> {
  const { keepAs, ...rest } = options;
  const parent = keepAs === undefined ? mkdtempSync(join(tmpdir(), LIVE_PREFIX)) : undefined;
  const out = keepAs ?? join(parent as string, 'bundle');
  try {
    const result = await collectBundle({ ...rest, out });
    options.log?.(formatSummary(result));
    if (!result.usable) throw insufficient(result);
    return result.dir;
  } catch (err) {
    if (parent !== undefined) await rm(parent, { recursive: true, force: true });
    throw err;
  }
}

/** Removes a bundle collectToTempBundle() put in a temporary folder (a kept one is left alone). */
export async function removeTempBundle(dir: string): Promise<void> {
  const parent = dirname(dir);
  if (basename(dir) === 'bundle' && dirname(parent) === tmpdir() && basename(parent).startsWith(LIVE_PREFIX)) await rm(parent, { recursive: true, force: true });
}

export function insufficient(result: CollectResult): TrailproofError {
  const names = Object.entries(result.summary.errorsByName).sort(([, a], [, b]) => b - a).slice(0, 3).map(([n, c]) => `${n} ${c}`).join(', ');
  return new TrailproofError(
    'TP_EVIDENCE_INSUFFICIENT',
    `nothing usable was collected: no account and region answered cloudtrail:DescribeTrails (${result.summary.errors} errors${names ? `: ${names}` : ''}); check the credentials and the policy (trailproof collect --print-policy)`,
    { exitCode: 3 },
  );
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** What --logs copied, and every trail whose copy is incomplete. */
function logLines(logs: LogsResult): string[] {
  const lines = [
    `trailproof: logs ${logs.from} to ${logs.to}: ${count(logs.logFiles, 'log file')} and ${count(logs.digestFiles, 'digest file')} (${megabytes(logs.bytes)}) of ${count(logs.trails.length, 'trail')} copied into logs/; public keys in ${count(logs.publicKeys.length, 'region')}`,
  ];
  if (logs.failureCount > 0) {
    const kinds = Object.entries(logs.failuresByKind).map(([k, n]) => `${k} ${n}`).join(', ');
    lines.push(`trailproof: logs: ${count(logs.failureCount, 'listing or object', 'listings or objects')} could not be copied (${kinds}); the copy is incomplete (manifest.json collection.logs.failures)`);
    for (const t of logs.trails.filter((c) => c.failures > 0).slice(0, 20)) {
      const first = logs.failures.find((f) => f.trail === t.trail);
      const what = first === undefined ? '' : `, first: ${first.call ?? ''} s3://${t.bucket}/${first.key ?? first.prefix ?? ''}: ${first.error.name}`;
      lines.push(`trailproof: logs: incomplete: ${t.trail}: ${t.notCollected === undefined ? `${count(t.failures, 'failure')}${what}` : `bucket ${t.bucket} ${t.notCollected}`}`);
    }
    const keys = logs.failures.filter((f) => f.call === 'ListPublicKeys');
    for (const f of keys) lines.push(`trailproof: logs: ListPublicKeys failed in ${f.region ?? '?'}: ${f.error.name}; the copied digests of that region cannot be verified from the bundle alone`);
  }
  return lines;
}

/** The end-of-run lines for stderr: what was collected, failures counted by kind, what was left out. */
export function formatSummary(result: CollectResult): string {
  const s = result.summary;
  const lines = [
    `trailproof: collected ${count(s.accounts, 'account')} x ${count(s.regions, 'region')}: ${count(s.calls, 'call')} in ${(s.durationMs / 1000).toFixed(1)} s, ${count(s.files, 'file')} in ${result.dir}`,
  ];
  const kinds = Object.entries(s.errorsByKind).map(([k, n]) => `${k} ${n}`).join(', ');
  const names = Object.entries(s.errorsByName).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([k, n]) => `${k} ${n}`).join(', ');
  lines.push(s.errors === 0 ? 'trailproof: no call failed' : `trailproof: ${count(s.errors, 'call')} failed (${kinds}; by error: ${names}); each is stored as $error in its file`);
  if (s.notConfigured > 0) lines.push(`trailproof: ${count(s.notConfigured, 'answer')} said a setting is not configured (stored as $error, read by the checks)`);
  if (s.skipped > 0) lines.push(`trailproof: ${count(s.skipped, 'call')} not made in regions that had timed out`);
  if (s.throttleRetries > 0) lines.push(`trailproof: ${count(s.throttleRetries, 'call')} retried after throttling`);
  if (s.logs !== undefined) lines.push(...logLines(s.logs));
  for (const n of s.notCollected.slice(0, 20)) lines.push(`trailproof: not collected: ${n.kind} ${n.id}: ${n.reason}`);
  if (s.notCollected.length > 20) lines.push(`trailproof: not collected: ${s.notCollected.length - 20} more (manifest.json collection.notCollected)`);
  if (result.archive) lines.push(`trailproof: archive ${result.archive.path} sha256 ${result.archive.sha256}`);
  return lines.join('\n') + '\n';
}
