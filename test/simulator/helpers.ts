// Shared test helpers: the official SDK pointed at a simulator, raw HTTP calls and WebSocket listeners.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as PlatformClient from 'purecloud-platform-client-v2';
import WebSocket from 'ws';
import type { Simulator, SimulatorOptions } from '../../src/simulator/index.ts';
import { CONTROL_TOKEN_HEADER, startSimulator } from '../../src/simulator/index.ts';

export type Sdk = typeof PlatformClient;

/**
 * Loads the official SDK without letting it touch the home folder. Importing it creates the
 * `ApiClient` singleton, whose Configuration immediately reads `~/.genesyscloudjavascript/config`
 * and `fs.watchFile`s it. So HOME points at an empty temporary folder during the import, and then
 * `setConfigPath('')` drops the path and its watcher and live reload is switched off. Vitest runs
 * each test file in its own module graph, so each file gets a fresh singleton.
 */
export async function loadSdk(sim: Simulator): Promise<Sdk> {
  const saved = { HOME: process.env.HOME, USERPROFILE: process.env.USERPROFILE };
  const empty = mkdtempSync(join(tmpdir(), 'gc-sdk-home-'));
  process.env.HOME = empty;
  process.env.USERPROFILE = empty;
  let sdk: Sdk;
  try {
    const mod = (await import('purecloud-platform-client-v2')) as Sdk & { default?: Sdk };
    sdk = mod.default ?? mod;
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const client = sdk.ApiClient;
  client.config.setConfigPath('');
  client.config.live_reload_config = false;
  // One origin serves both login and API paths: setGateway builds `http://127.0.0.1:<port>` + path.
  client.setGateway({
    protocol: 'http',
    host: '127.0.0.1',
    port: sim.port,
    path_params_login: '',
    path_params_api: '',
  });
  return sdk;
}

export async function startTestSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ seed: 42, ...options });
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * A raw HTTP call; `body` objects are sent as JSON, strings as-is. Calls to the control interface
 * (/_sim) carry the run's control token unless `controlToken` says otherwise (null: none).
 */
export async function call(
  sim: Simulator,
  method: string,
  path: string,
  options: {
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
    controlToken?: string | null;
  } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  const control = options.controlToken === undefined ? sim.controlToken : options.controlToken;
  if (path.startsWith('/_sim') && control !== null) headers[CONTROL_TOKEN_HEADER] = control;
  Object.assign(headers, options.headers);
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (method === 'GET' || method === 'HEAD') body = undefined;
  else if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(sim.url + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A WebSocket that queues every text message for `next()`. */
export class SocketProbe {
  readonly ws: WebSocket;
  readonly received: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: (() => void)[] = [];

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data) => {
      try {
        this.received.push(JSON.parse(String(data)));
      } catch {
        this.received.push(String(data));
      }
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code, reason) => {
        for (const wake of this.#waiters.splice(0)) wake();
        resolve({ code, reason: String(reason) });
      });
    });
  }

  /** The first message (not yet consumed) that matches, waiting up to `timeoutMs`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async next(match: (message: any) => boolean = () => true, timeoutMs = 3000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex(match);
      if (index >= 0) return this.received.splice(index, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** True when nothing matching arrives within `ms`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async silent(match: (message: any) => boolean, ms = 200): Promise<boolean> {
    try {
      await this.next(match, ms);
      return false;
    } catch {
      return true;
    }
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Message topics of a room event (not heartbeats). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const isTopic = (topic: string) => (m: any) => m && m.topicName === topic;

/** The SDK rejects with the response body; this returns it (or fails when the call succeeds). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}
