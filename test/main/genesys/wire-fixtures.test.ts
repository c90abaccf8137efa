// The app's Genesys client reads every REST fixture of test/fixtures/genesys/rest/ (the official
// models, not our simulator) over a real socket into the app's own types; tolerates nulls, absent
// optional fields and unknown fields; sends request bodies in the official shapes; and turns a shape
// it does not know into a counted surprise, never into "no messages".
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exchangeCode } from '../../../src/main/auth/oauth.ts';
import { decide } from '../../../src/main/engine/rules.ts';
import type { ChatRef } from '../../../src/main/engine/model.ts';
import { defaultServerSettings } from '../../../src/main/engine/model.ts';
import { resolveEnvironment } from '../../../src/main/genesys/environment.ts';
import { fixture, loadFixtures } from '../../support/fixtures.ts';
import { FixtureServer } from '../../support/fixture-server.ts';
import { modelProblems } from '../../support/sdk-models.ts';
import { vary } from '../../support/wire-variations.ts';

const ME = {
  id: '4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  jid: '60a1b2c3d4e5f60718293a4b@northwind.orgspan.com',
};
const PRIYA = {
  id: '7b2e9c10-3d4f-4a5b-9c6d-7e8f9a0b1c2d',
  jid: '60a1b2c3d4e5f60718293a4c@northwind.orgspan.com',
};
const SAM = 'a3d5f7b9-1c2e-4f60-8a9b-0c1d2e3f4a5b';
const ROOM: ChatRef = {
  id: '60a1b2c3d4e5f60718293b01@conference.northwind.orgspan.com',
  kind: 'room',
  jid: '60a1b2c3d4e5f60718293b01@conference.northwind.orgspan.com',
  name: 'Support Team',
};
const DM: ChatRef = { id: PRIYA.id, kind: 'oneOnOne', jid: PRIYA.jid, name: 'Priya Raman' };

const value = (file: string): unknown => fixture(`rest/${file}`).value;

let server: FixtureServer;
beforeAll(async () => {
  server = await new FixtureServer().start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function decideFor(message: Parameters<typeof decide>[0] extends infer E ? E : never) {
  return decide(message, {
    me: ME,
    server: defaultServerSettings,
    app: { chatMutes: {}, keywords: [] },
    now: Date.now(),
  });
}

describe('the client reads every REST fixture', () => {
  it('users/me and a user', async () => {
    server.on('GET', /^\/api\/v2\/users\/[^/]+$/, { body: value('user.json') });
    server.on('GET', /^\/api\/v2\/users\/me$/, { body: value('users-me.json') });
    const { api, stats } = server.client();
    await expect(api.me()).resolves.toEqual({ id: ME.id, name: 'Alex Rivera', jid: ME.jid });
    await expect(api.userName(PRIYA.id)).resolves.toBe('Priya Raman');
    expect(stats.total()).toBe(0);
  });

  it('the roster: unsorted pages joined through nextUri, every chat type, ChatItem.id never a jid', async () => {
    server.on('GET', /^\/api\/v2\/users\/chats\/me$/, (req) => ({
      body: value(req.url.includes('after=') ? 'roster-last-page.json' : 'roster-first-page.json'),
    }));
    const { api, stats } = server.client();
    const roster = await api.roster();
    expect(server.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('after'))).toEqual([
      null,
      'eyJrIjoiMjAyNi0wMi0yNyJ9',
    ]);
    const byName = new Map(roster.map((e) => [e.chat.name, e]));
    expect(byName.get('Support Team')).toMatchObject({
      chat: { id: ROOM.jid, kind: 'room', jid: ROOM.jid },
      room: { id: 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6', type: 'group' },
      open: true,
    });
    const adhoc = 'adhoc-60a1b2c3d4e5f60718293b02@conference.northwind.orgspan.com';
    expect(byName.get('Release 4.2 war room')).toMatchObject({ room: { id: adhoc, type: 'adhoc' } });
    expect(byName.get('Priya Raman')).toMatchObject({ chat: DM, open: true });
    expect(byName.get('Aiko Tanaka')).toMatchObject({ open: false, chat: { kind: 'oneOnOne' } });
    expect(byName.get('Sam Okafor')!.lastMessageAt).toBeUndefined();
    // acd and supervisorAssistance rooms have no message topic: read through badges and backfill.
    for (const name of ['Billing queue', 'Supervisor assistance']) {
      expect(byName.get(name)!.chat.kind).toBe('room');
      expect(byName.get(name)!.room).toBeUndefined();
    }
    expect(roster).toHaveLength(7);
    const itemIds = [
      ...(value('roster-first-page.json') as { entities: { id: string }[] }).entities,
      ...(value('roster-last-page.json') as { entities: { id: string }[] }).entities,
    ].map((i) => i.id);
    for (const e of roster) {
      expect(itemIds).not.toContain(e.chat.id);
      expect(itemIds).not.toContain(e.chat.jid);
    }
    expect(stats.total()).toBe(0);
  });

  it('room history: sorted oldest first whatever the page order, with mentions, edits, threads, reactions', async () => {
    server.on('GET', /\/messages$/, { body: value('room-history.json') });
    const { api, stats } = server.client();
    const messages = await api.history(ROOM);
    expect(messages.map((m) => m.body)).toEqual([
      'Staging is failing the login smoke test',
      '@Alex Rivera can you look at ticket 4411? @here FYI',
      'Replying in the thread: the fix is deployed to staging',
    ]);
    const [root, mention, reply] = messages;
    expect(root).toMatchObject({ senderId: ME.id, chatId: ROOM.id, chatKind: 'room' });
    expect(root!.reactions).toEqual({ '👍': [PRIYA.id, SAM] });
    expect(mention).toMatchObject({ senderId: PRIYA.id, notifyAll: true, reactions: { '👀': [SAM] } });
    expect(mention!.mentions).toEqual(expect.arrayContaining([ME.id, ME.jid]));
    expect(mention!.editedAt).toBe(Date.parse('2026-03-02T09:11:02.713Z'));
    expect(reply).toMatchObject({ senderId: SAM, threadId: root!.id });
    expect(decideFor({ type: 'created', source: 'backfill', message: mention! })).toMatchObject({
      action: 'notify',
      kind: 'mention',
    });
    expect(stats.total()).toBe(0);
  });

  it('a message without user takes its sender from jid; a mention map keyed the other way counts', async () => {
    server.on('GET', /\/messages$/, { body: value('room-history-integration.json') });
    const { api, stats } = server.client();
    const [bot, file] = await api.history(ROOM);
    expect(bot).toMatchObject({
      senderId: '60a1b2c3d4e5f60718293c77@northwind.orgspan.com',
      body: 'Build #1289 failed on main',
    });
    expect(bot!.mentions).toContain(ME.id);
    expect(decideFor({ type: 'created', source: 'backfill', message: bot! })).toMatchObject({
      kind: 'mention',
    });
    expect(file).toMatchObject({ senderId: PRIYA.id, body: 'build-1289.log' });
    // A sender known only by jid has no user to look up: no request for its name.
    await expect(api.userName(bot!.senderId)).resolves.toBe('');
    expect(server.requests.filter((r) => r.url.startsWith('/api/v2/users/'))).toEqual([]);
    expect(stats.total()).toBe(0);
  });

  it('the sender jid of a message without user is resolved when the session knows it', async () => {
    server.on('GET', /^\/api\/v2\/users\/me$/, { body: value('users-me.json') });
    server.on('GET', /\/messages$/, { body: value('oneonone-history-array.json') });
    const { api } = server.client();
    await api.me();
    const messages = await api.history(DM);
    // The second has no user: its jid is the other side of the 1on1.
    expect(messages.map((m) => m.senderId)).toEqual([ME.id, PRIYA.id]);
  });

  it('mention markup [@Name](#/person/<id>) in a body counts as a mention of that id', async () => {
    server.on('GET', /\/messages\/[^/]+$/, { body: value('message-markup-mention.json') });
    const { api } = server.client();
    const [m] = await api.messagesById(ROOM, ['8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a']);
    expect(m!.mentions).toEqual([ME.id]);
    expect(decideFor({ type: 'created', source: 'push', message: m! })).toMatchObject({
      action: 'notify',
      kind: 'mention',
    });
  });

  for (const [file, count] of [
    ['oneonone-history-listing.json', 2],
    ['oneonone-history-array.json', 2],
    ['oneonone-history-single.json', 1],
  ] as const) {
    it(`1on1 history as ${file.replace('oneonone-history-', '').replace('.json', '')}`, async () => {
      server.on('GET', /^\/api\/v2\/chats\/users\/[^/]+\/messages$/, { body: value(file) });
      const { api, stats } = server.client();
      const messages = await api.history(DM);
      expect(messages).toHaveLength(count);
      expect(messages.at(-1)).toMatchObject({ body: 'Sure, call me', senderId: PRIYA.id, chatId: PRIYA.id });
      expect(stats.total()).toBe(0);
    });
  }

  it('a thread, messages by id, one message, pins and participants', async () => {
    server.on('GET', /^\/api\/v2\/chats\/threads\/[^/]+\/messages$/, { body: value('thread-messages.json') });
    server.on('GET', /^\/api\/v2\/chats\/rooms\/[^/]+\/messages\/[^/]+$/, {
      body: value('messages-by-id.json'),
    });
    server.on('GET', /^\/api\/v2\/chats\/messages\/[^/]+$/, { body: value('message.json') });
    server.on('GET', /^\/api\/v2\/chats\/rooms\/[^/]+$/, { body: value('room.json') });
    server.on('GET', /^\/api\/v2\/chats\/users\/[^/]+$/, { body: value('oneonone-pins.json') });
    server.on('GET', /\/participants$/, { body: value('room-participants.json') });
    const { api, stats } = server.client();
    const thread = await api.thread(ROOM, '3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b');
    expect(thread.map((m) => m.threadId)).toEqual([undefined, '3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b']);
    const [byId] = await api.messagesById(ROOM, ['3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b']);
    expect(byId!.reactions).toEqual({ '👍': [PRIYA.id, ME.id], '🎉': [ME.id] });
    await expect(api.messageLocation('4f5a6b7c-8d9e-4f0a-9b1c-2d3e4f5a6b7c')).resolves.toEqual({
      toJid: ROOM.jid,
      senderJid: PRIYA.jid,
      senderId: PRIYA.id,
    });
    await expect(api.pinnedIds(ROOM)).resolves.toEqual([
      '9f8e7d6c-5b4a-4938-8271-605f4e3d2c1b',
      '0e1d2c3b-4a59-4867-9564-7382910a1b2c',
    ]);
    await expect(api.pinnedIds(DM)).resolves.toEqual(['9e0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b']);
    await expect(api.participants(ROOM.jid)).resolves.toEqual([
      { jid: ME.jid, userId: ME.id },
      { jid: PRIYA.jid, userId: PRIYA.id },
    ]);
    expect(stats.total()).toBe(0);
  });

  it('settings, with and without the optional fields', async () => {
    server.on('GET', /settings$/, { body: value('settings.json') });
    const { api } = server.client();
    await expect(api.settings()).resolves.toEqual({
      muted: false,
      mentionsOnly: true,
      notifyOnReactions: true,
    });
    server.on('GET', /settings$/, { body: value('settings-sparse.json') });
    await expect(api.settings()).resolves.toEqual(defaultServerSettings);
  });

  it('error bodies become errors with the message and code', async () => {
    server.on('POST', /\/messages\/pins$/, { status: 400, body: value('error-body.json') });
    server.on('GET', /^\/api\/v2\/users\/chats\/me$/, {
      status: 429,
      headers: { 'Retry-After': '0' },
      body: value('error-body-rate-limit.json'),
    });
    const { api } = server.client();
    await expect(api.pin(ROOM, 'x1')).rejects.toMatchObject({
      kind: 'http',
      status: 400,
      code: 'bad.request',
      message: 'A chat can have at most 5 pinned messages.',
    });
    await expect(api.roster()).rejects.toMatchObject({ status: 429, retryable: true });
  });

  it('token answers, with and without a refresh token, and a refused exchange', async () => {
    const env = resolveEnvironment(server.url);
    const input = { clientId: 'c', code: 'k', redirectUri: 'http://127.0.0.1:8765/cb', verifier: 'v' };
    server.on('POST', /^\/oauth\/token$/, { body: value('token-response.json') });
    const plain = await exchangeCode(env, input, fetch, () => 1000);
    expect(plain).toEqual({
      accessToken: (value('token-response.json') as { access_token: string }).access_token,
      expiresAt: 1000 + 86_399_000,
    });
    server.on('POST', /^\/oauth\/token$/, { body: value('token-response-refresh.json') });
    await expect(exchangeCode(env, input)).resolves.toMatchObject({ refreshToken: expect.any(String) });
    server.on('POST', /^\/oauth\/token$/, { status: 400, body: value('token-error.json') });
    await expect(exchangeCode(env, input)).rejects.toMatchObject({
      kind: 'invalid-grant',
      message: expect.stringMatching(/redirect_uri/),
    });
  });
});

describe('the client sends request bodies in the official shapes', () => {
  const modelOf = (file: string) => fixture(`rest/${file}`).model!;

  it('send, edit, reactions, pins and a settings change', async () => {
    server.on('POST', /\/messages$/, { body: value('send-result.json') });
    server.on('PATCH', /\/messages\/[^/]+$/, { body: value('send-result.json') });
    server.on('PUT', /\/reactions$/, {});
    server.on('POST', /\/messages\/pins$/, {});
    server.on('PATCH', /\/users\/me\/settings$/, { body: value('settings.json') });
    const { api } = server.client();
    const sent = value('send-message-request.json') as {
      message: string;
      mentions: string[];
      threadId: string;
    };
    await expect(
      api.send(ROOM, { text: sent.message, mentions: sent.mentions, threadId: sent.threadId }),
    ).resolves.toBe((value('send-result.json') as { id: string }).id);
    const edited = value('edit-message-request.json') as { message: string; mentions: string[] };
    await api.edit(ROOM, 'm1', { text: edited.message, mentions: edited.mentions });
    await api.setReactions('m1', (value('reactions-put-request.json') as { reactions: string[] }).reactions);
    await api.pin(ROOM, '3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b');
    await api.updateSettings({ mentionsOnly: true }, defaultServerSettings);
    const bodies = server.requests.map((r) => r.body);
    const files = [
      'send-message-request.json',
      'edit-message-request.json',
      'reactions-put-request.json',
      'pins-post-request.json',
      'settings-patch-request.json',
    ];
    files.forEach((file, i) => {
      expect(bodies[i], file).toEqual(value(file));
      expect(
        modelProblems(modelOf(file), bodies[i], { lenientRequired: file.startsWith('settings') }),
      ).toEqual([]);
    });
  });
});

describe('tolerance', () => {
  /** What each answer is read for, and how to read it. */
  const reads: {
    file: string;
    route: [string, RegExp];
    read: (api: ReturnType<FixtureServer['client']>['api']) => Promise<unknown[]>;
  }[] = [
    { file: 'users-me.json', route: ['GET', /\/users\/me$/], read: async (api) => [await api.me()] },
    { file: 'roster-first-page.json', route: ['GET', /\/users\/chats\/me$/], read: (api) => api.roster() },
    { file: 'roster-last-page.json', route: ['GET', /\/users\/chats\/me$/], read: (api) => api.roster() },
    { file: 'room-history.json', route: ['GET', /\/messages$/], read: (api) => api.history(ROOM) },
    {
      file: 'room-history-integration.json',
      route: ['GET', /\/messages$/],
      read: (api) => api.history(ROOM),
    },
    { file: 'oneonone-history-listing.json', route: ['GET', /\/messages$/], read: (api) => api.history(DM) },
    { file: 'thread-messages.json', route: ['GET', /\/messages$/], read: (api) => api.thread(ROOM, 't') },
    {
      file: 'messages-by-id.json',
      route: ['GET', /\/messages\/[^/]+$/],
      read: (api) => api.messagesById(ROOM, ['a']),
    },
    {
      file: 'room-participants.json',
      route: ['GET', /\/participants$/],
      read: (api) => api.participants(ROOM.jid),
    },
    { file: 'room.json', route: ['GET', /\/rooms\/[^/]+$/], read: (api) => api.pinnedIds(ROOM) },
    { file: 'settings.json', route: ['GET', /\/settings$/], read: async (api) => [await api.settings()] },
  ];
  // What identifies an item; the rest may be null, absent or joined by fields the model lacks.
  const essential = new Set([
    'entities',
    'room',
    'user',
    'id',
    'jid',
    'participants',
    'pinnedMessages',
    'chat',
    'jabberId',
  ]);

  for (const mode of ['null-optionals', 'drop-optionals', 'extra-fields'] as const) {
    it(`reads every answer with ${mode}, the same items and no surprise`, async () => {
      for (const { file, route, read } of reads) {
        const f = fixture(`rest/${file}`);
        server.reset();
        server.on(route[0], route[1], { body: f.value });
        const base = server.client();
        const expected = await read(base.api);
        server.reset();
        server.on(route[0], route[1], { body: vary(f.model!, f.value, mode, essential) });
        const varied = server.client();
        const got = await read(varied.api);
        expect(got.length, `${file} ${mode}`).toBe(expected.length);
        if (mode === 'extra-fields') expect(got, file).toEqual(expected);
        expect(varied.stats.snapshot(), `${file} ${mode}`).toEqual([]);
      }
    });
  }

  it('a history in a shape it does not know is a counted surprise and an error, never "no messages"', async () => {
    const entities = (value('room-history.json') as { entities: unknown[] }).entities;
    for (const odd of [
      { messages: entities },
      { entities: 'none' },
      'three messages',
      { data: { entities } },
    ]) {
      server.reset();
      server.on('GET', /\/messages$/, { body: odd });
      const { api, stats, log } = server.client();
      await expect(api.history(ROOM), JSON.stringify(odd).slice(0, 40)).rejects.toMatchObject({
        kind: 'bad-response',
      });
      expect(stats.snapshot()).toMatchObject([{ kind: 'GET /api/v2/chats/rooms/{id}/messages', count: 1 }]);
      // Logged once with its shape, never a value.
      expect(log.join('\n')).not.toMatch(/Staging|northwind|3e4f5a6b/);
    }
  });

  it('one unreadable message in a page is counted and the others are kept', async () => {
    const page = structuredClone(value('room-history.json')) as { entities: Record<string, unknown>[] };
    delete page.entities[1]!.dateCreated;
    server.on('GET', /\/messages$/, { body: page });
    const { api, stats } = server.client();
    expect(await api.history(ROOM)).toHaveLength(2);
    expect(stats.snapshot()).toMatchObject([
      { kind: 'GET /api/v2/chats/rooms/{id}/messages: ChatMessageResponse', count: 1 },
    ]);
  });

  it('a roster item of a type it does not know is counted, and still read as a chat', async () => {
    const page = structuredClone(value('roster-last-page.json')) as { entities: Record<string, unknown>[] };
    page.entities[2] = {
      ...page.entities[2],
      chatType: 'broadcast',
      room: { ...(page.entities[2]!.room as object), roomType: 'broadcast' },
    };
    server.on('GET', /\/users\/chats\/me$/, { body: page });
    const { api, stats } = server.client();
    const roster = await api.roster();
    expect(roster.find((e) => e.chat.name === 'Billing queue')).toMatchObject({ chat: { kind: 'room' } });
    expect(
      stats
        .snapshot()
        .map((s) => s.kind)
        .sort(),
    ).toEqual(['GET /api/v2/users/chats/me: ChatItem.chatType', 'GET /api/v2/users/chats/me: Room.roomType']);
  });

  it('every fixture of the folder is read by one of these tests', () => {
    const covered = new Set([
      ...reads.map((r) => r.file),
      'user.json',
      'message-markup-mention.json',
      'oneonone-history-array.json',
      'oneonone-history-single.json',
      'message.json',
      'oneonone-pins.json',
      'settings-sparse.json',
      'send-result.json',
      'error-body.json',
      'error-body-rate-limit.json',
      'token-response.json',
      'token-response-refresh.json',
      'token-error.json',
      'send-message-request.json',
      'edit-message-request.json',
      'reactions-put-request.json',
      'pins-post-request.json',
      'settings-patch-request.json',
    ]);
    expect(
      loadFixtures('rest')
        .map((f) => f.file.replace('rest/', ''))
        .filter((f) => !covered.has(f)),
    ).toEqual([]);
  });
});
