// The findings file's `scan.correlation` section: the correlation counts of a scan with the config's rule
// settings applied. Data, not presentation: the engine builds it for findings.json and the terminal prints it
// (src/output/events-text.ts correlationLines).
import type { Severity } from '../model/types.js';
import type { IncompleteCorrelation, ScanStats } from './scan.js';

/** The findings file's `scan.correlation`: how the correlations went, and which could not be completed. */
export interface CorrelationSection {
  late: number;
  untimed: number;
  recorrelated: string[];
  spill: ScanStats['spill'];
  incomplete: { inputs: number; rules: IncompleteCorrelation[] };
}

/**
 * The correlation counts as the findings file keeps them, with the config's rule settings applied to the
 * incomplete ones (a disabled rule is not reported; a configured severity is the one the gate judges).
 */
export function correlationSection(stats: ScanStats, settings: { disabled: ReadonlySet<string>; severities: ReadonlyMap<string, Severity> }): CorrelationSection {
  const rules = stats.incomplete.filter((r) => !settings.disabled.has(r.ruleId)).map((r) => ({ ...r, severity: settings.severities.get(r.ruleId) ?? r.severity }));
  return { late: stats.late, untimed: stats.untimed, recorrelated: stats.recorrelated, spill: stats.spill, incomplete: { inputs: rules.reduce((n, r) => n + r.inputs, 0), rules } };
}

