// The interactive report.html in the real Chromium: the script is admitted by its hash and by nothing else,
// the page asks for nothing but itself, searching, filtering and sorting change what is shown as expected,
// a deep link (#result-<id>) reveals its row even when a filter hid it, hostile text from the evidence stays
// text, and without script (as in the PDF) every row is shown and no control is.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { TrailproofError } from '../../src/errors.js';
import type { Findings } from '../../src/model/types.js';
import { SharedBrowser } from '../../src/report/browser.js';
import { renderReportHtml } from '../../src/report/html.js';
import { renderReportPdf } from '../../src/report/pdf.js';
import { STATUS_LABELS } from '../../src/report/charts.js';
import { builtinTemplatesDir } from '../../src/report/templates.js';
import { LOG_BUCKET, PROD, fixtureFindings, writeFixtureBundle } from './fixtures.js';
import { requireReal, run } from './real-tools.js';

const bundle = writeFixtureBundle();
const findings = fixtureFindings(bundle);
const ids = (status?: string): string[] => findings.results.filter((r) => status === undefined || r.status === status).map((r) => r.id);

function writeHtml(html: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'trailproof-interactive-')), 'report.html');
  writeFileSync(file, html);
  return file;
}

/** What the reader sees: visible result ids (in order), visible detection anchors, day heads shown, the count line. */
interface Shown {
  results: string[];
  detections: string[];
  days: number;
  count: string | null;
  controls: number;
}
const SHOWN = `(() => {
  const visible = (el) => el.getClientRects().length > 0;
  return {
    results: [...document.querySelectorAll('table.results tbody tr')].filter(visible).map((r) => r.id.replace('result-', '')),
    detections: [...document.querySelectorAll('table.timeline tr[data-v]')].filter(visible).map((r) => r.id),
    days: [...document.querySelectorAll('table.timeline tr.day')].filter(visible).length,
    count: document.getElementById('tp-count')?.textContent ?? null,
    controls: document.querySelectorAll('.tp-controls, button.tp-sort').length,
  };
})()`;

describe('interactive HTML report', () => {
  const { html } = renderReportHtml(findings, { bundleDir: bundle.dir, branding: { organizationName: 'Example Corp' } });

  it('admits its one inline script through the SHA-256 of the exact text, and nothing else', () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
    expect(scripts).to.have.length(1);
    expect(html.match(/<script/gi)).to.have.length(1);
    const hash = createHash('sha256').update((scripts[0] as RegExpMatchArray)[1] as string).digest('base64');
    expect(html).to.contain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; script-src 'sha256-${hash}'"`);
    expect(html).not.to.match(/\son[a-z]+\s*=/i);
    expect(html).not.to.match(/\beval\(|new Function\(/);
  });

  it('writes a row per result, anchored result-<id>, with the values the filters read as data-* attributes', () => {
    for (const r of findings.results) {
      expect(html, r.id).to.contain(`<tr id="result-${r.id}" data-s="${r.status}" data-v="${r.severity}" data-f="${Object.keys(r.frameworks).sort().join(' ')}" data-a="${r.account}" data-r="${r.region}">`);
    }
  });

  it('words statuses in its filter as the report does', () => {
    const script = readFileSync(join(builtinTemplatesDir, 'report.js'), 'utf8');
    const labels = /const STATUS_LABELS = (\{[^}]*\});/.exec(script)?.[1] ?? '';
    const { NOT_ASSESSED: _notAssessed, ...expected } = STATUS_LABELS;
    expect(JSON.parse(labels.replace(/'/g, '"').replace(/(\w+):/g, '"$1":'))).to.deep.equal(expected);
  });

  it('refuses a --templates report.js that could end its own <script> element, and writes no script for an empty one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-templates-'));
    writeFileSync(join(dir, 'report.js'), 'const s = "</script><script>alert(1)";');
    expect(() => renderReportHtml(findings, { templatesDir: dir })).to.throw(TrailproofError, /report\.js: the script contains "<\/script"/);
    const empty = mkdtempSync(join(tmpdir(), 'trailproof-templates-'));
    writeFileSync(join(empty, 'report.js'), '');
    const out = renderReportHtml(findings, { templatesDir: empty }).html;
    expect(out).not.to.match(/<script/i);
    expect(out).to.contain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"`);
  });

  it('hashes a --templates report.js of its own, and a report.hbs may leave the script out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-templates-'));
    writeFileSync(join(dir, 'report.js'), 'document.documentElement.dataset.own = "yes";');
    const own = renderReportHtml(findings, { templatesDir: dir }).html;
    expect(own).to.contain('<script>document.documentElement.dataset.own = "yes";</script>');
    expect(own).to.contain(`script-src 'sha256-${createHash('sha256').update('document.documentElement.dataset.own = "yes";').digest('base64')}'`);
    const plain = mkdtempSync(join(tmpdir(), 'trailproof-templates-'));
    writeFileSync(join(plain, 'report.hbs'), '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{{{csp}}}"><title>{{title}}</title></head><body><main>{{> results}}</main></body></html>');
    const out = renderReportHtml(findings, { templatesDir: plain }).html;
    expect(out).not.to.match(/<script/i);
    expect(out).to.contain(`id="result-${ids()[0]}"`);
  });

  describe('in headless Chromium', function () {
    this.timeout(120_000);
    let browser: SharedBrowser;
    let page: Page;
    let file: string;
    let requests: string[];
    let problems: string[];

    before(function () {
      requireReal(this, { chromium: true });
      browser = new SharedBrowser();
      file = writeHtml(html);
    });
    after(async () => {
      await browser?.close();
    });

    async function open(url: string, javascript = true): Promise<Shown> {
      page = await browser.newPage();
      requests = [];
      problems = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => problems.push(`console ${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      await page.setJavaScriptEnabled(javascript);
      await page.goto(url, { waitUntil: 'load' });
      if (javascript) await page.waitForSelector('html[data-interactive="ready"]', { timeout: 30_000 });
      return shown();
    }
    const shown = async (): Promise<Shown> => (await page.evaluate(SHOWN)) as Shown;
    /** Waits until the live count says `text` (the search is applied after a short pause in typing). */
    async function counted(text: string): Promise<Shown> {
      await page.waitForFunction(`document.getElementById('tp-count')?.textContent === ${JSON.stringify(text)}`, { timeout: 10_000 });
      return shown();
    }
    afterEach(async () => {
      await page?.close();
    });

    it('starts with every row shown, the count, and makes no request and no console message', async () => {
      const url = pathToFileURL(file).href;
      const start = await open(url);
      expect(start.results).to.have.members(ids());
      expect(start.detections).to.have.length(findings.detections.length);
      expect(start.count).to.equal('8 of 8 results shown; 3 of 3 detections shown');
      expect(await page.$eval('#tp-count', (e) => e.getAttribute('aria-live'))).to.equal('polite');
      const labels = (await page.$$eval('.tp-controls label', (ls) => ls.map((l) => l.firstChild?.textContent))) as string[];
      expect(labels).to.deep.equal(['Search results and detections', 'Status', 'Severity', 'Framework', 'Account', 'Region']);
      expect(requests).to.deep.equal([url]);
      expect(problems).to.deep.equal([]);
    });

    it('narrows results and detections to the rows whose text holds every word typed', async () => {
      await open(pathToFileURL(file).href);
      await page.type('#tp-search', 'Winter');
      const winter = await counted('0 of 8 results shown; 2 of 3 detections shown');
      expect(winter.detections).to.have.length(2);
      expect(winter.days).to.equal(2);
      await page.evaluate(`document.getElementById('tp-search').value = ''`);
      await page.type('#tp-search', `${LOG_BUCKET.slice(13)} us-east`);
      const bucket = await counted('3 of 8 results shown; 0 of 3 detections shown');
      expect(bucket.results).to.have.members(findings.results.filter((r) => r.resource === LOG_BUCKET).map((r) => r.id));
      expect(bucket.days).to.equal(0);
      expect(problems).to.deep.equal([]);
    });

    it('filters by status, severity, framework, account and region, and clears', async () => {
      await open(pathToFileURL(file).href);
      await page.select('#tp-filter-s', 'FAIL');
      expect((await counted('2 of 8 results shown; 3 of 3 detections shown')).results).to.have.members(ids('FAIL'));
      await page.select('#tp-filter-s', '');
      await page.select('#tp-filter-v', 'high');
      const high = await counted('3 of 8 results shown; 2 of 3 detections shown');
      expect(high.results).to.have.members(findings.results.filter((r) => r.severity === 'high').map((r) => r.id));
      await page.select('#tp-filter-v', '');
      await page.select('#tp-filter-f', 'aws-fsbp');
      expect((await counted('2 of 8 results shown; 3 of 3 detections shown')).results).to.have.members(findings.results.filter((r) => 'aws-fsbp' in r.frameworks).map((r) => r.id));
      await page.select('#tp-filter-f', '');
      await page.select('#tp-filter-a', PROD);
      expect((await counted('1 of 8 results shown; 2 of 3 detections shown')).results).to.have.members(findings.results.filter((r) => r.account === PROD).map((r) => r.id));
      await page.select('#tp-filter-r', 'eu-west-1');
      const none = await counted('1 of 8 results shown; 0 of 3 detections shown');
      expect(none.days).to.equal(0);
      await page.click('#tp-clear');
      expect((await counted('8 of 8 results shown; 3 of 3 detections shown')).days).to.be.greaterThan(0);
      expect(problems).to.deep.equal([]);
    });

    it('shows the "needs attention" rows of the results shown, and keeps the filters in the address', async () => {
      const url = pathToFileURL(file).href;
      await open(url);
      const attention = async (): Promise<{ rows: number; groups: number }> =>
        (await page.evaluate(`(() => { const v = (e) => e.getClientRects().length > 0; return { rows: [...document.querySelectorAll('#sec-attention table.items tbody tr')].filter(v).length, groups: [...document.querySelectorAll('#sec-attention .group')].filter(v).length }; })()`)) as { rows: number; groups: number };
      const all = await attention();
      expect(all.rows).to.be.greaterThan(2);
      await page.select('#tp-filter-a', PROD);
      await counted('1 of 8 results shown; 2 of 3 detections shown');
      expect(await attention()).to.deep.equal({ rows: 1, groups: 1 });
      await page.type('#tp-search', 'Winter');
      await counted('0 of 8 results shown; 2 of 3 detections shown');
      expect(await attention()).to.deep.equal({ rows: 0, groups: 0 });
      const hash = (await page.evaluate('location.hash')) as string;
      expect(hash).to.equal(`#filter:a=${PROD}&q=winter`);
      await page.close();
      const again = await open(`${url}${hash}`);
      expect(again.count).to.equal('0 of 8 results shown; 2 of 3 detections shown');
      expect(await page.$eval('#tp-search', (e) => e.getAttribute('value') ?? '')).to.equal('');
      expect(await page.evaluate(`document.getElementById('tp-search').value`)).to.equal('winter');
      await page.click('#tp-clear');
      await counted('8 of 8 results shown; 3 of 3 detections shown');
      expect(await page.evaluate('location.hash')).to.equal('');
      expect(await attention()).to.deep.equal(all);
      expect(problems).to.deep.equal([]);
    });

    it('sorts a column ascending, then descending, then back to the written order, with aria-sort, from the keyboard too', async () => {
      const start = await open(pathToFileURL(file).href);
      const account = (id: string): string => (findings.results.find((r) => r.id === id) as Findings['results'][number]).account;
      const accountHead = 'table.results thead th:nth-child(4)';
      await page.click(`${accountHead} button`);
      const up = (await shown()).results.map(account);
      expect(up).to.deep.equal([...up].sort());
      expect(await page.$eval(accountHead, (th) => th.getAttribute('aria-sort'))).to.equal('ascending');
      await page.focus(`${accountHead} button`);
      await page.keyboard.press('Enter');
      const down = (await shown()).results.map(account);
      expect(down).to.deep.equal([...up].sort().reverse());
      expect(await page.$eval(accountHead, (th) => th.getAttribute('aria-sort'))).to.equal('descending');
      await page.keyboard.press('Enter');
      expect((await shown()).results).to.deep.equal(start.results);
      expect(await page.$eval(accountHead, (th) => th.getAttribute('aria-sort'))).to.equal(null);
      // Statuses sort worst first, not alphabetically.
      await page.click('table.results thead th:nth-child(2) button');
      const statuses = (await shown()).results.map((id) => (findings.results.find((r) => r.id === id) as Findings['results'][number]).status);
      expect(statuses).to.deep.equal(['FAIL', 'FAIL', 'ERROR', 'MANUAL', 'WAIVED', 'PASS', 'PASS', 'NOT_APPLICABLE']);
      // Badged cells sort by their badge: the per-check summary by severity, most severe first.
      const byCheck = '#sec-results table.sortable:not(.results)';
      await page.click(`${byCheck} thead th:nth-child(3) button`);
      const severities = (await page.evaluate(`[...document.querySelectorAll('${byCheck} tbody tr td:nth-child(3)')].map((td) => td.textContent.trim())`)) as string[];
      const rank = ['critical', 'high', 'medium', 'low', 'info'];
      expect(severities.map((v) => rank.indexOf(v))).to.deep.equal(severities.map((v) => rank.indexOf(v)).sort((a, b) => a - b));
      expect(new Set(severities).size).to.be.greaterThan(1);
      // Detections sorted by anything but their time lose their day heads until the order is restored.
      await page.click('table.timeline thead th:nth-child(2) button');
      expect((await shown()).days).to.equal(0);
      await page.click('table.timeline thead th:nth-child(2) button');
      await page.click('table.timeline thead th:nth-child(2) button');
      expect((await shown()).days).to.be.greaterThan(0);
      expect(problems).to.deep.equal([]);
    });

    it('opens a deep link #result-<id> on its row, clearing a filter that hid it and highlighting it', async () => {
      const failing = ids('FAIL')[0] as string;
      const url = `${pathToFileURL(file).href}#result-${failing}`;
      await open(url);
      const target = `[id="result-${failing}"]`;
      expect(await page.$eval(target, (r) => r.classList.contains('tp-hit'))).to.equal(true);
      await page.select('#tp-filter-s', 'PASS');
      const other = ids('FAIL')[1] as string;
      expect((await counted('2 of 8 results shown; 3 of 3 detections shown')).results).not.to.include(other);
      await page.evaluate(`location.hash = '#result-${other}'`);
      await page.waitForFunction(`document.getElementById('result-${other}')?.classList.contains('tp-hit')`, { timeout: 10_000 });
      const after = await shown();
      expect(after.results).to.include(other);
      expect(after.count).to.equal('8 of 8 results shown; 3 of 3 detections shown');
      const inView = await page.evaluate(`(() => { const box = document.getElementById('result-${other}').getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight; })()`);
      expect(inView).to.equal(true);
      expect(problems).to.deep.equal([]);
    });

    it('leaves a link to a section (the contents) where the browser put it: its heading at the top, below the controls', async () => {
      await open(`${pathToFileURL(file).href}#sec-results`);
      const top = (await page.evaluate(`document.getElementById('sec-results').getBoundingClientRect().top`)) as number;
      const controls = (await page.evaluate(`document.querySelector('.tp-controls').getBoundingClientRect().bottom`)) as number;
      expect(top).to.be.within(controls - 1, 140);
      expect(await page.evaluate(`document.querySelectorAll('.tp-hit').length`)).to.equal(0);
    });

    it('folds evidence excerpts on screen and opens them all on request', async () => {
      await open(pathToFileURL(file).href);
      const folds = async (): Promise<boolean[]> => (await page.evaluate(`[...document.querySelectorAll('details.fold')].map((d) => d.open)`)) as boolean[];
      const start = await folds();
      expect(start.length).to.be.greaterThan(0);
      expect(start.every((o) => !o)).to.equal(true);
      await page.click('#tp-folds');
      expect((await folds()).every((o) => o)).to.equal(true);
    });

    it('without script shows every row and every excerpt, and no control', async () => {
      const off = await open(pathToFileURL(file).href, false);
      expect(off.results).to.have.members(ids());
      expect(off.detections).to.have.length(findings.detections.length);
      expect(off.controls).to.equal(0);
      expect(off.count).to.equal(null);
      expect(await page.evaluate(`[...document.querySelectorAll('details.fold')].every((d) => d.open)`)).to.equal(true);
    });

    it('keeps hostile resource names, messages and actors as text: nothing runs, nothing is requested', async () => {
      const hostile = fixtureFindings(bundle);
      const first = hostile.results[0] as Findings['results'][number];
      first.resource = '<img src=x onerror="document.title=\'pwned\'">';
      (hostile.results[1] as Findings['results'][number]).message = '</script><script>document.title="pwned"</script> and "quotes"';
      (hostile.results[2] as Findings['results'][number]).account = '" onmouseover="document.title=\'pwned\'';
      (hostile.detections[0] as Findings['detections'][number]).actor = '"><svg onload="document.title=\'pwned\'">';
      const hostileFile = writeHtml(renderReportHtml(hostile, { bundleDir: bundle.dir }).html);
      const url = pathToFileURL(hostileFile).href;
      await open(url);
      expect(await page.$$eval('main img, main svg:not(.chart)', (els) => els.length)).to.equal(0);
      expect(requests).to.deep.equal([url]);
      await page.type('#tp-search', '<img src=x');
      const found = await counted('1 of 8 results shown; 0 of 3 detections shown');
      expect(found.results).to.deep.equal([first.id]);
      const accountOptions = await page.$$eval('#tp-filter-a option', (os) => os.map((o) => o.textContent));
      expect(accountOptions).to.include('"');
      expect(await page.title()).not.to.equal('pwned');
      expect(requests).to.deep.equal([url]);
      expect(problems).to.deep.equal([]);
    });
  });

  describe('printed to PDF', function () {
    this.timeout(180_000);
    before(function () {
      requireReal(this, { chromium: true, tools: ['pdftotext'] });
    });

    it('shows the evidence excerpts and none of the controls: the PDF is printed with scripts disabled', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'trailproof-interactive-pdf-'));
      mkdirSync(dir, { recursive: true });
      const pdf = join(dir, 'report.pdf');
      writeFileSync(pdf, await renderReportPdf(findings, { bundleDir: bundle.dir }));
      const text = run('pdftotext', ['-layout', pdf, '-']);
      for (const control of ['Search results and detections', 'Clear filters', 'excerpts', 'results shown', 'Excerpt (']) expect(text, control).not.to.contain(control);
      expect(text).to.contain('"LogFileValidationEnabled": false');
    });
  });
});
