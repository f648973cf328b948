// Real parts for report tests: the system Chromium and poppler's tools. A test that needs one that is missing
// is skipped with a notice saying what to install, never passed silently.
import { spawnSync } from 'node:child_process';
import { findChromium } from '../../src/report/browser.js';

export function hasTool(name: string): boolean {
  return spawnSync(name, ['-v'], { encoding: 'utf8' }).error === undefined;
}

export function chromiumAvailable(): boolean {
  try {
    findChromium();
    return true;
  } catch {
    return false;
  }
}

/** Skips the current suite (call in before()) when a real part is missing. */
export function requireReal(ctx: Mocha.Context, what: { chromium?: boolean; tools?: string[] }): void {
  const missing: string[] = [];
  if (what.chromium && !chromiumAvailable()) missing.push('Chromium (apt-get install chromium)');
  for (const tool of what.tools ?? []) if (!hasTool(tool)) missing.push(`${tool} (apt-get install ${tool === 'xmllint' ? 'libxml2-utils' : tool === 'qpdf' ? 'qpdf' : 'poppler-utils'})`);
  if (missing.length > 0) {
    console.warn(`      skipped: needs ${missing.join(', ')}`);
    ctx.skip();
  }
}

export function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** The text of one page (1-based), as poppler lays it out. */
export function pageText(pdf: string, page: number): string {
  return run('pdftotext', ['-layout', '-f', String(page), '-l', String(page), pdf, '-']);
}

export function pdfInfo(pdf: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of run('pdfinfo', [pdf]).split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) out[m[1].trim()] = m[2].trim();
  }
  return out;
}
