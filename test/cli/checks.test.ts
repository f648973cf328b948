// `trailproof checks list`: the catalog as a table or JSON, and the rule linter with --rules.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { packageRoot } from '../../src/paths.js';
import { requireSigmaHq, SIGMAHQ_DIR } from '../helpers/sigmahq.js';

const sigmaHq = SIGMAHQ_DIR;

describe('trailproof checks list', () => {
  it('lists every check with severity, framework requirements and parameter defaults', async () => {
    const io = memoryIo();
    expect(await main(['checks', 'list', '--format', 'json'], io)).to.equal(0);
    const catalog = JSON.parse(io.out) as { id: string; frameworks: Record<string, string[]>; parameters: { name: string; type: string; default: unknown }[] }[];
    const logging = catalog.find((c) => c.id === 'trail.logging-active');
    expect(logging?.parameters.map(({ name, type, default: d }) => ({ name, type, default: d }))).to.deep.equal([{ name: 'maxDeliveryAgeHours', type: 'integer', default: 24 }]);
    expect(catalog.find((c) => c.id === 'trail.log-file-validation')?.frameworks['cis-aws-3.0']).to.deep.equal(['3.2']);
  });

  it('lints the built-in rules clean, and exits 1 naming a rule that can never match raw CloudTrail', async () => {
    const clean = memoryIo();
    expect(await main(['checks', 'list', '--rules', join(packageRoot, 'checks', 'rules'), '--format', 'json'], clean)).to.equal(0);
    const report = JSON.parse(clean.out) as { rules: { ruleId: string; issues: unknown[] }[]; errors: unknown[] };
    expect(report.rules.length).to.be.greaterThan(50);
    expect(report.errors).to.deep.equal([]);

    const dir = mkdtempSync(join(tmpdir(), 'trailproof-rules-'));
    writeFileSync(join(dir, 'bad.yml'), [
      'title: Bucket deleted by the wrong field',
      'logsource: {product: aws, service: cloudtrail}',
      'detection:',
      '  selection:',
      '    eventSource: s3.amazonaws.com',
      '    evntName: DeleteBucket',
      '  condition: selection',
      'level: high',
    ].join('\n'));
    const bad = memoryIo();
    expect(await main(['checks', 'list', '--rules', dir, '--format', 'json'], bad)).to.equal(1);
    const issues = (JSON.parse(bad.out) as { rules: { issues: { level: string; message: string }[] }[] }).rules[0]?.issues ?? [];
    expect(issues.some((i) => i.level === 'error' && /field "evntName" never matches raw CloudTrail/.test(i.message))).to.equal(true);
  });

  it('loads every community SigmaHQ CloudTrail rule unmodified', async function () {
    requireSigmaHq(this);
    const io = memoryIo();
    await main(['checks', 'list', '--rules', sigmaHq, '--format', 'json'], io);
    const report = JSON.parse(io.out) as { rules: unknown[]; errors: unknown[] };
    expect(report.errors).to.deep.equal([]);
    expect(report.rules.length).to.be.greaterThan(50);
  });
});
