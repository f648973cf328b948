// One call, made through the scheduler and stored where the contract puts it: the response (all pages merged)
// or the failure as `{"$error": {name, message}}`. A call the scheduler skipped has no file.
import type { IamAction } from './policy.js';
import type { Outcome, Scheduler } from '../aws/scheduler.js';
import type { BundleWriter } from './writer.js';

/** Something the collector could not read at all (an account, bucket, key ...), and why; listed in the manifest. */
export interface NotCollected {
  kind: 'account' | 'bucket' | 'key' | 'topic' | 'trail' | 'event-data-store' | 'event-rule';
  id: string;
  reason: string;
}

export interface Recorder {
  scheduler: Scheduler<IamAction>;
  writer: BundleWriter;
}

/** Where a call is made and stored: accounts/<account>/<where>/... */
export interface Place {
  account: string;
  /** A region, or 'global'. */
  where: string;
}

export function filePath(place: Place, path: string): string {
  return `accounts/${place.account}/${place.where}/${path}`;
}

/** Stores an outcome; returns the value when the call answered. */
export async function store<T>(rec: Recorder, place: Place, path: string, outcome: Outcome<T>): Promise<T | undefined> {
  if (outcome.ok) {
    await rec.writer.writeJson(filePath(place, path), outcome.value);
    return outcome.value;
  }
  if (!outcome.skipped) await rec.writer.writeJson(filePath(place, path), { $error: outcome.error });
  return undefined;
}

export async function record<T>(rec: Recorder, place: Place, path: string, action: IamAction, send: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  const outcome = await rec.scheduler.call({ action, account: place.account, region: place.where }, (signal) => send(signal));
  return store(rec, place, path, outcome);
}

/** More pages than any real listing has: a token that never ends is an error, not a complete answer. */
export const MAX_PAGES = 10_000;

const TOKENS = new Set(['NextToken', 'nextToken', 'ContinuationToken', 'Marker', 'NextMarker']);

/**
 * Merges the pages of a paginated answer: list members concatenated, other members from the first page,
 * pagination tokens dropped (a merged answer is complete: a failed page fails the whole call).
 */
export function mergePages(pages: object[], lists: readonly string[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const page of pages) {
    for (const [key, value] of Object.entries(page)) {
      if (TOKENS.has(key) || key === '$metadata') continue;
      if (lists.includes(key)) {
        const list = (merged[key] as unknown[] | undefined) ?? [];
        if (Array.isArray(value)) list.push(...(value as unknown[]));
        merged[key] = list;
      } else if (!(key in merged)) {
        merged[key] = value;
      }
    }
  }
  return merged;
}

/** A paginated call through the SDK's paginator; the timeout restarts with every page. */
export async function recordPages<P extends object>(
  rec: Recorder,
  place: Place,
  path: string,
  action: IamAction,
  lists: readonly string[],
  pages: (signal: AbortSignal) => AsyncIterable<P>,
): Promise<Record<string, unknown> | undefined> {
  const outcome = await rec.scheduler.call({ action, account: place.account, region: place.where }, async (signal, heartbeat) => {
    const all: P[] = [];
    for await (const page of pages(signal)) {
      all.push(page);
      heartbeat();
      if (all.length > MAX_PAGES) throw Object.assign(new Error(`${path}: more than ${MAX_PAGES} pages; the answer is not complete`), { name: 'PaginationLimitExceeded' });
    }
    return mergePages(all, lists);
  });
  return store(rec, place, path, outcome);
}
