// The least-privilege policy in policy/trailproof-readonly-policy.json grants exactly the read-only actions
// the collector calls: checked against a full collection that exercises every call the code makes.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { POLICY_FILE, READ_ACTIONS } from '../../src/collect/policy.js';
import { FakeAws } from './fake-aws.js';
import { collectFake, orgEstate } from './estates.js';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string;
}

const policy = JSON.parse(readFileSync(POLICY_FILE, 'utf8')) as { Version: string; Statement: Statement[] };
const read = policy.Statement.find((s) => s.Sid === 'TrailproofReadEvidence') as Statement;

describe('collect: least-privilege policy', () => {
  it('grants only read-only actions, on every resource, and AssumeRole on the audit role', () => {
    expect(policy.Version).to.equal('2012-10-17');
    expect(policy.Statement.map((s) => s.Effect)).to.deep.equal(['Allow', 'Allow']);
    expect(read.Resource).to.equal('*');
    for (const action of read.Action as string[]) expect(action).to.match(/^[a-z0-9-]+:(Describe|Get|List|Lookup)[A-Za-z]+$/);
    const assume = policy.Statement.find((s) => s.Sid === 'TrailproofAssumeAuditRole');
    expect(assume?.Action).to.equal('sts:AssumeRole');
    expect(assume?.Resource).to.equal('arn:aws:iam::*:role/TrailproofAudit');
  });

  it('lists the actions the code declares, sorted', () => {
    expect(read.Action).to.deep.equal([...READ_ACTIONS]);
    expect([...READ_ACTIONS]).to.deep.equal([...READ_ACTIONS].sort());
  });

  it('grants exactly the actions a full collection calls', async () => {
    const fake = new FakeAws(orgEstate()).install();
    try {
      const result = await collectFake(fake, { lookupEvents: true });
      expect(result.actions.filter((a) => a !== 'sts:AssumeRole')).to.deep.equal(read.Action);
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
    expect(printed.Statement[1]?.Resource).to.equal('arn:aws:iam::*:role/SecurityAudit-ReadOnly');
  });
});
