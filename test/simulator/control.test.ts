// The control interface over HTTP (/_sim), the traffic generator, and determinism per seed.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Simulator } from '../../src/simulator/index.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import { call, isTopic, SocketProbe, startTestSimulator } from './helpers.ts';

let sim: Simulator;

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(() => sim.close());

describe('control over HTTP', () => {
  it('lists users and chats and issues tokens', async () => {
    const users = await call(sim, 'GET', '/_sim/users');
    expect(users.json).toEqual(sim.users);
    expect(users.json).toHaveLength(9);
    const chats = await call(sim, 'GET', `/_sim/chats?userId=${encodeURIComponent(sim.demoUser.email)}`);
    expect(chats.json.length).toBe(sim.control.chats(sim.demoUser.id).length);
    const issued = await call(sim, 'POST', '/_sim/tokens', {
      body: { user: sim.users[2]?.email, lifetimeSeconds: 600 },
    });
    expect(issued.json).toMatchObject({ userId: sim.users[2]?.id, expiresIn: 600 });
    const me = await call(sim, 'GET', '/api/v2/users/me', { token: issued.json.accessToken });
    expect(me.json.id).toBe(sim.users[2]?.id);
    const service = await call(sim, 'POST', '/_sim/tokens', { body: { clientCredentials: true } });
    expect(service.json.userId).toBeNull();
    expect((await call(sim, 'POST', '/_sim/tokens', { body: { user: 'nobody' } })).status).toBe(404);
    expect((await call(sim, 'POST', '/_sim/tokens', { body: { lifetimeSeconds: 'long' } })).status).toBe(400);
  });

  it('posts, edits, reacts, pins and deletes as any user, emitting the same events', async () => {
    const token = sim.control.actAs(sim.demoUser.id).accessToken;
    const support = sim.control.chats().find((c) => c.name === 'Support Team');
    const topic = `v2.detail.events.collaboratechat.group.${support?.id}.messages`;
    const channel = await call(sim, 'POST', '/api/v2/notifications/channels', { token });
    await call(sim, 'PUT', `/api/v2/notifications/channels/${channel.json.id}/subscriptions`, {
      token,
      body: [{ id: topic }],
    });
    const socket = new SocketProbe(channel.json.connectUri);
    await socket.opened;
    try {
      const poster = support?.participants.find((p) => p !== sim.demoUser.id) ?? '';
      const posted = await call(sim, 'POST', '/_sim/messages', {
        body: { as: poster, room: support?.jid, body: 'Hello from control', mentions: [sim.demoUser.email] },
      });
      expect(posted.status).toBe(200);
      expect(posted.json.mentions).toEqual({ [sim.demoUser.id]: sim.users[0]?.jid });
      expect((await socket.next(isTopic(topic))).eventBody).toMatchObject({
        actionType: 'Create',
        messageId: posted.json.id,
      });
      const edited = await call(sim, 'PATCH', `/_sim/messages/${posted.json.id}`, {
        body: { as: poster, body: 'Edited' },
      });
      expect(edited.json).toMatchObject({ body: 'Edited', edited: true });
      await socket.next(isTopic(topic));
      const reacted = await call(sim, 'PUT', `/_sim/messages/${posted.json.id}/reactions`, {
        body: { as: sim.demoUser.id, reactions: ['👍'] },
      });
      expect(reacted.json.reactions).toEqual([
        { emoji: '👍', users: [{ id: sim.demoUser.id, selfUri: `/api/v2/users/${sim.demoUser.id}` }] },
      ]);
      expect((await socket.next(isTopic(topic))).eventBody.reactions).toEqual({ '👍': [sim.demoUser.id] });
      expect((await call(sim, 'POST', `/_sim/messages/${posted.json.id}/pin`)).status).toBe(204);
      const room = await call(sim, 'GET', `/api/v2/chats/rooms/${support?.jid}`, { token });
      expect(room.json.pinnedMessages.map((p: { id: string }) => p.id)).toContain(posted.json.id);
      expect((await call(sim, 'DELETE', `/_sim/messages/${posted.json.id}/pin`)).status).toBe(204);
      expect(
        (await call(sim, 'DELETE', `/_sim/messages/${posted.json.id}?as=${sim.demoUser.id}`)).status,
      ).toBe(403);
      expect((await call(sim, 'DELETE', `/_sim/messages/${posted.json.id}?as=${poster}`)).status).toBe(204);
      expect((await socket.next(isTopic(topic))).eventBody.actionType).toBe('Delete');
      expect((await call(sim, 'GET', `/_sim/messages/${posted.json.id}`)).status).toBe(404);
      const dm = await call(sim, 'POST', '/_sim/messages', {
        body: { as: poster, toUser: sim.demoUser.id, body: 'psst' },
      });
      expect(dm.json.toUser.id).toBe(sim.demoUser.id);
      expect(
        (await call(sim, 'POST', '/_sim/messages', { body: { as: poster, body: 'nowhere' } })).status,
      ).toBe(400);
    } finally {
      socket.close();
    }
  });

  it('drives faults, rate limit, clock, oauth and the request log', async () => {
    const token = sim.control.actAs(sim.demoUser.id).accessToken;
    expect((await call(sim, 'POST', '/_sim/faults/errors', { body: { count: 1, status: 500 } })).status).toBe(
      204,
    );
    expect((await call(sim, 'GET', '/api/v2/users/me', { token })).status).toBe(500);
    expect((await call(sim, 'POST', '/_sim/faults/errors', { body: { count: 1, status: 200 } })).status).toBe(
      400,
    );
    expect((await call(sim, 'POST', '/_sim/faults/latency', { body: { ms: 0 } })).status).toBe(204);
    expect((await call(sim, 'PUT', '/_sim/rate-limit', { body: { perMinute: 1 } })).status).toBe(204);
    const fresh = sim.control.actAs(sim.demoUser.id).accessToken;
    await call(sim, 'GET', '/api/v2/users/me', { token: fresh });
    expect((await call(sim, 'GET', '/api/v2/users/me', { token: fresh })).status).toBe(429);
    expect((await call(sim, 'PUT', '/_sim/rate-limit', { body: { perMinute: null } })).status).toBe(204);
    expect((await call(sim, 'GET', '/api/v2/users/me', { token: fresh })).status).toBe(200);
    expect((await call(sim, 'PUT', '/_sim/clock', { body: { offsetMs: 1000 } })).status).toBe(204);
    expect((await call(sim, 'PUT', '/_sim/oauth', { body: { refreshTokens: false } })).status).toBe(204);
    expect((await call(sim, 'POST', '/_sim/faults/reset')).status).toBe(204);
    const channel = await call(sim, 'POST', '/api/v2/notifications/channels', { token });
    const listed = await call(sim, 'GET', '/_sim/channels');
    expect(listed.json.map((c: { id: string }) => c.id)).toContain(channel.json.id);
    expect((await call(sim, 'DELETE', `/_sim/channels/${channel.json.id}`)).json).toEqual({ deleted: true });
    expect((await call(sim, 'POST', '/_sim/faults/drop-sockets')).json).toEqual({ dropped: 0 });
    expect((await call(sim, 'POST', '/_sim/faults/socket-closing', { body: { graceMs: 10 } })).json).toEqual({
      sockets: 0,
    });
    const requests = await call(sim, 'GET', '/_sim/requests');
    expect(requests.json.counters.total).toBeGreaterThan(0);
    expect(requests.json.entries.every((e: { path: string }) => !e.path.startsWith('/_sim'))).toBe(true);
    expect((await call(sim, 'DELETE', '/_sim/requests')).status).toBe(204);
    expect(
      (await call(sim, 'POST', '/_sim/faults/expire-tokens', { body: { userId: sim.demoUser.id } })).json
        .expired,
    ).toBeGreaterThan(0);
    expect((await call(sim, 'GET', '/api/v2/users/me', { token })).status).toBe(401);
    expect((await call(sim, 'POST', '/_sim/faults/revoke-tokens', {})).status).toBe(200);
    expect((await call(sim, 'GET', '/_sim/nothing')).status).toBe(404);
    expect((await call(sim, 'PUT', '/_sim/users')).status).toBe(405);
    expect(
      (
        await call(sim, 'POST', '/_sim/messages', {
          body: '{bad',
          headers: { 'Content-Type': 'application/json' },
        })
      ).status,
    ).toBe(400);
  });
});

describe('traffic generator', () => {
  it('keeps the demo alive: posts, mentions, DMs, reactions and replies', async () => {
    const before = sim.control.chats().reduce((n, c) => n + c.messageCount, 0);
    const actions = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const action = (await call(sim, 'POST', '/_sim/traffic/tick')).json.action as string;
      actions.add(action.split(' ')[0] ?? '');
    }
    expect([...actions].sort()).toEqual(['direct', 'mention', 'post', 'reaction', 'thread'].sort());
    const after = sim.control.chats().reduce((n, c) => n + c.messageCount, 0);
    expect(after).toBeGreaterThan(before);
  });

  it('runs on unref-ed timers that start and stop', async () => {
    expect((await call(sim, 'GET', '/_sim/traffic')).json).toEqual({ running: false });
    await call(sim, 'POST', '/_sim/traffic/start', { body: { minIntervalMs: 10, maxIntervalMs: 20 } });
    expect(sim.control.trafficRunning()).toBe(true);
    const before = sim.control.chats().reduce((n, c) => n + c.messageCount, 0);
    await new Promise((r) => setTimeout(r, 200));
    await call(sim, 'POST', '/_sim/traffic/stop');
    expect(sim.control.trafficRunning()).toBe(false);
    expect(sim.control.chats().reduce((n, c) => n + c.messageCount, 0)).toBeGreaterThan(before);
    const live = await startSimulator({ seed: 3, traffic: { minIntervalMs: 5, maxIntervalMs: 10 } });
    expect(live.control.trafficRunning()).toBe(true);
    await live.close();
    expect(live.control.trafficRunning()).toBe(false);
  });
});

describe('determinism', () => {
  async function snapshot(seed: number) {
    const s = await startSimulator({ seed });
    try {
      const token = s.control.actAs(s.demoUser.id).accessToken;
      const chats = s.control.chats();
      const room = chats.find((c) => c.name === 'Support Team');
      const history = await call(s, 'GET', `/api/v2/chats/rooms/${room?.jid}/messages?limit=100`, { token });
      s.control.trafficTick();
      const ticked = s.control.chats().map((c) => c.messageCount);
      return {
        users: s.users,
        chats: chats.map((c) => [c.id, c.jid, c.name, c.messageCount, c.pinnedMessageIds]),
        bodies: history.json.entities.map((m: { id: string; body: string; reactions?: unknown }) => [
          m.id,
          m.body,
          m.reactions,
        ]),
        ticked,
      };
    } finally {
      await s.close();
    }
  }

  it('builds the same org, history and traffic for the same seed, and another for another seed', async () => {
    const a = await snapshot(11);
    const b = await snapshot(11);
    const c = await snapshot(12);
    expect(b).toEqual(a);
    expect(c.users.map((u) => u.id)).not.toEqual(a.users.map((u) => u.id));
    expect(c.users.map((u) => u.name)).toEqual(a.users.map((u) => u.name));
    expect(c.bodies).not.toEqual(a.bodies);
  });

  it('gives the same ids and relative dates whatever the start time', async () => {
    const relative = async (now: string) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(now));
      const s = await startSimulator({ seed: 21 });
      try {
        const start = Date.now();
        const token = s.control.actAs(s.demoUser.id).accessToken;
        const room = s.control.chats().find((c) => c.name === 'Engineering');
        const history = await call(s, 'GET', `/api/v2/chats/rooms/${room?.jid}/messages?limit=50`, { token });
        return history.json.entities.map((m: { id: string; dateCreated: string }) => [
          m.id,
          start - Date.parse(m.dateCreated),
        ]);
      } finally {
        await s.close();
        vi.useRealTimers();
      }
    };
    expect(await relative('2030-01-01T03:00:00Z')).toEqual(await relative('2030-06-15T15:30:00Z'));
  });

  it('close() ends sockets, timers and the server', async () => {
    const s = await startSimulator({ seed: 2, traffic: true, heartbeatIntervalMs: 20 });
    const token = s.control.actAs(s.demoUser.id).accessToken;
    const channel = await call(s, 'POST', '/api/v2/notifications/channels', { token });
    const socket = new SocketProbe(channel.json.connectUri);
    await socket.opened;
    await Promise.all([s.close(), s.close()]);
    expect((await socket.closed).code).toBeGreaterThan(0);
    await expect(fetch(`${s.url}/_sim/users`)).rejects.toThrow();
  });

  it('validates options', async () => {
    await expect(startSimulator({ controlToken: 'short' })).rejects.toThrow(/controlToken/);
    await expect(startSimulator({ port: -1 })).rejects.toThrow(RangeError);
    await expect(startSimulator({ historyPageLimit: 0 })).rejects.toThrow(/historyPageLimit/);
    await expect(startSimulator({ seed: Number.NaN })).rejects.toThrow(/seed/);
  });
});

/** A request with any Host header (fetch would not send one of the test's choosing). */
function withHost(
  sim: Simulator,
  host: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: sim.port, path, method: 'GET', headers: { ...headers, Host: host } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('who may use the simulator', () => {
  it('answers the control interface only with this run’s control token', async () => {
    const other = await startTestSimulator();
    try {
      expect(other.controlToken).not.toBe(sim.controlToken);
      expect(sim.controlToken.length).toBeGreaterThanOrEqual(40);
      for (const controlToken of [null, '', 'wrong-token-of-enough-length', other.controlToken]) {
        const res = await call(sim, 'GET', '/_sim/tokens/issued', { controlToken });
        expect(res.status, String(controlToken)).toBe(403);
        expect(res.json.message).toContain('x-sim-control-token');
        expect(
          (await call(sim, 'POST', '/_sim/faults/revoke-tokens', { controlToken, body: {} })).status,
        ).toBe(403);
      }
      expect((await call(sim, 'GET', '/_sim/tokens/issued')).status).toBe(200);
      const fixed = await startTestSimulator({ controlToken: 'a-fixed-token-for-this-test' });
      try {
        expect(fixed.controlToken).toBe('a-fixed-token-for-this-test');
        expect((await call(fixed, 'GET', '/_sim/users')).status).toBe(200);
      } finally {
        await fixed.close();
      }
    } finally {
      await other.close();
    }
  });

  it('refuses a Host that is not a loopback name of this machine (DNS rebinding), on every path', async () => {
    const token = { 'x-sim-control-token': sim.controlToken };
    for (const host of [
      'evil.example',
      `evil.example:${sim.port}`,
      `127.0.0.1.nip.io:${sim.port}`,
      '127.0.0.1:1',
    ]) {
      expect(await withHost(sim, host, '/_sim/tokens/issued', token), host).toBe(421);
      expect(await withHost(sim, host, '/api/v2/users/me'), host).toBe(421);
      expect(await withHost(sim, host, '/oauth/authorize'), host).toBe(421);
    }
    for (const host of [`127.0.0.1:${sim.port}`, `localhost:${sim.port}`, `LOCALHOST:${sim.port}`]) {
      expect(await withHost(sim, host, '/_sim/users', token), host).toBe(200);
    }
    const ws = new WebSocket(`ws://127.0.0.1:${sim.port}/channels/x`, { headers: { Host: 'evil.example' } });
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(status).toBe(421);
  });

  it('refuses cross-site requests to the control interface, even with the token', async () => {
    const site = (headers: Record<string, string>) =>
      call(sim, 'POST', '/_sim/faults/revoke-tokens', { headers, body: {} }).then((r) => r.status);
    expect(await site({ Origin: 'https://evil.example' })).toBe(403);
    expect(await site({ Origin: 'null' })).toBe(403);
    expect(await site({ Origin: `http://evil.example:${sim.port}` })).toBe(403);
    expect(await site({ 'Sec-Fetch-Site': 'cross-site' })).toBe(403);
    expect(await site({ 'Sec-Fetch-Site': 'same-site' })).toBe(403);
    expect(await site({ Origin: `http://127.0.0.1:${sim.port}`, 'Sec-Fetch-Site': 'same-origin' })).toBe(200);
    expect(await site({ 'Sec-Fetch-Site': 'none' })).toBe(200);
  });

  it('caps bulk loads', async () => {
    const bulk = (body: unknown) => call(sim, 'POST', '/_sim/bulk', { body }).then((r) => r.status);
    expect(await bulk({ rooms: 10_000, messagesPerRoom: 1 })).toBe(400);
    expect(await bulk({ rooms: 1, messagesPerRoom: 1_000_000 })).toBe(400);
    expect(await bulk({ rooms: 1000, messagesPerRoom: 1000 })).toBe(400);
    expect(() => sim.control.bulkLoad({ rooms: 1000, messagesPerRoom: 1000 })).toThrow(/at most/);
    expect(await bulk({ rooms: 2, messagesPerRoom: 3 })).toBe(200);
  });
});
