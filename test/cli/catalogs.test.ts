// `trailproof rules list` and `trailproof frameworks list`: the catalogs a user can see without reading the
// package's files, as JSON and as a table.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { loadFrameworks } from '../../src/engine/frameworks.js';

interface RuleEntry {
  id: string;
  level: string;
  title: string;
  kind: string;
  attack: string[];
  source: string;
}

describe('trailproof rules list', () => {
  it('lists the built-in rules with level, title, ATT&CK tags and their source, and a --rules folder beside them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-rules-list-'));
    writeFileSync(join(dir, 'mine.yml'), [
      'title: Bucket deleted',
      'id: 6a3c1d2e-0000-4000-8000-000000000001',
      'logsource: {product: aws, service: cloudtrail}',
      'tags: [attack.impact, attack.t1485]',
      'detection:',
      '  selection:',
      '    eventSource: s3.amazonaws.com',
      '    eventName: DeleteBucket',
      '  condition: selection',
      'level: high',
    ].join('\n'));
    const io = memoryIo(dir);
    expect(await main(['rules', 'list', '--rules', dir, '--format', 'json'], io)).to.equal(0);
    const { rules, errors } = JSON.parse(io.out) as { rules: RuleEntry[]; errors: string[] };
    expect(errors).to.deep.equal([]);
    expect(rules.length).to.be.greaterThan(50);
    expect(rules.filter((r) => r.source !== 'built-in').map(({ title, level, attack, source, kind }) => ({ title, level, attack, source, kind }))).to.deep.equal([
      { title: 'Bucket deleted', level: 'high', attack: ['attack.impact', 'attack.t1485'], source: 'mine.yml', kind: 'event' },
    ]);
    expect(rules.some((r) => r.source === 'built-in' && r.attack.length > 0)).to.equal(true);
  });

  it('prints a table piped whole, and exits 2 naming a rule file that does not load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-rules-list-'));
    writeFileSync(join(dir, 'broken.yml'), 'title: [unclosed\n');
    const io = memoryIo(dir);
    expect(await main(['rules', 'list', '--rules', dir, '--no-builtin-rules'], io)).to.equal(2);
    expect(io.out.split('\n')[0]).to.match(/^ID\s+LEVEL\s+TITLE\s+ATT&CK\s+SOURCE$/);
    expect(io.err).to.match(/rule not loaded: .*broken\.yml/);
  });
});

describe('trailproof frameworks list', () => {
  it('lists every framework file with its name, version, requirement count and the checks mapped', async () => {
    const io = memoryIo();
    expect(await main(['frameworks', 'list', '--format', 'json'], io)).to.equal(0);
    const entries = JSON.parse(io.out) as { id: string; name: string; version: string; requirements: number; checks: string[] }[];
    const files = loadFrameworks();
    expect(entries.map((e) => e.id)).to.deep.equal(files.map((f) => f.id));
    const cis = entries.find((e) => e.id === 'cis-aws-3.0');
    const cisFile = files.find((f) => f.id === 'cis-aws-3.0');
    expect(cis?.requirements).to.equal(cisFile?.requirements.length);
    expect(cis?.checks).to.include('trail.log-file-validation');
    expect(cis?.name).to.equal(cisFile?.title);

    const table = memoryIo();
    expect(await main(['frameworks', 'list'], table)).to.equal(0);
    expect(table.out.split('\n')[0]).to.match(/^ID\s+NAME\s+VERSION\s+REQUIREMENTS\s+CHECKS$/);
    expect(table.out).to.match(/^cis-aws-3\.0\s+CIS Amazon Web Services Foundations Benchmark\s+3\.0\.0\s+/m);
  });
});
