// Containment of `scan/events --logs DIR`: what a log file's name points at must be a regular file inside
// DIR. A symbolic link out of DIR (to another folder, to /dev/zero), a link to a folder, a FIFO and a socket
// are each refused with their reason, counted as skipped inputs, never opened (the FIFO never blocks), and
// every other detection is found.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import type { Findings } from '../../src/model/types.js';
import { logKey, record, tempDir, writeLog } from '../events/helpers.js';
import { expectNoCrash, expectSkipLine, run } from './helpers.js';

const ACCOUNT = '111111111111';
const key = (delivered: string, suffix: string): string => logKey({ account: ACCOUNT, region: 'us-east-1', delivered, suffix });

describe('hostile files under --logs DIR (CLI)', function () {
  this.timeout(60_000);
  let socketServer: Server | undefined;
  after(() => socketServer?.close());

  it('refuses links out of DIR, links to folders, FIFOs and sockets by name and reason; reads a link to a file inside DIR', async () => {
    const root = tempDir('tp-hostile-files-');
    const dir = join(root, 'logs');
    const outside = join(root, 'outside');
    mkdirSync(outside, { recursive: true });
    const deleted = record({ time: '2026-09-14T03:32:07Z', name: 'DeleteTrail', source: 'cloudtrail.amazonaws.com' });
    const stopped = record({ time: '2026-09-14T03:34:07Z', name: 'StopLogging', source: 'cloudtrail.amazonaws.com' });
    const secret = record({ time: '2026-09-14T03:35:07Z', name: 'DeleteTrail', source: 'cloudtrail.amazonaws.com', params: { name: 'outside' } });
    writeLog(dir, { account: ACCOUNT, region: 'us-east-1', delivered: '2026-09-14T03:40:00Z', records: [deleted] });
    // A file kept beside DIR but inside it, read through a link inside DIR.
    const inner = writeLog(join(dir, 'kept'), { account: ACCOUNT, region: 'us-east-1', delivered: '2026-09-14T03:41:00Z', records: [stopped], suffix: 'Kept000000000000' });
    const outsideFile = writeLog(outside, { account: ACCOUNT, region: 'us-east-1', delivered: '2026-09-14T03:42:00Z', records: [secret] });
    const at = (k: string): string => {
      mkdirSync(dirname(join(dir, k)), { recursive: true });
      return join(dir, k);
    };
    const linkInside = at(key('2026-09-14T03:43:00Z', 'LinkInside000000'));
    symlinkSync(join(dir, 'kept', inner), linkInside);
    const linkOut = at(key('2026-09-14T03:44:00Z', 'LinkOutside00000'));
    symlinkSync(join(outside, outsideFile), linkOut);
    const linkZero = at(key('2026-09-14T03:45:00Z', 'LinkDevZero00000'));
    symlinkSync('/dev/zero', linkZero);
    const linkDir = join(dirname(linkZero), 'elsewhere');
    symlinkSync(outside, linkDir);
    const fifo = at(key('2026-09-14T03:46:00Z', 'Fifo000000000000'));
    execFileSync('mkfifo', [fifo]);
    // At DIR's top (a loose file): a socket's path must fit in 108 bytes.
    const socket = join(dir, 's.json.gz');
    socketServer = createServer();
    await new Promise<void>((resolve) => socketServer?.listen(socket, resolve));
    // Kept out of the layout of DIR, so only the link above reaches it.
    copyFileSync(join(outside, outsideFile), join(outside, 'copy.json.gz'));

    const r = await run(['scan', '--logs', dir, '--format', 'json']);
    expect(r.code, r.err).to.equal(1);
    expectNoCrash(r.err);
    for (const name of [linkOut, linkZero, linkDir, fifo, socket]) expectSkipLine(r.err, name, /^skipped /);
    const findings = JSON.parse(r.out) as Findings & { scan: { files: { read: number; skipped: number }; skipped: { name: string; reason: string }[] } };
    const reasons = Object.fromEntries(findings.scan.skipped.map((s) => [s.name, s.reason]));
    expect(reasons).to.deep.equal({
      [linkOut]: `a symbolic link to ${join(outside, outsideFile)}, outside the --logs folder: not read`,
      [linkZero]: 'a symbolic link to /dev/zero, outside the --logs folder: not read',
      [linkDir]: 'a symbolic link to a folder: not followed',
      [fifo]: 'a FIFO, not a regular file: not read',
      [socket]: 'a socket, not a regular file: not read',
    });
    const ids = findings.detections.map((d) => d.eventId);
    expect(ids).to.include.members([deleted.eventID, stopped.eventID]);
    expect(ids).to.not.include(secret.eventID);
    expect(findings.scan.files.skipped).to.equal(5);
    expect(r.ms).to.be.below(20_000);
  });
});
