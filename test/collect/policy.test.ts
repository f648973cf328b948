// The least-privilege policy in policy/trailproof-readonly-policy.json grants exactly the read-only actions
// the collector calls: checked against a full collection that exercises every call the code makes.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { LOG_COPY_ACTIONS, POLICY_FILE, READ_ACTIONS } from '../../src/collect/policy.js';
import { signingKey } from '../../fixtures/integrity-vectors.js';
import { FakeAws } from '../../fixtures/fake-aws.js';
import { collectFake, orgEstate } from '../../fixtures/estates.js';
import { bucketChain, fakePublicKey } from './log-vectors.js';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

const policy = JSON.parse(readFileSync(POLICY_FILE, 'utf8')) as { Version: string; Statement: Statement[] };
const read = policy.Statement.find((s) => s.Sid === 'TrailproofReadEvidence') as Statement;
const copy = policy.Statement.find((s) => s.Sid === 'TrailproofCopyTrailLogs') as Statement;
const decrypt = policy.Statement.find((s) => s.Sid === 'TrailproofDecryptTrailLogs') as Statement;

describe('collect: least-privilege policy', () => {
  it('grants only read-only actions, on every resource, and AssumeRole on the audit role', () => {
    expect(policy.Version).to.equal('2012-10-17');
    expect(policy.Statement.map((s) => s.Effect)).to.deep.equal(['Allow', 'Allow', 'Allow', 'Allow']);
    expect(read.Resource).to.equal('*');
    for (const action of read.Action as string[]) expect(action).to.match(/^[a-z0-9-]+:(Describe|Get|List|Lookup)[A-Za-z]+$/);
    const assume = policy.Statement.find((s) => s.Sid === 'TrailproofAssumeAuditRole');
    expect(assume?.Action).to.equal('sts:AssumeRole');
    expect(assume?.Resource).to.equal('arn:aws:iam::*:role/TrailproofAudit');
  });

  it('reads objects (collect --logs) only in the trail buckets, and decrypts only through S3', () => {
    expect(copy.Action).to.deep.equal([...LOG_COPY_ACTIONS]);
    expect(copy.Resource).to.deep.equal(['arn:aws:s3:::TRAIL-LOG-BUCKET', 'arn:aws:s3:::TRAIL-LOG-BUCKET/*']);
    expect(decrypt.Action).to.equal('kms:Decrypt');
    expect(decrypt.Condition).to.deep.equal({ StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } });
  });

  it('lists the actions the code declares, sorted', () => {
    expect(read.Action).to.deep.equal([...READ_ACTIONS]);
    expect([...READ_ACTIONS]).to.deep.equal([...READ_ACTIONS].sort());
    expect([...LOG_COPY_ACTIONS]).to.deep.equal([...LOG_COPY_ACTIONS].sort());
  });

  it('grants exactly the actions a full collection with --logs calls', async () => {
    const chain = bucketChain('org-cloudtrail-logs', { orgId: 'o-fake123456', account: '333333333333', region: 'eu-west-1', trail: 'org-trail', homeRegion: 'us-east-1' }, { hours: 2 });
    const fake = new FakeAws(orgEstate({ objects: { 'org-cloudtrail-logs': chain.objects }, publicKeys: [fakePublicKey(signingKey())] })).install();
    try {
      const result = await collectFake(fake, { lookupEvents: true, logs: { from: new Date('2026-09-14T00:00:00Z'), to: new Date('2026-09-14T03:00:00Z') } });
      expect(result.summary.logs?.digestFiles).to.equal(2);
      expect(result.actions.filter((a) => a !== 'sts:AssumeRole')).to.deep.equal([...read.Action, ...copy.Action].sort());
      expect(result.actions).to.include('sts:AssumeRole');
    } finally {
      fake.restore();
    }
  });

  it('is printed by collect --print-policy, with the role named by --assume-role', async () => {
    const io = memoryIo();
    expect(await main(['collect', '--print-policy'], io)).to.equal(0);
    expect(io.out).to.equal(readFileSync(POLICY_FILE, 'utf8'));
    expect(io.err).to.equal('');
    const named = memoryIo();
    expect(await main(['collect', '--print-policy', '--assume-role', 'SecurityAudit-ReadOnly'], named)).to.equal(0);
    const printed = JSON.parse(named.out) as { Statement: Statement[] };
    expect(printed.Statement[3]?.Resource).to.equal('arn:aws:iam::*:role/SecurityAudit-ReadOnly');
  });

  it('names the trail buckets given with --log-buckets in the log-copy statement', async () => {
    const io = memoryIo();
    expect(await main(['collect', '--print-policy', '--assume-role', 'Audit', '--log-buckets', 'org-trail-logs,dev-trail-logs'], io)).to.equal(0);
    const printed = JSON.parse(io.out) as { Statement: Statement[] };
    expect(printed.Statement.find((s) => s.Sid === 'TrailproofCopyTrailLogs')?.Resource).to.deep.equal([
      'arn:aws:s3:::org-trail-logs', 'arn:aws:s3:::org-trail-logs/*', 'arn:aws:s3:::dev-trail-logs', 'arn:aws:s3:::dev-trail-logs/*',
    ]);
    expect(printed.Statement.find((s) => s.Sid === 'TrailproofAssumeAuditRole')?.Resource).to.equal('arn:aws:iam::*:role/Audit');
  });
});
