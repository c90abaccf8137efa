// Shared wiring of the messaging tests: a simulator, an integration client token, the agent's token
// and socket subscribed to its conversation topics, and customers writing over real HTTP.
import type { Simulator, SimulatorOptions } from '../../../src/simulator/index.ts';
import type { RawResponse } from '../helpers.ts';
import { call, isTopic, SocketProbe, startTestSimulator } from '../helpers.ts';

/** A parsed JSON body as the tests read it (shapes are checked by the conformance test). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = any;

export interface MessagingSession {
  sim: Simulator;
  integrationId: string;
  /** A client-credentials token (the Open Messaging integration's). */
  client: string;
  /** The demo user's token. */
  agent: string;
  /** The demo user's socket, subscribed to its conversation and customer-typing topics. */
  socket: SocketProbe;
  conversationsTopic: string;
  close: () => Promise<void>;
}

export async function startMessagingSession(options: SimulatorOptions = {}): Promise<MessagingSession> {
  const sim = await startTestSimulator({ rateLimitPerMinute: null, ...options });
  const client = sim.control.clientToken('open-messaging-integration').accessToken;
  const agent = sim.control.actAs(sim.demoUser.id).accessToken;
  const socket = await subscribe(sim, agent, sim.demoUser.id);
  return {
    sim,
    integrationId: sim.control.messaging.integration().id,
    client,
    agent,
    socket,
    conversationsTopic: `v2.users.${sim.demoUser.id}.conversations`,
    close: async () => {
      socket.close();
      await sim.close();
    },
  };
}

/** A notification channel for `userId`, connected and subscribed to its messaging topics. */
export async function subscribe(sim: Simulator, token: string, userId: string): Promise<SocketProbe> {
  const channel = await call(sim, 'POST', '/api/v2/notifications/channels', { token });
  const socket = new SocketProbe(channel.json.connectUri);
  await socket.opened;
  const topics = [
    `v2.users.${userId}.conversations`,
    `v2.users.${userId}.conversations.inbound.typing.event`,
  ];
  const answer = await call(sim, 'PUT', `/api/v2/notifications/channels/${channel.json.id}/subscriptions`, {
    token,
    body: topics.map((id) => ({ id })),
  });
  if (answer.status !== 200) {
    socket.close();
    throw new Error(`subscribing failed: ${answer.status} ${answer.text}`);
  }
  // Topics answered as ChannelTopic { id, state, rejectionReason }: only Permitted ones count.
  const entities = (answer.json.entities ?? []) as { id: string; state?: string; rejectionReason?: string }[];
  const refused = topics.filter((t) => {
    const entry = entities.find((e) => e.id === t);
    return !entry || (entry.state !== undefined && entry.state !== 'Permitted');
  });
  if (refused.length > 0) {
    socket.close();
    throw new Error(`subscribing failed: ${JSON.stringify(answer.json)}`);
  }
  return socket;
}

export interface Customer {
  id: string;
  idType: 'Phone' | 'Email' | 'Opaque';
  nickname?: string;
}

export const MAYA: Customer = { id: '+14155550199', idType: 'Phone', nickname: 'Maya T.' };

/** A customer's message through the inbound Open Messaging API. */
export function customerWrites(
  s: MessagingSession,
  text: string,
  customer: Customer = MAYA,
  extra: { providerMessageId?: string; prefetch?: boolean; token?: string } = {},
): Promise<RawResponse> {
  const query = extra.prefetch === false ? '' : '?prefetchConversationId=true';
  return call(
    s.sim,
    'POST',
    `/api/v2/conversations/messages/${s.integrationId}/inbound/open/message${query}`,
    {
      token: extra.token ?? s.client,
      body: {
        channel: {
          from: customer,
          time: new Date().toISOString(),
          ...(extra.providerMessageId ? { messageId: extra.providerMessageId } : {}),
        },
        text,
      },
    },
  );
}

/** The next snapshot event of a conversation that satisfies `match`. */
export async function nextSnapshot(
  s: MessagingSession,
  conversationId: string,
  match: (body: Body) => boolean = () => true,
): Promise<Body> {
  const frame = await s.socket.next(
    (m: Body) => isTopic(s.conversationsTopic)(m) && m.eventBody.id === conversationId && match(m.eventBody),
  );
  return frame.eventBody;
}

/** The demo user's agent participants in a snapshot or generic conversation, oldest first. */
export function myAgents(body: Body, userId: string): Body[] {
  return body.participants.filter((p: Body) => p.purpose === 'agent' && p.userId === userId);
}
export function byPurpose(body: Body, purpose: string): Body {
  return body.participants.find((p: Body) => p.purpose === purpose);
}

/** A customer writes and the demo user accepts the offer; returns the ids a reply needs. */
export async function acceptedConversation(
  s: MessagingSession,
  text = 'Hello, where is my order?',
  customer: Customer = MAYA,
): Promise<{
  conversationId: string;
  participantId: string;
  communicationId: string;
  firstMessageId: string;
}> {
  const written = await customerWrites(s, text, customer);
  const conversationId = written.json.conversationId as string;
  const offer = await nextSnapshot(s, conversationId, (b) => myAgents(b, s.sim.demoUser.id).length > 0);
  const me = myAgents(offer, s.sim.demoUser.id).at(-1);
  const patched = await call(
    s.sim,
    'PATCH',
    `/api/v2/conversations/messages/${conversationId}/participants/${me.id}`,
    {
      token: s.agent,
      body: { state: 'connected' },
    },
  );
  if (patched.status !== 202) throw new Error(`accept failed: ${patched.status} ${patched.text}`);
  await nextSnapshot(
    s,
    conversationId,
    (b) => myAgents(b, s.sim.demoUser.id).at(-1).messages[0].state === 'connected',
  );
  return {
    conversationId,
    participantId: me.id,
    communicationId: me.messages[0].id,
    firstMessageId: written.json.id,
  };
}
