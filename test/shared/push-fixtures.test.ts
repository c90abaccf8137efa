// The push fixtures (test/fixtures/genesys/push/) hold the official models, not our guesses: each
// names its model and source, has exactly the model's fields and types, uses only documented enum
// values, comes on the topic the official mapping gives its model, and together they cover every
// frame and notification answer the client handles.
import { describe, expect, it } from 'vitest';
import { loadFixtures, type Fixture } from '../support/fixtures.ts';
import { enumProblems, ENUMS, frameProblems, TOPIC_MODELS, topicPattern } from '../support/push-models.ts';
import { modelProblems } from '../support/sdk-models.ts';

const fixtures = loadFixtures('push');

const ENVELOPE_FIELDS = ['topicName', 'version', 'eventBody', 'metadata'];

interface Frame {
  topicName?: string;
  version?: string;
  eventBody?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  result?: string;
}

const frameOf = (f: Fixture): Frame => f.value as Frame;
const isFrame = (f: Fixture): boolean => f.endpoint === undefined;

describe('push fixtures', () => {
  it('exist, and each names its model (or says where a model-less frame is documented)', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(18);
    for (const f of fixtures) {
      expect(f.source, f.file).toMatch(/\S{10,}/);
      expect(f.notes, f.file).toBeTruthy();
      const where = f.topic ?? f.endpoint ?? (frameOf(f).result !== undefined ? 'result' : undefined);
      expect(where, `${f.file}: a topic, an endpoint or a result frame`).toBeDefined();
      if (f.model !== null) expect(f.source, f.file).toContain(f.model);
    }
  });

  it.each(fixtures.map((f) => [f.file, f] as const))(
    '%s has exactly its model’s fields and types',
    (_, f) => {
      if (f.model === null) return;
      const value = isFrame(f) ? frameOf(f).eventBody : f.value;
      expect(modelProblems(f.model, value)).toEqual([]);
    },
  );

  it('frames come in the notification envelope, on a topic of their template, with the mapped model', () => {
    for (const f of fixtures.filter(isFrame)) {
      const frame = frameOf(f);
      if (frame.result !== undefined) {
        expect(frame, f.file).toEqual({ result: '404' });
        continue;
      }
      for (const key of Object.keys(frame)) expect(ENVELOPE_FIELDS, `${f.file}: ${key}`).toContain(key);
      expect(frame.topicName, f.file).toMatch(topicPattern(f.topic ?? '?'));
      if (f.topic === 'channel.metadata') {
        expect(f.model, f.file).toBeNull();
        continue;
      }
      expect(f.model, f.file).toBe(TOPIC_MODELS[f.topic ?? '']);
      expect(frame.version, f.file).toBe('2');
      expect(typeof frame.metadata?.CorrelationId, f.file).toBe('string');
    }
  });

  it('use only documented enum values, and every frame passes the frame check the simulator is held to', () => {
    let checked = 0;
    for (const f of fixtures) {
      const body = (isFrame(f) ? frameOf(f).eventBody : f.value) as Record<string, unknown> | undefined;
      if (f.model && body) {
        expect(enumProblems(f.model, body), f.file).toEqual([]);
        checked++;
      }
      if (isFrame(f)) expect(frameProblems(f.value), f.file).toEqual([]);
    }
    expect(checked).toBeGreaterThan(12);
    expect(enumProblems('ChannelTopicEntityListing', { entities: [{ id: 't', state: 'Pending' }] })).toEqual([
      'state Pending',
    ]);
    const group = frameOf(fixtures.find((f) => f.file.endsWith('group-create-mention.json'))!);
    expect(
      frameProblems({ ...group, eventBody: { ...group.eventBody, actionType: 'create', to: 'r@x' } }),
    ).toEqual([
      'CollaborateChatGroupMessageEventTopicCollaborateChatMessage.to: string, the model CollaborateChatGroupMessageEventTopicCollaborateChatEntity is an object',
      'actionType create',
      'entityType undefined',
    ]);
  });

  it('room topics and `to` name the room by Room.id: the group id, or an adhoc room’s jid', () => {
    for (const f of fixtures.filter((x) => x.model?.startsWith('CollaborateChat'))) {
      const frame = frameOf(f);
      const to = frame.eventBody?.to as { entityId: string; entityJid: string; entityType: string };
      expect(frame.topicName, f.file).toBe(
        `v2.detail.events.collaboratechat.${to.entityType.toLowerCase()}.${to.entityId}.messages`,
      );
      if (to.entityType === 'Adhoc') expect(to.entityId, f.file).toBe(to.entityJid);
      else expect(to.entityId, f.file).not.toContain('@');
    }
  });

  it('cover every frame and notification answer the client handles', () => {
    const chat = fixtures.filter((f) => f.model?.startsWith('CollaborateChat'));
    const bodies = chat.map((f) => ({ f, body: frameOf(f).eventBody! }));
    for (const kind of ['group', 'adhoc'])
      for (const action of ENUMS.actionType)
        expect(
          bodies.some(({ f, body }) => f.topic?.includes(`.${kind}.`) && body.actionType === action),
          `${action} on a ${kind} topic`,
        ).toBe(true);
    expect(bodies.some(({ body }) => (body.mentions as unknown[] | undefined)?.length)).toBe(true);
    expect(bodies.some(({ body }) => Object.keys(body.reactions ?? {}).length > 0)).toBe(true);
    expect(bodies.some(({ body }) => body.notifyAll === true)).toBe(true);
    const topics = fixtures.map((f) => f.topic);
    for (const topic of [
      'v2.users.{id}.badges.chats',
      'channel.metadata',
      'v2.system.socket_closing',
      'v2.system.no_longer_subscribed.{id}',
      'v2.system.token_revoked.{id}',
    ])
      expect(topics, topic).toContain(topic);
    const metadata = fixtures.filter((f) => f.topic === 'channel.metadata').map((f) => frameOf(f).eventBody);
    expect(metadata).toEqual(
      expect.arrayContaining([{ message: 'WebSocket Heartbeat' }, { message: 'pong' }]),
    );
    expect(fixtures.some((f) => frameOf(f).result === '404')).toBe(true);
    expect(fixtures.some((f) => f.model === 'Channel')).toBe(true);
    const states = fixtures
      .filter((f) => f.model === 'ChannelTopicEntityListing')
      .flatMap((f) => (f.value as { entities: { state: string; rejectionReason?: string }[] }).entities);
    expect(states.some((t) => t.state === 'Permitted')).toBe(true);
    expect(states.some((t) => t.state === 'Rejected' && t.rejectionReason)).toBe(true);
  });
});
