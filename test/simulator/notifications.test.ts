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

  it('adds, replaces, lists and clears subscriptions, answering each topic Permitted or Rejected', async () => {
    const channel = await notifications.postNotificationsChannels();
    const id = channel.id ?? '';
    const permitted = (topic: string) => ({ id: topic, state: 'Permitted' });
    let topics = await notifications.postNotificationsChannelSubscriptions(id, [{ id: roomTopic(room.id) }]);
    expect(topics.entities).toEqual([permitted(roomTopic(room.id))]);
    topics = await notifications.postNotificationsChannelSubscriptions(id, [{ id: badgeTopic() }]);
    expect(topics.entities?.map((t) => t.id).sort()).toEqual([badgeTopic(), roomTopic(room.id)].sort());
    expect(topics.entities?.every((t) => t.state === 'Permitted')).toBe(true);
    topics = await notifications.putNotificationsChannelSubscriptions(id, [{ id: badgeTopic() }]);
    expect(topics.entities).toEqual([permitted(badgeTopic())]);
    expect((await notifications.getNotificationsChannelSubscriptions(id)).entities).toEqual([
      permitted(badgeTopic()),
    ]);

    const sales = sim.control.chats().find((c) => c.name === 'Sales Leadership');
    const forbidden = [
      `v2.detail.events.collaboratechat.group.${sales?.id}.messages`,
      `v2.users.${room.colleague}.badges.chats`,
      `v2.detail.events.collaboratechat.adhoc.${room.id}.messages`,
      // A group room named by its jid: not the documented Room.id form.
      roomTopic(room.jid),
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
    // With ignoreErrors every requested topic is answered, the refused ones Rejected with a reason.
    const lenient = await notifications.putNotificationsChannelSubscriptions(
      id,
      [...forbidden, roomTopic(room.id)].map((t) => ({ id: t })),
      { ignoreErrors: true },
    );
    expect(lenient.entities).toEqual([
      { id: forbidden[0], state: 'Rejected', rejectionReason: 'Not a participant of the room' },
      { id: forbidden[1], state: 'Rejected', rejectionReason: 'Not your user id' },
      { id: forbidden[2], state: 'Rejected', rejectionReason: 'The room is not adhoc' },
      {
        id: forbidden[3],
        state: 'Rejected',
        rejectionReason: 'A group room topic names the group by its id',
      },
      { id: forbidden[4], state: 'Rejected', rejectionReason: 'Unsupported topic' },
      permitted(roomTopic(room.id)),
    ]);
    expect((await notifications.getNotificationsChannelSubscriptions(id)).entities).toEqual([
      permitted(roomTopic(room.id)),
    ]);
    await notifications.deleteNotificationsChannelSubscriptions(id);
    expect((await notifications.getNotificationsChannelSubscriptions(id)).entities).toEqual([]);
    expect(
      await rejection(notifications.postNotificationsChannelSubscriptions(id, { id: 'x' } as never)),
    ).toMatchObject({
      status: 400,
    });
  });

  it('names an adhoc room by its jid, and refuses a room on demand (a missing permission)', async () => {
    const { jid } = await new sdk.ChatApi().postChatsRooms({
      subject: 'Adhoc topics',
      userIds: [room.colleague],
    });
    const adhoc = sim.control.chats().find((c) => c.jid === jid)!;
    const byJid = `v2.detail.events.collaboratechat.adhoc.${jid}.messages`;
    const byId = `v2.detail.events.collaboratechat.adhoc.${adhoc.id}.messages`;
    const channel = await notifications.postNotificationsChannels();
    const answer = await notifications.putNotificationsChannelSubscriptions(
      channel.id ?? '',
      [{ id: byJid }, { id: byId }],
      { ignoreErrors: true },
    );
    expect(answer.entities).toEqual([
      { id: byJid, state: 'Permitted' },
      { id: byId, state: 'Rejected', rejectionReason: 'An adhoc room topic names the room by its jid' },
    ]);
    sim.control.refuseTopics({ room: jid, reason: 'Missing permission' });
    try {
      const refused = await notifications.putNotificationsChannelSubscriptions(
        channel.id ?? '',
        [{ id: byJid }],
        { ignoreErrors: true },
      );
      expect(refused.entities).toEqual([
        {
          id: byJid,
          state: 'Rejected',
          rejectionReason: 'Missing permission',
          missingPermissions: ['chat:chat:access'],
        },
      ]);
    } finally {
      sim.control.resetFaults();
    }
  });

  it('caps a channel at 1000 topics', async () => {
    const jids = sim.control.bulkLoad({ rooms: 1001, messagesPerRoom: 1 });
    const topics = jids.map((jid) => `v2.detail.events.collaboratechat.adhoc.${jid}.messages`);
    const channel = await notifications.postNotificationsChannels();
    const id = channel.id ?? '';
    await notifications.putNotificationsChannelSubscriptions(
      id,
      topics.slice(0, 500).map((t) => ({ id: t })),
    );
    const full = await notifications.postNotificationsChannelSubscriptions(
      id,
      topics.slice(500, 1000).map((t) => ({ id: t })),
    );
    expect(full.entities?.length).toBe(1000);
    const over = await rejection(
      notifications.postNotificationsChannelSubscriptions(id, [{ id: topics[1000] ?? '' }]),
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
  it('delivers room message events in the official shape: entities for from, to and mentions', async () => {
    const { socket } = await connectedChannel([roomTopic(room.id)]);
    const sent = sim.control.post({
      as: room.colleague,
      room: room.jid,
      body: 'Heads up @here',
      mentions: [sim.demoUser.id],
    });
    const event = await socket.next(isTopic(roomTopic(room.id)));
    const colleague = sim.users.find((u) => u.id === room.colleague);
    const me = sim.users.find((u) => u.id === sim.demoUser.id);
    expect(event).toEqual({
      topicName: roomTopic(room.id),
      version: '2',
      metadata: { CorrelationId: expect.any(String) },
      eventBody: {
        messageId: sent.id,
        created: sent.dateCreated,
        actionType: 'Create',
        body: 'Heads up @here',
        from: { entityJid: colleague?.jid, entityId: room.colleague, entityType: 'User' },
        to: { entityJid: room.jid, entityId: room.id, entityType: 'Group' },
        mentions: [{ entityJid: me?.jid, entityId: sim.demoUser.id, entityType: 'User' }],
        notifyAll: true,
        reactions: {},
      },
    });
  });

  it('sends the next events in another shape when told to (a fault for client tests)', async () => {
    const { socket } = await connectedChannel([roomTopic(room.id)]);
    sim.control.manglePush({ count: 1, shape: 'legacy' });
    const legacy = sim.control.post({ as: room.colleague, room: room.jid, body: 'old guess' });
    expect((await socket.next(isTopic(roomTopic(room.id)))).eventBody).toMatchObject({
      messageId: legacy.id,
      from: sim.users.find((u) => u.id === room.colleague)?.jid,
      to: room.jid,
    });
    sim.control.manglePush({ count: 1, shape: 'unknown' });
    const unknown = sim.control.post({ as: room.colleague, room: room.jid, body: 'future shape' });
    const wrapped = (await socket.next(isTopic(roomTopic(room.id)))).eventBody;
    expect(wrapped).toMatchObject({ eventVersion: 3, message: { messageId: unknown.id } });
    expect(wrapped.messageId).toBeUndefined();
    const normal = sim.control.post({ as: room.colleague, room: room.jid, body: 'back to normal' });
    expect((await socket.next(isTopic(roomTopic(room.id)))).eventBody).toMatchObject({
      messageId: normal.id,
      from: { entityId: room.colleague, entityType: 'User' },
    });
  });

  it('sends edits, reaction changes (as Edit) and deletes', async () => {
    const { socket } = await connectedChannel([roomTopic(room.id)]);
    const sent = sim.control.post({ as: room.colleague, room: room.jid, body: 'draft @allison' });
    expect((await socket.next(isTopic(roomTopic(room.id)))).eventBody.notifyAll).toBe(false);
    sim.control.edit({ as: room.colleague, messageId: sent.id, body: 'final' });
    expect((await socket.next(isTopic(roomTopic(room.id)))).eventBody).toMatchObject({
      actionType: 'Edit',
      body: 'final',
    });
    await new sdk.ChatApi().putChatsMessageReactions(sent.id, { reactions: ['🔥'] });
    expect((await socket.next(isTopic(roomTopic(room.id)))).eventBody).toMatchObject({
      actionType: 'Edit',
      reactions: { '🔥': [sim.demoUser.id] },
    });
    sim.control.delete({ as: room.colleague, messageId: sent.id });
    expect((await socket.next(isTopic(roomTopic(room.id)))).eventBody).toMatchObject({
      actionType: 'Delete',
      messageId: sent.id,
      body: '',
      mentions: [],
      reactions: {},
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
      eventBody: { channelId: id, systemTopicType: 'socket_closing', message: 'WebSocket Closing' },
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
    const { id, socket } = await connectedChannel([roomTopic(room.id)]);
    const second = probe(`ws://127.0.0.1:${sim.port}/channels/${id}`);
    await second.opened;
    await socket.closed;
    sim.control.post({ as: room.colleague, room: room.jid, body: 'to the newest socket' });
    await second.next(isTopic(roomTopic(room.id)));
    expect(sim.control.dropSockets()).toBeGreaterThan(0);
    await second.closed;
    const third = probe(`ws://127.0.0.1:${sim.port}/channels/${id}`);
    await third.opened;
    sim.control.post({ as: room.colleague, room: room.jid, body: 'after reconnect' });
    await third.next(isTopic(roomTopic(room.id)));
  });

  it('ends channels whose token is revoked', async () => {
    const other = sim.control.actAs(room.colleague).accessToken;
    const created = await call(sim, 'POST', '/api/v2/notifications/channels', { token: other });
    const socket = probe(String(created.json.connectUri));
    await socket.opened;
    sim.control.revokeTokens(room.colleague);
    const notice = await socket.next(isTopic(`v2.system.token_revoked.${created.json.id}`));
    expect(notice.eventBody).toMatchObject({ channelId: created.json.id, systemTopicType: 'token_revoked' });
    expect(await socket.next((m) => m.result === '404')).toEqual({ result: '404' });
  });

  it('tells a channel it is no longer subscribed when asked (and drops its topics)', async () => {
    const { id, socket } = await connectedChannel([badgeTopic()]);
    expect(
      sim.control.systemNotice({ kind: 'no_longer_subscribed', userId: sim.demoUser.id }),
    ).toBeGreaterThan(0);
    const notice = await socket.next(isTopic(`v2.system.no_longer_subscribed.${id}`));
    expect(notice.eventBody).toMatchObject({ channelId: id, systemTopicType: 'no_longer_subscribed' });
    expect((await notifications.getNotificationsChannelSubscriptions(id)).entities).toEqual([]);
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
