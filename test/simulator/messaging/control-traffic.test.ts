// The messaging control interface over HTTP (/_sim/messaging), options, and the demo org's
// occasional customers: deterministic per seed, only while traffic is on, answered by receipts.
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../src/simulator/index.ts';
import { startSimulator } from '../../../src/simulator/index.ts';
import { until } from '../../support/wait.ts';
import { call } from '../helpers.ts';
import type { MessagingSession } from './session.ts';
import { customerWrites, myAgents, nextSnapshot, startMessagingSession } from './session.ts';

const open: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function session(options: Parameters<typeof startMessagingSession>[0] = {}): Promise<MessagingSession> {
  const s = await startMessagingSession(options);
  open.push(s);
  return s;
}

async function simulator(options: Parameters<typeof startSimulator>[0]): Promise<Simulator> {
  const sim = await startSimulator({ quiet: true, ...options });
  open.push(sim);
  return sim;
}

describe('the messaging control interface over HTTP', () => {
  it('makes a customer write, offers, re-routes and reads back what the agent sent', async () => {
    const s = await session();
    const info = await call(s.sim, 'GET', '/_sim/messaging');
    expect(info.json).toMatchObject({
      id: s.integrationId,
      wrapupCodes: expect.arrayContaining([expect.objectContaining({ name: 'Resolved' })]),
    });
    const wrote = await call(s.sim, 'POST', '/_sim/messaging/customer-messages', {
      body: { customer: 'Maya Thompson', text: 'Is my refund through?' },
    });
    expect(wrote.json).toMatchObject({
      created: true,
      conversationId: expect.any(String),
      messageId: expect.any(String),
    });
    const id = wrote.json.conversationId as string;
    const offer = await nextSnapshot(s, id);
    // The control's customer took the real inbound path: the inbound flow greeted them too.
    expect(offer.participants.map((p: { purpose: string }) => p.purpose)).toEqual([
      'customer',
      'workflow',
      'acd',
      'agent',
    ]);
    expect((await call(s.sim, 'POST', `/_sim/messaging/conversations/${id}/timeout`)).json).toEqual({
      timedOut: 1,
    });
    const again = await call(s.sim, 'POST', `/_sim/messaging/conversations/${id}/offer`, { body: {} });
    expect(again.json).toMatchObject({ purpose: 'agent', state: 'alerting' });
    const moved = await call(s.sim, 'POST', `/_sim/messaging/conversations/${id}/reroute`, {
      body: { state: 'connected' },
    });
    expect(moved.json).toMatchObject({ state: 'connected' });
    const snapshot = await nextSnapshot(s, id, (b) => myAgents(b, s.sim.demoUser.id).length === 3);
    expect(myAgents(snapshot, s.sim.demoUser.id).map((p) => p.messages[0].state)).toEqual([
      'disconnected',
      'disconnected',
      'connected',
    ]);
    await call(
      s.sim,
      'POST',
      `/api/v2/conversations/messages/${id}/communications/${moved.json.communicationId}/messages`,
      {
        token: s.agent,
        body: { textBody: 'Yes, it went through today.' },
      },
    );
    const sent = await call(s.sim, 'GET', `/_sim/messaging/sent?conversationId=${id}`);
    expect(sent.json).toEqual([
      expect.objectContaining({ text: 'Yes, it went through today.', userId: s.sim.demoUser.id }),
    ]);
    const conversation = await call(s.sim, 'GET', `/_sim/messaging/conversations/${id}`);
    expect(conversation.json.messages.map((m: { author: string }) => m.author)).toEqual([
      'customer',
      'bot',
      'agent',
    ]);
    expect((await call(s.sim, 'GET', '/_sim/messaging/conversations/nope')).status).toBe(404);
    expect(
      (await call(s.sim, 'POST', '/_sim/messaging/customer-messages', { body: { text: '' } })).status,
    ).toBe(400);
  });

  it('sets permissions, client scopes and settings', async () => {
    const s = await session();
    const colleague = s.sim.users.find((u) => u.id !== s.sim.demoUser.id) as { id: string; email: string };
    const token = s.sim.control.actAs(colleague.id).accessToken;
    expect((await call(s.sim, 'GET', '/api/v2/conversations/messages', { token })).status).toBe(403);
    await call(s.sim, 'PUT', '/_sim/messaging/permissions', {
      body: { user: colleague.email, enabled: true },
    });
    expect((await call(s.sim, 'GET', '/api/v2/conversations/messages', { token })).status).toBe(200);
    const agents = await call(s.sim, 'GET', '/_sim/messaging/agents');
    expect(
      agents.json
        .filter((a: { permitted: boolean }) => a.permitted)
        .map((a: { userId: string }) => a.userId)
        .sort(),
    ).toEqual([s.sim.demoUser.id, colleague.id].sort());
    await call(s.sim, 'PUT', '/_sim/messaging/client-scopes', {
      body: { clientId: 'narrow', scopes: ['chat'] },
    });
    const narrow = s.sim.control.actAs(s.sim.demoUser.id, { clientId: 'narrow' }).accessToken;
    expect((await call(s.sim, 'GET', '/api/v2/conversations/messages', { token: narrow })).status).toBe(403);
    await call(s.sim, 'PUT', '/_sim/messaging/client-scopes', { body: { clientId: 'narrow', scopes: null } });
    expect((await call(s.sim, 'GET', '/api/v2/conversations/messages', { token: narrow })).status).toBe(200);
    // New conversations go to the agent the settings name.
    await call(s.sim, 'PUT', '/_sim/messaging/settings', {
      body: { agent: colleague.email, alertingTimeoutMs: 5000 },
    });
    const wrote = await customerWrites(s, 'hello');
    const conversation = s.sim.control.messaging.conversation(wrote.json.conversationId);
    expect(conversation.participants.find((p) => p.purpose === 'agent')?.userId).toBe(colleague.id);
    expect(
      (await call(s.sim, 'PUT', '/_sim/messaging/settings', { body: { alertingTimeoutMs: 0 } })).status,
    ).toBe(400);
  });

  it('takes OAuth client scopes and messaging options at start, and refuses bad ones', async () => {
    const sim = await simulator({
      seed: 5,
      clientScopes: { 'tray-app': ['chat'] },
      messaging: { textBody: true },
    });
    const token = sim.control.actAs(sim.demoUser.id, { clientId: 'tray-app' }).accessToken;
    expect((await call(sim, 'GET', '/api/v2/conversations/messages', { token })).json.code).toBe(
      'missing.any.scopes',
    );
    await expect(startSimulator({ messaging: { alertingTimeoutMs: -1 } })).rejects.toThrow(
      /alertingTimeoutMs/,
    );
    await expect(startSimulator({ messaging: { agents: ['nobody@nowhere'] } })).rejects.toThrow(
      /no demo user/,
    );
  });
});

describe('customers in the demo org’s traffic', () => {
  it('are the same for the same seed, and come only while traffic is on', async () => {
    const a = await simulator({ seed: 11 });
    const b = await simulator({ seed: 11 });
    const run = (sim: Simulator): (string | null)[] =>
      Array.from({ length: 6 }, () => sim.control.messaging.customerTick());
    const actions = run(a);
    expect(run(b)).toEqual(actions);
    expect(actions.filter((x) => x?.startsWith('new customer')).length).toBeGreaterThan(0);
    expect(
      b.control.messaging.conversations().map((c) => [c.customer.id, c.messages.map((m) => m.text)]),
    ).toEqual(a.control.messaging.conversations().map((c) => [c.customer.id, c.messages.map((m) => m.text)]));
    expect(a.control.messaging.conversations().length).toBeLessThanOrEqual(3);
    const quiet = await simulator({ seed: 11 });
    await new Promise((r) => setTimeout(r, 50));
    expect(quiet.control.messaging.conversations()).toEqual([]);
    expect(quiet.control.trafficRunning()).toBe(false);
  });

  it('acknowledge the agent’s replies while traffic runs: delivered', async () => {
    const s = await session();
    s.sim.control.startTraffic({ minIntervalMs: 3_600_000, maxIntervalMs: 3_600_000 });
    const written = await customerWrites(s, 'hi there');
    const id = written.json.conversationId;
    const offer = await nextSnapshot(s, id);
    const me = myAgents(offer, s.sim.demoUser.id)[0];
    await call(s.sim, 'PATCH', `/api/v2/conversations/messages/${id}/participants/${me.id}`, {
      token: s.agent,
      body: { state: 'connected' },
    });
    const reply = await call(
      s.sim,
      'POST',
      `/api/v2/conversations/messages/${id}/communications/${me.messages[0].id}/messages`,
      {
        token: s.agent,
        body: { textBody: 'Hello!' },
      },
    );
    await until(
      () =>
        s.sim.control.messaging.conversation(id).messages.find((m) => m.id === reply.json.id)?.status ===
        'delivery-success',
      'a delivery receipt',
      5000,
    );
    s.sim.control.stopTraffic();
  });
});

describe('a customer nobody answers', () => {
  it('gives up after three unanswered offers, so a long demo stays bounded', async () => {
    const sim = await simulator({ seed: 23, messaging: { alertingTimeoutMs: 60_000 } });
    const m = sim.control.messaging;
    const { conversationId } = m.customerWrites({ customer: 'Kenji', text: 'hello?' });
    m.timeoutOffer(conversationId);
    m.offer(conversationId);
    m.timeoutOffer(conversationId);
    m.offer(conversationId);
    m.timeoutOffer(conversationId);
    const actions: (string | null)[] = [];
    for (let i = 0; i < 40 && !m.conversation(conversationId).ended; i++) actions.push(m.customerTick());
    expect(actions).toContain('Kenji gave up waiting');
    expect(m.conversation(conversationId).participants.every((p) => p.state === 'disconnected')).toBe(true);
    expect(actions.filter((a) => a === 'offered Kenji again')).toEqual([]);
  });
});
