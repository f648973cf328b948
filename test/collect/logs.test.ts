// `collect --logs` through the SDK clients (aws-sdk-client-mock): signed digest chains and their log files
// in the trail buckets are copied into logs/ at their keys with the digest sidecars, only the day folders of
// the period are listed, every page is read, the public keys are stored, and the bundle then validates
// (validate-logs, trail.log-integrity). Failures (a denied listing, an object S3 cannot decrypt for us, a
// bucket outside the scope) are counted and written where they show.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import type { CollectResult, LogsResult } from '../../src/collect/index.js';
import { progressLine } from '../../src/collect/progress.js';
import type { Findings } from '../../src/model/types.js';
import { signingKey } from '../../fixtures/integrity-vectors.js';
import { FakeAws, awsError, type FakeEstate, type FakeObject } from '../../fixtures/fake-aws.js';
import { DEV, LOG, MGMT, ORG_TRAIL_ARN, PROD, collectFake, orgEstate } from '../../fixtures/estates.js';
import { bucketChain, fakePublicKey, type BucketChain } from './log-vectors.js';

const ORG = 'o-fake123456';
const ORG_BUCKET = 'org-cloudtrail-logs';
const DEV_BUCKET = 'dev-trail-logs';
const WINDOW = { from: new Date('2026-09-14T00:00:00Z'), to: new Date('2026-09-14T05:00:00Z') };
const DEV_TRAIL_ARN = `arn:aws:cloudtrail:eu-west-1:${DEV}:trail/dev-trail`;

function files(root: string): string[] {
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

function readJson(dir: string, path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, path), 'utf8')) as Record<string, unknown>;
}

/** A log file object outside the chains, delivered at `at`, for pruning tests. */
function strayLog(at: string, account = DEV, region = 'eu-west-1'): FakeObject {
  const day = at.slice(0, 10).replace(/-/g, '/');
  const stamp = at.replace(/[-:]/g, '').slice(0, 13);
  return { key: `AWSLogs/${ORG}/${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${stamp}Z_stray.json.gz`, body: gzipSync('{"Records":[]}') };
}

interface Scenario {
  orgChain: BucketChain;
  mgmtChain: BucketChain;
  devChain: BucketChain;
  estate: FakeEstate;
}

/** The organization of estates.ts with signed chains in its trail buckets and a prefixed, validated dev trail. */
function scenario(overrides: Partial<FakeEstate> = {}): Scenario {
  const orgChain = bucketChain(ORG_BUCKET, { orgId: ORG, account: DEV, region: 'eu-west-1', trail: 'org-trail', homeRegion: 'us-east-1' }, { hours: 4, emptyHours: [2] });
  const mgmtChain = bucketChain(ORG_BUCKET, { orgId: ORG, account: MGMT, region: 'us-east-1', trail: 'org-trail', homeRegion: 'us-east-1' }, { hours: 3 });
  const devChain = bucketChain(DEV_BUCKET, { prefix: 'dev/ct', account: DEV, region: 'eu-west-1', trail: 'dev-trail', homeRegion: 'eu-west-1' }, { hours: 2 });
  const base = orgEstate();
  const estate = orgEstate({
    organization: { ...(base.organization as NonNullable<FakeEstate['organization']>), id: ORG },
    trails: (base.trails ?? []).map((t) => (t.name === 'dev-trail' ? { ...t, validation: true, prefix: 'dev/ct/' } : t)),
    objects: {
      [ORG_BUCKET]: [
        ...orgChain.objects, ...mgmtChain.objects,
        strayLog('2026-09-01T10:00:00Z'), strayLog('2026-09-13T20:00:00Z'),
        { key: `AWSLogs/${ORG}/${DEV}/CloudTrail/eu-west-1/2026/09/14/notes.txt`, body: Buffer.from('not a log') },
        { key: `AWSLogs/${ORG}/${DEV}/CloudTrail/ap-south-1/2026/09/14/${DEV}_CloudTrail_ap-south-1_20260914T0100Z_x.json.gz`, body: gzipSync('{}') },
      ],
      [DEV_BUCKET]: devChain.objects,
    },
    publicKeys: [fakePublicKey(signingKey())],
    ...overrides,
  });
  return { orgChain, mgmtChain, devChain, estate };
}

async function auditLogIntegrity(dir: string): Promise<Findings> {
  const io = memoryIo();
  const code = await main(['audit', '--bundle', dir, '--checks', 'trail.log-integrity', '--format', 'json', '--fail-on', 'none', '--quiet'], io);
  expect(code, io.err).to.equal(0);
  return JSON.parse(io.out) as Findings;
}

const statusOf = (findings: Findings, arn: string): string | undefined => findings.results.find((r) => r.resource === arn)?.status;

describe('collect --logs: trail log and digest files into the bundle', function () {
  this.timeout(30_000);

  describe('a clean copy', () => {
    let fake: FakeAws;
    let s: Scenario;
    let result: CollectResult;
    let logs: LogsResult;

    before(async () => {
      s = scenario();
      fake = new FakeAws(s.estate).install();
      result = await collectFake(fake, { logs: WINDOW });
      logs = result.summary.logs as LogsResult;
    });
    after(() => fake.restore());

    it('copies every log and digest file of the period at its key, the S3KeyPrefix kept', () => {
      const copied = files(join(result.dir, 'logs')).filter((f) => !f.endsWith('.metadata.json'));
      const expected = [s.orgChain, s.mgmtChain, s.devChain].flatMap((c) => c.objects.map((o) => o.key)).sort();
      expect(copied).to.deep.equal(expected);
      for (const c of [s.orgChain, s.devChain]) {
        for (const o of c.objects) expect(readFileSync(join(result.dir, 'logs', o.key)).equals(o.body), o.key).to.equal(true);
      }
      expect(copied.filter((k) => k.startsWith('dev/ct/AWSLogs/'))).to.have.length(s.devChain.objects.length);
      expect(logs).to.deep.include({ from: '2026-09-14T00:00:00.000Z', to: '2026-09-14T05:00:00.000Z', logFiles: 6 + 6 + 4, digestFiles: 4 + 3 + 2 });
    });

    it("writes each digest's S3 metadata into its sidecar", () => {
      for (const d of s.orgChain.vectors.digests) {
        expect(readJson(join(result.dir, 'logs'), `${d.key}.metadata.json`)).to.deep.equal({ signature: d.signature, 'signature-algorithm': 'SHA256withRSA' });
      }
      const sidecars = files(join(result.dir, 'logs')).filter((f) => f.endsWith('.metadata.json'));
      expect(sidecars).to.have.length(9);
    });

    it('hashes every copied file into the manifest', () => {
      const manifest = result.manifest['files'] as Record<string, string>;
      for (const f of files(join(result.dir, 'logs'))) {
        expect(manifest[`logs/${f}`], f).to.equal(createHash('sha256').update(readFileSync(join(result.dir, 'logs', f))).digest('hex'));
      }
    });

    it('lists only the day folders of the period, in the regions in scope, through the account that owns the bucket', () => {
      const listings = fake.made('ListObjectsV2');
      expect([...new Set(listings.map((c) => `${c.account}/${c.region}/${String(c.input['Bucket'])}`))].sort()).to.deep.equal([`${LOG}/eu-west-1/${ORG_BUCKET}`, `${DEV}/eu-west-1/${DEV_BUCKET}`]);
      const days = listings.filter((c) => c.input['Delimiter'] === undefined).map((c) => String(c.input['Prefix']));
      expect(days.filter((p) => p.includes(`/${DEV}/CloudTrail/eu-west-1/`)).sort()).to.include.members([`AWSLogs/${ORG}/${DEV}/CloudTrail/eu-west-1/2026/09/13/`, `AWSLogs/${ORG}/${DEV}/CloudTrail/eu-west-1/2026/09/14/`]);
      expect(days.every((p) => /\/2026\/09\/1[34]\/$/.test(p)), days.join(' ')).to.equal(true);
      expect(days.filter((p) => p.includes('CloudTrail-Digest')).every((p) => p.endsWith('/2026/09/14/'))).to.equal(true);
      // ap-south-1 has files but is not in scope; the stray files outside the period are not copied.
      expect(days.some((p) => p.includes('ap-south-1'))).to.equal(false);
      expect(existsSync(join(result.dir, 'logs', strayLog('2026-09-13T20:00:00Z').key))).to.equal(false);
      expect(existsSync(join(result.dir, 'logs', `AWSLogs/${ORG}/${DEV}/CloudTrail/eu-west-1/2026/09/14/notes.txt`))).to.equal(false);
    });

    it('reads every page of a listing', () => {
      const orgDay = fake.made('ListObjectsV2').filter((c) => c.input['Prefix'] === `AWSLogs/${ORG}/${DEV}/CloudTrail/eu-west-1/2026/09/14/`);
      // Six log files and a stray note, two to a page: four pages, and all six files copied.
      expect(orgDay.length).to.equal(4);
      const copied = files(join(result.dir, 'logs')).filter((f) => f.startsWith(`AWSLogs/${ORG}/${DEV}/CloudTrail/eu-west-1/2026/09/14/`));
      expect(copied).to.have.length(6);
    });

    it('copies an organization trail once, for every account in scope, and a single-region trail in its home region only', () => {
      const gets = fake.made('GetObject').map((c) => String(c.input['Key']));
      expect(gets.length).to.equal(new Set(gets).size);
      const accountsListed = new Set(fake.made('ListObjectsV2').map((c) => /AWSLogs\/o-[a-z0-9]+\/(\d{12})\//.exec(String(c.input['Prefix']))?.[1]).filter((a) => a !== undefined));
      expect([...accountsListed].sort()).to.deep.equal([MGMT, LOG, DEV, PROD].sort());
      const devDays = fake.made('ListObjectsV2').filter((c) => c.input['Bucket'] === DEV_BUCKET && c.input['Delimiter'] === undefined);
      expect(devDays.every((c) => String(c.input['Prefix']).startsWith(`dev/ct/AWSLogs/${DEV}/`) && String(c.input['Prefix']).includes('/eu-west-1/'))).to.equal(true);
      expect(logs.trails.map((t) => [t.trail, t.organizationIds, t.digestFiles])).to.deep.include.members([[ORG_TRAIL_ARN, [ORG], 7], [DEV_TRAIL_ARN, [], 2]]);
    });

    it('stores ListPublicKeys for each region whose digests were copied, the key as base64 DER', () => {
      expect(logs.publicKeys).to.deep.equal([`accounts/${MGMT}/eu-west-1/cloudtrail/ListPublicKeys.json`, `accounts/${MGMT}/us-east-1/cloudtrail/ListPublicKeys.json`]);
      const stored = readJson(result.dir, `accounts/${MGMT}/eu-west-1/cloudtrail/ListPublicKeys.json`) as { PublicKeyList: Record<string, string>[] };
      expect(stored.PublicKeyList).to.deep.equal([{ Value: signingKey().value, ValidityStartTime: '2026-01-01T00:00:00.000Z', ValidityEndTime: '2027-01-01T00:00:00.000Z', Fingerprint: signingKey().fingerprint }]);
      const asked = fake.made('ListPublicKeys')[0];
      expect(asked?.account).to.equal(MGMT);
      expect((asked?.input['StartTime'] as Date).toISOString()).to.equal('2026-09-13T23:00:00.000Z');
    });

    it('gives a bundle that validate-logs accepts with the stored public keys', async () => {
      const io = memoryIo();
      const code = await main(['validate-logs', '--logs', join(result.dir, 'logs'), '--public-keys', join(result.dir, `accounts/${MGMT}/eu-west-1/cloudtrail/ListPublicKeys.json`), '--format', 'json'], io);
      expect(code, io.out + io.err).to.equal(0);
      const report = JSON.parse(io.out) as { summary: { digests: { valid: number; total: number }; logs: { valid: number; total: number } } };
      expect(report.summary.digests).to.deep.equal({ valid: 9, total: 9 });
      expect(report.summary.logs).to.deep.equal({ valid: 16, total: 16 });
    });

    it('proves both trails intact in the audit (trail.log-integrity)', async () => {
      const findings = await auditLogIntegrity(result.dir);
      expect(statusOf(findings, ORG_TRAIL_ARN)).to.equal('PASS');
      expect(statusOf(findings, DEV_TRAIL_ARN)).to.equal('PASS');
    });

    it('gives scan --bundle every copied log file, prefixed ones included, and none of the digests or sidecars', async () => {
      const io = memoryIo();
      const code = await main(['scan', '--bundle', result.dir, '--format', 'json', '--fail-on', 'none'], io);
      expect(code, io.err).to.equal(0);
      const scan = (JSON.parse(io.out) as { scan: { files: { read: number; skipped: number }; events: { read: number } } }).scan;
      expect(scan.files).to.deep.equal({ read: 16, skipped: 0 });
      expect(scan.events.read).to.equal(32);
    });

    it('shows the log files copied in the progress line', () => {
      expect(progressLine({ accountsDone: 4, accountsTotal: 4, regionsDone: 8, regionsKnown: 8, calls: 120, errors: 0, logFiles: 16 }, 5000))
        .to.equal('collecting: 4/4 accounts, 8/8 regions, 120 calls, 0 errors, 16 log files copied, 5s elapsed');
    });

    it('counts the trail whose bucket is owned outside the scope as not copied, and nothing else as failed', () => {
      const vendor = logs.trails.find((t) => t.bucket === 'vendor-archive-bucket');
      expect(vendor?.notCollected).to.match(/^owned by none of the 4 accounts in scope/);
      expect(logs.failuresByKind).to.deep.equal({ 'not-collected': 1 });
      expect(logs.failures[0]).to.deep.include({ trail: `arn:aws:cloudtrail:us-east-1:${PROD}:trail/prod-vendor`, bucket: 'vendor-archive-bucket', kind: 'not-collected' });
      expect(result.summary.errors).to.equal(0);
      expect((result.manifest['collection'] as { logs: LogsResult }).logs.failureCount).to.equal(1);
    });
  });

  it('copies each folder once when two trails of an account share a bucket, every region of the multi-region one included', async () => {
    const single = bucketChain(DEV_BUCKET, { account: DEV, region: 'eu-west-1', trail: 'dev-trail', homeRegion: 'eu-west-1' }, { hours: 2 });
    const multi = bucketChain(DEV_BUCKET, { account: DEV, region: 'us-east-1', trail: 'dev-all', homeRegion: 'eu-west-1' }, { hours: 2 });
    const fake = new FakeAws(orgEstate({
      trails: [
        { owner: DEV, name: 'dev-trail', home: 'eu-west-1', multiRegion: false, bucket: DEV_BUCKET },
        { owner: DEV, name: 'dev-all', home: 'eu-west-1', multiRegion: true, bucket: DEV_BUCKET },
      ],
      objects: { [DEV_BUCKET]: [...single.objects, ...multi.objects] },
      publicKeys: [fakePublicKey(signingKey())],
    })).install();
    try {
      const result = await collectFake(fake, { logs: WINDOW });
      const logs = result.summary.logs as LogsResult;
      expect(logs).to.deep.include({ logFiles: 8, digestFiles: 4, failureCount: 0 });
      const prefixes = fake.made('ListObjectsV2').map((c) => String(c.input['Prefix']));
      expect(prefixes.filter((p) => p === `AWSLogs/${DEV}/CloudTrail/`)).to.have.length(1);
      const gets = fake.made('GetObject').map((c) => String(c.input['Key']));
      expect(gets).to.have.length(12);
      expect(new Set(gets).size).to.equal(12);
      const findings = await auditLogIntegrity(result.dir);
      expect(findings.results.map((r) => `${r.resource.split('/').pop() ?? ''} ${r.status}`).sort()).to.deep.equal(['dev-all PASS', 'dev-trail PASS']);
    } finally {
      fake.restore();
    }
  });

  describe('failures', () => {
    let fake: FakeAws | undefined;
    afterEach(() => fake?.restore());

    it('writes a denied listing as $error beside the bucket evidence, counts it, and leaves the trail unproven', async () => {
      const s = scenario({ fault: (c) => (c.op === 'ListObjectsV2' && c.input['Bucket'] === ORG_BUCKET ? awsError('AccessDenied', 'Access Denied', 403) : undefined) });
      fake = new FakeAws(s.estate).install();
      const result = await collectFake(fake, { logs: WINDOW });
      const logs = result.summary.logs as LogsResult;
      const denied = readJson(result.dir, `accounts/${LOG}/eu-west-1/s3/${ORG_BUCKET}/ListObjectsV2.json`);
      expect(denied['$error']).to.deep.equal({ name: 'AccessDenied', message: 'Access Denied' });
      expect(denied['Bucket']).to.equal(ORG_BUCKET);
      expect(String(denied['Prefix'])).to.match(new RegExp(`^AWSLogs/${ORG}/\\d{12}/CloudTrail(-Digest)?/$`));
      // One listing per account and kind was refused; each is counted as a denied call and kept in the manifest.
      expect(logs.failuresByKind['denied']).to.equal(8);
      expect(result.summary.errorsByKind['denied']).to.equal(8);
      expect(logs.trails.find((t) => t.trail === ORG_TRAIL_ARN)?.failures).to.equal(8);
      expect(logs.trails.find((t) => t.trail === DEV_TRAIL_ARN)?.digestFiles).to.equal(2);
      const findings = await auditLogIntegrity(result.dir);
      // The copy is known incomplete: the check cannot decide (ERROR naming the refused listing), never PASS.
      expect(statusOf(findings, ORG_TRAIL_ARN)).to.equal('ERROR');
      expect(statusOf(findings, DEV_TRAIL_ARN)).to.equal('PASS');
    });

    it('writes an object S3 would not decrypt for the auditor (no kms:Decrypt) as $error, and the check says it could not decide (ERROR), not that the log was deleted', async () => {
      const s = scenario();
      const victim = s.orgChain.vectors.logs[0]?.key as string;
      const objects = s.estate.objects?.[ORG_BUCKET] ?? [];
      for (const o of objects) if (o.key === victim) o.kmsDenied = true;
      fake = new FakeAws(s.estate).install();
      const result = await collectFake(fake, { logs: WINDOW });
      const logs = result.summary.logs as LogsResult;
      const error = readJson(result.dir, `accounts/${LOG}/eu-west-1/s3/${ORG_BUCKET}/GetObject.json`);
      expect(error).to.deep.include({ Bucket: ORG_BUCKET, Key: victim });
      expect((error['$error'] as { message: string }).message).to.include('kms:Decrypt');
      expect(logs.failures.filter((f) => f.kind !== 'not-collected')).to.deep.equal([{
        trail: ORG_TRAIL_ARN, bucket: ORG_BUCKET, account: LOG, region: 'eu-west-1', call: 'GetObject', key: victim, kind: 'denied', error: error['$error'],
      }]);
      expect(existsSync(join(result.dir, 'logs', victim))).to.equal(false);
      const findings = await auditLogIntegrity(result.dir);
      const org = findings.results.find((r) => r.resource === ORG_TRAIL_ARN);
      expect(org?.status).to.equal('ERROR');
      expect(org?.message).to.include('GetObject.json').and.include('kms:Decrypt');
    });

    it('writes a failed ListPublicKeys as $error, and the audit cannot verify the digests (ERROR)', async () => {
      const s = scenario({ fault: (c) => (c.op === 'ListPublicKeys' ? awsError('AccessDeniedException', 'not authorized to perform cloudtrail:ListPublicKeys', 400) : undefined) });
      fake = new FakeAws(s.estate).install();
      const result = await collectFake(fake, { logs: WINDOW });
      expect(readJson(result.dir, `accounts/${MGMT}/us-east-1/cloudtrail/ListPublicKeys.json`)).to.deep.equal({ $error: { name: 'AccessDeniedException', message: 'not authorized to perform cloudtrail:ListPublicKeys' } });
      expect((result.summary.logs as LogsResult).failuresByKind['denied']).to.equal(2);
      const findings = await auditLogIntegrity(result.dir);
      expect(statusOf(findings, ORG_TRAIL_ARN)).to.equal('ERROR');
    });

    it('says on stderr how many files could not be copied and which trails are incomplete', async () => {
      const { formatSummary } = await import('../../src/collect/index.js');
      const s = scenario({ fault: (c) => (c.op === 'ListObjectsV2' && c.input['Bucket'] === ORG_BUCKET ? awsError('AccessDenied', 'Access Denied', 403) : undefined) });
      fake = new FakeAws(s.estate).install();
      const text = formatSummary(await collectFake(fake, { logs: WINDOW }));
      expect(text).to.match(/^trailproof: logs 2026-09-14T00:00:00.000Z to 2026-09-14T05:00:00.000Z: 4 log files and 2 digest files \([0-9.]+ MB\) of 3 trails copied into logs\/; public keys in 1 region$/m);
      expect(text).to.include('trailproof: logs: 9 listings or objects could not be copied (not-collected 1, denied 8); the copy is incomplete (manifest.json collection.logs.failures)');
      expect(text).to.match(new RegExp(`^trailproof: logs: incomplete: ${ORG_TRAIL_ARN}: 8 failures, first: ListObjectsV2 s3://${ORG_BUCKET}/AWSLogs/${ORG}/\\d{12}/CloudTrail(-Digest)?/: AccessDenied$`, 'm'));
      expect(text).to.include('trailproof: logs: incomplete: arn:aws:cloudtrail:us-east-1:444444444444:trail/prod-vendor: bucket vendor-archive-bucket owned by none of the 4 accounts in scope');
    });
  });
});
