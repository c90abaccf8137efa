// Conformance: a realistic messaging session driven with the official SDK's ConversationsApi (a
// customer writes → offer → accept → text reads → typing → reply → receipts → end → wrap-up; a
// decline; a timeout; a re-route; the refusals), where every REST answer and every event the
// simulator produces passes modelProblems for its SDK model (no field the model lacks, right types,
// required fields present) and the documented enum values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enumProblems } from '../../support/messaging-enums.ts';
import { modelProblems } from '../../support/sdk-models.ts';
import { until } from '../../support/wait.ts';
import type { Sdk } from '../helpers.ts';
import { loadSdk, rejection } from '../helpers.ts';
import type { MessagingSession } from './session.ts';
import type { Customer } from './session.ts';
import { byPurpose, MAYA, myAgents, nextSnapshot, startMessagingSession, subscribe } from './session.ts';
import type { SocketProbe } from '../helpers.ts';

let s: MessagingSession;
let sdk: Sdk;
let api: InstanceType<Sdk['ConversationsApi']>;
let capture: SocketProbe;
const checked: { model: string; value: unknown; where: string }[] = [];

/** Records an answer for the model check at the end and hands it back. */
function answer<T>(model: string, where: string, value: T): T {
  checked.push({ model, value, where });
  return value;
}

const as = (token: string): void => sdk.ApiClient.setAccessToken(token);
const now = (): string => new Date().toISOString();

beforeAll(async () => {
  s = await startMessagingSession({ messaging: { alertingTimeoutMs: 60_000 } });
  sdk = await loadSdk(s.sim);
  api = new sdk.ConversationsApi();
  capture = await subscribe(s.sim, s.agent, s.sim.demoUser.id);
});
afterAll(async () => {
  capture.close();
  await s.close();
});

async function customerWrites(
  text: string,
  customer = MAYA,
): Promise<{ id: string; conversationId: string }> {
  as(s.client);
  const sent = await api.postConversationsMessageInboundOpenMessage(
    s.integrationId,
    { channel: { from: customer, time: now() }, text },
    { prefetchConversationId: true },
  );
  answer('OpenMessageNormalizedMessage', 'inbound message', sent);
  return { id: sent.id ?? '', conversationId: sent.conversationId ?? '' };
}

describe('a realistic messaging session through the official SDK', () => {
  it('customer writes, the agent accepts, reads, types, replies, gets receipts, ends and wraps up', async () => {
    as(s.client);
    const integrations = answer(
      'OpenIntegrationEntityListing',
      'integrations',
      await api.getConversationsMessagingIntegrationsOpen(),
    );
    expect(integrations.entities?.[0]?.id).toBe(s.integrationId);

    const first = await customerWrites('Hi, my order #48213 has not arrived.');
    const offer = await nextSnapshot(s, first.conversationId);
    const me = myAgents(offer, s.sim.demoUser.id)[0];

    as(s.agent);
    const listing = answer(
      'MessageConversationEntityListing',
      'active listing',
      await api.getConversationsMessages(),
    );
    expect(listing.entities?.map((e) => e.id)).toEqual([first.conversationId]);
    answer(
      'MessageConversation',
      'one conversation',
      await api.getConversationsMessage(first.conversationId),
    );
    answer('Conversation', 'generic (alerting)', await api.getConversation(first.conversationId));

    await api.patchConversationsMessageParticipant(first.conversationId, me.id, {
      body: { state: 'connected' },
    });
    await nextSnapshot(
      s,
      first.conversationId,
      (b) => myAgents(b, s.sim.demoUser.id)[0].messages[0].state === 'connected',
    );
    const generic = answer(
      'Conversation',
      'generic (connected)',
      await api.getConversation(first.conversationId),
    );
    const communicationId = generic.participants.find((p) => p.id === me.id)?.messages?.[0]?.id ?? '';
    expect(communicationId).toBe(me.messages[0].id);

    const second = await customerWrites('It was due on Monday.');
    as(s.client);
    answer(
      'OpenMessageNormalizedMessage',
      'inbound attachment',
      await api.postConversationsMessageInboundOpenMessage(s.integrationId, {
        channel: { from: MAYA, time: now() },
        content: [
          {
            attachment: {
              mediaType: 'Image',
              url: 'https://media.example/parcel.png',
              mime: 'image/png',
              filename: 'parcel.png',
            },
          },
        ],
      }),
    );
    answer(
      'OpenEventNormalizedMessage',
      'inbound typing',
      await api.postConversationsMessageInboundOpenEvent(s.integrationId, {
        channel: { from: MAYA, time: now() },
        events: [{ eventType: 'Typing' }],
      }),
    );

    as(s.agent);
    const text = answer(
      'MessageData',
      'one message',
      await api.getConversationsMessageMessage(first.conversationId, first.id),
    );
    expect(text.normalizedMessage?.text).toBe('Hi, my order #48213 has not arrived.');
    answer('MessageData', 'details', await api.getConversationsMessageDetails(second.id));
    await api.postConversationsMessageCommunicationTyping(first.conversationId, communicationId, {
      typing: { type: 'On' },
    });
    const reply = answer(
      'MessageData',
      'reply',
      await api.postConversationsMessageCommunicationMessages(first.conversationId, communicationId, {
        textBody: 'Sorry about that, Maya. Checking with the carrier now.',
      }),
    );

    as(s.client);
    answer(
      'OpenReceiptNormalizedMessage',
      'receipt',
      await api.postConversationsMessageInboundOpenReceipt(s.integrationId, {
        id: reply.id ?? '',
        channel: { to: { id: MAYA.id, idType: MAYA.idType }, time: now() },
        status: 'Delivered',
      }),
    );
    await nextSnapshot(s, first.conversationId, (b) =>
      myAgents(b, s.sim.demoUser.id)[0].messages[0].messages.some(
        (m: { messageStatus: string }) => m.messageStatus === 'delivery-success',
      ),
    );

    as(s.agent);
    const conversation = s.sim.control.messaging.conversation(first.conversationId);
    const bulk = answer(
      'TextMessageListing',
      'bulk',
      await api.postConversationsMessageMessagesBulk(first.conversationId, {
        body: conversation.messages.map((m) => m.id),
      }),
    );
    expect(bulk.entities).toHaveLength(conversation.messages.length);
    expect(bulk.entities?.some((m) => m.normalizedMessage?.originatingEntity === 'Bot')).toBe(true);
    expect(
      bulk.entities?.some((m) => m.normalizedMessage?.content?.[0]?.attachment?.mediaType === 'Image'),
    ).toBe(true);

    await api.patchConversationsMessageParticipant(first.conversationId, me.id, {
      body: { state: 'disconnected' },
    });
    const ended = await nextSnapshot(
      s,
      first.conversationId,
      (b) => myAgents(b, s.sim.demoUser.id)[0].wrapupRequired === true,
    );
    // When the user was connected: what judges a customer message read late (messaging/presence.ts).
    const span = (c: { connectedTime?: string; disconnectedTime?: string }) => [
      Date.parse(c.connectedTime ?? ''),
      Date.parse(c.disconnectedTime ?? ''),
    ];
    const [from, to] = span(myAgents(ended, s.sim.demoUser.id)[0].messages[0]);
    const written = Date.parse(
      byPurpose(ended, 'customer').messages[0].messages.find(
        (m: { messageId: string }) => m.messageId === second.id,
      ).messageTime,
    );
    expect(from).toBeLessThanOrEqual(written);
    expect(written).toBeLessThanOrEqual(to!);
    answer(
      'MessageConversationEntityListing',
      'listing owing a wrap-up',
      await api.getConversationsMessages(),
    );
    const codes = await api.getConversationsMessageParticipantWrapupcodes(first.conversationId, me.id);
    for (const code of codes) answer('WrapupCode', 'wrap-up codes', code);
    await api.postConversationsMessageParticipantCommunicationWrapup(
      first.conversationId,
      me.id,
      communicationId,
      {
        body: { code: codes[0]?.id, notes: 'Carrier re-routed the parcel.' },
      },
    );
    answer(
      'AssignedWrapupCode',
      'communication wrap-up',
      await api.getConversationsMessageParticipantCommunicationWrapup(
        first.conversationId,
        me.id,
        communicationId,
      ),
    );
    answer(
      'AssignedWrapupCode',
      'participant wrap-up',
      await api.getConversationsMessageParticipantWrapup(first.conversationId, me.id),
    );
    answer(
      'MessageConversation',
      'ended conversation',
      await api.getConversationsMessage(first.conversationId),
    );
    const endedGeneric = answer(
      'Conversation',
      'ended generic',
      await api.getConversation(first.conversationId),
    );
    const mine = endedGeneric.participants.find((p) => p.id === me.id)?.messages?.[0];
    expect(span(mine ?? {})).toEqual([from, to]);
    expect((await api.getConversationsMessages()).entities).toEqual([]);
  });

  it('a decline, a timeout and a re-route', async () => {
    const jo: Customer = { id: 'jo@mail.example', idType: 'Email', nickname: 'Jo' };
    const declined = await customerWrites('Can I change my address?', jo);
    const offer = await nextSnapshot(s, declined.conversationId);
    as(s.agent);
    await api.patchConversationsMessageParticipant(
      declined.conversationId,
      myAgents(offer, s.sim.demoUser.id)[0].id,
      {
        body: { state: 'disconnected' },
      },
    );
    await nextSnapshot(
      s,
      declined.conversationId,
      (b) => myAgents(b, s.sim.demoUser.id)[0].messages[0].state === 'disconnected',
    );
    answer('MessageConversation', 'declined', await api.getConversationsMessage(declined.conversationId));

    const kenji: Customer = { id: 'cust-19be04', idType: 'Opaque', nickname: 'Kenji' };
    const timedOut = await customerWrites('Hello?', kenji);
    await nextSnapshot(s, timedOut.conversationId);
    s.sim.control.messaging.timeoutOffer(timedOut.conversationId);
    await nextSnapshot(
      s,
      timedOut.conversationId,
      (b) => myAgents(b, s.sim.demoUser.id)[0].messages[0].state === 'disconnected',
    );
    as(s.agent);
    answer('Conversation', 'timed out', await api.getConversation(timedOut.conversationId));

    const again = s.sim.control.messaging.offer(timedOut.conversationId);
    await api.patchConversationsMessageParticipant(timedOut.conversationId, again.id, {
      body: { state: 'connected' },
    });
    const moved = s.sim.control.messaging.reroute(timedOut.conversationId, { state: 'alerting' });
    await nextSnapshot(s, timedOut.conversationId, (b) => myAgents(b, s.sim.demoUser.id).length === 3);
    expect(moved.state).toBe('alerting');
    answer('Conversation', 're-routed', await api.getConversation(timedOut.conversationId));
    answer(
      'MessageConversationEntityListing',
      'listing with a re-route',
      await api.getConversationsMessages(),
    );
  });

  it('refusals are Genesys error bodies', async () => {
    as(s.agent);
    const [conversation] = s.sim.control.messaging.conversations();
    const customer = conversation?.participants.find((p) => p.purpose === 'customer');
    const refused = await rejection(
      api.postConversationsMessageCommunicationMessages(
        conversation?.id ?? '',
        customer?.communicationId ?? '',
        { textBody: 'x' },
      ),
    );
    expect(refused.status).toBe(403);
    answer('ErrorBody', 'not yours', refused);
    const twoFields = await rejection(
      api.postConversationsMessageCommunicationMessages(
        conversation?.id ?? '',
        customer?.communicationId ?? '',
        {
          textBody: 'x',
          mediaIds: ['m'],
        },
      ),
    );
    answer('ErrorBody', 'two fields', twoFields);
  });

  it('every answer and every event matched its official model', async () => {
    // The capture socket has seen the last change (the re-route) too.
    await until(
      () =>
        capture.received.some(
          (m) =>
            m?.eventBody?.participants?.filter((p: { purpose: string }) => p.purpose === 'agent').length ===
            3,
        ),
      'the re-route on the capture socket',
    );
    const frames = capture.received.filter(
      (m) => typeof m === 'object' && m.topicName !== 'channel.metadata',
    );
    for (const frame of frames) {
      const model = frame.topicName.endsWith('.inbound.typing.event')
        ? 'V2ConversationMessageTypingEventForUserTopicMessageData'
        : 'ConversationEventTopicConversation';
      checked.push({ model, value: frame.eventBody, where: `event ${frame.topicName}` });
    }
    expect(frames.filter((f) => f.topicName === s.conversationsTopic).length).toBeGreaterThanOrEqual(15);
    expect(frames.some((f) => f.topicName.endsWith('.inbound.typing.event'))).toBe(true);
    const problems = checked.flatMap(({ model, value, where }) =>
      [...modelProblems(model, value), ...enumProblems(model, value)].map((p) => `${where}: ${p}`),
    );
    expect(problems).toEqual([]);
    expect(new Set(checked.map((c) => c.model)).size).toBeGreaterThanOrEqual(13);
  });
});
