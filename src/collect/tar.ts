// A small POSIX tar (ustar, with a pax `path` record for names over 100 bytes) written through gzip, for
// `collect --archive`: the bundle as one file for evidence retention. Streamed file by file, so memory does not
// grow with the bundle; entries sorted and stamped with one time, so the same bundle gives the same bytes.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** One 512-byte ustar header. */
export function tarHeader(name: string, size: number, mtime: number, type: '0' | 'x'): Buffer {
  const header = Buffer.alloc(BLOCK);
  header.write(name.slice(0, 100), 0, 100, 'utf8');
  header.write(octal(0o644, 8), 100, 8, 'ascii');
  header.write(octal(0, 8), 108, 8, 'ascii');
  header.write(octal(0, 8), 116, 8, 'ascii');
  header.write(octal(size, 12), 124, 12, 'ascii');
  header.write(octal(Math.floor(mtime / 1000), 12), 136, 12, 'ascii');
  header.write('        ', 148, 8, 'ascii');
  header.write(type, 156, 1, 'ascii');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
  return header;
}

/** A pax extended header record: "<length> path=<name>\n", the length counting itself. */
export function paxPath(name: string): Buffer {
  const body = ` path=${name}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return Buffer.from(`${length}${body}`, 'utf8');
}

function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

async function* entries(root: string, files: string[], prefix: string, mtime: number): AsyncGenerator<Buffer> {
  for (const file of [...files].sort()) {
    const name = `${prefix}/${file}`;
    const { size } = await stat(join(root, file));
    if (Buffer.byteLength(name) > 100) {
      const pax = paxPath(name);
      yield tarHeader('PaxHeader', pax.length, mtime, 'x');
      yield pax;
      yield padding(pax.length);
    }
    yield tarHeader(name, size, mtime, '0');
    for await (const chunk of createReadStream(join(root, file))) yield chunk as Buffer;
    yield padding(size);
  }
  yield Buffer.alloc(BLOCK * 2);
}

/**
 * Writes `target` (.tar.gz) holding `files` (paths relative to `root`) under the folder name `prefix`;
 * returns the archive's SHA-256. Written beside and renamed, like the bundle.
 */
export async function writeTarGz(root: string, files: string[], prefix: string, target: string, mtime: number): Promise<string> {
  const temp = `${target}.partial`;
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(entries(root, files, prefix, mtime), createGzip(), hashing, createWriteStream(temp));
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return hash.digest('hex');
}
