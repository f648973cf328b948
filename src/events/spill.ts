// The exact path of the correlator: every correlation input of a scan, written as it arrives to a temp file
// (the journal), and read back sorted when some of them arrived too late for the streaming correlator (a
// folder of files that each hold days of events, a SIEM export, a file list in reverse). Memory stays within
// CORRELATION_MEMORY_BUDGET_BYTES whatever the corpus: the journal is read back in slices of that size, each
// sorted in memory (PackedRuns) and written out as a sorted run, and the runs are merged (an external merge
// sort by event time, event id, base rule). A corpus that fits in one slice is correlated straight from it.
//
// The journal holds inputs as the workers packed them (wire.ts): one block per unit, its typed arrays as they
// are and its string table as lengths and joined text, encoded into one reused buffer, so the common path (inputs in
// delivery order, nothing late) pays little for the exact one it will not need.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackedRuns, comparePacked } from './reorder.js';
import type { CorrelationInput } from './sigma/index.js';
import { InputPacker, inputOffsets, packedEventId, packedRule, unpackInput, type PackedInputs } from './wire.js';

/**
 * Memory the exact path may hold in packed correlation inputs while it sorts (besides the correlator's own
 * state): 64 MiB, about 400,000 inputs. A journal larger than this is sorted in runs of this size on disk.
 */
export const CORRELATION_MEMORY_BUDGET_BYTES = 64 * 1024 * 1024;

/**
 * Disk the journal and its sorted runs may take together: 16 GiB, on the order of 100 million correlation
 * inputs. Past it the journal stops; late inputs then cannot be re-correlated and are reported as such.
 */
export const SPILL_MAX_BYTES = 16 * 1024 ** 3;

/** Inputs per block of a sorted run: what one run holds in memory while the runs are merged. */
const RUN_BLOCK_INPUTS = 4096;

const HEADER_BYTES = 24;

export interface SpillOptions {
  /** Folder for the temp files (default: the system's temp folder). */
  dir?: string;
  memoryBudgetBytes?: number;
  maxBytes?: number;
}

/** What the exact path spent: the journal, the sorted runs, how many inputs it correlated. */
export interface SpillStats {
  journalBytes: number;
  runs: number;
  runBytes: number;
  inputs: number;
}

/**
 * A unit's string table as the journal writes it: the strings' lengths (in characters) and their text joined,
 * one byte a character when it is all ASCII (CloudTrail's text nearly always is), else two (UTF-16). No JSON:
 * JSON.stringify of a table of thousands of short strings was three quarters of the journal's cost.
 */
interface StringTable {
  text: string;
  ascii: boolean;
  bytes: number;
}

function stringTable(strings: readonly string[]): StringTable {
  const text = strings.join('');
  const ascii = Buffer.byteLength(text, 'utf8') === text.length;
  return { text, ascii, bytes: ascii ? text.length : text.length * 2 };
}

/** What one block takes in the file: header, times, ints, the kept input numbers, string lengths, then their text. */
function blockLength(packed: PackedInputs, kept: readonly number[] | null, table: StringTable): number {
  return HEADER_BYTES + packed.times.byteLength + packed.ints.byteLength + (kept === null ? 0 : kept.length * 4) + packed.strings.length * 4 + table.bytes;
}

/** Writes one block into `target` at `at` (it has room: blockLength); returns where it ends. */
function encodeBlock(target: Buffer, at: number, packed: PackedInputs, kept: readonly number[] | null, table: StringTable): number {
  let p = target.writeInt32LE(packed.count, at);
  p = target.writeInt32LE(kept === null ? -1 : kept.length, p);
  p = target.writeInt32LE(packed.ints.length, p);
  p = target.writeInt32LE(packed.strings.length, p);
  p = target.writeInt32LE(table.bytes, p);
  p = target.writeInt32LE(table.ascii ? 1 : 2, p);
  target.set(new Uint8Array(packed.times.buffer, packed.times.byteOffset, packed.times.byteLength), p);
  p += packed.times.byteLength;
  target.set(new Uint8Array(packed.ints.buffer, packed.ints.byteOffset, packed.ints.byteLength), p);
  p += packed.ints.byteLength;
  if (kept !== null) for (const n of kept) p = target.writeInt32LE(n, p);
  for (const text of packed.strings) p = target.writeInt32LE(text.length, p);
  return p + target.write(table.text, p, table.ascii ? 'latin1' : 'utf16le');
}

interface Block {
  packed: PackedInputs;
  kept: number[];
  bytes: number;
}

/** Reads whole blocks from one file between two offsets, in order. */
class BlockReader {
  private readonly header = Buffer.alloc(HEADER_BYTES);

  constructor(
    private readonly fd: number,
    private at: number,
    private readonly end: number,
    private readonly path: string,
  ) {}

  private read(length: number): Buffer {
    const buffer = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, buffer, got, length - got, this.at + got);
      if (n === 0) throw new Error(`correlation spill file ${this.path} ends early, at byte ${this.at + got} (wanted ${length} bytes there)`);
      got += n;
    }
    this.at += length;
    return buffer;
  }

  next(): Block | undefined {
    if (this.at >= this.end) return undefined;
    const start = this.at;
    const h = this.read(HEADER_BYTES);
    h.copy(this.header);
    const count = h.readInt32LE(0);
    const keptCount = h.readInt32LE(4);
    const intsLength = h.readInt32LE(8);
    const stringCount = h.readInt32LE(12);
    const stringBytes = h.readInt32LE(16);
    const charBytes = h.readInt32LE(20);
    const times = new Float64Array(count);
    new Uint8Array(times.buffer).set(this.read(count * 8));
    const ints = new Int32Array(intsLength);
    new Uint8Array(ints.buffer).set(this.read(intsLength * 4));
    let kept: number[];
    if (keptCount < 0) kept = Array.from({ length: count }, (_, n) => n);
    else {
      const k = new Int32Array(keptCount);
      new Uint8Array(k.buffer).set(this.read(keptCount * 4));
      kept = Array.from(k);
    }
    const lengths = new Int32Array(stringCount);
    new Uint8Array(lengths.buffer).set(this.read(stringCount * 4));
    const text = this.read(stringBytes).toString(charBytes === 1 ? 'latin1' : 'utf16le');
    const strings = new Array<string>(stringCount);
    for (let i = 0, at = 0; i < stringCount; i++) {
      const length = lengths[i] as number;
      strings[i] = text.slice(at, at + length);
      at += length;
    }
    return { packed: { count, strings, ints, times }, kept, bytes: this.at - start };
  }
}

/**
 * Bytes of blocks a spill file gathers before it writes them: one write per this much instead of five per
 * unit (the journal is written on the correlating thread, for every unit of every scan). Blocks are encoded
 * straight into one buffer of this size, reused: no buffers per unit for the collector (the journal's
 * encoding was the largest cost the exact path added to a scan in delivery order, ~0.1 us per event).
 */
const WRITE_BATCH_BYTES = 1024 * 1024;

/** An append-only temp file of blocks, within a disk bound shared by every file of one spill. */
class SpillFile {
  private fd: number | null = null;
  /** Bytes appended, written or not. */
  size = 0;
  private written = 0;
  /** Blocks appended and not yet written: the first `filled` bytes of `batch`. */
  private batch: Buffer | null = null;
  private filled = 0;

  constructor(
    readonly path: string,
    private readonly budget: { left: number },
  ) {}

  /** Appends a block; false (and nothing written) when the disk bound would be passed. */
  append(packed: PackedInputs, kept: readonly number[] | null): boolean {
    const table = stringTable(packed.strings);
    const length = blockLength(packed, kept, table);
    if (length > this.budget.left) return false;
    this.size += length;
    this.budget.left -= length;
    if (this.filled + length > WRITE_BATCH_BYTES) this.flush();
    if (length > WRITE_BATCH_BYTES) {
      // A block larger than the batch (a unit of tens of thousands of inputs) is written alone.
      const own = Buffer.allocUnsafe(length);
      encodeBlock(own, 0, packed, kept, table);
      this.writeAll(own);
      return true;
    }
    this.batch ??= Buffer.allocUnsafe(WRITE_BATCH_BYTES);
    this.filled = encodeBlock(this.batch, this.filled, packed, kept, table);
    return true;
  }

  private writeAll(bytes: Buffer): void {
    this.fd ??= openSync(this.path, 'w+');
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, this.written + done);
    this.written += bytes.length;
  }

  /** Writes what was appended and not yet written. */
  flush(): void {
    this.fd ??= openSync(this.path, 'w+');
    if (this.batch === null || this.filled === 0) return;
    this.writeAll(this.batch.subarray(0, this.filled));
    this.filled = 0;
  }

  reader(start = 0, end = this.size): BlockReader {
    this.flush();
    return new BlockReader(this.fd as number, start, end, this.path);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.batch = null;
    this.filled = 0;
  }
}

/** One sorted run being merged: its current block and the next input in it. */
interface Cursor {
  reader: BlockReader;
  block: Block;
  offsets: Int32Array;
  at: number;
}

function cursorBefore(a: Cursor, b: Cursor): boolean {
  return comparePacked(a.block.packed, a.offsets, a.at, b.block.packed, b.offsets, b.at) < 0;
}

/**
 * The journal of a scan's correlation inputs and its sorted read-back. `record` is called for every unit's
 * kept inputs in delivery order; `sorted` hands back the inputs of the chosen base rules in correlation order.
 */
export class CorrelationSpill {
  private readonly folder: string;
  private readonly budget: { left: number };
  private readonly journal: SpillFile;
  private readonly memoryBudget: number;
  private readonly maxBytes: number;
  /** False once the journal stopped (the disk bound, or a write that failed): what it lacks is named. */
  complete = true;
  problem: string | null = null;
  readonly stats: SpillStats = { journalBytes: 0, runs: 0, runBytes: 0, inputs: 0 };

  constructor(options: SpillOptions = {}) {
    this.folder = mkdtempSync(join(options.dir ?? tmpdir(), 'trailproof-correlation-'));
    this.maxBytes = options.maxBytes ?? SPILL_MAX_BYTES;
    this.budget = { left: this.maxBytes };
    this.memoryBudget = options.memoryBudgetBytes ?? CORRELATION_MEMORY_BUDGET_BYTES;
    this.journal = new SpillFile(join(this.folder, 'journal'), this.budget);
  }

  /** Adds a unit's kept inputs (null: all of them) to the journal. */
  record(packed: PackedInputs, kept: readonly number[] | null): void {
    if (!this.complete || packed.count === 0 || (kept !== null && kept.length === 0)) return;
    try {
      if (!this.journal.append(packed, kept)) {
        this.complete = false;
        this.problem = `the correlation journal reached its disk bound of ${Math.round(this.maxBytes / 1024 ** 2)} MiB (SPILL_MAX_BYTES)`;
      }
    } catch (err) {
      this.complete = false;
      this.problem = `the correlation spill file ${this.journal.path} could not be written: ${err instanceof Error ? err.message : String(err)}`;
    }
    this.stats.journalBytes = this.journal.size;
  }

  /** Writes what the journal holds in memory; a write that fails makes it incomplete, named. */
  seal(): void {
    if (!this.complete) return;
    try {
      this.journal.flush();
    } catch (err) {
      this.complete = false;
      this.problem = `the correlation spill file ${this.journal.path} could not be written: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /**
   * Hands every journaled input of the given base rules to `correlate` in correlation order (time, event id,
   * rule), each once: a second copy of an event (same time, id and rule) is left out when `dedupe` is on.
   */
  sorted(rules: ReadonlySet<number>, dedupe: boolean, correlate: (input: CorrelationInput) => void): void {
    let last: { time: number; id: string; rule: number } | null = null;
    /** Whether the input is a second copy of the one before (they sort next to each other). */
    const repeated = (time: number, id: string, rule: number): boolean => {
      const same = dedupe && last !== null && id !== '' && last.time === time && last.id === id && last.rule === rule;
      last = { time, id, rule };
      if (!same) this.stats.inputs++;
      return same;
    };
    const hand = (packed: PackedInputs, n: number, offset: number): void => {
      if (!repeated(packed.times[n] as number, packedEventId(packed, offset), packedRule(packed, offset))) correlate(unpackInput(packed, n, offset));
    };
    const runs = new SpillFile(join(this.folder, 'runs'), this.budget);
    const bounds: Array<[number, number]> = [];
    try {
      let memory = new PackedRuns();
      let held = 0;
      const spillRun = (): void => {
        const start = runs.size;
        const packer = (): InputPacker => new InputPacker();
        let block = packer();
        let inBlock = 0;
        for (let next = memory.pop(); next !== undefined; next = memory.pop()) {
          block.add(next);
          if (++inBlock === RUN_BLOCK_INPUTS) {
            this.appendRun(runs, block.finish());
            block = packer();
            inBlock = 0;
          }
        }
        if (inBlock > 0) this.appendRun(runs, block.finish());
        bounds.push([start, runs.size]);
        memory = new PackedRuns();
        held = 0;
      };
      const journal = this.journal.reader();
      for (let block = journal.next(); block !== undefined; block = journal.next()) {
        const offsets = inputOffsets(block.packed);
        const kept = block.kept.filter((n) => rules.has(packedRule(block.packed, offsets[n] as number)));
        if (kept.length === 0) continue;
        if (held + block.bytes > this.memoryBudget && held > 0) spillRun();
        memory.add(block.packed, offsets, kept);
        held += block.bytes;
      }
      if (bounds.length === 0) {
        // Everything fitted in memory: one sorted pass, no run written.
        for (let next = memory.pop(); next !== undefined; next = memory.pop()) if (!repeated(next.time, next.summary.eventID, next.rule)) correlate(next);
        return;
      }
      if (held > 0) spillRun();
      this.stats.runs = bounds.length;
      this.stats.runBytes = runs.size;
      this.merge(runs, bounds, hand);
    } finally {
      runs.close();
    }
  }

  private appendRun(runs: SpillFile, packed: PackedInputs): void {
    if (!runs.append(packed, null)) throw new Error(`the correlation spill reached its disk bound (SPILL_MAX_BYTES) while sorting; ${runs.path} holds ${runs.size} bytes`);
  }

  /** The k-way merge of the sorted runs: a min-heap of cursors, one block per run in memory. */
  private merge(runs: SpillFile, bounds: ReadonlyArray<[number, number]>, hand: (packed: PackedInputs, n: number, offset: number) => void): void {
    const heap: Cursor[] = [];
    const siftDown = (cursor: Cursor): void => {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= heap.length) break;
        if (child + 1 < heap.length && cursorBefore(heap[child + 1] as Cursor, heap[child] as Cursor)) child++;
        if (!cursorBefore(heap[child] as Cursor, cursor)) break;
        heap[i] = heap[child] as Cursor;
        i = child;
      }
      heap[i] = cursor;
    };
    for (const [start, end] of bounds) {
      const reader = runs.reader(start, end);
      const block = reader.next();
      if (block === undefined) continue;
      const cursor: Cursor = { reader, block, offsets: inputOffsets(block.packed), at: 0 };
      let i = heap.length;
      heap.push(cursor);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!cursorBefore(cursor, heap[parent] as Cursor)) break;
        heap[i] = heap[parent] as Cursor;
        i = parent;
      }
      heap[i] = cursor;
    }
    while (heap.length > 0) {
      const top = heap[0] as Cursor;
      hand(top.block.packed, top.at, top.offsets[top.at] as number);
      top.at++;
      if (top.at === top.block.packed.count) {
        const block = top.reader.next();
        if (block === undefined) {
          const last = heap.pop() as Cursor;
          if (heap.length === 0) break;
          siftDown(last);
          continue;
        }
        top.block = block;
        top.offsets = inputOffsets(block.packed);
        top.at = 0;
      }
      siftDown(top);
    }
  }

  /** Removes the temp files. */
  dispose(): void {
    this.journal.close();
    rmSync(this.folder, { recursive: true, force: true });
  }
}
