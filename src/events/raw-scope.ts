// The scope test (time, account, region) read from a record's raw text, for records the prefilter leaves
// unparsed. They can match no rule, in scope or not, so this only counts them for the summary's "events in
// scope": a first-occurrence search per key (CloudTrail writes eventTime, awsRegion and recipientAccountId
// at the top level, after a userIdentity that holds none of them), never a parse.
import type { Selection } from './prefilter.js';
import type { ScanScope } from './readers/types.js';
import { eventTimeInRange } from './record.js';

/** The string value of the first `"key":"...` between start and end, or undefined. */
function rawValue(text: string, needle: string, start: number, end: number): string | undefined {
  const at = text.indexOf(needle, start);
  if (at < 0 || at >= end) return undefined;
  const from = at + needle.length;
  const close = text.indexOf('"', from);
  return close < 0 || close > end ? undefined : text.slice(from, close);
}

/** Counts the unparsed records of a selection that the scope holds, as scopeTest would judge them. */
export function rawScopeCounter(scope: ScanScope): (text: string, selection: Selection) => number {
  const inRange = eventTimeInRange(scope.from, scope.to);
  const accounts = scope.accounts.length > 0 ? new Set(scope.accounts) : null;
  const regions = scope.regions.length > 0 ? new Set(scope.regions) : null;
  const holds = (text: string, start: number, end: number): boolean => {
    if (inRange !== null) {
      const t = rawValue(text, '"eventTime":"', start, end);
      if (t === undefined || !inRange(t)) return false;
    }
    if (accounts !== null) {
      const account = rawValue(text, '"recipientAccountId":"', start, end) ?? rawValue(text, '"accountId":"', start, end);
      if (account === undefined || !accounts.has(account)) return false;
    }
    if (regions !== null) {
      const region = rawValue(text, '"awsRegion":"', start, end);
      if (region === undefined || !regions.has(region)) return false;
    }
    return true;
  };
  return (text, selection) => {
    const { count, starts, ends, candidates } = selection;
    let n = 0;
    let c = 0;
    for (let r = 0; r < count; r++) {
      if (c < candidates.length && candidates[c] === r) {
        c++;
        continue;
      }
      if (holds(text, starts[r] as number, ends[r] as number)) n++;
    }
    return n;
  };
}
