// The built-in catalog as a whole and rule by rule: the fixed ids of the issue, one file each; every rule
// loads, lints clean, carries the Sigma fields and the trailproof block, says what it counts and why,
// documents its parameters; and docs/rules.md is the catalog's own rendering.
import { expect } from 'chai';
import { join } from 'node:path';
import { packageRoot } from '../../../src/paths.js';
import { lintRule, loadRules } from '../../../src/events/sigma/index.js';
import { DOCS_UPDATE, expectGolden } from '../../helpers/golden.js';
import { CATEGORIES, CIS_MONITORING, countsParagraph, renderCatalog } from './catalog-doc.js';
import { catalogFiles, loadFile, reportingDoc, RULES_DIR, type YamlDoc } from './harness.js';

/** The rule ids issue 3 fixes (part of the contract: detections carry them as ruleId). */
const ISSUE_RULE_IDS = [
  'cloudtrail-logging-stopped', 'cloudtrail-trail-deleted', 'cloudtrail-trail-updated', 'cloudtrail-event-selectors-changed', 'trail-bucket-lifecycle-shortened',
  'config-recorder-stopped', 'guardduty-disabled', 'securityhub-disabled', 'vpc-flow-logs-deleted', 'dns-query-logs-deleted',
  'root-account-usage', 'root-access-key-created', 'console-login-without-mfa', 'console-login-failures', 'root-login-failures', 'password-spray',
  'unauthorized-api-calls', 'federation-token-issued', 'ec2-password-data-retrieved', 'secrets-mass-retrieval',
  'iam-policy-changed', 'admin-policy-attached', 'access-key-created-for-other-user', 'login-profile-changed-for-other-user', 'role-trust-policy-changed',
  'lambda-made-public', 'roles-anywhere-trust-anchor-created', 'privilege-escalation-burst', 'enumeration-burst',
  's3-bucket-made-public', 's3-bucket-policy-changed', 'snapshot-or-image-shared', 's3-bucket-deleted', 's3-versioning-suspended', 'kms-key-deletion-scheduled', 's3-mass-deletion',
  'security-group-open-to-world', 'security-group-changed', 'nacl-changed', 'network-gateway-changed', 'route-table-changed', 'vpc-changed',
  'organizations-leave', 'organizations-changed', 'region-enabled', 'ec2-user-data-modified', 'ec2-user-data-retrieved', 'ec2-unusual-instance-launch',
  'ssm-remote-execution', 'llm-jacking', 'api-call-rate-anomaly', 'api-error-rate-anomaly',
];

/** Event rules that must see every event (no eventName or eventSource to key them on), on purpose. */
const UNKEYED = new Set(['root-account-usage', 'trailproof_unauthorized_api_call', 'trailproof_write_api_call', 'trailproof_failed_api_call']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LEVEL_OF: Record<string, string> = { info: 'informational', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };

const files = catalogFiles();
const docPath = join(packageRoot, 'docs', 'rules.md');

function str(doc: YamlDoc, key: string): string {
  const v = doc[key];
  return typeof v === 'string' ? v : '';
}

function strings(doc: YamlDoc, key: string): string[] {
  const v = doc[key];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : [];
}

describe('built-in rule catalog (checks/rules)', () => {
  it('holds exactly the rule ids of the issue, one file each', () => {
    expect(files.map((f) => f.ruleId)).to.deep.equal([...ISSUE_RULE_IDS].sort());
    expect(CATEGORIES.flatMap((c) => c.ids)).to.have.members(ISSUE_RULE_IDS).and.have.lengthOf(ISSUE_RULE_IDS.length);
  });

  it('gives every document a unique Sigma id (a UUID) and every base rule a unique name', () => {
    const docs = files.flatMap((f) => f.docs);
    const ids = docs.map((d) => str(d, 'id'));
    for (const id of ids) expect(id).to.match(UUID);
    expect(new Set(ids).size).to.equal(ids.length);
    const names = docs.map((d) => str(d, 'name')).filter((n) => n !== '');
    expect(new Set(names).size).to.equal(names.length);
  });

  it('loads as one rule set: no load error, no duplicate ruleId, every correlation resolved', () => {
    const loaded = loadRules(RULES_DIR);
    expect(loaded.errors.map((e) => e.message)).to.deep.equal([]);
    const ruleIds = loaded.rules.map((r) => r.ruleId);
    expect(new Set(ruleIds).size).to.equal(ruleIds.length);
    expect(loaded.rules.filter((r) => r.trailproof !== null).map((r) => r.ruleId)).to.have.members(ISSUE_RULE_IDS);
    expect(loaded.ruleSet.correlations.map((c) => c.rule.ruleId)).to.have.members(loaded.rules.filter((r) => r.kind === 'correlation').map((r) => r.ruleId));
  });

  it('keys every event rule on eventName or eventSource, except the few that must see every event', () => {
    const { rules } = loadRules(RULES_DIR);
    const unkeyed = rules.filter((r) => r.kind === 'event' && r.index.eventNames === null && r.index.eventSources === null).map((r) => r.trailproof?.id ?? r.meta.name ?? r.ruleId);
    expect(unkeyed.filter((n) => !UNKEYED.has(n))).to.deep.equal([]);
  });

  it('is documented in docs/rules.md, rendered from the rule files', () => {
    const rendered = renderCatalog(files);
    expectGolden(docPath, rendered, DOCS_UPDATE);
  });

  for (const file of files) {
    describe(file.ruleId, () => {
      const doc = reportingDoc(file);
      const block = doc.trailproof as Record<string, unknown>;

      it('loads with the engine and lints clean', () => {
        const rules = loadFile(file);
        expect(rules.map((r) => r.kind)).to.deep.equal(file.docs.map((d) => (d.correlation === undefined ? 'event' : 'correlation')));
        expect(rules.flatMap((r) => lintRule(r)).map((i) => `${i.level} ${i.code}: ${i.message}`)).to.deep.equal([]);
      });

      it('carries the Sigma fields of a catalog rule in every document', () => {
        for (const d of file.docs) {
          const what = `${file.ruleId}: "${str(d, 'title')}"`;
          expect(str(d, 'title'), what).to.not.equal('');
          expect(['stable', 'test', 'experimental'], `${what} status`).to.include(str(d, 'status'));
          expect(str(d, 'description').length, `${what} description`).to.be.greaterThan(20);
          expect(str(d, 'author'), what).to.equal('trailproof');
          expect(d.date instanceof Date || /^\d{4}-\d{2}-\d{2}$/.test(String(d.date)), `${what} date`).to.equal(true);
          expect(strings(d, 'references'), `${what} references`).to.not.have.lengthOf(0);
          for (const r of strings(d, 'references')) expect(r, `${what} reference`).to.match(/^https:\/\/docs\.aws\.amazon\.com\//);
          expect(strings(d, 'tags'), `${what} tags`).to.not.have.lengthOf(0);
          for (const t of strings(d, 'tags')) expect(t, `${what} tag`).to.match(/^attack\.([a-z-]+|t\d{4}(\.\d{3})?)$/);
          expect(strings(d, 'falsepositives'), `${what} falsepositives`).to.not.have.lengthOf(0);
          expect(Object.keys(LEVEL_OF).map((k) => LEVEL_OF[k])).to.include(str(d, 'level'));
          if (d.correlation === undefined) expect(d.logsource, `${what} logsource`).to.deep.equal({ product: 'aws', service: 'cloudtrail' });
        }
        expect(strings(doc, 'tags').some((t) => /^attack\.t\d{4}/.test(t)), 'an ATT&CK technique tag').to.equal(true);
      });

      it('has its trailproof block on the rule it reports: the file\'s id, a severity matching its level, what it counts', () => {
        expect(block.id).to.equal(file.ruleId);
        expect(LEVEL_OF[String(block.severity)], 'level matches trailproof.severity').to.equal(str(doc, 'level'));
        expect(['success', 'attempts']).to.include(block.counts);
        for (const c of (block.cis as unknown[] | undefined) ?? []) expect(Object.keys(CIS_MONITORING)).to.include(c);
      });

      it('says in its description what it counts and why, as trailproof.counts does', () => {
        const { counts, reason } = countsParagraph(str(doc, 'description'));
        expect(counts, 'a "Counts attempts:" or "Counts successes:" paragraph').to.equal(block.counts);
        expect(reason.length).to.be.greaterThan(10);
      });

      it('documents every parameter with a type, a default and a description, and uses it', () => {
        const params = (block.parameters as Record<string, Record<string, unknown>> | undefined) ?? {};
        for (const [name, schema] of Object.entries(params)) {
          expect(['enabled', 'severity'], `${name} is a config key, not a parameter`).to.not.include(name);
          expect(schema.type, `${name}.type`).to.be.a('string');
          expect(schema, `${name}.default`).to.have.property('default');
          expect(String(schema.description ?? '').length, `${name}.description`).to.be.greaterThan(10);
          expect(file.text, `%${name}% is used`).to.include(`%${name}%`);
        }
      });

      if (file.docs.length > 1) {
        it('names each base rule, references it from the correlation and gives it no trailproof block', () => {
          const correlation = doc.correlation as Record<string, unknown>;
          const bases = file.docs.filter((d) => d !== doc);
          for (const b of bases) {
            expect(b.trailproof, `${str(b, 'title')} has no trailproof block`).to.equal(undefined);
            expect(str(b, 'name')).to.match(/^trailproof_[a-z0-9_]+$/);
            expect(correlation.rules).to.include(str(b, 'name'));
          }
        });
      }
    });
  }
});
