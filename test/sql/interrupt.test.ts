// Ctrl-C during `scan --engine athena`: the first asks the queries to stop (they are billed while they run)
// and says so; a second quits at once with 130, even while a call to Athena still hangs. Athena here is a
// loopback server that accepts connections and never answers.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { silentServer, type SilentServer } from '../helpers/silent-server.js';
import { binPath } from '../collect/cli.js';

describe('scan --engine athena interrupted with Ctrl-C', function () {
  this.timeout(60_000);
  let server: SilentServer;
  let port = 0;

  before(async () => {
    server = await silentServer();
    port = server.port;
  });

  after(() => server.close());

  it('asks the queries to stop on the first Ctrl-C and quits with 130 on the second', async () => {
    const child = spawn(process.execPath, [binPath(), 'scan', '--engine', 'athena', '--athena-database', 'security', '--athena-output', 's3://results/tp/', '--period', '2026-09'], {
      env: { PATH: process.env['PATH'], HOME: '/tmp', AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && server.connections() === 0) await new Promise((r) => setTimeout(r, 100));
    expect(server.connections(), 'the scan called Athena').to.be.greaterThan(0);
    child.kill('SIGINT');
    while (Date.now() < deadline && !stderr.includes('stopping the queries')) await new Promise((r) => setTimeout(r, 50));
    expect(stderr).to.include('interrupted; stopping the queries (Ctrl-C again to quit at once)');
    child.kill('SIGINT');
    expect(await closed).to.equal(130);
  });
});
