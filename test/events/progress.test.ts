import { expect } from 'chai';
import { emptyStats } from '../../src/events/pipeline.js';
import { ProgressDisplay, progressLine } from '../../src/events/progress.js';

const counts = { ...emptyStats([], 2), files: 120, events: 240_000, bytesRead: 60 * 1024 * 1024, elapsedMs: 2000, detections: 17, sources: ['logs ./AWSLogs'] };

describe('scan progress on stderr', () => {
  it('says files, events, MB/s, events/s and detections so far', () => {
    expect(progressLine(counts)).to.equal('120 files, 240,000 events, 60.0 MB (30.0 MB/s, 120,000 events/s), 17 detections, 2.0s');
    const { detections: _unused, ...search } = counts;
    expect(progressLine({ ...search, found: 3, filesSkipped: 2 })).to.match(/3 found, 2 skipped, 2\.0s$/);
  });

  it('redraws one line in place on a terminal and clears it at the end', () => {
    let out = '';
    const display = new ProgressDisplay('tty', (t) => (out += t), 'scan', 5000, 0);
    display.update(counts);
    display.done();
    expect(out).to.equal(`\r\x1b[2Kscan: ${progressLine(counts)}\r\x1b[2K`);
  });

  it('prints plain lines, never escape sequences, when stderr is not a terminal or with --no-progress', () => {
    let out = '';
    const display = new ProgressDisplay('lines', (t) => (out += t), 'scan', 0);
    display.update(counts);
    display.update({ ...counts, files: 121 });
    display.done();
    expect(out.split('\n')).to.have.length(3);
    expect(out).to.not.contain('\x1b').and.not.contain('\r');
  });

  it('prints nothing with --quiet', () => {
    let out = '';
    const display = new ProgressDisplay('off', (t) => (out += t), 'scan', 0, 0);
    display.update(counts);
    display.done();
    expect(out).to.equal('');
  });
});
