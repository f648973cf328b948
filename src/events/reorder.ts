// The reorder buffer in front of the correlator. Correlation inputs arrive a unit (a log file) at a time, in
// delivery order, and are correlated in event-time order once no later unit can hold an earlier event. At an
// organization's event rate the buffer holds minutes of inputs (hundreds of thousands), so they wait here as
// the workers packed them (wire.ts: a string table and typed arrays) and become objects only when they are
// handed to the correlator: a few objects per unit for the collector to trace instead of a dozen per input,
// most of which would have lived long enough to be promoted and then died in the old generation.
import type { CorrelationInput } from './sigma/index.js';
import { inputOffsets, packedEventId, packedRule, unpackInput, type PackedInputs } from './wire.js';

/** One unit's inputs: the packed set, where each input starts, the order to hand them out in, the next one. */
interface Run {
  packed: PackedInputs;
  offsets: Int32Array;
  order: Int32Array;
  at: number;
  /** Arrival order of the run: breaks ties of equal inputs. */
  seq: number;
}

/**
 * The order correlation inputs are correlated in, over packed inputs (scan.ts's inputOrder over objects):
 * event time, then event id, then the base rule, then arrival.
 */
export function comparePacked(a: PackedInputs, aOffsets: Int32Array, n: number, b: PackedInputs, bOffsets: Int32Array, m: number): number {
  const t = (a.times[n] as number) - (b.times[m] as number);
  if (t !== 0) return t;
  const x = packedEventId(a, aOffsets[n] as number);
  const y = packedEventId(b, bOffsets[m] as number);
  if (x !== y) return x < y ? -1 : 1;
  return packedRule(a, aOffsets[n] as number) - packedRule(b, bOffsets[m] as number);
}

/** Whether run a's next input goes before run b's. */
function before(a: Run, b: Run): boolean {
  const order = comparePacked(a.packed, a.offsets, a.order[a.at] as number, b.packed, b.offsets, b.order[b.at] as number);
  return order < 0 || (order === 0 && a.seq < b.seq);
}

/**
 * Each unit's inputs as one run sorted by the correlation order, the runs merged by (order, arrival): the
 * order a min-heap of every input gives, at a fraction of the cost, the heap being over the few runs waiting.
 */
export class PackedRuns {
  private readonly heap: Run[] = [];
  private seq = 0;

  /** Adds a unit's inputs: those whose numbers are in `kept` (ascending), or all. */
  add(packed: PackedInputs, offsets: Int32Array = inputOffsets(packed), kept: number[] = Array.from(offsets.keys())): void {
    if (kept.length === 0) return;
    // The input number last: equal inputs keep their arrival order, as a stable sort would.
    kept.sort((n, m) => comparePacked(packed, offsets, n, packed, offsets, m) || n - m);
    const run: Run = { packed, offsets, order: Int32Array.from(kept), at: 0, seq: this.seq++ };
    const heap = this.heap;
    let i = heap.length;
    heap.push(run);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(run, heap[parent] as Run)) break;
      heap[i] = heap[parent] as Run;
      i = parent;
    }
    heap[i] = run;
  }

  /** The event time of the next input, or undefined when none waits. */
  peekTime(): number | undefined {
    const top = this.heap[0];
    return top === undefined ? undefined : (top.packed.times[top.order[top.at] as number] as number);
  }

  pop(): CorrelationInput | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const n = top.order[top.at++] as number;
    const input = unpackInput(top.packed, n, top.offsets[n] as number);
    let run = top;
    if (top.at === top.order.length) {
      run = heap.pop() as Run;
      if (heap.length === 0) return input;
    }
    // Sift the top run (with its next input) or the last run down from the root.
    const size = heap.length;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && before(heap[child + 1] as Run, heap[child] as Run)) child++;
      if (!before(heap[child] as Run, run)) break;
      heap[i] = heap[child] as Run;
      i = child;
    }
    heap[i] = run;
    return input;
  }
}
