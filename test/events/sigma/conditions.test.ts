import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { compileRuleSource, compileSources, loadRules, RuleLoadError, type CompiledRule } from '../../../src/events/sigma/index.js';
import { TrailproofError } from '../../../src/errors.js';
import { detect, LOGSOURCE } from './helpers.js';
import { ct } from './records.js';

const A = ct({ eventName: 'A', eventSource: 'x.amazonaws.com' });

function sels(condition: string): CompiledRule {
  return detect(`
    sel_a:
      eventName: A
    sel_b:
      eventSource: x.amazonaws.com
    sel_c:
      awsRegion: eu-west-1
    _hidden:
      userAgent: nothing-matches-this
    condition: ${condition}`);
}

function loadError(text: string, file = 'bad.yml'): RuleLoadError {
  try {
    compileRuleSource(text, file);
  } catch (err) {
    if (err instanceof RuleLoadError) return err;
    throw err;
  }
  throw new Error('the rule loaded');
}

describe('Sigma conditions', function () {
  it('combines selections with and, or, not and parentheses, and binding tighter than or', function () {
    expect(sels('sel_a and sel_b').match(A)).to.equal(true);
    expect(sels('sel_a and sel_c').match(A)).to.equal(false);
    expect(sels('sel_c or sel_a').match(A)).to.equal(true);
    expect(sels('sel_a and not sel_c').match(A)).to.equal(true);
    expect(sels('not sel_a').match(A)).to.equal(false);
    expect(sels('sel_c and sel_a or sel_b').match(A)).to.equal(true);
    expect(sels('sel_c and (sel_a or sel_b)').match(A)).to.equal(false);
    expect(sels('not (sel_c or sel_a)').match(A)).to.equal(false);
    expect(sels('NOT sel_c AND sel_a').match(A)).to.equal(true);
  });

  it('reads 1 of, all of and N of over name patterns', function () {
    expect(sels('1 of sel_*').match(A)).to.equal(true);
    expect(sels('all of sel_*').match(A)).to.equal(false);
    expect(sels('all of sel_a*').match(A)).to.equal(true);
    expect(sels('2 of sel_*').match(A)).to.equal(true);
    expect(sels('3 of sel_*').match(A)).to.equal(false);
  });

  it('leaves selections starting with an underscore out of them', function () {
    expect(sels('all of them').match(ct({ eventName: 'A', eventSource: 'x.amazonaws.com', awsRegion: 'eu-west-1' }))).to.equal(true);
    expect(sels('1 of them').match(ct({ eventName: 'Z', eventSource: 'y', awsRegion: 'eu-west-1' }))).to.equal(true);
    expect(sels('1 of them').match(ct({ eventName: 'Z', eventSource: 'y', userAgent: 'nothing-matches-this' }))).to.equal(false);
  });

  it('links a list of conditions with or', function () {
    const rule = detect(`
      sel_a:
        eventName: A
      sel_c:
        awsRegion: eu-west-1
      condition:
        - sel_c
        - sel_a`);
    expect(rule.match(A)).to.equal(true);
  });

  it('reads a list of maps as any of them', function () {
    const rule = detect(`
      sel:
        - eventName: A
          awsRegion: eu-west-1
        - eventSource: x.amazonaws.com
      condition: sel`);
    expect(rule.match(A)).to.equal(true);
    expect(rule.match(ct({ eventName: 'A', eventSource: 'y' }))).to.equal(false);
  });

  it('rejects a condition naming a selection that does not exist, naming it', function () {
    expect(() => sels('sel_a and sel_z')).to.throw(RuleLoadError, /inline\.yml: rule "inline rule": .*"sel_z", which is not a selection/);
    expect(() => sels('1 of filter_*')).to.throw(RuleLoadError, /no selection matches "filter_\*"/);
    expect(() => sels('sel_a and (sel_b')).to.throw(RuleLoadError, /closing parenthesis/);
    expect(() => sels('sel_a sel_b')).to.throw(RuleLoadError, /unexpected "sel_b"/);
  });
});

describe('Rules that cannot load', function () {
  it('names the file, the rule and the feature of an unsupported modifier', function () {
    const err = loadError(`title: Odd\n${LOGSOURCE}detection:\n  sel:\n    eventName|utf8: x\n  condition: sel\n`, 'rules/odd.yml');
    expect(err.message).to.equal('rules/odd.yml: rule "Odd": unsupported feature modifier utf8: "eventName|utf8" uses a value modifier trailproof does not implement');
    expect(err.feature).to.equal('modifier utf8');
    expect(err).to.be.instanceOf(TrailproofError);
    expect(err.exitCode).to.equal(2);
  });

  it('rejects aggregations, timeframes, rule collections, filters and unknown correlation types as features', function () {
    const cases: Array<[string, string]> = [
      [`title: T\n${LOGSOURCE}detection:\n  sel:\n    eventName: A\n  condition: sel | count() by userIdentity.arn > 5\n`, 'aggregation in condition'],
      [`title: T\n${LOGSOURCE}detection:\n  sel:\n    eventName: A\n  timeframe: 5m\n  condition: sel\n`, 'detection.timeframe'],
      [`action: global\ntitle: T\n${LOGSOURCE}`, 'action: global'],
      [`title: T\n${LOGSOURCE}filter:\n  rules: [x]\n`, 'Sigma filter documents'],
      ['title: T\ncorrelation:\n  type: value_sum\n  rules: [a]\n  timespan: 5m\n', 'correlation type "value_sum"'],
      [`title: T\n${LOGSOURCE}detection:\n  sel:\n    eventName|wide: A\n  condition: sel\n`, 'modifier wide'],
    ];
    for (const [text, feature] of cases) expect(loadError(text).feature, feature).to.equal(feature);
  });

  it('refuses rules for other log sources, saying which', function () {
    const err = loadError('title: Windows\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n    Image: x\n  condition: sel\n');
    expect(err.message).to.equal('bad.yml: rule "Windows": logsource (product: windows, category: process_creation) is not AWS CloudTrail; trailproof evaluates rules with product: aws and service: cloudtrail');
    expect(() => compileRuleSource('title: No source\ndetection:\n  sel:\n    eventName: A\n  condition: sel\n', 'x.yml')).to.throw(RuleLoadError, /no logsource/);
  });

  it('refuses malformed YAML, nested maps, empty lists and bad levels with a reason', function () {
    expect(loadError('title: [unclosed\n').message).to.match(/^bad\.yml: not valid YAML at line \d+, column \d+: /);
    expect(loadError(`title: T\n${LOGSOURCE}detection:\n  sel:\n    requestParameters:\n      bucketName: x\n  condition: sel\n`).message).to.match(/dotted paths/);
    expect(loadError(`title: T\n${LOGSOURCE}detection:\n  sel:\n    eventName: []\n  condition: sel\n`).message).to.match(/empty list/);
    expect(loadError(`title: T\nlevel: severe\n${LOGSOURCE}detection:\n  sel:\n    eventName: A\n  condition: sel\n`).message).to.match(/level must be one of/);
    expect(loadError(`title: T\n${LOGSOURCE}detection:\n  sel:\n    sourceIPAddress|cidr: 300.1.1.1/8\n  condition: sel\n`).message).to.match(/not an IPv4 or IPv6 network/);
    expect(loadError(`title: T\n${LOGSOURCE}detection:\n  sel:\n    userAgent|re: '(unclosed'\n  condition: sel\n`).message).to.match(/Invalid regular expression/);
  });

  it('loads the other files of a folder when one fails, reporting it', function () {
    const dir = mkdtempSync(join(tmpdir(), 'tp-rules-'));
    try {
      mkdirSync(join(dir, 'nested'));
      writeFileSync(join(dir, 'good.yml'), `title: Good\nid: good-rule\n${LOGSOURCE}detection:\n  sel:\n    eventName: A\n  condition: sel\n`);
      writeFileSync(join(dir, 'nested', 'also-good.yaml'), `title: Also\n${LOGSOURCE}detection:\n  sel:\n    eventName: B\n  condition: sel\n`);
      writeFileSync(join(dir, 'bad.yml'), `title: Bad\n${LOGSOURCE}detection:\n  sel:\n    eventName|nope: A\n  condition: sel\n`);
      writeFileSync(join(dir, 'notes.txt'), 'not a rule');
      const loaded = loadRules(dir);
      expect(loaded.rules.map((r) => r.ruleId)).to.deep.equal(['good-rule', 'also-good.yaml']);
      expect(loaded.errors.map((e) => [e.file, e.feature])).to.deep.equal([[join(dir, 'bad.yml'), 'modifier nope']]);
      expect(loaded.sources.map((s) => s.file)).to.deep.equal([join(dir, 'bad.yml'), join(dir, 'good.yml'), join(dir, 'nested', 'also-good.yaml')]);
      expect(() => loadRules(join(dir, 'missing'))).to.throw(TrailproofError, /rules: cannot read .*missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a second rule with the same id, keeping the first', function () {
    const rule = (title: string, name: string): string => `title: ${title}\nid: same\n${LOGSOURCE}detection:\n  sel:\n    eventName: ${name}\n  condition: sel\n`;
    const loaded = compileSources([
      { file: 'a.yml', text: rule('One', 'A') },
      { file: 'b.yml', text: rule('Two', 'B') },
    ]);
    expect(loaded.rules.map((r) => r.title)).to.deep.equal(['One']);
    expect(loaded.errors.map((e) => e.message)).to.deep.equal(['b.yml: rule "Two": rule id "same" is already used by a.yml']);
  });
});
