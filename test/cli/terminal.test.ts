// The CLI as a person sees it: run in a real pseudo-terminal (util-linux `script`, with `stty cols N`) at 80,
// 100 and 200 columns, the screen read back. Every table fits the width and is coloured there; the same
// commands piped keep whole lines and no colour (unless FORCE_COLOR), and --wide shows whole lines on a
// terminal too.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const BIN = join(packageRoot, 'bin', 'trailproof.js');
const DEMO = join(packageRoot, 'examples', 'demo-org');

/** The commands whose stdout is a table (audit's summary included); stderr is not read here. */
const COMMANDS = [
  'checks list',
  `events --bundle ${DEMO} --name DeleteBucket,StopLogging,CreateAccessKey`,
  `scan --bundle ${DEMO} --fail-on none`,
  `audit --bundle ${DEMO} --fail-on none`,
  'rules list',
  'frameworks list',
];

/** A clean environment: no colour preference and not CI, so the terminal alone decides. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...extra };
  for (const key of ['NO_COLOR', 'FORCE_COLOR', 'CI']) if (!(key in extra)) delete out[key];
  return out;
}

/** Runs the commands one after another in a pseudo-terminal `cols` wide; the screen's lines, without \r. */
function onTerminal(cols: number, flags = ''): string[] {
  const script = [`stty cols ${cols} rows 500`, ...COMMANDS.map((c) => `node ${BIN} ${c} ${flags} 2>/dev/null`)].join('; ');
  const run = spawnSync('script', ['-q', '-e', '-c', script, '/dev/null'], { env: env(), encoding: 'utf8', timeout: 120_000 });
  expect(run.error, 'script (util-linux) runs').to.equal(undefined);
  return run.stdout.replace(/\r/g, '').split('\n');
}

function piped(command: string, extra: Record<string, string> = {}): string {
  const run = spawnSync('node', [BIN, ...command.split(' ')], { env: env(extra), encoding: 'utf8', timeout: 60_000 });
  return run.stdout;
}

describe('the CLI on a terminal (a real pseudo-terminal)', function () {
  this.timeout(240_000);

  for (const cols of [80, 100, 200]) {
    it(`fits every table into ${cols} columns and colours statuses and severities`, () => {
      const lines = onTerminal(cols);
      const plain = lines.map((l) => l.replace(ANSI, ''));
      const long = plain.filter((l) => l.length > cols);
      expect(long, `lines longer than ${cols}`).to.deep.equal([]);
      // Every command printed its table: the headers are on the screen.
      for (const header of [/^ID\s+SEVERITY\s+TITLE/, /^TIME\s+EVENT\s+RESOURCE/, /^SEVERITY\s+RULE/, /^STATUS\s+SEVERITY\s+CHECK/, /^ID\s+LEVEL\s+TITLE/, /^ID\s+NAME/]) {
        expect(plain.some((l) => header.test(l)), String(header)).to.equal(true);
      }
      expect(lines.join('\n')).to.include('\u001b[1;31mcritical\u001b[0m').and.include('\u001b[1;31mFAIL\u001b[0m');
      // The seed question: the demo's DeleteBucket is found with its bucket.
      expect(plain.find((l) => l.includes('DeleteBucket'))).to.match(/example-|…/);
    });
  }

  it('prints no colour on a terminal with --no-color, and whole lines with --wide', () => {
    const lines = onTerminal(80, '--no-color --wide');
    expect(lines.join('\n')).not.to.match(ANSI);
    expect(lines.some((l) => l.length > 80)).to.equal(true);
    expect(lines.join('\n')).to.include('example-prod-customer-data');
  });
});

describe('the investigator\'s answers on an 80-column terminal', function () {
  this.timeout(240_000);

  function screen(command: string): string[] {
    const run = spawnSync('script', ['-q', '-e', '-c', `stty cols 80 rows 500; node ${BIN} ${command} 2>/dev/null`, '/dev/null'], { env: env(), encoding: 'utf8', timeout: 120_000 });
    expect(run.error, 'script (util-linux) runs').to.equal(undefined);
    return run.stdout.replace(/\r/g, '').split('\n').map((l) => l.replace(ANSI, ''));
  }

  it('answers "who deleted this bucket?" in one row that fits, with the bucket and the result', () => {
    const lines = screen(`events --bundle ${DEMO} --resource example-prod-customer-data --name DeleteBucket`);
    const rows = lines.filter((l) => l.includes('DeleteBucket'));
    expect(rows).to.have.length(1);
    // 80 columns shorten the bucket in the middle (example-…mer-data) and the ARN to its name; --wide or a pipe has them whole.
    expect(rows[0]).to.match(/^2026-09-14T03:32:07Z\s+DeleteBucket\s+example-\S*data\s+\S*Winter\s+ok$/);
    expect(lines.filter((l) => l.length > 80)).to.deep.equal([]);
  });

  it('shows scan\'s detections one row per rule, each rule once, within 80 columns', () => {
    const lines = screen(`scan --bundle ${DEMO} --fail-on none`);
    const header = lines.findIndex((l) => /^SEVERITY\s+RULE/.test(l));
    expect(header).to.be.at.least(0);
    const rules = lines.slice(header + 2).filter((l) => /^(critical|high|medium|low|info)\s/.test(l)).map((l) => l.split(/\s+/)[1]);
    expect(rules.length).to.be.above(1);
    expect(new Set(rules).size).to.equal(rules.length);
    expect(lines.filter((l) => l.length > 80)).to.deep.equal([]);
  });
});

describe('the CLI into a pipe', function () {
  this.timeout(120_000);

  it('keeps whole lines and no colour, so the data survives', () => {
    const out = piped('checks list');
    expect(out).not.to.match(ANSI);
    const catalog = JSON.parse(piped('checks list --format json')) as { id: string; frameworks: Record<string, string[]> }[];
    for (const check of catalog) {
      const line = out.split('\n').find((l) => l.startsWith(`${check.id} `));
      for (const [fw, reqs] of Object.entries(check.frameworks)) expect(line).to.include(`${fw} ${reqs.join(',')}`);
    }
    const events = piped(`events --bundle ${DEMO} --name DeleteBucket`);
    expect(events).to.include('example-prod-customer-data').and.include('arn:aws:iam::444444444444:user/Winter');
  });

  it('colours a pipe only when forced (FORCE_COLOR or --color), and never with NO_COLOR', () => {
    expect(piped('checks list', { FORCE_COLOR: '1' })).to.include('\u001b[1;31mcritical\u001b[0m');
    expect(piped('checks list --color')).to.include('\u001b[1;31mcritical\u001b[0m');
    expect(piped('checks list --wide', { FORCE_COLOR: '1', NO_COLOR: '1' })).not.to.match(ANSI);
    expect(piped('checks list --no-color', { FORCE_COLOR: '1' })).not.to.match(ANSI);
  });
});
