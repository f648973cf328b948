// A rule's parameters checked against the JSON Schema it declares (trailproof.parameters), with ajv. Apart
// from params.ts because only compiling a rule from its source needs it: a scan's worker threads rebuild the
// rules from the main thread's snapshot (snapshot.ts) with the values already resolved, and so never load
// ajv (a third of a worker's start-up before this split, with the YAML parser).
import { ajv, formatAjvErrors } from '../../schema.js';
import { RuleProblem } from './params.js';
import type { RuleParameters } from './types.js';

/**
 * The schema, defaults and values in force: defaults overlaid by the configured values, validated with ajv.
 * Every time, built-in rules too: a scan whose rules are the shipped built-in files skips compiling them
 * altogether (builtin-rules.ts, by their SHA-256), and an edited built-in file is checked like any other.
 */
export function resolveParameters(declared: Record<string, Record<string, unknown>>, configured: Record<string, unknown> | undefined): RuleParameters {
  const schema = { type: 'object' as const, properties: declared, additionalProperties: false as const };
  const defaults: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(declared)) defaults[name] = structuredClone(s.default);
  if (Object.keys(declared).length === 0) {
    if (configured !== undefined && Object.keys(configured).length > 0) {
      throw new RuleProblem(`parameters ${Object.keys(configured).join(', ')} were set but the rule declares none`);
    }
    return { schema, defaults, values: {} };
  }
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    throw new RuleProblem(`trailproof.parameters is not a valid JSON Schema: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!validate(defaults)) throw new RuleProblem(`the parameter defaults do not satisfy their own schema: ${formatAjvErrors(validate.errors, 'trailproof.parameters')}`);
  const values = structuredClone({ ...defaults, ...(configured ?? {}) });
  if (!validate(values)) throw new RuleProblem(`parameters: ${formatAjvErrors(validate.errors, 'parameters')}`);
  return { schema, defaults, values };
}
