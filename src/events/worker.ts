// The worker thread's entry: builds the processor from the task it was started with (rules compiled from
// their source text here, so nothing but plain data crosses threads), then processes the units it is sent,
// a message's units one after another (a batch of small files: see pool.ts), replying once per message.
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../errors.js';
import { createProcessor, type Processor, type Task, type UnitResult } from './processor.js';
import type { LogUnit } from './readers/types.js';
import { packedTransfer } from './wire.js';

export interface WorkRequest {
  /** The first unit's sequence number; the others follow it. */
  seq: number;
  units: LogUnit[];
}

export type WorkReply = { seq: number; ok: true; results: UnitResult[] } | { seq: number; ok: false; error: string };

/** A message's units in order; the first that cannot be processed at all fails the message, named. */
async function processAll(processor: Processor, request: WorkRequest): Promise<WorkReply> {
  const results: UnitResult[] = [];
  for (const unit of request.units) {
    try {
      results.push(await processor(unit));
    } catch (err) {
      return { seq: request.seq, ok: false, error: `${unit.name}: ${errorMessage(err)}` };
    }
  }
  return { seq: request.seq, ok: true, results };
}

const port = parentPort;
if (port !== null) {
  const processor = createProcessor(workerData as Task);
  port.on('message', (request: WorkRequest) => {
    void processAll(processor, request).then((reply) => port.postMessage(reply, reply.ok ? reply.results.flatMap((r) => packedTransfer(r.inputs)) : []));
  });
  port.postMessage({ ready: true });
}
