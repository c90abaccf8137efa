// The client reads every push fixture (the official models) into the app's own types, and keeps
// reading them when optional fields are missing or null and when fields it does not know appear.
// The old guess (string from/to) is no longer read as an event: it is a counted surprise.
import { describe, expect, it } from 'vitest';
import type { ChatRef } from '../../../src/main/engine/model.ts';
import { parseFrame, type PushFrame } from '../../../src/main/engine/push/frames.ts';
import { unknownFamilyKind } from '../../../src/main/engine/sources/push-hub.ts';
import { isChatTopic, readChatFrame, type ChatFrame } from '../../../src/main/engine/watch/chat-frames.ts';
import { MessageMemory } from '../../../src/main/engine/watch/message-memory.ts';
import { PushEventMapper } from '../../../src/main/engine/watch/push-events.ts';
import { SenderDirectory } from '../../../src/main/engine/watch/senders.ts';
import { ChannelWire, readTopicListing } from '../../../src/main/genesys/push-wire.ts';
import { loadFixtures, type Fixture } from '../../support/fixtures.ts';

const fixtures = loadFixtures('push');
const chatFixtures = fixtures.filter((f) => f.model?.startsWith('CollaborateChat'));

interface Entity {
  entityJid: string;
  entityId: string;
  entityType: string;
}
interface ChatBody {
  messageId: string;
  actionType: string;
  body?: string;
  from: Entity;
  to: Entity;
  mentions?: Entity[];
  reactions?: Record<string, string[]>;
  notifyAll?: boolean;
}
type Frame = { topicName: string; eventBody: ChatBody } & Record<string, unknown>;

const frameOf = (f: Fixture): Frame => structuredClone(f.value) as Frame;
type Read = PushFrame | ChatFrame;
/**
 * A frame as the app reads it: the envelope (the channel's part), then the body as the source that
 * owns its topic family reads it; a topic no source owns is counted as an unknown family.
 */
const read = (data: string): Read => {
  const f = parseFrame(data);
  if (f.kind !== 'topic') return f;
  if (isChatTopic(f.topic)) return readChatFrame(f.topic, f.body);
  return { kind: 'bad', surprise: { kind: unknownFamilyKind(f.topic), value: f.body } };
};
const parse = (value: unknown): Read => read(JSON.stringify(value));
const ME = {
  id: 'b7c1e5d2-3f4a-4b6c-9d8e-0a1b2c3d4e5f',
  jid: '5f1b8a0c2d3e4f5a6b7c8d9e@northwind.orgspan.com',
};

/** A directory whose REST reads fail the test: an event that names its sender needs none. */
function mapper(api: Partial<ConstructorParameters<typeof SenderDirectory>[0]> = {}): PushEventMapper {
  const never = (): never => {
    throw new Error('no REST read expected');
  };
  const senders = new SenderDirectory({ participants: never, messagesById: never, ...api }, ME);
  return new PushEventMapper({ senders, memory: new MessageMemory(), meId: ME.id });
}

function roomOf(frame: Frame): ChatRef {
  const to = frame.eventBody.to;
  return { id: to.entityJid, kind: 'room', jid: to.entityJid, name: 'Room' };
}

describe('the client reads every push fixture', () => {
  it.each(chatFixtures.map((f) => [f.file, f] as const))('%s → a ChatEvent', async (_, f) => {
    const frame = frameOf(f);
    const parsed = parse(frame);
    expect(parsed).toMatchObject({ kind: 'chat', topic: frame.topicName });
    if (parsed.kind !== 'chat') return;
    const mapped = await mapper().map(roomOf(frame), parsed.body);
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    const body = frame.eventBody;
    const expected = { Create: 'created', Edit: 'edited', Delete: 'deleted' }[body.actionType];
    const own = body.from.entityId === ME.id && Object.keys(body.reactions ?? {}).length > 0;
    expect(mapped.event.type).toBe(body.actionType === 'Edit' && own ? 'reactions' : expected);
    if (mapped.event.type === 'deleted') {
      expect(mapped.event.messageId).toBe(body.messageId);
      return;
    }
    const message = mapped.event.message;
    expect(message).toMatchObject({ id: body.messageId, senderId: body.from.entityId, body: body.body });
    for (const m of body.mentions ?? []) expect(message.mentions).toContain(m.entityId);
    expect(message.notifyAll).toBe(body.notifyAll ?? false);
    expect(message.reactions).toEqual(body.reactions ?? {});
  });

  it('reads badges, heartbeats, pongs, system notices and the 404', () => {
    const byFile = (name: string): Read => parse(fixtures.find((f) => f.file === `push/${name}`)!.value);
    expect(byFile('badge-room.json')).toEqual({
      kind: 'badge',
      jid: '5cd0b7e1f2a3b4c5d6e7f809@conference.northwind.orgspan.com',
      unreadCount: 3,
    });
    expect(byFile('badge-oneonone.json')).toMatchObject({ kind: 'badge', unreadCount: 1 });
    expect(byFile('heartbeat.json')).toEqual({ kind: 'alive' });
    expect(byFile('pong.json')).toEqual({ kind: 'alive' });
    expect(byFile('socket-closing.json')).toEqual({ kind: 'closing' });
    expect(byFile('no-longer-subscribed.json')).toEqual({ kind: 'system', notice: 'no_longer_subscribed' });
    expect(byFile('token-revoked.json')).toEqual({ kind: 'system', notice: 'token_revoked' });
    expect(byFile('result-404.json')).toEqual({ kind: 'gone' });
    expect(fixtures.filter((f) => f.endpoint === undefined).map((f) => parse(f.value).kind)).not.toContain(
      'bad',
    );
  });

  it('reads the channel and the subscription answers: only Permitted topics count', () => {
    const channel = fixtures.find((f) => f.model === 'Channel')!;
    expect(ChannelWire.parse(channel.value)).toEqual(channel.value);
    const permitted = readTopicListing(fixtures.find((f) => f.file.endsWith('permitted.json'))!.value);
    expect(permitted.surprises).toEqual([]);
    expect(permitted.topics.map((t) => t.state)).toEqual(['Permitted', 'Permitted', 'Permitted']);
    const mixed = readTopicListing(fixtures.find((f) => f.file.endsWith('rejected.json'))!.value);
    expect(mixed.surprises).toEqual([]);
    expect(mixed.topics.map((t) => [t.state, t.rejectionReason, t.missingPermissions])).toEqual([
      ['Permitted', undefined, undefined],
      ['Permitted', undefined, undefined],
      ['Rejected', 'Missing permission', ['chat:chat:access']],
      ['Rejected', 'Not a participant of the room', undefined],
    ]);
  });
});

describe('tolerance', () => {
  const optional = ['created', 'body', 'from', 'to', 'mentions', 'notifyAll', 'reactions'];

  it.each(chatFixtures.map((f) => [f.file, f] as const))(
    '%s: read without each optional field, with nulls, and with unknown fields',
    async (_, f) => {
      for (const field of optional) {
        for (const variant of ['absent', 'null'] as const) {
          const frame = frameOf(f);
          const body = frame.eventBody as unknown as Record<string, unknown>;
          if (variant === 'absent') delete body[field];
          else body[field] = null;
          const parsed = parse(frame);
          expect(parsed.kind, `${field} ${variant}`).toBe('chat');
        }
      }
      const frame = frameOf(f);
      const body = frame.eventBody as unknown as Record<string, unknown>;
      body.threadId = 'not in the model';
      body.future = { nested: [1, 2] };
      frame.eventBody.from = { ...frame.eventBody.from, avatar: 'x' } as Entity;
      frame.eventBody.mentions = [...(frame.eventBody.mentions ?? []), null as unknown as Entity];
      if (frame.eventBody.reactions) frame.eventBody.reactions['😀'] = null as unknown as string[];
      frame.somethingNew = true;
      const parsed = parse(frame);
      expect(parsed.kind).toBe('chat');
      if (parsed.kind !== 'chat') return;
      expect(parsed.body).not.toHaveProperty('threadId');
      expect(parsed.body.from).not.toHaveProperty('avatar');
      expect(parsed.body.mentions ?? []).not.toContain(null);
      expect(parsed.body.reactions?.['😀']).toBeUndefined();
    },
  );

  it('takes the sender from the jid only when the event does not name a user id', async () => {
    const frame = frameOf(chatFixtures.find((f) => f.file.endsWith('group-create-mention.json'))!);
    const sender = frame.eventBody.from;
    frame.eventBody.from = { entityJid: sender.entityJid } as Entity;
    const parsed = parse(frame);
    if (parsed.kind !== 'chat') throw new Error('not read');
    const looked: string[] = [];
    const m = mapper({
      participants: async (jid: string) => {
        looked.push(jid);
        return [{ jid: sender.entityJid, userId: sender.entityId }];
      },
    });
    const mapped = await m.map(roomOf(frame), parsed.body);
    expect(mapped.ok && mapped.event.type === 'created' && mapped.event.message.senderId).toBe(
      sender.entityId,
    );
    expect(looked).toEqual([frame.eventBody.to.entityJid]);
  });

  it('reads a badge without date or count, and an answer without states as unconfirmed (counted)', () => {
    const badge = frameOf(fixtures.find((f) => f.file.endsWith('badge-room.json'))!);
    (badge.eventBody as unknown as Record<string, unknown>).lastUnreadNotificationDate = null;
    (badge.eventBody as unknown as Record<string, unknown>).unreadCount = null;
    expect(parse(badge)).toMatchObject({ kind: 'badge' });
    const answer = readTopicListing({
      entities: [{ id: 't1' }, null, { id: 't2', state: 'Pending' }, { x: 1 }],
    });
    expect(answer.topics).toEqual([
      { id: 't1', state: 'Unconfirmed' },
      { id: 't2', state: 'Unconfirmed' },
    ]);
    expect(answer.surprises.map((s) => s.what)).toEqual([
      'topic without state',
      'unknown topic state',
      'unreadable topic',
    ]);
    expect(readTopicListing({}).topics).toEqual([]);
    expect(readTopicListing({}).surprises.map((s) => s.what)).toEqual(['not a topic listing']);
  });
});

describe('the old guess', () => {
  it('string from/to is not an event any more: an unreadable chat event, kind without ids', () => {
    const frame = frameOf(chatFixtures.find((f) => f.file.endsWith('group-create-mention.json'))!);
    const legacy = {
      ...frame,
      eventBody: {
        ...frame.eventBody,
        from: frame.eventBody.from.entityJid,
        to: frame.eventBody.to.entityJid,
      },
    };
    const parsed = parse(legacy);
    expect(parsed).toMatchObject({
      kind: 'bad',
      surprise: { kind: 'push chat event: from invalid_type' },
      chatTopic: frame.topicName,
    });
  });

  it('names a surprise by topic family and field, never by an id or a value', () => {
    const frame = frameOf(chatFixtures[0]!);
    const cases: [unknown, RegExp][] = [
      [
        { ...frame, eventBody: { ...frame.eventBody, actionType: 'Explode' } },
        /^push chat event: actionType /,
      ],
      [
        { ...frame, eventBody: { ...frame.eventBody, reactions: { '👍': 'u-1' } } },
        /^push chat event: reactions\.<key> /,
      ],
      [{ topicName: 'v2.users.b7c1e5d2-3f4a-4b6c.conversations', eventBody: {} }, /unknown family/],
      [{ topicName: `v2.users.${ME.id}.badges.chats`, eventBody: { entity: {} } }, /^push badge: entity\./],
      ['not json', /^push frame: not JSON$/],
      [[], /^push frame: not a notification$/],
    ];
    for (const [value, kind] of cases) {
      const parsed = read(typeof value === 'string' ? value : JSON.stringify(value));
      expect(parsed.kind).toBe('bad');
      if (parsed.kind !== 'bad') continue;
      expect(parsed.surprise.kind).toMatch(kind);
      expect(parsed.surprise.kind).not.toMatch(/b7c1e5d2|u-1|👍|Explode/);
    }
  });
});
