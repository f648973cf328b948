// Management responses to failures (working papers): owner, response and due date per result, from the
// config's `responses:` and a `--responses FILE` (YAML or JSON: a list, or an object with `responses:`). An
// entry names a result by its stable id or by check and resource pattern (and optionally account); the first
// matching entry applies, the file's entries before the config's. Results that PASS or do not apply carry none.
import { resolve } from 'node:path';
import { TrailproofError, errorMessage } from '../errors.js';
import type { ResponseInfo, Result } from '../model/types.js';
import { formatAjvErrors } from '../schema.js';
import { MAX_CONFIG_BYTES, validateConfig, type ResponseConfig } from './load.js';
import { globMatcher } from './waivers.js';
import { readBounded, readYaml, YamlProblem } from './yaml.js';

/** Statuses a response never attaches to: nothing is open for them. */
const SETTLED = new Set<Result['status']>(['PASS', 'NOT_APPLICABLE']);

/** The entries of a --responses FILE, validated like the config's `responses:` (bounded by MAX_CONFIG_BYTES). */
export function loadResponses(file: string, cwd: string = process.cwd()): ResponseConfig[] {
  let value: unknown;
  try {
    value = readYaml(readBounded(resolve(cwd, file), MAX_CONFIG_BYTES, 'MAX_CONFIG_BYTES'));
  } catch (err) {
    if (err instanceof YamlProblem) throw new TrailproofError('TP_CONFIG_INVALID', `--responses ${file} is not valid YAML/JSON${err.at}: ${err.message}`);
    throw new TrailproofError('TP_CONFIG_UNREADABLE', `cannot read --responses ${file}: ${errorMessage(err)}`);
  }
  const wrapped = Array.isArray(value) ? { responses: value } : value;
  const keys = typeof wrapped === 'object' && wrapped !== null ? Object.keys(wrapped) : [];
  if (keys.length !== 1 || keys[0] !== 'responses' || !validateConfig(wrapped)) {
    const why = keys.length === 1 && keys[0] === 'responses' ? formatAjvErrors(validateConfig.errors, '') : 'must be a list of responses or an object with only `responses:`';
    throw new TrailproofError('TP_CONFIG_INVALID', `--responses ${file}: ${why} (schema: schema/config.schema.json, property responses)`);
  }
  return wrapped.responses ?? [];
}

/** Results with the first matching response attached; `unmatched` lists entries that named no result. */
export function applyResponses(results: Result[], entries: ResponseConfig[]): { results: Result[]; unmatched: ResponseConfig[] } {
  const compiled = entries.map((entry) => ({ entry, resource: entry.resource === undefined ? undefined : globMatcher(entry.resource), matched: 0 }));
  const out = results.map((result) => {
    if (SETTLED.has(result.status)) return result;
    const hit = compiled.find(({ entry, resource }) =>
      entry.result !== undefined
        ? entry.result === result.id
        : entry.check === result.checkId && resource?.test(result.resource) === true && (entry.account === undefined || entry.account === result.account));
    if (hit === undefined) return result;
    hit.matched++;
    const response: ResponseInfo = { owner: hit.entry.owner, response: hit.entry.response };
    if (hit.entry.dueDate !== undefined) response.dueDate = hit.entry.dueDate;
    return { ...result, response };
  });
  return { results: out, unmatched: compiled.filter((c) => c.matched === 0).map((c) => c.entry) };
}
