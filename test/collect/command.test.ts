// `trailproof collect` as a command: its exit codes (0 collected, 2 bad usage, 3 nothing usable), logs and
// progress on stderr, nothing on stdout, the bundle and its archive on disk.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from './cli.js';
import { FakeAws, awsError } from '../../fixtures/fake-aws.js';
import { DEV, MGMT, ORG_TRAIL_ARN, orgEstate } from '../../fixtures/estates.js';
import { bucketChain, fakePublicKey } from './log-vectors.js';
import { signingKey } from '../../fixtures/integrity-vectors.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'trailproof-collect-cli-'));
}

function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).to.have.length(1);
  expect(lines[0]).to.match(/^trailproof: /);
  expect(lines[0]).to.match(pattern);
}

describe('trailproof collect (command)', () => {
  it('exits 2 with one line for bad usage', async () => {
    const cases: [string[], RegExp][] = [
      [['collect'], /collect needs --out DIR/],
      [['collect', '--out', join(tmp(), 'b'), '--regions', 'moon-1'], /--regions: "moon-1" is not a region name/],
      [['collect', '--out', join(tmp(), 'b'), '--concurrency', '0'], /--concurrency: 0 is not a whole number from 1 to 512/],
      [['collect', '--out', join(tmp(), 'b'), '--accounts', '12345'], /--accounts: "12345" is not a 12-digit account id/],
      [['collect', '--out', join(tmp(), 'b'), '--external-id', 'x'], /--external-id goes with --assume-role NAME/],
      [['collect', '--out', join(tmp(), 'b'), '--period', '2026-Q3'], /--from, --to and --period choose the logs to copy: give them with --logs/],
      [['collect', '--out', join(tmp(), 'b'), '--logs', '--period', '2026-Q5'], /--period 2026-Q5: expected a quarter/],
      [['collect', '--out', join(tmp(), 'b'), '--logs', '--from', '2026-09-30', '--to', '2026-09-01'], /--from 2026-09-30 is after --to 2026-09-01/],
      [['collect', '--out', join(tmp(), 'b'), '--logs', '--from', '2026-09-14T03:00'], /--from 2026-09-14T03:00: give a time zone/],
    ];
    for (const [argv, pattern] of cases) {
      const io = memoryIo();
      expect(await main(argv, io), argv.join(' ')).to.equal(2);
      expectOneLine(io.err, pattern);
      expect(io.out).to.equal('');
    }
    const full = tmp();
    writeFileSync(join(full, 'old.json'), '{}');
    const io = memoryIo();
    expect(await main(['collect', '--out', full], io)).to.equal(2);
    expectOneLine(io.err, /already exists and is not empty/);
  });

  it('exits 3 with one line when there are no credentials', async () => {
    const empty = join(tmp(), 'empty');
    writeFileSync(empty, '');
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: tmp(), AWS_CONFIG_FILE: empty, AWS_SHARED_CREDENTIALS_FILE: empty, AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: 'us-east-1' };
    const out = join(tmp(), 'bundle');
    const run = await runCli(['collect', '--out', out], env);
    expect(run.code).to.equal(3);
    expectOneLine(run.stderr, /^trailproof: cannot identify the caller \(sts:GetCallerIdentity\): CredentialsProviderError: .*configure AWS credentials/);
    expect(run.stdout).to.equal('');
    expect(existsSync(out)).to.equal(false);
  });

  describe('against the mocked SDK', () => {
    let fake: FakeAws | undefined;
    let server: Server;
    const saved: Record<string, string | undefined> = {};
    const env = (values: Record<string, string>): void => {
      for (const [k, v] of Object.entries(values)) {
        saved[k] = process.env[k];
        process.env[k] = v;
      }
    };

    before(async () => {
      // S3 Control is called over HTTP by our own client: a local endpoint answers it.
      server = createServer((_req, res) => res.writeHead(404).end('<Error><Code>NoSuchPublicAccessBlockConfiguration</Code><Message>The public access block configuration was not found</Message></Error>'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      env({
        AWS_ACCESS_KEY_ID: `AKIAFAKE${MGMT}`, AWS_SECRET_ACCESS_KEY: 'fake', AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_S3_CONTROL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      });
    });
    after(() => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      server.close();
    });
    afterEach(() => fake?.restore());

    it('writes the bundle and its archive, logs to stderr and prints nothing on stdout', async () => {
      fake = new FakeAws(orgEstate()).install();
      const out = join(tmp(), 'evidence');
      const io = memoryIo();
      const code = await main(['collect', '--out', out, '--assume-role', 'TrailproofAudit', '--archive', '--no-progress'], io);
      expect(code, io.err).to.equal(0);
      expect(io.out).to.equal('');
      expect(existsSync(join(out, 'manifest.json'))).to.equal(true);
      expect(existsSync(`${out}.tar.gz`)).to.equal(true);
      const lines = io.err.trim().split('\n');
      expect(lines[0]).to.match(new RegExp(`^trailproof: collected 4 accounts x 2 regions: \\d+ calls in [0-9.]+ s, \\d+ files in ${out}$`));
      expect(io.err).to.include('trailproof: not collected: bucket vendor-archive-bucket: owned by none of the 4 accounts in scope');
      expect(io.err).to.match(/trailproof: archive .*evidence\.tar\.gz sha256 [0-9a-f]{64}/);
    });

    it('warns and collects only the caller when the organization is found but no role is given', async () => {
      fake = new FakeAws(orgEstate()).install();
      const io = memoryIo();
      expect(await main(['collect', '--out', join(tmp(), 'b'), '--no-progress'], io)).to.equal(0);
      expect(io.err).to.include(`trailproof: warning: organization o-fake123456 has 4 ACTIVE accounts in scope, but without --assume-role only the caller's account ${MGMT} is collected`);
      expect(io.err).to.match(/collected 1 account x 2 regions/);
    });

    it('asks Organizations nothing with --no-org, and refuses --org where the accounts cannot be listed', async () => {
      fake = new FakeAws(orgEstate()).install();
      const out = join(tmp(), 'no-org');
      const io = memoryIo();
      expect(await main(['collect', '--out', out, '--no-org', '--no-progress'], io)).to.equal(0);
      expect(fake.calls.filter((c) => c.service === 'organizations')).to.deep.equal([]);
      expect(existsSync(join(out, `accounts/${MGMT}/global/organizations`))).to.equal(false);
      fake.restore();

      fake = new FakeAws(orgEstate({ caller: DEV })).install();
      const member = memoryIo();
      process.env['AWS_ACCESS_KEY_ID'] = `AKIAFAKE${DEV}`;
      try {
        expect(await main(['collect', '--out', join(tmp(), 'org'), '--org', '--assume-role', 'TrailproofAudit', '--no-progress'], member)).to.equal(3);
      } finally {
        process.env['AWS_ACCESS_KEY_ID'] = `AKIAFAKE${MGMT}`;
      }
      expectOneLine(member.err, /^trailproof: --org: cannot list the accounts of o-fake123456 \(organizations:ListAccounts failed\); run from the management account or a delegated administrator, or use --no-org$/);
    });

    it('copies the logs of the period with --logs (a date --to includes its day), and of the last 7 days by default', async () => {
      const chain = bucketChain('org-cloudtrail-logs', { orgId: 'o-fake123456', account: DEV, region: 'eu-west-1', trail: 'org-trail', homeRegion: 'us-east-1' }, { hours: 3 });
      fake = new FakeAws(orgEstate({ objects: { 'org-cloudtrail-logs': chain.objects }, publicKeys: [fakePublicKey(signingKey())] })).install();
      const out = join(tmp(), 'logs');
      const io = memoryIo();
      expect(await main(['collect', '--out', out, '--assume-role', 'TrailproofAudit', '--logs', '--from', '2026-09-14', '--to', '2026-09-14', '--no-progress'], io)).to.equal(0);
      expect(io.err).to.match(/^trailproof: logs 2026-09-14T00:00:00.000Z to 2026-09-14T23:59:59.999Z: 6 log files and 3 digest files \([0-9.]+ MB\) of 3 trails copied into logs\/; public keys in 2 regions$/m);
      for (const d of chain.vectors.digests) expect(existsSync(join(out, 'logs', `${d.key}.metadata.json`)), d.key).to.equal(true);
      fake.restore();

      fake = new FakeAws(orgEstate({ objects: { 'org-cloudtrail-logs': chain.objects } })).install();
      const recent = join(tmp(), 'recent');
      const before = Date.now();
      expect(await main(['collect', '--out', recent, '--assume-role', 'TrailproofAudit', '--logs', '--quiet'], memoryIo())).to.equal(0);
      const manifest = JSON.parse(readFileSync(join(recent, 'manifest.json'), 'utf8')) as { collectedAt: string; collection: { logs: { from: string; to: string; logFiles: number } } };
      const { from, to, logFiles } = manifest.collection.logs;
      expect(to).to.equal(manifest.collectedAt);
      expect(Date.parse(to)).to.be.within(before - 1000, Date.now());
      expect(Date.parse(to) - Date.parse(from)).to.equal(7 * 86_400_000);
      expect(logFiles).to.equal(0);
    });

    it('takes --logs in a live audit too: the copied digests are verified by trail.log-integrity', async () => {
      const chain = bucketChain('org-cloudtrail-logs', { orgId: 'o-fake123456', account: DEV, region: 'eu-west-1', trail: 'org-trail', homeRegion: 'us-east-1' }, { hours: 3 });
      fake = new FakeAws(orgEstate({ objects: { 'org-cloudtrail-logs': chain.objects }, publicKeys: [fakePublicKey(signingKey())] })).install();
      const out = join(tmp(), 'report');
      const io = memoryIo();
      const code = await main(['audit', '--assume-role', 'TrailproofAudit', '--logs', '--period', '2026-09', '--checks', 'trail.log-integrity', '--out', out, '--format', 'json', '--fail-on', 'none', '--no-progress'], io);
      expect(code, io.err).to.equal(0);
      expect(io.err).to.match(/^trailproof: logs 2026-09-01T00:00:00.000Z to 2026-09-30T23:59:59.999Z: 6 log files and 3 digest files /m);
      const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as { results: { resource: string; status: string }[] };
      expect(findings.results.find((r) => r.resource === ORG_TRAIL_ARN)?.status).to.equal('PASS');
      expect(existsSync(join(out, 'evidence', 'logs', chain.objects[0]?.key ?? ''))).to.equal(true);
    });

    it('exits 3 and keeps the bundle when nothing usable was collected', async () => {
      fake = new FakeAws(orgEstate({ fault: (c) => (c.op === 'DescribeTrails' ? awsError('AccessDeniedException', 'User is not authorized to perform cloudtrail:DescribeTrails') : undefined) })).install();
      const out = join(tmp(), 'denied');
      const io = memoryIo();
      expect(await main(['collect', '--out', out, '--assume-role', 'TrailproofAudit', '--no-progress'], io)).to.equal(3);
      const last = io.err.trim().split('\n').pop();
      expect(last).to.match(/^trailproof: nothing usable was collected: no account and region answered cloudtrail:DescribeTrails \(8 errors: AccessDeniedException 8\)/);
      expect(existsSync(join(out, `accounts/${MGMT}/us-east-1/cloudtrail/DescribeTrails.json`))).to.equal(true);
    });
  });
});
