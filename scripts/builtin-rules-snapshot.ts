// Writes the built-in rules' snapshot (src/events/builtin-rules.ts) into dist/ as the last step of
// `npm run build`: a scan then rebuilds the built-in rules from it instead of reading and compiling their YAML.
//   node dist/scripts/builtin-rules-snapshot.js
// When a built-in rule does not load, no snapshot is written (and an old one removed): scans compile the YAML
// and report the rule's problem as they would without one.
import { rmSync } from 'node:fs';
import { BUILTIN_SNAPSHOT_FILE, writeBuiltinSnapshot } from '../src/events/builtin-rules.js';
import { ruleSources } from '../src/events/rules.js';

const { sources, errors } = ruleSources({ builtin: true, dirs: [] });
if (errors.length === 0 && writeBuiltinSnapshot(sources)) {
  console.error(`builtin-rules-snapshot: wrote ${BUILTIN_SNAPSHOT_FILE} (${sources.length} rule files)`);
} else {
  rmSync(BUILTIN_SNAPSHOT_FILE, { force: true });
  console.error(`builtin-rules-snapshot: a built-in rule file does not load; no snapshot written (scans compile the YAML; \`trailproof rules list\` names the problem)`);
}
