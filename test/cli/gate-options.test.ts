// The gate's flags and config, without AWS: durations for --wait, the check list from gate.checks, and the
// usage errors a pipeline author meets first.
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { DEFAULT_GATE_CHECKS, WAIT_LIMIT_MS, gateCheckIds, parseWait } from '../../src/cli/commands/gate.js';

describe('trailproof gate options', () => {
  it('reads --wait as minutes, seconds, hours, combinations or plain seconds', () => {
    expect(parseWait('10m')).to.equal(600_000);
    expect(parseWait('90s')).to.equal(90_000);
    expect(parseWait('1h30m')).to.equal(5_400_000);
    expect(parseWait('45')).to.equal(45_000);
  });

  it('refuses a --wait that is not a duration, or longer than the limit', () => {
    for (const bad of ['', 'm', '10 minutes', '5d', '-1m']) expect(() => parseWait(bad), bad).to.throw(/--wait: .* is not a duration/);
    expect(() => parseWait(`${WAIT_LIMIT_MS / 3_600_000 + 1}h`)).to.throw(/longer than the 6 h/);
  });

  it('runs the vending checks by default, and gate.checks from the config instead', () => {
    expect(gateCheckIds({})).to.deep.equal([...DEFAULT_GATE_CHECKS]);
    expect(gateCheckIds({ gate: { checks: ['trail.org-coverage', 'bucket.*'] } } as never)).to.deep.equal(['trail.org-coverage', 'bucket.*']);
  });

  it('exits 2 naming the flag for a bad account id, --wait with --bundle, or a format it does not write', async () => {
    const cases: [string[], RegExp][] = [
      [['gate', '--account', '12345'], /--account: "12345" is not a 12-digit account id/],
      [['gate', '--account', '123456789012', '--bundle', 'x', '--wait', '1m'], /--wait retries a live collection; it does not go with --bundle/],
      [['gate', '--account', '123456789012', '--bundle', 'x', '--format', 'pdf'], /--format: the gate writes json and junit, not "pdf"/],
      [['audit', '--gate', '--bundle', 'x'], /--gate judges one new account: give it as --accounts ACCOUNT_ID/],
    ];
    for (const [args, message] of cases) {
      const io = memoryIo();
      expect(await main(args, io), args.join(' ')).to.equal(2);
      expect(io.err).to.match(message);
    }
  });

  it('exits 2 naming gate.checks when the config lists an unknown check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-gate-config-'));
    writeFileSync(join(dir, 'config.yml'), 'gate:\n  checks: [trail.org-coverag]\n');
    const io = memoryIo(dir);
    expect(await main(['gate', '--account', '123456789012', '--bundle', 'missing', '--config', 'config.yml'], io)).to.equal(2);
    expect(io.err).to.match(/^trailproof: config.yml: gate.checks: unknown check id "trail.org-coverag" \(did you mean trail.org-coverage\?\)/);
  });
});
