// Hostile regular expressions through the real CLI: a rule whose `re` backtracks exponentially cannot hang
// a scan (it runs on RE2 in linear time), the rule lint names it, a backreference recheck proves safe runs
// on JavaScript's engine, one it does not is refused by name while the other rules of the folder still
// run, and every `re` of the built-in and SigmaHQ rules is either recheck-safe or run by RE2.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { check } from 'recheck';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { loadRules } from '../../src/events/sigma/index.js';
import { re2Regex, regexParts } from '../../src/events/sigma/regex.js';
import type { Findings } from '../../src/model/types.js';
import { packageRoot } from '../../src/paths.js';
import { record, ruleDir, tempDir, writeLog } from '../events/helpers.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main([...args, '--no-progress'], io);
  return { code, out: io.out, err: io.err };
}

function agentRule(id: string, pattern: string, level = 'high'): string {
  return ['title: Odd user agent (' + id + ')', `id: ${id}`, 'logsource: {product: aws, service: cloudtrail}', 'detection:', '  selection:', `    userAgent|re: '${pattern}'`, '  condition: selection', `level: ${level}`, ''].join('\n');
}

describe('hostile regular expressions in rules', function () {
  this.timeout(60000);
  const logs = tempDir();
  const agents = ['a'.repeat(40), `${'a'.repeat(40)}!`, `${'a'.repeat(39)}\u0000`, 'abc-abc', 'aaaa-aaaa!'];
  writeLog(logs, {
    account: '111111111111',
    region: 'us-east-1',
    delivered: '2026-09-14T04:00:00Z',
    records: agents.map((agent, n) => record({ time: `2026-09-14T03:5${n}:00Z`, name: 'ListBuckets', agent, id: `00000000-0000-4000-8000-00000000aa0${n}` })),
  });

  it('scans 40-character user agents against ^(a+)+$ in seconds, with the right detection', async function () {
    const rules = ruleDir({ 'redos.yml': agentRule('redos', '^(a+)+$') });
    const started = Date.now();
    const { code, out, err } = await run(['scan', '--logs', logs, '--rules', rules, '--no-builtin-rules', '--format', 'json']);
    expect(Date.now() - started, 'a generous budget; a backtracking engine would take hours').to.be.lessThan(10_000);
    expect(code, err).to.equal(1);
    const findings = JSON.parse(out) as Findings;
    expect(findings.detections.map((d) => [d.ruleId, d.userAgent])).to.deep.equal([['redos', 'a'.repeat(40)]]);
  });

  it('lints ^(a+)+$ as an exponential-backtracking error in checks list --rules, not ok', async function () {
    const rules = ruleDir({ 'redos.yml': agentRule('redos', '^(a+)+$'), 'fine.yml': agentRule('fine', '^aws-cli/') });
    const table = await run(['checks', 'list', '--rules', rules]);
    expect(table.code).to.equal(1);
    const line = table.out.split('\n').find((l) => l.startsWith('redos'));
    expect(line).to.match(/error: selection selection: exponential backtracking \(attack: .*\): \^\(a\+\)\+\$/);
    expect(table.out.split('\n').find((l) => l.startsWith('fine'))).to.match(/ ok$/);
    const json = await run(['checks', 'list', '--rules', rules, '--format', 'json']);
    const report = JSON.parse(json.out) as { rules: Array<{ ruleId: string; issues: Array<{ level: string; code: string }> }> };
    expect(report.rules.find((r) => r.ruleId === 'redos')?.issues.map((i) => [i.level, i.code])).to.deep.equal([['error', 'super-linear-regex']]);
  });

  it('runs a safe backreference natively, refuses an exponential one by name, and runs the other rules', async function () {
    const rules = ruleDir({
      'backref-safe.yml': agentRule('backref-safe', '^(\\w+)-\\1$'),
      'backref-redos.yml': agentRule('backref-redos', '^(a|a)*\\1!$'),
      'plain.yml': agentRule('plain', '^a{40}$', 'low'),
    });
    const { code, out, err } = await run(['scan', '--logs', logs, '--rules', rules, '--no-builtin-rules', '--format', 'json']);
    expect(code, err).to.equal(1);
    const findings = JSON.parse(out) as Findings & { scan: { rules: { errors: string[] } } };
    expect(findings.detections.map((d) => [d.ruleId, d.userAgent]).sort()).to.deep.equal([
      ['backref-safe', 'abc-abc'],
      ['plain', 'a'.repeat(40)],
    ]);
    expect(err).to.match(/rule not loaded: .*backref-redos\.yml.*refused: it uses \\1, a backreference.*recheck finds exponential backtracking/);
    expect(findings.scan.rules.errors).to.have.length(1);
    expect(findings.scan.rules.errors[0]).to.contain('backref-redos.yml');
  });

  it('proves every re of the built-in and SigmaHQ rules recheck-safe or run by RE2', async function () {
    this.timeout(180000);
    const sigmaHq = join(packageRoot, '..', 'shared', 'data', 'sigmahq-aws-cloudtrail');
    const loaded = loadRules([join(packageRoot, 'checks', 'rules'), ...(existsSync(sigmaHq) ? [sigmaHq] : [])]);
    expect(loaded.errors).to.deep.equal([]);
    const verdicts: string[] = [];
    for (const rule of loaded.rules) {
      if (rule.kind !== 'event') continue;
      for (const use of rule.fieldUses.filter((u) => u.modifiers.includes('re'))) {
        for (const value of use.values) {
          const { source, flags } = regexParts(String(value), { i: use.modifiers.includes('i'), m: use.modifiers.includes('m'), s: use.modifiers.includes('s') });
          if (re2Regex(source, flags).ok) {
            verdicts.push(`${rule.ruleId}: re2`);
            continue;
          }
          // No time pressure here: the proof may take recheck's fuzzer a while on a loaded machine.
          const d = await check(source, `${flags.i ? 'i' : ''}${flags.m ? 'm' : ''}${flags.s ? 's' : ''}`, { timeout: 120_000 });
          verdicts.push(`${rule.ruleId}: ${d.status}`);
        }
      }
    }
    expect(verdicts.length).to.be.greaterThan(6);
    expect(verdicts.filter((v) => !/: (re2|safe)$/.test(v))).to.deep.equal([]);
  });
});
