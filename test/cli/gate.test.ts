// The account-vending gate end to end through the real CLI's main(), against an organization in moto over
// HTTP (behind a small proxy that can deny chosen calls): a new account vended into the organization, where,
// as in moto, the member's own DescribeTrails does not show the organization trail. The narrowed audit and the
// gate must give the full audit's verdict for it: PASS while the organization trail logs, FAIL (exit 1) once
// it stops, ERROR (exit 3) while the management account's evidence is denied, never "none was found".
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, PutEventSelectorsCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { DEFAULT_GATE_CHECKS, waitClock } from '../../src/cli/commands/gate.js';
import type { Findings, Result } from '../../src/model/types.js';
import { startDenyProxy, type DenyProxy } from '../collect/deny-proxy.js';
import { MANAGEMENT, buildMotoOrg, type MotoOrg } from '../collect/moto-org.js';
import { fakeClock } from '../helpers/fake-clock.js';
import { motoMissing, startMoto, type MotoServer } from '../helpers/moto.js';

const ENV_KEYS = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED'];
const ROLE = ['--assume-role', 'OrganizationAccountAccessRole', '--regions', 'us-east-1,eu-west-1', '--no-progress'];

describe('the account-vending gate against moto over HTTP', function () {
  this.timeout(180_000);
  let moto: MotoServer | undefined;
  let proxy: DenyProxy | undefined;
  let org: MotoOrg;
  let vended: string;
  const savedEnv: Record<string, string | undefined> = {};
  const savedClock = { ...waitClock };

  before(async function () {
    const missing = motoMissing();
    if (missing !== undefined) {
      console.log(`    (skipped: ${missing})`);
      this.skip();
    }
    moto = await startMoto();
    org = await buildMotoOrg(moto.url);
    const organizations = new OrganizationsClient({ endpoint: moto.url, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const created = await organizations.send(new CreateAccountCommand({ AccountName: 'vended-workload', Email: 'aws+vended@example.com' }));
    vended = created.CreateAccountStatus?.AccountId ?? '';
    // AWS gives a new trail the default selector (all management events); moto answers none. A moto gap, filled here.
    await new CloudTrailClient({ endpoint: moto.url, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } })
      .send(new PutEventSelectorsCommand({ TrailName: 'org-trail', EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }));
    proxy = await startDenyProxy(moto.url);
    const home = mkdtempSync(join(tmpdir(), 'trailproof-gate-home-'));
    writeFileSync(join(home, 'empty'), '');
    for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: proxy.url, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(home, 'empty'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'empty'), AWS_EC2_METADATA_DISABLED: 'true',
    });
    delete process.env['AWS_PROFILE'];
    delete process.env['AWS_SESSION_TOKEN'];
  });

  after(async () => {
    for (const key of ENV_KEYS) {
      if (savedEnv[key] === undefined) delete process.env[key];
      else process.env[key] = savedEnv[key];
    }
    Object.assign(waitClock, savedClock);
    await proxy?.stop();
    await moto?.stop();
  });

  afterEach(() => {
    if (proxy !== undefined) proxy.deny = [];
    Object.assign(waitClock, savedClock);
  });

  const run = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
    const io = memoryIo();
    const code = await main(args, io);
    return { code, out: io.out, err: io.err };
  };
  const outDir = (): string => join(mkdtempSync(join(tmpdir(), 'trailproof-gate-out-')), 'out');
  const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
  const verdicts = (results: Result[], account: string): string[] =>
    results.filter((r) => r.account === account && (DEFAULT_GATE_CHECKS as readonly string[]).includes(r.checkId)).map((r) => `${r.checkId} ${r.status} ${r.resource} ${r.message}`).sort();
  const coverage = (findings: Findings): Result | undefined => findings.results.find((r) => r.checkId === 'trail.org-coverage' && r.account === vended);
  const orgTrail = (): CloudTrailClient => new CloudTrailClient({ endpoint: moto?.url ?? '', region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });

  it('gives the full audit\'s verdict for the new account with audit --accounts NEW, reading the organization trail where it lives', async () => {
    const full = await run(['audit', ...ROLE, '--format', 'json', '--fail-on', 'none', '--quiet']);
    expect(full.code, full.err).to.equal(0);
    const fullFindings = JSON.parse(full.out) as Findings;
    expect(coverage(fullFindings)?.status).to.equal('PASS');
    expect(fullFindings.run.organization).to.deep.equal({ id: org.organizationId, managementAccount: MANAGEMENT });

    // The reproduction: this exited 1 with "none was found".
    const out = outDir();
    const narrowed = await run(['audit', '--accounts', vended, '--checks', 'trail.org-coverage', ...ROLE, '--out', out, '--quiet']);
    expect(narrowed.code, narrowed.err).to.equal(0);
    const findings = readJson<Findings>(join(out, 'findings.json'));
    expect(coverage(findings)?.status).to.equal('PASS');
    expect(coverage(findings)?.message).to.equal(coverage(fullFindings)?.message);

    const all = outDir();
    const narrowedAll = await run(['audit', '--accounts', vended, ...ROLE, '--out', all, '--fail-on', 'none', '--quiet']);
    expect(narrowedAll.code, narrowedAll.err).to.equal(0);
    const allFindings = readJson<Findings>(join(all, 'findings.json'));
    expect(verdicts(allFindings.results, vended)).to.deep.equal(verdicts(fullFindings.results, vended));
    expect(verdicts(allFindings.results, vended).length).to.be.greaterThan(1);

    const manifest = readJson<{ scope: { accounts: string[] }; collection: { extra: { account: string; region: string; what: string; why: string }[] } }>(join(all, 'evidence', 'manifest.json'));
    expect(manifest.scope.accounts).to.deep.equal([vended]);
    const extra = manifest.collection.extra.map((e) => `${e.account} ${e.region} ${e.what}`);
    expect(extra).to.include.members([
      `${MANAGEMENT} us-east-1 cloudtrail:DescribeTrails`,
      `${MANAGEMENT} eu-west-1 cloudtrail:DescribeTrails`,
      `${MANAGEMENT} us-east-1 trail org-trail: cloudtrail:GetTrailStatus, GetEventSelectors, GetInsightSelectors`,
    ]);
    expect(extra.some((e) => e.startsWith(`${org.logArchive} eu-west-1 bucket example-org-cloudtrail`))).to.equal(true);
    expect(extra.some((e) => e.startsWith(`${org.logArchive} us-east-1 key ${org.keyArn}`))).to.equal(true);
    for (const e of manifest.collection.extra) expect(e.why).to.match(/record|receives|encrypts/);
  });

  it('passes the gate with exit 0, writing JSON and JUnit and one summary line', async () => {
    const out = outDir();
    const gate = await run(['gate', '--account', vended, ...ROLE, '--out', out]);
    expect(gate.code, gate.err).to.equal(0);
    const findings = readJson<Findings>(join(out, 'findings.json'));
    expect(coverage(findings)?.status).to.equal('PASS');
    // The gate's findings name the organization too, read from the new account's own DescribeOrganization.
    expect(findings.run.organization).to.deep.equal({ id: org.organizationId, managementAccount: MANAGEMENT });
    expect([...new Set(findings.results.map((r) => r.checkId))].sort()).to.deep.equal([...DEFAULT_GATE_CHECKS].sort());
    expect(findings.results.filter((r) => r.status === 'FAIL' || r.status === 'ERROR')).to.deep.equal([]);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).to.include('trail.org-coverage');
    expect(existsSync(join(out, 'evidence', 'manifest.json'))).to.equal(true);
    // The collection's lines, then the one summary line last.
    const lines = gate.err.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('trailproof: gate '))).to.have.length(1);
    expect(lines[lines.length - 1]).to.match(new RegExp(`^trailproof: gate PASSED for account ${vended} \\(\\d+ PASS, 0 FAIL, 0 ERROR, .*--fail-on high, exit 0\\)$`));
    expect(gate.out).to.equal('');
  });

  it('FAILs the gate with exit 1 once the organization trail stops logging, in the gate and in the narrowed and full audits alike', async () => {
    await orgTrail().send(new StopLoggingCommand({ Name: 'org-trail' }));
    try {
      const gate = await run(['gate', '--account', vended, ...ROLE, '--format', 'json', '--quiet']);
      expect(gate.code, gate.err).to.equal(1);
      const findings = JSON.parse(gate.out) as Findings;
      expect(coverage(findings)?.status).to.equal('FAIL');
      expect(coverage(findings)?.message).to.include('(trail org-trail: not logging)');
      expect(gate.err).to.include(`trailproof: gate FAILED for account ${vended}`);

      const audit = await run(['audit', '--gate', '--accounts', vended, ...ROLE, '--format', 'json', '--quiet']);
      expect(audit.code, audit.err).to.equal(1);
      const full = await run(['audit', ...ROLE, '--format', 'json', '--fail-on', 'none', '--quiet']);
      expect(coverage(JSON.parse(full.out) as Findings)?.message).to.equal(coverage(findings)?.message);
    } finally {
      await orgTrail().send(new StartLoggingCommand({ Name: 'org-trail' }));
    }
  });

  it('ERRORs with exit 3 when the organization trail\'s status is denied in the management account', async () => {
    proxy?.deny.push({ operation: 'GetTrailStatus', accessKeyId: 'testing' });
    const gate = await run(['gate', '--account', vended, ...ROLE, '--format', 'json', '--quiet']);
    expect(gate.code, gate.err).to.equal(3);
    const r = coverage(JSON.parse(gate.out) as Findings);
    expect(r?.status).to.equal('ERROR');
    expect(r?.message).to.include(`accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json holds a failed call: AccessDeniedException`);
    expect(gate.err).to.include(`trailproof: gate UNDECIDED for account ${vended}`);
  });

  it('ERRORs with exit 3, never "none was found", when the management account\'s trails cannot be listed', async () => {
    proxy?.deny.push({ operation: 'DescribeTrails', accessKeyId: 'testing' });
    const audit = await run(['audit', '--accounts', vended, '--checks', 'trail.org-coverage', ...ROLE, '--format', 'json', '--quiet']);
    expect(audit.code, audit.err).to.equal(3);
    const r = coverage(JSON.parse(audit.out) as Findings);
    expect(r?.status).to.equal('ERROR');
    expect(r?.message).to.include(`the trails of management account ${MANAGEMENT}, which owns the organization trails, could not be listed`);
    expect(r?.message).not.to.include('none was found');
  });

  it('waits with --wait while the new account\'s role cannot be assumed yet, saying so, then passes', async () => {
    const clock = fakeClock();
    Object.assign(waitClock, { now: clock.now, sleep: clock.sleep });
    const before = proxy?.assumeRoleTries.get(vended) ?? 0;
    proxy?.denyAssumeRole(vended, 2);
    const gate = await run(['gate', '--account', vended, ...ROLE, '--wait', '10m', '--format', 'json', '--quiet']);
    expect(gate.code, gate.err).to.equal(0);
    expect((proxy?.assumeRoleTries.get(vended) ?? 0) - before).to.equal(3);
    const waits = gate.err.split('\n').filter((l) => l.startsWith('trailproof: gate: waiting'));
    expect(waits).to.have.length(2);
    expect(waits[0]).to.include(`waiting for account ${vended}: its role cannot be assumed yet (cannot assume arn:aws:iam::${vended}:role/OrganizationAccountAccessRole: AccessDenied`);
    expect(clock.sleeps).to.deep.equal([5000, 10000]);
    expect(coverage(JSON.parse(gate.out) as Findings)?.status).to.equal('PASS');
  });

  it('gives up at the --wait deadline with the last reason: exit 1 while the organization trail does not cover the account', async () => {
    const clock = fakeClock();
    Object.assign(waitClock, { now: clock.now, sleep: clock.sleep });
    await orgTrail().send(new StopLoggingCommand({ Name: 'org-trail' }));
    try {
      const gate = await run(['gate', '--account', vended, ...ROLE, '--wait', '20s', '--format', 'json', '--quiet']);
      expect(gate.code, gate.err).to.equal(1);
      expect(clock.sleeps).to.deep.equal([5000, 10000, 5000]);
      expect(gate.err).to.include(`trailproof: gate: stopped waiting for account ${vended} after 4 tries (--wait): the organization trail does not cover it yet`);
      expect(gate.err).to.include('(trail org-trail: not logging)');
    } finally {
      await orgTrail().send(new StartLoggingCommand({ Name: 'org-trail' }));
    }
  });

  it('gives up at the --wait deadline with exit 3 while the role still cannot be assumed', async () => {
    const clock = fakeClock();
    Object.assign(waitClock, { now: clock.now, sleep: clock.sleep });
    proxy?.denyAssumeRole(vended, 100);
    try {
      const gate = await run(['gate', '--account', vended, ...ROLE, '--wait', '1m', '--quiet']);
      expect(gate.code, gate.err).to.equal(3);
      expect(gate.out).to.equal('');
      expect(gate.err).to.match(/stopped waiting for account \d{12} after \d+ tries \(--wait\): its role cannot be assumed yet/);
      expect(clock.sleeps.reduce((a, b) => a + b, 0)).to.equal(60_000);
    } finally {
      proxy?.denyAssumeRole(vended, 0);
    }
  });
});
