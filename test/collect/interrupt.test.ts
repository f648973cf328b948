// Ctrl-C during `trailproof collect`: the unfinished bundle folder is removed (nothing half-written is left
// beside the evidence), the run says so and exits 130. AWS is a loopback server that accepts connections and
// never answers, so the collection is surely still running when the signal comes.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { silentServer, type SilentServer } from '../helpers/silent-server.js';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath } from './cli.js';

describe('collect interrupted with Ctrl-C', function () {
  this.timeout(60_000);
  let server: SilentServer;
  let port = 0;

  before(async () => {
    server = await silentServer();
    port = server.port;
  });

  after(() => server.close());

  it('removes the unfinished bundle and exits 130', async () => {
    const work = mkdtempSync(join(tmpdir(), 'trailproof-interrupt-'));
    const home = mkdtempSync(join(tmpdir(), 'trailproof-home-'));
    const child = spawn(process.execPath, [binPath(), 'collect', '--out', join(work, 'evidence'), '--regions', 'us-east-1', '--no-progress'], {
      env: { PATH: process.env['PATH'], HOME: home, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    // Wait until the bundle's temporary folder exists and a request is hanging on the server.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(readdirSync(work).some((f) => f.includes('.partial-')) && server.connections() > 0)) await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(work).some((f) => f.includes('.partial-')), 'the collection started').to.equal(true);
    const code = await new Promise<number | null>((resolve) => {
      child.on('close', (c) => resolve(c));
      child.kill('SIGINT');
    });
    expect(code).to.equal(130);
    expect(stderr).to.include('interrupted; removed the unfinished');
    expect(readdirSync(work)).to.deep.equal([]);
  });
});
