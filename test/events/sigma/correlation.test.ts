import { expect } from 'chai';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CloudTrailRecord } from '../../../src/events/record.js';
import { compileSources, Correlator, RuleLoadError, type CorrelationMatch, type RuleSet } from '../../../src/events/sigma/index.js';
import { dedent, LOGSOURCE } from './helpers.js';
import { assumedRole, at, ct, iamUser } from './records.js';

const LS = LOGSOURCE.replace(/\n/g, '\n');

/** A full collection, after the current task (a WeakRef's target stays alive until the task that made the ref ends). */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

const BASE = `title: Console sign-in failure
name: login_failure
${LS}detection:
  sel:
    eventName: ConsoleLogin
    errorMessage: Failed authentication
  condition: sel
---
title: Recon A
name: recon_a
${LS}detection:
  sel:
    eventName: ListUsers
  condition: sel
---
title: Recon B
name: recon_b
${LS}detection:
  sel:
    eventName: ListRoles
  condition: sel
`;

function ruleSetWith(correlation: string, parameters?: Record<string, Record<string, unknown>>): RuleSet {
  const { ruleSet, errors } = compileSources([{ file: 'corr.yml', text: `${BASE}---\n${dedent(correlation)}\n` }], parameters === undefined ? {} : { parameters });
  expect(errors.map((e) => e.message)).to.deep.equal([]);
  return ruleSet;
}

function run(ruleSet: RuleSet, records: CloudTrailRecord[], reorderWindowMs = 0): { matches: CorrelationMatch[]; correlator: Correlator } {
  const correlator = new Correlator(ruleSet, { reorderWindowMs });
  const matches: CorrelationMatch[] = [];
  records.forEach((record, eventIndex) => {
    for (const ordinal of ruleSet.matchIndices(record)) {
      const input = ruleSet.correlationInput(ordinal, record, eventIndex);
      if (input !== null) matches.push(...correlator.push(input));
    }
  });
  matches.push(...correlator.flush());
  return { matches, correlator };
}

const failure = (user: string, seconds: number, ip = '203.0.113.9'): CloudTrailRecord =>
  at(ct({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', userIdentity: { type: 'IAMUser', accountId: '111122223333', principalId: user, userName: user }, sourceIPAddress: ip, errorMessage: 'Failed authentication', responseElements: { ConsoleLogin: 'Failure' } }), seconds);

const EVENT_COUNT = `
  title: Repeated console sign-in failures
  id: login-failures
  level: high
  correlation:
    type: event_count
    rules: [login_failure]
    group-by: [userIdentity.userName]
    timespan: 5m
    condition:
      gte: 5`;

describe('Sigma correlations', function () {
  describe('event_count', function () {
    const ruleSet = ruleSetWith(EVENT_COUNT);

    it('does not fire one event below the threshold', function () {
      expect(run(ruleSet, [0, 30, 60, 90].map((s) => failure('alice', s))).matches).to.deep.equal([]);
    });

    it('fires once at the threshold, with count, first and last seen, the group and samples', function () {
      const { matches } = run(ruleSet, [0, 30, 60, 90, 120].map((s) => failure('alice', s)));
      expect(matches).to.have.length(1);
      const m = matches[0] as CorrelationMatch;
      expect([m.ruleId, m.title, m.severity, m.type, m.count, m.events, m.firstSeen, m.lastSeen]).to.deep.equal(['login-failures', 'Repeated console sign-in failures', 'high', 'event_count', 5, 5, '2026-09-14T03:32:07.000Z', '2026-09-14T03:34:07.000Z']);
      expect(m.groupBy).to.deep.equal({ 'userIdentity.userName': 'alice' });
      expect(m.rules).to.deep.equal(['login_failure']);
      expect(m.samples.map((s) => s.eventIndex)).to.deep.equal([0, 1, 2, 3, 4]);
      expect(m.samples[0]?.summary).to.include({ eventName: 'ConsoleLogin', sourceIPAddress: '203.0.113.9', actorType: 'IAMUser' });
    });

    it('counts a window exactly timespan wide, and not one a second wider', function () {
      expect(run(ruleSet, [0, 60, 120, 180, 300].map((s) => failure('alice', s))).matches).to.have.length(1);
      expect(run(ruleSet, [0, 60, 120, 180, 301].map((s) => failure('alice', s))).matches).to.deep.equal([]);
    });

    it('counts each group apart', function () {
      const records = [0, 10, 20].flatMap((s) => [failure('alice', s), failure('bob', s + 1)]);
      expect(run(ruleSet, records).matches).to.deep.equal([]);
    });

    it('reports a burst once with all its events, and a later burst again', function () {
      const first = [0, 20, 40, 60, 80, 100, 120, 140].map((s) => failure('alice', s));
      const second = [1000, 1010, 1020, 1030, 1040].map((s) => failure('alice', s));
      const { matches } = run(ruleSet, [...first, ...second]);
      expect(matches.map((m) => [m.count, m.firstSeen, m.lastSeen])).to.deep.equal([
        [8, '2026-09-14T03:32:07.000Z', '2026-09-14T03:34:27.000Z'],
        [5, '2026-09-14T03:48:47.000Z', '2026-09-14T03:49:27.000Z'],
      ]);
    });

    it('tests upper bounds against the burst peak', function () {
      const range = ruleSetWith(EVENT_COUNT.replace('gte: 5', 'gte: 2\n      lte: 3'));
      expect(run(range, [0, 10, 20].map((s) => failure('alice', s))).matches.map((m) => m.peak)).to.deep.equal([3]);
      expect(run(range, [0, 10, 20, 30, 40].map((s) => failure('alice', s))).matches).to.deep.equal([]);
    });

    it('keeps only the groups active within the timespan', function () {
      const { correlator } = run(ruleSet, []);
      for (let i = 0; i < 3000; i++) {
        const record = failure(`user${i}`, i * 10);
        for (const ordinal of ruleSet.matchIndices(record)) correlator.push(ruleSet.correlationInput(ordinal, record, i) ?? (null as never));
      }
      // One event every 10 s, a 5 min timespan, swept once per timespan: at most two timespans of groups.
      expect(correlator.stats.groups).to.be.at.most(61);
      expect(correlator.stats.inputs).to.equal(3000);
    });

    it('lets go of the matches a busy group has moved past, summaries and all, before its window is compacted', async function () {
      // A group that never goes quiet nor reaches its condition: its window slides for the whole stream.
      const quiet = ruleSetWith(EVENT_COUNT.replace('gte: 5', 'gte: 100000'));
      const correlator = new Correlator(quiet, { reorderWindowMs: 0 });
      const first: Array<WeakRef<object>> = [];
      let last: WeakRef<object> | undefined;
      for (let i = 0; i < 200; i++) {
        const record = failure('alice', i * 10);
        for (const ordinal of quiet.matchIndices(record)) {
          const input = quiet.correlationInput(ordinal, record, i) ?? (null as never);
          // The first matches are held as samples; at 10 s apart and a 5 min timespan they leave the window early.
          if (i < 5) first.push(new WeakRef(input.summary));
          last = new WeakRef(input.summary);
          correlator.push(input);
        }
      }
      expect(first).to.have.length(5);
      await collectGarbage();
      expect(first.filter((ref) => ref.deref() !== undefined)).to.have.length(0);
      // The correlator itself lived through the collection, holding what is still in its window.
      expect(correlator.stats.groups).to.equal(1);
      expect(last?.deref()).to.not.equal(undefined);
    });
  });

  describe('value_count', function () {
    const ruleSet = ruleSetWith(`
      title: Password spray
      id: password-spray
      correlation:
        type: value_count
        rules: [login_failure]
        group-by: [sourceIPAddress]
        timespan: 10m
        condition:
          field: userIdentity.userName
          gte: 3`);

    it('fires on enough distinct values from one group, listing them', function () {
      const { matches } = run(ruleSet, [failure('alice', 0), failure('bob', 60), failure('alice', 90), failure('carol', 120)]);
      expect(matches.map((m) => [m.count, m.events, m.values, m.groupBy])).to.deep.equal([[3, 4, ['alice', 'bob', 'carol'], { sourceIPAddress: '203.0.113.9' }]]);
    });

    it('does not fire on repeats of one value or on values spread over addresses', function () {
      expect(run(ruleSet, [0, 1, 2, 3, 4, 5].map((s) => failure('alice', s))).matches).to.deep.equal([]);
      expect(run(ruleSet, [failure('alice', 0, '203.0.113.1'), failure('bob', 1, '203.0.113.2'), failure('carol', 2, '203.0.113.3')]).matches).to.deep.equal([]);
    });

    it('leaves out events that lack the counted field', function () {
      const anonymous = { ...failure('x', 3), userIdentity: { type: 'Unknown' } };
      expect(run(ruleSet, [failure('alice', 0), failure('bob', 1), anonymous]).matches).to.deep.equal([]);
    });

    // SendCommand as CloudTrail writes it: requestParameters.instanceIds is the list of targets.
    const sendCommand = (seconds: number, instanceIds: string[]): CloudTrailRecord =>
      at(ct({ eventSource: 'ssm.amazonaws.com', eventName: 'SendCommand', userIdentity: iamUser('winter'), requestParameters: { instanceIds, documentName: 'AWS-RunShellScript', interactive: false } }), seconds);
    const perInstance = (): RuleSet => {
      const { ruleSet: set, errors } = compileSources([
        {
          file: 'ssm.yml',
          text: `title: Command sent\nname: command_sent\n${LS}detection:\n  sel:\n    eventName: SendCommand\n  condition: sel\n---\ntitle: Commands on many instances\nid: many-instances\ncorrelation:\n  type: value_count\n  rules: [command_sent]\n  group-by: [userIdentity.arn]\n  timespan: 10m\n  condition:\n    field: requestParameters.instanceIds\n    gte: 4\n`,
        },
      ]);
      expect(errors.map((e) => e.message)).to.deep.equal([]);
      return set;
    };

    it('counts every distinct element of a list, not its first one', function () {
      const { matches } = run(perInstance(), [sendCommand(0, ['i-0a1', 'i-0b2', 'i-0c3']), sendCommand(60, ['i-0a1', 'i-0d4'])]);
      expect(matches.map((m) => [m.count, m.events, m.values])).to.deep.equal([[4, 2, ['i-0a1', 'i-0b2', 'i-0c3', 'i-0d4']]]);
      expect(run(perInstance(), [sendCommand(0, ['i-0a1', 'i-0b2', 'i-0c3'])]).matches, 'three instances stay under 4').to.deep.equal([]);
    });

    it('forgets every element of a list when its event leaves the window', function () {
      const { matches } = run(perInstance(), [sendCommand(0, ['i-0a1', 'i-0b2', 'i-0c3']), sendCommand(700, ['i-0d4']), sendCommand(760, ['i-0e5'])]);
      expect(matches).to.deep.equal([]);
    });
  });

  describe('temporal and temporal_ordered', function () {
    const listUsers = (s: number, user = 'winter'): CloudTrailRecord => at(ct({ eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', userIdentity: iamUser(user) }), s);
    const listRoles = (s: number, user = 'winter'): CloudTrailRecord => at(ct({ eventSource: 'iam.amazonaws.com', eventName: 'ListRoles', userIdentity: iamUser(user) }), s);
    const temporal = (type: string): RuleSet =>
      ruleSetWith(`
        title: IAM reconnaissance
        id: recon-${type}
        correlation:
          type: ${type}
          rules: [recon_a, recon_b]
          group-by: [userIdentity.arn]
          timespan: 10m`);

    it('temporal: fires when every rule matched within the window, in any order', function () {
      const ruleSet = temporal('temporal');
      const { matches } = run(ruleSet, [listRoles(0), listUsers(600)]);
      expect(matches.map((m) => [m.count, m.rules, m.firstSeen])).to.deep.equal([[2, ['recon_a', 'recon_b'], '2026-09-14T03:32:07.000Z']]);
      expect(run(ruleSet, [listRoles(0), listUsers(601)]).matches).to.deep.equal([]);
      expect(run(ruleSet, [listRoles(0, 'winter'), listUsers(10, 'bob')]).matches).to.deep.equal([]);
    });

    it('temporal_ordered: fires only for the listed order within the window', function () {
      const ruleSet = temporal('temporal_ordered');
      expect(run(ruleSet, [listUsers(0), listRoles(60)]).matches.map((m) => m.samples.map((s) => s.rule))).to.deep.equal([['recon_a', 'recon_b']]);
      expect(run(ruleSet, [listRoles(0), listUsers(60)]).matches).to.deep.equal([]);
      expect(run(ruleSet, [listUsers(0), listRoles(601)]).matches).to.deep.equal([]);
      expect(run(ruleSet, [listUsers(0), listUsers(300), listRoles(900)]).matches.map((m) => m.firstSeen)).to.deep.equal(['2026-09-14T03:37:07.000Z']);
    });

    it('groups across differently named fields through aliases', function () {
      const ruleSet = ruleSetWith(`
        title: Same principal, two views
        id: alias-test
        correlation:
          type: temporal
          rules: [recon_a, recon_b]
          group-by: [who]
          timespan: 10m
          aliases:
            who:
              recon_a: userIdentity.arn
              recon_b: userIdentity.sessionContext.sessionIssuer.arn`);
      const roleCall = at(ct({ eventSource: 'iam.amazonaws.com', eventName: 'ListRoles', userIdentity: assumedRole('admin') }), 30);
      const userCall = at(ct({ eventSource: 'iam.amazonaws.com', eventName: 'ListUsers', userIdentity: { ...iamUser(), arn: 'arn:aws:iam::111122223333:role/admin' } }), 0);
      expect(run(ruleSet, [userCall, roleCall]).matches.map((m) => m.groupBy)).to.deep.equal([{ who: 'arn:aws:iam::111122223333:role/admin' }]);
    });
  });

  describe('streaming', function () {
    const ruleSet = ruleSetWith(EVENT_COUNT);

    it('re-sorts inputs that arrive out of order within the reorder window', function () {
      const records = [0, 120, 30, 90, 60].map((s) => failure('alice', s));
      expect(run(ruleSet, records, 0).correlator.stats.late).to.equal(3);
      const { matches, correlator } = run(ruleSet, records, 5 * 60_000);
      expect(correlator.stats.late).to.equal(0);
      expect(matches.map((m) => [m.count, m.firstSeen, m.lastSeen])).to.deep.equal([[5, '2026-09-14T03:32:07.000Z', '2026-09-14T03:34:07.000Z']]);
    });

    it('re-sorts within 15 minutes by default', function () {
      const correlator = new Correlator(ruleSet);
      const records = [600, 0, 120, 30, 90, 60].map((s) => failure('alice', s));
      const matches = records.flatMap((r, i) => correlator.push(ruleSet.correlationInput(0, r, i) ?? (null as never)));
      matches.push(...correlator.flush());
      expect(correlator.stats.late).to.equal(0);
      expect(matches.map((m) => [m.count, m.firstSeen])).to.deep.equal([[5, '2026-09-14T03:32:07.000Z']]);
    });

    it('counts inputs without a readable time instead of correlating them', function () {
      const { correlator } = run(ruleSet, [{ ...failure('alice', 0), eventTime: 'not a time' }]);
      expect(correlator.stats.untimed).to.equal(1);
    });

    it('keeps a group whose value is missing apart from one whose value is empty text', function () {
      // One group-by field: the value is the group's key as it is (anomaly.ts groupKey), null and '' two keys.
      const records = [0, 10, 20].flatMap((s) => [{ ...failure('x', s), userIdentity: { type: 'Root' } }, failure('', s + 1)]);
      const { matches, correlator } = run(ruleSet, records);
      expect(correlator.stats.inputs).to.equal(6);
      expect(matches.map((m) => [m.groupBy['userIdentity.userName'], m.count])).to.deep.equal([]);
      const more = [0, 10, 20, 30, 40].flatMap((s) => [{ ...failure('x', s), userIdentity: { type: 'Root' } }, failure('', s + 1)]);
      expect(run(ruleSet, more).matches.map((m) => [m.groupBy['userIdentity.userName'], m.count])).to.deep.equal([
        [null, 5],
        ['', 5],
      ]);
    });

    it('gives the same matches for the same inputs', function () {
      const records = [0, 5, 10, 15, 20, 25].flatMap((s) => [failure('alice', s), failure('bob', s)]);
      expect(JSON.stringify(run(ruleSet, records).matches)).to.equal(JSON.stringify(run(ruleSet, records).matches));
    });
  });

  describe('rules and references', function () {
    it('keeps the referenced rules from generating their own matches unless generate is true', function () {
      const quiet = ruleSetWith(EVENT_COUNT);
      expect(quiet.rules.map((r) => [r.ruleId, r.generate])).to.deep.equal([['login_failure', false], ['recon_a', true], ['recon_b', true]]);
      const loud = ruleSetWith(EVENT_COUNT + '\n  generate: true');
      expect(loud.rules[0]?.generate).to.equal(true);
    });

    it('computes correlation inputs only for rules a correlation uses, with the grouping values', function () {
      const ruleSet = ruleSetWith(EVENT_COUNT);
      const record = failure('alice', 0);
      expect(ruleSet.feedsCorrelation(0)).to.equal(true);
      expect(ruleSet.feedsCorrelation(1)).to.equal(false);
      expect(ruleSet.correlationInput(1, record, 0)).to.equal(null);
      expect(ruleSet.correlationInput(0, record, 7)).to.deep.include({ rule: 0, eventIndex: 7, time: Date.parse('2026-09-14T03:32:07Z'), values: { 'userIdentity.userName': 'alice' } });
      expect(ruleSet.correlationInput(0, { ...record, userIdentity: { type: 'Root' } }, 0)?.values).to.deep.equal({ 'userIdentity.userName': null });
    });

    it('refuses a correlation of a rule that is not loaded, or of another correlation', function () {
      const missing = compileSources([{ file: 'c.yml', text: 'title: C\ncorrelation:\n  type: event_count\n  rules: [nowhere]\n  timespan: 5m\n  condition:\n    gte: 2\n' }]);
      expect(missing.errors.map((e) => e.message)).to.deep.equal(['c.yml: rule "C": correlation refers to rule "nowhere", which is not loaded']);
      const chained = compileSources([{ file: 'corr.yml', text: `${BASE}---\n${dedent(EVENT_COUNT)}\n---\ntitle: Chain\ncorrelation:\n  type: event_count\n  rules: [login-failures]\n  timespan: 1h\n  condition:\n    gte: 2\n` }]);
      expect(chained.errors.map((e) => (e instanceof RuleLoadError ? e.feature : null))).to.deep.equal(['correlation chaining']);
      expect(chained.rules.map((r) => r.ruleId)).to.deep.equal(['login_failure', 'recon_a', 'recon_b', 'login-failures']);
    });

    it('refuses incomplete correlations with a reason', function () {
      const bad = (block: string): string => compileSources([{ file: 'b.yml', text: `${BASE}---\ntitle: Bad\ncorrelation:\n${block}` }]).errors.map((e) => e.message).join('');
      expect(bad('  type: event_count\n  rules: [login_failure]\n  timespan: 5m\n')).to.match(/needs a condition/);
      expect(bad('  type: event_count\n  rules: [login_failure]\n  timespan: 5 minutes\n  condition:\n    gte: 2\n')).to.match(/timespan "5 minutes" must be a number and a unit/);
      expect(bad('  type: value_count\n  rules: [login_failure]\n  timespan: 5m\n  condition:\n    gte: 2\n')).to.match(/needs condition.field/);
      expect(bad('  type: event_count\n  rules: [login_failure]\n  timespan: 5m\n  gap: 1m\n  condition:\n    gte: 2\n')).to.match(/unsupported feature correlation.gap/);
    });
  });
});
