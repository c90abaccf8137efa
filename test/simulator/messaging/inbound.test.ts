// Customers arrive the real way: the inbound Open Messaging API (client credentials, messaging
// scope) creates the conversation, which is offered to the demo user and times out when unanswered;
// typing events and receipts from the customer's side reach the agent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, isTopic } from '../helpers.ts';
import type { MessagingSession } from './session.ts';
import {
  acceptedConversation,
  byPurpose,
  customerWrites,
  MAYA,
  myAgents,
  nextSnapshot,
  startMessagingSession,
} from './session.ts';

let s: MessagingSession;
beforeEach(async () => {
  s = await startMessagingSession({ messaging: { alertingTimeoutMs: 400 } });
});
afterEach(async () => {
  await s.close();
});

describe('the inbound Open Messaging API', () => {
  it('lists the one seeded open integration', async () => {
    const listing = await call(s.sim, 'GET', '/api/v2/conversations/messaging/integrations/open', {
      token: s.client,
    });
    expect(listing.status).toBe(200);
    expect(listing.json.entities).toHaveLength(1);
    expect(listing.json.entities[0]).toMatchObject({ id: s.integrationId, status: 'Active' });
    const one = await call(
      s.sim,
      'GET',
      `/api/v2/conversations/messaging/integrations/open/${s.integrationId}`,
      {
        token: s.client,
      },
    );
    expect(one.json.name).toBe(listing.json.entities[0].name);
  });

  it('takes a customer message only with a client-credentials token that has the messaging scope', async () => {
    const asUser = await customerWrites(s, 'hello', MAYA, { token: s.agent });
    expect(asUser).toMatchObject({ status: 403, json: { code: 'not.authorized' } });
    s.sim.control.messaging.setClientScopes('no-messaging', ['conversations']);
    const weak = s.sim.control.clientToken('no-messaging').accessToken;
    expect(await customerWrites(s, 'hello', MAYA, { token: weak })).toMatchObject({
      status: 403,
      json: { code: 'missing.scopes' },
    });
    const unknown = await call(s.sim, 'POST', '/api/v2/conversations/messages/nope/inbound/open/message', {
      token: s.client,
      body: { channel: { from: MAYA, time: new Date().toISOString() }, text: 'hi' },
    });
    expect(unknown.status).toBe(404);
    expect(s.sim.control.messaging.conversations()).toEqual([]);
  });

  it('refuses a message without text or content, or with an unknown id type', async () => {
    const path = `/api/v2/conversations/messages/${s.integrationId}/inbound/open/message`;
    const time = new Date().toISOString();
    for (const body of [
      { channel: { from: MAYA, time } },
      { channel: { from: MAYA, time }, text: '   ' },
      { channel: { from: { ...MAYA, idType: 'Fax' }, time }, text: 'hi' },
      { channel: { from: MAYA, time: 'yesterday' }, text: 'hi' },
    ]) {
      const answer = await call(s.sim, 'POST', path, { token: s.client, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json).toMatchObject({
        status: 400,
        code: expect.any(String),
        message: expect.any(String),
      });
    }
  });

  it('answers with the message id, and the conversation id only when prefetched', async () => {
    const plain = await customerWrites(s, 'first', MAYA, { prefetch: false });
    expect(plain.status).toBe(200);
    expect(plain.json).toMatchObject({
      type: 'Text',
      text: 'first',
      channel: { id: s.integrationId, from: MAYA },
    });
    expect(plain.json.conversationId).toBeUndefined();
    const second = await customerWrites(s, 'second');
    expect(second.json.conversationId).toBe(s.sim.control.messaging.conversations()[0]?.id);
    expect(second.json.id).not.toBe(plain.json.id);
  });

  it('offers a new customer to the demo user: an alerting agent participant, ids only, no text', async () => {
    const written = await customerWrites(s, 'Where is my order #4411?');
    const offer = await nextSnapshot(s, written.json.conversationId);
    const [me] = myAgents(offer, s.sim.demoUser.id);
    expect(me).toMatchObject({ purpose: 'agent', alertingTimeoutMs: 400, wrapupRequired: false });
    expect(me.messages[0]).toMatchObject({ state: 'alerting', direction: 'inbound', type: 'open' });
    const customer = byPurpose(offer, 'customer');
    expect(customer.messages[0].messages).toEqual([
      expect.objectContaining({ messageId: written.json.id, messageStatus: 'received' }),
    ]);
    expect(JSON.stringify(offer)).not.toContain('Where is my order');
    // The inbound flow greeted the customer (a bot message under the workflow participant) and the
    // queue holds the conversation until an agent takes it.
    expect(byPurpose(offer, 'workflow').messages[0].messages).toHaveLength(1);
    expect(byPurpose(offer, 'acd').messages[0].state).toBe('connected');
  });

  it('keeps a customer in one conversation, and a repeated platform message id is not doubled', async () => {
    const a = await customerWrites(s, 'one', MAYA, { providerMessageId: 'wamid.1' });
    const again = await customerWrites(s, 'one', MAYA, { providerMessageId: 'wamid.1' });
    const b = await customerWrites(s, 'two', MAYA, { providerMessageId: 'wamid.2' });
    expect(again.json.id).toBe(a.json.id);
    expect(b.json.conversationId).toBe(a.json.conversationId);
    const [conversation] = s.sim.control.messaging.conversations();
    expect(conversation?.messages.filter((m) => m.author === 'customer').map((m) => m.text)).toEqual([
      'one',
      'two',
    ]);
    const other = await customerWrites(s, 'hi', { id: 'jo@mail.example', idType: 'Email' });
    expect(other.json.conversationId).not.toBe(a.json.conversationId);
  });

  it('ends an unanswered offer after alertingTimeoutMs: the agent is Not Responding, the customer waits', async () => {
    const written = await customerWrites(s, 'anyone there?');
    const id = written.json.conversationId;
    const ended = await nextSnapshot(
      s,
      id,
      (b) => myAgents(b, s.sim.demoUser.id)[0]?.messages[0].state === 'disconnected',
    );
    const [me] = myAgents(ended, s.sim.demoUser.id);
    expect(me.messages[0]).toMatchObject({ disconnectType: 'transfer.noanswer' });
    expect(me.messages[0].connectedTime).toBeUndefined();
    expect(byPurpose(ended, 'acd').messages[0].state).toBe('connected');
    const agent = s.sim.control.messaging.agents().find((a) => a.userId === s.sim.demoUser.id);
    expect(agent?.routingStatus).toBe('NOT_RESPONDING');
    // The waiting customer writes again: no new offer, the message lands in the same conversation.
    const more = await customerWrites(s, 'hello?');
    expect(more.json.conversationId).toBe(id);
    const after = await nextSnapshot(
      s,
      id,
      (b) => byPurpose(b, 'customer').messages[0].messages.length === 2,
    );
    expect(myAgents(after, s.sim.demoUser.id)).toHaveLength(1);
  });

  it('forces an offer timeout from the control interface', async () => {
    s.sim.control.messaging.configure({ alertingTimeoutMs: 60_000 });
    const written = await customerWrites(s, 'hi');
    const id = written.json.conversationId;
    await nextSnapshot(s, id, (b) => myAgents(b, s.sim.demoUser.id).length === 1);
    expect(s.sim.control.messaging.timeoutOffer(id)).toBe(1);
    const ended = await nextSnapshot(
      s,
      id,
      (b) => myAgents(b, s.sim.demoUser.id)[0].messages[0].state === 'disconnected',
    );
    expect(myAgents(ended, s.sim.demoUser.id)[0].messages[0].disconnectType).toBe('transfer.noanswer');
    expect(s.sim.control.messaging.timeoutOffer(id)).toBe(0);
  });

  it('passes the customer typing to the connected agent', async () => {
    s.sim.control.messaging.configure({ alertingTimeoutMs: 60_000 });
    const { conversationId } = await acceptedConversation(s);
    const answer = await call(
      s.sim,
      'POST',
      `/api/v2/conversations/messages/${s.integrationId}/inbound/open/event`,
      {
        token: s.client,
        body: {
          channel: { from: MAYA, time: new Date().toISOString() },
          events: [{ eventType: 'Typing', typing: { type: 'On' } }],
        },
      },
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ type: 'Event', events: [{ eventType: 'Typing' }] });
    const frame = await s.socket.next(isTopic(`${s.conversationsTopic}.inbound.typing.event`));
    expect(frame.eventBody).toMatchObject({
      conversationId,
      normalizedMessage: { type: 'Event', events: [{ eventType: 'Typing', typing: { type: 'On' } }] },
    });
  });

  it('applies receipts to the agent’s message: delivered, then read, never backwards; unknown ids are refused', async () => {
    s.sim.control.messaging.configure({ alertingTimeoutMs: 60_000 });
    const { conversationId, communicationId } = await acceptedConversation(s);
    const sent = await call(
      s.sim,
      'POST',
      `/api/v2/conversations/messages/${conversationId}/communications/${communicationId}/messages`,
      {
        token: s.agent,
        body: { textBody: 'Let me check.' },
      },
    );
    const receipt = (status: string, id = sent.json.id as string) =>
      call(s.sim, 'POST', `/api/v2/conversations/messages/${s.integrationId}/inbound/open/receipt`, {
        token: s.client,
        body: {
          id,
          channel: { to: { id: MAYA.id, idType: MAYA.idType }, time: new Date().toISOString() },
          status,
        },
      });
    const statusOf = async (expected: string) => {
      const body = await nextSnapshot(s, conversationId, (b) =>
        myAgents(b, s.sim.demoUser.id)
          .at(-1)
          .messages[0].messages.some((m: { messageStatus: string }) => m.messageStatus === expected),
      );
      return myAgents(body, s.sim.demoUser.id).at(-1).messages[0].messages[0].messageStatus;
    };
    expect((await receipt('Delivered')).json).toMatchObject({
      type: 'Receipt',
      status: 'Delivered',
      direction: 'Outbound',
    });
    expect(await statusOf('delivery-success')).toBe('delivery-success');
    expect((await receipt('Read')).status).toBe(200);
    expect(await statusOf('read')).toBe('read');
    expect((await receipt('Delivered')).status).toBe(200);
    expect(s.sim.control.messaging.conversation(conversationId).messages.at(-1)?.status).toBe('read');
    expect((await receipt('Delivered', 'no-such-message')).status).toBe(404);
    expect((await receipt('Seen')).status).toBe(400);
  });
});
