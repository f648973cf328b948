// `trailproof scan` and `trailproof events` as a user runs them: outputs, formats, exit codes, clean stdout.
import { requireDemoBundle } from '../helpers/demo-bundle.js';
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { CSV_COLUMNS } from '../../src/output/events-text.js';
import type { Findings } from '../../src/model/types.js';
import { packageRoot } from '../../src/paths.js';
import { compileSchema, loadSchema } from '../../src/schema.js';
import { BundleBuilder } from '../../fixtures/bundle-builder.js';
import { eventRule, logBytes, logKey, record, ruleDir, tempDir, writeLog } from './helpers.js';

const demo = join(packageRoot, 'examples', 'demo-org');
const validateFindings = compileSchema<Findings>(loadSchema('findings.schema.json'));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main([...args, '--no-progress'], io);
  return { code, out: io.out, err: io.err };
}

function oneLineError(err: string, pattern: RegExp): void {
  const lines = err.trim().split('\n');
  expect(lines, err).to.have.length(1);
  expect(lines[0]).to.match(/^trailproof: /);
  expect(lines[0]).to.match(pattern);
}

describe('trailproof events and scan (CLI)', () => {
  const logs = tempDir();
  const winter = record({ time: '2026-09-14T03:32:07Z', name: 'DeleteBucket', account: '444444444444', user: 'Winter', ip: '192.0.2.55', params: { bucketName: 'example-prod-customer-data' } });
  const other = record({ time: '2026-09-14T03:40:00Z', name: 'ListBuckets', account: '444444444444', user: 'marco', agent: '=HYPERLINK("http://evil.example")\u001b[31m' });
  writeLog(logs, { account: '444444444444', region: 'us-east-1', delivered: '2026-09-14T03:45:00Z', records: [winter, other] });
  const rules = ruleDir({ 'bucket-deleted.yml': eventRule('bucket-deleted', 'DeleteBucket', 'high'), 'list.yml': eventRule('buckets-listed', 'ListBuckets', 'low') });

  describe('events', () => {
    it('prints matching events as an aligned table, the summary on stderr', async () => {
      const { code, out, err } = await run(['events', '--logs', logs, '--name', 'DeleteBucket']);
      expect(code, err).to.equal(0);
      const lines = out.trimEnd().split('\n');
      expect(lines).to.have.length(3);
      expect(lines[0]).to.match(/^TIME\s+EVENT\s+RESOURCE\s+SERVICE\s+ACTOR\s+SOURCE IP\s+USER AGENT\s+ACCOUNT\s+REGION\s+RESULT$/);
      expect(lines[2]).to.contain('2026-09-14T03:32:07Z').and.contain('arn:aws:iam::444444444444:user/Winter').and.contain('192.0.2.55').and.contain('aws-cli/2.17.20');
      // Columns line up: each column starts where its header does.
      expect(lines[2]?.indexOf('192.0.2.55')).to.equal(lines[0]?.indexOf('SOURCE IP'));
      expect(err).to.match(/1 files read, 0 skipped; 2 events/).and.match(/1 matching events/);
    });

    it('writes CSV with a header, quoting, and no formula or escape sequence from a caller-controlled field', async () => {
      const { code, out } = await run(['events', '--logs', logs, '--format', 'csv', '--sort=-time']);
      expect(code).to.equal(0);
      const rows = out.split('\r\n');
      expect(rows[0]).to.equal(CSV_COLUMNS.join(','));
      expect(rows).to.have.length(4);
      expect(rows[1]).to.match(/^2026-09-14T03:40:00Z,ListBuckets,s3\.amazonaws\.com,/);
      expect(rows[1]).to.contain(`"'=HYPERLINK(""http://evil.example"")\u001b[31m"`);
      expect(rows[2]).to.contain(',"{""bucketName"":""example-prod-customer-data""}"');
      const table = await run(['events', '--logs', logs, '--user', 'marco']);
      expect(table.out).to.not.contain('\u001b');
      expect(table.out).to.contain('=HYPERLINK("http://evil.example")?[31m');
    });

    it('writes JSON lines, one CloudTrail record per line, nothing else on stdout', async () => {
      const { code, out, err } = await run(['events', '--logs', logs, '--format', 'jsonl']);
      expect(code, err).to.equal(0);
      const parsed = out.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
      expect(parsed).to.deep.equal([winter, other]);
    });

    it('takes --sort -time as written, the newest first, the same as --sort=-time', async () => {
      const spaced = await run(['events', '--logs', logs, '--format', 'csv', '--sort', '-time']);
      expect(spaced.code, spaced.err).to.equal(0);
      expect(spaced.out).to.equal((await run(['events', '--logs', logs, '--format', 'csv', '--sort=-time'])).out);
      expect(spaced.out.split('\r\n')[1]).to.match(/^2026-09-14T03:40:00Z,/);
      expect((await run(['events', '--logs', logs, '--format', 'csv', '--sort', 'time'])).out).to.not.equal(spaced.out);
    });

    it('refuses bad flags with exit 2 and one line', async () => {
      oneLineError((await run(['events', '--logs', logs, '--ip', '10.0.0.0/99'])).err, /--ip 10\.0\.0\.0\/99: bad prefix length/);
      oneLineError((await run(['events', '--logs', logs, '--limit', '0'])).err, /--limit 0/);
      oneLineError((await run(['events', '--name', 'DeleteBucket'])).err, /no events to read: give --logs/);
      const bad = await run(['events', '--logs', logs, '--period', '2026-Q5']);
      expect(bad.code).to.equal(2);
      oneLineError(bad.err, /--period 2026-Q5/);
    });

    it('shows who deleted the production bucket in the demo organization', async function () {
      requireDemoBundle(this);
      const { code, out, err } = await run(['events', '--name', 'DeleteBucket', '--bundle', demo]);
      expect(code, err).to.equal(0);
      expect(out).to.contain('Winter').and.contain('2026-09-14T03:32:07Z').and.contain('192.0.2.55').and.match(/aws-cli\/\d/);
    });
  });

  describe('scan', () => {
    it('exits 1 for a detection at or above --fail-on (default high), 0 below it or with none', async () => {
      const base = ['scan', '--logs', logs, '--rules', rules, '--no-builtin-rules'];
      const high = await run(base);
      expect(high.code, high.err).to.equal(1);
      expect(high.out).to.match(/^SEVERITY\s+RULE\s+WHEN/).and.contain('bucket-deleted').and.contain('buckets-listed');
      expect(high.err).to.contain('2 detections: 1 high, 1 low').and.contain('gate: --fail-on high -> exit 1');
      expect((await run([...base, '--fail-on', 'critical'])).code).to.equal(0);
      expect((await run([...base, '--fail-on', 'none'])).code).to.equal(0);
      expect((await run([...base, '--fail-on', 'low'])).code).to.equal(1);
      expect((await run([...base, '--from', '2026-09-15'])).code).to.equal(0);
    });

    it('prints the findings file on stdout with --format json: valid, clean, detections sorted, results empty', async () => {
      const { code, out, err } = await run(['scan', '--logs', logs, '--rules', rules, '--no-builtin-rules', '--format', 'json', '--period', '2026-Q3', '--workers', '0']);
      expect(code, err).to.equal(1);
      const findings = JSON.parse(out) as Findings & { scan: { files: { read: number } } };
      expect(validateFindings(findings), JSON.stringify(validateFindings.errors)).to.equal(true);
      expect(findings.results).to.deep.equal([]);
      expect(findings.summary.detections).to.equal(2);
      expect(findings.detections.map((d) => [d.ruleId, d.actor])).to.deep.equal([
        ['bucket-deleted', 'arn:aws:iam::444444444444:user/Winter'],
        ['buckets-listed', 'arn:aws:iam::444444444444:user/marco'],
      ]);
      expect(findings.run.period).to.deep.equal({ from: '2026-07-01T00:00:00.000Z', to: '2026-09-30T23:59:59.999Z' });
      expect(findings.scan.files.read).to.equal(1);
      expect(err).to.contain('gate: --fail-on high -> exit 1');
    });

    it('writes findings.json into --out and the table on stdout', async () => {
      const out = tempDir();
      const res = await run(['scan', '--logs', logs, '--rules', rules, '--no-builtin-rules', '--out', out, '--fail-on', 'none']);
      expect(res.code).to.equal(0);
      const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings;
      expect(findings.detections).to.have.length(2);
      expect(res.out).to.contain('bucket-deleted');
    });

    it('exits 3 when no event could be read at all, naming the files', async () => {
      const broken = tempDir();
      writeLog(broken, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T03:45:00Z', records: [], bytes: Buffer.from('not gzip, not json') });
      const res = await run(['scan', '--logs', broken, '--rules', rules, '--no-builtin-rules']);
      expect(res.code).to.equal(3);
      expect(res.err).to.match(/skipped .*111111111111_CloudTrail_us-east-1_20260914T0345Z_AbCdEfGhIjKlMnOp\.json\.gz: bad JSON/).and.contain('no events could be read');
    });

    it('refuses bad usage with exit 2 and one line', async () => {
      oneLineError((await run(['scan', '--logs', logs, '--workers', '-1'])).err, /--workers -1/);
      oneLineError((await run(['scan', '--logs', logs, '--no-builtin-rules'])).err, /--no-builtin-rules needs --rules DIR/);
      oneLineError((await run(['scan', '--logs', join(logs, 'missing')])).err, /--logs .*missing: cannot read the folder/);
      oneLineError((await run(['scan', '--logs', logs, '--accounts', '12345'])).err, /--accounts: "12345" is not a 12-digit account id/);
      const res = await run(['scan', '--logs', logs, '--format', 'html']);
      expect(res.code).to.equal(2);
    });

    it('refuses a bundle whose logs do not match its manifest, unless --allow-modified-evidence', async () => {
      const b = new BundleBuilder({ accounts: ['444444444444'] });
      const file = { account: '444444444444', region: 'us-east-1', delivered: '2026-09-14T03:45:00Z', records: [winter] };
      const path = `logs/${logKey(file)}`;
      b.file(path, logBytes(file));
      const dir = b.writeTemp();
      writeFileSync(join(dir, path), logBytes({ ...file, records: [other] }));
      const refused = await run(['scan', '--bundle', dir, '--rules', rules, '--no-builtin-rules', '--fail-on', 'none']);
      expect(refused.code).to.equal(2);
      expect(refused.err).to.match(/trailproof: evidence bundle .* does not match its manifest \(1 modified: logs\/AWSLogs/);
      const allowed = await run(['scan', '--bundle', dir, '--rules', rules, '--no-builtin-rules', '--fail-on', 'none', '--allow-modified-evidence']);
      expect(allowed.code).to.equal(0);
      expect(allowed.err).to.contain('EVIDENCE INTEGRITY: 1 file(s) do not match the bundle manifest');
    });

    it('finds the demo organization\'s story with the built-in rules', async function () {
      requireDemoBundle(this);
      const { code, out } = await run(['scan', '--bundle', demo, '--format', 'json']);
      expect(code).to.equal(1);
      const findings = JSON.parse(out) as Findings;
      const deleted = findings.detections.find((d) => d.ruleId === 's3-bucket-deleted');
      expect(deleted).to.deep.include({ eventTime: '2026-09-14T03:32:07Z', actor: 'arn:aws:iam::444444444444:user/Winter', sourceIPAddress: '192.0.2.55' });
    });
  });

  describe('audit --logs DIR|s3:// (CONTRACT\'s common option)', function () {
    this.timeout(60_000);
    /** A bundle without events, and a folder of log files: a bucket deleted in September, another in October. */
    function setUp(): { bundle: string; logs: string } {
      const bundle = new BundleBuilder().put('111111111111', 'us-east-1', 'cloudtrail/DescribeTrails.json', { trailList: [] }).writeTemp();
      const logs = tempDir();
      writeLog(logs, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T03:45:00Z', records: [record({ time: '2026-09-14T03:32:07Z', name: 'DeleteBucket', id: 'sept' })] });
      writeLog(logs, { account: '222222222222', region: 'us-east-1', delivered: '2026-10-02T10:05:00Z', records: [record({ time: '2026-10-02T10:01:00Z', name: 'DeleteBucket', account: '222222222222', id: 'oct' })] });
      return { bundle, logs };
    }
    const deletions = (out: string): string[] =>
      (JSON.parse(out) as Findings).detections.filter((d) => d.ruleId === 's3-bucket-deleted').map((d) => d.eventId);

    it('runs the event rules over those log files besides the bundle', async () => {
      const { bundle, logs } = setUp();
      const { code, out } = await run(['audit', '--bundle', bundle, '--logs', logs, '--format', 'json', '--fail-on', 'none', '--quiet']);
      expect(code).to.equal(0);
      expect(deletions(out)).to.deep.equal(['sept', 'oct']);
      const without = await run(['audit', '--bundle', bundle, '--format', 'json', '--fail-on', 'none', '--quiet']);
      expect(deletions(without.out)).to.deep.equal([]);
    });

    it('keeps to the audit\'s period and accounts', async () => {
      const { bundle, logs } = setUp();
      const quarter = await run(['audit', '--bundle', bundle, '--logs', logs, '--period', '2026-Q3', '--format', 'json', '--fail-on', 'none', '--quiet']);
      expect(deletions(quarter.out)).to.deep.equal(['sept']);
      const account = await run(['audit', '--bundle', bundle, '--logs', logs, '--accounts', '222222222222', '--format', 'json', '--fail-on', 'none', '--quiet']);
      expect(deletions(account.out)).to.deep.equal(['oct']);
    });

    it('names a folder that does not exist, exit 2', async () => {
      const { bundle } = setUp();
      const { code, err } = await run(['audit', '--bundle', bundle, '--logs', join(tempDir(), 'nope'), '--format', 'json', '--quiet']);
      expect(code).to.equal(2);
      oneLineError(err, /nope/);
    });

    it('is refused by collect with a value, which copies each trail\'s own logs', async () => {
      const { code, err } = await run(['collect', '--out', join(tempDir(), 'bundle'), '--logs', './AWSLogs']);
      expect(code).to.equal(2);
      oneLineError(err, /collect --logs copies each trail's own log files.*audit --bundle DIR --logs \.\/AWSLogs/);
    });
  });
});
