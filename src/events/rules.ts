// Which rules a scan runs: the built-in catalog (checks/rules/*.yml) and the user's folders (--rules DIR),
// or only the user's (--no-builtin-rules). Rule parameters, severities and switches come from the config's
// `checks.<ruleId>`, as for the posture checks.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/load.js';
import { TrailproofError } from '../errors.js';
import type { Detection, Severity } from '../model/types.js';
import { checksDir } from '../paths.js';
import { readRuleSources, type RuleLoadError, type RuleSource } from './sigma/index.js';

export const BUILTIN_RULES_DIR = join(checksDir, 'rules');

export interface RuleChoice {
  builtin: boolean;
  dirs: string[];
}

export function ruleSources(choice: RuleChoice): { sources: RuleSource[]; errors: RuleLoadError[] } {
  const paths = [...(choice.builtin && existsSync(BUILTIN_RULES_DIR) ? [BUILTIN_RULES_DIR] : []), ...choice.dirs];
  if (paths.length === 0) {
    throw new TrailproofError('TP_USAGE', choice.builtin ? `no rules: the built-in catalog ${BUILTIN_RULES_DIR} is missing and no --rules DIR was given` : '--no-builtin-rules needs --rules DIR: there would be no rules to run');
  }
  return readRuleSources(paths);
}

const NOT_PARAMETERS = new Set(['enabled', 'severity']);

export interface RuleSettings {
  /** Parameter values by ruleId, for the rule compiler. */
  parameters: Record<string, Record<string, unknown>>;
  disabled: Set<string>;
  severities: Map<string, Severity>;
}

/** The config's `checks.<id>` entries read as rule settings (entries for posture checks are simply not used). */
export function ruleSettings(config: Config): RuleSettings {
  const settings: RuleSettings = { parameters: {}, disabled: new Set(), severities: new Map() };
  for (const [id, entry] of Object.entries(config.checks ?? {})) {
    if (entry.enabled === false) settings.disabled.add(id);
    if (entry.severity !== undefined) settings.severities.set(id, entry.severity);
    const params = Object.fromEntries(Object.entries(entry).filter(([k]) => !NOT_PARAMETERS.has(k)));
    if (Object.keys(params).length > 0) settings.parameters[id] = params;
  }
  return settings;
}

/** Drops detections of disabled rules and applies configured severities. */
export function applySettings(detections: Detection[], settings: RuleSettings): Detection[] {
  const out: Detection[] = [];
  for (const d of detections) {
    if (settings.disabled.has(d.ruleId)) continue;
    const severity = settings.severities.get(d.ruleId);
    out.push(severity === undefined ? d : { ...d, severity });
  }
  return out;
}
