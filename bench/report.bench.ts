// `npm run bench:report`: a findings file with 5,000 results and 2,000 detections rendered to HTML and PDF
// by the real code path (one shared Chromium). Target on a 2-core machine: under 20 s and under 1 GB (the
// node process plus every Chromium process, sampled from /proc). Prints pages, sizes and times. Then opens the
// written report.html in the same Chromium and prints its time to interactive (navigation start to report.js's
// ready mark) and how long a filter, a search and a sort of the 5,000 result rows take there.
import { readFileSync, readdirSync, statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SharedBrowser } from '../src/report/browser.js';
import { writeReports } from '../src/output/write.js';
import { benchFindings } from './report-data.js';

const TARGET_SECONDS = 20;
const TARGET_BYTES = 1024 ** 3;

/** CPU seconds each Chromium process had used when last seen (a process that ended keeps its last figure). */
const chromiumCpu = new Map<string, number>();

/** A process's parent, from /proc (undefined once it has ended). */
function parentOf(pid: string): string | undefined {
  try {
    // The parent is field 4, the second after the name.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1];
  } catch {
    return undefined;
  }
}

/** Whether `pid` descends from this process (another run's Chromium on a shared machine does not count). */
function ours(pid: string): boolean {
  for (let p = parentOf(pid), hops = 0; p !== undefined && p !== '0' && hops < 16; p = parentOf(p), hops++) if (p === String(process.pid)) return true;
  return false;
}

/**
 * Memory of the Chromium processes this benchmark started (their command line names our profile, and they
 * descend from this process), as proportional set size: shared pages counted once across processes, not once
 * per process as RSS would. Also notes their CPU time: on a shared machine it says more about the work done
 * than the wall clock does.
 */
function chromiumRss(): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('trailproof-chromium-') || !ours(pid)) continue;
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      total += Number(pss?.[1] ?? 0) * 1024;
      // utime and stime, in clock ticks (100 a second on Linux), are fields 14 and 15, counted after the name.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      chromiumCpu.set(pid, (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100);
    } catch {
      // the process ended between listing and reading: it holds no memory any more
    }
  }
  return total;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Opens report.html as a reader would (file://, script on) and times, inside the page: navigation start to
 * report.js's 'trailproof-interactive' mark, then a status filter, a two-word search and a sort of the results
 * table, each until the browser has laid the page out again.
 */
async function interactivity(browser: SharedBrowser, file: string): Promise<string> {
  const page = await browser.newPage();
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 120_000 });
    await page.waitForSelector('html[data-interactive="ready"]', { timeout: 120_000 });
    const timed = async (action: string): Promise<number> =>
      (await page.evaluate(`(async () => { const t = performance.now(); ${action}; document.body.offsetHeight; await new Promise((r) => requestAnimationFrame(r)); return performance.now() - t; })()`)) as number;
    const ready = (await page.evaluate(`performance.getEntriesByName('trailproof-interactive')[0].startTime`)) as number;
    const loaded = (await page.evaluate(`performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd`)) as number;
    const painted = (await page.evaluate(`performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN`)) as number;
    const filter = await timed(`const s = document.getElementById('tp-filter-s'); s.value = 'FAIL'; s.dispatchEvent(new Event('change'))`);
    const clear = await timed(`document.getElementById('tp-clear').click()`);
    const search = await timed(`const q = document.getElementById('tp-search'); q.value = 'trail eu-west'; q.dispatchEvent(new Event('input')); await new Promise((r) => setTimeout(r, 200))`);
    const sort = await timed(`document.querySelector('table.results thead th:nth-child(4) button').click()`);
    const shown = (await page.evaluate(`document.getElementById('tp-count').textContent`)) as string;
    return `interactive ${ready.toFixed(0)} ms after navigation (DOMContentLoaded ${loaded.toFixed(0)} ms, first paint ${painted.toFixed(0)} ms); filter by status ${filter.toFixed(0)} ms, clear ${clear.toFixed(0)} ms, search ${(search - 200).toFixed(0)} ms after the typing pause, sort 5,000 rows ${sort.toFixed(0)} ms (${shown})`;
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  const findings = benchFindings(5000, 2000);
  const out = mkdtempSync(join(tmpdir(), 'trailproof-bench-report-'));
  let peak = 0;
  let peakNode = 0;
  let peakChromium = 0;
  const sample = (): void => {
    const node = process.memoryUsage().rss;
    const chromium = chromiumRss();
    peakNode = Math.max(peakNode, node);
    peakChromium = Math.max(peakChromium, chromium);
    peak = Math.max(peak, node + chromium);
  };
  const timer = setInterval(sample, 200);
  const browser = new SharedBrowser();
  const started = performance.now();
  const times: Record<string, number> = {};
  let last = started;
  try {
    const written = await writeReports(findings, ['html', 'pdf'], out, { browser, generatedAt: new Date('2026-10-01T07:00:00Z') }, {
      onWritten: (w) => {
        const now = performance.now();
        times[w.format] = (now - last) / 1000;
        last = now;
        sample();
      },
    });
    const total = (performance.now() - started) / 1000;
    clearInterval(timer);
    console.log(`report bench: ${findings.results.length} results, ${findings.detections.length} detections, ${findings.run.scope.accounts.length} accounts`);
    for (const w of written) {
      console.log(`  ${w.format.padEnd(4)} ${mb(statSync(w.path).size).padStart(9)}  ${(times[w.format] ?? 0).toFixed(1).padStart(5)} s${w.pages !== undefined ? `  ${w.pages} pages` : ''}`);
    }
    console.log(`  total ${total.toFixed(1)} s (target < ${TARGET_SECONDS} s), peak memory ${mb(peak)} node + Chromium (target < ${mb(TARGET_BYTES)}; node alone ${mb(peakNode)}, Chromium alone ${mb(peakChromium)})`);
    const cpu = process.cpuUsage();
    console.log(`  cpu time: node ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (memory sampling included), Chromium ${[...chromiumCpu.values()].reduce((a, b) => a + b, 0).toFixed(1)} s`);
    const html = written.find((w) => w.format === 'html');
    if (html) console.log(`  report.html in Chromium: ${await interactivity(browser, html.path)}`);
    if (total > TARGET_SECONDS || peak > TARGET_BYTES) {
      console.log('  OVER TARGET');
      process.exitCode = 1;
    }
  } finally {
    clearInterval(timer);
    await browser.close();
  }
}

await main();
