// The worker thread's entry: builds the processor from the task it was started with (rules compiled from
// their source text here, so nothing but plain data crosses threads), then processes the units it is sent.
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../errors.js';
import { createProcessor, type Task } from './processor.js';
import type { LogUnit } from './readers/types.js';
import { packedTransfer } from './wire.js';

export interface WorkRequest {
  seq: number;
  unit: LogUnit;
}

export type WorkReply =
  | { seq: number; ok: true; result: Awaited<ReturnType<ReturnType<typeof createProcessor>>> }
  | { seq: number; ok: false; error: string };

const port = parentPort;
if (port !== null) {
  const processor = createProcessor(workerData as Task);
  port.on('message', (request: WorkRequest) => {
    processor(request.unit).then(
      (result) => port.postMessage({ seq: request.seq, ok: true, result } satisfies WorkReply, packedTransfer(result.inputs)),
      (err: unknown) => port.postMessage({ seq: request.seq, ok: false, error: `${request.unit.name}: ${errorMessage(err)}` } satisfies WorkReply),
    );
  });
  port.postMessage({ ready: true });
}
