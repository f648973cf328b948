// Imports ASFF findings into AWS Security Hub (`--security-hub`): grouped by the account and region each
// finding belongs to (Security Hub takes a finding only in its own account's hub, in its region), sent with
// BatchImportFindings in batches of 100, a throttled batch retried with backoff. What Security Hub refuses is
// named finding by finding; a group that cannot be reached at all (a role that cannot be assumed, Security Hub
// not enabled) fails its findings with the reason. The SDK stays behind SecurityHubTarget (src/collect/
// securityhub.ts makes the real one), so this module is tested with a fake and over moto alike.
import { errorMessage } from '../errors.js';
import type { AsffFinding } from './asff.js';

/** BatchImportFindings takes at most 100 findings per call. */
export const SECURITY_HUB_BATCH_SIZE = 100;
/** Attempts per batch when Security Hub throttles (after the SDK's own retries). */
export const SECURITY_HUB_MAX_ATTEMPTS = 4;
/** First wait before retrying a throttled batch; doubled on each attempt. */
export const SECURITY_HUB_BACKOFF_MS = 1000;

const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'LimitExceededException', 'RequestLimitExceeded', 'Throttling']);

export interface BatchImportOutput {
  FailedCount?: number | undefined;
  SuccessCount?: number | undefined;
  FailedFindings?: { Id?: string | undefined; ErrorCode?: string | undefined; ErrorMessage?: string | undefined }[] | undefined;
}

/** The one Security Hub call the import needs. */
export interface SecurityHubApi {
  batchImportFindings(findings: AsffFinding[]): Promise<BatchImportOutput>;
}

/** Security Hub clients per account and region (credentials for the account, endpoint for the region). */
export interface SecurityHubTarget {
  clientFor(account: string, region: string): Promise<SecurityHubApi>;
}

export interface FailedFinding {
  id: string;
  account: string;
  region: string;
  code: string;
  message: string;
}

export interface ImportReport {
  sent: number;
  imported: number;
  failed: FailedFinding[];
  /** account/region pairs written to. */
  groups: { account: string; region: string; sent: number; imported: number }[];
}

export interface ImportOptions {
  batchSize?: number;
  maxAttempts?: number;
  backoffMs?: number;
  /** Waits between attempts (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
}

function regionOf(f: AsffFinding): string {
  return f.ProductArn.split(':')[3] ?? '';
}

function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return THROTTLING.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429;
}

async function sendBatch(client: SecurityHubApi, batch: AsffFinding[], options: Required<ImportOptions>): Promise<BatchImportOutput> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.batchImportFindings(batch);
    } catch (err) {
      if (!isThrottling(err) || attempt >= options.maxAttempts) throw err;
      await options.sleep(options.backoffMs * 2 ** (attempt - 1));
    }
  }
}

/** Sends every finding to its account's Security Hub in its region; never throws for what Security Hub refuses. */
export async function importFindings(findings: AsffFinding[], target: SecurityHubTarget, opts: ImportOptions = {}): Promise<ImportReport> {
  const options: Required<ImportOptions> = {
    batchSize: opts.batchSize ?? SECURITY_HUB_BATCH_SIZE,
    maxAttempts: opts.maxAttempts ?? SECURITY_HUB_MAX_ATTEMPTS,
    backoffMs: opts.backoffMs ?? SECURITY_HUB_BACKOFF_MS,
    sleep: opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
  };
  const groups = new Map<string, AsffFinding[]>();
  for (const f of findings) {
    const key = `${f.AwsAccountId}\u0000${regionOf(f)}`;
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  const report: ImportReport = { sent: findings.length, imported: 0, failed: [], groups: [] };
  for (const [key, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const [account = '', region = ''] = key.split('\u0000');
    const done = { account, region, sent: group.length, imported: 0 };
    report.groups.push(done);
    const failAll = (batch: AsffFinding[], err: unknown): void => {
      const code = (err as { name?: string }).name ?? 'Error';
      for (const f of batch) report.failed.push({ id: f.Id, account, region, code, message: errorMessage(err) });
    };
    let client: SecurityHubApi;
    try {
      client = await target.clientFor(account, region);
    } catch (err) {
      failAll(group, err);
      continue;
    }
    for (let i = 0; i < group.length; i += options.batchSize) {
      const batch = group.slice(i, i + options.batchSize);
      let out: BatchImportOutput;
      try {
        out = await sendBatch(client, batch, options);
      } catch (err) {
        failAll(batch, err);
        continue;
      }
      const refused = out.FailedFindings ?? [];
      for (const f of refused) report.failed.push({ id: f.Id ?? '(no id)', account, region, code: f.ErrorCode ?? 'Failed', message: f.ErrorMessage ?? '' });
      const imported = out.SuccessCount ?? batch.length - (out.FailedCount ?? refused.length);
      done.imported += imported;
      report.imported += imported;
    }
  }
  return report;
}

/** The lines stderr shows for an import: the totals, then each failed finding (at most `limit`). */
export function importLines(report: ImportReport, limit = 20): string[] {
  const accounts = new Set(report.groups.map((g) => g.account)).size;
  const regions = new Set(report.groups.map((g) => g.region)).size;
  const lines = [`Security Hub: imported ${report.imported} of ${report.sent} findings into ${accounts} account${accounts === 1 ? '' : 's'} and ${regions} region${regions === 1 ? '' : 's'}${report.failed.length > 0 ? `; ${report.failed.length} failed` : ''}`];
  for (const f of report.failed.slice(0, limit)) lines.push(`Security Hub: failed ${f.id} (account ${f.account}, ${f.region}): ${f.code}: ${f.message}`);
  if (report.failed.length > limit) lines.push(`Security Hub: ... and ${report.failed.length - limit} more failed findings`);
  return lines;
}
