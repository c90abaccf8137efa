// Notification channels, subscriptions and the socket: events, badges, heartbeat, closing, 404s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.ts';
import type { Sdk } from './helpers.ts';
import { call, isTopic, loadSdk, rejection, SocketProbe, startTestSimulator } from './helpers.ts';

let sim: Simulator;
let sdk: Sdk;
let notifications: InstanceType<Sdk['NotificationsApi']>;
let token: string;
let room: { id: string; jid: string; roomType: string; colleague: string };
const probes: SocketProbe[] = [];

function probe(url: string): SocketProbe {
  const p = new SocketProbe(url);
  probes.push(p);
  return p;
}

beforeAll(async () => {
  sim = await startTestSimulator({ heartbeatIntervalMs: 150, socketClosingGraceMs: 100 });
  sdk = await loadSdk(sim);
  token = sim.control.actAs(sim.demoUser.id).accessToken;
  sdk.ApiClient.setAccessToken(token);
  notifications = new sdk.NotificationsApi();
  const support = sim.control.chats().find((c) => c.name === 'Support Team');
  room = {
    id: support?.id ?? '',
    jid: support?.jid ?? '',
    roomType: support?.roomType ?? '',
    colleague: support?.participants.find((p) => p !== sim.demoUser.id) ?? '',
  };
});
afterAll(async () => {
  for (const p of probes) p.close();
  await sim.close();
});

const roomTopic = (ref: string): string =>
  `v2.detail.events.collaboratechat.${room.roomType}.${ref}.messages`;
const badgeTopic = (): string => `v2.users.${sim.demoUser.id}.badges.chats`;

describe('channels over REST', () => {
  it('creates, lists and checks channels', async () => {
    const channel = await notifications.postNotificationsChannels();
    expect(channel.connectUri).toBe(`ws://127.0.0.1:${sim.port}/channels/${channel.id}`);
    expect(Date.parse(channel.expires ?? '')).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    const listed = await notifications.getNotificationsChannels();
    expect(listed.entities?.map((c) => c.id)).toContain(channel.id);
    await notifications.headNotificationsChannel(channel.id ?? '');
    // A HEAD 404 has no body, so the SDK rejects with undefined.
    await expect(notifications.headNotificationsChannel('nope')).rejects.toBeUndefined();
    const head = await fetch(`${sim.url}/api/v2/notifications/channels/nope`, {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(head.status).toBe(404);
    // Another user does not see (or reach) this channel.
    const other = sim.control.actAs(room.colleague).accessToken;
    expect(
      (await call(sim, 'GET', '/api/v2/notifications/channels', { token: other })).json.entities,
    ).toEqual([]);
    expect(
      (await call(sim, 'GET', `/api/v2/notifications/channels/${channel.id}/subscriptions`, { token: other }))
        .status,
    ).toBe(404);
  });

  it('adds, replaces, lists and clears subscriptions; rejects topics the user may not have', async () => {
    const channel = await notifications.postNotificationsChannels();
    const id = channel.id ?? '';
    let topics = await notifications.postNotificationsChannelSubscriptions(id, [{ id: roomTopic(room.jid) }]);
    expect(topics.entities).toEqual([{ id: roomTopic(room.jid) }]);
    topics = await notifications.postNotificationsChannelSubscriptions(id, [
      { id: badgeTopic() },
      { id: roomTopic(room.id) },
    ]);
    expect(topics.entities?.map((t) => t.id).sort()).toEqual(
      [badgeTopic(), roomTopic(room.id), roomTopic(room.jid)].sort(),
    );
    topics = await notifications.putNotificationsChannelSubscriptions(id, [{ id: badgeTopic() }]);
    expect(topics.entities).toEqual([{ id: badgeTopic() }]);
    expect((await notifications.getNotificationsChannelSubscriptions(id)).entities).toEqual([
      { id: badgeTopic() },
    ]);

    const sales = sim.control.chats().find((c) => c.name === 'Sales Leadership');
    const forbidden = [
      `v2.detail.events.collaboratechat.group.${sales?.jid}.messages`,
      `v2.users.${room.colleague}.badges.chats`,
      `v2.detail.events.collaboratechat.adhoc.${room.jid}.messages`,
      'v2.users.whatever.presence',
    ];
    const err = await rejection(
      notifications.postNotificationsChannelSubscriptions(
        id,
        forbidden.map((t) => ({ id: t })),
      ),
    );
    expect(err).toMatchObject({ status: 400, code: 'notification.topic.invalid' });
    for (const topic of forbidden) expect(err.message).toContain(topic);
    const lenient = await notifications.postNotificationsChannelSubscriptions(
      id,
      [{ id: forbidden[0] ?? '' }, { id: roomTopic(room.jid) }],
      { ignoreErrors: true },
    );
    expect(lenient.entities?.map((t) => t.id).sort()).toEqual([badgeTopic(), roomTopic(room.jid)].sort());
    await notifications.deleteNotificationsChannelSubscriptions(id);
    expect((await notifications.getNotificationsChannelSubscriptions(id)).entities).toEqual([]);
    expect(
      await rejection(notifications.postNotificationsChannelSubscriptions(id, { id: 'x' } as never)),
    ).toMatchObject({
      status: 400,
    });
  });

  it('caps a channel at 1000 topics', async () => {
    // Rate limits count per access token: a separate token of the same user does the bulk work.
    sim.control.setRateLimit(null);
    const bulk = sim.control.actAs(sim.demoUser.id).accessToken;
    const jids: string[] = [];
    for (let batch = 0; batch < 11; batch++) {
      const made = await Promise.all(
        Array.from({ length: 46 }, () =>
          call(sim, 'POST', '/api/v2/chats/rooms', { token: bulk, body: { subject: 'bulk' } }),
        ),
      );
      jids.push(...made.map((r) => String(r.json.jid)));
    }
    sim.control.setRateLimit(300);
    const topics = jids.flatMap((jid) => [`v2.detail.events.collaboratechat.adhoc.${jid}.messages`]);
    expect(topics.length).toBe(506);
    const channel = await notifications.postNotificationsChannels();
    const id = channel.id ?? '';
    await notifications.putNotificationsChannelSubscriptions(
      id,
      topics.slice(0, 500).map((t) => ({ id: t })),
    );
    const ids = [...sim.control.chats(sim.demoUser.id)].filter((c) => c.name === 'bulk').map((c) => c.id);
    const byId = ids
      .slice(0, 500)
      .map((rid) => ({ id: `v2.detail.events.collaboratechat.adhoc.${rid}.messages` }));
    const full = await notifications.postNotificationsChannelSubscriptions(id, byId);
    expect(full.entities?.length).toBe(1000);
    const over = await rejection(
      notifications.postNotificationsChannelSubscriptions(id, [{ id: topics[505] ?? '' }]),
    );
    expect(over).toMatchObject({ status: 400, code: 'notification.topic.limit' });
    expect(over.message).toContain('1000');
  });
});

async function connectedChannel(topics: string[]): Promise<{ id: string; socket: SocketProbe }> {
  const channel = await notifications.postNotificationsChannels();
  await notifications.putNotificationsChannelSubscriptions(
    channel.id ?? '',
    topics.map((id) => ({ id })),
  );
  const socket = probe(channel.connectUri ?? '');
  await socket.opened;
  return { id: channel.id ?? '', socket };
}

describe('events on the socket', () => {
  it('delivers room message events on the topic spelled as subscribed (jid and id)', async () => {
    const byJid = await connectedChannel([roomTopic(room.jid)]);
    const byId = await connectedChannel([roomTopic(room.id)]);
    const sent = sim.control.post({
      as: room.colleague,
      room: room.jid,
      body: 'Heads up @here',
      mentions: [sim.demoUser.id],
    });
    const a = await byJid.socket.next(isTopic(roomTopic(room.jid)));
    const b = await byId.socket.next(isTopic(roomTopic(room.id)));
    const colleague = sim.users.find((u) => u.id === room.colleague);
    const me = sim.users.find((u) => u.id === sim.demoUser.id);
    expect(a).toMatchObject({
      topicName: roomTopic(room.jid),
      version: '2',
      metadata: { CorrelationId: expect.any(String) },
      eventBody: {
        messageId: sent.id,
        created: sent.dateCreated,
        actionType: 'Create',
        body: 'Heads up @here',
        from: colleague?.jid,
        to: room.jid,
        mentions: [{ entityJid: me?.jid, entityId: sim.demoUser.id, entityType: 'user' }],
        notifyAll: true,
        reactions: {},
      },
    });
    expect(b.eventBody.messageId).toBe(sent.id);
  });

  it('sends edits, reaction changes (as Edit) and deletes', async () => {
    const { socket } = await connectedChannel([roomTopic(room.jid)]);
    const sent = sim.control.post({ as: room.colleague, room: room.jid, body: 'draft @allison' });
    expect((await socket.next(isTopic(roomTopic(room.jid)))).eventBody.notifyAll).toBe(false);
    sim.control.edit({ as: room.colleague, messageId: sent.id, body: 'final' });
    expect((await socket.next(isTopic(roomTopic(room.jid)))).eventBody).toMatchObject({
      actionType: 'Edit',
      body: 'final',
    });
    await new sdk.ChatApi().putChatsMessageReactions(sent.id, { reactions: ['🔥'] });
    expect((await socket.next(isTopic(roomTopic(room.jid)))).eventBody).toMatchObject({
      actionType: 'Edit',
      reactions: { '🔥': [sim.demoUser.id] },
    });
    sim.control.delete({ as: room.colleague, messageId: sent.id });
    expect((await socket.next(isTopic(roomTopic(room.jid)))).eventBody).toMatchObject({
      actionType: 'Delete',
      messageId: sent.id,
    });
  });

  it('sends chat badges for messages from others in rooms and 1on1s', async () => {
    const { socket } = await connectedChannel([badgeTopic()]);
    const colleague = sim.users.find((u) => u.id === room.colleague);
    await new sdk.ChatApi().postChatsUserMessages(room.colleague, { message: 'reset my unread count' });
    await socket.silent(isTopic(badgeTopic()), 50);
    socket.received.length = 0;
    sim.control.post({ as: room.colleague, toUser: sim.demoUser.id, body: 'one' });
    const first = await socket.next(isTopic(badgeTopic()));
    expect(first.eventBody).toMatchObject({ entity: { jabberId: colleague?.jid }, unreadCount: 1 });
    const second = sim.control.post({ as: room.colleague, toUser: sim.demoUser.id, body: 'two' });
    expect((await socket.next(isTopic(badgeTopic()))).eventBody).toEqual({
      entity: { jabberId: colleague?.jid },
      unreadCount: 2,
      lastUnreadNotificationDate: second.dateCreated,
    });
    sim.control.post({ as: room.colleague, room: room.jid, body: 'room badge' });
    expect((await socket.next(isTopic(badgeTopic()))).eventBody.entity.jabberId).toBe(room.jid);
    // Your own post clears the count for that chat.
    await new sdk.ChatApi().postChatsUserMessages(room.colleague, { message: 'read them' });
    expect((await socket.next(isTopic(badgeTopic()))).eventBody).toMatchObject({
      entity: { jabberId: colleague?.jid },
      unreadCount: 0,
    });
  });

  it('does not deliver room events to users who left the room', async () => {
    const { jid } = await new sdk.ChatApi().postChatsRooms({ subject: 'Leaving', userIds: [room.colleague] });
    const topic = `v2.detail.events.collaboratechat.adhoc.${jid}.messages`;
    const { socket } = await connectedChannel([topic]);
    sim.control.post({ as: room.colleague, room: jid, body: 'before' });
    await socket.next(isTopic(topic));
    await new sdk.ChatApi().deleteChatsRoomParticipant(jid, sim.demoUser.id);
    sim.control.post({ as: room.colleague, room: jid, body: 'after' });
    expect(await socket.silent(isTopic(topic))).toBe(true);
  });
});

describe('socket lifecycle', () => {
  it('sends heartbeats and answers ping with pong', async () => {
    const { socket } = await connectedChannel([]);
    expect(await socket.next((m) => m.eventBody?.message === 'WebSocket Heartbeat')).toEqual({
      topicName: 'channel.metadata',
      eventBody: { message: 'WebSocket Heartbeat' },
    });
    socket.ws.send(JSON.stringify({ message: 'ping' }));
    expect(await socket.next((m) => m.eventBody?.message === 'pong')).toEqual({
      topicName: 'channel.metadata',
      eventBody: { message: 'pong' },
    });
    socket.ws.send('not json');
    socket.ws.send(JSON.stringify({ message: 'ping' }));
    await socket.next((m) => m.eventBody?.message === 'pong');
  });

  it('announces socket_closing and then closes', async () => {
    const { id, socket } = await connectedChannel([]);
    expect(sim.control.socketClosing()).toBeGreaterThan(0);
    const event = await socket.next(isTopic('v2.system.socket_closing'));
    expect(event).toMatchObject({
      version: '2',
      eventBody: expect.any(Object),
      metadata: { CorrelationId: expect.any(String) },
    });
    expect((await socket.closed).code).toBe(1001);
    // The channel survives: a reconnect works.
    const again = probe(`ws://127.0.0.1:${sim.port}/channels/${id}`);
    await again.opened;
    socket.ws.terminate();
  });

  it('tells a socket {"result":"404"} when its channel is deleted or unknown', async () => {
    const { id, socket } = await connectedChannel([badgeTopic()]);
    expect(sim.control.deleteChannel(id)).toBe(true);
    expect(await socket.next((m) => m.result === '404')).toEqual({ result: '404' });
    await socket.closed;
    await expect(notifications.headNotificationsChannel(id)).rejects.toBeUndefined();
    const unknown = probe(`ws://127.0.0.1:${sim.port}/channels/does-not-exist`);
    expect(await unknown.next((m) => m.result === '404')).toEqual({ result: '404' });
    await unknown.closed;
  });

  it('keeps one connection per channel and survives dropped sockets', async () => {
    const { id, socket } = await connectedChannel([roomTopic(room.jid)]);
    const second = probe(`ws://127.0.0.1:${sim.port}/channels/${id}`);
    await second.opened;
    await socket.closed;
    sim.control.post({ as: room.colleague, room: room.jid, body: 'to the newest socket' });
    await second.next(isTopic(roomTopic(room.jid)));
    expect(sim.control.dropSockets()).toBeGreaterThan(0);
    await second.closed;
    const third = probe(`ws://127.0.0.1:${sim.port}/channels/${id}`);
    await third.opened;
    sim.control.post({ as: room.colleague, room: room.jid, body: 'after reconnect' });
    await third.next(isTopic(roomTopic(room.jid)));
  });

  it('ends channels whose token is revoked', async () => {
    const other = sim.control.actAs(room.colleague).accessToken;
    const created = await call(sim, 'POST', '/api/v2/notifications/channels', { token: other });
    const socket = probe(String(created.json.connectUri));
    await socket.opened;
    sim.control.revokeTokens(room.colleague);
    expect(await socket.next((m) => m.result === '404')).toEqual({ result: '404' });
  });

  it('evicts the oldest of 21 channels for a user and client', async () => {
    const own = sim.control.actAs(sim.users[3]?.id ?? '', { clientId: 'evict-test' }).accessToken;
    const ids: string[] = [];
    for (let i = 0; i < 20; i++)
      ids.push(String((await call(sim, 'POST', '/api/v2/notifications/channels', { token: own })).json.id));
    const first = probe(`ws://127.0.0.1:${sim.port}/channels/${ids[0]}`);
    await first.opened;
    await call(sim, 'POST', '/api/v2/notifications/channels', { token: own });
    expect(await first.next((m) => m.result === '404')).toEqual({ result: '404' });
    const listed = await call(sim, 'GET', '/api/v2/notifications/channels?includechannels=oauthclient', {
      token: own,
    });
    expect(listed.json.entities.length).toBe(20);
    expect(listed.json.entities.map((c: { id: string }) => c.id)).not.toContain(ids[0]);
  });
});

describe('channel expiry', () => {
  it('expires a channel after channelLifetimeMs; subscribing again extends it', async () => {
    const short = await startTestSimulator({ channelLifetimeMs: 400 });
    try {
      const own = short.control.actAs(short.demoUser.id).accessToken;
      const a = (await call(short, 'POST', '/api/v2/notifications/channels', { token: own })).json;
      const b = (await call(short, 'POST', '/api/v2/notifications/channels', { token: own })).json;
      const socket = new SocketProbe(String(a.connectUri));
      probes.push(socket);
      await socket.opened;
      await new Promise((r) => setTimeout(r, 250));
      const extend = await call(short, 'PUT', `/api/v2/notifications/channels/${b.id}/subscriptions`, {
        token: own,
        body: [],
      });
      expect(extend.status).toBe(200);
      expect(await socket.next((m) => m.result === '404', 1000)).toEqual({ result: '404' });
      expect(
        (await call(short, 'HEAD', `/api/v2/notifications/channels/${a.id}`, { token: own })).status,
      ).toBe(404);
      expect(
        (await call(short, 'HEAD', `/api/v2/notifications/channels/${b.id}`, { token: own })).status,
      ).toBe(200);
    } finally {
      await short.close();
    }
  });
});
