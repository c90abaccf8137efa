// The watcher on a healthy push channel: what other people do in the user's chats reaches the engine
// as ChatEvents within a second, 1on1s through badges, new rooms get subscribed, and quiet is cheap.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.ts';
import { colleagueIn, eventMessageId, sleep, SocketTap, watchReady, type Harness } from './harness.ts';

let sim: Simulator;
let h: Harness | undefined;

beforeAll(async () => {
  sim = await startSimulator({ seed: 21, quiet: true, heartbeatIntervalMs: 200 });
});
afterEach(() => {
  h?.stop();
  h = undefined;
});
afterAll(() => sim.close());

describe('Watcher on push', () => {
  it('starts on push: publishes the roster for seeding, subscribes every room and the badges', async () => {
    const rosters: { count: number; seed: boolean }[] = [];
    h = await watchReady(sim);
    h.watcher.on('roster', (entries, info) => rosters.push({ count: entries.length, seed: info.seed }));
    expect(h.states[0]).toBe('connecting');
    expect(h.states.at(-1)).toBe('push');
    const rooms = sim.control.chats(sim.demoUser.id).filter((c) => c.kind === 'room');
    const channel = sim.control.channels().find((c) => c.id === h!.watcher.channelId);
    expect(channel?.connected).toBe(true);
    expect(channel?.topics).toContain(`v2.users.${sim.demoUser.id}.badges.chats`);
    for (const room of rooms)
      expect(channel?.topics.some((t) => t.includes(room.id) || t.includes(room.jid ?? '?'))).toBe(true);
    expect(channel?.topics).toHaveLength(rooms.length + 1);
    // A first run: the roster came before any history and asked the engine to seed, so old history
    // never reached the engine as new.
    expect(h.fresh).toEqual([]);
    expect(h.ledger.chats().length).toBeGreaterThanOrEqual(rooms.length);
  });

  it('delivers a room message by a colleague as ONE created push batch within a second', async () => {
    h = await watchReady(sim);
    const { room, jid, colleague } = colleagueIn(sim, 'Support Team');
    const started = Date.now();
    const posted = sim.control.post({
      as: colleague,
      room,
      body: 'build is green',
      mentions: [sim.demoUser.id],
    });
    const batch = await h.until(() => h!.batchesFor(posted.id)[0], 'the pushed message', 1_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(batch.source).toBe('push');
    expect(batch.chat.id).toBe(jid);
    expect(batch.events).toHaveLength(1);
    const event = batch.events[0]!;
    expect(event.type).toBe('created');
    if (event.type !== 'created') return;
    expect(event.message).toMatchObject({ id: posted.id, senderId: colleague, body: 'build is green' });
    expect(event.message.mentions).toContain(sim.demoUser.id);
    await sleep(150);
    expect(h.batchesFor(posted.id)).toHaveLength(1);
    expect(h.fresh.map((m) => m.id)).toEqual([posted.id]);
  });

  it('tells a reaction from an edit: reactions with what was there before, edited, deleted', async () => {
    h = await watchReady(sim);
    const { room, colleague } = colleagueIn(sim, 'Engineering');
    const mine = sim.control.post({ as: sim.demoUser.id, room, body: 'deploy at 5?' });
    await h.until(() => h!.batchesFor(mine.id).length === 1, 'my own message');

    sim.control.react({ as: colleague, messageId: mine.id, reactions: ['👍'] });
    const reacted = await h.until(
      () =>
        h!
          .batchesFor(mine.id)
          .flatMap((b) => b.events)
          .find((e) => e.type === 'reactions'),
      'the reaction',
    );
    expect(reacted.type === 'reactions' && reacted.previous).toEqual({});
    expect(reacted.type === 'reactions' && reacted.message.reactions).toEqual({ '👍': [colleague] });
    expect(reacted.type === 'reactions' && reacted.message.senderId).toBe(sim.demoUser.id);

    sim.control.react({ as: colleague, messageId: mine.id, reactions: ['👍', '🎉'] });
    await h.until(() => h!.batchesFor(mine.id).length === 3, 'the second reaction');
    const second = h.batchesFor(mine.id)[2]!.events[0]!;
    expect(second.type === 'reactions' && second.previous).toEqual({ '👍': [colleague] });

    const theirs = sim.control.post({ as: colleague, room, body: 'deploy at 4' });
    await h.until(() => h!.batchesFor(theirs.id).length === 1, 'their message');
    sim.control.edit({ as: colleague, messageId: theirs.id, body: 'deploy at 6' });
    const edited = await h.until(() => h!.batchesFor(theirs.id)[1]?.events[0], 'the edit');
    expect(edited.type).toBe('edited');
    expect(edited.type === 'edited' && edited.message.body).toBe('deploy at 6');

    sim.control.delete({ as: colleague, messageId: theirs.id });
    const deleted = await h.until(() => h!.batchesFor(theirs.id)[2]?.events[0], 'the delete');
    expect(deleted).toMatchObject({ type: 'deleted', source: 'push', messageId: theirs.id });
    expect(deleted.type === 'deleted' && deleted.chatId).toBe(h.batchesFor(theirs.id)[0]!.chat.id);
  });

  it('reads a 1on1 message when its badge arrives (there is no 1on1 topic)', async () => {
    h = await watchReady(sim);
    const direct = (await h.api.roster()).find((e) => e.chat.kind === 'oneOnOne' && e.open)!;
    const before = sim.control.requests().counters.total;
    const posted = sim.control.post({ as: direct.chat.id, toUser: sim.demoUser.id, body: 'got a minute?' });
    const batch = await h.until(() => h!.batchesFor(posted.id)[0], 'the 1on1 message', 1_500);
    expect(batch.source).toBe('backfill');
    expect(batch.chat).toMatchObject({ id: direct.chat.id, kind: 'oneOnOne' });
    expect(batch.events.map((e) => e.type === 'created' && e.message.senderId)).toEqual([direct.chat.id]);
    expect(h.fresh.map((m) => m.id)).toEqual([posted.id]);
    // One history read, not a roster sweep.
    expect(sim.control.requests().counters.total - before).toBeLessThanOrEqual(2);
  });

  it('subscribes a room the user was just added to, and reads its first message', async () => {
    h = await watchReady(sim);
    const colleague = sim.users.find((u) => u.id !== sim.demoUser.id)!.id;
    const res = await fetch(`${sim.url}/api/v2/chats/rooms`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${sim.control.actAs(colleague).accessToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ subject: 'Incident 42', userIds: [sim.demoUser.id] }),
    });
    const { jid } = (await res.json()) as { jid: string };
    const first = sim.control.post({ as: colleague, room: jid, body: 'you are on call for this one' });
    const batch = await h.until(() => h!.batchesFor(first.id)[0], 'the new room’s first message');
    expect(batch.chat).toMatchObject({ id: jid, kind: 'room', name: 'Incident 42' });
    // An adhoc room's Room.id is its jid (.NET SDK Room.md), and so is its topic's id.
    const topic = `v2.detail.events.collaboratechat.adhoc.${jid}.messages`;
    const channel = await h.until(
      () => sim.control.channels().find((c) => c.id === h!.watcher.channelId && c.topics.includes(topic)),
      'the new room’s topic',
    );
    expect(channel.connected).toBe(true);
    const second = sim.control.post({ as: colleague, room: jid, body: 'status page is up' });
    const pushed = await h.until(() => h!.batchesFor(second.id)[0], 'the second message', 1_000);
    expect(pushed.source).toBe('push');
    expect(h.fresh.map((m) => m.id)).toEqual([first.id, second.id]);
  });

  it('costs (almost) nothing while quiet', async () => {
    h = await watchReady(sim);
    await sleep(100);
    const before = h.http.sent;
    await sleep(1_500); // seven heartbeats
    expect(h.http.sent - before).toBeLessThanOrEqual(2);
    expect(h.watcher.state).toBe('push');
  });

  it('logs and ignores frames it cannot read, and keeps delivering', async () => {
    const tap = new SocketTap();
    h = await watchReady(sim, { WebSocketImpl: tap.Impl });
    const { room, colleague } = colleagueIn(sim, 'Watercooler');
    const topic = sim.control
      .channels()
      .find((c) => c.id === h!.watcher.channelId)!
      .topics.find((t) => t.includes('group'))!;
    for (const junk of [
      'not json',
      '{"topicName": 42}',
      JSON.stringify({ topicName: topic, eventBody: { messageId: 'x', actionType: 'Explode' } }),
      JSON.stringify({ topicName: topic, eventBody: { messageId: '', actionType: 'Create' } }),
      JSON.stringify({ topicName: `v2.users.${sim.demoUser.id}.badges.chats`, eventBody: { entity: {} } }),
      JSON.stringify({ topicName: 'v2.somebody.else', eventBody: {} }),
      'x'.repeat(600_000),
      '[]',
      'null',
    ])
      tap.inject(junk);
    const posted = sim.control.post({ as: colleague, room, body: 'still here' });
    // Unreadable chat events are a gap: the message may come by the room read that follows them.
    await h.until(() => h!.batchesFor(posted.id).length > 0, 'a message after the junk');
    await sleep(100);
    expect(h.fresh.filter((m) => m.id === posted.id)).toHaveLength(1);
    expect(h.batches.flatMap((b) => b.events).map(eventMessageId)).not.toContain('x');
    expect(h.logs.filter((l) => l.includes('ignored a frame')).length).toBeGreaterThanOrEqual(8);
    expect(h.watcher.state).toBe('push');
  });
});
