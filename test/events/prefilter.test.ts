import { expect } from 'chai';
import { Prefilter } from '../../src/events/prefilter.js';
import type { CloudTrailRecord } from '../../src/events/record.js';
import { localLogs } from '../../src/events/readers/local.js';
import { FULL_SCOPE } from '../../src/events/readers/types.js';
import { ruleSources } from '../../src/events/rules.js';
import { scanEvents } from '../../src/events/scan.js';
import { compileSources, loadRules, type RuleSet } from '../../src/events/sigma/index.js';
import { requireSigmaHq, SIGMAHQ_DIR } from '../helpers/sigmahq.js';
import { tempDir, writeLog } from './helpers.js';
import { detect } from './sigma/helpers.js';
import { ct, root } from './sigma/records.js';
import { SIGMAHQ_CASES } from './sigma/sigmahq-events.js';


function builtins(): RuleSet {
  return compileSources(ruleSources({ builtin: true, dirs: [] }).sources).ruleSet;
}

function logFile(records: readonly CloudTrailRecord[]): string {
  return JSON.stringify({ Records: records });
}

/** A data event no built-in rule matches. */
function quiet(overrides: Partial<CloudTrailRecord> & Record<string, unknown> = {}): CloudTrailRecord {
  return ct({ eventName: 'GetObject', readOnly: true, managementEvent: false, eventCategory: 'Data', ...overrides });
}

/** The record with a field set to a value of another type than the record type says. */
function odd(record: CloudTrailRecord, field: string, value: unknown): CloudTrailRecord {
  (record as Record<string, unknown>)[field] = value;
  return record;
}

/** Every record the rules match, and more: the same events with their values in other letter cases. */
function corpus(): CloudTrailRecord[] {
  const cases = Object.values(SIGMAHQ_CASES).flatMap((c) => [...c.match, ...c.nearMiss]);
  const upper = cases.map((r) => ({ ...r, eventName: String(r.eventName).toUpperCase(), eventSource: String(r.eventSource).toUpperCase() }));
  const lower = cases.map((r) => ({ ...r, eventName: String(r.eventName).toLowerCase() }));
  const extra = [
    ct({ userIdentity: { ...root(), type: 'ROOT' } }),
    ct({ userIdentity: root(), eventName: 'GetObject', readOnly: true, managementEvent: false }),
    ct({ eventName: 'CreateLogStream', eventSource: 'logs.amazonaws.com', readOnly: false }),
    ct({ eventName: 'DescribeInstances', eventSource: 'ec2.amazonaws.com', errorCode: 'Client.UnauthorizedOperation' }),
    odd(ct({ eventName: 'GetBucketAcl', errorCode: 'accessdenied' }), 'managementEvent', 'TRUE'),
    odd(ct({ eventName: 'PutObject', managementEvent: true }), 'readOnly', 'FALSE'),
    quiet(),
    quiet({ errorCode: 'NoSuchKey' }),
    ct({ eventName: 'ListBuckets', requestParameters: { note: 'a "quoted" text with a \\ backslash' } }),
    ct({ eventName: 'ListBuckets', userAgent: 'Grüße' }),
    ct({ eventName: 'ListBuckets', requestParameters: { nested: [{ eventName: 'StopLogging' }] } }),
  ];
  return [...cases, ...upper, ...lower, ...extra];
}

/** The ordinals of the records some rule matches. */
function matching(ruleSet: RuleSet, records: readonly CloudTrailRecord[]): number[] {
  return records.flatMap((r, i) => (ruleSet.matchIndices(r).length > 0 ? [i] : []));
}

describe('The raw-text prefilter', function () {
  it('picks every record a built-in rule matches, with the rules it matches among those it could', function () {
    const ruleSet = builtins();
    const prefilter = Prefilter.build(ruleSet) as Prefilter;
    expect(prefilter).to.not.equal(null);
    const records = corpus();
    const selection = prefilter.select(logFile(records), false);
    expect(selection).to.not.equal(null);
    const picked = new Set(selection?.candidates);
    for (const i of matching(ruleSet, records)) {
      expect(picked.has(i), `record ${i} (${String(records[i]?.eventName)})`).to.equal(true);
      const possible = selection?.possible[selection.candidates.indexOf(i)];
      const record = records[i] as CloudTrailRecord;
      if (possible !== null && possible !== undefined) for (const o of ruleSet.matchIndices(record)) expect(possible[o], `record ${i}, rule ${ruleSet.rules[o]?.ruleId ?? ''}`).to.equal(1);
      expect(ruleSet.matchIndices(record, possible ?? undefined)).to.deep.equal(ruleSet.matchIndices(record));
    }
    expect(selection?.count).to.equal(records.length);
    expect(picked.size).to.be.below(records.length);
  });

  it('cuts the file into the records as they were written', function () {
    const records = corpus();
    const text = logFile(records);
    const selection = Prefilter.build(builtins())?.select(text, false);
    records.forEach((r, i) => expect(JSON.parse(text.slice(selection?.starts[i], selection?.ends[i]))).to.deep.equal(r));
  });

  it('picks records with an escape or a character beyond ASCII whatever their keys say', function () {
    const records = [quiet({ requestParameters: { note: 'a "quoted" text' } }), quiet({ userAgent: 'Grüße' }), quiet()];
    const selection = Prefilter.build(builtins())?.select(logFile(records), false);
    expect([...(selection?.candidates ?? [])]).to.deep.equal([0, 1]);
  });

  it('finds the key at any depth, so a record whose nested request names a rule API is parsed too', function () {
    const records = [quiet({ requestParameters: { nested: [{ eventName: 'StopLogging' }] } }), quiet()];
    const selection = Prefilter.build(builtins())?.select(logFile(records), true);
    expect([...(selection?.candidates ?? [])]).to.deep.equal([0]);
  });

  it('reads booleans, numbers and structures as the rules compare them', function () {
    const ruleSet = compileSources([{ file: 'r.yml', text: 'title: t\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  s:\n    requestParameters.maxCount: 1.5\n    readOnly: false\n  condition: s\n' }]).ruleSet;
    const prefilter = Prefilter.build(ruleSet) as Prefilter;
    const records = [
      ct({ requestParameters: { maxCount: 1.5 }, readOnly: false }),
      ct({ requestParameters: { maxCount: 15 }, readOnly: false }),
      ct({ requestParameters: { maxCount: [1.5] }, readOnly: false }),
      ct({ requestParameters: { maxCount: 1.5 }, readOnly: true }),
    ];
    const text = logFile(records).replace('"maxCount":1.5,', '"maxCount":1.50,');
    expect([...(prefilter.select(text, true)?.candidates ?? [])]).to.deep.equal([0, 2]);
  });

  it('finds keys longer than its needle, and keys without a capital letter, only where the whole key is', function () {
    const text = 'title: t\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  s:\n    requestParameters.errorMessageDetail: x\n    requestParameters.policytype: y\n  condition: s\n';
    const prefilter = Prefilter.build(compileSources([{ file: 'r.yml', text }]).ruleSet) as Prefilter;
    // errorMessageDetail's needle is `Messag` (V8 finds short needles fastest); policytype's is `ype"`.
    expect(prefilter.plan.keys).to.deep.equal(['errorMessageDetail', 'policytype']);
    const records = [
      ct({ requestParameters: { errorMessageDetail: 'x', policytype: 'y' } }),
      ct({ requestParameters: { errorMessage: 'x', policytype: 'y' } }),
      ct({ requestParameters: { errorMessageDetails: 'x', policytype: 'y' } }),
      ct({ requestParameters: { errorMessageDetail: 'x', type: 'y' } }),
      ct({ requestParameters: { xerrorMessageDetail: 'x', policytype: 'y' } }),
      ct({ requestParameters: { errorMessageDetail: 'x', nested: { policytype: 'y' } } }),
    ];
    expect([...(prefilter.select(logFile(records), true)?.candidates ?? [])]).to.deep.equal([0, 5]);
  });

  it('declines a file not in the form CloudTrail writes, to have it parsed whole', function () {
    const prefilter = Prefilter.build(builtins()) as Prefilter;
    const records = [ct({}), ct({})];
    expect(prefilter.select(JSON.stringify({ Records: records }, null, 2), true)).to.equal(null);
    expect(prefilter.select(JSON.stringify({ Records: [] }), true)).to.equal(null);
    expect(prefilter.select(JSON.stringify({ Records: records.map(({ eventVersion: _v, ...rest }) => rest) }), true)).to.equal(null);
    expect(prefilter.select(JSON.stringify({ Records: records, Other: 1 }), true)).to.equal(null);
  });

  it('is off when a rule could match a record without any value it needs (every record is parsed)', function () {
    const rule = detect('  filter:\n    eventName: ListBuckets\n  condition: not filter\n');
    const ruleSet = compileSources([{ file: 'not.yml', text: `title: t\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  filter:\n    eventName: ListBuckets\n  condition: not filter\n` }]).ruleSet;
    expect(rule.match(ct({ eventName: 'GetObject' }))).to.equal(true);
    expect(Prefilter.build(ruleSet)).to.equal(null);
  });

  it('picks every record a SigmaHQ rule matches, when those rules leave it on', function () {
    requireSigmaHq(this);
    const { ruleSet } = loadRules(SIGMAHQ_DIR);
    const prefilter = Prefilter.build(ruleSet);
    if (prefilter === null) return;
    const records = corpus();
    const picked = new Set(prefilter.select(logFile(records), false)?.candidates);
    for (const i of matching(ruleSet, records)) expect(picked.has(i), `record ${i} (${String(records[i]?.eventName)})`).to.equal(true);
  });

  it('gives a scan the detections and counts of the plain path, in threads and in this one', async function () {
    this.timeout(60_000);
    const dir = tempDir();
    const records = corpus();
    const half = Math.floor(records.length / 2);
    writeLog(dir, { account: '111122223333', region: 'us-east-1', delivered: '2026-09-14T04:00:00Z', records: records.slice(0, half) });
    writeLog(dir, { account: '111122223333', region: 'us-east-1', delivered: '2026-09-14T04:05:00Z', records: records.slice(half), suffix: 'QqRrSsTtUuVvWwXx', plain: true });
    const rules = ruleSources({ builtin: true, dirs: [] }).sources;
    const run = (workers: number, prefilter: boolean): ReturnType<typeof scanEvents> => scanEvents([localLogs(dir, FULL_SCOPE)], { rules, scope: FULL_SCOPE, workers, spawnAfterMs: 0, prefilter });
    const plain = await run(0, false);
    expect(plain.detections.length).to.be.above(10);
    for (const workers of [0, 2]) {
      const fast = await run(workers, true);
      expect(fast.detections).to.deep.equal(plain.detections);
      expect([fast.stats.events, fast.stats.eventsInScope, fast.stats.files]).to.deep.equal([plain.stats.events, plain.stats.eventsInScope, plain.stats.files]);
    }
  });

  it('stays on with --from/--to, --accounts and --regions, and counts the unparsed records in scope as the plain path does', async function () {
    this.timeout(60_000);
    const dir = tempDir();
    const start = Date.parse('2026-09-14T00:00:00Z');
    const accounts = ['111122223333', '444455556666'];
    const regions = ['us-east-1', 'eu-west-1'];
    // Spread over two days, two accounts and two regions, in one file, so only the records' own fields decide.
    const records = corpus().map((r, i) => ({ ...r, eventTime: new Date(start + i * 97_000).toISOString().replace(/\.\d{3}Z$/, 'Z'), recipientAccountId: accounts[i % 2], awsRegion: regions[(i >> 1) % 2] }) as CloudTrailRecord);
    writeLog(dir, { account: '111122223333', region: 'us-east-1', delivered: '2026-09-16T00:00:00Z', records });
    const scope = { from: start + 6 * 3_600_000, to: start + 30 * 3_600_000, accounts: ['444455556666'], regions: ['eu-west-1'] };
    const rules = ruleSources({ builtin: true, dirs: [] }).sources;
    const run = (prefilter: boolean): ReturnType<typeof scanEvents> => scanEvents([localLogs(dir, FULL_SCOPE)], { rules, scope, workers: 0, prefilter });
    const plain = await run(false);
    const fast = await run(true);
    expect(plain.stats.eventsInScope).to.be.above(0).and.below(plain.stats.events / 4);
    expect(plain.detections.length).to.be.above(0);
    expect(Prefilter.build(builtins()), 'the prefilter is on for the built-ins').to.not.equal(null);
    expect(fast.detections).to.deep.equal(plain.detections);
    expect(fast.stats.eventsInScope).to.equal(plain.stats.eventsInScope);
  });
});
