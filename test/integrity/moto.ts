// The validate-logs suite's view of the shared moto runner (test/helpers/moto.ts), with the environment a
// child CLI needs to reach it with dummy credentials.
import { startMoto as start } from '../helpers/moto.js';

export { requireMoto } from '../helpers/moto.js';

export interface Moto {
  endpoint: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const server = await start();
  const endpoint = server.url;
  return {
    endpoint,
    env: { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_SESSION_TOKEN: 'testing', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' },
    stop: server.stop,
  };
}
