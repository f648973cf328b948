// The investigator's questions at the terminal: `events --since/--tz/--id` and `scan`'s resource column and
// grouped rows, run through the CLI in-process (the terminal shape is in test/cli/terminal.test.ts).
import { expect } from 'chai';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { sinceFrom, sinceMs, timeFormat } from '../../src/cli/time-options.js';
import { packageRoot } from '../../src/paths.js';
import { requireDemoBundle } from '../helpers/demo-bundle.js';
import { eventRule, record, ruleDir, tempDir, writeLog } from './helpers.js';

const demo = join(packageRoot, 'examples', 'demo-org');
const DEMO_DELETE_BUCKET = 'c034be56-2178-48ce-a9e7-41fc5e7a6bd8';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main([...args, '--no-progress'], io);
  return { code, out: io.out, err: io.err };
}

describe('the investigator\'s questions (events, scan)', () => {
  const logs = tempDir();
  const deleted = record({ time: '2026-09-14T03:32:07Z', name: 'DeleteBucket', account: '444444444444', user: 'Winter', ip: '192.0.2.55', params: { bucketName: 'example-prod-customer-data' }, id: 'aaaaaaaa-0000-4000-8000-000000000001' });
  const puts = ['logs-a', 'logs-b', 'logs-c'].map((bucket, i) => record({ time: `2026-09-14T03:4${i}:00Z`, name: 'PutBucketPolicy', account: '444444444444', user: 'marco', params: { bucketName: bucket } }));
  writeLog(logs, { account: '444444444444', region: 'us-east-1', delivered: '2026-09-14T03:45:00Z', records: [deleted, ...puts] });

  describe('time flags', () => {
    it('reads --since in minutes, hours, days and weeks, and refuses other forms naming them', () => {
      expect([sinceMs('30m'), sinceMs('2h'), sinceMs('7d'), sinceMs('2w')]).to.deep.equal([1_800_000, 7_200_000, 604_800_000, 1_209_600_000]);
      expect(sinceFrom('2h', Date.parse('2026-10-01T06:00:00Z'))).to.equal('2026-10-01T04:00:00.000Z');
      for (const bad of ['2', 'h', '0d', '-1d', '3y', '99999w']) expect(() => sinceMs(bad), bad).to.throw(/--since .*m minutes, h hours, d days, w weeks/);
    });

    it('shows instants in a named zone with its offset, UTC unchanged, and refuses an unknown zone', () => {
      expect(timeFormat(undefined)('2026-09-14T03:32:07Z')).to.equal('2026-09-14T03:32:07Z');
      expect(timeFormat('utc')('2026-09-14T03:32:07Z')).to.equal('2026-09-14T03:32:07Z');
      expect(timeFormat('Europe/Berlin')('2026-09-14T03:32:07Z')).to.equal('2026-09-14T05:32:07+02:00');
      expect(timeFormat('America/New_York')('2026-01-14T03:32:07Z')).to.equal('2026-01-13T22:32:07-05:00');
      expect(timeFormat('LOCAL')('2026-09-14T03:32:07Z')).to.match(/^2026-09-1\dT\d\d:\d\d:07[+-]\d\d:\d\d$/);
      expect(() => timeFormat('Mars/Base')).to.throw(/--tz Mars\/Base: not a time zone/);
    });
  });

  describe('events', () => {
    it('answers "who deleted this bucket?" in the demo organization in one row', async function () {
      requireDemoBundle(this);
      const { code, out, err } = await run(['events', '--bundle', demo, '--resource', 'example-prod-customer-data', '--name', 'DeleteBucket']);
      expect(code, err).to.equal(0);
      const rows = out.trimEnd().split('\n').slice(2);
      expect(rows).to.have.length(1);
      expect(rows[0]).to.match(/^2026-09-14T03:32:07Z\s+DeleteBucket\s+example-prod-customer-data\s+s3\s+arn:aws:iam::444444444444:user\/Winter\s+192\.0\.2\.55/);
    });

    it('counts --since back from a bundle\'s collectedAt, so a saved bundle answers the same later', async function () {
      requireDemoBundle(this);
      // The demo was collected 2026-10-01T06:00Z; its bucket was deleted 2026-09-14T03:32Z, 17 days before.
      const inside = await run(['events', '--bundle', demo, '--name', 'DeleteBucket', '--since', '18d']);
      expect(inside.out, inside.err).to.contain('example-prod-customer-data');
      const outside = await run(['events', '--bundle', demo, '--name', 'DeleteBucket', '--since', '16d']);
      expect(outside.code).to.equal(0);
      expect(outside.out).to.equal('no events match\n');
    });

    it('counts --since back from now for a log folder, and refuses it beside --from', async () => {
      const recent = await run(['events', '--logs', logs, '--since', '1h']);
      expect(recent.code).to.equal(0);
      expect(recent.out).to.equal('no events match\n');
      const both = await run(['events', '--logs', logs, '--since', '1h', '--from', '2026-09-01']);
      expect(both.code).to.equal(2);
      expect(both.err).to.match(/^trailproof: --since 1h cannot be combined with --from, --to or --period/);
    });

    it('shows the table\'s times in the --tz zone and keeps UTC in CSV; an unknown zone is exit 2', async () => {
      const berlin = await run(['events', '--logs', logs, '--name', 'DeleteBucket', '--tz', 'Europe/Berlin']);
      expect(berlin.out).to.contain('2026-09-14T05:32:07+02:00').and.not.contain('03:32:07Z');
      const csv = await run(['events', '--logs', logs, '--name', 'DeleteBucket', '--tz', 'Europe/Berlin', '--format', 'csv']);
      expect(csv.out.split('\r\n')[1]).to.match(/^2026-09-14T03:32:07Z,DeleteBucket,/);
      const bad = await run(['events', '--logs', logs, '--tz', 'Nowhere/Town']);
      expect(bad.code).to.equal(2);
      expect(bad.err).to.equal('trailproof: --tz Nowhere/Town: not a time zone: give UTC, LOCAL or an IANA zone name such as Europe/Berlin or America/New_York\n');
    });

    it('tells one event by --id in words, then its raw record', async () => {
      const { code, out } = await run(['events', '--logs', logs, '--id', 'aaaaaaaa-0000-4000-8000-000000000001', '--quiet']);
      expect(code).to.equal(0);
      const [account, raw] = out.split('\n\n');
      expect(account?.split('\n')[0]).to.equal('arn:aws:iam::444444444444:user/Winter (IAMUser) called DeleteBucket on s3 for example-prod-customer-data.');
      expect(account).to.contain('when:      2026-09-14T03:32:07Z').and.contain('from 192.0.2.55').and.contain('result:    succeeded').and.contain('resource:  example-prod-customer-data');
      expect(JSON.parse(raw ?? '')).to.deep.equal(deleted);
    });

    it('finds the demo\'s bucket deletion by its id', async function () {
      requireDemoBundle(this);
      const { code, out } = await run(['events', '--bundle', demo, '--id', DEMO_DELETE_BUCKET, '--quiet']);
      expect(code).to.equal(0);
      expect(out.split('\n')[0]).to.contain('user/Winter').and.contain('DeleteBucket').and.contain('example-prod-customer-data');
    });

    it('answers an id that is not there with nothing on stdout, a message on stderr and exit 0', async () => {
      const { code, out, err } = await run(['events', '--logs', logs, '--id', 'no-such-id', '--quiet']);
      expect(code).to.equal(0);
      expect(out).to.equal('');
      expect(err).to.equal(`trailproof: no event with id no-such-id in logs ${logs}\n`);
    });
  });

  describe('scan', () => {
    const rules = ruleDir({ 'policy.yml': eventRule('bucket-policy-changed', 'PutBucketPolicy', 'medium'), 'deleted.yml': eventRule('bucket-deleted', 'DeleteBucket', 'high') });

    it('shows each detection\'s resource and groups a rule\'s detections into one row with a count', async () => {
      const { out } = await run(['scan', '--logs', logs, '--rules', rules, '--no-builtin-rules', '--fail-on', 'none']);
      const lines = out.trimEnd().split('\n');
      expect(lines[0]).to.match(/^SEVERITY\s+RULE\s+WHEN\s+COUNT\s+RESOURCE\s+WHO/);
      expect(lines).to.have.length(4);
      expect(lines.find((l) => l.includes('bucket-deleted'))).to.match(/bucket-deleted\s+2026-09-14T03:32:07Z\s+1\s+example-prod-customer-data\s+arn:aws:iam::444444444444:user\/Winter/);
      expect(lines.find((l) => l.includes('bucket-policy-changed'))).to.match(/bucket-policy-changed\s+2026-09-14T03:40:00Z \.\. 2026-09-14T03:42:00Z\s+3\s+3 resources\s+arn:aws:iam::444444444444:user\/marco/);
    });

    it('shows every detection with --no-group or --wide; findings.json keeps each either way', async () => {
      for (const flag of ['--no-group', '--wide']) {
        const { out } = await run(['scan', '--logs', logs, '--rules', rules, '--no-builtin-rules', '--fail-on', 'none', flag]);
        const rows = out.trimEnd().split('\n').slice(2);
        expect(rows, flag).to.have.length(4);
        expect(rows.filter((r) => r.includes('bucket-policy-changed')).map((r) => /logs-[abc]/.exec(r)?.[0])).to.deep.equal(['logs-a', 'logs-b', 'logs-c']);
      }
      const json = await run(['scan', '--logs', logs, '--rules', rules, '--no-builtin-rules', '--fail-on', 'none', '--format', 'json']);
      expect((JSON.parse(json.out) as { detections: unknown[] }).detections).to.have.length(4);
    });
  });
});
