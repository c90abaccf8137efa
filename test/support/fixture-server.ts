// A real HTTP server on 127.0.0.1 that answers exactly what a test tells it to (for example a wire
// fixture's value), and records every request with its body: the app's Genesys client is then
// tested over a real socket against answers in the official shapes, not against our simulator.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestBudget } from '../../src/main/genesys/budget.ts';
import { ChatApi } from '../../src/main/genesys/chat-api.ts';
import { GenesysHttp } from '../../src/main/genesys/http.ts';
import { WireStats } from '../../src/main/genesys/wire-stats.ts';
import { staticTokens } from './genesys.ts';

export interface Answer {
  status?: number;
  /** JSON body (undefined: no body). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Recorded {
  method: string;
  /** Path and query, as received. */
  url: string;
  body: unknown;
}

type Route = { method: string; path: RegExp; answer: (req: Recorded) => Answer };

export class FixtureServer {
  readonly requests: Recorded[] = [];
  private routes: Route[] = [];
  private server: Server | null = null;
  url = '';

  /** Answers `method` requests whose path (without query) matches `path`; later routes win. */
  on(method: string, path: RegExp, answer: Answer | ((req: Recorded) => Answer)): this {
    this.routes.unshift({ method, path, answer: typeof answer === 'function' ? answer : () => answer });
    return this;
  }

  reset(): void {
    this.routes = [];
    this.requests.length = 0;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void readBody(req).then((text) => {
        const recorded: Recorded = {
          method: req.method ?? '',
          url: req.url ?? '',
          body: parseBody(text),
        };
        this.requests.push(recorded);
        const path = new URL(recorded.url, 'http://x').pathname;
        const route = this.routes.find((r) => r.method === recorded.method && r.path.test(path));
        const answer = route ? route.answer(recorded) : { status: 404, body: { message: 'no fixture' } };
        const json = answer.body === undefined ? '' : JSON.stringify(answer.body);
        res.writeHead(answer.status ?? 200, {
          ...(json ? { 'Content-Type': 'application/json' } : {}),
          ...answer.headers,
        });
        res.end(json);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A ChatApi against this server, with its own WireStats. */
  client(): { api: ChatApi; http: GenesysHttp; stats: WireStats; log: string[] } {
    const log: string[] = [];
    const stats = new WireStats({ log: (m) => log.push(m) });
    const http = new GenesysHttp({
      apiBase: this.url,
      tokens: staticTokens('fixture-token'),
      budget: new RequestBudget({ perMinute: 10_000, userReserve: 100 }),
      backoffMs: { base: 1, cap: 5 },
      wireStats: stats,
      log: (m) => log.push(m),
    });
    return { api: new ChatApi(http), http, stats, log };
  }
}

/** JSON bodies parsed; others (a form) kept as text. */
function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
