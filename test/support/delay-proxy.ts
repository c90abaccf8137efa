// A real HTTP proxy in front of the simulator that holds back the requests a test picks (e.g. one
// slow endpoint), to put a race on the wire rather than in a mock. Plain HTTP only: the simulator's
// notification sockets are reached directly (its connectUri names its own port).
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DelayProxy {
  url: string;
  /** How long to hold requests that `match` accepts (0: none). */
  delay(match: (method: string, path: string) => boolean, ms: number): void;
  close(): Promise<void>;
}

export async function startDelayProxy(target: string): Promise<DelayProxy> {
  const to = new URL(target);
  let rule: { match: (method: string, path: string) => boolean; ms: number } | null = null;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const path = req.url ?? '/';
    const hold = rule && rule.ms > 0 && rule.match(req.method ?? 'GET', path) ? rule.ms : 0;
    setTimeout(() => {
      const upstream = request(
        {
          host: to.hostname,
          port: to.port,
          method: req.method,
          path,
          headers: { ...req.headers, host: to.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    }, hold);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    delay(match, ms) {
      rule = { match, ms };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
