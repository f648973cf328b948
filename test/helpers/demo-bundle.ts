// The demo organization's evidence bundle (examples/demo-org, committed; scripts/make-demo-org.ts rewrites
// it). Tests over it call requireDemoBundle(), which skips naming the bundle when it is absent, through the
// real-parts record (and so fails in CI) instead of passing quietly.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';
import { requirePart } from './real-parts.js';

export const DEMO_BUNDLE = join(packageRoot, 'examples', 'demo-org');

export function requireDemoBundle(ctx: Mocha.Context): void {
  const missing = existsSync(join(DEMO_BUNDLE, 'manifest.json')) ? undefined : `${DEMO_BUNDLE}/manifest.json is absent (node dist/scripts/make-demo-org.js writes it)`;
  requirePart(ctx, 'demo-org', missing);
}
