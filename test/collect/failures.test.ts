// Partial failure is normal: throttling absorbed, a denied call per service stored as $error and counted,
// a role that cannot be assumed, a region that times out, an organization trail seen from a member account,
// a bucket owned by another account. The run goes on and says what happened.
import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Bundle } from '../../src/evidence/bundle.js';
import { Estate } from '../../src/evidence/estate.js';
import { FakeAws, awsError, type FakeCall, type FakeEstate } from '../../fixtures/fake-aws.js';
import { DEV, LOG, MGMT, ORG_TRAIL_ARN, PROD, auditBundle, collectFake, orgEstate } from '../../fixtures/estates.js';

function read(dir: string, path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, path), 'utf8')) as Record<string, unknown>;
}

function withFake(estate: FakeEstate): FakeAws {
  return new FakeAws(estate).install();
}

describe('collect: partial failure', function () {
  let fake: FakeAws | undefined;
  afterEach(() => fake?.restore());

  it('retries a throttled call and keeps its answer', async () => {
    let throttled = 0;
    fake = withFake(orgEstate({
      fault: (c: FakeCall) => (c.op === 'DescribeTrails' && c.account === DEV && c.region === 'eu-west-1' && throttled++ < 2 ? awsError('ThrottlingException', 'Rate exceeded') : undefined),
    }));
    const result = await collectFake(fake);
    expect(throttled).to.equal(3);
    expect(result.summary.throttleRetries).to.equal(2);
    expect(result.summary.errors).to.equal(0);
    const trails = read(result.dir, `accounts/${DEV}/eu-west-1/cloudtrail/DescribeTrails.json`)['trailList'] as { Name: string }[];
    expect(trails.map((t) => t.Name).sort()).to.deep.equal(['dev-trail', 'org-trail']);
  });

  it('stores a denied call of every service as $error, counts it, and collects the rest', async () => {
    const denied: Record<string, [op: string, account: string, region: string]> = {
      cloudtrail: ['GetTrailStatus', DEV, 'eu-west-1'],
      organizations: ['ListDelegatedAdministrators', MGMT, 'us-east-1'],
      ec2: ['DescribeRegions', PROD, 'us-east-1'],
      s3: ['GetBucketAcl', LOG, 'eu-west-1'],
      s3control: ['GetPublicAccessBlock', LOG, 'us-east-1'],
      kms: ['GetKeyPolicy', LOG, 'us-east-1'],
      logs: ['DescribeMetricFilters', MGMT, 'eu-west-1'],
      cloudwatch: ['DescribeAlarms', DEV, 'us-east-1'],
      sns: ['ListSubscriptionsByTopic', MGMT, 'us-east-1'],
      events: ['ListRules', PROD, 'eu-west-1'],
    };
    fake = withFake(orgEstate({
      fault: (c) => {
        const d = denied[c.service];
        return d && c.op === d[0] && c.account === d[1] && c.region === d[2] ? awsError('AccessDenied', `not authorized to perform ${c.service}:${c.op}`, 403) : undefined;
      },
    }));
    const result = await collectFake(fake);
    const files: Record<string, string> = {
      cloudtrail: `accounts/${DEV}/eu-west-1/cloudtrail/GetTrailStatus/dev-trail.json`,
      organizations: `accounts/${MGMT}/global/organizations/ListDelegatedAdministrators.json`,
      ec2: `accounts/${PROD}/global/ec2/DescribeRegions.json`,
      s3: `accounts/${LOG}/eu-west-1/s3/org-cloudtrail-logs/GetBucketAcl.json`,
      s3control: `accounts/${LOG}/global/s3control/GetPublicAccessBlock.json`,
      kms: `accounts/${LOG}/us-east-1/kms/0b7f1c52-1111-4d3a-9b7e-00000000a001/GetKeyPolicy.json`,
      logs: `accounts/${MGMT}/eu-west-1/logs/DescribeMetricFilters.json`,
      cloudwatch: `accounts/${DEV}/us-east-1/cloudwatch/DescribeAlarms.json`,
      sns: `accounts/${MGMT}/us-east-1/sns/ListSubscriptionsByTopic/security-alerts.json`,
      events: `accounts/${PROD}/eu-west-1/events/ListRules.json`,
    };
    for (const [service, file] of Object.entries(files)) {
      const op = denied[service]?.[0];
      expect(read(result.dir, file), service).to.deep.equal({ $error: { name: 'AccessDenied', message: `not authorized to perform ${service}:${op}` } });
    }
    expect(result.summary.errors).to.equal(10);
    expect(result.summary.errorsByKind).to.deep.equal({ denied: 10 });
    expect(result.summary.errorsByName).to.deep.equal({ AccessDenied: 10 });
    expect(result.usable).to.equal(true);
    // Everything else was still collected: prod's regions fell back to the caller's.
    expect(existsSync(join(result.dir, `accounts/${PROD}/us-east-1/cloudtrail/DescribeTrails.json`))).to.equal(true);
    expect(existsSync(join(result.dir, `accounts/${LOG}/eu-west-1/s3/org-cloudtrail-logs/GetBucketPolicy.json`))).to.equal(true);
  });

  it('records an account whose role cannot be assumed, keeps it in scope, and goes on', async () => {
    fake = withFake(orgEstate({ unassumable: [PROD] }));
    const result = await collectFake(fake);
    expect(readdirSync(join(result.dir, 'accounts'))).not.to.include(PROD);
    expect((result.manifest['scope'] as { accounts: string[] }).accounts).to.include(PROD);
    expect(result.summary.errorsByKind).to.deep.equal({ role: 1 });
    const note = result.summary.notCollected.find((n) => n.kind === 'account');
    expect(note?.id).to.equal(PROD);
    expect(note?.reason).to.match(new RegExp(`^cannot assume arn:aws:iam::${PROD}:role/TrailproofAudit: AccessDenied: `));
    // What needs the account's own answers is ERROR, never a silent PASS; the organization trail still proves its coverage.
    const findings = await auditBundle(result.dir);
    const prod = findings.results.filter((r) => r.account === PROD);
    const lake = prod.filter((r) => r.checkId === 'trail.lake-encryption');
    expect(lake.map((r) => r.status)).to.deep.equal(['ERROR', 'ERROR']);
    expect(lake[0]?.message).to.include(`accounts/${PROD}/eu-west-1/cloudtrail/ListEventDataStores.json is missing`);
    expect(prod.find((r) => r.checkId === 'trail.org-coverage')?.status).to.equal('PASS');
  });

  it('stops calling a region that timed out, records the timeout, and finishes the others', async () => {
    fake = withFake(orgEstate({ fault: (c) => (c.account === DEV && c.region === 'eu-west-1' && c.op === 'DescribeTrails' ? 'hang' : undefined) }));
    // Long enough that no answering call of the in-process fake comes near it on a loaded machine.
    const timeoutMs = 1500;
    const result = await collectFake(fake, { callTimeoutMs: timeoutMs });
    const dir = result.dir;
    expect(read(dir, `accounts/${DEV}/eu-west-1/cloudtrail/DescribeTrails.json`)).to.deep.equal({ $error: { name: 'TimeoutError', message: `no answer within ${timeoutMs} ms` } });
    expect(result.summary.errorsByKind['timeout']).to.equal(1);
    // Calls that came after the timeout in that region were not made; calls already answered stay.
    const made = fake.calls.filter((c) => c.account === DEV && c.region === 'eu-west-1' && c.at > (fake?.made('DescribeTrails').find((d) => d.account === DEV && d.region === 'eu-west-1')?.at ?? 0) + timeoutMs);
    expect(made).to.deep.equal([]);
    expect(result.summary.skipped).to.be.greaterThan(0);
    expect(existsSync(join(dir, `accounts/${DEV}/eu-west-1/cloudtrail/GetTrailStatus/dev-trail.json`))).to.equal(false);
    expect(existsSync(join(dir, `accounts/${DEV}/us-east-1/cloudtrail/DescribeTrails.json`))).to.equal(true);
    expect(existsSync(join(dir, `accounts/${PROD}/eu-west-1/cloudtrail/DescribeTrails.json`))).to.equal(true);
    expect(result.usable).to.equal(true);
  });

  it("reads an organization trail seen from a member account there, and leaves the management account's evidence to a person", async () => {
    fake = withFake(orgEstate({ caller: DEV }));
    const result = await collectFake(fake, { assumeRole: undefined });
    const dir = result.dir;
    expect((result.manifest['scope'] as { accounts: string[] }).accounts).to.deep.equal([DEV]);
    // ListAccounts is the management account's: denied here, recorded, and the scope is the caller's account.
    expect(read(dir, `accounts/${DEV}/global/organizations/ListAccounts.json`)['$error']).to.deep.include({ name: 'AccessDeniedException' });
    const asked = fake.made('GetTrailStatus').filter((c) => c.input['Name'] === ORG_TRAIL_ARN);
    expect(asked.map((c) => `${c.account}/${c.region}`)).to.deep.equal([`${DEV}/us-east-1`]);
    expect(read(dir, `accounts/${DEV}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json`)['IsLogging']).to.equal(true);
    expect(result.summary.notCollected.map((n) => `${n.kind} ${n.id}`)).to.include.members(['bucket org-cloudtrail-logs', 'key arn:aws:kms:us-east-1:222222222222:key/0b7f1c52-1111-4d3a-9b7e-00000000a001']);
    expect(readdirSync(join(dir, 'accounts'))).to.deep.equal([DEV]);

    const estate = new Estate(Bundle.open(dir));
    const org = estate.trails.find((t) => t.arn === ORG_TRAIL_ARN);
    expect(org?.status.kind).to.equal('ok');
    expect(org?.bucket?.collected).to.equal(false);
    const findings = await auditBundle(dir);
    const onBucket = findings.results.filter((r) => r.resource === 'arn:aws:s3:::org-cloudtrail-logs');
    expect(onBucket.length).to.be.greaterThan(0);
    expect([...new Set(onBucket.map((r) => r.status))]).to.deep.equal(['MANUAL']);
  });

  it("collects a bucket owned by another account in scope with that account's role, in the bucket's region", async () => {
    fake = withFake(orgEstate());
    const result = await collectFake(fake, { accounts: [MGMT, LOG] });
    const policyCalls = fake.made('GetBucketPolicy').filter((c) => c.input['Bucket'] === 'org-cloudtrail-logs');
    expect(policyCalls.map((c) => `${c.account}/${c.region}`)).to.deep.equal([`${LOG}/eu-west-1`]);
    expect(read(result.dir, `accounts/${LOG}/eu-west-1/s3/org-cloudtrail-logs/GetBucketPolicy.json`)).to.have.property('Policy');
    // Found by asking the trail's owner first, then the other accounts in scope.
    expect(fake.made('ListBuckets').map((c) => c.account).sort()).to.deep.equal([MGMT, LOG]);
  });

  it('refuses to call the collection usable when no account and region answered DescribeTrails', async () => {
    fake = withFake(orgEstate({ fault: (c) => (c.op === 'DescribeTrails' ? awsError('AccessDeniedException', 'no', 400) : undefined) }));
    const result = await collectFake(fake);
    expect(result.usable).to.equal(false);
    expect(result.summary.errorsByName['AccessDeniedException']).to.equal(8);
  });
});
