// A loopback server that accepts connections and never answers: an AWS endpoint that hangs, so a command is
// surely still waiting on it when a test interrupts it.
import { createServer, type Socket } from 'node:net';

export interface SilentServer {
  port: number;
  /** Connections made so far (each a call left hanging). */
  connections(): number;
  close(): void;
}

export async function silentServer(): Promise<SilentServer> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => sockets.length,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
