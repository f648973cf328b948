// The option table, kept apart from the parser. Flags that set a config key are typed against Config, so a
// config key without its flag (or a flag naming a key that does not exist) fails the type check.
import type { Config } from '../config/load.js';
import { SEVERITIES } from '../model/types.js';
import { FORMATS } from '../output/index.js';

/** Config keys that are set in the file only (structured values with no sensible flag). */
type FileOnlyKeys = 'checks' | 'waivers' | 'report' | 'gate' | 'email';

/** config key -> the flag that overrides it. */
export const CONFIG_FLAGS: Record<Exclude<keyof Config, FileOnlyKeys>, string> = {
  failOn: 'fail-on',
  frameworks: 'framework',
  accounts: 'accounts',
  plugins: 'plugin',
  integrity: 'trusted-key-fingerprints',
  responses: 'responses',
};

export const FAIL_ON_CHOICES = [...SEVERITIES, 'none'] as const;

export const commonOptions = {
  config: { type: 'string', describe: 'Config file (YAML or JSON) validated against schema/config.schema.json', requiresArg: true },
  quiet: { type: 'boolean', describe: 'Print nothing but machine output and errors', default: false },
  debug: { type: 'boolean', describe: 'Show stack traces for errors', default: false },
  progress: { type: 'boolean', describe: 'Progress display on stderr (--no-progress: plain lines only)', default: true },
  // No default: absent means "decide from NO_COLOR, FORCE_COLOR, CI and whether the output is a terminal".
  color: { type: 'boolean', describe: 'Colour statuses and severities (--no-color: never; default: on a terminal only, honouring NO_COLOR and FORCE_COLOR)' },
  wide: { type: 'boolean', describe: 'Tables show every column and whole cells, even on a terminal narrower than them', default: false },
} as const;

export const auditOptions = {
  bundle: { type: 'string', describe: 'Evidence bundle folder to audit (offline)', requiresArg: true },
  out: { type: 'string', describe: 'Write outputs into this folder (findings.json, junit.xml, ...)', requiresArg: true },
  format: { type: 'string', describe: `Comma list of output formats: ${FORMATS.join(',')} (stdout when no --out)`, requiresArg: true },
  'fail-on': { type: 'string', choices: FAIL_ON_CHOICES, describe: 'Lowest severity of a FAIL that makes the run exit 1 (default high; none never fails)' },
  framework: { type: 'string', describe: 'Run and report one framework, requirement by requirement (e.g. cis-aws-3.0)', requiresArg: true },
  accounts: { type: 'string', describe: 'Comma list of account ids to report on', requiresArg: true },
  checks: { type: 'string', array: true, describe: 'Check ids or patterns to run (trail.*,bucket.not-public); a folder or .js file here loads plugin checks' },
  plugin: { type: 'string', array: true, describe: 'Load third-party checks from a folder, file or npm package', requiresArg: true },
  'allow-modified-evidence': { type: 'boolean', describe: 'Audit a bundle whose files do not match its manifest (results marked tampered)', default: false },
} as const;

export function splitList(values: string | string[] | undefined): string[] {
  if (values === undefined) return [];
  return (Array.isArray(values) ? values : [values]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}
