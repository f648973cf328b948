// The real CLI against moto's server over HTTP, as a user runs it: an organization built through the SDK,
// `trailproof collect --out DIR` with the endpoint overridden by AWS_ENDPOINT_URL and dummy credentials,
// then `trailproof audit --bundle DIR --format json`, and the verdicts asserted.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Findings } from '../../src/model/types.js';
import { runCli, type CliRun } from './cli.js';
import { motoMissing, startMoto, type MotoServer } from './moto.js';
import { DEV_BUCKET, LEGACY_BUCKET, MANAGEMENT, ORG_BUCKET, buildMotoOrg, type MotoOrg } from './moto-org.js';

describe('collect and audit against moto over HTTP', function () {
  this.timeout(120_000);
  let moto: MotoServer | undefined;
  let org: MotoOrg;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let collected: CliRun;
  let findings: Findings;

  before(async function () {
    const missing = motoMissing();
    if (missing !== undefined) {
      console.log(`    (skipped: ${missing})`);
      this.skip();
    }
    moto = await startMoto();
    org = await buildMotoOrg(moto.url);
    const home = mkdtempSync(join(tmpdir(), 'trailproof-moto-home-'));
    writeFileSync(join(home, 'empty'), '');
    env = {
      PATH: process.env['PATH'], HOME: home, AWS_ENDPOINT_URL: moto.url, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: join(home, 'empty'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'empty'), AWS_EC2_METADATA_DISABLED: 'true',
    };
    dir = join(mkdtempSync(join(tmpdir(), 'trailproof-moto-')), 'evidence');
    collected = await runCli(['collect', '--out', dir, '--assume-role', 'OrganizationAccountAccessRole', '--regions', 'us-east-1,eu-west-1', '--exclude-accounts', org.vendor, '--no-progress'], env);
    const audited = await runCli(['audit', '--bundle', dir, '--format', 'json', '--fail-on', 'none', '--quiet'], env);
    expect(audited.code, audited.stderr).to.equal(0);
    findings = JSON.parse(audited.stdout) as Findings;
  });
  after(async () => moto?.stop());

  const read = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, path), 'utf8')) as Record<string, unknown>;
  const verdicts = (checkId: string): string[] =>
    findings.results.filter((r) => r.checkId === checkId).map((r) => `${r.resource.split(/[/:]/).pop() ?? ''} ${r.status}`).sort();

  it('collects the organization with exit 0, logs on stderr and nothing on stdout', () => {
    expect(collected.code, collected.stderr).to.equal(0);
    expect(collected.stdout).to.equal('');
    expect(collected.stderr).to.match(/^trailproof: collected 3 accounts x 2 regions: \d+ calls in [0-9.]+ s, \d+ files in /);
    const manifest = read('manifest.json') as { identity: { Account: string }; scope: { accounts: string[]; regions: string[] } };
    expect(manifest.identity.Account).to.equal(MANAGEMENT);
    expect(manifest.scope.accounts).to.deep.equal([MANAGEMENT, org.logArchive, org.dev].sort());
    expect(manifest.scope.regions).to.deep.equal(['us-east-1', 'eu-west-1']);
  });

  it("reads the organization trail in the management account and its bucket and key in the log archive account", () => {
    expect(read(`accounts/${MANAGEMENT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json`)['IsLogging']).to.equal(true);
    expect(read(`accounts/${org.logArchive}/eu-west-1/s3/${ORG_BUCKET}/GetBucketVersioning.json`)['Status']).to.equal('Enabled');
    expect(read(`accounts/${org.logArchive}/eu-west-1/s3/${ORG_BUCKET}/GetBucketLocation.json`)['LocationConstraint']).to.equal('eu-west-1');
    expect(String(read(`accounts/${org.logArchive}/eu-west-1/s3/${ORG_BUCKET}/GetBucketPolicy.json`)['Policy'])).to.include('DenyInsecureTransport');
    const keyId = org.keyArn.split('/').pop() ?? '';
    expect(read(`accounts/${org.logArchive}/us-east-1/kms/${keyId}/GetKeyRotationStatus.json`)['KeyRotationEnabled']).to.equal(true);
    expect(read(`accounts/${org.dev}/eu-west-1/s3/${DEV_BUCKET}/GetBucketLocation.json`)['LocationConstraint']).to.equal('eu-west-1');
    expect(existsSync(join(dir, `accounts/${org.vendor}`))).to.equal(false);
    expect(collected.stderr).to.include(`trailproof: not collected: bucket ${LEGACY_BUCKET}: owned by none of the 3 accounts in scope`);
  });

  it('audits the trails by their settings', () => {
    expect(verdicts('trail.log-file-validation')).to.deep.equal(['dev-trail FAIL', 'legacy-trail PASS', 'org-trail PASS']);
    expect(verdicts('trail.kms-encryption')).to.deep.equal(['dev-trail FAIL', 'legacy-trail FAIL', 'org-trail PASS']);
    expect(verdicts('trail.kms-key-rotation')).to.deep.equal([`${org.keyArn.split('/').pop() ?? ''} PASS`]);
  });

  it('audits the log buckets where they live, and leaves the uncollected one to a person', () => {
    const onBucket = (name: string): string[] => findings.results.filter((r) => r.resource === `arn:aws:s3:::${name}`).map((r) => `${r.checkId} ${r.status}`).sort();
    expect(onBucket(ORG_BUCKET)).to.include.members(['bucket.secure-transport PASS', 'bucket.not-public PASS']);
    const legacy = onBucket(LEGACY_BUCKET);
    expect(legacy.length).to.be.greaterThan(0);
    for (const verdict of legacy) expect(verdict).to.match(/ MANUAL$/);
  });

  it('covers every account through the organization trail', () => {
    const coverage = findings.results.filter((r) => r.checkId === 'trail.org-coverage');
    expect(coverage.map((r) => `${r.account} ${r.status}`).sort()).to.deep.equal([MANAGEMENT, org.logArchive, org.dev].sort().map((a) => `${a} PASS`));
  });
});
