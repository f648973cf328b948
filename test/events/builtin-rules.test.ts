import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { BUILTIN_SNAPSHOT_FILE, builtinSnapshotFile, builtinSnapshotFor, compileRules, readBuiltinSnapshot, writeBuiltinSnapshot, type BuiltinSnapshotFile } from '../../src/events/builtin-rules.js';
import { ruleSources } from '../../src/events/rules.js';
import { compileSources, type RuleSet, type RuleSource } from '../../src/events/sigma/index.js';
import { eventRule, tempDir } from './helpers.js';

function shape(set: RuleSet): unknown {
  return {
    rules: set.rules.map((r) => [r.ruleId, r.file, r.document, r.generate, r.severity, r.index, r.expr, r.parameters.values]),
    correlations: set.correlations.map((c) => [c.rule.ruleId, c.members, [...c.groupFields], [...c.valueFields], c.rule]),
  };
}

const builtin = (): RuleSource[] => ruleSources({ builtin: true, dirs: [] }).sources;

describe('Built-in rules snapshot (written by npm run build)', function () {
  it('is in dist/ and is the snapshot checks/rules/*.yml compile to now (run `npm run build` when this fails)', function () {
    expect(existsSync(BUILTIN_SNAPSHOT_FILE), `${BUILTIN_SNAPSHOT_FILE} is missing: npm run build writes it`).to.equal(true);
    const built = JSON.parse(readFileSync(BUILTIN_SNAPSHOT_FILE, 'utf8')) as BuiltinSnapshotFile;
    expect(built).to.deep.equal(builtinSnapshotFile(builtin()));
  });

  it('gives a scan of the built-in rules the same rules, ordinals and correlations as compiling their YAML', function () {
    const sources = builtin();
    expect(builtinSnapshotFor(sources)).to.not.equal(null);
    const fromSnapshot = compileRules(sources);
    const compiled = compileSources(sources);
    expect(shape(fromSnapshot.ruleSet)).to.deep.equal(shape(compiled.ruleSet));
    expect(fromSnapshot.rules.map((r) => r.ruleId)).to.deep.equal(compiled.rules.map((r) => r.ruleId));
    expect(fromSnapshot.errors).to.deep.equal([]);
    expect(fromSnapshot.snapshot()).to.deep.equal(compiled.snapshot());
  });

  it('is not used when a rule file differs from the one it was built from, another rule file is added, or one is missing', function () {
    const sources = builtin();
    const first = sources[0] as RuleSource;
    expect(builtinSnapshotFor([{ ...first, text: `${first.text}\n# edited\n` }, ...sources.slice(1)])).to.equal(null);
    expect(builtinSnapshotFor([...sources, { file: join(tempDir(), 'mine.yml'), text: eventRule('mine', 'DeleteBucket', 'high') }])).to.equal(null);
    expect(builtinSnapshotFor(sources.slice(1))).to.equal(null);
    // An edited text compiles from the YAML: the edit is what runs.
    const edited = [{ ...first, text: first.text.replace(/^title: .*$/m, 'title: Edited since the build') }, ...sources.slice(1)];
    expect(edited[0]?.text).to.not.equal(first.text);
    expect(compileRules(edited).ruleSet.all.find((r) => r.file === first.file)?.title).to.equal('Edited since the build');
  });

  it('is not used when the config sets a parameter of a built-in rule, and is when it names only other checks', function () {
    const sources = builtin();
    expect(builtinSnapshotFor(sources, { 'enumeration-burst': { distinct: 7 } })).to.equal(null);
    const configured = compileRules(sources, { parameters: { 'enumeration-burst': { distinct: 7 } } });
    expect(configured.ruleSet.correlations.find((c) => c.rule.ruleId === 'enumeration-burst')?.rule.condition).to.deep.include({ gte: 7 });
    expect(builtinSnapshotFor(sources, { 'not-a-rule-check': { minTrails: 2 } })).to.not.equal(null);
  });

  it('is not used when the build wrote none (a built-in rule that does not load), and the scan compiles the YAML', function () {
    const dir = tempDir();
    const missing = join(dir, 'none.json');
    expect(readBuiltinSnapshot(missing)).to.equal(null);
    expect(builtinSnapshotFor(builtin(), {}, missing)).to.equal(null);
    const broken = [...builtin(), { file: join(dir, 'broken.yml'), text: 'title: [' }];
    expect(writeBuiltinSnapshot(broken, join(dir, 'broken.json'))).to.equal(false);
    expect(existsSync(join(dir, 'broken.json'))).to.equal(false);
  });
});
