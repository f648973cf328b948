import { expect } from 'chai';
import { findEvents } from '../../src/events/find.js';
import { localLogs } from '../../src/events/readers/local.js';
import type { ScanScope } from '../../src/events/readers/types.js';
import type { CloudTrailRecord } from '../../src/events/record.js';
import { Prefilter } from '../../src/events/prefilter.js';
import { arnName, compileQuery, queryExpr, type EventQuery } from '../../src/events/search.js';
import { record, tempDir, writeLog } from './helpers.js';

const ALL: ScanScope = { from: null, to: null, accounts: [], regions: [] };

const winterDeletes = record({
  time: '2026-09-14T03:32:07Z', name: 'DeleteBucket', account: '444444444444', user: 'Winter', ip: '192.0.2.55',
  params: { bucketName: 'example-prod-customer-data', Host: 'example-prod-customer-data.s3.amazonaws.com' },
});
const roleDenied = record({
  time: '2026-09-14T04:00:00Z', name: 'GetSecretValue', source: 'secretsmanager.amazonaws.com', account: '444444444444', ip: '2001:db8::7',
  role: { name: 'orders-worker', session: 'i-0abc' }, errorCode: 'AccessDenied', params: { secretId: 'prod/db' },
  resources: [{ ARN: 'arn:aws:secretsmanager:us-east-1:444444444444:secret:prod/db-AbCdEf', type: 'AWS::SecretsManager::Secret' }],
});
const rootLogin: CloudTrailRecord = {
  ...record({ time: '2026-09-13T08:14:52Z', name: 'ConsoleLogin', source: 'signin.amazonaws.com', ip: '203.0.113.10', params: null }),
  userIdentity: { type: 'Root', principalId: '111111111111', arn: 'arn:aws:iam::111111111111:root', accountId: '111111111111' },
};
const failedLogin: CloudTrailRecord = {
  ...record({ time: '2026-09-13T09:00:00Z', name: 'ConsoleLogin', source: 'signin.amazonaws.com', ip: 'AWS Internal', params: null, errorMessage: 'Failed authentication' }),
  userIdentity: { type: 'IAMUser', principalId: '111111111111', accountId: '111111111111' },
  additionalEventData: { UserName: 'marco', MFAUsed: 'No' },
};
const ALL_EVENTS = [winterDeletes, roleDenied, rootLogin, failedLogin];

function names(query: Partial<EventQuery>): string[] {
  const test = compileQuery({ names: [], errorsOnly: false, ...query });
  return ALL_EVENTS.filter(test).map((r) => `${r.eventName}@${r.eventTime}`);
}

describe('event search filters', () => {
  it('--name matches any of the names given, ignoring case', () => {
    expect(names({ names: ['deletebucket', 'ConsoleLogin'] })).to.deep.equal(['DeleteBucket@2026-09-14T03:32:07Z', 'ConsoleLogin@2026-09-13T08:14:52Z', 'ConsoleLogin@2026-09-13T09:00:00Z']);
  });

  it('--user finds a user by name or ARN, a role session by role name, session or role ARN, root, and a failed sign-in', () => {
    expect(names({ user: 'winter' })).to.deep.equal(['DeleteBucket@2026-09-14T03:32:07Z']);
    expect(names({ user: 'arn:aws:iam::444444444444:user/Winter' })).to.deep.equal(['DeleteBucket@2026-09-14T03:32:07Z']);
    expect(names({ user: 'orders-worker' })).to.deep.equal(['GetSecretValue@2026-09-14T04:00:00Z']);
    expect(names({ user: 'i-0abc' })).to.deep.equal(['GetSecretValue@2026-09-14T04:00:00Z']);
    expect(names({ user: 'arn:aws:iam::444444444444:role/orders-worker' })).to.deep.equal(['GetSecretValue@2026-09-14T04:00:00Z']);
    expect(names({ user: 'root' })).to.deep.equal(['ConsoleLogin@2026-09-13T08:14:52Z']);
    expect(names({ user: 'marco' })).to.deep.equal(['ConsoleLogin@2026-09-13T09:00:00Z']);
    expect(names({ user: 'Wint' })).to.deep.equal([]);
  });

  it('--ip takes an address, an IPv4 or IPv6 block, or a service name', () => {
    expect(names({ ip: '192.0.2.55' })).to.deep.equal(['DeleteBucket@2026-09-14T03:32:07Z']);
    expect(names({ ip: '192.0.2.0/24' })).to.deep.equal(['DeleteBucket@2026-09-14T03:32:07Z']);
    expect(names({ ip: '192.0.3.0/24' })).to.deep.equal([]);
    expect(names({ ip: '2001:db8::/32' })).to.deep.equal(['GetSecretValue@2026-09-14T04:00:00Z']);
    expect(names({ ip: 'AWS Internal' })).to.deep.equal(['ConsoleLogin@2026-09-13T09:00:00Z']);
    expect(() => compileQuery({ names: [], errorsOnly: false, ip: '192.0.2.0/40' })).to.throw(/--ip 192\.0\.2\.0\/40: bad prefix length/);
    expect(() => compileQuery({ names: [], errorsOnly: false, ip: 'nonsense/8' })).to.throw(/not an address or CIDR block/);
  });

  it('--source takes the service or its endpoint', () => {
    expect(names({ source: 'signin' })).to.have.length(2);
    expect(names({ source: 'secretsmanager.amazonaws.com' })).to.deep.equal(['GetSecretValue@2026-09-14T04:00:00Z']);
  });

  it('--errors-only keeps the calls that failed, a console sign-in that failed (no errorCode) included', () => {
    expect(names({ errorsOnly: true })).to.deep.equal(['GetSecretValue@2026-09-14T04:00:00Z', 'ConsoleLogin@2026-09-13T09:00:00Z']);
  });

  it('--resource finds an ARN or name in the resources or the request parameters', () => {
    expect(names({ resource: 'example-prod-customer-data' })).to.deep.equal(['DeleteBucket@2026-09-14T03:32:07Z']);
    expect(names({ resource: 'arn:aws:s3:::example-prod-customer-data' })).to.deep.equal(['DeleteBucket@2026-09-14T03:32:07Z']);
    expect(names({ resource: 'arn:aws:secretsmanager:us-east-1:444444444444:secret:prod/db-AbCdEf' })).to.deep.equal(['GetSecretValue@2026-09-14T04:00:00Z']);
    expect(names({ resource: 'prod/db' })).to.deep.equal(['GetSecretValue@2026-09-14T04:00:00Z']);
    expect(names({ resource: 'example-prod' })).to.deep.equal([]);
  });

  it('combines filters: every one given must hold', () => {
    expect(names({ names: ['ConsoleLogin'], ip: '203.0.113.0/24' })).to.deep.equal(['ConsoleLogin@2026-09-13T08:14:52Z']);
    expect(names({ names: ['DeleteBucket'], errorsOnly: true })).to.deep.equal([]);
  });

  it('reads the name in an ARN', () => {
    expect(arnName('arn:aws:iam::1:user/path/Winter')).to.equal('Winter');
    expect(arnName('arn:aws:s3:::bucket')).to.equal('bucket');
  });
});

describe('event search results', () => {
  const root = tempDir();
  const times = ['2026-09-14T10:01:00Z', '2026-09-14T10:03:00Z', '2026-09-14T10:02:00Z', '2026-09-14T10:04:00Z'];
  writeLog(root, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T10:05:00Z', records: times.map((t) => record({ time: t, name: 'PutObject' })) });

  it('sorts by time, oldest first or with -time newest first, and keeps the first --limit', async () => {
    const query = { names: [], errorsOnly: false };
    const oldest = await findEvents([localLogs(root, ALL)], { query, scope: ALL, workers: 0, sort: 'time' });
    expect(oldest.events.map((e) => e.eventTime)).to.deep.equal([...times].sort());
    const newest = await findEvents([localLogs(root, ALL)], { query, scope: ALL, workers: 0, sort: '-time', limit: 2 });
    expect(newest.events.map((e) => e.eventTime)).to.deep.equal(['2026-09-14T10:04:00Z', '2026-09-14T10:03:00Z']);
    expect(newest.stats.found).to.equal(4);
  });

  it('finds with the raw-text prefilter exactly what it finds parsing every record, counts in scope included', async function () {
    this.timeout(30_000);
    const dir = tempDir();
    // Names in other letter cases, a name nested in a request, an escape and non-ASCII text: the prefilter's edge cases.
    const odd = [
      { ...winterDeletes, eventID: 'upper', eventName: 'DELETEBUCKET' },
      { ...rootLogin, eventID: 'nested', eventName: 'ListBuckets', requestParameters: { nested: [{ eventName: 'DeleteBucket' }] } },
      { ...roleDenied, eventID: 'escaped', eventName: 'DeleteBucket', requestParameters: { note: 'a "quoted" text' } },
      { ...roleDenied, eventID: 'accented', eventName: 'GetSecretValue', userAgent: 'Grüße' },
      { ...failedLogin, eventID: 'no-code', errorCode: undefined },
    ] as CloudTrailRecord[];
    const many = Array.from({ length: 60 }, (_, i) => ({ ...[...ALL_EVENTS, ...odd][i % 9], eventID: `e${i}`, eventTime: `2026-09-1${3 + (i % 3)}T0${i % 10}:00:00Z` }) as CloudTrailRecord);
    writeLog(dir, { account: '444444444444', region: 'us-east-1', delivered: '2026-09-15T10:00:00Z', records: [...ALL_EVENTS, ...odd, ...many] });
    const queries: EventQuery[] = [
      { names: ['DeleteBucket'], errorsOnly: false },
      { names: ['consolelogin', 'GetSecretValue'], errorsOnly: true },
      { names: [], source: 'secretsmanager', errorsOnly: false },
      { names: [], errorsOnly: true },
      { names: [], user: 'arn:aws:iam::444444444444:role/orders-worker', errorsOnly: false },
      { names: [], user: 'Winter', errorsOnly: false },
      { names: ['DeleteBucket'], ip: '192.0.2.0/24', errorsOnly: false },
    ];
    expect(queries.map((q) => Prefilter.forExprs([queryExpr(q)]) !== null), 'prefilter on, except for a user name alone').to.deep.equal([true, true, true, true, true, false, true]);
    const scopes: ScanScope[] = [ALL, { from: Date.parse('2026-09-14T00:00:00Z'), to: null, accounts: ['444444444444'], regions: [] }];
    for (const query of queries) {
      for (const scope of scopes) {
        const run = (prefilter: boolean): ReturnType<typeof findEvents> => findEvents([localLogs(dir, ALL)], { query, scope, workers: 0, sort: 'time', prefilter });
        const [fast, plain] = [await run(true), await run(false)];
        const label = JSON.stringify({ query, scope });
        expect(fast.events, label).to.deep.equal(plain.events);
        expect([fast.stats.events, fast.stats.eventsInScope, fast.stats.found], label).to.deep.equal([plain.stats.events, plain.stats.eventsInScope, plain.stats.found]);
      }
    }
    const deletions = await findEvents([localLogs(dir, ALL)], { query: queries[0] as EventQuery, scope: ALL, workers: 0, sort: 'time' });
    expect(deletions.events.map((e) => e.eventID)).to.include.members(['upper', 'escaped']).and.not.include('nested');
  });
});
