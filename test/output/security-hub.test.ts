import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { asffFindings, type AsffFinding } from '../../src/output/asff.js';
import { importFindings, importLines, type BatchImportOutput, type SecurityHubApi } from '../../src/output/security-hub.js';
import { packageRoot } from '../../src/paths.js';
import type { Findings } from '../../src/model/types.js';
import { requireMoto, startMoto, type MotoServer } from '../helpers/moto.js';
import { requirePart, toolMissing } from '../helpers/real-parts.js';
import { LOGS, MGMT, PROD, fixtureFindings } from '../report/fixtures.js';

function finding(id: string, account: string, region: string): AsffFinding {
  const f = asffFindings(fixtureFindings())[0] as AsffFinding;
  return { ...f, Id: id, AwsAccountId: account, ProductArn: `arn:aws:securityhub:${region}:${account}:product/${account}/default` };
}

/** A fake Security Hub that records each batch and answers as told. */
function fakeHub(answer: (batch: AsffFinding[], call: number) => Promise<BatchImportOutput>): { calls: { account: string; region: string; ids: string[] }[]; clientFor: (a: string, r: string) => Promise<SecurityHubApi> } {
  const calls: { account: string; region: string; ids: string[] }[] = [];
  return {
    calls,
    clientFor: async (account, region) => ({
      batchImportFindings: async (batch) => {
        calls.push({ account, region, ids: batch.map((f) => f.Id) });
        return answer(batch, calls.length);
      },
    }),
  };
}

const noWait = { sleep: async (): Promise<void> => undefined };

describe('Security Hub import', () => {
  it('sends each account and region its own findings in batches of 100', async () => {
    const findings = [...Array.from({ length: 250 }, (_, i) => finding(`a-${i}`, MGMT, 'us-east-1')), finding('b-0', LOGS, 'eu-west-1')];
    const hub = fakeHub(async (batch) => ({ FailedCount: 0, SuccessCount: batch.length, FailedFindings: [] }));
    const report = await importFindings(findings, hub, noWait);
    expect(hub.calls.map((c) => [c.account, c.region, c.ids.length])).to.deep.equal([[MGMT, 'us-east-1', 100], [MGMT, 'us-east-1', 100], [MGMT, 'us-east-1', 50], [LOGS, 'eu-west-1', 1]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    expect(report).to.deep.include({ sent: 251, imported: 251, failed: [] });
  });

  it('retries a throttled batch with backoff, then succeeds', async () => {
    const waits: number[] = [];
    const hub = fakeHub(async (batch, call) => {
      if (call < 3) throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
      return { FailedCount: 0, SuccessCount: batch.length };
    });
    const report = await importFindings([finding('x', MGMT, 'us-east-1')], hub, { sleep: async (ms) => void waits.push(ms) });
    expect(waits).to.deep.equal([1000, 2000]);
    expect(report.imported).to.equal(1);
  });

  it('names each finding Security Hub refuses, and every finding of a group it cannot reach', async () => {
    const hub = fakeHub(async () => ({ FailedCount: 1, SuccessCount: 1, FailedFindings: [{ Id: 'bad', ErrorCode: 'InvalidInput', ErrorMessage: 'Finding Id is not valid' }] }));
    const target = { clientFor: async (account: string, region: string) => (account === PROD ? Promise.reject(Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied' })) : hub.clientFor(account, region)) };
    const report = await importFindings([finding('good', MGMT, 'us-east-1'), finding('bad', MGMT, 'us-east-1'), finding('far', PROD, 'us-east-1')], target, noWait);
    expect(report.imported).to.equal(1);
    expect(report.failed.map((f) => [f.id, f.code])).to.deep.equal([['bad', 'InvalidInput'], ['far', 'AccessDenied']]);
    const lines = importLines(report);
    expect(lines[0]).to.equal('Security Hub: imported 1 of 3 findings into 2 accounts and 1 region; 2 failed');
    expect(lines[2]).to.equal(`Security Hub: failed far (account ${PROD}, us-east-1): AccessDenied: not authorized to perform sts:AssumeRole`);
  });

  it('gives up on a batch still throttled after the last attempt and names its findings', async () => {
    const hub = fakeHub(async () => Promise.reject(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })));
    const report = await importFindings([finding('t', MGMT, 'us-east-1')], hub, noWait);
    expect(hub.calls).to.have.length(4);
    expect(report.failed).to.deep.equal([{ id: 't', account: MGMT, region: 'us-east-1', code: 'ThrottlingException', message: 'slow down' }]);
  });
});

describe('Security Hub import through the CLI, against moto over HTTP', function () {
  this.timeout(120_000);
  let moto: MotoServer;
  let env: NodeJS.ProcessEnv;
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-securityhub-'));
  const role = 'TrailproofAudit';

  before(async function () {
    requireMoto(this);
    moto = await startMoto();
    env = { ...process.env, AWS_ENDPOINT_URL: moto.url, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' };
    delete env['AWS_PROFILE'];
    delete env['AWS_SESSION_TOKEN'];
  });
  after(async () => {
    await moto?.stop();
  });

  function cli(args: string[]): { code: number | null; err: string } {
    const r = spawnSync(process.execPath, [join(packageRoot, 'bin', 'trailproof.js'), ...args], { env, encoding: 'utf8', timeout: 100_000 });
    return { code: r.status, err: r.stderr };
  }

  function write(name: string, findings: Findings): string {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(findings, null, 2) + '\n');
    return file;
  }

  /** Every finding in the account's hub (through the assumed role, as the import reaches it). */
  async function hubFindings(account: string): Promise<{ Id?: string | undefined; RecordState?: string | undefined; Compliance?: { Status?: string | undefined } | undefined }[]> {
    const credentials = fromTemporaryCredentials({ params: { RoleArn: `arn:aws:iam::${account}:role/${role}`, RoleSessionName: 'test' }, clientConfig: { region: 'us-east-1', endpoint: moto.url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } } });
    const client = new SecurityHubClient({ region: 'us-east-1', endpoint: moto.url, credentials });
    try {
      const out = await client.send(new GetFindingsCommand({ MaxResults: 100 }));
      return out.Findings ?? [];
    } finally {
      client.destroy();
    }
  }

  it('imports the findings into each account, re-imports without duplicates, and archives a result that now passes', async () => {
    const first = fixtureFindings();
    const file = write('findings.json', first);
    const out = join(dir, 'out');
    const r = cli(['report', '--findings', file, '--out', out, '--format', 'asff', '--security-hub', '--assume-role', role, '--quiet']);
    expect(r.err).to.match(/Security Hub: imported (\d+) of \1 findings into 3 accounts/);
    expect(r.code, r.err).to.equal(0);
    const sent = asffFindings(first, { resolved: true }).filter((f) => f.AwsAccountId === MGMT && f.ProductArn.includes(':us-east-1:'));
    const inHub = await hubFindings(MGMT);
    expect(inHub.map((f) => f.Id).sort()).to.deep.equal(sent.map((f) => f.Id).sort());

    expect(cli(['report', '--findings', file, '--security-hub', '--assume-role', role, '--format', 'json']).code).to.equal(0);
    expect(await hubFindings(MGMT)).to.have.length(inHub.length);

    // The trail now validates its log files: the same Id comes back archived and PASSED.
    const fixed = fixtureFindings();
    fixed.run.finishedAt = '2027-01-01T00:00:00Z';
    const target = fixed.results.find((x) => x.checkId === 'trail.log-file-validation');
    if (!target) throw new Error('fixture lacks trail.log-file-validation');
    target.status = 'PASS';
    const id = asffFindings(first).find((f) => f.GeneratorId === 'trail.log-file-validation')?.Id;
    expect(cli(['report', '--findings', write('fixed.json', fixed), '--security-hub', '--assume-role', role, '--format', 'json']).code).to.equal(0);
    const after = await hubFindings(MGMT);
    expect(after).to.have.length(inHub.length);
    const resolved = after.find((f) => f.Id === id);
    expect(resolved?.RecordState).to.equal('ARCHIVED');
    expect(resolved?.Compliance?.Status).to.equal('PASSED');
  });

  it('names the findings of accounts it cannot reach and exits 3 when nothing was imported', () => {
    const r = cli(['report', '--findings', write('again.json', fixtureFindings()), '--security-hub', '--format', 'json']);
    expect(r.code).to.equal(3);
    expect(r.err).to.match(/Security Hub: failed trailproof\/[\w.-]+\/[0-9a-f]{40} \(account \d{12}, [a-z0-9-]+\): NoRoleForAccount: findings of account \d{12} need --assume-role/);
    expect(r.err).to.match(/none of the \d+ findings was imported/);
    expect(r.err).to.not.match(/\n\s+at /);
  });

  it('writes findings.asff.json that the AWS CLI (botocore) accepts as BatchImportFindings input', function () {
    requirePart(this, 'aws-cli', toolMissing('aws', 'awscli'));
    const file = join(dir, 'out', 'findings.asff.json');
    const r = spawnSync('aws', ['securityhub', 'batch-import-findings', '--findings', `file://${file}`, '--endpoint-url', moto.url, '--region', 'us-east-1', '--output', 'json'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout) as { FailedCount: number; SuccessCount: number };
    expect(out.FailedCount).to.equal(0);
    expect(out.SuccessCount).to.equal((JSON.parse(readFileSync(file, 'utf8')) as unknown[]).length);
  });
});
