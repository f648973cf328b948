import { expect } from 'chai';
import { check as securityGroups } from '../../checks/monitoring/security-group-changes.js';
import { check as rootUsage } from '../../checks/monitoring/root-usage.js';
import { cisControl } from '../../src/monitoring/cis-patterns.js';
import { eventPatternMatcher } from '../../src/monitoring/event-pattern.js';
import { CIS_FILTERS } from '../../scripts/demo-org/monitoring.js';
import { ACCOUNT, HOME, OTHER, chainBundle, run, withEventBridge } from './harness.js';

const SG = cisControl('4.10').pattern;
const SG_EVENTS = cisControl('4.10').positives.map((p) => p.label);

describe('the CIS monitoring chain', () => {
  it('FAILs 4.10 with the v3-era security group filter, naming ModifySecurityGroupRules', () => {
    const r = run(securityGroups, { pattern: CIS_FILTERS.SecurityGroupChanges });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain('metric-filter link').and.contain('metric filter CISFilter misses ModifySecurityGroupRules');
    expect(r.details).to.deep.include({ missedEvents: ['ModifySecurityGroupRules'] });
    expect(r.evidence.map((e) => e.pointer)).to.deep.equal(['/metricFilters/1']);
  });

  it('FAILs on the metric-filter link when no filter on the group matches, and when the filter is on another group', () => {
    const none = run(securityGroups, { pattern: '{ $.eventName = "CreateBucket" }' });
    expect(none.status).to.equal('FAIL');
    expect(none.message).to.contain('no metric filter on log group aws-cloudtrail-logs-org matches the events of CIS 4.10');
    const elsewhere = run(securityGroups, { pattern: SG, filterGroup: 'some-other-group' });
    expect(elsewhere.status).to.equal('FAIL');
    expect(elsewhere.message).to.contain('metric-filter link');
  });

  it('FAILs naming a filter whose pattern cannot be read, never crashing', () => {
    const r = run(securityGroups, { pattern: '{ ($.eventName = CreateSecurityGroup }' });
    expect(r.status).to.equal('FAIL');
    expect(r.message).to.contain('metric filter CISFilter has a pattern we cannot read');
    expect(r.evidence[0]?.pointer).to.equal('/metricFilters/1/filterPattern');
  });

  it('FAILs on the trail link for a single-region trail, a trail without a log group, and (requireAlarmInEachAccount) a group in another account', () => {
    expect(run(securityGroups, { pattern: SG, multiRegion: false }).message).to.contain('trail link').and.contain('is not multi-region');
    expect(run(securityGroups, { pattern: SG, noGroup: true }).message).to.contain('delivers to no CloudWatch Logs group');
    const foreign = run(securityGroups, { pattern: SG, groupAccount: OTHER, central: true }, { requireAlarmInEachAccount: true });
    expect(foreign.status).to.equal('FAIL');
    expect(foreign.message).to.contain(`in another account (${OTHER})`);
  });

  it('PASSes an account whose trail delivers to a central log group in another account with the filter and alarm, citing that chain', () => {
    const r = run(securityGroups, { pattern: SG, groupAccount: OTHER, central: true });
    expect(r.status, r.message).to.equal('PASS');
    expect(r.message).to.contain(`log group aws-cloudtrail-logs-org in account ${OTHER} -> metric filter CISFilter -> alarm cis-alarm -> topic security-alarms`);
    expect(r.evidence.map((e) => e.file)).to.include.members([
      `accounts/${OTHER}/${HOME}/logs/DescribeMetricFilters.json`,
      `accounts/${OTHER}/${HOME}/cloudwatch/DescribeAlarms.json`,
      `accounts/${OTHER}/${HOME}/sns/ListSubscriptionsByTopic/security-alarms.json`,
    ]);
    expect(r.details).to.include({ central: true, logGroupAccount: OTHER, metricFilter: 'CISFilter' });
  });

  it('FAILs a central log group whose filter is narrowed to other accounts\' events (recipientAccountId), naming the group', () => {
    const narrowed = `{ ($.recipientAccountId = "${OTHER}") && (${SG.replace(/^\{\s*|\s*\}$/g, '')}) }`;
    const r = run(securityGroups, { pattern: narrowed, groupAccount: OTHER, central: true });
    expect(r.status, r.message).to.equal('FAIL');
    expect(r.message).to.contain(`no metric filter on log group aws-cloudtrail-logs-org in account ${OTHER} matches the events of CIS 4.10`);
    const own = `{ ($.recipientAccountId = "${ACCOUNT}") && (${SG.replace(/^\{\s*|\s*\}$/g, '')}) }`;
    expect(run(securityGroups, { pattern: own, groupAccount: OTHER, central: true }).status).to.equal('PASS');
  });

  it('FAILs, ERRORs or is MANUAL on a central log group as on a local one: a broken link, an unreadable call, an account not collected', () => {
    const noAlarm = run(securityGroups, { pattern: SG, groupAccount: OTHER, central: true, actionsEnabled: false });
    expect(noAlarm.status).to.equal('FAIL');
    expect(noAlarm.message).to.contain('alarm link').and.contain('actions disabled');
    const denied = run(securityGroups, { pattern: SG, groupAccount: OTHER, central: true, denied: ['filters'] });
    expect(denied.status).to.equal('ERROR');
    expect(denied.message).to.contain(`accounts/${OTHER}/${HOME}/logs/DescribeMetricFilters.json`).and.contain('AccessDeniedException');
    const outside = run(securityGroups, { pattern: SG, groupAccount: OTHER });
    expect(outside.status).to.equal('MANUAL');
    expect(outside.message).to.contain(`The metric filters of log group aws-cloudtrail-logs-org in account ${OTHER}`).and.contain('was not collected');
  });

  it('FAILs on the subscription link when the alarm notifies no SNS topic or the topic has no subscribers', () => {
    expect(run(securityGroups, { pattern: SG, alarmActions: [] }).message).to.contain('subscription link').and.contain('notifies no SNS topic');
    expect(run(securityGroups, { pattern: SG, subscriptions: [] }).message).to.contain('topic security-alarms has no subscriptions');
  });

  it('PASSes when one of several subscriptions is confirmed', () => {
    const r = run(securityGroups, { pattern: SG, subscriptions: ['PendingConfirmation', `arn:aws:sns:${HOME}:${ACCOUNT}:security-alarms:abc`] });
    expect(r.status).to.equal('PASS');
    expect(r.evidence.at(-1)?.pointer).to.equal('/Subscriptions/1');
  });

  it('ERRORs naming the call when alarms, subscriptions, trail status or selectors cannot be read', () => {
    expect(run(securityGroups, { pattern: SG, denied: ['alarms'] }).message).to.contain('DescribeAlarms.json').and.contain('AccessDeniedException');
    expect(run(securityGroups, { pattern: SG, missing: ['subscriptions'] }).message).to.contain('ListSubscriptionsByTopic/security-alarms.json');
    expect(run(securityGroups, { pattern: SG, missing: ['status'] }).status).to.equal('ERROR');
    const selectors = run(securityGroups, { pattern: SG, denied: ['selectors'] });
    expect(selectors.status).to.equal('ERROR');
    expect(selectors.message).to.contain('GetEventSelectors');
  });

  it('is MANUAL when the alarm notifies a topic in an account that was not collected', () => {
    const r = run(securityGroups, { pattern: SG, alarmActions: [`arn:aws:sns:${HOME}:${OTHER}:central-alerts`] });
    expect(r.status).to.equal('MANUAL');
    expect(r.message).to.contain(`The subscriptions of SNS topic arn:aws:sns:${HOME}:${OTHER}:central-alerts was not collected`);
  });

  it('FAILs on the trail link, not ERROR, when the only trail delivers to another account even if its status is unreadable (requireAlarmInEachAccount)', () => {
    const r = run(securityGroups, { pattern: SG, groupAccount: OTHER, missing: ['status'] }, { requireAlarmInEachAccount: true });
    expect(r.status).to.equal('FAIL');
    expect(r.details).to.deep.include({ missingLink: 'trail' });
  });

  it('PASSes through an EventBridge rule to a subscribed topic, labelled as EventBridge', () => {
    const b = withEventBridge(chainBundle({ pattern: '{ $.eventName = "CreateBucket" }' }), {
      source: ['aws.ec2'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['ec2.amazonaws.com'], eventName: SG_EVENTS },
    });
    const r = run(securityGroups, b);
    expect(r.status, r.message).to.equal('PASS');
    expect(r.message).to.contain('through EventBridge').and.contain('EventBridge rule cis-rule');
    expect(r.details).to.include({ via: 'eventbridge', eventBridgeRule: 'cis-rule', verdict: 'exact' });
    expect(r.evidence[0]).to.deep.include({ file: `accounts/${ACCOUNT}/${HOME}/events/ListRules.json`, pointer: '/Rules/0' });
  });

  it('does not accept an EventBridge rule that misses an event or whose topic has no confirmed subscriber', () => {
    const missing = withEventBridge(chainBundle({ pattern: '{ $.eventName = "CreateBucket" }' }), {
      source: ['aws.ec2'], detail: { eventName: SG_EVENTS.filter((n) => n !== 'ModifySecurityGroupRules') },
    });
    expect(run(securityGroups, missing).status).to.equal('FAIL');
    const pending = withEventBridge(chainBundle({ pattern: '{ $.eventName = "CreateBucket" }', subscriptions: ['PendingConfirmation'] }), {
      source: ['aws.ec2'], detail: { eventName: SG_EVENTS },
    });
    expect(run(securityGroups, pending).status).to.equal('FAIL');
  });

  it('accepts an EventBridge rule for root use with exists and anything-but', () => {
    const b = withEventBridge(chainBundle({ pattern: '{ $.eventName = "CreateBucket" }' }), {
      detail: { userIdentity: { type: ['Root'], invokedBy: [{ exists: false }] }, eventType: [{ 'anything-but': 'AwsServiceEvent' }] },
    });
    expect(run(rootUsage, b).status).to.equal('PASS');
  });
});

describe('EventBridge event patterns', () => {
  it('matches prefixes and wraps records the way EventBridge does', () => {
    const m = eventPatternMatcher(JSON.stringify({ source: [{ prefix: 'aws.e' }], 'detail-type': ['AWS API Call via CloudTrail'] }));
    expect(m?.({ eventSource: 'ec2.amazonaws.com', eventName: 'CreateVpc' })).to.equal(true);
    expect(m?.({ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' })).to.equal(false);
  });

  it('does not judge patterns it cannot read', () => {
    expect(eventPatternMatcher('not json')).to.equal(undefined);
    expect(eventPatternMatcher(JSON.stringify({ detail: { x: [{ numeric: ['>', 1] }] } }))).to.equal(undefined);
  });
});
