// The sealed PDF renderer: a hostile `--templates DIR` (test/hostile/renderer-template.ts) tries every way out
// of Chromium against a loopback listener (prefetch, preconnect, dns-prefetch, preload, style sheets, @import,
// fonts, CSS url(), images, srcset, iframes, object/embed, media, SVG, ping, forms, <base>, meta refresh,
// scripts: WebSocket, fetch, XHR, beacon, EventSource, window.open, navigation; by IP literal in several
// spellings, by localhost and by name) and the listener must see no connection while the PDF still renders.
// Each layer is also shown to hold alone: the browser's flags with the document written in unguarded, and the
// page's layers (interception, the CSP response header) in a browser without those flags. And Chromium keeps
// its sandbox unless the process is root.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { DEAD_PROXY, NO_RESOLUTION, findChromium, launchArgs, sandboxArgs } from '../../src/report/browser.js';
import { REPORT_CSP, REPORT_URL, allowedRequest, sealPage } from '../../src/report/seal.js';
import { fixtureFindings } from '../report/fixtures.js';
import { requireReal, run } from '../report/real-tools.js';
import { hostileBody, hostileHead, writeHostileTemplates } from './renderer-template.js';

interface Listener {
  port: number;
  /** The first line each connection sent ("(no request)" for a bare connection, e.g. a preconnect). */
  seen: string[];
  close(): Promise<void>;
}

async function listen(): Promise<Listener> {
  const seen: string[] = [];
  const server: Server = createServer((socket) => {
    let head = '';
    socket.on('data', (d: Buffer) => (head += d.toString('latin1')));
    socket.on('error', () => undefined);
    setTimeout(() => {
      seen.push(head.split('\r\n')[0] || '(no request)');
      socket.destroy();
    }, 200);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Long enough for a connection begun while the page loaded to be accepted and recorded. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1500));

describe('the sealed PDF renderer', function () {
  this.timeout(120_000);

  describe('Chromium flags', () => {
    it('keeps the sandbox when the process is not root, and turns it off only as root', () => {
      expect(launchArgs('/tmp/profile', 1000)).not.to.include('--no-sandbox');
      expect(sandboxArgs(undefined)).to.deep.equal([]); // no uids (Windows): the sandbox stays
      expect(sandboxArgs(0)).to.deep.equal(['--no-sandbox']);
      expect(launchArgs('/tmp/profile', 0)).to.include('--no-sandbox');
      // Without a uid stub the process's own uid decides.
      expect(launchArgs('/tmp/profile').includes('--no-sandbox')).to.equal(process.getuid?.() === 0);
    });

    it('resolves no name, sends every connection (loopback too) to a proxy that does not exist, and stays quiet', () => {
      const args = launchArgs('/tmp/profile', 1000);
      expect(args).to.include.members([`--host-resolver-rules=${NO_RESOLUTION}`, `--proxy-server=${DEAD_PROXY}`, '--proxy-bypass-list=<-loopback>', '--block-new-web-contents', '--disable-background-networking', '--disable-gpu', '--user-data-dir=/tmp/profile']);
      expect(NO_RESOLUTION).to.equal('MAP * ~NOTFOUND');
      expect(new URL(DEAD_PROXY).hostname).to.match(/\.invalid$/);
    });
  });

  describe('the page', () => {
    it('lets through the document being served, data: URLs and about:blank, and nothing else', () => {
      expect(allowedRequest(REPORT_URL, true)).to.equal('serve');
      expect(allowedRequest(REPORT_URL, false)).to.equal('abort');
      expect(allowedRequest('data:image/png;base64,AAAA', false)).to.equal('continue');
      expect(allowedRequest('about:blank', false)).to.equal('continue');
      for (const url of ['http://127.0.0.1:9/x', 'https://example.com/', 'ws://127.0.0.1/', 'file:///etc/passwd', 'blob:https://report.trailproof.invalid/x', 'chrome://settings']) expect(allowedRequest(url, false), url).to.equal('abort');
    });

    it('serves the document under a sandboxing policy that allows only inline styles and data: images and fonts', () => {
      const directives = REPORT_CSP.split('; ');
      expect(directives).to.include.members(['sandbox', "default-src 'none'", "style-src 'unsafe-inline'", 'img-src data:', 'font-src data:', "form-action 'none'", "base-uri 'none'"]);
      expect(REPORT_CSP).not.to.match(/allow-|script-src|connect-src|\*/);
    });
  });

  describe('with real Chromium', function () {
    before(function () {
      requireReal(this, { chromium: true, tools: ['pdftotext'] });
    });

    it('prints a hostile template to PDF while the loopback listener sees no connection', async () => {
      const listener = await listen();
      try {
        const dir = mkdtempSync(join(tmpdir(), 'trailproof-renderer-'));
        const findingsFile = join(dir, 'findings.json');
        writeFileSync(findingsFile, JSON.stringify(fixtureFindings(), null, 2) + '\n');
        const io = memoryIo();
        const code = await main(['report', '--findings', findingsFile, '--templates', writeHostileTemplates(listener.port), '--out', join(dir, 'out'), '--format', 'pdf'], io);
        await settle();
        expect(code, io.err).to.equal(0);
        expect(listener.seen).to.deep.equal([]);
        const text = run('pdftotext', ['-layout', join(dir, 'out', 'report.pdf'), '-']).replace(/\s+/g, ' ');
        expect(text).to.contain('Not compliant').and.contain('Gate --fail-on high -> exit 1 (failed)').and.contain('Every result');
      } finally {
        await listener.close();
      }
    });

    it('holds by its flags alone: the hostile document written into a page with no interception and no policy', async () => {
      const listener = await listen();
      const { default: puppeteer } = await import('puppeteer-core');
      const browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: launchArgs(mkdtempSync(join(tmpdir(), 'trailproof-chromium-'))) });
      try {
        const page = await browser.newPage();
        await page.setContent(`<!DOCTYPE html><html><head>${hostileHead(listener.port)}</head><body>${hostileBody(listener.port)}</body></html>`, { waitUntil: 'load' }).catch(() => undefined);
        await settle();
        expect(listener.seen).to.deep.equal([]);
      } finally {
        await browser.close();
        await listener.close();
      }
    });

    it('holds by the page alone (interception and the CSP header) in a browser without those flags, but for bare preconnects', async () => {
      const listener = await listen();
      const { default: puppeteer } = await import('puppeteer-core');
      const unflagged = launchArgs(mkdtempSync(join(tmpdir(), 'trailproof-chromium-')), 0).filter((a) => !/^--(host-resolver-rules|proxy-server|proxy-bypass-list|block-new-web-contents)/.test(a));
      const browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: unflagged });
      try {
        const page = await browser.newPage();
        const sealed = await sealPage(page);
        await sealed.show(`<!DOCTYPE html><html><head>${hostileHead(listener.port)}</head><body>${hostileBody(listener.port)}<p id="content">report</p></body></html>`, 30_000);
        // The renderer's own steps still run in the sandboxed document (through DevTools).
        expect(await page.evaluate('document.getElementById("content").textContent')).to.equal('report');
        await settle();
        // A preconnect opens a socket without a request: no request reaches the listener; the flags stop the socket.
        expect(listener.seen.filter((l) => l !== '(no request)')).to.deep.equal([]);
      } finally {
        await browser.close();
        await listener.close();
      }
    });
  });
});
