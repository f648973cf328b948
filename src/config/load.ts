// The config file (YAML or JSON), validated against schema/config.schema.json with errors that name the
// path at fault and, where one is near, the key that was meant. Without --config it is found by
// TRAILPROOF_CONFIG or as .trailproof.yml in the working directory (findConfigFile).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TrailproofError, errorMessage } from '../errors.js';
import type { Severity } from '../model/types.js';
import { compileSchema, formatAjvErrors, loadSchema } from '../schema.js';
import { readBounded, readYaml, YamlProblem } from './yaml.js';

export interface WaiverConfig {
  check: string;
  resource: string;
  account?: string;
  reason: string;
  owner: string;
  expires: string;
  approvedBy?: string;
  approvedOn?: string;
}

/** A management response to a failure, naming a result by id or by check and resource (config `responses:`). */
export interface ResponseConfig {
  result?: string;
  check?: string;
  resource?: string;
  account?: string;
  owner: string;
  response: string;
  dueDate?: string;
}

export interface CheckConfig {
  enabled?: boolean;
  severity?: Severity;
  [parameter: string]: unknown;
}

export interface Config {
  failOn?: Severity | 'none';
  frameworks?: string[];
  accounts?: string[];
  plugins?: string[];
  checks?: Record<string, CheckConfig>;
  waivers?: WaiverConfig[];
  responses?: ResponseConfig[];
  integrity?: { trustedKeyFingerprints?: string[] };
  /** The account-vending gate's checks (trailproof gate, audit --gate). */
  gate?: { checks?: string[] };
  report?: { organizationName?: string; preparedBy?: string; title?: string; logo?: string; colors?: { primary?: string; accent?: string }; paper?: 'a4' | 'letter' };
  /** Email settings (src/email/settings.ts); TRAILPROOF_SMTP_* and TRAILPROOF_EMAIL_FROM override them. */
  email?: EmailConfig;
}

/** The `email` section (src/email/settings.ts reads it; TRAILPROOF_SMTP_* and TRAILPROOF_EMAIL_FROM override it). */
export interface EmailConfig {
  from?: string;
  transport?: 'smtp' | 'ses';
  smtp?: { host?: string; port?: number; tls?: 'implicit' | 'starttls' | 'none'; user?: string; password?: string };
  ses?: { region?: string; configurationSet?: string };
}

export interface LoadedConfig {
  config: Config;
  /** The file it came from (undefined: no --config), and the folder relative paths resolve against. */
  file: string | undefined;
  baseDir: string;
}

/** Largest config file read (a config with hundreds of waivers is tens of KB). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

export const validateConfig = compileSchema<Config>(loadSchema('config.schema.json'));

/** Config files found in the working directory without --config, in this order (the first one present is read). */
export const CONFIG_FILE_NAMES = ['.trailproof.yml', '.trailproof.yaml', '.trailproof.json'] as const;

/**
 * Which config file a run reads: `--config`, else `TRAILPROOF_CONFIG`, else `.trailproof.yml` / `.yaml` / `.json`
 * in the working directory (only there: a config is never picked up from a parent folder, so an audit in a
 * checkout of someone else's repository does not read a file it did not ask for). Two discovered files are
 * ambiguous and refused, naming both.
 */
export function findConfigFile(file: string | undefined, cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  if (file !== undefined) return file;
  const named = env['TRAILPROOF_CONFIG'];
  if (named !== undefined && named !== '') return named;
  const present = CONFIG_FILE_NAMES.filter((name) => existsSync(join(cwd, name)));
  if (present.length > 1) {
    throw new TrailproofError('TP_CONFIG_INVALID', `both ${present.join(' and ')} are in ${cwd}: keep one, or name the one to read with --config or TRAILPROOF_CONFIG`);
  }
  return present[0];
}

export function loadConfig(given: string | undefined, cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const file = findConfigFile(given, cwd, env);
  if (file === undefined) return { config: {}, file: undefined, baseDir: cwd };
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readBounded(path, MAX_CONFIG_BYTES, 'MAX_CONFIG_BYTES');
  } catch (err) {
    throw new TrailproofError('TP_CONFIG_UNREADABLE', `cannot read config file ${file}: ${errorMessage(err)}`);
  }
  let value: unknown;
  try {
    value = readYaml(text) ?? {};
  } catch (err) {
    if (!(err instanceof YamlProblem)) throw err;
    throw new TrailproofError('TP_CONFIG_INVALID', `config file ${file} is not valid YAML/JSON${err.at}: ${err.message}`);
  }
  if (!validateConfig(value)) {
    throw new TrailproofError('TP_CONFIG_INVALID', `config file ${file}: ${formatAjvErrors(validateConfig.errors, '')} (schema: schema/config.schema.json)`);
  }
  return { config: value, file: path, baseDir: dirname(path) };
}

/** The nearest of `candidates` to `word` by edit distance, when it is near enough to be a typo. */
export function suggest(word: string, candidates: string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (!best || d < best.d) best = { c, d };
  }
  return best && best.d <= Math.max(2, Math.floor(word.length / 4)) ? best.c : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] as number;
}
