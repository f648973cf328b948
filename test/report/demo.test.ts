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
  let html: string;
  let pages: number;

  before(async function () {
    requireDemoBundle(this);
    requireReal(this, { chromium: true, tools: ['pdftotext'] });
    const audit = memoryIo(packageRoot);
    const code = await main(['audit', '--bundle', 'examples/demo-org', '--out', out, '--format', 'json', '--quiet'], audit);
    expect(code, audit.err).to.be.oneOf([0, 1]);
    findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings;
    const io = memoryIo(packageRoot);
    expect(await main(['report', '--findings', join(out, 'findings.json'), '--bundle', 'examples/demo-org', '--out', out, '--format', 'pdf,html', '--period', '2026-Q3'], io), io.err).to.equal(0);
    text = run('pdftotext', ['-layout', join(out, 'report.pdf'), '-']);
    html = readFileSync(join(out, 'report.html'), 'utf8');
    pages = text.split('\f').filter((p) => p.trim() !== '').length;
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

  it('splits no check id or e-mail address across lines, in any table column', () => {
    // A fragment is a word of the page text that is a strict start or end of a check id or an address
    // ('security@exa' / 'mple.com', 'monitoring.unauthorized-' / 'api-calls'), and is not itself one.
    const whole = new Set([...findings.results.map((r) => r.checkId), ...(text.match(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g) ?? []), ...findings.waivers.map((w) => w.owner)]);
    const fragments = new Set<string>();
    for (const word of text.split(/\s+/).map((w) => w.replace(/^[("'[]+|[)"',;:\]]+$/g, '').replace(/\.$/, ''))) {
      if (word.length < 3 || !/[.@]/.test(word) || whole.has(word)) continue;
      for (const id of whole) if (id.startsWith(word) || id.endsWith(word)) fragments.add(`${word} (of ${id})`);
    }
    expect([...fragments]).to.deep.equal([]);
  });

  it('lists the period\'s days without logs in the detections table as not-examined ranges', () => {
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).to.contain('1 Jul 2026 to 12 Sep 2026: not examined (74 days without logs in the evidence)');
    expect(flat).to.contain('16 Sep 2026 to 30 Sep 2026: not examined (15 days without logs in the evidence)');
    expect(flat.indexOf('1 Jul 2026 to 12 Sep 2026: not examined')).to.be.greaterThan(flat.indexOf('Every detection'));
  });

  it('shows trends over three quarters from the two earlier quarters of examples/history: counts, frameworks, the regression and the recovery', async () => {
    // As `npm run demo` renders it: with --history, so also "changes since" 2026-Q2.
    const io = memoryIo(packageRoot);
    const dir = join(out, 'three-quarters');
    expect(await main(['report', '--findings', join(out, 'findings.json'), '--bundle', 'examples/demo-org', '--out', dir, '--format', 'pdf,html', '--period', '2026-Q3', '--history', 'examples/history'], io), io.err).to.equal(0);
    const all = run('pdftotext', ['-layout', join(dir, 'report.pdf'), '-']);
    const trends = all.slice(all.indexOf('audits of the same organization')).replace(/[ \t]+/g, ' ');
    const history = ['2026-Q1', '2026-Q2'].map((q) => JSON.parse(readFileSync(join(packageRoot, 'examples', 'history', q, 'findings.json'), 'utf8')) as Findings);
    for (const [i, f] of [...history, findings].entries()) {
      const label = `2026-Q${i + 1}`;
      // The table row: the audit, then its counts in the findings' status order (the statuses some audit has),
      // observations (FAIL at severity info) after FAIL.
      expect(trends, label).to.match(new RegExp(`${label} ${f.summary.PASS} ${f.summary.FAIL} ${f.summary.observations} ${f.summary.MANUAL} ${f.summary.ERROR} `));
      expect(trends, label).to.contain(` ${f.results.length} ${f.detections.length}\n`);
    }
    expect(trends).to.contain('CIS Amazon Web Services Foundations Benchmark 5.0.0');
    expect(trends).to.match(/Checks that regressed since 2026-Q2[\s\S]*bucket\.not-public[\s\S]*Checks that recovered since 2026-Q2[\s\S]*bucket\.object-lock/);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const moves = /<table class="grid trend-moves">[\s\S]*?<\/table>/.exec(html)?.[0].replace(/<wbr>/g, '') ?? '';
    expect(moves).to.contain('bucket.not-public').and.to.contain('arn:aws:s3:::example-prod-trail-logs');
    expect(html.match(/<svg [^>]*class="chart"/g)).to.have.length(5);
    // The trends add three pages, "changes since" a few more (still failing rolled up per check, not 55 rows).
    expect(all.split('\f').filter((p) => p.trim() !== '').length).to.be.lessThan(60);
  });

  it('fits in under 50 pages', () => {
    expect(pages).to.be.greaterThan(5).and.lessThan(50);
  });

  it('states its limits on the cover: a snapshot, 3 of the 92 days of logs, the accounts and regions', () => {
    const cover = pageText(join(out, 'report.pdf'), 1).replace(/\s+/g, ' ');
    expect(cover).to.contain('Limits of this evidence');
    expect(cover).to.contain('one snapshot of the AWS API responses taken 1 Oct 2026 06:00:00 UTC');
    expect(cover).to.contain('CloudTrail log files for 3 days of the 92 days in the period (13 Sep 2026 to 15 Sep 2026); the other days were not examined');
    expect(cover).to.contain('Scope: 6 accounts');
    const scope = text.replace(/\s+/g, ' ');
    expect(scope).to.contain('It does not show:');
    expect(scope).to.contain('Sample elsewhere:');
    expect(html).to.contain('not examined');
  });

  it('summarises on one page: the verdict, the counts in words, the bucket deletion, the refused StopLogging and the KMS key', () => {
    const summary = pageText(join(out, 'report.pdf'), 3).replace(/\s+/g, ' ');
    const serious = findings.results.filter((r) => r.status === 'FAIL' && (r.severity === 'critical' || r.severity === 'high')).length;
    expect(summary).to.contain('Not compliant');
    expect(summary).to.contain(`${serious} of ${findings.summary.FAIL} failures are critical or high`);
    expect(summary).to.match(/Winter \(IAMUser\) ran s3:DeleteBucket on arn:aws:s3:::\s?example-prod-customer-\s?data/);
    expect(summary).to.match(/ravi@example\.com \(AssumedRole\) ran cloudtrail:StopLogging .* \(refused: AccessDenied\)/);
    expect(summary).to.contain('kms:ScheduleKeyDeletion');
    expect(summary).to.contain('To do:');
    expect(summary).to.contain('Owner:');
  });

  it('tells the bucket deletion as a timeline: the access key, the eight DeleteObjects before, the NoSuchBucket failures after, the log file and its digest chain', () => {
    const incident = /high\s+14 Sep 2026 03:32:07 UTC · S3 bucket deleted[\s\S]*?(?=\n\s*(?:high|critical)\s+\d{1,2} \w{3} 2026|\nEvery detection)/.exec(text)?.[0] ?? '';
    expect(incident).to.contain('AKIA4MZQ7WINTER2K5LX');
    expect(incident.match(/s3:DeleteObjects/g)).to.have.length(8);
    expect(incident).to.match(/03:32:07\s+s3:DeleteBucket/);
    expect(incident.match(/NoSuchBucket/g)?.length).to.be.greaterThan(2);
    expect(incident.replace(/\s+/g, '')).to.contain('444444444444_CloudTrail_us-east-1_20260914T0344Z');
    expect(incident).to.contain('Covered by the verified digest chain of trail example-org-trail');
  });

  it('shows an event several rules matched as one row naming the rules', () => {
    expect(html.match(/s3-bucket-made-public \(high\), s3-bucket-policy-changed \(low\)/g)).to.have.length(1);
  });

  it('shows the word a verdict rests on: Suspended, and the cited /Statement/2 rather than statement 0', () => {
    expect(joined).to.contain('VersioningConfiguration.Status:Suspended');
    expect(html).to.match(/&quot;Policy&quot;: … at \/Statement\/2:/);
    expect(html).to.contain('AllowBIVendorRead');
  });

  it('loses no evidence reference: every file, pointer and SHA-256 a result cites is in the HTML', () => {
    for (const r of findings.results) {
      // CloudTrail log and digest files are listed by folder with a folder digest (the appendix), as before.
      for (const e of r.evidence.filter((x) => !x.file.startsWith('logs/') || ['FAIL', 'ERROR', 'MANUAL'].includes(r.status))) {
        expect(html, e.file).to.contain(e.file);
        expect(html, e.sha256).to.contain(e.sha256);
        if (['FAIL', 'ERROR', 'MANUAL'].includes(r.status)) expect(html, `${e.file}#${e.pointer}`).to.contain(`${e.file}<span class="pointer">#${e.pointer.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;')}</span>`);
      }
    }
  });
});
