// What `trailproof scan` says about its correlations: a burst in files listed against delivery order is
// still detected (correlated again from the journal) and the summary says so; a correlation input that could
// not be correlated at all is named by rule on the terminal and in findings.json, and moves the gate to
// "could not decide" (exit 3) for rules at or above --fail-on, never silently to "passed".
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { gateExitCode } from '../../src/engine/gate.js';
import type { CloudTrailRecord } from '../../src/events/record.js';
import type { Findings } from '../../src/model/types.js';
import { ACCOUNT, consoleLogin, iamUser } from '../checks/rules/fixtures/records.js';
import { tempDir, writeLog } from './helpers.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main([...args, '--no-progress'], io);
  return { code, out: io.out, err: io.err };
}

function failedSignIn(time: string, n: number): CloudTrailRecord {
  return { ...consoleLogin(iamUser('alice'), 'Failure', 'No'), eventTime: time, eventID: `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}` };
}

describe('scan: correlations that arrive out of order or cannot be correlated', () => {
  it('detects 12 failed sign-ins in six minutes from files each holding days of events, listed in reverse', async () => {
    const logs = tempDir();
    // The second half of the burst comes first, then a file of the next day (the stream moves on a day), then
    // a file delivered two days later with the first half: each of its inputs arrives "late".
    const burst = Array.from({ length: 12 }, (_, i) => failedSignIn(new Date(Date.parse('2026-09-14T03:00:00Z') + i * 30_000).toISOString().replace('.000Z', 'Z'), i));
    writeLog(logs, { account: ACCOUNT, region: 'us-east-1', delivered: '2026-09-14T03:10:00Z', records: burst.slice(6), suffix: 'second' });
    writeLog(logs, { account: ACCOUNT, region: 'us-east-1', delivered: '2026-09-15T03:10:00Z', records: [{ ...consoleLogin(iamUser('bob'), 'Success', 'Yes'), eventTime: '2026-09-15T03:00:00Z' }], suffix: 'nextday' });
    writeLog(logs, { account: ACCOUNT, region: 'us-east-1', delivered: '2026-09-16T03:10:00Z', records: burst.slice(0, 6), suffix: 'first' });
    const out = tempDir();
    const { code, err } = await run(['scan', '--logs', logs, '--out', out, '--fail-on', 'medium']);
    const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings & { scan: { correlation: { late: number; recorrelated: string[]; incomplete: { inputs: number; rules: unknown[] } } } };
    const burstDetection = findings.detections.find((d) => d.ruleId === 'console-login-failures');
    expect(burstDetection, err).to.include({ count: 12, firstSeen: '2026-09-14T03:00:00Z', lastSeen: '2026-09-14T03:05:30Z' });
    expect(findings.detections.filter((d) => d.ruleId === 'console-login-failures')).to.have.length(1);
    expect(code).to.equal(1);
    expect(findings.scan.correlation.late, "6 events, each feeding two correlations").to.equal(12);
    expect(findings.scan.correlation.recorrelated).to.include('console-login-failures');
    expect(findings.scan.correlation.incomplete).to.deep.equal({ inputs: 0, rules: [] });
    expect(err).to.match(/12 correlation inputs arrived out of order; \d+ correlations were correlated again, exactly, from the journal \(.*console-login-failures/);
    expect(err).to.not.contain('INCOMPLETE');
  });

  it('names the correlation an event without eventTime could not feed, and exits 3 at or above its severity', async () => {
    const logs = tempDir();
    const { eventTime: _dropped, ...untimed } = failedSignIn('2026-09-14T03:00:00Z', 1);
    writeLog(logs, { account: ACCOUNT, region: 'us-east-1', delivered: '2026-09-14T03:10:00Z', records: [untimed, failedSignIn('2026-09-14T03:01:00Z', 2)] });
    const out = tempDir();
    const medium = await run(['scan', '--logs', logs, '--out', out, '--fail-on', 'medium']);
    expect(medium.code, medium.err).to.equal(3);
    expect(medium.err).to.match(/CORRELATIONS INCOMPLETE: 2 inputs of 2 correlation rules could not be correlated/);
    expect(medium.err).to.match(/ {2}console-login-failures \(medium\): 1 input, events without a readable eventTime/);
    expect(medium.err).to.match(/ {2}password-spray \(high\): 1 input, /);
    const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as Findings & { scan: { correlation: { untimed: number; incomplete: { inputs: number; rules: Array<{ ruleId: string; severity: string; inputs: number }> } } } };
    expect(findings.scan.correlation.untimed).to.be.greaterThan(0);
    expect(findings.scan.correlation.incomplete.rules.find((r) => r.ruleId === 'console-login-failures')).to.include({ severity: 'medium', inputs: 1 });
    // The gate reads the same findings: undecided at medium and high (password-spray), decided at critical.
    expect(gateExitCode(findings, 'medium')).to.equal(3);
    expect(gateExitCode(findings, 'high')).to.equal(3);
    expect(gateExitCode(findings, 'critical')).to.equal(0);
    const critical = await run(['scan', '--logs', logs, '--fail-on', 'critical']);
    expect(critical.code, critical.err).to.equal(0);
  });

  it('reports a correlation configured off as nothing, and judges one at its configured severity', async () => {
    const logs = tempDir();
    const { eventTime: _dropped, ...untimed } = failedSignIn('2026-09-14T03:00:00Z', 1);
    writeLog(logs, { account: ACCOUNT, region: 'us-east-1', delivered: '2026-09-14T03:10:00Z', records: [untimed] });
    const dir = tempDir();
    const raised = join(dir, 'raised.json');
    const off = join(dir, 'off.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(raised, JSON.stringify({ checks: { 'console-login-failures': { severity: 'critical' } } }));
    writeFileSync(off, JSON.stringify({ checks: { 'console-login-failures': { enabled: false }, 'password-spray': { enabled: false }, 'root-login-failures': { enabled: false } } }));
    expect((await run(['scan', '--logs', logs, '--config', raised, '--fail-on', 'critical'])).code).to.equal(3);
    const quiet = await run(['scan', '--logs', logs, '--config', off, '--fail-on', 'low']);
    expect(quiet.err).to.not.match(/console-login-failures \(/);
  });
});
