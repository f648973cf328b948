import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { Bundle } from '../../src/evidence/bundle.js';
import { Estate } from '../../src/evidence/estate.js';
import { parseDigestKey } from '../../src/evidence/s3-layout.js';
import { packageRoot } from '../../src/paths.js';
import type { Findings } from '../../src/model/types.js';
import { ACCOUNTS, ORG_ID, SCOPE_REGIONS, buildDemoOrg, demoSigningKey } from '../../scripts/demo-org/generate.js';

const script = fileURLToPath(new URL('../../scripts/make-demo-org.js', import.meta.url));
const committed = join(packageRoot, 'examples', 'demo-org');

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(root, full).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

interface LogRecord {
  eventTime: string;
  eventName: string;
  eventSource: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  recipientAccountId: string;
  userIdentity: { type: string; arn?: string; accessKeyId?: string; userName?: string };
  requestParameters: Record<string, unknown> | null;
  eventCategory: string;
  errorCode?: string;
}

/** The log files under logs/ (not the digest files and their sidecars beside them). */
function logFiles(dir: string): string[] {
  return listFiles(dir).filter((f) => f.startsWith('logs/') && f.includes('/CloudTrail/'));
}

interface Digest {
  awsAccountId: string;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  newestEventTime: string | null;
  oldestEventTime: string | null;
  previousDigestS3Object: string | null;
  logFiles: { s3Bucket: string; s3Object: string; hashValue: string; newestEventTime: string; oldestEventTime: string }[];
}

function records(dir: string, file: string): LogRecord[] {
  return (JSON.parse(gunzipSync(readFileSync(join(dir, file))).toString('utf8')) as { Records: LogRecord[] }).Records;
}

describe('examples/demo-org (the demo organization)', function () {
  this.timeout(120000);
  let tmp: string;
  let generated: string;

  before(function () {
    tmp = mkdtempSync(join(tmpdir(), 'trailproof-demo-org-'));
    generated = join(tmp, 'demo-org');
    execFileSync(process.execPath, [script, generated], { stdio: 'pipe' });
  });

  after(function () {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('regenerates byte for byte: the script writes exactly the committed files and manifest', function () {
    const expected = listFiles(committed);
    const actual = listFiles(generated);
    expect(actual).to.deep.equal(expected);
    const differing = actual.filter((f) => !readFileSync(join(generated, f)).equals(readFileSync(join(committed, f))));
    expect(differing, 'files that differ from examples/demo-org (run: node dist/scripts/make-demo-org.js)').to.deep.equal([]);
  });

  it('builds the same bundle twice in one process (no clock, no unseeded randomness)', function () {
    expect(buildDemoOrg().manifest()).to.deep.equal(buildDemoOrg().manifest());
  });

  it('writes a manifest that validates and names every file of the bundle with its SHA-256', function () {
    const bundle = Bundle.open(generated);
    expect(bundle.integrity.verified).to.equal(true);
    expect(bundle.manifest.tool).to.equal('trailproof-demo-generator');
    expect(bundle.manifest.version).to.equal('1');
    expect(bundle.manifest.collectedAt).to.equal('2026-10-01T06:00:00.000Z');
    expect(bundle.manifest.identity.Account).to.equal('111111111111');
    expect(bundle.manifest.scope).to.deep.equal({ accounts: Object.values(ACCOUNTS), regions: [...SCOPE_REGIONS] });
    expect(Object.keys(bundle.manifest.files)).to.deep.equal(listFiles(generated).filter((f) => f !== 'manifest.json'));
  });

  it('stays under 3 MB', function () {
    const bytes = listFiles(committed).reduce((sum, f) => sum + statSync(join(committed, f)).size, 0);
    expect(bytes).to.be.below(3 * 1024 * 1024);
  });

  it('models the organization the README describes', function () {
    const estate = new Estate(Bundle.open(committed));
    expect(estate.organization?.id).to.equal(ORG_ID);
    expect(estate.accounts.map((a) => [a.id, a.name])).to.deep.equal([
      ['111111111111', 'example-management'], ['222222222222', 'example-log-archive'], ['333333333333', 'example-security'],
      ['444444444444', 'example-workload-prod'], ['555555555555', 'example-workload-staging'], ['666666666666', 'example-sandbox-new'],
    ]);
    expect(estate.organization?.members.has('777777777777')).to.equal(false);
    expect(estate.trails.map((t) => t.name)).to.deep.equal(['security-audit', 'staging-legacy', 'example-org-trail', 'prod-trail']);
    expect(estate.trailsFor(ACCOUNTS.sandbox).map((t) => t.name)).to.deep.equal(['example-org-trail']);
    const org = estate.trails.find((t) => t.name === 'example-org-trail');
    expect(org?.isOrganizationTrail).to.equal(true);
    expect(org?.bucket?.account).to.equal(ACCOUNTS.logArchive);
    expect(org?.key?.collected).to.equal(true);
    expect(org?.key?.account).to.equal(ACCOUNTS.security);
    const legacy = estate.trails.find((t) => t.name === 'staging-legacy');
    expect(legacy?.bucket?.collected).to.equal(false);
    expect(legacy?.status.kind === 'ok' && legacy.status.value.IsLogging).to.equal(false);
    const sydney = estate.regionsOf(ACCOUNTS.staging).find((ar) => ar.region === 'ap-southeast-2');
    expect(sydney?.describeTrails.kind === 'error' && sydney.describeTrails.error.name).to.equal('AccessDeniedException');
  });

  it('delivers log files in the S3 layout with the organization prefix, 50 to 300 records each, a few thousand in all', function () {
    const logs = logFiles(committed);
    const layout = /^logs\/AWSLogs\/o-a1b2c3d4e5\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/2026\/09\/(\d{2})\/\1_CloudTrail_\2_202609\3T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/;
    expect(logs.filter((f) => !layout.test(f))).to.deep.equal([]);
    let total = 0;
    for (const file of logs) {
      const recs = records(committed, file);
      expect(recs.length, file).to.be.within(50, 300);
      const account = (layout.exec(file) as RegExpExecArray)[1];
      expect(recs.every((r) => r.recipientAccountId === account), file).to.equal(true);
      total += recs.length;
    }
    expect(total).to.be.within(2000, 8000);
  });

  it('holds the story: Winter deletes example-prod-customer-data at 03:32:07 UTC on 2026-09-14, after emptying it', function () {
    const dir = 'logs/AWSLogs/o-a1b2c3d4e5/444444444444/CloudTrail/us-east-1/2026/09/14/';
    const recs = listFiles(committed).filter((f) => f.startsWith(dir)).flatMap((f) => records(committed, f));
    const byWinter = recs.filter((r) => r.userIdentity.userName === 'Winter');
    const deletion = byWinter.find((r) => r.eventName === 'DeleteBucket');
    expect(deletion).to.include({ eventTime: '2026-09-14T03:32:07Z', eventSource: 's3.amazonaws.com', awsRegion: 'us-east-1', sourceIPAddress: '192.0.2.55' });
    expect(deletion?.userIdentity).to.include({ type: 'IAMUser', arn: 'arn:aws:iam::444444444444:user/Winter' });
    expect(deletion?.userIdentity.accessKeyId).to.match(/^AKIA[A-Z0-9]{16}$/);
    expect(deletion?.userAgent).to.match(/^aws-cli\/2\.17\.20 .*md\/command#s3api\.delete-bucket$/);
    expect(deletion?.requestParameters).to.deep.equal({ bucketName: 'example-prod-customer-data', Host: 'example-prod-customer-data.s3.us-east-1.amazonaws.com' });
    const before = byWinter.filter((r) => r.eventTime < '2026-09-14T03:32:07Z');
    expect(before.every((r) => r.sourceIPAddress === '192.0.2.55')).to.equal(true);
    expect(before.map((r) => r.eventName)).to.include.members(['PutBucketVersioning', 'ListObjects', 'DeleteObjects']);
    expect(before.find((r) => r.eventName === 'PutBucketVersioning')?.requestParameters?.['VersioningConfiguration']).to.deep.include({ Status: 'Suspended' });
    const afterwards = recs.filter((r) => r.eventTime > '2026-09-14T03:32:07Z' && r.requestParameters?.['bucketName'] === 'example-prod-customer-data');
    expect(afterwards.length).to.be.above(0);
    expect(afterwards.every((r) => r.errorCode === 'NoSuchBucket')).to.equal(true);
  });

  it('holds the other risky events: root sign-in, sign-in without MFA, a StopLogging denied by an SCP, an AccessDenied burst', function () {
    const all = logFiles(committed).flatMap((f) => records(committed, f));
    expect(all.some((r) => r.eventName === 'ConsoleLogin' && r.userIdentity.type === 'Root')).to.equal(true);
    expect(all.some((r) => r.eventName === 'ConsoleLogin' && r.userIdentity.type === 'IAMUser' && (r as unknown as { additionalEventData: { MFAUsed: string } }).additionalEventData.MFAUsed === 'No')).to.equal(true);
    const stop = all.find((r) => r.eventName === 'StopLogging');
    expect(stop?.errorCode).to.equal('AccessDenied');
    expect((stop as unknown as { errorMessage: string }).errorMessage).to.contain('explicit deny in a service control policy');
    expect(all.some((r) => r.eventName === 'PutBucketPolicy' && r.requestParameters?.['bucketName'] === 'example-prod-trail-logs')).to.equal(true);
    const denied = all.filter((r) => r.sourceIPAddress === '198.51.100.23' && /AccessDenied|UnauthorizedOperation/.test(r.errorCode ?? ''));
    expect(denied.length).to.be.at.least(30);
  });

  it('holds hourly signed digests of the organization trail for every account and region with logs, chained over the three days', function () {
    const files = listFiles(committed);
    const digests = files.filter((f) => f.includes('/CloudTrail-Digest/') && f.endsWith('.json.gz'));
    const layout = /^logs\/AWSLogs\/o-a1b2c3d4e5\/(\d{12})\/CloudTrail-Digest\/([a-z0-9-]+)\/2026\/09\/\d{2}\/\1_CloudTrail-Digest_\2_example-org-trail_us-east-1_202609\d{2}T\d{6}Z\.json\.gz$/;
    expect(digests.filter((f) => !layout.test(f))).to.deep.equal([]);
    expect(files.filter((f) => f.endsWith('.metadata.json'))).to.deep.equal(digests.map((f) => `${f}.metadata.json`));
    const withLogs = [...new Set(logFiles(committed).map((f) => f.split('/').slice(3, 6).join('/')))].sort();
    const chains = new Map<string, Digest[]>();
    for (const file of digests) {
      const chain = file.split('/').slice(3, 6).join('/').replace('CloudTrail-Digest', 'CloudTrail');
      chains.set(chain, [...(chains.get(chain) ?? []), JSON.parse(gunzipSync(readFileSync(join(committed, file))).toString('utf8')) as Digest]);
    }
    expect([...chains.keys()].sort()).to.deep.equal(withLogs);
    for (const [chain, list] of chains) {
      list.sort((a, b) => a.digestEndTime.localeCompare(b.digestEndTime));
      // One an hour from before the first day's midnight to after the last day's: every hour of the logs is covered.
      expect(list, chain).to.have.length(73);
      expect((list[0] as Digest).digestStartTime < '2026-09-13T00:00:00Z' && (list[72] as Digest).digestEndTime > '2026-09-16T00:00:00Z', chain).to.equal(true);
      list.forEach((d, i) => {
        expect(d.digestS3Bucket).to.equal('example-org-cloudtrail-logs');
        expect(d.awsAccountId).to.equal(chain.split('/')[0]);
        expect(d.digestPublicKeyFingerprint).to.equal(demoSigningKey().fingerprint);
        expect(Date.parse(d.digestEndTime) - Date.parse(d.digestStartTime)).to.equal(3600_000);
        expect(parseDigestKey(d.digestS3Object)?.end.toISOString().replace('.000Z', 'Z')).to.equal(d.digestEndTime);
        const before = list[i - 1];
        if (before !== undefined) {
          expect(d.previousDigestS3Object).to.equal(before.digestS3Object);
          expect(d.digestStartTime).to.equal(before.digestEndTime);
        }
        expect(d.newestEventTime === null).to.equal(d.logFiles.length === 0);
      });
      // Quiet hours are signed too, with no log files, as CloudTrail does.
      expect(list.filter((d) => d.logFiles.length === 0).length, chain).to.be.above(list.length / 2);
    }
    const keys = JSON.parse(readFileSync(join(committed, 'accounts/111111111111/us-east-1/cloudtrail/ListPublicKeys.json'), 'utf8')) as { PublicKeyList: { Fingerprint: string; Value: string }[] };
    expect(keys.PublicKeyList.map((k) => k.Fingerprint)).to.deep.equal([demoSigningKey().fingerprint]);
  });

  it('names every log file in exactly one digest, in the hour it was delivered, with its SHA-256 and event span', function () {
    const listed = new Map<string, { digest: Digest; entry: Digest['logFiles'][number] }[]>();
    for (const file of listFiles(committed).filter((f) => f.includes('/CloudTrail-Digest/') && f.endsWith('.json.gz'))) {
      const digest = JSON.parse(gunzipSync(readFileSync(join(committed, file))).toString('utf8')) as Digest;
      for (const entry of digest.logFiles) listed.set(entry.s3Object, [...(listed.get(entry.s3Object) ?? []), { digest, entry }]);
    }
    const logs = logFiles(committed);
    expect([...listed.keys()].sort()).to.deep.equal(logs.map((f) => f.slice('logs/'.length)));
    for (const file of logs) {
      const [only, ...others] = listed.get(file.slice('logs/'.length)) ?? [];
      expect(others, file).to.deep.equal([]);
      const { digest, entry } = only as { digest: Digest; entry: Digest['logFiles'][number] };
      expect(entry.s3Bucket).to.equal('example-org-cloudtrail-logs');
      expect(entry.hashValue).to.equal(createHash('sha256').update(gunzipSync(readFileSync(join(committed, file)))).digest('hex'));
      const times = records(committed, file).map((r) => r.eventTime).sort();
      expect([entry.oldestEventTime, entry.newestEventTime]).to.deep.equal([times[0], times[times.length - 1]]);
      const stamp = (/_(\d{8}T\d{4})Z_/.exec(file) as RegExpExecArray)[1] as string;
      const delivered = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:00Z`;
      expect(digest.digestStartTime <= delivered && delivered < digest.digestEndTime, file).to.equal(true);
    }
  });

  it('proves its logs intact: trail.log-integrity PASSes the organization trail, the other trails have no digests (NOT_TESTED)', async function () {
    const io = memoryIo();
    const code = await main(['audit', '--bundle', committed, '--checks', 'trail.log-integrity', '--format', 'json', '--fail-on', 'none'], io);
    expect(code, io.err).to.equal(0);
    const results = (JSON.parse(io.out) as Findings).results.map((r) => [r.resource.replace(/^arn:aws:cloudtrail:[a-z0-9-]+:\d{12}:trail\//, ''), r.status, r.message]);
    expect(results).to.deep.equal([
      ['example-org-trail', 'PASS', 'Trail example-org-trail: 40 log files from 2026-09-12T23:00:41Z to 2026-09-16T00:54:57Z verified intact, 876 digest files in an unbroken chain. The signing keys came with the bundle (its own ListPublicKeys files), so this proves integrity only as far as the bundle\'s producer is trusted.'],
      ['security-audit', 'NOT_TESTED', 'Not tested: the bundle holds no digest files for trail security-audit, so its log files could not be proven intact (collect with --logs to copy them).'],
      ['prod-trail', 'NOT_TESTED', 'Not tested: the bundle holds no digest files for trail prod-trail, so its log files could not be proven intact (collect with --logs to copy them).'],
      ['staging-legacy', 'NOT_TESTED', 'Not tested: the bundle holds no digest files for trail staging-legacy, so its log files could not be proven intact (collect with --logs to copy them).'],
    ]);
  });

  it('refuses to delete a folder that is not a demo bundle', function () {
    const other = join(tmp, 'not-a-bundle');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'keep me\n');
    const run = spawnSync(process.execPath, [script, other], { encoding: 'utf8' });
    expect(run.status).to.equal(2);
    expect(run.stderr).to.contain('refusing to delete');
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).to.equal('keep me\n');
  });
});
