import { requireDemoBundle } from '../helpers/demo-bundle.js';
import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import type { Findings } from '../../src/model/types.js';
import { packageRoot } from '../../src/paths.js';
import { pageText, requireReal, run } from './real-tools.js';


describe('the demo organization, audited and rendered to PDF', function () {
  this.timeout(180_000);
  const out = mkdtempSync(join(tmpdir(), 'trailproof-demo-report-'));
  let findings: Findings;
  let text: string;
  let joined: string;

  before(async function () {
    requireDemoBundle(this);
    requireReal(this, { chromium: true, tools: ['pdftotext'] });
    const audit = memoryIo(packageRoot);
    const code = await main(['audit', '--bundle', 'examples/demo-org', '--out', out, '--format', 'json', '--quiet'], audit);
    expect(code, audit.err).to.be.oneOf([0, 1]);
    findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings;
    const io = memoryIo(packageRoot);
    expect(await main(['report', '--findings', join(out, 'findings.json'), '--out', out, '--format', 'pdf', '--period', '2026-Q3'], io), io.err).to.equal(0);
    text = run('pdftotext', ['-layout', join(out, 'report.pdf'), '-']);
    joined = run('pdftotext', ['-raw', join(out, 'report.pdf'), '-']).replace(/\s+/g, '');
  });

  it('states the findings file\'s counts', () => {
    const summary = pageText(join(out, 'report.pdf'), 3);
    expect(summary).to.match(new RegExp(`Pass\\s+${findings.summary.PASS}\\b`));
    expect(summary).to.match(new RegExp(`Fail\\s+${findings.summary.FAIL}\\b`));
    expect(summary).to.match(new RegExp(`Manual review\\s+${findings.summary.MANUAL}\\b`));
    expect(summary).to.match(new RegExp(`Error\\s+${findings.summary.ERROR}\\b`));
    expect(summary).to.match(new RegExp(`Total\\s+${findings.results.length}\\b`));
    expect(summary).to.match(new RegExp(`Detections \\(risky events\\)\\s+${findings.detections.length}\\b`));
  });

  it('names every check and every requirement of the framework views', () => {
    for (const id of new Set(findings.results.map((r) => r.checkId))) expect(joined, id).to.contain(id);
    for (const fw of findings.frameworks ?? []) for (const req of fw.requirements) expect(joined, `${fw.id} ${req.id}`).to.contain(req.id.replace(/\s+/g, ''));
  });

  it('tells the story: Winter deleted the production bucket from 192.0.2.55 with the AWS CLI', function () {
    // audit runs the event rules over the demo's logs: the detection is there, or the story is broken.
    expect(findings.detections.filter((d) => d.eventName === 'DeleteBucket')).to.have.length.greaterThan(0);
    expect(joined).to.contain('Winter');
    expect(text).to.contain('DeleteBucket');
    expect(text).to.contain('192.0.2.55');
    expect(joined).to.contain('example-prod-customer-data');
    expect(joined).to.match(/aws-cli\//);
  });
});
