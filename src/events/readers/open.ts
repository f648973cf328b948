// Opening an input file so that what it is cannot hurt the scan: opened without blocking (a FIFO or a device
// would otherwise hang the open or the read forever), then checked to be a regular file, and sized before
// a byte is read, so a file too large is refused by its size rather than by the memory it would take.
// The containment of paths inside a root lives in src/evidence/contained.ts; a log folder's walk does its own
// (local.ts), and both name what a file is the same way (kindOf).
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { kindOf } from '../../evidence/contained.js';

const MIB = 1024 * 1024;

/** What a file that is not a regular file is, for the skip reason. */
export const fileKind = kindOf;

/** Opens a regular file for reading; throws, naming what it is, for anything else (nothing is read from it). */
export async function openRegularFile(path: string): Promise<FileHandle> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Error(`not read: ${fileKind(stats)}, not a regular file`);
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * A regular file's bytes, refused before reading when it is larger than `max` (`bound` names the constant
 * in the reason). Reads the size the file had when opened, no more, should it grow meanwhile.
 *
 * Synchronous calls: a scan reads each file where it processes it (a worker thread, or this thread before
 * the workers start), so nothing waits on the read meanwhile, and the promise API's open, stat, read and
 * close (each a trip to the thread pool and back) took longer than the reading itself on small log files
 * (bench:scan's small-file corpus: about a third of the workers' time).
 */
export async function readWhole(path: string, max: number, bound: string): Promise<Buffer> {
  return readWholeSync(path, max, bound);
}

function readWholeSync(path: string, max: number, bound: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new Error(`not read: ${fileKind(stats)}, not a regular file`);
    const { size } = stats;
    if (size > max) throw new Error(`${(size / MIB).toFixed(1)} MiB, larger than ${max / MIB} MiB (${bound})`);
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const n = readSync(fd, bytes, filled, size - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return filled === size ? bytes : bytes.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}
