import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { expect } from 'chai';
import { lintRule, loadRules, type CompiledRule, type LoadedRules } from '../../../src/events/sigma/index.js';
import { requireSigmaHq, SIGMAHQ_DIR } from '../../helpers/sigmahq.js';
import { SIGMAHQ_CASES } from './sigmahq-events.js';


describe('SigmaHQ CloudTrail rules (shared/data, unmodified)', function () {
  let loaded: LoadedRules;
  const byFile = new Map<string, CompiledRule>();

  before(function () {
    requireSigmaHq(this);
    loaded = loadRules(SIGMAHQ_DIR);
    for (const rule of loaded.ruleSet.rules) byFile.set(basename(rule.file), rule);
  });

  it('loads every rule file with no error', function () {
    const files = readdirSync(SIGMAHQ_DIR).filter((f) => f.endsWith('.yml'));
    expect(loaded.errors.map((e) => e.message)).to.deep.equal([]);
    expect([...byFile.keys()].sort()).to.deep.equal(files.sort());
  });

  it('has written cases for every rule file', function () {
    expect(Object.keys(SIGMAHQ_CASES).sort()).to.deep.equal([...byFile.keys()].sort());
  });

  for (const [file, cases] of Object.entries(SIGMAHQ_CASES)) {
    describe(file, function () {
      it('matches the events written to its intent, alone and through the index', function () {
        const rule = byFile.get(file) as CompiledRule;
        cases.match.forEach((record, i) => {
          expect(rule.match(record), `match case ${i}`).to.equal(true);
          expect(loaded.ruleSet.matches(record).map((r) => r.ruleId), `indexed match case ${i}`).to.include(rule.ruleId);
        });
      });

      it('does not match the near-misses', function () {
        const rule = byFile.get(file) as CompiledRule;
        cases.nearMiss.forEach((record, i) => {
          expect(rule.match(record), `near-miss ${i}`).to.equal(false);
          expect(loaded.ruleSet.matches(record).map((r) => r.ruleId), `indexed near-miss ${i}`).not.to.include(rule.ruleId);
        });
      });
    });
  }

  it('takes the rule id, title and severity from the Sigma fields', function () {
    const rule = byFile.get('aws_root_account_usage.yml') as CompiledRule;
    expect(rule.ruleId).to.equal('8ad1600d-e9dc-4251-b0ee-a65268f29add');
    expect(rule.title).to.equal('AWS Root Credentials');
    expect(rule.severity).to.equal('medium');
    expect(rule.meta.tags).to.include('attack.t1078.004');
    expect(rule.meta.date).to.equal('2020-01-21');
  });

  it('indexes the rules that pin eventName or eventSource and keeps the rest in the catch-all', function () {
    expect(loaded.ruleSet.indexStats()).to.deep.equal({ byName: 52, bySource: 1, catchAll: 4 });
    expect(byFile.get('aws_cloudtrail_disable_logging.yml')?.index).to.deep.equal({ eventNames: ['deletetrail', 'stoplogging', 'updatetrail'], eventSources: ['cloudtrail.amazonaws.com'] });
    expect(byFile.get('aws_new_lambda_layer_attached.yml')?.index).to.deep.equal({ eventNames: null, eventSources: ['lambda.amazonaws.com'] });
  });

  it('lints exactly the two rules that cannot work on raw CloudTrail as written', function () {
    const flagged = loaded.rules.flatMap((r) => lintRule(r).map((i) => `${basename(i.file)} ${i.level} ${i.code}`));
    expect(flagged).to.deep.equal(['aws_delete_saml_provider.yml error unknown-field', 'aws_iam_backdoor_users_keys.yml warning value-looks-like-field']);
  });
});
