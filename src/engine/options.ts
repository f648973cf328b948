// A check's parameters: its defaultOptions, overlaid by the config's checks.<id> keys, validated with ajv
// against the check's own JSON Schema (defaults filled in).
import type { ValidateFunction } from 'ajv';
import { TrailproofError } from '../errors.js';
import { ajv, formatAjvErrors } from '../schema.js';
import type { AnyCheck } from './check.js';

const validators = new WeakMap<AnyCheck, ValidateFunction>();

export function optionsValidator(check: AnyCheck): ValidateFunction {
  let validate = validators.get(check);
  if (!validate) {
    // Each check's schema is compiled on its own: an $id would clash between checks, so it is dropped.
    const { $id: _id, ...schema } = check.meta.schema;
    validate = ajv.compile(schema);
    validators.set(check, validate);
  }
  return validate;
}

/** Keys of checks.<id> in the config that belong to the engine, not to the check's parameters. */
export const ENGINE_KEYS = ['enabled', 'severity'] as const;

export function resolveOptions(check: AnyCheck, configured: Record<string, unknown> | undefined, where: string): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(configured ?? {})) if (!(ENGINE_KEYS as readonly string[]).includes(key)) params[key] = value;
  const merged = structuredClone({ ...(check.meta.defaultOptions as Record<string, unknown>), ...params });
  const validate = optionsValidator(check);
  if (!validate(merged)) {
    throw new TrailproofError('TP_CONFIG_INVALID', `${where}: ${formatAjvErrors(validate.errors, `checks.${check.meta.id}`)}`);
  }
  return merged;
}
