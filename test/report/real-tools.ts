// Real parts for report tests: the system Chromium, poppler's tools, qpdf and xmllint. A test that needs one
// that is missing is skipped through the real-parts record (test/helpers/real-parts.ts), naming what to
// install, never passed silently; in CI that skip fails the run.
import { spawnSync } from 'node:child_process';
import { findChromium } from '../../src/report/browser.js';
import { requirePart, skipWithout, type RealPart } from '../helpers/real-parts.js';

export function hasTool(name: string): boolean {
  return spawnSync(name, ['-v'], { encoding: 'utf8' }).error === undefined;
}

/** Why no Chromium can be launched here, or undefined when one is found. */
export function chromiumMissing(): string | undefined {
  try {
    findChromium();
    return undefined;
  } catch (err) {
    return `no Chromium found (apt-get install chromium, or PUPPETEER_EXECUTABLE_PATH): ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  }
}

type Tool = 'pdftotext' | 'pdfinfo' | 'qpdf' | 'xmllint';

const TOOLS: Record<Tool, { part: RealPart; pkg: string }> = {
  pdftotext: { part: 'pdftotext', pkg: 'poppler-utils' },
  pdfinfo: { part: 'pdftotext', pkg: 'poppler-utils' },
  qpdf: { part: 'qpdf', pkg: 'qpdf' },
  xmllint: { part: 'xmllint', pkg: 'libxml2-utils' },
};

/** Skips the current suite (call in before()) when a real part is missing, naming it; records it as run otherwise. */
export function requireReal(ctx: Mocha.Context, what: { chromium?: boolean; tools?: Tool[] }): void {
  if (what.chromium) requirePart(ctx, 'chromium', chromiumMissing());
  for (const tool of what.tools ?? []) {
    const { part, pkg } = TOOLS[tool];
    requirePart(ctx, part, hasTool(tool) ? undefined : `${tool} is not on PATH (apt-get install ${pkg})`);
  }
}

/** qpdf --check's report on a PDF; without qpdf the test skips there, naming it (never a silently dropped check). */
export function qpdfCheck(ctx: Mocha.Context, file: string): string {
  if (!hasTool('qpdf')) skipWithout(ctx, 'qpdf', 'qpdf is not on PATH (apt-get install qpdf)');
  requirePart(ctx, 'qpdf', undefined);
  return run('qpdf', ['--check', file]);
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

export interface Bookmark {
  title: string;
  /** 1-based */
  page: number;
  /** 0 for a top-level bookmark */
  depth: number;
}

/** The PDF's outline as qpdf reads it, flattened in reading order. */
export function outline(file: string): Bookmark[] {
  interface Item { title: string; destpageposfrom1: number; kids: Item[] }
  const json = JSON.parse(run('qpdf', ['--json', '--json-key=outlines', file])) as { outlines: Item[] };
  const out: Bookmark[] = [];
  const walk = (items: Item[], depth: number): void => {
    for (const item of items) {
      out.push({ title: item.title, page: item.destpageposfrom1, depth });
      walk(item.kids, depth + 1);
    }
  };
  walk(json.outlines, 0);
  return out;
}
