// The report reads a few facts from the bundle beside the findings (account names, the organization id, the
// file list for the appendix). The bundle is evidence from elsewhere: a listed organizations file that is a
// FIFO must not block the report, and one that is a symlink out of the bundle must not be read.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBundleFacts } from '../../src/report/bundle-facts.js';

const ACCOUNT = '111111111111';
const LIST = `accounts/${ACCOUNT}/global/organizations/ListAccounts.json`;
const DESCRIBE = `accounts/${ACCOUNT}/global/organizations/DescribeOrganization.json`;

function bundleWith(place: (dir: string) => void): string {
  const parent = mkdtempSync(join(tmpdir(), 'trailproof-facts-'));
  const dir = join(parent, 'bundle');
  mkdirSync(join(dir, 'accounts', ACCOUNT, 'global', 'organizations'), { recursive: true });
  writeFileSync(join(parent, 'outside.json'), JSON.stringify({ Accounts: [{ Id: '999999999999', Name: 'read-from-outside' }], Organization: { Id: 'o-outside0000' } }));
  place(dir);
  const files = { [LIST]: createHash('sha256').update('x').digest('hex'), [DESCRIBE]: createHash('sha256').update('y').digest('hex') };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ tool: 't', version: '0', collectedAt: '2026-10-01T00:00:00Z', identity: { Account: ACCOUNT, Arn: 'arn' }, scope: { accounts: [ACCOUNT], regions: [] }, files }));
  return dir;
}

describe('report facts from a hostile bundle', () => {
  it('does not block on a listed organizations file that is a FIFO, and leaves the names out', function () {
    this.timeout(20_000);
    const dir = bundleWith((d) => {
      execFileSync('mkfifo', [join(d, LIST)]);
      execFileSync('mkfifo', [join(d, DESCRIBE)]);
    });
    const read = readBundleFacts(dir, undefined);
    expect(read.kind).to.equal('ok');
    if (read.kind === 'ok') {
      expect([...read.facts.accountNames.keys()]).to.deep.equal([]);
      expect(read.facts.organizationId).to.equal(null);
    }
  });

  it('does not read a listed organizations file that is a symlink out of the bundle', () => {
    const dir = bundleWith((d) => {
      symlinkSync(join(d, '..', 'outside.json'), join(d, LIST));
      symlinkSync(join(d, '..', 'outside.json'), join(d, DESCRIBE));
    });
    const read = readBundleFacts(dir, undefined);
    expect(read.kind).to.equal('ok');
    if (read.kind === 'ok') {
      expect(read.facts.accountNames.has('999999999999')).to.equal(false);
      expect(read.facts.organizationId).to.equal(null);
    }
  });

  it('says the manifest is unusable when manifest.json is a FIFO', function () {
    this.timeout(20_000);
    const dir = bundleWith(() => undefined);
    execFileSync('rm', [join(dir, 'manifest.json')]);
    execFileSync('mkfifo', [join(dir, 'manifest.json')]);
    const read = readBundleFacts(dir, undefined);
    expect(read.kind).to.equal('unusable');
    if (read.kind === 'unusable') expect(read.note).to.match(/manifest not readable .*FIFO|not a regular file/i);
  });
});
