// The diagnostics report after a real session full of names, ids, texts and tokens (and wire
// surprises carrying them, and a rejection reason naming a room and a person): it says what went on
// (versions, host, connection history, topic states, every surprise with its shape) and holds not
// one token, message text, name or id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnosticsText, scrubReason } from '../../src/main/engine/diagnostics.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import { runEngine } from '../support/engine-harness.ts';
import { SocketTap } from './watch/harness.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 44, quiet: true, heartbeatIntervalMs: 5000 });
});
afterAll(() => sim.close());

describe('diagnostics', () => {
  it('tell what happened without a token, message text, name or id', async () => {
    const me = sim.demoUser;
    const rooms = sim.control.chats(me.id).filter((c) => c.kind === 'room' && c.participants.length > 1);
    const group = rooms.find((c) => c.roomType === 'group')!;
    const refused = rooms.find((c) => c.roomType === 'adhoc')!;
    const colleague = sim.users.find((u) => u.id !== me.id && group.participants.includes(u.id))!;
    sim.control.refuseTopics({
      room: refused.jid!,
      reason: `Room '${refused.name}' (${refused.id}) is not available to ${me.name} <${me.email}>`,
    });
    const tap = new SocketTap();
    const run = await runEngine(sim, { webSocketImpl: tap.Impl });
    try {
      await run.until(
        (r) => r.engine.state.get().connection === 'push' && r.engine.state.get().lastSyncAt !== null,
        5000,
        'push',
      );
      const texts = ['Zanzibar quokka deploy 7781', 'Marmalade checksum 4412', 'Periwinkle rollback 9093'];
      const posted = [
        sim.control.post({ as: colleague.id, room: group.jid!, body: texts[0]!, mentions: [me.id] }),
      ];
      sim.control.react({ as: colleague.id, messageId: posted[0]!.id, reactions: ['🦘'] });
      sim.control.manglePush({ count: 1, shape: 'unknown' });
      posted.push(sim.control.post({ as: colleague.id, room: group.jid!, body: texts[1]! }));
      sim.control.manglePush({ count: 1, shape: 'legacy' });
      const other = refused.participants.find((p) => p !== me.id)!;
      posted.push(sim.control.post({ as: other, room: refused.jid!, body: texts[2]!, mentions: [me.id] }));
      posted.push(sim.control.post({ as: colleague.id, toUser: me.id, body: 'a direct secret' }));
      posted.push(
        sim.control.post({ as: colleague.id, room: group.jid!, body: texts[2]!, mentions: [me.id] }),
      );
      // Frames whose values, keys and topics carry ids, names and text.
      tap.inject(
        JSON.stringify({
          topicName: `v2.users.${me.id}.conversations.${colleague.jid}`,
          eventBody: { [me.email]: colleague.name, [colleague.id]: [texts[0]], a1b2c3d4e5f60718293a4b5c: 1 },
        }),
      );
      tap.inject(
        JSON.stringify({
          topicName: `v2.users.${me.id}.badges.chats`,
          eventBody: { entity: { jabberId: 42, name: me.name }, unreadCount: 'many' },
        }),
      );
      sim.control.systemNotice({ kind: 'no_longer_subscribed', userId: me.id });
      await run.until(
        (r) =>
          posted.every((m) => r.shown.some((n) => n.messageIds.includes(m.id)) || m.id === posted[1]!.id),
        5000,
        'the session’s notifications',
      );
      await run.until((r) => r.engine.wireStats.total() >= 4, 3000, 'the surprises');
      await run.until(
        (r) => r.engine.diagnostics({ name: '', version: '' }).push.chatsRecovered >= 1,
        3000,
        'a room read after a surprise',
      );

      const report = run.engine.diagnostics({ name: 'Genesys Chat Tray', version: '9.8.7' });
      const text = diagnosticsText(report);

      // What it says.
      expect(report.app).toEqual({ name: 'Genesys Chat Tray', version: '9.8.7' });
      expect(report.platform.node).toBe(process.versions.node);
      expect(report.environment).toEqual({ kind: 'demo', host: new URL(sim.url).host });
      expect(report.connection.state).toBe('push');
      expect(report.connection.history.map((h) => h.state)).toEqual(
        expect.arrayContaining(['signed-out', 'connecting', 'push']),
      );
      expect(report.topics.byFamily.room).toMatchObject({ Rejected: 1 });
      expect(report.topics.rejectionReasons).toEqual([
        { reason: 'Room … ({id}) is not available to {name} {name} <{id}>', count: 1 },
      ]);
      expect(report.push.systemNotices).toEqual({ no_longer_subscribed: 1 });
      expect(report.push.chatsRecovered).toBeGreaterThanOrEqual(1);
      const kinds = report.wire.surprises.map((s) => s.kind);
      expect(kinds).toEqual(
        expect.arrayContaining([
          'push chat event: messageId invalid_type',
          'push chat event: from invalid_type',
          'push: a topic of an unknown family (v2.users.{id}.conversations.{id}.local)',
          'push badge: entity.jabberId invalid_type',
        ]),
      );
      expect(report.wire.surprises.find((s) => s.kind.includes('unknown family'))!.shape).toEqual({
        '<key>': 'number',
      });

      // What it must never say.
      const people = sim.users.flatMap((u) => [u.id, u.name, u.email, u.jid, ...u.name.split(' ')]);
      const chats = sim.control.chats().flatMap((c) => [c.id, c.jid ?? c.id, c.name]);
      const forbidden = [
        ...people,
        ...chats,
        ...posted.map((m) => m.id),
        ...texts,
        'a direct secret',
        '🦘',
        ...sim.control.issuedSecrets(),
        ...sim.control.channels().map((c) => c.id),
        'gct-engine-test',
      ].filter((s) => s.length >= 3);
      expect(forbidden.length).toBeGreaterThan(60);
      const leaks = forbidden.filter((secret) => text.includes(secret));
      expect(leaks).toEqual([]);
    } finally {
      await run.stop();
      sim.control.resetFaults();
    }
  });
});

describe('scrubReason', () => {
  it('keeps the service’s words and drops quotes, ids, jids, emails, numbers and names', () => {
    expect(scrubReason('Topic not permitted')).toBe('Topic not permitted');
    expect(scrubReason('Missing permission chat:chat:access for user 3f2a-77')).toBe(
      'Missing permission {id} for user {id}',
    );
    expect(scrubReason(`Room "Acme escalation" is closed; ask Priya Raman (priya@x.example)`)).toBe(
      'Room … is closed; ask {name} {name} ({id})',
    );
    expect(scrubReason('x'.repeat(400)).length).toBeLessThanOrEqual(160);
    expect(scrubReason('deadbeefcafebabe')).toBe('{id}');
  });
});
