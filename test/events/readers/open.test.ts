// readWhole's two ways of reading (synchronous for files listed small, asynchronous for larger ones) give the
// same bytes and refuse the same inputs with the same reasons.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { readWhole, SYNC_READ_MAX_BYTES } from '../../../src/events/readers/open.js';

describe('readWhole', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailproof-open-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const ways = [
    { name: 'synchronously (listed small)', expected: 10 },
    { name: 'asynchronously (listed large)', expected: SYNC_READ_MAX_BYTES + 1 },
  ];
  for (const way of ways) {
    it(`reads a file's bytes whole ${way.name}`, async () => {
      const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
      const file = join(dir, `whole-${way.expected}`);
      writeFileSync(file, bytes);
      expect((await readWhole(file, 1024 * 1024, 'MAX_TEST', way.expected)).equals(bytes)).to.equal(true);
    });

    it(`refuses a file past the bound by its size, naming the bound, ${way.name}`, async () => {
      const file = join(dir, `large-${way.expected}`);
      writeFileSync(file, Buffer.alloc(2 * 1024 * 1024));
      let error: unknown;
      await readWhole(file, 1024 * 1024, 'MAX_TEST', way.expected).catch((err: unknown) => (error = err));
      expect(String(error)).to.contain('2.0 MiB, larger than 1 MiB (MAX_TEST)');
    });

    it(`refuses a FIFO without blocking on it, ${way.name}`, async () => {
      const fifo = join(dir, `fifo-${way.expected}`);
      execFileSync('mkfifo', [fifo]);
      let error: unknown;
      await readWhole(fifo, 1024 * 1024, 'MAX_TEST', way.expected).catch((err: unknown) => (error = err));
      expect(String(error)).to.match(/not read: .*FIFO.*, not a regular file/i);
    });
  }
});
