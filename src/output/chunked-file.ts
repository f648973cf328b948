// A text file written chunk by chunk, beside its final name and renamed into place when complete, so no reader
// sees half a file. The outputs that grow with the results (findings.json, junit.xml, results.csv) are written
// this way: for an organization of a thousand accounts the whole text would be tens of megabytes held beside
// the findings, and the many small strings joined into it outlive the young generation, so the heap's peak
// grew by several times the file's size before a full collection reclaimed them.
import { createHash } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/** Text is turned into bytes and written once this much is held (small enough to die young). */
export const CHUNK_CHARS = 64 * 1024;

export interface WrittenFile {
  size: number;
  sha256: string;
}

/** Writes the text pieces `fill` gives to `path` (through `path.tmp`); returns the file's size and SHA-256. */
export function writeChunked(path: string, fill: (write: (text: string) => void) => void): WrittenFile {
  const hash = createHash('sha256');
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  let held: string[] = [];
  let heldChars = 0;
  let size = 0;
  const flush = (): void => {
    if (held.length === 0) return;
    const bytes = Buffer.from(held.join(''), 'utf8');
    held = [];
    heldChars = 0;
    hash.update(bytes);
    writeSync(fd, bytes);
    size += bytes.length;
  };
  try {
    fill((text) => {
      held.push(text);
      heldChars += text.length;
      if (heldChars >= CHUNK_CHARS) flush();
    });
    flush();
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  return { size, sha256: hash.digest('hex') };
}
