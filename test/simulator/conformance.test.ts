// The simulator speaks the official REST shapes: everything it answers in a realistic session (the
// real engine signing in, catching up, watching, acting for the user and reading for the popup, while
// colleagues chat) is held to the SDK model of its endpoint: no field the model lacks, the model's
// types, its required fields, and the documented enum values. A recording proxy between the engine and
// the simulator captures every answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRef } from '../../src/main/engine/model.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { runEngine, type EngineRun } from '../support/engine-harness.ts';
import { RecordingProxy, type Exchange } from '../support/recording-proxy.ts';
import { enumProblems } from '../support/rest-enums.ts';
import { modelProblems } from '../support/sdk-models.ts';

/** The SDK model of each answer, by method and path (index.d.ts: the return type of its API call). */
const MODELS: [string, RegExp, string][] = [
  ['GET', /^\/api\/v2\/users\/me$/, 'UserMe'],
  ['GET', /^\/api\/v2\/users\/chats\/me$/, 'ChatItemCursorListing'],
  ['GET', /^\/api\/v2\/users\/[^/]+$/, 'User'],
  ['GET', /^\/api\/v2\/chats\/users\/me\/settings$/, 'UserSettingsForChat'],
  ['PATCH', /^\/api\/v2\/chats\/users\/me\/settings$/, 'UserSettingsForChat'],
  ['GET', /^\/api\/v2\/chats\/rooms\/[^/]+$/, 'Room'],
  ['GET', /^\/api\/v2\/chats\/users\/[^/]+$/, 'OneOnOne'],
  ['GET', /^\/api\/v2\/chats\/(rooms|users)\/[^/]+\/messages$/, 'ChatMessageEntityListing'],
  ['GET', /^\/api\/v2\/chats\/(rooms|users)\/[^/]+\/messages\/[^/]+$/, 'ChatMessageEntityListing'],
  ['GET', /^\/api\/v2\/chats\/threads\/[^/]+\/messages$/, 'ChatMessageEntityListing'],
  ['GET', /^\/api\/v2\/chats\/messages\/[^/]+$/, 'ChatMessageResponse'],
  ['POST', /^\/api\/v2\/chats\/(rooms|users)\/[^/]+\/messages$/, 'ChatSendMessageResponse'],
  ['PATCH', /^\/api\/v2\/chats\/(rooms|users)\/[^/]+\/messages\/[^/]+$/, 'ChatSendMessageResponse'],
  ['GET', /^\/api\/v2\/chats\/rooms\/[^/]+\/participants$/, 'RoomParticipantsResponse'],
  ['POST', /^\/api\/v2\/notifications\/channels$/, 'Channel'],
  ['GET', /^\/api\/v2\/notifications\/channels\/[^/]+\/subscriptions$/, 'ChannelTopicEntityListing'],
  ['PUT', /^\/api\/v2\/notifications\/channels\/[^/]+\/subscriptions$/, 'ChannelTopicEntityListing'],
  ['POST', /^\/api\/v2\/notifications\/channels\/[^/]+\/subscriptions$/, 'ChannelTopicEntityListing'],
  // The messaging source (issue 13) lists the user's customer conversations at every catch-up.
  ['GET', /^\/api\/v2\/conversations\/messages$/, 'MessageConversationEntityListing'],
];

function modelFor(e: Exchange): string | null | undefined {
  if (e.path === '/oauth/token') return null; // RFC 6749: no SDK model
  if (e.status >= 400) return 'ErrorBody';
  return MODELS.find(([method, path]) => method === e.method && path.test(e.path))?.[2];
}

let sim: Simulator;
let proxy: RecordingProxy;
let run: EngineRun;

beforeAll(async () => {
  sim = await startSimulator({ seed: 13, quiet: true, heartbeatIntervalMs: 1000 });
  proxy = await new RecordingProxy(sim.url).start();
  run = await runEngine({ ...sim, url: proxy.url });
  await session();
}, 60_000);
afterAll(async () => {
  await run?.stop();
  await proxy?.close();
  await sim?.close();
});

const until = (p: () => boolean, what: string): Promise<void> => run.until(() => p(), 8000, what);

/** A working morning: colleagues chat, the user answers, reacts, pins, edits, reads and tunes settings. */
async function session(): Promise<void> {
  const me = sim.demoUser.id;
  await until(
    () => run.engine.state.get().connection === 'push' && run.engine.state.get().lastSyncAt !== null,
    'push',
  );
  for (let i = 0; i < 40; i++) sim.control.trafficTick();
  const room = sim.control.chats(me).find((c) => c.kind === 'room' && c.name === 'Support Team')!;
  const colleague = room.participants.find((p) => p !== me)!;
  const chat: ChatRef = run.engine.chat(room.jid!)!;
  const root = sim.control.post({
    as: colleague,
    room: room.jid!,
    body: 'Alex, the VPN is down again',
    mentions: [me],
  });
  const dm = sim.control.post({ as: colleague, toUser: me, body: 'call me?' });
  await until(() => run.shown.some((n) => n.messageIds.includes(dm.id)), 'the DM');
  const dmChat = run.engine.chat(colleague)!;

  const acts = [
    await run.engine.act({ kind: 'reply', chat, text: 'On it', threadId: root.id, mentions: [colleague] }),
    await run.engine.act({ kind: 'reply', chat: dmChat, text: 'Calling now' }),
    await run.engine.act({ kind: 'react', chat, messageId: root.id, emoji: '👀', on: true }),
    await run.engine.act({ kind: 'pin', chat, messageId: root.id }),
  ];
  const settled = (id: string) => run.engine.state.get().outbox.find((o) => o.id === id);
  await until(
    () => acts.every((a) => settled(a.id) === undefined || settled(a.id)!.state === 'sent'),
    'the actions',
  );
  const sent = await run.engine.settled(
    (await run.engine.act({ kind: 'reply', chat, text: 'typo herre' })).id,
  );
  const mine = sent!.messageId!;
  for (const a of [
    await run.engine.act({ kind: 'edit', chat, messageId: mine, text: 'typo here' }),
    await run.engine.act({ kind: 'unpin', chat, messageId: root.id }),
    await run.engine.act({ kind: 'delete', chat, messageId: mine }),
  ])
    await until(() => settled(a.id) === undefined || settled(a.id)!.state === 'sent', a.kind);

  // What the popup reads (through the engine, as the IPC handlers do).
  const reads = run.engine.queries;
  await reads.history(chat.id, { limit: 30 });
  await reads.history(dmChat.id, { limit: 30, before: Date.now() });
  await reads.thread(chat.id, root.id);
  await reads.participants(chat.id);
  const pin = await run.engine.act({ kind: 'pin', chat, messageId: root.id });
  await run.engine.settled(pin.id);
  await reads.pins(chat.id);
  await run.engine.chatOfMessage(root.id);
  await reads.userName(colleague);
  await run.engine.chatOfMessage('00000000-0000-4000-8000-000000000000').catch(() => {});
  await run.engine.updateServerSettings({ notifyOnReactions: false });
  // A gap: the socket drops and the engine catches up.
  sim.control.dropSockets();
  for (let i = 0; i < 10; i++) sim.control.trafficTick();
  await until(() => run.engine.state.get().connection === 'push', 'push again');
  await new Promise((r) => setTimeout(r, 1500));
}

describe('the simulator’s REST answers in a realistic session', () => {
  it('each has its SDK model’s fields and types, and documented enum values', () => {
    const problems: string[] = [];
    const unmapped = new Set<string>();
    for (const e of proxy.exchanges) {
      if (e.body === undefined || e.path.startsWith('/oauth/authorize')) continue;
      const model = modelFor(e);
      if (model === undefined) {
        unmapped.add(`${e.method} ${e.path.replace(/[0-9a-f-]{36}|[^/]+@[^/]+/g, '{id}')}`);
        continue;
      }
      if (model === null) {
        const allowed = [
          'access_token',
          'token_type',
          'expires_in',
          'refresh_token',
          'error',
          'error_description',
        ];
        for (const key of Object.keys(e.body as object))
          if (!allowed.includes(key)) problems.push(`${e.method} ${e.path}: ${key}`);
        continue;
      }
      for (const p of [...modelProblems(model, e.body), ...enumProblems(model, e.body)])
        problems.push(`${e.method} ${e.path} ${e.status}: ${p}`);
    }
    expect([...unmapped]).toEqual([]);
    expect([...new Set(problems)]).toEqual([]);
  });

  it('covered every endpoint the app reads', () => {
    const seen = new Set(proxy.exchanges.filter((e) => e.body !== undefined).map((e) => modelFor(e)));
    for (const model of new Set(MODELS.map(([, , m]) => m)).add('ErrorBody'))
      expect(seen, model).toContain(model);
  });
});
