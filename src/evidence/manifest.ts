// The bundle manifest, validated against schema/manifest.schema.json.
import { TrailproofError } from '../errors.js';
import { compileSchema, formatAjvErrors, loadSchema } from '../schema.js';

export interface Manifest {
  tool: string;
  version: string;
  collectedAt: string;
  identity: { Account: string; Arn: string; UserId?: string };
  scope: { accounts: string[]; regions: string[] };
  files: Record<string, string>;
  [unknownField: string]: unknown;
}

const validate = compileSchema<Manifest>(loadSchema('manifest.schema.json'));

export function validateManifest(value: unknown): Manifest {
  if (!validate(value)) {
    throw new TrailproofError('TP_BUNDLE_MANIFEST_INVALID', `manifest.json is not a valid bundle manifest: ${formatAjvErrors(validate.errors, 'manifest.json')}`);
  }
  return value;
}
