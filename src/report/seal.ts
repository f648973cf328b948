// The PDF renderer's page-level isolation: nothing leaves Chromium but data: URLs, whatever a template
// (`--templates DIR`) does. The document is not written into the page (setContent would keep whatever policy
// the template's own <head> sets, or none): it is served through an intercepted navigation to REPORT_URL,
// with a Content-Security-Policy RESPONSE header that the template cannot remove or loosen (a <meta> policy
// can only add to it). The header sandboxes the document (no scripts, no popups, no navigation, no forms, no
// meta refresh) and allows only inline styles and data: images and fonts. Request interception refuses every
// other request the page makes; what is not a request (preconnect, dns-prefetch, WebSocket) is stopped by
// the browser's flags in browser.ts (no name resolves, every connection goes to a proxy that does not exist).
import type { HTTPRequest, Page } from 'puppeteer-core';

/** The address the report is served at; `.invalid` never resolves, and the request never leaves the page. */
export const REPORT_URL = 'https://report.trailproof.invalid/';

/**
 * The policy every printed document is served with. `sandbox` without allow-scripts also disables automatic
 * features (meta refresh) and top-level navigation; the report itself needs no script (the renderer's own
 * steps run through DevTools, which the policy does not govern).
 */
export const REPORT_CSP = [
  'sandbox',
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  'font-src data:',
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** What the page may load: the document being served (once per navigation), data: URLs, about:blank. */
export function allowedRequest(url: string, servingDocument: boolean): 'serve' | 'continue' | 'abort' {
  if (url === REPORT_URL && servingDocument) return 'serve';
  if (url.startsWith('data:') || url === 'about:blank') return 'continue';
  return 'abort';
}

export interface SealedPage {
  /** Shows `html` in the page, served with REPORT_CSP, and waits for it to load. */
  show(html: string, timeoutMs: number): Promise<void>;
}

/** Turns on request interception for `page` and returns how to show a document in it. */
export async function sealPage(page: Page): Promise<SealedPage> {
  let pending: string | undefined;
  await page.setRequestInterception(true);
  const onRequest = (request: HTTPRequest): void => {
    const serving = pending !== undefined && request.isNavigationRequest() && request.frame() === page.mainFrame();
    switch (allowedRequest(request.url(), serving)) {
      case 'serve': {
        const body = pending as string;
        pending = undefined;
        void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', headers: { 'content-security-policy': REPORT_CSP, 'cache-control': 'no-store' }, body });
        return;
      }
      case 'continue':
        void request.continue();
        return;
      case 'abort':
        void request.abort('blockedbyclient');
    }
  };
  page.on('request', onRequest);
  return {
    async show(html, timeoutMs) {
      pending = html;
      try {
        await page.goto(REPORT_URL, { waitUntil: 'load', timeout: timeoutMs });
      } finally {
        pending = undefined;
      }
    },
  };
}
