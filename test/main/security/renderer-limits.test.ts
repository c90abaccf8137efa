// What an untrusted popup can make the main process keep, and what it cannot change: against the
// real composition (startApp with the fake shell, the simulator as the demo org, the real store on
// disk). Also: names with bidi controls reach neither the popup nor a notification with them.
import { mkdtempSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREF_LIMITS } from '../../../src/shared/ipc/limits.ts';
import { startApp, type RunningApp } from '../../../src/main/app.ts';
import { createMemorySecretStore } from '../../../src/main/auth/secret-store.ts';
import { MAX_WAITING } from '../../../src/main/engine/outbox/options.ts';
import { openStore, type AppStore } from '../../../src/main/store/store.ts';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { FakeShell } from '../../support/fake-shell.ts';
import { until } from '../../support/wait.ts';

type IpcResult = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

let shell: FakeShell;
let app: RunningApp;
let store: AppStore;
let sim: Simulator | null = null;

const invoke = (channel: string, request?: unknown) => shell.invoke(channel, request) as Promise<IpcResult>;
const fileSize = (): number => statSync(store.path).size;
/** A POST on a connection of its own (fetch's pool may hand out one the server is closing). */
function postJson(url: string, token: string, body: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve(JSON.parse(text)));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

beforeAll(async () => {
  shell = new FakeShell();
  store = openStore({
    cwd: mkdtempSync(join(tmpdir(), 'gct-limits-')),
    logger: { info() {}, warn() {}, error() {} },
  });
  app = await startApp({
    shell,
    store,
    preloadPath: '/app/out/preload/index.cjs',
    keyring: () => createMemorySecretStore(),
    startDemoOrg: async () => {
      const s = await startSimulator({ port: 0, seed: 33, quiet: true });
      sim = s;
      return { url: s.url, demoUserEmail: s.demoUser.email, close: () => s.close() };
    },
  });
  await app.ready;
  await until(() => {
    const s = app.controller.state();
    return s.connection === 'push' && s.lastSyncAt !== null;
  }, 'the demo org to sync');
}, 30_000);

afterAll(async () => {
  await app?.stop();
  store?.close();
});

describe('preferences from the popup', () => {
  it('cannot change the environment, the client id or the loopback port', async () => {
    const before = store.get('prefs');
    for (const change of [
      { environment: 'http://evil.example' },
      { environment: 'mypurecloud.ie' },
      { clientId: 'someone-elses-client' },
      { loopbackPort: 9999 },
      { theme: 'dark', environment: 'https://evil.example' },
    ]) {
      const result = await invoke('prefs:update', change);
      expect(result, JSON.stringify(change)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(store.get('prefs')).toEqual(before);
    expect(await invoke('prefs:update', { theme: 'dark' })).toMatchObject({ ok: true });
    expect(store.get('prefs')).toEqual({ ...before, theme: 'dark' });
  });

  it('keeps at most PREF_LIMITS of chat mutes and keywords: 300 000 mutes never reach the disk', async () => {
    const sizeBefore = fileSize();
    const mutes = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`chat-${i}`, {}]));
    const refused = [
      { chatMutes: mutes(300_000) },
      { chatMutes: mutes(PREF_LIMITS.chatMutes + 1) },
      { keywords: Array.from({ length: PREF_LIMITS.keywords + 1 }, (_, i) => `k${i}`) },
      { keywords: ['x'.repeat(PREF_LIMITS.keyword + 1)] },
      { quietHours: { start: '22:00', end: '07:00', days: [0, 1, 2, 3, 4, 5, 6, 0] } },
      { shortcut: 'x'.repeat(PREF_LIMITS.shortcut + 1) },
    ];
    for (const change of refused) {
      const result = await invoke('prefs:update', change);
      expect(result, Object.keys(change)[0]).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(fileSize()).toBeLessThan(sizeBefore + 1024);
    expect(await invoke('prefs:update', { chatMutes: mutes(PREF_LIMITS.chatMutes) })).toMatchObject({
      ok: true,
    });
    expect(Object.keys(store.get('prefs').chatMutes)).toHaveLength(PREF_LIMITS.chatMutes);
    expect(fileSize()).toBeLessThan(sizeBefore + 64 * 1024);
    expect(await invoke('prefs:update', { chatMutes: {} })).toMatchObject({ ok: true });
  });
});

describe('actions from the popup', () => {
  it(`queues at most ${MAX_WAITING} waiting actions, and says so`, async () => {
    const s = sim!;
    const chat = app.controller.engine!.chats().find((c) => c.chat.kind === 'room')!.chat;
    s.control.failNext(1_000_000, 503); // nothing goes out: everything waits
    try {
      for (let i = 0; i < MAX_WAITING; i++) {
        const r = await invoke('action:reply', { chatId: chat.id, text: `queued ${i}` });
        expect(r.ok, `reply ${i}`).toBe(true);
      }
      const over = await invoke('action:reply', { chatId: chat.id, text: 'one too many' });
      expect(over).toMatchObject({ ok: false, error: { code: 'failed' } });
      expect(over.ok ? '' : over.error.message).toContain(`${MAX_WAITING} actions are already waiting`);
      expect(store.get('engine').outbox).toHaveLength(MAX_WAITING);
    } finally {
      s.control.resetFaults();
      for (const item of app.controller.state().outbox) await invoke('action:discard', { id: item.id });
    }
  }, 60_000);
});

describe('names with bidi controls', () => {
  it('reach neither the popup nor a notification with them', async () => {
    const s = sim!;
    const me = s.demoUser;
    const colleague = s.users.find((u) => u.id !== me.id)!;
    const { accessToken } = s.control.actAs(colleague.id);
    const { jid } = (await postJson(`${s.url}/api/v2/chats/rooms`, accessToken, {
      subject: 'Payroll \u202Etxt.exe\u202C \u2066team\u2069',
      userIds: [me.id],
    })) as { jid: string };
    const shown = shell.notifications.length;
    s.control.post({ as: colleague.id, room: jid, body: `@${me.name} \u202Ehi`, mentions: [me.id] });
    const ours = () => shell.notifications.slice(shown).find((n) => n.n.title.includes('Payroll'));
    await until(() => ours() !== undefined, 'the mention to be notified');
    const note = ours()!;
    const clean = 'Payroll txt.exe team';
    expect(note.n.title).toBe(`${colleague.name} in ${clean}`);
    expect(note.n.body).not.toMatch(BIDI);

    type State = {
      account: { name: string } | null;
      inbox: { chatName: string; items: { chatName: string; senderName: string }[] }[];
    };
    const state = ((await invoke('state:get')) as { ok: true; value: State }).value;
    const list = ((await invoke('chats:list')) as { ok: true; value: { name: string }[] }).value;
    expect(state.inbox.map((c) => c.chatName)).toContain(clean);
    expect(list.map((c) => c.name)).toContain(clean);
    const names = [
      state.account?.name ?? '',
      ...state.inbox.flatMap((c) => [c.chatName, ...c.items.flatMap((i) => [i.chatName, i.senderName])]),
      ...list.map((c) => c.name),
    ];
    expect(names.filter((n) => BIDI.test(n))).toEqual([]);
  });
});
