// moto has no CloudTrail ListPublicKeys. For the --logs suite, a small HTTP proxy on loopback stands in front
// of moto: it answers ListPublicKeys (the awsJson1_1 call, recognised by its X-Amz-Target header) with the
// test's signing key, as CloudTrail would, and forwards every other request to moto unchanged. The product
// makes the very same call it makes against AWS; only the test setup fills moto's gap.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SigningKey } from '../../fixtures/cloudtrail-digest.js';

export interface KeysProxy {
  url: string;
  /** ListPublicKeys requests answered, with the region each was signed for. */
  answered: string[];
  stop(): Promise<void>;
}

/** The ListPublicKeys answer on the wire: blob as base64, timestamps as epoch seconds. */
function answer(keys: SigningKey[], from: Date, to: Date): string {
  return JSON.stringify({
    PublicKeyList: keys.map((k) => ({ Value: k.value, ValidityStartTime: from.getTime() / 1000, ValidityEndTime: to.getTime() / 1000, Fingerprint: k.fingerprint })),
  });
}

export async function startKeysProxy(target: string, keys: SigningKey[], from: Date, to: Date): Promise<KeysProxy> {
  const answered: string[] = [];
  const upstream = new URL(target);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (String(req.headers['x-amz-target'] ?? '').endsWith('.ListPublicKeys')) {
        answered.push(/Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//.exec(String(req.headers['authorization'] ?? ''))?.[1] ?? '?');
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(answer(keys, from, to));
        return;
      }
      const forward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      });
      forward.on('error', (err) => res.writeHead(502).end(err.message));
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answered,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
