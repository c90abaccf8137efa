// IPC fuzz against the real composition (startApp with the fake shell, the simulator as the demo
// org, the real store): seeded malformed requests on EVERY invoke channel of the contract must be
// refused as `bad-request` without reaching a handler; well-formed but hostile ones (ids with path
// traversal, links with other schemes, prototype keys) must be refused or be no-ops; a sender other
// than the popup is refused on every channel even with a valid request. Afterwards nothing was
// applied (no message, pin, reaction or setting reached the simulator, prefs and mode unchanged,
// no link opened, no prototype polluted) and the main process still serves.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, type InvokeChannel } from '../../../src/shared/ipc/channels.ts';
import { invokeChannels } from '../../../src/shared/ipc/contract.ts';
import { startApp, type RunningApp } from '../../../src/main/app.ts';
import { createMemorySecretStore } from '../../../src/main/auth/secret-store.ts';
import { openStore, type AppStore } from '../../../src/main/store/store.ts';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { FakeShell } from '../../support/fake-shell.ts';
import { until } from '../../support/wait.ts';

const SEED = 0x6c7f_2026;
const RANDOM_CASES_PER_CHANNEL = 16;

/** mulberry32: small, seeded, good enough to pick mutations reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type IpcResult = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
type Request = Record<string, unknown> | undefined;

let shell: FakeShell;
let app: RunningApp;
let store: AppStore;
let sim: Simulator | null = null;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

/** A room of the demo user, a message in it, and a message of someone else's room. */
let room: { jid: string; messageId: string };
let foreign: { jid: string; messageId: string };

const invoke = (channel: string, request: unknown, sender?: { senderId?: number; senderUrl?: string }) =>
  shell.invoke(channel, request, sender) as Promise<IpcResult>;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  shell = new FakeShell();
  store = openStore({
    cwd: mkdtempSync(join(tmpdir(), 'gct-fuzz-')),
    logger: { info() {}, warn() {}, error() {} },
  });
  app = await startApp({
    shell,
    store,
    preloadPath: '/app/out/preload/index.cjs',
    keyring: () => createMemorySecretStore(),
    startDemoOrg: async () => {
      const s = await startSimulator({ port: 0, seed: 31, quiet: true });
      sim = s;
      return { url: s.url, demoUserEmail: s.demoUser.email, close: () => s.close() };
    },
  });
  await app.ready;
  await until(() => {
    const s = app.controller.state();
    return s.connection === 'push' && s.lastSyncAt !== null;
  }, 'the demo org to sync');
  const s = sim!;
  const mine = s.control.chats(s.demoUser.id).find((c) => c.kind === 'room' && c.messageCount > 0)!;
  const theirs = s.control.chats().find((c) => c.kind === 'room' && !c.participants.includes(s.demoUser.id))!;
  const firstMessage = async (jid: string): Promise<string> => {
    const token = s.control.actAs(s.users.find((u) => u.id !== s.demoUser.id)!.id).accessToken;
    const res = await fetch(`${s.url}/api/v2/chats/rooms/${encodeURIComponent(jid)}/messages?limit=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return ((await res.json()) as { entities: { id: string }[] }).entities[0]!.id;
  };
  room = { jid: mine.jid!, messageId: await firstMessage(mine.jid!) };
  foreign = { jid: theirs.jid!, messageId: '' };
  const outsider = s.users.find((u) => theirs.participants.includes(u.id))!;
  foreign.messageId = s.control.post({ as: outsider.id, room: theirs.jid!, body: 'not for Alex' }).id;
}, 30_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await app?.stop();
  store?.close();
});

/** A valid request for every channel (the fuzz mutates these; they are never sent as they are). */
function validRequest(channel: InvokeChannel): Request {
  const chatId = room.jid;
  const messageId = room.messageId;
  const bases: { [C in InvokeChannel]: Request } = {
    'app:get-info': undefined,
    'app:copy-diagnostics': undefined,
    'state:get': undefined,
    'auth:regions': undefined,
    'auth:sign-in': { environment: 'mypurecloud.ie', clientId: 'abc', loopbackPort: 8765 },
    'auth:cancel-sign-in': undefined,
    'auth:sign-out': undefined,
    'auth:use-demo': undefined,
    'proxy:sign-in': { proxy: 'proxy.example.com:8080', username: 'alex', password: 'secret' },
    'chats:list': undefined,
    'chat:history': { chatId, before: Date.now(), limit: 10 },
    'chat:thread': { chatId, threadId: messageId },
    'chat:participants': { chatId },
    'chat:pins': { chatId },
    'action:reply': { chatId, text: 'hello' },
    'action:react': { chatId, messageId, emoji: '👍', on: true },
    'action:pin': { chatId, messageId },
    'action:unpin': { chatId, messageId },
    'action:edit': { chatId, messageId, text: 'edited' },
    'action:delete': { chatId, messageId },
    'action:retry': { id: 'x' },
    'action:discard': { id: 'x' },
    'inbox:mark-read': { chatId },
    'inbox:mark-all-read': undefined,
    'settings:update': { mentionsOnly: true },
    'prefs:get': undefined,
    'prefs:update': { theme: 'dark' },
    'link:open': { url: 'https://example.com/' },
    'popup:hide': undefined,
    'interactions:list': undefined,
    'interaction:transcript': { conversationId: 'c-1' },
    'interaction:accept': { conversationId: 'c-1' },
    'interaction:decline': { conversationId: 'c-1' },
    'interaction:reply': { conversationId: 'c-1', text: 'hello' },
    'interaction:typing': { conversationId: 'c-1' },
    'interaction:end': { conversationId: 'c-1' },
    'interaction:wrapup-codes': { conversationId: 'c-1' },
    'interaction:wrapup': { conversationId: 'c-1', code: 'code-1', notes: 'resolved' },
  };
  return bases[channel];
}

// ---------------------------------------------------------------------------------------------
// The generator: every value it makes is invalid for the channel's request schema by construction.

function deep(levels: number, leaf: unknown = 'x'): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
  return v;
}
const HUGE = 'A'.repeat(1_000_000);
/** Own `__proto__`, `constructor` and `prototype` keys, as JSON.parse (and IPC's clone) make them. */
const POLLUTERS = [
  JSON.parse('{"__proto__": {"polluted": "yes"}}') as Record<string, unknown>,
  { constructor: { prototype: { polluted: 'yes' } } },
  { prototype: { polluted: 'yes' } },
];

/** Whole requests that are not a request object at all. */
const NOT_OBJECTS: [string, unknown][] = [
  ['null', null],
  ['zero', 0],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['empty string', ''],
  ['string', '{"chatId":"x"}'],
  ['true', true],
  ['bigint', 10n],
  ['empty array', []],
  ['array of strings', ['x', 'y']],
  ['Date', new Date(0)],
  ['Map', new Map([['chatId', 'x']])],
  ['Set', new Set(['x'])],
  ['RegExp', /x/],
  ['Uint8Array', new Uint8Array(8)],
  ['deep nesting', deep(5000)],
  ['huge string', HUGE],
];

/** Values of the wrong type (or out of range) for a field whose valid value is `valid`. */
function wrongFor(valid: unknown): [string, unknown][] {
  const common: [string, unknown][] = [
    ['null', null],
    ['array', []],
    ['array of the value', [valid]],
    ['object', {}],
    ['deep nesting', deep(2000)],
    ['Date', new Date(0)],
    ['bigint', 1n],
    ...POLLUTERS.map((p, i): [string, unknown] => [`polluter ${i}`, p]),
  ];
  if (typeof valid === 'string') {
    return [
      ...common,
      ['number', 42],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['boolean', true],
      ['empty string', ''],
      ['huge string', HUGE],
      ['object with toString', { toString: () => 'x' }],
    ];
  }
  if (typeof valid === 'number') {
    return [
      ...common,
      ['numeric string', String(valid)],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
      ['fraction', valid + 0.5],
      ['negative', -1],
      ['too large', 1e9],
      ['boolean', true],
    ];
  }
  return [...common, ['string', 'true'], ['number', 1], ['zero', 0], ['NaN', NaN]];
}

interface Case {
  channel: InvokeChannel;
  what: string;
  request: unknown;
}

function generate(random: () => number): Case[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const cases: Case[] = [];
  for (const channel of INVOKE_CHANNELS) {
    const base = validRequest(channel);
    // Some mutations are valid for some fields (a missing optional field, a negative `before`):
    // the contract's own schema weeds those out, so every case sent is one the contract refuses.
    const add = (what: string, request: unknown): void => {
      if (!invokeChannels[channel].request.safeParse(request).success) cases.push({ channel, what, request });
    };
    if (base === undefined) {
      // A channel that takes nothing takes nothing: any value is refused.
      for (const [what, v] of NOT_OBJECTS) add(what, v);
      add('an object', { chatId: room.jid });
      for (const [i, p] of POLLUTERS.entries()) add(`polluter ${i}`, p);
      continue;
    }
    // Deterministic: each field missing, each prototype key added, the request not an object.
    for (const key of Object.keys(base)) {
      const { [key]: _dropped, ...rest } = base;
      add(`without ${key}`, rest);
    }
    for (const [i, p] of POLLUTERS.entries()) add(`plus polluter ${i}`, { ...base, ...p });
    add('plus an unknown field', { ...base, isAdmin: true });
    add('the request in an array', [base]);
    add('its values in an array', Object.values(base));
    add('undefined', undefined);
    // Seeded: a random field gets a random wrong value, sometimes with more wrong fields or extras.
    for (let i = 0; i < RANDOM_CASES_PER_CHANNEL; i++) {
      const request: Record<string, unknown> = { ...base };
      const keys = Object.keys(base);
      const labels: string[] = [];
      const mutations = 1 + Math.floor(random() * 2);
      for (let m = 0; m < mutations; m++) {
        const key = pick(keys);
        const [label, value] = pick(wrongFor(base[key]));
        request[key] = value;
        labels.push(`${key}: ${label}`);
      }
      if (random() < 0.3) {
        const extra = pick([
          'then',
          'toJSON',
          'valueOf',
          'token',
          'accessToken',
          '',
          '\u0000',
          '__defineGetter__',
        ]);
        request[extra] = pick(wrongFor('x'))[1];
        labels.push(`extra ${JSON.stringify(extra)}`);
      }
      if (random() < 0.15) {
        add(`${labels.join(', ')} (whole request replaced)`, pick(NOT_OBJECTS)[1]);
      } else {
        add(labels.join(', '), request);
      }
    }
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// What must not have changed.

interface World {
  prefs: string;
  info: string;
  outbox: number;
  inbox: string;
  settings: string;
  messages: number;
  pins: string;
  reactions: string;
  popupVisible: boolean;
}

function world(): World {
  const s = sim!;
  const chats = s.control.chats();
  const history = s.control.message(room.messageId);
  return {
    prefs: JSON.stringify(store.get('prefs')),
    info: JSON.stringify(app.info()),
    outbox: app.controller.state().outbox.length,
    inbox: JSON.stringify(app.controller.state().inbox),
    settings: JSON.stringify(app.controller.state().settings.value),
    messages: chats.reduce((n, c) => n + c.messageCount, 0),
    pins: JSON.stringify(chats.map((c) => c.pinnedMessageIds)),
    reactions: JSON.stringify(history?.reactions ?? []),
    popupVisible: app.popup.isVisible(),
  };
}

/** Requests that would change something in the org (the app's reads are GETs). */
function writesToOrg(): string[] {
  return sim!.control
    .requests()
    .entries.filter((e) => e.method !== 'GET' && e.path.startsWith('/api/v2/chats'))
    .map((e) => `${e.method} ${e.path}`);
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const protoKeys = (): string[] => PROTOTYPES.map((p) => Object.getOwnPropertyNames(p).sort().join(','));

describe('IPC fuzz on every invoke channel', () => {
  it('refuses several hundred seeded malformed requests as bad-request, applies none, and keeps serving', async () => {
    const cases = generate(prng(SEED));
    expect(cases.length).toBeGreaterThan(500);
    expect(new Set(cases.map((c) => c.channel))).toEqual(new Set(INVOKE_CHANNELS));

    app.popup.show();
    const before = world();
    const prototypes = protoKeys();
    sim!.control.clearRequests();
    const started = Date.now();

    const notRefused: string[] = [];
    for (const c of cases) {
      // A refusal is immediate; a request that got through may start something long (a sign-in).
      const result = await Promise.race([
        invoke(c.channel, c.request),
        new Promise<IpcResult>((r) =>
          setTimeout(() => r({ ok: false, error: { code: 'no answer within 1 s', message: '' } }), 1000),
        ),
      ]);
      const refused =
        !result.ok &&
        result.error.code === 'bad-request' &&
        result.error.message.includes(c.channel) &&
        // The error never reflects the hostile payload back.
        result.error.message.length < 400;
      if (!refused) notRefused.push(`${c.channel} ← ${c.what} → ${JSON.stringify(result)?.slice(0, 100)}`);
    }

    // Give anything that was wrongly queued a moment to reach the org; report every kind of harm.
    await new Promise((r) => setTimeout(r, 300));
    expect.soft(world(), 'state after the fuzz').toEqual(before);
    expect.soft(writesToOrg(), 'writes that reached the org').toEqual([]);
    expect.soft(shell.opened, 'links opened').toEqual([]);
    expect.soft(shell.copied, 'text put on the clipboard').toEqual([]);
    expect.soft(protoKeys(), 'prototypes').toEqual(prototypes);
    expect.soft(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(
      notRefused,
      `${notRefused.length} of ${cases.length} malformed requests not refused (seed ${SEED})`,
    ).toEqual([]);
    expect(Date.now() - started).toBeLessThan(15_000);

    // Still serving: a read and an action work, and the action lands.
    expect(await invoke('state:get', undefined)).toMatchObject({ ok: true, value: { connection: 'push' } });
    const sent = await invoke('action:reply', { chatId: room.jid, text: 'still here after the fuzz' });
    expect(sent).toMatchObject({ ok: true, value: { state: expect.any(String) } });
    await until(
      () =>
        app.controller
          .state()
          .outbox.some((o) => o.text === 'still here after the fuzz' && o.state === 'sent'),
      'the reply after the fuzz',
    );
    expect(unhandled).toEqual([]);
  }, 30_000);

  it('refuses well-formed but hostile requests: foreign or traversing ids, other schemes, prototype keys', async () => {
    const before = world();
    const prototypes = protoKeys();
    sim!.control.clearRequests();
    const notMine = [
      '../../../../etc/passwd',
      '..\\..\\..\\windows\\win.ini',
      '%2e%2e%2f%2e%2e%2fapi%2fv2%2fusers',
      '/api/v2/users/me',
      'file:///etc/passwd',
      `${room.jid}/../${foreign.jid}`,
      `${room.jid}?x=1#y`,
      '__proto__',
      'constructor',
      foreign.jid,
    ];
    const chatChannels = [
      ['chat:history', (chatId: string) => ({ chatId })],
      ['chat:thread', (chatId: string) => ({ chatId, threadId: room.messageId })],
      ['chat:participants', (chatId: string) => ({ chatId })],
      ['chat:pins', (chatId: string) => ({ chatId })],
      ['action:reply', (chatId: string) => ({ chatId, text: 'hi' })],
      ['action:react', (chatId: string) => ({ chatId, messageId: foreign.messageId, emoji: '👍', on: true })],
      ['action:pin', (chatId: string) => ({ chatId, messageId: foreign.messageId })],
      ['action:unpin', (chatId: string) => ({ chatId, messageId: foreign.messageId })],
      ['action:edit', (chatId: string) => ({ chatId, messageId: foreign.messageId, text: 'x' })],
      ['action:delete', (chatId: string) => ({ chatId, messageId: foreign.messageId })],
    ] as const;
    for (const chatId of notMine) {
      for (const [channel, request] of chatChannels) {
        expect(await invoke(channel, request(chatId)), `${channel} ${chatId}`).toEqual({
          ok: false,
          error: { code: 'failed', message: 'That chat is not one of yours.' },
        });
      }
      // Marking an unknown chat read is a no-op; retry/discard of an unknown action is refused.
      expect(await invoke('inbox:mark-read', { chatId }), chatId).toEqual({ ok: true, value: null });
      for (const channel of ['action:retry', 'action:discard']) {
        expect(await invoke(channel, { id: chatId.slice(0, 100) }), `${channel} ${chatId}`).toEqual({
          ok: true,
          value: false,
        });
      }
    }

    // `.` and `..` are never ids: a URL would resolve them into another API path (with the user's
    // token), e.g. DELETE .../rooms/<jid>/messages/.. → DELETE .../rooms/<jid>/.
    for (const dots of ['.', '..']) {
      for (const [channel, request] of chatChannels) {
        expect(await invoke(channel, request(dots)), `${channel} chatId ${dots}`).toMatchObject({
          ok: false,
          error: { code: 'bad-request' },
        });
      }
      for (const channel of ['action:pin', 'action:unpin', 'action:delete', 'action:react'] as const) {
        const request = {
          chatId: room.jid,
          messageId: dots,
          ...(channel === 'action:react' ? { emoji: '👍', on: true } : {}),
        };
        expect(await invoke(channel, request), `${channel} messageId ${dots}`).toMatchObject({
          ok: false,
          error: { code: 'bad-request' },
        });
      }
      expect(await invoke('action:edit', { chatId: room.jid, messageId: dots, text: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
      expect(await invoke('chat:thread', { chatId: room.jid, threadId: dots })).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
    }

    for (const url of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      ' https://ok.example/',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'https://user:pw@ok.example/',
      'https://ok.example/\u0000',
      'https://ok.example/\n.evil',
      'ms-settings:',
      '//evil.example/',
      '../../etc/passwd',
    ]) {
      expect(await invoke('link:open', { url }), url).toMatchObject({ ok: false, error: { code: 'failed' } });
    }

    for (const environment of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'http://evil.example/',
      'https://user:pw@evil.example/',
      'https://evil.example/?x=1',
      'not a url',
    ]) {
      expect(
        await invoke('auth:sign-in', { environment, clientId: 'abc', loopbackPort: 8765 }),
        environment,
      ).toMatchObject({ ok: false, error: { code: 'failed' } });
    }

    // A chat mute keyed by a prototype name is stored as data, never as a prototype.
    const mutes = JSON.parse('{"__proto__": {"until": 1}, "constructor": {}}') as Record<string, unknown>;
    const muted = await invoke('prefs:update', { chatMutes: mutes });
    if (muted.ok) expect(Object.getPrototypeOf(store.get('prefs').chatMutes)).toBe(Object.prototype);
    else expect(muted.error.code).toBe('bad-request');
    await invoke('prefs:update', { chatMutes: {} });

    await new Promise((r) => setTimeout(r, 300));
    expect(world()).toEqual(before);
    expect(writesToOrg()).toEqual([]);
    expect(shell.opened).toEqual([]);
    expect(protoKeys()).toEqual(prototypes);
    expect(unhandled).toEqual([]);
  }, 30_000);

  it('refuses every channel, even with a valid request, from another window or another document', async () => {
    const before = world();
    sim!.control.clearRequests();
    const popupId = (app.popup.webContentsId as number | null) ?? -1;
    for (const channel of INVOKE_CHANNELS) {
      for (const sender of [
        { senderId: popupId + 1000 },
        { senderUrl: 'https://evil.example/index.html' },
        { senderUrl: 'gct://popup/other.html' },
        // The popup's document as builds loaded it before the app's scheme: no longer the app's.
        { senderUrl: 'file:///app/out/renderer/index.html' },
        { senderUrl: 'not a url' },
      ]) {
        expect(
          await invoke(channel, validRequest(channel), sender),
          `${channel} ${JSON.stringify(sender)}`,
        ).toEqual({
          ok: false,
          error: { code: 'forbidden', message: expect.any(String) },
        });
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(world()).toEqual(before);
    expect(writesToOrg()).toEqual([]);
    expect(shell.opened).toEqual([]);
    expect(shell.logs.filter((l) => l.includes('untrusted sender')).length).toBeGreaterThanOrEqual(
      INVOKE_CHANNELS.length * 5,
    );
    expect(unhandled).toEqual([]);
  });
});
