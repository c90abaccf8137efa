// Customer replies, ends and wrap-ups through the persisted outbox, against the simulator over real
// sockets and a real outbox file: sent on the user's last agent communication, once through 503s
// and lost answers (the transcript is searched before posting again), once across a restart found
// mid-send, and a refusal fails with the server's reason. End and wrap-up are idempotent.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RequestBudget } from '../../../src/main/genesys/budget.ts';
import { GenesysHttp } from '../../../src/main/genesys/http.ts';
import { MessagingApi } from '../../../src/main/genesys/messaging/api.ts';
import type { OutboxItem } from '../../../src/main/engine/outbox/schema.ts';
import { MessagingSource } from '../../../src/main/messaging/source.ts';
import { staticTokens } from '../../support/genesys.ts';
import { client, fileStorage, losingAnswers, outbox, outboxSuite, unique } from './helpers.ts';

const suite = outboxSuite(41);
const { track } = suite;

/** A messaging source of the demo user (no channel: its actions read the conversation over REST). */
async function messaging(fetchImpl?: typeof fetch): Promise<MessagingSource> {
  const { sim } = suite;
  const token = sim.control.actAs(sim.demoUser.id).accessToken;
  const http = new GenesysHttp({
    apiBase: sim.url,
    tokens: staticTokens(token),
    budget: new RequestBudget({ perMinute: 1000, userReserve: 100 }),
    backoffMs: { base: 10, cap: 50 },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  const source = new MessagingSource({ api: new MessagingApi(http), me: sim.demoUser.id });
  await source.start();
  return source;
}

let customers = 0;
/** A customer writes in; the demo user accepts the offer. Its outbox reference. */
async function connectedConversation() {
  const n = ++customers;
  const { conversationId } = suite.sim.control.messaging.customerWrites({
    customer: { id: `+1415555077${n}`, idType: 'Phone', nickname: `Customer ${n}` },
    text: 'Hello?',
  });
  await (await messaging()).accept(conversationId);
  return { kind: 'customer' as const, id: conversationId, jid: '' as const, name: `Customer ${n}` };
}

const sentTexts = (conversationId: string): string[] =>
  suite.sim.control.messaging.sent(conversationId).map((m) => m.text);

function customerOutbox(name: string, performer: MessagingSource) {
  const { api } = client(suite.sim);
  return track(outbox(fileStorage(`${suite.dir}/${name}.json`), () => api, { customers: () => performer }));
}

describe('customer replies through the outbox', () => {
  it('rides out 503s and sends once, on the last agent communication', async () => {
    const chat = await connectedConversation();
    const ob = customerOutbox('burst', await messaging());
    suite.sim.control.failNext(3, 503);
    ob.start();
    const text = unique('on its way');
    const done = await ob.settled((await ob.reply({ chat, text })).id);
    expect(done).toMatchObject({ state: 'sent' });
    expect(done!.attempts).toBeGreaterThan(1);
    expect(sentTexts(chat.id)).toEqual([text]);
    const sent = suite.sim.control.messaging.sent(chat.id)[0]!;
    expect(done!.result?.messageId).toBe(sent.messageId);
  });

  it('does not post again when the POST landed but its answer was lost', async () => {
    const chat = await connectedConversation();
    const ob = customerOutbox('lost', await messaging(losingAnswers(1)));
    ob.start();
    const text = unique('checking now');
    const done = await ob.settled((await ob.reply({ chat, text })).id);
    expect(sentTexts(chat.id)).toEqual([text]);
    expect(done).toMatchObject({
      state: 'sent',
      attempts: 2,
      result: { messageId: suite.sim.control.messaging.sent(chat.id)[0]!.messageId, recovered: true },
    });
  });

  it('sends once after a restart that found it mid-send, whether or not it had landed', async () => {
    const chat = await connectedConversation();
    const landed = unique('landed before the crash');
    const notYet = unique('not sent before the crash');
    await (await messaging()).reply(chat.id, landed); // the crashed run's POST went out
    const file = fileStorage(`${suite.dir}/restart.json`);
    const saved = (text: string): OutboxItem => ({
      id: randomUUID(),
      action: { kind: 'reply', chat, text },
      createdAt: Date.now() - 1_000,
      state: 'sending',
      attempts: 1,
      startedAt: Date.now() - 900,
    });
    file.write([saved(landed), saved(notYet)]);
    const { api } = client(suite.sim);
    const performer = await messaging();
    const ob = track(outbox(file, () => api, { customers: () => performer }));
    ob.start();
    const [a, b] = ob.items();
    const [doneA, doneB] = await Promise.all([ob.settled(a!.id), ob.settled(b!.id)]);
    expect(doneA).toMatchObject({ state: 'sent', result: { recovered: true } });
    expect(doneB).toMatchObject({ state: 'sent' });
    expect(doneB!.result?.recovered).toBeUndefined();
    expect(sentTexts(chat.id)).toEqual([landed, notYet]);
  });

  it('fails a refused reply with the server reason, and one on an ended interaction likewise', async () => {
    const chat = await connectedConversation();
    const performer = await messaging();
    const ob = customerOutbox('refused', performer);
    ob.start();
    const long = await ob.settled((await ob.reply({ chat, text: 'x'.repeat(20_000) })).id);
    expect(long).toMatchObject({ state: 'failed', attempts: 1 });
    expect(long!.lastError!.message).toMatch(/textBody exceeds the \d+ characters/);

    const end = await ob.settled((await ob.enqueue({ kind: 'end', chat })).id);
    expect(end).toMatchObject({ state: 'sent' });
    const late = await ob.settled((await ob.reply({ chat, text: 'too late' })).id);
    expect(late).toMatchObject({ state: 'failed' });
    expect(late!.lastError!.message).toContain('messages can only be sent on a connected communication');
    expect(sentTexts(chat.id)).toEqual([]);
  });

  it('ends and wraps up once, in order after a reply; doing either again counts as done', async () => {
    const chat = await connectedConversation();
    const ob = customerOutbox('end', await messaging());
    ob.start();
    const code = suite.sim.control.messaging.integration().wrapupCodes[0]!.id;
    const queued = [
      await ob.reply({ chat, text: 'Bye now' }),
      await ob.enqueue({ kind: 'end', chat }),
      await ob.enqueue({ kind: 'wrapup', chat, code, notes: 'sorted' }),
      await ob.enqueue({ kind: 'end', chat }),
      await ob.enqueue({ kind: 'wrapup', chat, code }),
    ];
    const done = await Promise.all(queued.map((i) => ob.settled(i.id)));
    expect(done.map((d) => d?.state)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    expect(sentTexts(chat.id)).toEqual(['Bye now']);
    const mine = suite.sim.control.messaging
      .conversation(chat.id)
      .participants.filter((p) => p.userId === suite.sim.demoUser.id);
    expect(mine.at(-1)).toMatchObject({ state: 'disconnected', wrapupCode: code });
    // The second end and wrap-up found them done: no second PATCH or wrap-up POST went out.
    const writes = suite.sim.control
      .requests()
      .entries.filter(
        (e) => e.path.includes(chat.id) && (e.method === 'PATCH' || e.path.endsWith('/wrapup')),
      );
    expect(writes.map((e) => e.method)).toEqual(['PATCH', 'PATCH', 'POST']); // accept, end, wrap-up
  });

  it('waits while the messaging source is stopped (a restart, signing in again), then ends and wraps up', async () => {
    const chat = await connectedConversation();
    const source = await messaging();
    source.stop();
    const ob = customerOutbox('stopped', source);
    ob.start();
    const code = suite.sim.control.messaging.integration().wrapupCodes[0]!.id;
    const end = await ob.enqueue({ kind: 'end', chat });
    const wrapup = await ob.enqueue({ kind: 'wrapup', chat, code });
    // Longer than eight attempts take (backoff 20-200 ms): waiting for the source uses none of them.
    await new Promise((r) => setTimeout(r, 1_500));
    expect([ob.item(end.id)?.state, ob.item(wrapup.id)?.state]).toEqual(['queued', 'queued']);
    expect(ob.item(end.id)?.attempts).toBe(0);
    expect(ob.item(end.id)?.lastError?.message).toMatch(/reconnecting/);
    await source.start();
    const done = await Promise.all([ob.settled(end.id), ob.settled(wrapup.id)]);
    expect(done.map((d) => d?.state)).toEqual(['sent', 'sent']);
    const mine = suite.sim.control.messaging
      .conversation(chat.id)
      .participants.filter((p) => p.userId === suite.sim.demoUser.id);
    expect(mine.at(-1)).toMatchObject({ state: 'disconnected', wrapupCode: code });
  });

  it('refuses what a customer conversation cannot do, before queueing it', async () => {
    const chat = { kind: 'customer' as const, id: 'conv-1', jid: '' as const, name: 'Ana' };
    const room = { kind: 'room' as const, id: 'r1', jid: 'r1', name: 'Room' };
    const ob = customerOutbox('refuse', await messaging());
    await expect(ob.react({ chat, messageId: 'm1', emoji: '👍', on: true })).rejects.toThrow(
      'This conversation does not support reactions.',
    );
    await expect(ob.pin({ chat, messageId: 'm1' })).rejects.toThrow('pinned messages');
    await expect(ob.edit({ chat, messageId: 'm1', text: 'x' })).rejects.toThrow('editing or deleting');
    await expect(ob.delete({ chat, messageId: 'm1' })).rejects.toThrow('editing or deleting');
    await expect(ob.reply({ chat, text: 'x', threadId: 'm1' })).rejects.toThrow('threads');
    await expect(ob.enqueue({ kind: 'end', chat: room })).rejects.toThrow('ending or wrapping up');
    expect(ob.items()).toEqual([]);
  });
});
