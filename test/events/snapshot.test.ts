import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { ruleSources } from '../../src/events/rules.js';
import { compileSources, readRuleSources, rulesFromSnapshot, type RuleSet, type RuleSnapshot } from '../../src/events/sigma/index.js';
import type { RuleSource } from '../../src/events/sigma/types.js';
import { requireSigmaHq, SIGMAHQ_DIR } from '../helpers/sigmahq.js';
import { SIGMAHQ_CASES } from './sigma/sigmahq-events.js';


function shape(set: RuleSet): unknown {
  return {
    rules: set.rules.map((r) => [r.ruleId, r.file, r.document, r.generate, r.severity, r.index, r.expr, r.parameters.values]),
    correlations: set.correlations.map((c) => [c.rule.ruleId, c.members, [...c.groupFields]]),
  };
}

function rebuilt(sources: RuleSource[], parameters: Record<string, Record<string, unknown>> = {}): { compiled: RuleSet; copy: RuleSet } {
  const compiled = compileSources(sources, { parameters });
  const snapshot = compiled.snapshot() as RuleSnapshot;
  expect(snapshot).to.not.equal(null);
  return { compiled: compiled.ruleSet, copy: rulesFromSnapshot(structuredClone(snapshot)) };
}

describe('Rule snapshots for worker threads', function () {
  it('rebuild the built-in rules with the same ordinals, indexes, expressions and parameters', function () {
    const { compiled, copy } = rebuilt(ruleSources({ builtin: true, dirs: [] }).sources, { 'enumeration-burst': { distinct: 7 } });
    expect(shape(copy)).to.deep.equal(shape(compiled));
  });

  it('rebuild the SigmaHQ rules so they match what the compiled ones match', function () {
    requireSigmaHq(this);
    const { compiled, copy } = rebuilt(readRuleSources(SIGMAHQ_DIR).sources);
    expect(shape(copy)).to.deep.equal(shape(compiled));
    for (const cases of Object.values(SIGMAHQ_CASES)) {
      for (const record of [...cases.match, ...cases.nearMiss]) expect(copy.matchIndices(record)).to.deep.equal(compiled.matchIndices(record));
    }
  });

  it('keep a rule file with several documents, and drop a duplicate id as the compiler does', function () {
    const rule = (id: string, name: string): string => `title: ${name}\nid: ${id}\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  s:\n    eventName: ${name}\n  condition: s\n`;
    const sources = [
      { file: 'a.yml', text: `${rule('r-1', 'StopLogging')}---\n${rule('r-2', 'DeleteTrail')}` },
      { file: 'b.yml', text: rule('r-1', 'UpdateTrail') },
    ];
    const { compiled, copy } = rebuilt(sources);
    expect(copy.rules.map((r) => r.ruleId)).to.deep.equal(['r-1', 'r-2']);
    expect(shape(copy)).to.deep.equal(shape(compiled));
  });

  it('are rebuilt by a worker thread without loading the YAML parser or the JSON Schema validator', function () {
    // What the worker's module graph loads (CommonJS packages land in the require cache), in a fresh process.
    const worker = fileURLToPath(new URL('../../src/events/worker.js', import.meta.url));
    const loader = fileURLToPath(new URL('../../src/events/sigma/load.js', import.meta.url));
    const script = `import { createRequire } from 'node:module';
const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => /node_modules[\\/](yaml|ajv)[\\/]/.test(k)).length;
await import(${JSON.stringify(pathToFileURL(worker).href)});
const worker = loaded();
await import(${JSON.stringify(pathToFileURL(loader).href)});
console.log(JSON.stringify({ worker, loader: loaded() }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).to.equal(0);
    const counts = JSON.parse(run.stdout) as { worker: number; loader: number };
    expect(counts.worker).to.equal(0);
    // The check sees them when they are loaded: the rule loader does load both.
    expect(counts.loader).to.be.greaterThan(0);
  });
});
