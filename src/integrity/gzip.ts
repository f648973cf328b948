// The first-gzip-member rule. CloudTrail hashes the inflated bytes of a log (or digest) file; the AWS CLI
// inflates the first gzip member only and ignores whatever follows it. Node's gunzip would go on into a
// second member, so the member is parsed here: header by hand, body with raw inflate (which stops at the
// end of the deflate stream), then the CRC-32 and length trailer. Bytes after the trailer are reported,
// since a valid hash with extra bytes appended is a file that was modified after delivery.
import { createHash } from 'node:crypto';
import { createInflateRaw, crc32 } from 'node:zlib';

export interface FirstMember {
  /** Hex SHA-256 of the inflated bytes (of what could be inflated when the member is truncated). */
  sha256: string;
  /** Inflated length. */
  size: number;
  /** Bytes after the first member's trailer. */
  trailingBytes: number;
  /** The input ended before the member did (header, body or trailer cut short). */
  truncated: boolean;
}

export class GzipFormatError extends Error {}

/**
 * Bounds on what a file may inflate to. A digest is a few KB of JSON (a busy hour lists a few thousand log
 * files, well under 1 MiB); a CloudTrail log file is at most tens of MB inflated. Inflating stops as soon
 * as a bound is passed, and the file is "invalid format" (a gzip bomb costs a bounded time and memory).
 */
export const MAX_DIGEST_INFLATED_BYTES = 16 * 1024 * 1024;
export const MAX_LOG_INFLATED_BYTES = 2 * 1024 ** 3;
/** Compressed size bounds, checked (stat) before a file is read. */
export const MAX_DIGEST_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_LOG_FILE_BYTES = 1024 ** 3;

const FTEXT_MASK = 0xe0; // reserved flag bits must be zero
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/** Length of the gzip header at the start of bytes; undefined when bytes end inside it. */
export function gzipHeaderLength(bytes: Buffer): number | undefined {
  if (bytes.length >= 1 && bytes[0] !== 0x1f) throw new GzipFormatError('not a gzip file (bad magic number)');
  if (bytes.length >= 2 && bytes[1] !== 0x8b) throw new GzipFormatError('not a gzip file (bad magic number)');
  if (bytes.length >= 3 && bytes[2] !== 8) throw new GzipFormatError('unknown gzip compression method');
  if (bytes.length < 10) return undefined;
  const flags = bytes[3] as number;
  if ((flags & FTEXT_MASK) !== 0) throw new GzipFormatError('reserved gzip header flags set');
  let at = 10;
  if (flags & FEXTRA) {
    if (bytes.length < at + 2) return undefined;
    at += 2 + bytes.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (flags & flag) {
      const zero = bytes.indexOf(0, at);
      if (zero < 0) return undefined;
      at = zero + 1;
    }
  }
  if (flags & FHCRC) at += 2;
  return at <= bytes.length ? at : undefined;
}

/**
 * Inflates the first gzip member of `bytes` as a stream, handing each inflated chunk to `onChunk` (nothing
 * is held). Throws GzipFormatError for input zlib rejects (bad header, corrupt deflate data, CRC or length
 * mismatch): the AWS CLI reports those files as "invalid format".
 */
async function firstMember(bytes: Buffer, maxInflated: number, onChunk: (chunk: Buffer) => void): Promise<Omit<FirstMember, 'sha256'>> {
  const header = gzipHeaderLength(bytes);
  if (header === undefined) return { size: 0, trailingBytes: 0, truncated: true };
  const inflater = createInflateRaw({ chunkSize: outputChunkSize(bytes) });
  let crc = 0;
  let size = 0;
  let truncated = false;
  await new Promise<void>((resolve, reject) => {
    inflater.on('data', (chunk: Buffer) => {
      if (size + chunk.length > maxInflated) {
        // Stop at once: the rest is never inflated, and nothing more reaches onChunk.
        inflater.removeAllListeners('data');
        inflater.destroy();
        reject(new GzipFormatError(`inflates past ${maxInflated} bytes (the bound for this kind of file)`));
        return;
      }
      onChunk(chunk);
      crc = crc32(chunk, crc);
      size += chunk.length;
    });
    inflater.on('end', resolve);
    inflater.on('error', (err: NodeJS.ErrnoException) => {
      // Input that stops inside the deflate stream: the CLI hashes what inflated and compares it.
      if (err.code === 'Z_BUF_ERROR') {
        truncated = true;
        resolve();
      } else reject(new GzipFormatError(`corrupt gzip data: ${err.message}`));
    });
    inflater.end(bytes.subarray(header));
  });
  // Raw inflate counts the input it consumed: the deflate stream ends there and the trailer follows.
  const trailerAt = header + inflater.bytesWritten;
  if (truncated || bytes.length < trailerAt + 8) return { size, trailingBytes: 0, truncated: true };
  if (bytes.readUInt32LE(trailerAt) !== crc >>> 0) throw new GzipFormatError('gzip CRC-32 does not match the inflated data');
  if (bytes.readUInt32LE(trailerAt + 4) !== size % 2 ** 32) throw new GzipFormatError('gzip length does not match the inflated data');
  return { size, trailingBytes: bytes.length - trailerAt - 8, truncated: false };
}

/**
 * An output buffer that fits the whole inflated file when it is small: the gzip trailer's last four bytes
 * give the inflated size of a single-member file, and a buffer far larger than the output (allocated per
 * file) would cost more in garbage collection than the inflating itself.
 */
function outputChunkSize(bytes: Buffer): number {
  const hint = bytes.length >= 18 ? bytes.readUInt32LE(bytes.length - 4) + 1 : 0;
  return Math.min(Math.max(hint, 16 * 1024), 1024 * 1024);
}

/** SHA-256 of the first member's inflated bytes, streamed. */
export async function hashFirstMember(bytes: Buffer, maxInflated: number = MAX_LOG_INFLATED_BYTES): Promise<FirstMember> {
  const hash = createHash('sha256');
  const member = await firstMember(bytes, maxInflated, (chunk) => hash.update(chunk));
  return { sha256: hash.digest('hex'), ...member };
}

/** The first member's inflated bytes, for digest files (small JSON documents read whole). */
export async function inflateFirstMember(bytes: Buffer, maxInflated: number = MAX_DIGEST_INFLATED_BYTES): Promise<{ data: Buffer; trailingBytes: number; truncated: boolean }> {
  const chunks: Buffer[] = [];
  const member = await firstMember(bytes, maxInflated, (chunk) => chunks.push(chunk));
  return { data: Buffer.concat(chunks), trailingBytes: member.trailingBytes, truncated: member.truncated };
}
