// One ajv instance for every JSON Schema trailproof validates: the manifest, the config, check options.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { schemaDir } from './paths.js';

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: true, allowUnionTypes: true });
addFormats(ajv);

export function loadSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(schemaDir, name), 'utf8')) as Record<string, unknown>;
}

export function compileSchema<T>(schema: Record<string, unknown>): ValidateFunction<T> {
  const id = typeof schema.$id === 'string' ? schema.$id : undefined;
  const existing = id === undefined ? undefined : ajv.getSchema<T>(id);
  return existing ?? ajv.compile<T>(schema);
}

/** ajv errors as one readable line: "<where>path.to.field must be ..." for each problem. */
export function formatAjvErrors(errors: ErrorObject[] | null | undefined, where: string): string {
  if (!errors || errors.length === 0) return 'invalid';
  const lines = errors
    .filter((e) => e.keyword !== 'if')
    .map((e) => {
      const path = [where, ...e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))].filter((p) => p !== '').join('.');
      let detail = e.message ?? 'is invalid';
      if (e.keyword === 'additionalProperties') detail = `has unknown property "${String(e.params.additionalProperty)}"`;
      if (e.keyword === 'enum') detail = `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      if (e.keyword === 'propertyNames') detail = `has an invalid key "${String(e.params.propertyName)}"`;
      return `${path === '' ? '(top level)' : path} ${detail}`;
    });
  return [...new Set(lines)].join('; ');
}
