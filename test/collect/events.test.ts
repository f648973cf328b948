// EventBridge evidence for the CIS monitoring checks: the default bus's rules and their targets, stored per
// account and region with pages merged, the SNS topics the rules target followed to their subscriptions, and
// failures stored as $error and counted like every other family.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectResult } from '../../src/collect/index.js';
import { FakeAws, awsError, type FakeEstate } from '../../fixtures/fake-aws.js';
import { DEV, EVENT_TOPIC_ARN, LOG, MGMT, PROD, ROOT_USAGE_PATTERN, auditBundle, collectFake, orgEstate } from '../../fixtures/estates.js';

function read(dir: string, path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, path), 'utf8')) as Record<string, unknown>;
}

const DEV_EVENTS = `accounts/${DEV}/eu-west-1/events`;

describe('collect: EventBridge rules and targets', function () {
  describe('an organization with rules in dev', () => {
    let fake: FakeAws;
    let result: CollectResult;

    before(async () => {
      fake = new FakeAws(orgEstate()).install();
      result = await collectFake(fake);
    });
    after(() => fake.restore());

    it('stores the default bus rules of every account and region, pages merged, as the SDK returns them', () => {
      for (const account of [MGMT, LOG, DEV, PROD]) {
        for (const region of ['us-east-1', 'eu-west-1']) {
          expect(existsSync(join(result.dir, `accounts/${account}/${region}/events/ListRules.json`)), `${account} ${region}`).to.equal(true);
        }
      }
      const rules = read(result.dir, `${DEV_EVENTS}/ListRules.json`);
      expect(Object.keys(rules)).to.deep.equal(['Rules']);
      expect(rules['Rules']).to.deep.equal([
        { Name: 'root-usage', Arn: `arn:aws:events:eu-west-1:${DEV}:rule/root-usage`, EventPattern: JSON.stringify(ROOT_USAGE_PATTERN), State: 'ENABLED', EventBusName: 'default' },
        { Name: 'retired', Arn: `arn:aws:events:eu-west-1:${DEV}:rule/retired`, EventPattern: '{"source":["aws.signin"]}', State: 'DISABLED', EventBusName: 'default' },
        { Name: 'ec2-state', Arn: `arn:aws:events:eu-west-1:${DEV}:rule/ec2-state`, EventPattern: '{"source":["aws.ec2"]}', State: 'ENABLED', EventBusName: 'default' },
      ]);
      expect(read(result.dir, `accounts/${MGMT}/us-east-1/events/ListRules.json`)).to.deep.equal({ Rules: [] });
      const devListRules = fake.made('ListRules').filter((c) => c.account === DEV && c.region === 'eu-west-1');
      expect(devListRules.map((c) => c.input['NextToken'])).to.deep.equal([undefined, '2']);
      expect(devListRules.map((c) => c.input['EventBusName'])).to.deep.equal([undefined, undefined]);
    });

    it('stores the targets of each rule, pages merged, and asks only for the rules listed', () => {
      const targets = read(result.dir, `${DEV_EVENTS}/ListTargetsByRule/root-usage.json`);
      expect(Object.keys(targets)).to.deep.equal(['Targets']);
      expect((targets['Targets'] as { Arn: string }[]).map((t) => t.Arn)).to.deep.equal([
        `arn:aws:lambda:eu-west-1:${DEV}:function:notify`, `arn:aws:sqs:eu-west-1:${DEV}:audit-queue`, EVENT_TOPIC_ARN,
      ]);
      expect(read(result.dir, `${DEV_EVENTS}/ListTargetsByRule/retired.json`)).to.deep.equal({ Targets: [] });
      expect(read(result.dir, `${DEV_EVENTS}/ListTargetsByRule/ec2-state.json`)['Targets']).to.have.length(1);
      expect(fake.made('ListTargetsByRule').map((c) => `${c.account}/${c.region} ${String(c.input['Rule'])}`).sort()).to.deep.equal([
        `${DEV}/eu-west-1 ec2-state`, `${DEV}/eu-west-1 retired`, `${DEV}/eu-west-1 root-usage`, `${DEV}/eu-west-1 root-usage`,
      ]);
    });

    it("collects the subscriptions of a topic a rule targets, in the topic's account and region", () => {
      const subs = read(result.dir, `accounts/${DEV}/eu-west-1/sns/ListSubscriptionsByTopic/root-activity.json`);
      expect((subs['Subscriptions'] as { Endpoint: string }[]).map((s) => s.Endpoint)).to.deep.equal(['oncall@example.com']);
      const calls = fake.made('ListSubscriptionsByTopic').filter((c) => c.input['TopicArn'] === EVENT_TOPIC_ARN);
      expect(calls.map((c) => `${c.account}/${c.region}`)).to.deep.equal([`${DEV}/eu-west-1`]);
      expect(result.summary.errors).to.equal(0);
    });

    it('lets the monitoring check pass root usage through the EventBridge rule', async () => {
      const findings = await auditBundle(result.dir);
      const root = findings.results.find((r) => r.checkId === 'monitoring.root-usage' && r.account === DEV);
      expect(root?.status).to.equal('PASS');
      expect(root?.message).to.include('EventBridge rule root-usage');
    });
  });

  describe('failures', () => {
    let fake: FakeAws | undefined;
    afterEach(() => fake?.restore());

    const denying = (op: string, extra: Partial<FakeEstate> = {}): FakeEstate => orgEstate({
      ...extra,
      fault: (c) => (c.service === 'events' && c.op === op && c.account === DEV && c.region === 'eu-west-1' ? awsError('AccessDeniedException', `not authorized to perform events:${op}`, 400) : undefined),
    });

    it('stores a denied ListRules as $error, counts it, asks for no targets there, and collects the rest', async () => {
      fake = new FakeAws(denying('ListRules')).install();
      const result = await collectFake(fake);
      expect(read(result.dir, `${DEV_EVENTS}/ListRules.json`)).to.deep.equal({ $error: { name: 'AccessDeniedException', message: 'not authorized to perform events:ListRules' } });
      expect(result.summary.errors).to.equal(1);
      expect(result.summary.errorsByKind).to.deep.equal({ denied: 1 });
      expect(fake.made('ListTargetsByRule')).to.deep.equal([]);
      expect(existsSync(join(result.dir, `accounts/${DEV}/eu-west-1/sns/ListSubscriptionsByTopic/root-activity.json`))).to.equal(false);
      expect(read(result.dir, `accounts/${DEV}/us-east-1/events/ListRules.json`)).to.deep.equal({ Rules: [] });
      expect(result.usable).to.equal(true);
    });

    it("stores a denied ListTargetsByRule as $error per rule and follows no topic from it", async () => {
      fake = new FakeAws(denying('ListTargetsByRule')).install();
      const result = await collectFake(fake);
      for (const rule of ['root-usage', 'retired', 'ec2-state']) {
        expect(read(result.dir, `${DEV_EVENTS}/ListTargetsByRule/${rule}.json`), rule).to.deep.equal({ $error: { name: 'AccessDeniedException', message: 'not authorized to perform events:ListTargetsByRule' } });
      }
      expect(result.summary.errors).to.equal(3);
      expect(fake.made('ListSubscriptionsByTopic').filter((c) => c.input['TopicArn'] === EVENT_TOPIC_ARN)).to.deep.equal([]);
    });

    it('records a rule whose name cannot be a file name as not collected, and reads the others', async () => {
      fake = new FakeAws(orgEstate({ eventRules: { [`${PROD}/us-east-1`]: [{ name: '..', pattern: { source: ['aws.iam'] }, targets: [] }, { name: 'iam', pattern: { source: ['aws.iam'] }, targets: [] }] } })).install();
      const result = await collectFake(fake);
      expect(result.summary.notCollected.filter((n) => n.kind === 'event-rule')).to.deep.equal([
        { kind: 'event-rule', id: '..', reason: `account ${PROD} us-east-1: the rule's name cannot be a file name` },
      ]);
      expect(fake.made('ListTargetsByRule').map((c) => c.input['Rule'])).to.deep.equal(['iam']);
      expect(read(result.dir, `accounts/${PROD}/us-east-1/events/ListTargetsByRule/iam.json`)).to.deep.equal({ Targets: [] });
    });
  });
});
