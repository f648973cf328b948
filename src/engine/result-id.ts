// Stable result ids for working papers, tickets and Security Hub: `TP-` + the first 12 hex digits of the
// SHA-256 of check id, account, region and resource. The same subject of the same check gets the same id in
// every run, whatever its status or message; results that share all four (rare) get `-2`, `-3`... in the
// findings' sorted order, so the ids stay unique and deterministic.
import { createHash } from 'node:crypto';
import type { Result } from '../model/types.js';

/** 48 bits: a collision among the few thousand results of a run is ~1e-8 likely, and is numbered apart anyway. */
const ID_HEX_DIGITS = 12;

export function resultId(checkId: string, account: string, region: string, resource: string): string {
  return `TP-${createHash('sha256').update([checkId, account, region, resource].join('\n')).digest('hex').slice(0, ID_HEX_DIGITS)}`;
}

/** Gives each result (already in the findings' order) its id, numbering repeats of the same id. */
export function assignResultIds<R extends Omit<Result, 'id'>>(results: R[]): (R & { id: string })[] {
  const seen = new Map<string, number>();
  return results.map((r) => {
    const base = resultId(r.checkId, r.account, r.region, r.resource);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { id: n === 1 ? base : `${base}-${n}`, ...r };
  });
}
