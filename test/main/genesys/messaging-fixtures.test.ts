// The app's messaging client reads every fixture of test/fixtures/genesys/messaging/ (the official
// models, not our simulator) over a real socket into the messaging source's types, sends its request
// bodies in the fixtures' shapes, turns every refusal into an error with the fixture's status and
// code, and counts what it cannot read instead of dropping it.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GenesysError } from '../../../src/main/genesys/http.ts';
import { BULK_MAX, MessagingApi } from '../../../src/main/genesys/messaging/api.ts';
import { readSnapshot } from '../../../src/main/genesys/messaging/snapshot.ts';
import { loadFixtures, fixture } from '../../support/fixtures.ts';
import { FixtureServer } from '../../support/fixture-server.ts';

const ME = '6f1d2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b';
const CONV = '3e8f1c2a-9b7d-4f60-8a1e-5c4d3b2a1f09';
const AGENT_PARTICIPANT = '07b8c9d0-e1f2-4a3b-8c4d-6e7f8091a2b3';
const AGENT_COMM = '18c9d0e1-f2a3-4b4c-9d5e-7f8091a2b3c4';
const M = '/api/v2/conversations/messages';

const value = (file: string): unknown => fixture(`messaging/${file}`).value;
/** Every fixture a test below reads; the last test checks none is left out. */
const covered = new Set<string>();
const use = (file: string): unknown => {
  covered.add(file);
  return value(file);
};

let server: FixtureServer;
beforeAll(async () => {
  server = await new FixtureServer().start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function client() {
  const c = server.client();
  return { ...c, api: new MessagingApi(c.http) };
}

describe('snapshot events (ConversationEventTopicConversation)', () => {
  const events = loadFixtures('messaging').filter(
    (f) => f.file.startsWith('messaging/event-') && f.model === 'ConversationEventTopicConversation',
  );
  it.each(events.map((f) => f.file.slice('messaging/'.length)))('%s reads without a surprise', (file) => {
    const frame = use(file) as { eventBody: unknown };
    const surprises: string[] = [];
    const s = readSnapshot(frame.eventBody, 'push', (kind) => surprises.push(kind));
    expect(surprises).toEqual([]);
    expect(s?.conversationId).toBe(CONV);
    const mine = s!.participants.filter((p) => p.purpose === 'agent' && p.userId === ME);
    expect(mine.length).toBeGreaterThan(0);
    expect(
      s!.participants.find((p) => p.purpose === 'customer')?.communications[0]?.messages.length,
    ).toBeGreaterThan(0);
  });

  it('keeps the communication ids, states, channel, timeout and wrap-up need', () => {
    const offer = readSnapshot(
      (use('event-offer-alerting.json') as { eventBody: unknown }).eventBody,
      'push',
      () => {},
    );
    const agent = offer!.participants.at(-1)!;
    expect(agent).toMatchObject({
      id: AGENT_PARTICIPANT,
      userId: ME,
      alertingTimeoutMs: 30000,
      purpose: 'agent',
    });
    expect(agent.communications[0]).toMatchObject({ id: AGENT_COMM, state: 'alerting', channel: 'open' });
    const ended = readSnapshot(
      (use('event-disconnected-wrapup-required.json') as { eventBody: unknown }).eventBody,
      'push',
      () => {},
    );
    expect(ended!.participants.at(-1)).toMatchObject({ wrapupRequired: true, wrapupGiven: false });
    expect(ended!.participants.at(-1)!.communications[0]).toMatchObject({
      state: 'disconnected',
      disconnectType: 'client',
      // When the user was connected (ConversationEventTopicMessage.connectedTime, disconnectedTime).
      connectedAt: Date.parse('2026-03-02T14:05:19.532Z'),
      disconnectedAt: Date.parse('2026-03-02T14:09:30.771Z'),
    });
    // A communication that never connected (an offer that timed out) has no connectedTime.
    const timedOut = readSnapshot(
      (use('event-offer-timed-out.json') as { eventBody: unknown }).eventBody,
      'push',
      () => {},
    );
    const comm = timedOut!.participants.at(-1)!.communications[0]!;
    expect(comm).toMatchObject({ disconnectedAt: Date.parse('2026-03-02T14:05:42.010Z') });
    expect(comm.connectedAt).toBeUndefined();
  });

  it('counts an odd participant or message and keeps the rest', () => {
    const frame = structuredClone(value('event-connected-messages.json')) as {
      eventBody: { participants: Record<string, unknown>[] };
    };
    frame.eventBody.participants.splice(1, 0, { purpose: 'agent' }); // no id
    const customer = frame.eventBody.participants[0] as { messages: { messages: unknown[] }[] };
    customer.messages[0]!.messages.push({ messageTime: 'x' }); // no messageId
    const surprises: string[] = [];
    const s = readSnapshot(frame.eventBody, 'push', (kind) => surprises.push(kind));
    expect(surprises.sort()).toEqual(['push: message details', 'push: participant']);
    expect(s!.participants).toHaveLength(4);
    expect(s!.participants[0]!.communications[0]!.messages).toHaveLength(2);
  });
});

describe('REST answers', () => {
  it('the active listing gives the conversation ids (recovery)', async () => {
    server.on('GET', /^\/api\/v2\/conversations\/messages$/, { body: use('rest-messages-active.json') });
    const { api, stats } = client();
    const ids = await api.activeConversationIds();
    expect(ids.length).toBe(2);
    expect(ids[0]).toBe(CONV);
    expect(stats.total()).toBe(0);
  });

  it('the active listing fingerprints each entry: participants’ states, wrap-ups, message ids and statuses', async () => {
    const listing = use('rest-messages-active.json') as { entities: { participants: unknown[] }[] };
    server.on('GET', /^\/api\/v2\/conversations\/messages$/, { body: listing });
    const { api, stats } = client();
    const [first] = await api.activeConversations();
    expect(first!.fingerprint).toContain('4bf2a3b4-c5d6-4e7f-8a81-a2b3c4d5e6f7/received');
    // A status change, a new state or an entry without participants: another (or no) fingerprint.
    const changed = structuredClone(listing);
    const p = changed.entities[0]!.participants[0] as { messages: { messageStatus: string }[] };
    p.messages[0]!.messageStatus = 'read';
    changed.entities[1]!.participants = [];
    server.on('GET', /^\/api\/v2\/conversations\/messages$/, { body: changed });
    const [again, thin] = await api.activeConversations();
    expect(again!.fingerprint).not.toBe(first!.fingerprint);
    expect(thin!.fingerprint).toBeUndefined();
    expect(stats.total()).toBe(0);
  });

  it('the generic conversation gives the communications; the messaging one is read by id only', async () => {
    server.on('GET', /^\/api\/v2\/conversations\/[^/]+$/, { body: use('rest-conversation-generic.json') });
    const { api, stats } = client();
    const s = await api.conversation(CONV);
    const agent = s!.participants.find((p) => p.userId === ME)!;
    expect(agent.communications[0]).toMatchObject({
      id: AGENT_COMM,
      state: 'connected',
      alertingSince: Date.parse('2026-03-02T14:05:12.010Z'),
    });
    expect(stats.total()).toBe(0);
  });

  it('the generic conversation read after the end says when the user was connected, and what was written then', async () => {
    server.on('GET', /^\/api\/v2\/conversations\/[^/]+$/, {
      body: use('rest-conversation-wrapped-up-late-message.json'),
    });
    const { api, stats } = client();
    const s = await api.conversation(CONV);
    const agent = s!.participants.find((p) => p.userId === ME)!;
    expect(agent).toMatchObject({ wrapupRequired: true, wrapupGiven: true });
    expect(agent.communications[0]).toMatchObject({
      state: 'disconnected',
      connectedAt: Date.parse('2026-03-02T14:05:19.532Z'),
      disconnectedAt: Date.parse('2026-03-02T14:09:30.771Z'),
    });
    const customer = s!.participants.find((p) => p.purpose === 'customer')!;
    expect(customer.communications[0]!.messages.at(-1)).toEqual({
      id: '8a0e1f2b-3c4d-4e5f-9a6b-7c8d9e0f1a2b',
      at: Date.parse('2026-03-02T14:08:55.402Z'),
      status: 'received',
    });
    expect(stats.total()).toBe(0);
  });

  it('the messaging conversation (endpoint 12) says who wrote which message ids', async () => {
    server.on('GET', /^\/api\/v2\/conversations\/messages\/[^/]+$/, {
      body: use('rest-message-conversation.json'),
    });
    const { api, stats } = client();
    const who = await api.messageConversation(CONV);
    expect(who.map((p) => [p.purpose, p.messageIds.length])).toEqual([
      ['customer', 2],
      ['workflow', 1],
      ['acd', 0],
      ['agent', 1],
    ]);
    expect(who.at(-1)!.userId).toBe(ME);
    expect(stats.total()).toBe(0);
  });

  it('one message: normalizedMessage.text, textBody as fallback, attachments as links', async () => {
    server.on('GET', /\/messages\/4bf2/, { body: use('rest-message-data-customer.json') });
    server.on('GET', /\/messages\/7ec5/, { body: use('rest-message-data-textbody-legacy.json') });
    server.on('GET', /\/messages\/8fd6/, { body: use('rest-message-data-attachment.json') });
    const { api, stats } = client();
    await expect(api.message(CONV, '4bf2a3b4-c5d6-4e7f-8a81-a2b3c4d5e6f7')).resolves.toMatchObject({
      author: 'customer',
      text: 'Hi, my order #48213 still shows as processing after five days. Can you check?',
      attachments: [],
      at: Date.parse('2026-03-02T14:05:11.204Z'),
    });
    await expect(api.message(CONV, '7ec5d6e7-f8a9-41a2-9db4-d5e6f7a8b9c0')).resolves.toMatchObject({
      text: 'Thanks! Any idea how long that will take?',
    });
    await expect(api.message(CONV, '8fd6e7f8-a9b0-42b3-8ec5-e6f7a8b9c0d1')).resolves.toMatchObject({
      text: '',
      attachments: [
        {
          label: 'screenshot-error.png',
          url: 'https://media.northwind-demo.example/uploads/screenshot-error.png',
          mime: 'image/png',
          mediaType: 'Image',
        },
      ],
    });
    expect(stats.total()).toBe(0);
  });

  it('bulk: sorted by timestamp whatever the order, authors told apart, ids sent as a bare array', async () => {
    server.on('POST', /\/messages\/bulk$/, { body: use('rest-messages-bulk.json') });
    const { api, stats } = client();
    const ids = use('request-messages-bulk.json') as string[];
    const entries = await api.messages(CONV, ids);
    expect(server.requests[0]!.body).toEqual(ids);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort((a, b) => a - b));
    expect(entries.map((e) => e.author)).toEqual(['customer', 'customer', 'bot', 'agent', 'customer']);
    expect(entries.find((e) => e.author === 'agent')).toMatchObject({ status: 'read' });
    expect(stats.total()).toBe(0);
  });

  it(`bulk: more than ${BULK_MAX} ids take more requests, none over the limit`, async () => {
    server.on('POST', /\/messages\/bulk$/, { body: { entities: [] } });
    const { api } = client();
    const ids = Array.from({ length: 2_345 }, (_, i) => `m-${i}`);
    await api.messages(CONV, ids);
    expect(server.requests.map((r) => (r.body as string[]).length)).toEqual([1000, 1000, 345]);
    expect(new Set(server.requests.flatMap((r) => r.body as string[])).size).toBe(2_345);
  });

  it('a reply sends exactly textBody and reads the sent message', async () => {
    server.on('POST', /\/communications\/[^/]+\/messages$/, { body: use('rest-send-message-response.json') });
    const { api } = client();
    const body = use('request-send-message.json') as { textBody: string };
    const sent = await api.send(CONV, AGENT_COMM, body.textBody);
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      url: `${M}/${CONV}/communications/${AGENT_COMM}/messages`,
      body,
    });
    expect(sent).toMatchObject({ author: 'agent', status: 'sent', text: body.textBody });
  });

  it('typing, accept, decline/end, wrap-up and a communication’s disconnect send the fixtures’ bodies', async () => {
    server.on('POST', /\/typing$/, { status: 202 });
    server.on('PATCH', /\/participants\/[^/]+$/, { status: 202 });
    server.on('PATCH', /\/communications\/[^/]+$/, { status: 202, body: {} });
    server.on('POST', /\/wrapup$/, { status: 202 });
    const { api } = client();
    await api.typing(CONV, AGENT_COMM);
    await api.setParticipantState(CONV, AGENT_PARTICIPANT, 'connected');
    await api.setParticipantState(CONV, AGENT_PARTICIPANT, 'disconnected');
    const wrap = use('request-wrapup.json') as { code: string; notes: string };
    await api.wrapup(CONV, AGENT_PARTICIPANT, AGENT_COMM, wrap);
    await api.disconnectCommunication(CONV, AGENT_PARTICIPANT, AGENT_COMM);
    expect(server.requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', `${M}/${CONV}/communications/${AGENT_COMM}/typing`, use('request-typing.json')],
      ['PATCH', `${M}/${CONV}/participants/${AGENT_PARTICIPANT}`, use('request-participant-accept.json')],
      ['PATCH', `${M}/${CONV}/participants/${AGENT_PARTICIPANT}`, use('request-participant-disconnect.json')],
      ['POST', `${M}/${CONV}/participants/${AGENT_PARTICIPANT}/communications/${AGENT_COMM}/wrapup`, wrap],
      [
        'PATCH',
        `${M}/${CONV}/participants/${AGENT_PARTICIPANT}/communications/${AGENT_COMM}`,
        use('request-participant-disconnect.json'),
      ],
    ]);
  });

  it('wrap-up codes (a bare array) and the wrap-up given; 204 is "none yet"', async () => {
    server.on('GET', /\/wrapupcodes$/, { body: use('rest-wrapup-codes.json') });
    server.on('GET', /\/communications\/[^/]+\/wrapup$/, { body: use('rest-wrapup-assigned.json') });
    server.on('GET', /\/participants\/[^/]+\/wrapup$/, { status: 204 });
    const { api, stats } = client();
    const codes = await api.wrapupCodes(CONV, AGENT_PARTICIPANT);
    expect(codes.map((c) => c.name)).toEqual(['Resolved', 'Follow-up needed', 'Escalated']);
    expect(codes[0]!.id).toBe('9ae7f8a9-b0c1-43c4-9fd6-f7a8b9c0d1e2');
    await expect(api.assignedWrapup(CONV, AGENT_PARTICIPANT, AGENT_COMM)).resolves.toEqual({
      code: '9ae7f8a9-b0c1-43c4-9fd6-f7a8b9c0d1e2',
      notes: 'Order 48213 re-shipped; tracking sent.',
    });
    await expect(api.assignedWrapup(CONV, AGENT_PARTICIPANT)).resolves.toBeUndefined();
    expect(stats.total()).toBe(0);
  });

  it('an odd entity in a listing is counted, the others kept', async () => {
    const listing = structuredClone(value('rest-messages-bulk.json')) as { entities: unknown[] };
    listing.entities.push({ timestamp: 5 });
    server.on('POST', /\/messages\/bulk$/, { body: listing });
    const { api, stats } = client();
    const entries = await api.messages(CONV, ['a']);
    expect(entries).toHaveLength(5);
    expect(stats.snapshot().map((s) => s.kind)).toEqual([
      'POST /api/v2/conversations/messages/{id}/messages/bulk: entity',
    ]);
  });
});

describe('refusals keep the status and code of their fixture', () => {
  const errors = loadFixtures('messaging').filter((f) => f.file.startsWith('messaging/error-'));
  it.each(errors.map((f) => f.file.slice('messaging/'.length)))('%s', async (file) => {
    const body = use(file) as { status: number; code: string; message: string };
    server.on('GET', /.*/, { status: body.status, body });
    server.on('POST', /.*/, { status: body.status, body });
    const { api } = client();
    const call = file.includes('missing') ? api.activeConversationIds() : api.send(CONV, AGENT_COMM, 'hi');
    const err = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GenesysError);
    expect(err).toMatchObject({ kind: 'http', status: body.status, code: body.code, message: body.message });
  });
});

describe('what the app never calls', () => {
  it('the inbound Open Messaging endpoints and the integrations (client credentials) are not in the client', () => {
    const source = readFileSync(
      new URL('../../../src/main/genesys/messaging/api.ts', import.meta.url),
      'utf8',
    );
    expect(source).not.toMatch(/inbound|integrations|agentless/);
    // Nor the PATCH of a whole conversation (it disconnects everyone): every PATCH names a participant.
    for (const m of source.matchAll(/method: 'PATCH',\s*path: `([^`]*)`/g))
      expect(m[1]).toContain('/participants/');
    for (const file of [
      'request-inbound-open-event.json',
      'request-inbound-open-message.json',
      'request-inbound-open-message-attachment.json',
      'request-inbound-open-receipt.json',
      'rest-inbound-open-event-response.json',
      'rest-inbound-open-message-response.json',
      'rest-inbound-open-receipt-response.json',
      'rest-open-integrations.json',
    ]) {
      expect(fixture(`messaging/${file}`).endpoint).toMatch(/inbound|integrations/);
      covered.add(file);
    }
  });

  it('the customer typing event is not a snapshot: it reads as a counted surprise, never a conversation', () => {
    const frame = use('event-inbound-typing.json') as { eventBody: unknown };
    const surprises: string[] = [];
    expect(readSnapshot(frame.eventBody, 'push', (k) => surprises.push(k))).toBeUndefined();
    expect(surprises).toEqual(['push']);
  });
});

describe('coverage', () => {
  it('every messaging fixture is read by a test above', () => {
    const all = loadFixtures('messaging').map((f) => f.file.slice('messaging/'.length));
    expect(all.length).toBe(40);
    expect(all.filter((f) => !covered.has(f))).toEqual([]);
  });
});
