// A small HTTP proxy on loopback in front of moto that denies chosen calls the way AWS denies them, for the
// gate suite: sts:AssumeRole into an account for its first N tries (a freshly vended account whose role is not
// ready yet), or any JSON-protocol call (CloudTrail's, by its X-Amz-Target) signed with a given access key (a
// management-account read that is denied). Everything else goes to moto unchanged; the product makes the very
// calls it makes against AWS.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DenyRule {
  /** The operation, from X-Amz-Target (e.g. GetTrailStatus). */
  operation: string;
  /** Only calls signed with this access key id (the SigV4 Credential). */
  accessKeyId: string;
}

export interface DenyProxy {
  url: string;
  /** Deny AssumeRole into `account` this many more times. */
  denyAssumeRole(account: string, times: number): void;
  /** Calls denied with AccessDeniedException while set. */
  deny: DenyRule[];
  /** AssumeRole requests seen per account, denied or not. */
  assumeRoleTries: Map<string, number>;
  stop(): Promise<void>;
}

function stsDenied(account: string): string {
  return '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
    `<Message>User: arn:aws:iam::123456789012:user/testing is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${account}:role/OrganizationAccountAccessRole</Message>` +
    '</Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>';
}

export async function startDenyProxy(target: string): Promise<DenyProxy> {
  const upstream = new URL(target);
  const pendingDenials = new Map<string, number>();
  const assumeRoleTries = new Map<string, number>();
  const proxy: DenyProxy = {
    url: '',
    denyAssumeRole: (account, times) => void pendingDenials.set(account, times),
    deny: [],
    assumeRoleTries,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      if (/(^|&)Action=AssumeRole(&|$)/.test(text)) {
        const account = /RoleArn=arn%3Aaws%3Aiam%3A%3A(\d{12})%3A/.exec(text)?.[1] ?? '?';
        assumeRoleTries.set(account, (assumeRoleTries.get(account) ?? 0) + 1);
        const left = pendingDenials.get(account) ?? 0;
        if (left > 0) {
          pendingDenials.set(account, left - 1);
          res.writeHead(403, { 'content-type': 'text/xml' }).end(stsDenied(account));
          return;
        }
      }
      const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      const accessKeyId = /Credential=([^/]+)\//.exec(String(req.headers['authorization'] ?? ''))?.[1] ?? '';
      if (proxy.deny.some((d) => d.operation === operation && d.accessKeyId === accessKeyId)) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' })
          .end(JSON.stringify({ __type: 'AccessDeniedException', message: `User: ${accessKeyId} is not authorized to perform: cloudtrail:${operation}` }));
        return;
      }
      const forward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      });
      forward.on('error', (err) => res.writeHead(502).end(err.message));
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
