// Runs one check over a bundle built in the test, the way the engine does (options merged over defaults),
// and returns its results for assertions.
import { Bundle } from '../../src/evidence/bundle.js';
import { Estate } from '../../src/evidence/estate.js';
import { createContext, type AnyCheck, type CheckResult } from '../../src/engine/check.js';
import type { BundleBuilder } from '../../fixtures/bundle-builder.js';

export function runCheck(check: AnyCheck, bundle: BundleBuilder | string, options: Record<string, unknown> = {}): CheckResult[] {
  const dir = typeof bundle === 'string' ? bundle : bundle.writeTemp();
  const estate = new Estate(Bundle.open(dir));
  const merged = { ...(check.meta.defaultOptions as Record<string, unknown>), ...options };
  return check.run(estate, createContext(check.meta, merged, estate.collectedAt));
}

/** The single result about one resource (throws when there is not exactly one). */
export function resultFor(results: CheckResult[], resource: string): CheckResult {
  const found = results.filter((r) => r.resource === resource);
  if (found.length !== 1) throw new Error(`expected one result for ${resource}, got ${found.length}: ${JSON.stringify(results.map((r) => [r.resource, r.status]))}`);
  return found[0] as CheckResult;
}
