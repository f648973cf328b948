import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findUnlisted, locateContained, pathProblem, readContained, readContainedSync } from '../../src/evidence/contained.js';
import { planBundle, readManifest } from '../../src/events/readers/bundle.js';
import { BundleBuilder } from '../../fixtures/bundle-builder.js';

/** root/ with in/ok, a symlink inside, a symlink out, a FIFO and a folder; secret beside root. */
function tree(): { base: string; root: string } {
  const base = mkdtempSync(join(tmpdir(), 'trailproof-contained-'));
  const root = join(base, 'root');
  mkdirSync(join(root, 'in', 'folder'), { recursive: true });
  writeFileSync(join(base, 'secret'), 'SECRET');
  writeFileSync(join(root, 'in', 'ok'), 'OK');
  symlinkSync(join(root, 'in', 'ok'), join(root, 'in', 'alias'));
  symlinkSync(join(base, 'secret'), join(root, 'in', 'out'));
  execFileSync('mkfifo', [join(root, 'in', 'pipe')]);
  return { base, root };
}

describe('contained reads', () => {
  it('reads a regular file inside the root, also through a symlink that stays inside', async () => {
    const { root } = tree();
    expect(readContainedSync(root, 'in/ok')).to.deep.include({ kind: 'ok' });
    expect((readContainedSync(root, 'in/alias') as { bytes: Buffer }).bytes.toString()).to.equal('OK');
    expect(((await readContained(root, 'in/ok')) as { bytes: Buffer }).bytes.toString()).to.equal('OK');
  });

  it('refuses, with the reason, paths that climb, are absolute, lead out by a symlink, or are not regular files', async () => {
    const { root } = tree();
    const reasons = Object.fromEntries(['../secret', '/etc/passwd', 'in\\ok', 'in/out', 'in/pipe', 'in/folder'].map((p) => {
      const read = readContainedSync(root, p);
      return [p, read.kind === 'refused' ? read.reason : read.kind];
    }));
    expect(reasons).to.deep.equal({
      '../secret': `a path that climbs out with ".." (it would resolve outside ${root})`,
      '/etc/passwd': `an absolute path (it would resolve outside ${root})`,
      'in\\ok': `a path with a backslash (it would resolve outside ${root})`,
      'in/out': `a symlink leading outside ${root}`,
      'in/pipe': 'a FIFO, not a regular file',
      'in/folder': 'a folder, not a regular file',
    });
    expect(await readContained(root, 'in/pipe')).to.deep.equal({ kind: 'refused', reason: 'a FIFO, not a regular file' });
    expect(readContainedSync(root, 'in/nothing')).to.deep.equal({ kind: 'missing' });
    expect(locateContained(root, 'in/ok', 1)).to.deep.equal({ kind: 'refused', reason: 'larger than the 1-byte bound (2 bytes)' });
    expect(pathProblem('a/b.json')).to.equal(undefined);
  });

  it('names unlisted entries (symlinks and FIFOs too) without following or opening them', () => {
    const { root } = tree();
    const found = findUnlisted(root, (rel) => rel === 'in/ok');
    expect(found).to.deep.equal({ named: ['in/alias', 'in/out', 'in/pipe'], total: 3, incomplete: false });
  });

  it('the events bundle reader skips a listed FIFO or symlink out with the reason instead of reading it', () => {
    const b = new BundleBuilder();
    const log = 'logs/AWSLogs/111111111111/CloudTrail/us-east-1/2026/09/14/111111111111_CloudTrail_us-east-1_20260914T0310Z_aaaaaaaaaaaaaaaa.json.gz';
    const log2 = log.replace('aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb');
    b.file(log, 'x').file(log2, 'y');
    const dir = b.writeTemp();
    const base = mkdtempSync(join(tmpdir(), 'trailproof-contained-'));
    writeFileSync(join(base, 'outside.json.gz'), 'z');
    execFileSync('rm', [join(dir, log), join(dir, log2)]);
    execFileSync('mkfifo', [join(dir, log)]);
    symlinkSync(join(base, 'outside.json.gz'), join(dir, log2));
    const plan = planBundle(dir, readManifest(dir), { from: null, to: null, accounts: [], regions: [] });
    expect(plan.units).to.deep.equal([]);
    expect(plan.skipped.map((s) => [s.name, s.reason])).to.deep.equal([
      [log, 'refused unread: a FIFO, not a regular file'],
      [log2, `refused unread: a symlink leading outside ${dir}`],
    ]);
  });
});
