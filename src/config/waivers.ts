// Waivers: accepted exceptions with a reason, an owner, an expiry and (for working papers) who approved them
// and when. A waiver applies to FAIL and MANUAL results (an ERROR is a gap in the evidence, not a risk to
// accept). Expiry is judged against the evidence's collectedAt, so re-auditing a saved bundle gives the same answer.
import type { Result, WaiverInfo, WaiverReport } from '../model/types.js';
import { wildcardMatcher } from '../wildcard.js';
import type { WaiverConfig } from './load.js';

const WAIVABLE = new Set(['FAIL', 'MANUAL']);

/**
 * A resource pattern with `*` (any run) and `?` (one character); anything else matches itself. Matched
 * without a regular expression (src/wildcard.ts), so a config's pattern with many stars cannot stall a run.
 */
export function globMatcher(pattern: string): { test: (text: string) => boolean } {
  return { test: wildcardMatcher(pattern) };
}

/** A waiver runs to the end of its expiry day (UTC). */
export function isExpired(waiver: WaiverConfig, at: Date): boolean {
  return at.getTime() > Date.parse(`${waiver.expires}T23:59:59.999Z`);
}

/** What a WAIVED result carries of its waiver: reason, owner, expiry and, when configured, the approval. */
function waiverInfo(w: WaiverConfig, originalStatus: Result['status']): WaiverInfo {
  const info: WaiverInfo = { reason: w.reason, owner: w.owner, expires: w.expires, originalStatus };
  if (w.approvedBy !== undefined) info.approvedBy = w.approvedBy;
  if (w.approvedOn !== undefined) info.approvedOn = w.approvedOn;
  return info;
}

export function applyWaivers(results: Result[], waivers: WaiverConfig[], at: Date): { results: Result[]; report: WaiverReport[] } {
  const compiled = waivers.map((w) => ({ w, re: globMatcher(w.resource), expired: isExpired(w, at), matched: 0 }));
  const out = results.map((result) => {
    if (!WAIVABLE.has(result.status)) return result;
    const hit = compiled.find((c) => c.w.check === result.checkId && c.re.test(result.resource) && (c.w.account === undefined || c.w.account === result.account));
    if (!hit) return result;
    hit.matched++;
    if (hit.expired) return result;
    return {
      ...result,
      status: 'WAIVED' as const,
      waiver: waiverInfo(hit.w, result.status),
    };
  });
  const report: WaiverReport[] = compiled.map(({ w, expired, matched }) => {
    const entry: WaiverReport = { checkId: w.check, resource: w.resource, reason: w.reason, owner: w.owner, expires: w.expires, expired, matched };
    if (w.account !== undefined) entry.account = w.account;
    if (w.approvedBy !== undefined) entry.approvedBy = w.approvedBy;
    if (w.approvedOn !== undefined) entry.approvedOn = w.approvedOn;
    return entry;
  });
  return { results: out, report };
}
