// A real HTTP proxy in front of the simulator that records every answer it passes on, so a test can
// hold everything the simulator said in a realistic session to the official models.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  method: string;
  /** Path without the query. */
  path: string;
  query: string;
  status: number;
  /** The answer's body, parsed when it is JSON. */
  body: unknown;
}

export class RecordingProxy {
  readonly exchanges: Exchange[] = [];
  private server: Server | null = null;
  url = '';

  private readonly target: string;
  /** Changes an answer's JSON body on its way to the client (a shape the real service might send). */
  rewrite: ((method: string, path: string, body: unknown) => unknown) | null = null;

  constructor(target: string) {
    this.target = target;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(req.headers))
            if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k))
              headers.set(k, v);
          const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
          const url = new URL(req.url ?? '/', 'http://x');
          const answer = await fetch(`${this.target}${req.url ?? '/'}`, {
            method: req.method ?? 'GET',
            headers,
            redirect: 'manual',
            ...(body && req.method !== 'GET' && req.method !== 'HEAD' ? { body } : {}),
          });
          const text = await answer.text();
          let parsed: unknown = text;
          let sent = text;
          if ((answer.headers.get('content-type') ?? '').includes('json') && text) {
            parsed = JSON.parse(text);
            if (this.rewrite) {
              parsed = this.rewrite(req.method ?? 'GET', url.pathname, parsed);
              sent = JSON.stringify(parsed);
            }
          }
          this.exchanges.push({
            method: req.method ?? 'GET',
            path: url.pathname,
            query: url.search,
            status: answer.status,
            body: text === '' ? undefined : parsed,
          });
          const out: Record<string, string> = {};
          answer.headers.forEach((v, k) => {
            if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k))
              out[k] = v;
          });
          res.writeHead(answer.status, out);
          res.end(sent);
        })().catch(() => {
          res.writeHead(502);
          res.end();
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
