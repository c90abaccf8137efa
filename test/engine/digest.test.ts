// Backlogs become one digest per chat; quiet hours and DND hold items and summarise them when they end.
import { describe, expect, it } from 'vitest';
import { HeldQueue, planDeliveries, type DecidedEvent } from '../../src/main/engine/digest.ts';
import { activeHold, decide, fixedOffsetClock, type DecisionContext } from '../../src/main/engine/rules.ts';
import { defaultServerSettings, type AppRules, type ChatEvent } from '../../src/main/engine/model.ts';
import { ME, created, message } from './fixtures.ts';

const T = Date.UTC(2025, 0, 6, 12, 0);
const utc = fixedOffsetClock(0);

function decideAll(
  events: ChatEvent[],
  app: AppRules = { chatMutes: {}, keywords: [] },
  now = T,
): DecidedEvent[] {
  const ctx: DecisionContext = { me: { id: ME }, server: defaultServerSettings, app, now, localTime: utc };
  return events.map((event) => ({ event, decision: decide(event, ctx) }));
}

const roomMessages = (chatId: string, count: number, start = T) =>
  Array.from({ length: count }, (_, i) =>
    created(
      { id: `${chatId}-${i}`, chatId, createdAt: start + i, senderName: `Sender ${i % 5}` },
      'backfill',
    ),
  );

describe('planDeliveries', () => {
  it('1000 messages across 50 chats become 50 digests with the right counts', () => {
    const events = Array.from({ length: 50 }, (_, c) => roomMessages(`room-${c}`, 20, T + c * 100)).flat();
    const deliveries = planDeliveries(decideAll(events));
    expect(deliveries).toHaveLength(50);
    for (const delivery of deliveries) {
      expect(delivery.type).toBe('digest');
      if (delivery.type !== 'digest') continue;
      expect(delivery.count).toBe(20);
      expect(delivery.kinds).toEqual({ message: 20 });
      expect(new Set(delivery.messageIds).size).toBe(20);
      expect(delivery.messageIds[0]).toBe(`${delivery.chatId}-0`);
      // Newest senders first: messages 19, 18, 17 were sent by Sender 4, 3, 2.
      expect(delivery.senderNames).toEqual(['Sender 4', 'Sender 3', 'Sender 2']);
    }
    expect(new Set(deliveries.map((d) => (d.type === 'digest' ? d.chatId : ''))).size).toBe(50);
  });

  it('up to the threshold each item is its own notification; one more makes a digest', () => {
    const deliveries = planDeliveries(
      decideAll([...roomMessages('three', 3), ...roomMessages('four', 4, T + 10)]),
    );
    expect(
      deliveries.map((d) => (d.type === 'single' ? `single ${d.item.messageId}` : `digest ${d.chatId}`)),
    ).toEqual(['single three-0', 'single three-1', 'single three-2', 'digest four']);
  });

  it('counts only what notifies, and names each kind in the digest', () => {
    const events = [
      ...roomMessages('room-1', 3),
      created({ id: 'mention', mentions: [ME], createdAt: T + 5 }),
      created({ id: 'mine', senderId: ME, createdAt: T + 6 }),
      { type: 'edited', source: 'backfill', message: message({ id: 'room-1-0' }) } as ChatEvent,
    ];
    const [digest, ...rest] = planDeliveries(decideAll(events));
    expect(rest).toEqual([]);
    expect(digest).toMatchObject({
      type: 'digest',
      chatId: 'room-1',
      count: 4,
      kinds: { message: 3, mention: 1 },
    });
  });

  it('a chat with one item stays a single notification carrying the whole event', () => {
    const event = created({
      id: 'solo',
      chatId: 'u-bob',
      chatKind: 'oneOnOne',
      senderId: 'u-bob',
      senderName: 'Bob',
    });
    expect(planDeliveries(decideAll([event]))).toEqual([
      {
        type: 'single',
        event,
        item: {
          chatId: 'u-bob',
          messageId: 'solo',
          kind: 'direct',
          reason: 'direct',
          actorIds: ['u-bob'],
          senderName: 'Bob',
          at: T,
        },
      },
    ]);
  });

  it('orders deliveries so the most recent chat comes last', () => {
    const deliveries = planDeliveries(
      decideAll([
        ...roomMessages('late', 5, T + 1000),
        ...roomMessages('early', 5, T),
        ...roomMessages('mid', 1, T + 500),
      ]),
    );
    expect(deliveries.map((d) => (d.type === 'digest' ? d.chatId : d.item.chatId))).toEqual([
      'early',
      'mid',
      'late',
    ]);
  });

  it('held decisions are left out (they belong in the held queue)', () => {
    const quiet = { chatMutes: {}, keywords: [], dnd: true };
    expect(planDeliveries(decideAll(roomMessages('room-1', 10), quiet))).toEqual([]);
  });
});

describe('HeldQueue', () => {
  const quietApp: AppRules = { chatMutes: {}, keywords: [], quietHours: { start: '22:00', end: '07:00' } };
  const night = Date.UTC(2025, 0, 6, 23, 0);
  const morning = Date.UTC(2025, 0, 7, 7, 30);

  it('summarises what quiet hours held, per chat, once they end', () => {
    const queue = new HeldQueue();
    const events = [
      ...roomMessages('room-1', 4, night),
      created({
        id: 'dm',
        chatId: 'u-bob',
        chatKind: 'oneOnOne',
        senderId: 'u-bob',
        senderName: 'Bob',
        createdAt: night + 10,
      }),
      created({ id: 'ping', mentions: [ME], senderName: 'Carol', createdAt: night + 20 }),
      {
        type: 'reactions',
        source: 'push',
        message: message({
          id: 'my-msg',
          senderId: ME,
          reactions: { '👍': ['u-dave'] },
          createdAt: night - 5,
        }),
        previous: {},
      } as ChatEvent,
    ];
    for (const decided of decideAll(events, quietApp, night)) expect(queue.add(decided)).toBe(true);
    expect(activeHold(quietApp, morning, utc)).toBeUndefined();

    const summaries = queue.release();
    expect(queue.size).toBe(0);
    expect(summaries).toEqual([
      expect.objectContaining({
        chatId: 'u-bob',
        count: 1,
        kinds: { direct: 1 },
        senderNames: ['Bob'],
        messageIds: ['dm'],
      }),
      expect.objectContaining({
        chatId: 'room-1',
        count: 6,
        kinds: { message: 4, mention: 1, reaction: 1 },
        senderNames: ['Carol', 'Sender 3', 'Sender 2'],
        messageIds: ['room-1-0', 'room-1-1', 'room-1-2', 'room-1-3', 'ping', 'my-msg'],
      }),
    ]);
  });

  it('survives serialisation without losing or changing anything', () => {
    const queue = new HeldQueue();
    for (const decided of decideAll(roomMessages('room-1', 7, night), quietApp, night)) queue.add(decided);
    const { queue: restored, issue } = HeldQueue.fromJSON(JSON.parse(JSON.stringify(queue)));
    expect(issue).toBeUndefined();
    expect(restored.size).toBe(7);
    expect(restored.release()).toEqual(queue.release());
  });

  it('invalid saved data gives an empty queue and says why', () => {
    const { queue, issue } = HeldQueue.fromJSON({ version: 1, items: [{ chatId: 'x' }] });
    expect(queue.size).toBe(0);
    expect(issue).toMatch(/held queue is invalid/);
  });

  it('a message held twice counts once; each reaction counts', () => {
    const queue = new HeldQueue();
    const [first] = decideAll(roomMessages('room-1', 1, night), quietApp, night);
    if (!first) throw new Error('no decision');
    const reaction = (users: string[], previous: string[]): ChatEvent => ({
      type: 'reactions',
      source: 'push',
      message: message({ id: 'my-msg', senderId: ME, reactions: { '👍': users } }),
      previous: { '👍': previous },
    });
    expect(queue.add(first)).toBe(true);
    expect(queue.add({ ...first })).toBe(false);
    for (const decided of decideAll(
      [reaction(['u-a'], []), reaction(['u-a', 'u-b'], ['u-a'])],
      quietApp,
      night,
    )) {
      expect(queue.add(decided)).toBe(true);
    }
    expect(queue.summarise()[0]).toMatchObject({ count: 3, kinds: { message: 1, reaction: 2 } });
  });

  it('a deleted message is withdrawn from the queue; nothing else is ever dropped', () => {
    const queue = new HeldQueue();
    for (const decided of decideAll(roomMessages('room-1', 3, night), quietApp, night)) queue.add(decided);
    expect(queue.add(decideAll(roomMessages('room-2', 1, night), { chatMutes: {}, keywords: [] })[0]!)).toBe(
      false,
    );
    expect(queue.withdraw('room-1-1')).toBe(1);
    expect(queue.summarise()).toEqual([
      expect.objectContaining({ chatId: 'room-1', count: 2, messageIds: ['room-1-0', 'room-1-2'] }),
    ]);
    expect(queue.size).toBe(2);
  });
});
