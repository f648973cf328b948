// Finds a Chromium already on the machine and launches it headless, once per run. Puppeteer is imported
// here only, lazily, so commands that write JSON never load it. A browser is never downloaded.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { TrailproofError, errorMessage } from '../errors.js';
import type { BrowserSession } from './context.js';

export const INSTALL_HINT = 'install one with `apt-get install chromium` (Debian/Ubuntu) or point PUPPETEER_EXECUTABLE_PATH at a Chrome or Chromium binary';

/** Chrome for Testing / Chromium builds that Puppeteer's own installer leaves in its cache, newest first. */
function fromPuppeteerCache(cacheDir: string): string | undefined {
  const candidates: { path: string; mtime: number }[] = [];
  for (const product of ['chrome', 'chromium', 'chrome-headless-shell']) {
    const dir = join(cacheDir, product);
    if (!existsSync(dir)) continue;
    for (const build of readdirSync(dir)) {
      for (const rel of ['chrome-linux64/chrome', 'chrome-linux/chrome', 'chrome-headless-shell-linux64/chrome-headless-shell', 'chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing', 'chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing', 'chrome-win64/chrome.exe']) {
        const path = join(dir, build, rel);
        if (existsSync(path)) candidates.push({ path, mtime: statSync(path).mtimeMs });
      }
    }
  }
  return candidates.sort((a, b) => b.mtime - a.mtime)[0]?.path;
}

export interface BrowserSearch {
  env?: NodeJS.ProcessEnv;
  /** Fixed locations tried after the environment variable (default: the usual Linux and macOS paths). */
  systemPaths?: string[];
  cacheDir?: string;
}

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

/** PUPPETEER_EXECUTABLE_PATH, then the system Chromium, then Puppeteer's cache; else a clear error. */
export function findChromium(search: BrowserSearch = {}): string {
  const env = search.env ?? process.env;
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new TrailproofError('TP_OUTPUT_FAILED', `PUPPETEER_EXECUTABLE_PATH=${fromEnv} does not exist; ${INSTALL_HINT}`);
    return fromEnv;
  }
  for (const path of search.systemPaths ?? SYSTEM_PATHS) if (existsSync(path)) return path;
  const cacheDir = search.cacheDir ?? env.PUPPETEER_CACHE_DIR ?? join(homedir(), '.cache', 'puppeteer');
  const cached = fromPuppeteerCache(cacheDir);
  if (cached) return cached;
  throw new TrailproofError('TP_OUTPUT_FAILED', `PDF output needs Chromium and none was found (PUPPETEER_EXECUTABLE_PATH unset, no /usr/bin/chromium, nothing in ${cacheDir}); ${INSTALL_HINT}`);
}

/**
 * Where the browser's connections are sent: a proxy whose name cannot resolve (`.invalid`, and no name resolves
 * at all under NO_RESOLUTION), so a connection to an IP literal, which needs no resolution, fails at the proxy
 * instead of reaching the address. Chromium does not fall back to a direct connection for a proxy given on
 * the command line.
 */
export const DEAD_PROXY = 'http://proxy.trailproof.invalid:9';
/** Every host name resolves to "not found", localhost included. */
export const NO_RESOLUTION = 'MAP * ~NOTFOUND';

/** `--no-sandbox` for root (uid 0) alone; any other user, or a platform without uids (Windows), keeps the sandbox. */
export function sandboxArgs(uid: number | undefined): string[] {
  return uid === 0 ? ['--no-sandbox'] : [];
}

/**
 * Flags for a quiet, sealed, throwaway browser: no GPU, no network chatter, and no connection out (see
 * seal.ts for the page's own layers). The sandbox stays on unless the process is root: Chromium refuses to
 * start its sandbox as root, so there (typically a container) `--no-sandbox` is the only way it runs.
 */
export function launchArgs(userDataDir: string, uid: number | undefined = process.getuid?.()): string[] {
  return [
    ...sandboxArgs(uid),
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    '--disable-dev-shm-usage',
    `--host-resolver-rules=${NO_RESOLUTION}`,
    `--proxy-server=${DEAD_PROXY}`,
    // By default loopback addresses bypass the proxy; "<-loopback>" takes that exception away.
    '--proxy-bypass-list=<-loopback>',
    // window.open and target=_blank open nothing: a new tab would escape the page's request interception.
    '--block-new-web-contents',
    '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
    // One renderer for our one tab: no spare process kept warm for navigations that never come, and none
    // for the browser's own omnibox pop-ups (WebUI pages that headless Chromium preloads and never shows).
    '--disable-features=SpareRendererForSitePerProcess,WebUIOmniboxPopup,WebUIOmniboxAimPopup,PreloadTopChromeWebUI',
    `--user-data-dir=${userDataDir}`,
  ];
}

/** One headless browser for the run, launched on first use; every page of the run is a tab of it. */
export class SharedBrowser implements BrowserSession {
  private browser: Promise<Browser> | undefined;
  private userDataDir: string | undefined;
  private initialTabUsed = false;

  constructor(private readonly search: BrowserSearch = {}) {}

  private launch(): Promise<Browser> {
    const executablePath = findChromium(this.search);
    this.userDataDir = mkdtempSync(join(tmpdir(), 'trailproof-chromium-'));
    const userDataDir = this.userDataDir;
    return import('puppeteer-core')
      .then(({ default: puppeteer }) => puppeteer.launch({ executablePath, headless: true, args: launchArgs(userDataDir), timeout: 60_000 }))
      .catch((err: unknown) => {
        throw new TrailproofError('TP_OUTPUT_FAILED', `cannot start Chromium at ${executablePath}: ${errorMessage(err).split('\n')[0] ?? ''}; ${INSTALL_HINT}`, { cause: err });
      });
  }

  async newPage(): Promise<Page> {
    this.browser ??= this.launch();
    const browser = await this.browser;
    // The blank tab Chromium starts with serves the first page: one renderer process fewer.
    if (!this.initialTabUsed) {
      this.initialTabUsed = true;
      const [first] = await browser.pages();
      if (first && first.url() === 'about:blank') return first;
    }
    return browser.newPage();
  }

  async close(): Promise<void> {
    const pending = this.browser;
    this.browser = undefined;
    try {
      if (pending) await (await pending).close();
    } catch {
      // A browser that failed to launch has nothing to close; the launch error was already reported.
    } finally {
      if (this.userDataDir) rmSync(this.userDataDir, { recursive: true, force: true });
      this.userDataDir = undefined;
      this.initialTabUsed = false;
    }
  }
}
