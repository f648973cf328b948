// A log file's records cut into batches of a few tens of KB, where one record ends, straight from the inflated
// bytes. Each batch becomes its own short string for the prefilter and the parser. Decoding a whole file at
// once would make a string of several MB: Node keeps such strings outside the JavaScript heap, and it frees
// them only at a full collection, so a worker decoding file after file would hold hundreds of MB of dead
// text between collections. A batch's string is an ordinary young object and dies at the next minor collection.

/** Where one record ends and the next begins, as CloudTrail writes them. */
export const SPLIT = '},{"eventVersion":';
/** How a log file begins, and how its first record does. */
const HEAD = '{"Records":[{"eventVersion":';

/** About this many bytes per batch: well under the size at which Node makes a string external (about 1 MB). */
export const BATCH_BYTES = 64 * 1024;

const HEAD_BYTES = Buffer.from(HEAD, 'latin1');
const SPLIT_BYTES = Buffer.from(SPLIT, 'latin1');
/** The first record starts at its brace, this far before HEAD's end: `{"eventVersion":`. */
const FIRST_RECORD = HEAD.length - '{"eventVersion":'.length;

function isSpace(c: number | undefined): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Where a log file's records are when the file is in the form CloudTrail writes
 * (`{"Records":[{"eventVersion":...},...]}`, white space allowed only at the end): from the first record's
 * opening brace to just after the last one's closing brace. Null for any other form (parse the file whole).
 */
export function recordRange(bytes: Uint8Array): { from: number; to: number } | null {
  if (bytes.length < HEAD_BYTES.length + 3 || Buffer.compare(bytes.subarray(0, HEAD_BYTES.length), HEAD_BYTES) !== 0) return null;
  let end = bytes.length;
  while (end > 0 && isSpace(bytes[end - 1])) end--;
  const close = end - 2;
  if (bytes[end - 1] !== 125 || bytes[close] !== 93 || bytes[close - 1] !== 125) return null;
  return { from: FIRST_RECORD, to: close };
}

/**
 * The batches of [from, to), each [start, end) a run of whole records: a batch ends at the first record end
 * `target` bytes or more after it starts (a record longer than that makes a batch of its own).
 */
export function recordBatches(bytes: Buffer, from: number, to: number, target = BATCH_BYTES): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = from;
  while (start < to) {
    const split = to - start > target ? bytes.indexOf(SPLIT_BYTES, start + target) : -1;
    if (split < 0 || split >= to) {
      out.push([start, to]);
      break;
    }
    out.push([start, split + 1]);
    start = split + 2;
  }
  return out;
}
