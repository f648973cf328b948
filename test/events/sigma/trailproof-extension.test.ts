import { expect } from 'chai';
import { compileRuleSource, compileSources, Correlator, RuleLoadError, type CompiledRule, type CorrelationRule } from '../../../src/events/sigma/index.js';
import { readYamlDocuments } from '../../../src/config/yaml.js';
import { ruleSources } from '../../../src/events/rules.js';
import { resolveParameters } from '../../../src/events/sigma/parameter-schema.js';
import { parseExtension } from '../../../src/events/sigma/params.js';
import { dedent, detect, LOGSOURCE } from './helpers.js';
import { at, ct } from './records.js';

const CATALOG_RULE = dedent(`
  title: Trail log bucket lifecycle shortened
  trailproof:
    id: trail-bucket-lifecycle-shortened
    severity: high
    counts: success
    cis: '3.6'
    parameters:
      minDays:
        type: integer
        minimum: 1
        default: 365
        description: Shortest expiration (days) that is not reported
  ${LOGSOURCE.replace(/\n/g, '\n  ')}detection:
    sel:
      eventSource: s3.amazonaws.com
      eventName: PutBucketLifecycle
      requestParameters.LifecycleConfiguration.Rule.Expiration.Days|lt|expand: '%minDays%'
    ok:
      errorCode: null
    condition: sel and ok
  level: medium
`);

const BURST = (extra = ''): string =>
  dedent(`
  title: Sensitive read
  name: sensitive_read
  ${LOGSOURCE.replace(/\n/g, '\n  ')}detection:
    sel:
      eventName|expand: '%apis%'
    condition: sel
  trailproof:
    parameters:
      apis:
        type: array
        items: {type: string}
        default: [GetSecretValue, BatchGetSecretValue]
  ---
  title: Secrets read in volume
  trailproof:
    id: secrets-mass-retrieval
    counts: attempts
    parameters:
      threshold: {type: integer, minimum: 2, default: 3}
      window: {type: string, pattern: '^[0-9]+[smhd]$', default: 10m}
  correlation:
    type: event_count
    rules: [sensitive_read]
    group-by: [userIdentity.arn]
    timespan: '%window%'
    condition:
      gte: '%threshold%'
  ${extra}`);

const lifecycle = (days: number): ReturnType<typeof ct> =>
  ct({ eventSource: 's3.amazonaws.com', eventName: 'PutBucketLifecycle', requestParameters: { bucketName: 'org-trail-logs', LifecycleConfiguration: { Rule: [{ ID: 'expire', Status: 'Enabled', Expiration: { Days: days } }] } } });

describe('The trailproof: block and rule parameters', function () {
  it('takes the fixed id, severity, counts and CIS ids from the trailproof block', function () {
    const rule = compileRuleSource(CATALOG_RULE, 'checks/rules/trail-bucket-lifecycle-shortened.yml')[0] as CompiledRule;
    expect([rule.ruleId, rule.severity, rule.trailproof?.counts, rule.trailproof?.cis]).to.deep.equal(['trail-bucket-lifecycle-shortened', 'high', 'success', ['3.6']]);
    expect(rule.parameters.defaults).to.deep.equal({ minDays: 365 });
    expect(rule.parameters.schema).to.deep.equal({ type: 'object', properties: { minDays: { type: 'integer', minimum: 1, default: 365, description: 'Shortest expiration (days) that is not reported' } }, additionalProperties: false });
  });

  it('puts parameter values into detection values through expand, defaults first, then the configured value', function () {
    const byDefault = compileRuleSource(CATALOG_RULE, 'r.yml')[0] as CompiledRule;
    expect(byDefault.match(lifecycle(90))).to.equal(true);
    expect(byDefault.match(lifecycle(400))).to.equal(false);
    const configured = compileRuleSource(CATALOG_RULE, 'r.yml', { parameters: { 'trail-bucket-lifecycle-shortened': { minDays: 30 } } })[0] as CompiledRule;
    expect(configured.parameters.values).to.deep.equal({ minDays: 30 });
    expect(configured.match(lifecycle(90))).to.equal(false);
    expect(configured.match(lifecycle(7))).to.equal(true);
  });

  it('refuses a configured value its schema rejects, naming the parameter', function () {
    expect(() => compileRuleSource(CATALOG_RULE, 'r.yml', { parameters: { 'trail-bucket-lifecycle-shortened': { minDays: 0 } } })).to.throw(RuleLoadError, 'r.yml: rule "Trail log bucket lifecycle shortened": parameters: parameters.minDays must be >= 1');
    expect(() => compileRuleSource(CATALOG_RULE, 'r.yml', { parameters: { 'trail-bucket-lifecycle-shortened': { maxDays: 3 } } })).to.throw(RuleLoadError, /has unknown property "maxDays"/);
  });

  it("checks every built-in rule's parameter defaults against its own schema (the build's snapshot holds them as they are)", function () {
    const builtin = ruleSources({ builtin: true, dirs: [] }).sources;
    let checked = 0;
    for (const source of builtin) {
      for (const doc of readYamlDocuments(source.text)) {
        const { declared } = parseExtension((doc as { trailproof?: unknown }).trailproof);
        if (Object.keys(declared).length === 0) continue;
        const resolved = resolveParameters(declared, undefined);
        expect(resolved.values, source.file).to.deep.equal(resolved.defaults);
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(5);
  });

  it('validates a value configured for a built-in rule', function () {
    const builtin = ruleSources({ builtin: true, dirs: [] }).sources;
    const { errors } = compileSources(builtin, { parameters: { 'api-call-rate-anomaly': { interval: 'soon' } } });
    expect(errors.map((e) => e.message).join('\n')).to.match(/api-call-rate-anomaly\.yml: .*parameters\.interval must match pattern/);
  });

  it('expands a list parameter into several values, and indexes them', function () {
    const { ruleSet } = compileSources([{ file: 'b.yml', text: BURST() }]);
    const base = ruleSet.rules[0] as CompiledRule;
    expect(base.index.eventNames).to.deep.equal(['batchgetsecretvalue', 'getsecretvalue']);
    expect(base.match(ct({ eventName: 'BatchGetSecretValue' }))).to.equal(true);
  });

  it('matches nothing with a list parameter set to [], so a filter on it excludes nothing', function () {
    const text = `title: Deletes\n${LOGSOURCE}detection:\n  sel:\n    eventName: DeleteBucket\n  exempt:\n    userIdentity.arn|expand: '%exempt%'\n  condition: sel and not exempt\ntrailproof:\n  id: deletes\n  parameters:\n    exempt: {type: array, items: {type: string}, default: []}\n`;
    const open = compileRuleSource(text, 'd.yml')[0] as CompiledRule;
    expect(open.match(ct({ eventName: 'DeleteBucket' }))).to.equal(true);
    const exempted = compileRuleSource(text, 'd.yml', { parameters: { deletes: { exempt: ['arn:aws:iam::111122223333:user/winter'] } } })[0] as CompiledRule;
    expect(exempted.match(ct({ eventName: 'DeleteBucket' }))).to.equal(false);
  });

  it('sets a correlation timespan and threshold from parameters', function () {
    const read = (s: number): ReturnType<typeof ct> => at(ct({ eventSource: 'secretsmanager.amazonaws.com', eventName: 'GetSecretValue' }), s);
    const fire = (parameters: Record<string, unknown> | undefined, seconds: number[]): number => {
      const { ruleSet, errors } = compileSources([{ file: 'b.yml', text: BURST() }], parameters === undefined ? {} : { parameters: { 'secrets-mass-retrieval': parameters } });
      expect(errors).to.deep.equal([]);
      const correlator = new Correlator(ruleSet);
      let n = 0;
      seconds.forEach((s, i) => {
        const record = read(s);
        for (const o of ruleSet.matchIndices(record)) n += correlator.push(ruleSet.correlationInput(o, record, i) ?? (null as never)).length;
      });
      return n + correlator.flush().length;
    };
    expect(fire(undefined, [0, 60, 120])).to.equal(1);
    expect(fire(undefined, [0, 60])).to.equal(0);
    expect(fire({ threshold: 2 }, [0, 60])).to.equal(1);
    expect(fire({ window: '1m' }, [0, 60, 120])).to.equal(0);
    const { ruleSet } = compileSources([{ file: 'b.yml', text: BURST() }]);
    const c = ruleSet.correlations[0]?.rule as CorrelationRule;
    expect([c.ruleId, c.timespan, c.timespanMs, c.condition]).to.deep.equal(['secrets-mass-retrieval', '10m', 600_000, { gte: 3 }]);
  });

  it('refuses a placeholder the rule does not declare, and keeps %text% literal without expand', function () {
    expect(() => detect("sel:\n  eventName|expand: '%Administrators%'\ncondition: sel")).to.throw(RuleLoadError, /unsupported feature placeholder %Administrators%: declare "Administrators" under trailproof.parameters/);
    expect(detect("sel:\n  userAgent: '%agent%'\ncondition: sel").match(ct({ userAgent: '%agent%' }))).to.equal(true);
  });

  it('refuses unknown trailproof keys, bad ids, severities and counts', function () {
    const withBlock = (block: string): string => `title: T\n${LOGSOURCE}detection:\n  sel:\n    eventName: A\n  condition: sel\ntrailproof:\n${block}`;
    const message = (block: string): string => {
      try {
        compileRuleSource(withBlock(block), 't.yml');
        return 'loaded';
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    };
    expect(message('  owner: me\n')).to.match(/trailproof.owner is not a trailproof rule key/);
    expect(message('  id: Root Usage\n')).to.match(/trailproof.id must be lowercase/);
    expect(message('  severity: severe\n')).to.match(/trailproof.severity must be one of critical, high, medium, low, info/);
    expect(message('  counts: some\n')).to.match(/trailproof.counts must be "success" or "attempts"/);
    expect(message('  parameters:\n    n: {type: integer}\n')).to.match(/must be a JSON Schema with a default/);
    expect(message('  parameters:\n    n: {type: integer, default: nope}\n')).to.match(/defaults do not satisfy their own schema/);
  });

  it('maps Sigma levels to severities, informational to info, and defaults to medium', function () {
    expect(detect('sel:\n  eventName: A\ncondition: sel', 'level: informational').severity).to.equal('info');
    expect(detect('sel:\n  eventName: A\ncondition: sel', 'level: critical').severity).to.equal('critical');
    expect(detect('sel:\n  eventName: A\ncondition: sel').severity).to.equal('medium');
  });
});
