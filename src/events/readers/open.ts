// Opening an input file so that what it is cannot hurt the scan: opened without blocking (a FIFO or a device
// would otherwise hang the open or the read forever), then checked to be a regular file, and sized before
// a byte is read, so a file too large is refused by its size rather than by the memory it would take.
// The containment of paths inside a root lives in src/evidence/contained.ts; a log folder's walk does its own
// (local.ts), and both name what a file is the same way (kindOf).
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
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
 * Files up to this size (as the walk saw them) are read with synchronous calls: on small files the promise
 * API's open, stat, read and close (each a trip to the thread pool and back) cost more than the reading (on
 * bench:scan's small-file corpus, 4,000 files of 50 records, a third of the workers' time). A larger file is
 * read asynchronously, so that while a worker processes one file the next one's read goes on (on the main
 * corpus, 2,000-record files, synchronous reads made the scan's wall time 1.5x when the disk was busy).
 */
export const SYNC_READ_MAX_BYTES = 64 * 1024;

/**
 * A regular file's bytes, refused before reading when it is larger than `max` (`bound` names the constant
 * in the reason). Reads the size the file had when opened, no more, should it grow meanwhile. `expected`:
 * the size the file was listed with, which picks the synchronous or the asynchronous read.
 */
export async function readWhole(path: string, max: number, bound: string, expected = Number.POSITIVE_INFINITY): Promise<Buffer> {
  if (expected <= SYNC_READ_MAX_BYTES) return readWholeSync(path, max, bound);
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    const bytes = allocateFor(stats, max, bound);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** The buffer a regular file's bytes are read into; throws, naming what it is, for anything else or one too large. */
function allocateFor(stats: Stats, max: number, bound: string): Buffer {
  if (!stats.isFile()) throw new Error(`not read: ${fileKind(stats)}, not a regular file`);
  if (stats.size > max) throw new Error(`${(stats.size / MIB).toFixed(1)} MiB, larger than ${max / MIB} MiB (${bound})`);
  return Buffer.allocUnsafe(stats.size);
}

function readWholeSync(path: string, max: number, bound: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const bytes = allocateFor(fstatSync(fd), max, bound);
    let filled = 0;
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return filled === bytes.length ? bytes : bytes.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}
