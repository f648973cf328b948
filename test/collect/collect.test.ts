// A whole organization collected through the SDK clients (mocked with aws-sdk-client-mock): the bundle's
// layout, merged pages, evidence followed to the account and region where it lives, and the bundle read back
// by the estate model and audited.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { CollectResult } from '../../src/collect/index.js';
import { Bundle } from '../../src/evidence/bundle.js';
import { Estate } from '../../src/evidence/estate.js';
import { FakeAws } from '../../fixtures/fake-aws.js';
import { DEV, LOG, MGMT, ORG_KEY_ARN, ORG_TRAIL_ARN, PROD, SUSPENDED, TOPIC_ARN, auditBundle, collectFake, orgEstate } from '../../fixtures/estates.js';

function read(dir: string, path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, path), 'utf8')) as Record<string, unknown>;
}

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(root, join(d, e.name)).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

describe('collect: an organization through the SDK', function () {
  let fake: FakeAws;
  let result: CollectResult;
  let dir: string;

  before(async () => {
    fake = new FakeAws(orgEstate()).install();
    result = await collectFake(fake, { lookupEvents: true });
    dir = result.dir;
  });
  after(() => fake.restore());

  it('collects every ACTIVE account and enabled region, and says what was collected', () => {
    expect(result.usable).to.equal(true);
    const manifest = result.manifest as { tool: string; identity: { Account: string }; scope: { accounts: string[]; regions: string[] } };
    expect(manifest.tool).to.equal('trailproof');
    expect(manifest.identity.Account).to.equal(MGMT);
    expect(manifest.scope.accounts).to.deep.equal([MGMT, LOG, DEV, PROD]);
    expect(manifest.scope.accounts).not.to.include(SUSPENDED);
    expect(manifest.scope.regions).to.deep.equal(['eu-west-1', 'us-east-1']);
    expect(fake.made('DescribeTrails').map((c) => c.region)).not.to.include('af-south-1');
  });

  it('places every call where CONTRACT section 2 puts it', () => {
    for (const account of [MGMT, LOG, DEV, PROD]) {
      for (const file of ['ec2/DescribeRegions.json', 's3control/GetPublicAccessBlock.json', 'organizations/DescribeOrganization.json']) {
        expect(existsSync(join(dir, `accounts/${account}/global/${file}`)), `${account} ${file}`).to.equal(true);
      }
      for (const region of ['us-east-1', 'eu-west-1']) {
        for (const file of ['cloudtrail/DescribeTrails.json', 'cloudtrail/ListEventDataStores.json', 'logs/DescribeLogGroups.json', 'logs/DescribeMetricFilters.json', 'cloudwatch/DescribeAlarms.json', 'cloudtrail/LookupEvents.jsonl']) {
          expect(existsSync(join(dir, `accounts/${account}/${region}/${file}`)), `${account} ${region} ${file}`).to.equal(true);
        }
      }
    }
    for (const file of ['ListAccounts', 'ListAWSServiceAccessForOrganization', 'ListDelegatedAdministrators']) {
      expect(existsSync(join(dir, `accounts/${MGMT}/global/organizations/${file}.json`)), file).to.equal(true);
    }
    expect(readdirSync(join(dir, 'accounts'))).to.deep.equal([MGMT, LOG, DEV, PROD].sort());
  });

  it('lists every file in the manifest with its SHA-256, and nothing else', () => {
    const files = result.manifest['files'] as Record<string, string>;
    const onDisk = listFiles(dir).filter((f) => f !== 'manifest.json');
    expect(Object.keys(files).sort()).to.deep.equal(onDisk);
    for (const [path, sha] of Object.entries(files)) expect(createHash('sha256').update(readFileSync(join(dir, path))).digest('hex'), path).to.equal(sha);
    const bundle = Bundle.open(dir);
    expect(bundle.integrity.verified).to.equal(true);
  });

  it('merges every page of a paginated answer, with dates as ISO strings and no $metadata or tokens', () => {
    const accounts = read(dir, `accounts/${MGMT}/global/organizations/ListAccounts.json`);
    expect(fake.made('ListAccounts')).to.have.length(3);
    expect((accounts['Accounts'] as { Id: string }[]).map((a) => a.Id)).to.deep.equal([MGMT, LOG, DEV, PROD, SUSPENDED]);
    expect((accounts['Accounts'] as { JoinedTimestamp: string }[])[0]?.JoinedTimestamp).to.equal('2024-01-02T03:04:05.000Z');
    expect(accounts).not.to.have.property('NextToken');
    expect(accounts).not.to.have.property('$metadata');
    const groups = read(dir, `accounts/${MGMT}/us-east-1/logs/DescribeLogGroups.json`);
    expect((groups['logGroups'] as { logGroupName: string }[]).map((g) => g.logGroupName)).to.deep.equal(['org-trail', 'other-a', 'other-b']);
    expect(groups).not.to.have.property('nextToken');
    const subs = read(dir, `accounts/${MGMT}/us-east-1/sns/ListSubscriptionsByTopic/security-alerts.json`);
    expect((subs['Subscriptions'] as { Endpoint: string }[]).map((s) => s.Endpoint)).to.deep.equal(['a@example.com', 'b@example.com', 'c@example.com']);
    expect((subs['Subscriptions'] as { TopicArn: string }[])[0]?.TopicArn).to.equal(TOPIC_ARN);
  });

  it('reads each event data store with GetEventDataStore', () => {
    const stores = read(dir, `accounts/${MGMT}/us-east-1/cloudtrail/ListEventDataStores.json`);
    expect((stores['EventDataStores'] as unknown[]).length).to.equal(3);
    for (const id of ['eds-1', 'eds-2', 'eds-3']) {
      expect(read(dir, `accounts/${MGMT}/us-east-1/cloudtrail/GetEventDataStore/${id}.json`)['RetentionPeriod']).to.equal(2557);
    }
  });

  it("reads each trail's status, selectors and insights once, in the owner's home region", () => {
    const statusCalls = fake.made('GetTrailStatus').filter((c) => c.input['Name'] === ORG_TRAIL_ARN);
    expect(statusCalls.map((c) => `${c.account}/${c.region}`)).to.deep.equal([`${MGMT}/us-east-1`]);
    expect(read(dir, `accounts/${MGMT}/us-east-1/cloudtrail/GetTrailStatus/org-trail.json`)['LatestDeliveryTime']).to.equal('2026-09-30T23:55:00.000Z');
    expect(read(dir, `accounts/${MGMT}/us-east-1/cloudtrail/GetEventSelectors/org-trail.json`)['TrailARN']).to.equal(ORG_TRAIL_ARN);
    expect(read(dir, `accounts/${MGMT}/us-east-1/cloudtrail/GetInsightSelectors/org-trail.json`)).to.deep.equal({
      $error: { name: 'InsightNotEnabledException', message: `Trail ${ORG_TRAIL_ARN} does not have Insights enabled.` },
    });
    expect(existsSync(join(dir, `accounts/${DEV}/eu-west-1/cloudtrail/GetTrailStatus/dev-trail.json`))).to.equal(true);
    expect(listFiles(dir).filter((f) => f.includes('GetTrailStatus/org-trail'))).to.have.length(1);
  });

  it("follows the organization trail's bucket and key to the log archive account, in their own regions", () => {
    const base = `accounts/${LOG}/eu-west-1/s3/org-cloudtrail-logs`;
    const ops = ['GetBucketPolicy', 'GetBucketPolicyStatus', 'GetPublicAccessBlock', 'GetBucketAcl', 'GetBucketVersioning', 'GetBucketLogging', 'GetBucketEncryption', 'GetBucketLifecycleConfiguration', 'GetObjectLockConfiguration', 'GetBucketLocation'];
    for (const op of ops) expect(existsSync(join(dir, `${base}/${op}.json`)), op).to.equal(true);
    // Read with the log archive account's role: AWS denies another account's reads.
    expect(read(dir, `${base}/GetBucketVersioning.json`)).to.deep.equal({ Status: 'Enabled' });
    expect(read(dir, `${base}/GetBucketLocation.json`)).to.deep.equal({ LocationConstraint: 'eu-west-1' });
    expect(read(dir, `${base}/GetBucketLifecycleConfiguration.json`)).to.deep.equal({ $error: { name: 'NoSuchLifecycleConfiguration', message: 'The lifecycle configuration does not exist' } });
    const keyDir = `accounts/${LOG}/us-east-1/kms/0b7f1c52-1111-4d3a-9b7e-00000000a001`;
    expect((read(dir, `${keyDir}/DescribeKey.json`)['KeyMetadata'] as { Arn: string }).Arn).to.equal(ORG_KEY_ARN);
    expect(read(dir, `${keyDir}/GetKeyRotationStatus.json`)['KeyRotationEnabled']).to.equal(true);
    expect(read(dir, `${keyDir}/GetKeyPolicy.json`)['PolicyName']).to.equal('default');
    expect(listFiles(dir).filter((f) => f.includes('/s3/access-logs/'))).to.deep.equal([]);
  });

  it('records a bucket owned outside the scope as not collected, and writes nothing for it', () => {
    expect(listFiles(dir).filter((f) => f.includes('vendor-archive-bucket'))).to.deep.equal([]);
    expect(result.summary.notCollected.map((n) => `${n.kind} ${n.id}`)).to.include('bucket vendor-archive-bucket');
    expect((result.manifest['collection'] as { notCollected: { id: string }[] }).notCollected.map((n) => n.id)).to.include('vendor-archive-bucket');
  });

  it('stores the event history as one LookupEvents Event per line', () => {
    const lines = readFileSync(join(dir, `accounts/${MGMT}/us-east-1/cloudtrail/LookupEvents.jsonl`), 'utf8').trim().split('\n');
    expect(lines).to.have.length(5);
    const first = JSON.parse(lines[0] as string) as { EventId: string; EventTime: string; Username: string };
    expect(first).to.include({ EventId: 'event-0', EventTime: '2026-09-14T03:32:00.000Z', Username: 'Winter' });
    expect(readFileSync(join(dir, `accounts/${DEV}/us-east-1/cloudtrail/LookupEvents.jsonl`), 'utf8')).to.equal('');
  });

  it('counts answers that say "not configured" apart from failures', () => {
    expect(result.summary.errors).to.equal(0);
    expect(result.summary.notConfigured).to.be.greaterThan(0);
  });

  it('gives the estate model everything it looks for', () => {
    const estate = new Estate(Bundle.open(dir));
    const org = estate.trails.find((t) => t.arn === ORG_TRAIL_ARN);
    expect(org?.status.kind).to.equal('ok');
    expect(org?.bucket?.collected).to.equal(true);
    expect(org?.bucket?.account).to.equal(LOG);
    expect(org?.bucket?.region).to.equal('eu-west-1');
    expect(org?.key?.collected).to.equal(true);
    expect(org?.logGroup?.group?.value.logGroupName).to.equal('org-trail');
    expect(estate.organization?.members.size).to.equal(4);
    expect(estate.accounts.map((a) => a.regions)).to.deep.equal([['eu-west-1', 'us-east-1'], ['eu-west-1', 'us-east-1'], ['eu-west-1', 'us-east-1'], ['eu-west-1', 'us-east-1']]);
  });

  it('audits to MANUAL where the evidence lives outside the scope, and decides the rest', async () => {
    const findings = await auditBundle(dir);
    const vendor = findings.results.filter((r) => r.resource.includes('vendor-archive-bucket'));
    expect(vendor.length).to.be.greaterThan(0);
    expect([...new Set(vendor.map((r) => r.status))]).to.deep.equal(['MANUAL']);
    const validation = findings.results.filter((r) => r.checkId === 'trail.log-file-validation');
    expect(validation.map((r) => `${r.resource.split('/').pop() ?? ''} ${r.status}`).sort()).to.deep.equal(['dev-trail FAIL', 'org-trail PASS', 'prod-vendor PASS']);
  });
});
