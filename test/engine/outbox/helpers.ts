// Outbox test wiring: a JSON file as the port, simulator clients (working, offline, lossy), chats, waits.
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestBudget } from '../../../src/main/genesys/budget.ts';
import { ChatApi } from '../../../src/main/genesys/chat-api.ts';
import { GenesysHttp } from '../../../src/main/genesys/http.ts';
import type { ChatRef } from '../../../src/main/engine/model.ts';
import { Outbox } from '../../../src/main/engine/outbox/outbox.ts';
import type { OutboxOptions, OutboxStorage } from '../../../src/main/engine/outbox/options.ts';
import type { OutboxItem } from '../../../src/main/engine/outbox/schema.ts';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { staticTokens } from '../../support/genesys.ts';

/** The outbox's list in a JSON file, written atomically, as the engine's settings document would be. */
export interface FileStorage extends OutboxStorage {
  path: string;
  /** What the file holds now (parsed). */
  read(): unknown;
  write(value: unknown): void;
}

export function fileStorage(path: string): FileStorage {
  return {
    path,
    load: () => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as unknown) : undefined),
    save: (items: OutboxItem[]) => {
      writeFileSync(`${path}.tmp`, JSON.stringify(items, null, 2));
      renameSync(`${path}.tmp`, path);
    },
    read: () => JSON.parse(readFileSync(path, 'utf8')) as unknown,
    write: (value) => writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value)),
  };
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'outbox-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ClientOptions {
  user?: string;
  apiBase?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  budget?: RequestBudget;
}

export interface Client {
  api: ChatApi;
  budget: RequestBudget;
  token: string;
}

/** A ChatApi for a demo user (default: the demo user) with a fresh token and fast internal retries. */
export function client(sim: Simulator, o: ClientOptions = {}): Client {
  const { accessToken } = sim.control.actAs(o.user ?? sim.demoUser.id);
  const budget = o.budget ?? new RequestBudget({ perMinute: 1000, userReserve: 100 });
  const http = new GenesysHttp({
    apiBase: o.apiBase ?? sim.url,
    tokens: staticTokens(accessToken),
    budget,
    backoffMs: { base: 10, cap: 50 },
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.fetch ? { fetch: o.fetch } : {}),
  });
  return { api: new ChatApi(http), budget, token: accessToken };
}

/** A port on 127.0.0.1 where nothing listens: every request is a network error (offline). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A fetch that lets the server apply the first `count` message POSTs and then loses their answers, as
 * when the connection drops after the request went out.
 */
export function losingAnswers(count: number): typeof fetch {
  let left = count;
  return async (input, init) => {
    const res = await fetch(input, init);
    if (left > 0 && init?.method === 'POST' && String(input).endsWith('/messages')) {
      left--;
      await res.body?.cancel();
      throw new TypeError('fetch failed: the connection was reset');
    }
    return res;
  };
}

/**
 * Like `losingAnswers(1)`, and while the answer is lost `meanwhile` runs (colleagues posting, say),
 * so that the reply is no longer where a naive history read would look for it.
 */
export function losingAnswerWhile(meanwhile: () => void): typeof fetch {
  let left = 1;
  return async (input, init) => {
    const res = await fetch(input, init);
    if (left > 0 && init?.method === 'POST' && String(input).endsWith('/messages')) {
      left--;
      await res.body?.cancel();
      meanwhile();
      throw new TypeError('fetch failed: the connection was reset');
    }
    return res;
  };
}

/** Fast retries so the suite stays short; everything else is the outbox's defaults. */
export function outbox(
  storage: OutboxStorage,
  api: () => ChatApi,
  extra: Partial<OutboxOptions> = {},
): Outbox {
  return new Outbox({ storage, api, backoff: { minMs: 20, maxMs: 200 }, skewMs: 5_000, ...extra });
}

export function roomRef(sim: Simulator, name: string): ChatRef {
  const chat = sim.control.chats().find((c) => c.kind === 'room' && c.name === name);
  if (!chat?.jid) throw new Error(`no room ${name}`);
  return { id: chat.jid, kind: 'room', jid: chat.jid, name };
}

/** The 1on1 of the demo user with a colleague, keyed (as ChatRef is) by the colleague's id. */
export function directRef(colleague: string): ChatRef {
  return { id: colleague, kind: 'oneOnOne', jid: '', name: 'direct' };
}

/** The demo user's colleagues who are in this room. */
export function membersOf(sim: Simulator, room: ChatRef): string[] {
  const chat = sim.control.chats().find((c) => c.jid === room.jid);
  const ids = chat?.participants.filter((p) => p !== sim.demoUser.id) ?? [];
  if (ids.length < 2) throw new Error(`too few others in ${room.name}`);
  return ids;
}

export function colleagues(sim: Simulator): string[] {
  return sim.users.filter((u) => u.id !== sim.demoUser.id).map((u) => u.id);
}

/** Messages in a chat since `since` with exactly this text, read by a separate client, oldest first. */
export async function withText(
  sim: Simulator,
  chat: ChatRef,
  text: string,
  since: number,
): Promise<string[]> {
  const { api } = client(sim);
  // readAfter: right whatever order, limit and bounds the simulator's variants give history.
  const { messages } = await api.readAfter(chat, { after: since, maxPages: 100 });
  return messages.filter((m) => m.body === text).map((m) => m.id);
}

export function unique(label: string): string {
  return `${label} ${Math.random().toString(36).slice(2, 8)}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { until } from '../../support/wait.ts';

export interface OutboxSuite {
  readonly sim: Simulator;
  /** A temp folder for the suite's outbox files (removed after it). */
  readonly dir: string;
  /** Stopped after each test. */
  track(o: Outbox): Outbox;
}

/**
 * A simulator for one test file, with the hooks every outbox suite needs: outboxes stopped and
 * faults and rate limits lifted after each test; the simulator closed and the folder removed after all.
 */
export function outboxSuite(seed: number): OutboxSuite {
  let sim: Simulator | null = null;
  let tmp: ReturnType<typeof tempDir> | null = null;
  const open: Outbox[] = [];
  beforeAll(async () => {
    sim = await startSimulator({ seed, quiet: true });
    tmp = tempDir();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.stop()));
    sim?.control.resetFaults();
    sim?.control.setRateLimit(null);
  });
  afterAll(async () => {
    await sim?.close();
    tmp?.remove();
  });
  return {
    get sim() {
      if (!sim) throw new Error('the simulator starts in beforeAll');
      return sim;
    },
    get dir() {
      if (!tmp) throw new Error('the folder is made in beforeAll');
      return tmp.dir;
    },
    track(o) {
      open.push(o);
      return o;
    },
  };
}
