// The SigmaHQ CloudTrail corpus (../shared/data/sigmahq-aws-cloudtrail, unmodified community rules beside the
// checkout). Tests built on it call requireSigmaHq() and skip, naming the corpus, when it is absent: they never
// fall back to a smaller rule set or a lower threshold, so a missing corpus shows (and fails CI) instead of
// quietly weakening what the suite proves.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { requirePart } from './real-parts.js';

export const SIGMAHQ_DIR = join(packageRoot, '..', 'shared', 'data', 'sigmahq-aws-cloudtrail');

export function sigmaHqMissing(): string | undefined {
  return existsSync(SIGMAHQ_DIR) ? undefined : `${SIGMAHQ_DIR} is absent (check out ../shared beside the repository)`;
}

/** Skips the current test or suite without the corpus; otherwise records that it runs. */
export function requireSigmaHq(ctx: Mocha.Context): void {
  requirePart(ctx, 'sigmahq', sigmaHqMissing());
}
