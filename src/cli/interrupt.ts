// Ctrl-C while a command writes something it would otherwise leave half done (a bundle being collected):
// the handler removes it, says so and ends the process with 130, the shell's code for an interrupt.
import type { Io } from './io.js';

/** Runs `fn` with a SIGINT handler that calls `cleanup` (synchronous: nothing awaits after a signal). */
export async function cleanOnInterrupt<T>(io: Io, cleanup: () => string[], fn: () => Promise<T>): Promise<T> {
  const handler = (): void => {
    const removed = cleanup();
    io.stderr(`trailproof: interrupted${removed.length > 0 ? `; removed the unfinished ${removed.join(', ')}` : ''}\n`);
    process.exit(130);
  };
  process.once('SIGINT', handler);
  try {
    return await fn();
  } finally {
    process.removeListener('SIGINT', handler);
  }
}
