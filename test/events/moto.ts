// The scan suites' view of the shared moto runner (test/helpers/moto.ts).
import { startMoto as start } from '../helpers/moto.js';

export { requireMoto } from '../helpers/moto.js';

export interface Moto {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const server = await start();
  return { endpoint: server.url, stop: server.stop };
}
