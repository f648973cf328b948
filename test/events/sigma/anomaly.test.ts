import { expect } from 'chai';
import type { CloudTrailRecord } from '../../../src/events/record.js';
import { compileSources, Correlator, type CorrelationMatch, type CorrelationRule, type RuleSet } from '../../../src/events/sigma/index.js';
import { LOGSOURCE } from './helpers.js';
import { ct, iamUser } from './records.js';

const RULES = (condition = 'factor: 5\n    gte: 10', warmup = '10m'): string => `title: API call
name: api_call
${LOGSOURCE}detection:
  sel:
    eventType: AwsApiCall
  condition: sel
---
title: Unusual rate of API calls
correlation:
  type: rate_anomaly
  rules: [api_call]
  group-by: [recipientAccountId, awsRegion, eventSource, eventName]
  timespan: 1m
  baseline: 1h
  warmup: ${warmup}
  condition:
    ${condition}
trailproof:
  id: api-call-rate-anomaly
`;

const START = Date.parse('2026-09-14T00:00:00Z');

function calls(minute: number, n: number, eventName = 'GetObject', who = 'winter'): CloudTrailRecord[] {
  return Array.from({ length: n }, (_, k) =>
    ct({ eventName, eventTime: new Date(START + minute * 60_000 + Math.floor((k * 59_000) / n)).toISOString(), userIdentity: iamUser(who), userAgent: who === 'winter' ? 'aws-cli/2.15' : 'Boto3/1.34', errorCode: who === 'winter' ? undefined : 'AccessDenied' } as Partial<CloudTrailRecord>),
  );
}

/** `perMinute` calls every minute from 0 to `minutes`, with the given bursts (minute -> calls) in place. */
function stream(minutes: number, perMinute: number, bursts: Record<number, number> = {}): CloudTrailRecord[] {
  return Array.from({ length: minutes }, (_, m) => calls(m, bursts[m] ?? perMinute)).flat();
}

function run(ruleSet: RuleSet, records: CloudTrailRecord[]): CorrelationMatch[] {
  const correlator = new Correlator(ruleSet);
  const out: CorrelationMatch[] = [];
  records.forEach((record, i) => {
    for (const ordinal of ruleSet.matchIndices(record)) {
      const input = ruleSet.correlationInput(ordinal, record, i);
      if (input !== null) out.push(...correlator.push(input));
    }
  });
  return [...out, ...correlator.flush()];
}

function ruleSet(condition?: string, warmup?: string): RuleSet {
  const built = compileSources([{ file: 'anomaly.yml', text: RULES(condition, warmup) }]);
  expect(built.errors.map((e) => e.message)).to.deep.equal([]);
  return built.ruleSet;
}

describe('rate_anomaly correlations', function () {
  it('reads interval, baseline, warmup, factor and minimum', function () {
    const c = ruleSet().correlations[0]?.rule as CorrelationRule;
    expect([c.type, c.timespanMs, c.baselineMs, c.warmupMs, c.condition]).to.deep.equal(['rate_anomaly', 60_000, 3_600_000, 600_000, { factor: 5, gte: 10 }]);
  });

  it('reports consecutive unusual intervals as one period with its bounds, total, peak, baseline and top callers', function () {
    const records = [...stream(60, 2, { 40: 30, 41: 25 }), ...calls(40, 6, 'GetObject', 'mallory')].sort((a, b) => (a.eventTime as string).localeCompare(b.eventTime as string));
    const matches = run(ruleSet(), records);
    expect(matches).to.have.length(1);
    const m = matches[0] as CorrelationMatch;
    expect([m.ruleId, m.firstSeen, m.lastSeen, m.count, m.peak]).to.deep.equal(['api-call-rate-anomaly', '2026-09-14T00:40:00.000Z', '2026-09-14T00:42:00.000Z', 61, 36]);
    expect(m.groupBy).to.deep.equal({ recipientAccountId: '111122223333', awsRegion: 'us-east-1', eventSource: 's3.amazonaws.com', eventName: 'GetObject' });
    expect(m.anomaly?.intervals).to.equal(2);
    expect(m.anomaly?.baselineAverage).to.equal(2);
    expect(m.anomaly?.topActors).to.deep.equal([
      { value: 'arn:aws:iam::111122223333:user/winter', count: 55 },
      { value: 'arn:aws:iam::111122223333:user/mallory', count: 6 },
    ]);
    expect(m.anomaly?.topUserAgents.map((t) => t.value)).to.deep.equal(['aws-cli/2.15', 'Boto3/1.34']);
    expect(m.anomaly?.topErrorCodes).to.deep.equal([{ value: 'AccessDenied', count: 6 }]);
    expect(m.samples).to.have.length(10);
  });

  it('needs both the factor over the baseline and the minimum count', function () {
    expect(run(ruleSet(), stream(30, 3, { 20: 14 }))).to.deep.equal([]);
    expect(run(ruleSet(), stream(30, 3, { 20: 15 })).map((m) => m.peak)).to.deep.equal([15]);
    expect(run(ruleSet(), stream(30, 1, { 20: 9 }))).to.deep.equal([]);
    expect(run(ruleSet(), stream(30, 1, { 20: 10 })).map((m) => m.peak)).to.deep.equal([10]);
  });

  it('judges nothing before the warmup and keeps APIs apart', function () {
    expect(run(ruleSet(), stream(30, 1, { 5: 50 }))).to.deep.equal([]);
    const mixed = [...stream(30, 1), ...calls(25, 40, 'PutObject')].sort((a, b) => (a.eventTime as string).localeCompare(b.eventTime as string));
    expect(run(ruleSet(undefined, '0s'), mixed).map((m) => m.groupBy.eventName)).to.deep.equal(['PutObject']);
  });

  it('ends a period at the end of the stream and after a quiet interval', function () {
    expect(run(ruleSet(), stream(30, 1, { 29: 40 })).map((m) => m.lastSeen)).to.deep.equal(['2026-09-14T00:30:00.000Z']);
    const twoPeriods = stream(40, 1, { 20: 40, 22: 40 });
    expect(run(ruleSet(), twoPeriods).map((m) => [m.firstSeen, m.anomaly?.intervals])).to.deep.equal([
      ['2026-09-14T00:20:00.000Z', 1],
      ['2026-09-14T00:22:00.000Z', 1],
    ]);
  });

  it('refuses a rate_anomaly without a baseline and Sigma types with one', function () {
    const bad = compileSources([{ file: 'b.yml', text: RULES().replace('  baseline: 1h\n', '') }]);
    expect(bad.errors.map((e) => e.message).join('')).to.match(/needs baseline/);
    const sigma = compileSources([{ file: 'c.yml', text: RULES().replace('type: rate_anomaly', 'type: event_count').replace('factor: 5\n    ', '') }]);
    expect(sigma.errors.map((e) => e.message).join('')).to.match(/baseline and warmup only apply to rate_anomaly/);
  });
});
