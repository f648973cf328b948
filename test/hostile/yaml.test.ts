// Bad YAML in --config and in rule files through main(): an alias bomb, an alias to no anchor, duplicate
// keys, tab indentation, nesting too deep, a FIFO given as the file. --config: exit 2, one line naming the
// file, line and column. A rule file: named with line and column and skipped, the other rules load and run.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_YAML_ALIASES } from '../../src/config/yaml.js';
import type { Findings } from '../../src/model/types.js';
import { eventRule, record, ruleDir, tempDir, writeLog } from '../events/helpers.js';
import { expectNoCrash, run } from './helpers.js';

const BOMB = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`)].join('\n') + '\n';

/** Bad YAML texts, each with the line and column of its fault and what the message must say. */
const BAD: { name: string; text: string; line: number; col: number; says: RegExp }[] = [
  { name: 'bomb', text: BOMB, line: 2, col: 8, says: new RegExp(`past ${MAX_YAML_ALIASES} nodes \\(MAX_YAML_ALIASES\\)`) },
  { name: 'undefined-alias', text: 'failOn: high\nchecks: *nowhere\n', line: 2, col: 9, says: /alias \(\*name\) to an anchor \(&name\) that is not set/ },
  { name: 'duplicate-key', text: 'failOn: high\nfailOn: low\n', line: 2, col: 1, says: /Map keys must be unique/ },
  { name: 'tab', text: 'checks:\n\tfoo: 1\n', line: 2, col: 1, says: /Tabs are not allowed/ },
  { name: 'deep', text: `checks: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, line: 1, col: 0, says: /nested too deep to read/ },
];

describe('hostile YAML (CLI)', function () {
  this.timeout(60_000);
  const logs = tempDir('tp-hostile-yaml-');
  const deleted = record({ time: '2026-09-14T03:32:07Z', name: 'DeleteTrail', source: 'cloudtrail.amazonaws.com' });
  writeLog(logs, { account: '111111111111', region: 'us-east-1', delivered: '2026-09-14T03:45:00Z', records: [deleted] });

  for (const bad of BAD) {
    it(`--config with ${bad.name}: exit 2, one line naming the file, line and column`, async () => {
      const file = join(tempDir('tp-hostile-config-'), `${bad.name}.yml`);
      writeFileSync(file, bad.text);
      const started = Date.now();
      const r = await run(['scan', '--logs', logs, '--config', file]);
      expect(r.code, r.err).to.equal(2);
      expectNoCrash(r.err);
      const lines = r.err.trim().split('\n');
      expect(lines, r.err).to.have.length(1);
      expect(lines[0]).to.contain(`config file ${file} is not valid YAML/JSON at line ${bad.line}, column `);
      if (bad.col > 0) expect(lines[0]).to.contain(`line ${bad.line}, column ${bad.col}:`);
      expect(lines[0]).to.match(bad.says);
      expect(Date.now() - started).to.be.below(20_000);
    });
  }

  it('--config naming a FIFO: exit 2 at once, one line, never blocking on the pipe', async function () {
    const fifo = join(tempDir('tp-hostile-config-'), 'config.yml');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      this.skip(); // needs mkfifo (coreutils)
    }
    const r = await run(['scan', '--logs', logs, '--config', fifo]);
    expect(r.code, r.err).to.equal(2);
    expect(r.err.trim().split('\n')).to.have.length(1);
    expect(r.err).to.contain(`cannot read config file ${fifo}: not a regular file`);
  });

  it('names each bad rule file with its line and column and skips it; the good rules load and find their detections', async () => {
    const files: Record<string, string> = { 'good.yml': eventRule('trail-deleted-here', 'DeleteTrail', 'high') };
    for (const bad of BAD) files[`${bad.name}.yml`] = bad.text;
    const rules = ruleDir(files);
    const r = await run(['scan', '--logs', logs, '--rules', rules, '--no-builtin-rules', '--format', 'json']);
    expect(r.code, r.err).to.equal(1); // the gate: the good rule's high detection
    expectNoCrash(r.err);
    for (const bad of BAD) {
      const line = r.err.split('\n').find((l) => l.includes(join(rules, `${bad.name}.yml`)));
      expect(line, r.err).to.match(/^trailproof: rule not loaded: /);
      expect(line).to.contain(`not valid YAML at line ${bad.line}, column`);
      expect(line).to.match(bad.says);
    }
    const findings = JSON.parse(r.out) as Findings & { scan: { rules: { event: number; errors: string[] } } };
    expect(findings.detections.map((d) => [d.ruleId, d.eventId])).to.deep.equal([['trail-deleted-here', deleted.eventID]]);
    expect(findings.scan.rules.event).to.equal(1);
    expect(findings.scan.rules.errors).to.have.length(BAD.length);
  });
});
