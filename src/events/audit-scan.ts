// The event rules as part of an audit: when the evidence bundle holds events (logs/ or LookupEvents.jsonl),
// `audit` runs the same scan as `trailproof scan --bundle` and puts the detections in its findings.
import type { Config } from '../config/load.js';
import type { Bundle } from '../evidence/bundle.js';
import type { Detection } from '../model/types.js';
import { defaultWorkers } from './pipeline.js';
import { bundleEvents, bundleHasEvents } from './readers/bundle.js';
import { FULL_SCOPE, type LogSource, type ScanScope } from './readers/types.js';
import { applySettings, ruleSettings, ruleSources } from './rules.js';
import { scanEvents, type ScanStats } from './scan.js';

export interface BundleScanOptions {
  /** User rule folders (--rules), in addition to the built-ins unless builtinRules is false. */
  rules?: string[];
  builtinRules?: boolean;
  config?: Config;
  scope?: ScanScope;
  workers?: number;
  /** Log files to read besides the bundle's own events (audit --logs DIR|s3://...). */
  sources?: LogSource[];
  onProgress?: (stats: ScanStats) => void;
}

export type BundleScan = { detections: Detection[]; stats: ScanStats };

/** Whether the bundle has events for the rules to read. */
export function bundleHoldsEvents(bundle: Bundle): boolean {
  return bundleHasEvents(bundle.manifest);
}

/**
 * Scans a bundle's events (and any other sources given) with the rules; detections sorted, with the config's rule settings applied. Rules
 * that did not load are in stats.ruleErrors (the others ran); files that could not be read in stats.skipped.
 */
export async function scanBundleEvents(bundle: Bundle, options: BundleScanOptions = {}): Promise<BundleScan> {
  const { sources, errors } = ruleSources({ builtin: options.builtinRules ?? true, dirs: options.rules ?? [] });
  const settings = ruleSettings(options.config ?? {});
  const result = await scanEvents([bundleEvents(bundle.dir, options.scope ?? FULL_SCOPE), ...(options.sources ?? [])], {
    rules: sources,
    parameters: settings.parameters,
    scope: options.scope ?? FULL_SCOPE,
    workers: options.workers ?? defaultWorkers(),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const detections = applySettings(result.detections, settings);
  return { detections, stats: { ...result.stats, detections: detections.length, ruleErrors: [...errors, ...result.stats.ruleErrors] } };
}

/**
 * The scan's own counts, kept in the findings file beside the detections (`scan`; readers ignore fields they
 * do not know): what was read, what was skipped and why (each file, line or record by name), the rules that
 * did not load. `scan` and `audit` write the same section.
 */
export function scanSection(stats: ScanStats, correlation: unknown = { late: stats.late, untimed: stats.untimed }): Record<string, unknown> {
  return {
    sources: stats.sources,
    files: { read: stats.files - stats.filesSkipped, skipped: stats.filesSkipped },
    events: { read: stats.events, inScope: stats.eventsInScope, unreadable: stats.eventsSkipped, duplicates: stats.duplicates },
    prunedByKey: stats.pruned,
    skipped: stats.skipped,
    ...(stats.skippedUnlisted > 0 ? { skippedUnlisted: stats.skippedUnlisted } : {}),
    modified: stats.modified,
    correlation,
    rules: { event: stats.rules.event, correlations: stats.rules.correlations, errors: stats.ruleErrors.map((e) => e.message) },
    elapsedMs: stats.elapsedMs,
    workers: stats.workers,
  };
}
