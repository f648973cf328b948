import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SharedBrowser } from '../../src/report/browser.js';
import { renderReportHtml } from '../../src/report/html.js';
import { buildReportView } from '../../src/report/model.js';
import { loadTemplates } from '../../src/report/templates.js';
import type { Findings } from '../../src/model/types.js';
import { fixtureFindings, previousFindings, writeFixtureBundle } from './fixtures.js';
import { requireReal } from './real-tools.js';

describe('HTML report', () => {
  const bundle = writeFixtureBundle();
  const findings = fixtureFindings(bundle);
  const { html } = renderReportHtml(findings, { bundleDir: bundle.dir, previous: previousFindings(findings), branding: { organizationName: 'Example Corp', colors: { primary: '#123456' } } });

  it('is one self-contained document: inline styles and SVG, one inline script admitted by its hash, nothing to fetch', () => {
    expect(html).to.match(/^<!DOCTYPE html>/);
    expect(html).to.match(/content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; script-src 'sha256-[A-Za-z0-9+/]{43}='"/);
    expect(html.match(/<script/gi)).to.have.length(1);
    expect(html).not.to.match(/<script[^>]*\ssrc=/i);
    expect(html).not.to.match(/(src|href)="(https?:)?\/\//i);
    expect(html).not.to.match(/<link\b/i);
    expect(html.match(/<svg [^>]*class="chart"/g)).to.have.length(3);
    expect(html).to.contain('--primary: #123456');
  });

  it('has every section of the evidence report', () => {
    for (const id of ['sec-cover', 'sec-toc', 'sec-summary', 'sec-scope', 'sec-frameworks', 'sec-attention', 'sec-detections', 'sec-waivers', 'sec-changes', 'sec-evidence', 'sec-results', 'sec-signoff']) {
      expect(html, id).to.contain(`id="${id}"`);
    }
  });

  it('breaks a waiver owner\'s e-mail address only before its @ and dots, and keeps check ids in table columns on one line', () => {
    const waived = fixtureFindings();
    waived.waivers = [{ checkId: 'monitoring.console-login-without-mfa', resource: '*', account: 'any', reason: 'Cost', owner: 'cloud-security@example.com', expires: '2027-01-01', expired: false, matched: 0 } as Findings['waivers'][number]];
    const out = renderReportHtml(waived).html;
    expect(out).to.contain('cloud-security<wbr>@example<wbr>.com');
    expect(out).to.contain('<span class="check-id">monitoring.console-login-without-mfa</span>');
  });

  it('escapes what comes from AWS data', () => {
    const hostile = fixtureFindings();
    (hostile.results[1] as { message: string }).message = '<img src=x onerror=alert(1)> & "quotes"';
    const out = renderReportHtml(hostile).html;
    expect(out).not.to.contain('<img src=x');
    expect(out).to.contain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &amp; &quot;quotes&quot;');
  });

  it('lets --templates replace a partial or the stylesheet, and refuses names it does not know', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-templates-'));
    mkdirSync(join(dir, 'partials'));
    writeFileSync(join(dir, 'partials', 'signoff.hbs'), '<section id="sec-signoff"><h2>Approved by the audit committee of {{organization}}</h2></section>');
    writeFileSync(join(dir, 'report.css'), 'body { color: #010203; }');
    const out = renderReportHtml(findings, { templatesDir: dir, branding: { organizationName: 'Example Corp' } }).html;
    expect(out).to.contain('Approved by the audit committee of Example Corp');
    expect(out).to.contain('body { color: #010203; }');
    const bad = mkdtempSync(join(tmpdir(), 'trailproof-templates-'));
    writeFileSync(join(bad, 'reprot.hbs'), '');
    expect(() => loadTemplates(bad)).to.throw(/unknown template "reprot.hbs"/);
  });

  it('names the template and the field when a template refers to something that does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-templates-'));
    mkdirSync(join(dir, 'partials'));
    writeFileSync(join(dir, 'partials', 'cover.hbs'), '<h1>{{organisation}}</h1>');
    expect(() => renderReportHtml(findings, { templatesDir: dir })).to.throw(/templates\/report\.hbs|organisation/);
  });

  it('refuses a branding colour that is not a colour, naming the config key', () => {
    expect(() => buildReportView(findings, { branding: { colors: { accent: 'red;}body{display:none' } } })).to.throw(/report\.colors\.accent/);
  });

  describe('opened in headless Chromium', function () {
    this.timeout(60_000);
    let browser: SharedBrowser;
    before(function () {
      requireReal(this, { chromium: true });
      browser = new SharedBrowser();
    });
    after(async () => {
      await browser?.close();
    });

    it('loads with no console error, no network request and its three charts drawn', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'trailproof-html-'));
      const file = join(dir, 'report.html');
      writeFileSync(file, html);
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warn') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => requests.push(r.url()));
      const url = pathToFileURL(file).href;
      await page.goto(url, { waitUntil: 'networkidle0' });
      const charts = (await page.evaluate(`[...document.querySelectorAll('svg.chart')].map((s) => ({ label: s.getAttribute('aria-label'), shapes: s.querySelectorAll('rect').length, width: s.getBoundingClientRect().width }))`)) as { label: string; shapes: number; width: number }[];
      const title = await page.title();
      await page.close();
      expect(errors).to.deep.equal([]);
      expect(requests.filter((r) => r !== url && !r.startsWith('data:'))).to.deep.equal([]);
      expect(charts).to.have.length(3);
      for (const c of charts) {
        expect(c.shapes, c.label).to.be.greaterThan(0);
        expect(c.width, c.label).to.be.greaterThan(200);
      }
      expect(charts.map((c) => c.label).join(' | ')).to.contain('Failing results by severity: 0 critical, 1 high, 1 medium');
      expect(title).to.equal('CloudTrail compliance evidence report · Example Corp · 1 Jul 2026 to 30 Sep 2026');
    });
  });
});
