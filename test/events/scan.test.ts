import { expect } from 'chai';
import { localLogs } from '../../src/events/readers/local.js';
import type { ScanScope } from '../../src/events/readers/types.js';
import { scanEvents } from '../../src/events/scan.js';
import type { RuleSource } from '../../src/events/sigma/index.js';
import { countRule, eventRule, record, tempDir, writeLog, type RecordInput } from './helpers.js';

const ALL: ScanScope = { from: null, to: null, accounts: [], regions: [] };

function rules(files: Record<string, string>): RuleSource[] {
  return Object.entries(files).map(([file, text]) => ({ file, text }));
}

const DELETE_BUCKET = eventRule('bucket-deleted', 'DeleteBucket', 'high');
const DENIED = `title: Denied call
id: denied-call
status: test
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    errorCode:
      - AccessDenied
      - Client.UnauthorizedOperation
  condition: selection
level: low
`;

describe('scan pipeline', () => {
  it('turns a match into a detection that says who, what, when, from where and with what result', async () => {
    const root = tempDir();
    const r = record({
      time: '2026-09-14T03:32:07Z', name: 'DeleteBucket', account: '444444444444', ip: '192.0.2.55',
      role: { name: 'ops-admin', session: 'winter' }, errorCode: 'AccessDenied', errorMessage: 'User is not authorized to perform: s3:DeleteBucket',
      params: { bucketName: 'example-prod-customer-data', Host: 'example-prod-customer-data.s3.amazonaws.com' },
      resources: [{ ARN: 'arn:aws:s3:::example-prod-customer-data', type: 'AWS::S3::Bucket' }],
    });
    writeLog(root, { account: '444444444444', region: 'us-east-1', delivered: '2026-09-14T03:35:00Z', records: [r] });
    const { detections, stats } = await scanEvents([localLogs(root, ALL)], { rules: rules({ 'd.yml': DELETE_BUCKET }), scope: ALL, workers: 0 });
    expect(detections).to.deep.equal([
      {
        ruleId: 'bucket-deleted',
        title: 'DeleteBucket seen (bucket-deleted)',
        severity: 'high',
        eventTime: '2026-09-14T03:32:07Z',
        eventName: 'DeleteBucket',
        eventSource: 's3.amazonaws.com',
        eventId: r.eventID,
        actor: 'arn:aws:sts::444444444444:assumed-role/ops-admin/winter',
        actorType: 'AssumedRole',
        sourceIPAddress: '192.0.2.55',
        userAgent: r.userAgent,
        account: '444444444444',
        region: 'us-east-1',
        errorCode: 'AccessDenied',
        count: 1,
        firstSeen: '2026-09-14T03:32:07Z',
        lastSeen: '2026-09-14T03:32:07Z',
        sessionIssuer: 'arn:aws:iam::444444444444:role/ops-admin',
        requestParameters: { bucketName: 'example-prod-customer-data', Host: 'example-prod-customer-data.s3.amazonaws.com' },
        errorMessage: 'User is not authorized to perform: s3:DeleteBucket',
        resources: ['arn:aws:s3:::example-prod-customer-data'],
      },
    ]);
    expect(stats.detections).to.equal(1);
    expect(stats.rules).to.deep.equal({ event: 1, correlations: 0 });
  });

  it('reports a correlation once per burst with its count, first and last time and grouping', async () => {
    const root = tempDir();
    const denied = (time: string, user: string): ReturnType<typeof record> => record({ time, name: 'ListUsers', source: 'iam.amazonaws.com', user, errorCode: 'AccessDenied' });
    // Five denials by mallory within 4 minutes (at the threshold), four by bob (just below).
    writeLog(root, {
      account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T10:10:00Z',
      records: [
        ...['10:00:00', '10:01:00', '10:02:00', '10:03:00', '10:04:00'].map((t) => denied(`2026-09-14T${t}Z`, 'mallory')),
        ...['10:00:30', '10:01:30', '10:02:30', '10:03:30'].map((t) => denied(`2026-09-14T${t}Z`, 'bob')),
      ],
    });
    const { detections } = await scanEvents([localLogs(root, ALL)], { rules: rules({ 'denied.yml': `${DENIED}---\n${countRule('denied-burst', 'denied-call', 5)}` }), scope: ALL, workers: 0 });
    expect(detections).to.have.length(1);
    const d = detections[0] as Record<string, unknown>;
    expect(d).to.deep.include({
      ruleId: 'denied-burst', severity: 'medium', count: 5, firstSeen: '2026-09-14T10:00:00Z', lastSeen: '2026-09-14T10:04:00Z', eventTime: '2026-09-14T10:00:00Z',
      actor: 'arn:aws:iam::111111111111:user/mallory', 'userIdentity.arn': 'arn:aws:iam::111111111111:user/mallory', correlation: 'event_count', errorCode: 'AccessDenied',
    });
    expect(d['groupBy']).to.deep.equal({ 'userIdentity.arn': 'arn:aws:iam::111111111111:user/mallory' });
    expect(d['samples']).to.have.length(5);
  });

  it('correlates events of several files in time order, whatever order they sit in the files', async () => {
    const root = tempDir();
    const denied = (time: string): ReturnType<typeof record> => record({ time, name: 'GetSecretValue', source: 'secretsmanager.amazonaws.com', user: 'eve', errorCode: 'AccessDenied' });
    // Two accounts' trails deliver interleaved; within a file events are not sorted.
    writeLog(root, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T10:06:00Z', records: [denied('2026-09-14T10:04:00Z'), denied('2026-09-14T10:00:00Z')] });
    writeLog(root, { account: '111111111111', region: 'eu-west-1', delivered: '2026-09-14T10:05:00Z', records: [denied('2026-09-14T10:03:00Z'), denied('2026-09-14T10:01:00Z')] });
    writeLog(root, { account: '111111111111', region: 'us-west-2', delivered: '2026-09-14T10:07:00Z', records: [denied('2026-09-14T10:02:00Z')] });
    const { detections, stats } = await scanEvents([localLogs(root, ALL)], { rules: rules({ 'denied.yml': `${DENIED}---\n${countRule('denied-burst', 'denied-call', 5)}` }), scope: ALL, workers: 0 });
    expect(detections.map((d) => [d.ruleId, d.count, d.firstSeen, d.lastSeen])).to.deep.equal([['denied-burst', 5, '2026-09-14T10:00:00Z', '2026-09-14T10:04:00Z']]);
    expect(stats.late).to.equal(0);
  });

  it('counts an event delivered by two trails once', async () => {
    const root = tempDir();
    const inputs: RecordInput[] = ['10:00:00', '10:01:00', '10:02:00'].map((t) => ({ time: `2026-09-14T${t}Z`, name: 'DeleteBucket', errorCode: 'AccessDenied' }));
    const events = inputs.map(record);
    writeLog(root, { orgId: 'o-a1b2c3d4e5', account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T10:05:00Z', records: events });
    writeLog(root, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T10:06:00Z', records: events });
    const { detections, stats } = await scanEvents([localLogs(root, ALL)], {
      rules: rules({ 'd.yml': DELETE_BUCKET, 'denied.yml': `${DENIED}---\n${countRule('denied-burst', 'denied-call', 4)}` }),
      scope: ALL,
      workers: 0,
    });
    // Three denials, not six: below the threshold of four.
    expect(detections.map((d) => d.ruleId)).to.deep.equal(['bucket-deleted', 'bucket-deleted', 'bucket-deleted']);
    expect(stats.duplicates).to.equal(3);
    expect(stats.events).to.equal(6);
  });

  it('names a rule that does not load and runs the others; names a file that cannot be read and reads the others', async () => {
    const root = tempDir();
    writeLog(root, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T10:05:00Z', records: [record({ time: '2026-09-14T10:01:00Z', name: 'DeleteBucket' })] });
    writeLog(root, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T10:10:00Z', suffix: 'Broken000000000', records: [], bytes: Buffer.from('{"Records": [') });
    const broken = 'title: Broken\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  selection:\n    eventName|nonsense: x\n  condition: selection\n';
    const { detections, stats } = await scanEvents([localLogs(root, ALL)], { rules: rules({ 'broken.yml': broken, 'd.yml': DELETE_BUCKET }), scope: ALL, workers: 0 });
    expect(detections.map((d) => d.ruleId)).to.deep.equal(['bucket-deleted']);
    expect(stats.ruleErrors.map((e) => e.message)).to.have.length(1);
    expect(stats.ruleErrors[0]?.message).to.match(/^broken\.yml/);
    expect(stats.skipped.map((s) => s.name)).to.have.length(1);
    expect(stats.skipped[0]?.name).to.match(/Broken000000000\.json\.gz$/);
    expect(stats.filesSkipped).to.equal(1);
  });

  it('gives the same detections, in the same order, with worker threads as with one thread', async function () {
    this.timeout(60_000);
    const root = tempDir();
    const users = ['alice', 'bob', 'carol', 'dave', 'mallory'];
    const names = ['ListUsers', 'GetSecretValue', 'DeleteBucket', 'PutBucketPolicy', 'DescribeInstances'];
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let f = 0; f < 40; f++) {
      const delivered = Date.parse('2026-09-14T00:05:00Z') + f * 300_000;
      const records = Array.from({ length: 150 }, () => {
        const t = new Date(delivered - 60_000 - next(240) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        const input: RecordInput = { time: t, name: names[next(names.length)] as string, user: users[next(users.length)] as string };
        if (next(3) === 0) input.errorCode = 'AccessDenied';
        return record(input);
      });
      writeLog(root, { account: '111111111111', region: ['us-east-1', 'eu-west-1'][f % 2] as string, delivered: new Date(delivered).toISOString(), suffix: `File${String(f).padStart(11, '0')}`, records });
    }
    const set = rules({ 'd.yml': DELETE_BUCKET, 'denied.yml': `${DENIED}---\n${countRule('denied-burst', 'denied-call', 8, '2m')}`, 'p.yml': eventRule('policy', 'PutBucketPolicy', 'medium') });
    const one = await scanEvents([localLogs(root, ALL)], { rules: set, scope: ALL, workers: 0 });
    const many = await scanEvents([localLogs(root, ALL)], { rules: set, scope: ALL, workers: 2, spawnAfterMs: 0 });
    expect(one.detections.length).to.be.greaterThan(100);
    expect(one.detections.some((d) => d.ruleId === 'denied-burst')).to.equal(true);
    expect(many.stats.workers).to.equal(2);
    expect(many.detections).to.deep.equal(one.detections);
    expect(many.stats.events).to.equal(one.stats.events);
  });
});
