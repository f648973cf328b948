// Flags that forgive: suggestions for a mistyped command or flag, and flags from TRAILPROOF_* variables
// (only the command's own option names; the project's other TRAILPROOF_* settings are left alone), with the
// precedence flag > variable > config file.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { eventRule, record, ruleDir, tempDir, writeLog } from '../events/helpers.js';

async function run(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  for (const key of Object.keys(io.env)) if (key.startsWith('TRAILPROOF_')) delete io.env[key];
  Object.assign(io.env, env);
  const code = await main([...args, '--no-progress'], io);
  return { code, out: io.out, err: io.err };
}

describe('flags that forgive (suggestions, TRAILPROOF_* variables)', () => {
  describe('suggestions', () => {
    const cases: [string[], string][] = [
      [['events', '--frmat', 'csv'], 'trailproof: Unknown argument: frmat. Did you mean --format?\n'],
      [['scan', '--fail-onn', 'high'], 'trailproof: Unknown argument: fail-onn. Did you mean --fail-on?\n'],
      [['events', '--bundel', 'x', '--nme', 'y'], 'trailproof: Unknown arguments: bundel, nme. Did you mean --bundle, --name?\n'],
      [['evnts', '--bundle', 'x'], 'trailproof: Unknown argument: evnts. Did you mean events?\n'],
      [['rules', 'lsit'], 'trailproof: Unknown argument: lsit. Did you mean list?\n'],
      [['rules', 'zzz'], 'trailproof: Unknown argument: zzz. Commands: list, sql\n'],
      [['events', '--zzzz'], 'trailproof: Unknown argument: zzzz. See --help\n'],
    ];
    for (const [args, message] of cases) {
      it(`answers \`${args.join(' ')}\` with the nearest command or flag, exit 2`, async () => {
        const { code, out, err } = await run(args);
        expect(code).to.equal(2);
        expect(out).to.equal('');
        expect(err).to.equal(message);
      });
    }
  });

  describe('TRAILPROOF_* variables', () => {
    const logs = tempDir();
    writeLog(logs, { account: '444444444444', region: 'us-east-1', delivered: '2026-09-14T03:45:00Z', records: [record({ time: '2026-09-14T03:32:07Z', name: 'DeleteBucket', account: '444444444444', user: 'Winter' })] });
    const rules = ruleDir({ 'deleted.yml': eventRule('bucket-deleted', 'DeleteBucket', 'medium') });
    const scan = ['scan', '--logs', logs, '--rules', rules, '--no-builtin-rules'];

    it('takes a flag from its variable: TRAILPROOF_FAIL_ON=medium fails a medium detection', async () => {
      expect((await run(scan)).code).to.equal(0);
      const { code, err } = await run(scan, { TRAILPROOF_FAIL_ON: 'medium' });
      expect(code).to.equal(1);
      expect(err).to.contain('gate: --fail-on medium -> exit 1');
    });

    it('lets the flag win over the variable, and the variable over the config file', async () => {
      expect((await run([...scan, '--fail-on', 'high'], { TRAILPROOF_FAIL_ON: 'medium' })).code).to.equal(0);
      const dir = tempDir();
      writeFileSync(join(dir, '.trailproof.yml'), 'failOn: medium\n');
      expect((await run(scan, {}, dir)).code).to.equal(1);
      expect((await run(scan, { TRAILPROOF_FAIL_ON: 'none' }, dir)).code).to.equal(0);
    });

    it('reads true/false for a boolean flag and refuses anything else naming the variable', async () => {
      const quiet = await run(scan, { TRAILPROOF_QUIET: 'true' });
      expect(quiet.err).to.equal('');
      const bad = await run(scan, { TRAILPROOF_QUIET: 'maybe' });
      expect(bad.code).to.equal(2);
      expect(bad.err).to.equal('trailproof: TRAILPROOF_QUIET=maybe: give true or false (it sets --quiet)\n');
    });

    it('leaves the project\'s other TRAILPROOF_* settings and unknown ones alone', async () => {
      const env = { TRAILPROOF_SMTP_HOST: 'mail.example', TRAILPROOF_EMAIL_FROM: 'a@example.com', TRAILPROOF_UPDATE_GOLDEN: '1', TRAILPROOF_SARIF_MULTITOOL: '/x', TRAILPROOF_NOT_A_FLAG: 'x' };
      const { code, err } = await run(scan, env);
      expect(code, err).to.equal(0);
      expect(err).to.not.contain('Unknown');
    });

    it('names the variable when its value is refused', async () => {
      const { code, err } = await run(scan, { TRAILPROOF_FAIL_ON: 'mediun' });
      expect(code).to.equal(2);
      expect(err).to.contain('Given: "mediun"').and.contain('(--fail-on came from TRAILPROOF_FAIL_ON)');
    });
  });
});
