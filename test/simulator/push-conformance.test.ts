// The simulator speaks the official push models: in a realistic session (posts with mentions,
// edits, reactions, deletes in a group and an adhoc room, a 1on1 badge, heartbeats, a ping, system
// notices, socket_closing, the 404), every frame it sends and every notification REST answer it
// gives has its model's fields and types, no field the model lacks, and documented enum values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.ts';
import { enumProblems, frameProblems, templateOf } from '../support/push-models.ts';
import { modelProblems } from '../support/sdk-models.ts';
import { call, SocketProbe, startTestSimulator } from './helpers.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startTestSimulator({ heartbeatIntervalMs: 100, socketClosingGraceMs: 50 });
});
afterAll(() => sim.close());

interface Answer {
  model: string;
  route: string;
  body: unknown;
}

describe('the simulator against the official push models', () => {
  it('sends only frames and notification answers that match their models', async () => {
    const me = sim.demoUser.id;
    const token = sim.control.actAs(me).accessToken;
    const answers: Answer[] = [];
    const rest = async (model: string, method: string, path: string, body?: unknown) => {
      const res = await call(sim, method, path, { token, ...(body !== undefined ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(200);
      answers.push({ model, route: `${method} ${path.replace(/[0-9a-f-]{36}/g, '{id}')}`, body: res.json });
      return res.json;
    };

    const mine = sim.control.chats(me);
    const group = mine.find((c) => c.roomType === 'group')!;
    const adhoc = mine.find((c) => c.roomType === 'adhoc')!;
    const colleague = (room: typeof group) => room.participants.find((p) => p !== me)!;
    const topicOf = (room: typeof group) =>
      `v2.detail.events.collaboratechat.${room.roomType}.${room.roomType === 'adhoc' ? room.jid : room.id}.messages`;
    const wanted = [
      `v2.users.${me}.badges.chats`,
      ...mine.filter((c) => c.kind === 'room').map(topicOf),
      // The other spelling of a group room: Rejected, with a reason.
      `v2.detail.events.collaboratechat.group.${group.jid}.messages`,
    ];

    const channel = await rest('Channel', 'POST', '/api/v2/notifications/channels');
    const base = `/api/v2/notifications/channels/${channel.id}/subscriptions`;
    await rest(
      'ChannelTopicEntityListing',
      'PUT',
      `${base}?ignoreErrors=true`,
      wanted.map((id) => ({ id })),
    );
    await rest('ChannelTopicEntityListing', 'POST', `${base}?ignoreErrors=true`, [{ id: topicOf(adhoc) }]);
    await rest('ChannelTopicEntityListing', 'GET', base);
    await rest('ChannelEntityListing', 'GET', '/api/v2/notifications/channels');

    const frames: unknown[] = [];
    const socket = new SocketProbe(channel.connectUri);
    socket.ws.on('message', (data) => frames.push(JSON.parse(String(data))));
    await socket.opened;
    try {
      for (const room of [group, adhoc]) {
        const other = colleague(room);
        const posted = sim.control.post({ as: other, room: room.jid!, body: `@here Alex?`, mentions: [me] });
        sim.control.edit({ as: other, messageId: posted.id, body: 'Alex, now?', mentions: [me] });
        sim.control.react({ as: me, messageId: posted.id, reactions: ['👍', '🎉'] });
        const reply = sim.control.post({
          as: other,
          room: room.jid!,
          body: 'in a thread',
          threadId: posted.id,
        });
        sim.control.delete({ as: other, messageId: reply.id });
      }
      sim.control.post({ as: colleague(group), toUser: me, body: 'a direct message' });
      await socket.next((m) => m.eventBody?.message === 'WebSocket Heartbeat');
      socket.ws.send(JSON.stringify({ message: 'ping' }));
      await socket.next((m) => m.eventBody?.message === 'pong');
      sim.control.systemNotice({ kind: 'no_longer_subscribed', userId: me });
      await socket.next((m) => String(m.topicName).startsWith('v2.system.no_longer_subscribed'));
      sim.control.socketClosing({ userId: me });
      await socket.next((m) => m.topicName === 'v2.system.socket_closing');
      await socket.closed;
      const again = new SocketProbe(channel.connectUri);
      again.ws.on('message', (data) => frames.push(JSON.parse(String(data))));
      await again.opened;
      sim.control.revokeTokens(me);
      await again.next((m) => m.result === '404');
      await again.closed;
    } finally {
      socket.close();
    }

    // Every frame, whatever it was.
    const problems = frames.flatMap((f) =>
      frameProblems(f).map((p) => `${JSON.stringify(f).slice(0, 120)}: ${p}`),
    );
    expect(problems).toEqual([]);
    for (const a of answers) {
      expect(modelProblems(a.model, a.body), a.route).toEqual([]);
      expect(enumProblems(a.model, a.body as Record<string, unknown>), a.route).toEqual([]);
    }

    // And the session really produced each kind of frame and answer.
    const topics = frames.map((f) => (f as { topicName?: string }).topicName ?? 'result');
    const bodies = frames.flatMap((f) => {
      const frame = f as { topicName?: string; eventBody?: { actionType?: string } };
      return frame.eventBody?.actionType
        ? [`${templateOf(frame.topicName ?? '')} ${frame.eventBody.actionType}`]
        : [];
    });
    for (const kind of ['group', 'adhoc'])
      for (const action of ['Create', 'Edit', 'Delete'])
        expect(bodies, `${action} on ${kind}`).toContain(
          `v2.detail.events.collaboratechat.${kind}.{id}.messages ${action}`,
        );
    expect(topics).toContain(`v2.users.${me}.badges.chats`);
    expect(topics).toContain('channel.metadata');
    expect(topics).toContain('v2.system.socket_closing');
    expect(topics.some((t) => t.startsWith('v2.system.no_longer_subscribed.'))).toBe(true);
    expect(topics.some((t) => t.startsWith('v2.system.token_revoked.'))).toBe(true);
    expect(topics).toContain('result');
    const listing = answers[1]!.body as {
      entities: { id: string; state: string; rejectionReason?: string }[];
    };
    expect(listing.entities.map((t) => t.id)).toEqual(wanted);
    expect(listing.entities.filter((t) => t.state === 'Rejected')).toEqual([
      { id: wanted.at(-1), state: 'Rejected', rejectionReason: expect.any(String) },
    ]);
  });
});
