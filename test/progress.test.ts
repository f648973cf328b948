// The one progress display (src/progress.ts) that collect, scan, events, validate-logs and report share:
// its mode from --quiet/--progress and the terminal, and log lines that do not tear a redrawn line.
import { expect } from 'chai';
import { StatusLine, progressModeOf } from '../src/progress.js';

const CLEAR = '\r\x1b[2K';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('progress display', () => {
  it('is silent with --quiet, redrawn on a terminal, plain lines elsewhere or with --no-progress', () => {
    expect(progressModeOf({ quiet: true, progress: true, stderrIsTty: true })).to.equal('off');
    expect(progressModeOf({ quiet: false, progress: true, stderrIsTty: true })).to.equal('tty');
    expect(progressModeOf({ quiet: false, progress: false, stderrIsTty: true })).to.equal('lines');
    expect(progressModeOf({ quiet: false, progress: true, stderrIsTty: false })).to.equal('lines');
  });

  it('clears a drawn terminal line before a log line, then draws it again', async () => {
    const written: string[] = [];
    const line = new StatusLine({ mode: 'tty', write: (t) => written.push(t), intervalMs: 1000, redrawMs: 20 });
    line.repeat(() => 'report: rendering pdf (2 of 2)');
    await sleep(70);
    line.log('wrote out/report.html (10 KB)\n');
    await sleep(70);
    line.done();
    const logAt = written.indexOf('wrote out/report.html (10 KB)\n');
    expect(written[0]).to.equal(`${CLEAR}report: rendering pdf (2 of 2)`);
    expect(written[logAt - 1]).to.equal(CLEAR);
    expect(written.slice(logAt + 1).some((t) => t === `${CLEAR}report: rendering pdf (2 of 2)`)).to.equal(true);
    expect(written.at(-1)).to.equal(CLEAR);
  });

  it('writes a log line as it is and nothing else in plain mode before the first interval', () => {
    const written: string[] = [];
    const line = new StatusLine({ mode: 'lines', write: (t) => written.push(t), intervalMs: 5000, redrawMs: 20, plainPrefix: 'trailproof: ' });
    line.repeat(() => 'validate-logs: 3 digest files');
    line.log('wrote x\n');
    line.done();
    expect(written).to.deep.equal(['wrote x\n']);
  });
});
