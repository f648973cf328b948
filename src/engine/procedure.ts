// The test procedure of each check, for working papers: which AWS API calls' stored outputs it read, what
// passes, and what population it tested. Generated, not written by hand: the API calls come from the bundle
// paths its results cite (accounts/<id>/<region>/<service>/<Operation>...), the criterion from its metadata,
// the population from its scope and the subjects it judged. A check with no results in the run still gets
// its criterion, with "no subjects" as its population.
import type { CheckCatalogEntry, Result, TestProcedure } from '../model/types.js';
import type { AnyCheck } from './check.js';

const SCOPE_NOUNS: Record<string, [string, string]> = {
  account: ['account', 'accounts'],
  'account-region': ['account and region', 'accounts and regions'],
  trail: ['trail', 'trails'],
  'trail-key': ['KMS key of a trail', 'KMS keys of trails'],
  bucket: ['trail log bucket', 'trail log buckets'],
  'log-group': ['trail log group', 'trail log groups'],
  'event-data-store': ['event data store', 'event data stores'],
};

const OPERATION = /^[A-Z][A-Za-z0-9]+$/;

/** The API call a bundle file holds the output of (`cloudtrail:GetTrailStatus`), or undefined for other files. */
export function apiCallOf(file: string): string | undefined {
  const parts = file.split('/');
  if (parts[0] === 'logs') return parts.includes('CloudTrail-Digest') ? 's3:GetObject (CloudTrail digest files)' : 's3:GetObject (CloudTrail log files)';
  if (parts[0] !== 'accounts' || parts.length < 5) return undefined;
  const service = parts[3] as string;
  const rest = parts.slice(4).map((p) => p.replace(/\.jsonl?$/, ''));
  // s3/<bucket>/<Operation>, kms/<keyId>/<Operation>: the operation is last; else <Operation>[/<name>].
  const operation = service === 's3' || service === 'kms' ? rest[rest.length - 1] : rest[0];
  return operation !== undefined && OPERATION.test(operation) ? `${service}:${operation}` : undefined;
}

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function testProcedure(check: AnyCheck, results: Result[]): TestProcedure {
  const { meta } = check;
  const apiCalls = [...new Set(results.flatMap((r) => r.evidence.map((e) => apiCallOf(e.file)).filter((c): c is string => c !== undefined)))].sort();
  const described = firstSentence(meta.description);
  const criterion = /^passes\b/i.test(described) ? described : `Passes when ${lowerFirst(meta.title)}. ${described}`;
  const [one, many] = SCOPE_NOUNS[meta.scope] ?? [meta.scope, meta.scope];
  const subjects = new Set(results.map((r) => `${r.account}\n${r.region}\n${r.resource}`)).size;
  const accounts = new Set(results.map((r) => r.account)).size;
  const population = subjects === 0
    ? `no subjects: the evidence held no ${many} for this check`
    : `every ${one} the collected evidence shows: ${subjects} ${subjects === 1 ? one : many} in ${accounts} account${accounts === 1 ? '' : 's'}`;
  return { apiCalls, criterion, population };
}

/** The run's checks with their procedures, sorted by id (findings.json `checks`). */
export function checkCatalog(checks: { check: AnyCheck; severity: Result['severity'] }[], results: Result[]): CheckCatalogEntry[] {
  const byCheck = new Map<string, Result[]>();
  for (const r of results) {
    const list = byCheck.get(r.checkId) ?? [];
    list.push(r);
    byCheck.set(r.checkId, list);
  }
  return checks
    .map(({ check, severity }) => ({ id: check.meta.id, title: check.meta.title, severity, scope: check.meta.scope, procedure: testProcedure(check, byCheck.get(check.meta.id) ?? []) }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
