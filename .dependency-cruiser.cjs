// The architecture as rules (`npm run lint:deps`, part of `npm run check`): no circular imports, layers that
// only look down, and nothing outside test/ importing test/. docs/architecture.md explains the layers; this file
// is their one definition. A folder that needs something from a folder above it has found an idea that belongs
// lower: move the idea, not the import.
//
// Layers, top to bottom (a module imports only its own layer and the layers below it):
//   cli                                          src/cli
//   engine / report / output / attest / email    the run, the report view, the renderers, signing, mailing it
//   checks                                       checks/ and the check kit they are written with
//   events / integrity / monitoring / sql        what the checks and commands read evidence with
//   evidence / collect / config                  the bundle, collecting it, the config
//   aws                                          src/aws: the one AWS boundary
//   model                                        the shared vocabulary: src/model, errors, paths, wildcard, schema, progress
'use strict';

const CHECK_KIT = ['^src/check-kit\\.ts$', '^src/engine/(check|subjects|account-verdict)\\.ts$', '^src/monitoring/check\\.ts$'];

/** Path patterns per layer, top first. */
const LAYERS = [
  { name: 'cli', path: ['^src/cli/'] },
  // email builds its message from the report view, so it sits with the report, above the checks.
  { name: 'engine/report/output', path: ['^src/(engine|report|output|attest|email)/'], pathNot: CHECK_KIT },
  // The check kit (defineCheck, subjects, per-account verdicts, the monitoring checks' factory) is the checks'
  // own API: it sits with them, below the engine that runs them. It lives in src/engine and src/monitoring today
  // and gathers in src/check-kit.ts (issue 14 item 4).
  { name: 'checks', path: ['^checks/', ...CHECK_KIT] },
  { name: 'events/integrity/monitoring/sql', path: ['^src/(events|integrity|monitoring|sql)/'], pathNot: CHECK_KIT },
  { name: 'evidence/collect', path: ['^src/(evidence|collect|config)/'] },
  { name: 'aws', path: ['^src/aws/'] },
  { name: 'model', path: ['^src/model/', '^src/(errors|paths|wildcard|schema|progress)\\.ts$'] },
];

const either = (patterns) => `(${patterns.join('|')})`;

/** One rule per layer: it imports nothing from a layer above it. */
const layerRules = LAYERS.slice(1).map((layer, i) => {
  const above = LAYERS.slice(0, i + 1);
  return {
    name: `layer-${layer.name.replace(/\//g, '-')}`,
    comment: `${layer.name} imports only its own layer and the layers below it (not ${above.map((l) => l.name).join(', ')}); see docs/architecture.md`,
    severity: 'error',
    from: { path: either(layer.path), ...(layer.pathNot ? { pathNot: either(layer.pathNot) } : {}) },
    to: { path: either(above.flatMap((l) => l.path)), pathNot: either(layer.path) },
  };
});

/** Within a layer, folders that may not import one another, so no two folders import each other. */
const siblingRules = [
  {
    name: 'engine-below-report-and-output',
    comment: 'the engine produces findings; the report and the renderers read them (engine imports neither, nor attest)',
    from: { path: '^src/engine/' },
    to: { path: '^src/(report|output|attest)/' },
  },
  {
    name: 'report-below-output',
    comment: 'output renders the report view (output/html, output/pdf, output/write) and email mails it; report imports neither back',
    from: { path: '^src/report/' },
    to: { path: '^src/(output|attest|email)/' },
  },
  {
    name: 'events-integrity-apart',
    comment: 'events and integrity import nothing else of their layer (monitoring and sql build on events, not the reverse)',
    from: { path: '^src/(events|integrity)/' },
    to: { path: '^src/(events|integrity|monitoring|sql)/', pathNot: '^src/$1/' },
  },
  {
    name: 'monitoring-reads-events-only',
    comment: 'monitoring matches filter and event patterns against the events\' records, nothing else of its layer',
    from: { path: '^src/monitoring/', pathNot: CHECK_KIT },
    to: { path: '^src/(integrity|sql)/' },
  },
  {
    name: 'sql-reads-events-only',
    comment: 'sql builds on the Sigma rules in events, nothing else of its layer',
    from: { path: '^src/sql/' },
    to: { path: '^src/(integrity|monitoring)/' },
  },
  {
    name: 'evidence-config-apart',
    comment: 'the bundle reader and the config do not import each other or the collector; collect may write through evidence',
    from: { path: '^src/(evidence|config)/' },
    to: { path: '^src/(evidence|collect|config)/', pathNot: '^src/$1/' },
  },
].map((rule) => ({ severity: 'error', ...rule }));

/**
 * Imports that break a rule today because another engineer's area must change first. Each names its owner and
 * the change that removes it; keep the list short and remove an entry with the change.
 */
const KNOWN_EXCEPTIONS = [
  {
    rule: 'layer-evidence-collect',
    from: '^src/collect/securityhub\\.ts$',
    to: '^src/output/security-hub\\.ts$',
    // Owner: B (one AWS boundary, issue 14 item 2). The Security Hub client (collect/securityhub.ts) implements
    // the SecurityHubTarget/SecurityHubApi types that the importer in output/security-hub.ts declares; when the
    // client moves behind src/aws, those two types move down with it (or the client returns the SDK's own shape).
  },
  {
    rule: 'layer-evidence-collect',
    from: '^src/evidence/estate\\.ts$',
    to: '^src/integrity/bundle\\.ts$',
    // Type only: the estate carries the log-integrity verdict (Estate.logIntegrity, issue 14 item 1) as
    // integrity/bundle.ts types it. Removed when BundleLogIntegrity, TrailChains and the ValidationReport they hold
    // move to src/model/ (the verdict is data every layer may read).
  },
];

const anyOf = (...patterns) => either(patterns.filter((p) => p !== undefined));

/**
 * A rule minus its known exceptions: the rule for every other module, and for the excepted module the rule
 * minus the one excepted target, so nothing else it imports escapes the rule.
 */
function exceptKnown(rule) {
  const exceptions = KNOWN_EXCEPTIONS.filter((e) => e.rule === rule.name);
  if (exceptions.length === 0) return [rule];
  const others = { ...rule, from: { ...rule.from, pathNot: anyOf(rule.from.pathNot, ...exceptions.map((e) => e.from)) } };
  return [others, ...exceptions.map((e) => ({ ...rule, from: { ...rule.from, path: e.from }, to: { ...rule.to, pathNot: anyOf(rule.to.pathNot, e.to) } }))];
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'modules never import each other, directly or around a loop (type-only imports count: they tie the modules as tightly)',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules.flatMap(exceptKnown),
    ...siblingRules.flatMap(exceptKnown),
    {
      name: 'not-to-test',
      comment: 'tests are not product, benchmark or generator code: only test/ imports test/ (shared synthetic inputs live in fixtures/)',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'product-stands-alone',
      comment: 'the shipped code (src/, checks/) imports no benchmark, script, fixture or example',
      severity: 'error',
      from: { path: '^(src|checks)/' },
      to: { path: '^(bench|scripts|fixtures|examples)/' },
    },
    {
      name: 'no-unresolvable',
      comment: 'every relative import names a file that exists',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|examples|reports)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports are dependencies too: a type cycle ties two modules as tightly as a value cycle.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
