// The agent side: accept, reply, typing, end and wrap-up, decline, re-routes; the text reads, the
// listing and the generic conversation; and every refusal the brief names, in the Genesys shape and
// with the status and code of its fixture.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture } from '../../support/fixtures.ts';
import type { RawResponse } from '../helpers.ts';
import { call } from '../helpers.ts';
import type { MessagingSession } from './session.ts';
import {
  acceptedConversation,
  byPurpose,
  customerWrites,
  myAgents,
  nextSnapshot,
  startMessagingSession,
  subscribe,
} from './session.ts';

const M = '/api/v2/conversations/messages';
let s: MessagingSession;
beforeEach(async () => {
  s = await startMessagingSession();
});
afterEach(async () => {
  await s.close();
});

/** The refusal has the Genesys error shape and the status and code of the named fixture. */
function refusedAs(answer: RawResponse, file: string): void {
  const expected = fixture(`messaging/${file}`).value as { status: number; code: string };
  expect(answer.status, answer.text).toBe(expected.status);
  expect(answer.json).toMatchObject({
    status: expected.status,
    code: expected.code,
    message: expect.any(String),
  });
  expect(answer.json.contextId).toMatch(/^[0-9a-f-]{36}$/);
}

const send = (
  conversationId: string,
  communicationId: string,
  body: unknown,
  token = s.agent,
): Promise<RawResponse> =>
  call(s.sim, 'POST', `${M}/${conversationId}/communications/${communicationId}/messages`, { token, body });
const patch = (
  conversationId: string,
  participantId: string,
  body: unknown,
  token = s.agent,
): Promise<RawResponse> =>
  call(s.sim, 'PATCH', `${M}/${conversationId}/participants/${participantId}`, { token, body });

describe('an accepted conversation', () => {
  it('hands over from the queue on accept, and a reply is a MessageData the customer receives', async () => {
    const c = await acceptedConversation(s, 'My parcel is late');
    const conversation = s.sim.control.messaging.conversation(c.conversationId);
    expect(conversation.participants.find((p) => p.purpose === 'acd')?.state).toBe('disconnected');
    const sent = await send(c.conversationId, c.communicationId, { textBody: 'Sorry! Checking now.' });
    expect(sent.status).toBe(200);
    expect(sent.json).toMatchObject({
      direction: 'outbound',
      status: 'sent',
      conversationId: c.conversationId,
      createdBy: { id: s.sim.demoUser.id },
      normalizedMessage: { text: 'Sorry! Checking now.', direction: 'Outbound', originatingEntity: 'Human' },
    });
    const snapshot = await nextSnapshot(
      s,
      c.conversationId,
      (b) => myAgents(b, s.sim.demoUser.id)[0].messages[0].messages.length === 1,
    );
    expect(myAgents(snapshot, s.sim.demoUser.id)[0].messages[0].messages[0]).toMatchObject({
      messageId: sent.json.id,
      messageStatus: 'sent',
    });
    expect(s.sim.control.messaging.sent(c.conversationId)).toEqual([
      expect.objectContaining({
        messageId: sent.json.id,
        text: 'Sorry! Checking now.',
        customerId: '+14155550199',
      }),
    ]);
  });

  it('serves the text of every message: one, in bulk (newest first by default), and by message id alone', async () => {
    const c = await acceptedConversation(s, 'first question');
    const second = await customerWrites(s, 'second question');
    const reply = await send(c.conversationId, c.communicationId, { textBody: 'an answer' });
    const one = await call(s.sim, 'GET', `${M}/${c.conversationId}/messages/${c.firstMessageId}`, {
      token: s.agent,
    });
    expect(one.json).toMatchObject({
      id: c.firstMessageId,
      direction: 'inbound',
      normalizedMessage: { text: 'first question' },
    });
    expect(one.json.textBody).toBeUndefined();
    const ids = [c.firstMessageId, second.json.id, reply.json.id, 'unknown-id'];
    const bulk = await call(s.sim, 'POST', `${M}/${c.conversationId}/messages/bulk`, {
      token: s.agent,
      body: ids,
    });
    expect(
      bulk.json.entities.map((m: { normalizedMessage: { text: string } }) => m.normalizedMessage.text),
    ).toEqual(['an answer', 'second question', 'first question']);
    s.sim.control.messaging.configure({ bulkOrder: 'oldest-first', textBody: true });
    const oldest = await call(s.sim, 'POST', `${M}/${c.conversationId}/messages/bulk`, {
      token: s.agent,
      body: ids,
    });
    expect(oldest.json.entities.map((m: { textBody: string }) => m.textBody)).toEqual([
      'first question',
      'second question',
      'an answer',
    ]);
    const details = await call(s.sim, 'GET', `${M}/${reply.json.id}/details`, { token: s.agent });
    expect(details.json).toMatchObject({ id: reply.json.id, textBody: 'an answer' });
    const tooMany = await call(s.sim, 'POST', `${M}/${c.conversationId}/messages/bulk`, {
      token: s.agent,
      body: Array.from({ length: 1001 }, (_, i) => `id-${i}`),
    });
    expect(tooMany.status).toBe(400);
    expect(
      (await call(s.sim, 'GET', `${M}/${c.conversationId}/messages/nope`, { token: s.agent })).status,
    ).toBe(404);
  });

  it('records the agent typing on its connected communication', async () => {
    const c = await acceptedConversation(s);
    const typing = await call(
      s.sim,
      'POST',
      `${M}/${c.conversationId}/communications/${c.communicationId}/typing`,
      {
        token: s.agent,
        body: { typing: { type: 'On' } },
      },
    );
    expect(typing.status).toBe(202);
    expect(s.sim.control.messaging.typing(c.conversationId)).toEqual([
      expect.objectContaining({ communicationId: c.communicationId, userId: s.sim.demoUser.id }),
    ]);
    const bad = await call(
      s.sim,
      'POST',
      `${M}/${c.conversationId}/communications/${c.communicationId}/typing`,
      {
        token: s.agent,
        body: { typing: { type: 'Sideways' } },
      },
    );
    expect(bad.status).toBe(400);
  });

  it('ends on PATCH disconnected: the customer leaves too and a wrap-up is owed until it is given', async () => {
    const c = await acceptedConversation(s);
    expect((await patch(c.conversationId, c.participantId, { state: 'disconnected' })).status).toBe(202);
    const ended = await nextSnapshot(
      s,
      c.conversationId,
      (b) => myAgents(b, s.sim.demoUser.id)[0].messages[0].state === 'disconnected',
    );
    const [me] = myAgents(ended, s.sim.demoUser.id);
    expect(me).toMatchObject({ wrapupRequired: true, startAcwTime: expect.any(String) });
    expect(me.messages[0].disconnectType).toBe('client');
    expect(byPurpose(ended, 'customer').messages[0]).toMatchObject({
      state: 'disconnected',
      disconnectType: 'peer',
    });
    const active = async (): Promise<string[]> =>
      (await call(s.sim, 'GET', M, { token: s.agent })).json.entities.map((e: { id: string }) => e.id);
    expect(await active()).toEqual([c.conversationId]);
    refusedAs(
      await send(c.conversationId, c.communicationId, { textBody: 'too late' }),
      'error-communication-not-connected.json',
    );

    const codes = await call(
      s.sim,
      'GET',
      `${M}/${c.conversationId}/participants/${c.participantId}/wrapupcodes`,
      { token: s.agent },
    );
    expect(codes.json.map((w: { name: string }) => w.name)).toContain('Resolved');
    const wrapup = `${M}/${c.conversationId}/participants/${c.participantId}/communications/${c.communicationId}/wrapup`;
    expect((await call(s.sim, 'GET', wrapup, { token: s.agent })).status).toBe(204);
    refusedAs(
      await call(s.sim, 'POST', wrapup, { token: s.agent, body: { code: 'no-such-code' } }),
      'error-wrapup-code-unknown.json',
    );
    const code = codes.json.find((w: { name: string }) => w.name === 'Resolved').id;
    expect(
      (await call(s.sim, 'POST', wrapup, { token: s.agent, body: { code, notes: 'Re-shipped.' } })).status,
    ).toBe(202);
    const wrapped = await nextSnapshot(
      s,
      c.conversationId,
      (b) => myAgents(b, s.sim.demoUser.id)[0].wrapup !== undefined,
    );
    expect(myAgents(wrapped, s.sim.demoUser.id)[0].wrapup).toMatchObject({ code, notes: 'Re-shipped.' });
    expect((await call(s.sim, 'GET', wrapup, { token: s.agent })).json).toMatchObject({
      code,
      notes: 'Re-shipped.',
    });
    expect(
      (
        await call(s.sim, 'GET', `${M}/${c.conversationId}/participants/${c.participantId}/wrapup`, {
          token: s.agent,
        })
      ).json.code,
    ).toBe(code);
    expect(await active()).toEqual([]);
    // The customer writes again: a new conversation, offered afresh.
    const next = await customerWrites(s, 'one more thing');
    expect(next.json.conversationId).not.toBe(c.conversationId);
  });

  it('re-routes to a new agent participant: replies work only on the last one', async () => {
    const c = await acceptedConversation(s);
    const moved = s.sim.control.messaging.reroute(c.conversationId);
    expect(moved).toMatchObject({ purpose: 'agent', userId: s.sim.demoUser.id, state: 'connected' });
    const snapshot = await nextSnapshot(
      s,
      c.conversationId,
      (b) => myAgents(b, s.sim.demoUser.id).length === 2,
    );
    const [old, current] = myAgents(snapshot, s.sim.demoUser.id);
    expect(old.messages[0]).toMatchObject({ state: 'disconnected', disconnectType: 'transfer' });
    expect(current).toMatchObject({ id: moved.id });
    refusedAs(
      await send(c.conversationId, c.communicationId, { textBody: 'old leg' }),
      'error-communication-not-connected.json',
    );
    expect((await send(c.conversationId, moved.communicationId, { textBody: 'new leg' })).status).toBe(200);
  });
});

describe('offers', () => {
  it('a decline ends the offer with the agent Not Responding; an accept is idempotent and an ended one cannot connect', async () => {
    const written = await customerWrites(s, 'hi');
    const id = written.json.conversationId;
    const offer = await nextSnapshot(s, id);
    const [me] = myAgents(offer, s.sim.demoUser.id);
    refusedAs(
      await send(id, me.messages[0].id, { textBody: 'not yet' }),
      'error-communication-not-connected.json',
    );
    expect((await patch(id, me.id, { state: 'disconnected' })).status).toBe(202);
    const declined = await nextSnapshot(
      s,
      id,
      (b) => myAgents(b, s.sim.demoUser.id)[0].messages[0].state === 'disconnected',
    );
    expect(myAgents(declined, s.sim.demoUser.id)[0].messages[0].disconnectType).toBe('client');
    expect(s.sim.control.messaging.agents().find((a) => a.userId === s.sim.demoUser.id)?.routingStatus).toBe(
      'NOT_RESPONDING',
    );
    expect((await patch(id, me.id, { state: 'connected' })).status).toBe(400);
    // Offered again: a second agent participant of the same user, which can be accepted.
    const again = s.sim.control.messaging.offer(id);
    expect(again.state).toBe('alerting');
    expect((await patch(id, again.id, { state: 'connected' })).status).toBe(202);
    expect((await patch(id, again.id, { state: 'connected' })).status).toBe(202);
    expect((await patch(id, again.id, { state: 'held' })).status).toBe(400);
  });
});

describe('refusals', () => {
  it('two body fields, or none, or an empty or oversized text', async () => {
    const c = await acceptedConversation(s);
    refusedAs(
      await send(c.conversationId, c.communicationId, { textBody: 'hi', mediaIds: ['m1'] }),
      'error-send-two-body-fields.json',
    );
    expect((await send(c.conversationId, c.communicationId, {})).status).toBe(400);
    expect((await send(c.conversationId, c.communicationId, { textBody: '  ' })).status).toBe(400);
    expect((await send(c.conversationId, c.communicationId, { textBody: 'x'.repeat(4001) })).status).toBe(
      400,
    );
    expect(s.sim.control.messaging.sent()).toEqual([]);
  });

  it('sending or typing on a communication that is not the caller’s, and PATCHing another participant', async () => {
    const c = await acceptedConversation(s);
    const customer = s.sim.control.messaging
      .conversation(c.conversationId)
      .participants.find((p) => p.purpose === 'customer');
    refusedAs(
      await send(c.conversationId, customer?.communicationId ?? '', { textBody: 'hi' }),
      'error-communication-not-yours.json',
    );
    refusedAs(
      await patch(c.conversationId, customer?.id ?? '', { state: 'disconnected' }),
      'error-participant-not-yours.json',
    );
    // A colleague (given the messaging permission) is not in this conversation at all.
    const colleague = s.sim.users.find((u) => u.id !== s.sim.demoUser.id)?.id ?? '';
    s.sim.control.messaging.setPermission(colleague, true);
    const theirs = s.sim.control.actAs(colleague).accessToken;
    expect((await send(c.conversationId, c.communicationId, { textBody: 'hi' }, theirs)).json).toMatchObject({
      status: 403,
      code: 'not.authorized',
    });
    expect((await patch(c.conversationId, c.participantId, { state: 'disconnected' }, theirs)).status).toBe(
      403,
    );
    expect(
      (await call(s.sim, 'GET', `/api/v2/conversations/${c.conversationId}`, { token: theirs })).status,
    ).toBe(403);
    expect(s.sim.control.messaging.conversation(c.conversationId).ended).toBe(false);
  });

  it('a user without the messaging permission, a client-credentials token, a client without the scope', async () => {
    const colleague = s.sim.users.find((u) => u.id !== s.sim.demoUser.id)?.id ?? '';
    refusedAs(
      await call(s.sim, 'GET', M, { token: s.sim.control.actAs(colleague).accessToken }),
      'error-missing-permission.json',
    );
    expect((await call(s.sim, 'GET', M, { token: s.client })).json).toMatchObject({
      status: 400,
      code: 'requires.user.context',
    });
    s.sim.control.messaging.setClientScopes('chat-only', ['chat']);
    const chatOnly = s.sim.control.actAs(s.sim.demoUser.id, { clientId: 'chat-only' }).accessToken;
    refusedAs(await call(s.sim, 'GET', M, { token: chatOnly }), 'error-missing-scope.json');
    // Reading needs conversations or conversations:readonly; writing needs conversations.
    s.sim.control.messaging.setClientScopes('read-only', ['conversations:readonly']);
    const readOnly = s.sim.control.actAs(s.sim.demoUser.id, { clientId: 'read-only' }).accessToken;
    const c = await acceptedConversation(s);
    expect((await call(s.sim, 'GET', `${M}/${c.conversationId}`, { token: readOnly })).status).toBe(200);
    expect(
      (await send(c.conversationId, c.communicationId, { textBody: 'hi' }, readOnly)).json,
    ).toMatchObject({
      status: 403,
      code: 'missing.scopes',
    });
  });

  it('the conversation topics: only the caller’s own, and Rejected without the conversations scope', async () => {
    s.sim.control.messaging.setClientScopes('chat-only', ['chat']);
    const chatOnly = s.sim.control.actAs(s.sim.demoUser.id, { clientId: 'chat-only' }).accessToken;
    await expect(subscribe(s.sim, chatOnly, s.sim.demoUser.id)).rejects.toThrow(
      /missing scope conversations/i,
    );
    const colleague = s.sim.users.find((u) => u.id !== s.sim.demoUser.id)?.id ?? '';
    await expect(subscribe(s.sim, s.agent, colleague)).rejects.toThrow(/not your user id/i);
    // Without the messaging permission the topic is still permitted; it simply stays quiet.
    const quiet = await subscribe(s.sim, s.sim.control.actAs(colleague).accessToken, colleague);
    await customerWrites(s, 'hi');
    expect(await quiet.silent(() => true, 300)).toBe(true);
    quiet.close();
  });
});

describe('the listing and the generic conversation', () => {
  it('lists the user’s active conversations; the generic conversation gives the communication ids', async () => {
    const c = await acceptedConversation(s);
    const listing = await call(s.sim, 'GET', M, { token: s.agent });
    expect(listing.json).toMatchObject({ total: 1, pageNumber: 1, entities: [{ id: c.conversationId }] });
    const participant = listing.json.entities[0].participants.find(
      (p: { id: string }) => p.id === c.participantId,
    );
    expect(participant).toMatchObject({ state: 'connected', user: { id: s.sim.demoUser.id } });
    expect(JSON.stringify(listing.json)).not.toContain(c.communicationId);
    const generic = await call(s.sim, 'GET', `/api/v2/conversations/${c.conversationId}`, { token: s.agent });
    const mine = myAgents(generic.json, s.sim.demoUser.id);
    expect(mine[0].messages[0]).toMatchObject({ id: c.communicationId, state: 'connected', type: 'open' });
    expect(byPurpose(generic.json, 'customer').messages[0].messages[0].messageId).toBe(c.firstMessageId);
    expect((await call(s.sim, 'GET', '/api/v2/conversations/nope', { token: s.agent })).status).toBe(404);
  });
});
