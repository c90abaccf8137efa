// Trouble the user must see: pin limit, sign-in, 429 storm, damaged list; and retry and discard.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RequestBudget } from '../../../src/main/genesys/budget.ts';
import type { ChatApi } from '../../../src/main/genesys/chat-api.ts';
import { PIN_LIMIT_MESSAGE, SIGNED_OUT_REASON } from '../../../src/main/engine/outbox/failure.ts';
import type { OutboxItem } from '../../../src/main/engine/outbox/schema.ts';
import {
  client,
  colleagues,
  directRef,
  fileStorage,
  membersOf,
  outbox,
  outboxSuite,
  roomRef,
  sleep,
  unique,
  until,
  withText,
} from './helpers.ts';

const suite = outboxSuite(23);
const { track } = suite;

const pinsOf = (jid: string): string[] =>
  suite.sim.control.chats().find((c) => c.jid === jid)!.pinnedMessageIds;

describe('outbox trouble', () => {
  it('fails a sixth pin at once with a clear message, and pins it on retry once there is room', async () => {
    const { api } = client(suite.sim);
    const room = roomRef(suite.sim, 'Support Team');
    for (const id of pinsOf(room.jid)) suite.sim.control.unpin(id);
    const five = Array.from({ length: 5 }, (_, i) =>
      suite.sim.control.post({ as: suite.sim.demoUser.id, room: room.jid, body: `pin ${i}` }),
    );
    for (const m of five) suite.sim.control.pin(m.id);
    const sixth = suite.sim.control.post({ as: suite.sim.demoUser.id, room: room.jid, body: 'pin 5' });
    const ob = track(outbox(fileStorage(`${suite.dir}/pins.json`), () => api));
    ob.start();
    suite.sim.control.clearRequests();

    const item = await ob.settled((await ob.pin({ chat: room, messageId: sixth.id })).id);
    expect(item).toMatchObject({ state: 'failed', attempts: 1, lastError: { message: PIN_LIMIT_MESSAGE } });
    await sleep(150);
    expect(ob.item(item!.id)).toMatchObject({ state: 'failed', attempts: 1 }); // no retries
    expect(suite.sim.control.requests().entries.filter((e) => e.method === 'POST')).toEqual([]);
    expect(pinsOf(room.jid)).not.toContain(sixth.id);

    suite.sim.control.unpin(five[0]!.id);
    expect(await ob.retry(item!.id)).toBe(true);
    expect(await ob.settled(item!.id)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(pinsOf(room.jid)).toContain(sixth.id);
  });

  it("fails editing someone else's message without retrying, in words the user understands", async () => {
    const { api } = client(suite.sim);
    const room = roomRef(suite.sim, 'Engineering');
    const theirs = suite.sim.control.post({
      as: membersOf(suite.sim, room)[0]!,
      room: room.jid,
      body: 'their words',
    });
    const ob = track(outbox(fileStorage(`${suite.dir}/not-mine.json`), () => api));
    ob.start();
    const item = await ob.settled((await ob.edit({ chat: room, messageId: theirs.id, text: 'mine now' })).id);
    expect(item).toMatchObject({ state: 'failed', attempts: 1, lastError: { status: 403 } });
    expect(item?.lastError?.message).toBe('You can only edit your own messages.');
    expect(suite.sim.control.message(theirs.id)?.body).toBe('their words');
  });

  it('discards a waiting item so it is never sent, but not one being sent', async () => {
    const file = fileStorage(`${suite.dir}/discard.json`);
    const { api } = client(suite.sim);
    const room = roomRef(suite.sim, 'Watercooler');
    const since = Date.now() - 1000;
    const ob = track(outbox(file, () => api));
    const kept = unique('keep me');
    const dropped = unique('never mind');
    const a = await ob.reply({ chat: room, text: dropped });
    expect(await ob.discard(a.id)).toBe(true);
    expect(ob.items()).toEqual([]);
    expect(file.read()).toEqual([]);

    suite.sim.control.setLatency(300);
    ob.start();
    const b = await ob.reply({ chat: room, text: kept });
    await until(() => ob.item(b.id)?.state === 'sending', 'sending');
    expect(await ob.discard(b.id)).toBe(false);
    expect((await ob.settled(b.id))?.state).toBe('sent');
    suite.sim.control.setLatency(0);
    expect(await withText(suite.sim, room, dropped, since)).toEqual([]);
    expect(await withText(suite.sim, room, kept, since)).toHaveLength(1);
  });

  it('pauses with a sign-in reason when the token is revoked, and resumes with a new client', async () => {
    let current: ChatApi = client(suite.sim).api;
    const dm = directRef(colleagues(suite.sim)[2]!);
    const file = fileStorage(`${suite.dir}/signed-out.json`);
    const ob = track(outbox(file, () => current));
    const statuses: (string | undefined)[] = [];
    ob.onChange((v) => statuses.push(v.status.pauseReason));
    ob.start();
    suite.sim.control.revokeTokens(suite.sim.demoUser.id);
    const since = Date.now() - 1000;
    const text = unique('still there?');
    const queued = await ob.reply({ chat: dm, text });
    await until(() => ob.status().paused, 'the pause');

    expect(ob.status()).toMatchObject({ running: true, paused: true, pauseReason: SIGNED_OUT_REASON });
    expect(statuses).toContain(SIGNED_OUT_REASON);
    expect(ob.item(queued.id)).toMatchObject({
      state: 'queued',
      attempts: 0,
      lastError: { message: expect.stringMatching(/Sign in/) },
    });
    const second = await ob.reply({ chat: dm, text: `${text} (2)` });
    await sleep(100);
    expect(ob.item(second.id)?.state).toBe('queued'); // nothing goes out while paused
    expect((file.read() as OutboxItem[]).map((i) => i.state)).toEqual(['queued', 'queued']);

    current = client(suite.sim).api; // signed in again: a new token
    ob.resume();
    expect(ob.status().paused).toBe(false);
    const [a, b] = await Promise.all([ob.settled(queued.id), ob.settled(second.id)]);
    expect(a?.state).toBe('sent');
    expect(b?.state).toBe('sent');
    expect(await withText(suite.sim, dm, text, since)).toEqual([a!.result!.messageId]);
  });

  it('rides out a 429 storm within the request budget and sends each reply once, in order', async () => {
    // The simulator's Retry-After runs to a minute; the test shortens the budget's pause so the storm
    // passes in a second or two. The budget's counting is untouched.
    class QuickPauseBudget extends RequestBudget {
      override pauseUntil(time: number): void {
        super.pauseUntil(Math.min(time, Date.now() + 150));
      }
    }
    const perMinute = 40;
    const budget = new QuickPauseBudget({ perMinute, userReserve: 10 });
    const { api } = client(suite.sim, { budget });
    const room = roomRef(suite.sim, 'Support Team');
    const dm = directRef(colleagues(suite.sim)[0]!);
    const since = Date.now() - 1000;
    await api.me(); // the outbox's user, known before the storm
    suite.sim.control.setRateLimit(1); // ... and that one request used the token's minute
    suite.sim.control.clearRequests();
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, budget.used())), 5);
    const ob = track(outbox(fileStorage(`${suite.dir}/storm.json`), () => api));
    const waiting: string[] = [];
    ob.onChange((v) => v.items.forEach((i) => i.lastError && waiting.push(i.lastError.message)));
    ob.start();
    const tag = unique('storm');
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) {
      ids.push((await ob.reply({ chat: room, text: `${tag} ${i}` })).id);
      ids.push((await ob.reply({ chat: dm, text: `${tag} dm ${i}` })).id);
    }
    await until(() => ob.items().some((i) => i.attempts >= 2), 'retries under the storm');
    expect(ob.items().every((i) => i.state !== 'sent')).toBe(true);
    suite.sim.control.setRateLimit(null);

    const done = await Promise.all(ids.map((id) => ob.settled(id)));
    clearInterval(watch);
    expect(done.map((i) => i?.state)).toEqual(Array(6).fill('sent'));
    expect(waiting.some((m) => /too many requests/.test(m))).toBe(true);
    const log = suite.sim.control.requests();
    expect(log.counters.byStatus['429'] ?? 0).toBeGreaterThan(3);
    expect(most).toBeLessThanOrEqual(perMinute);
    expect(
      log.entries.filter((e) => e.userId === suite.sim.demoUser.id || e.status === 429).length,
    ).toBeLessThanOrEqual(perMinute);
    const { api: reader } = client(suite.sim);
    const roomBodies = (await reader.history(room, { after: since })).map((m) => m.body);
    expect(roomBodies.filter((b) => b.startsWith(tag))).toEqual([1, 2, 3].map((i) => `${tag} ${i}`));
    for (let i = 1; i <= 3; i++)
      expect(await withText(suite.sim, dm, `${tag} dm ${i}`, since)).toHaveLength(1);
  });

  it('keeps the valid items of a damaged saved list, reports the rest, and sends what was kept', async () => {
    const file = fileStorage(`${suite.dir}/damaged.json`);
    const room = roomRef(suite.sim, 'Engineering');
    const since = Date.now() - 1000;
    const text = unique('survived');
    const good: OutboxItem = {
      id: randomUUID(),
      action: { kind: 'reply', chat: room, text },
      createdAt: Date.now() - 500,
      state: 'queued',
      attempts: 0,
    };
    const failed: OutboxItem = {
      id: randomUUID(),
      action: { kind: 'pin', chat: room, messageId: 'm-1' },
      createdAt: Date.now() - 400,
      state: 'failed',
      attempts: 1,
      lastError: { message: PIN_LIMIT_MESSAGE },
    };
    file.write([
      good,
      { id: 'x', action: 'junk' },
      42,
      { ...failed, id: randomUUID(), state: 'lost' },
      failed,
    ]);
    const reported: string[] = [];
    const { api } = client(suite.sim);
    const ob = track(outbox(file, () => api, { report: (p) => reported.push(p) }));

    expect(ob.problems).toHaveLength(3);
    expect(reported).toEqual(ob.problems);
    expect(reported.join('\n')).not.toContain(text);
    expect(ob.items().map((i) => i.id)).toEqual([good.id, failed.id]);
    await ob.flush();
    expect((file.read() as OutboxItem[]).map((i) => i.id)).toEqual([good.id, failed.id]); // replaced

    ob.start();
    expect((await ob.settled(good.id))?.state).toBe('sent');
    expect(await withText(suite.sim, room, text, since)).toHaveLength(1);
  });

  it('starts empty, without crashing, on a file that is not a list or not JSON at all', async () => {
    const { api } = client(suite.sim);
    const notList = fileStorage(`${suite.dir}/not-list.json`);
    notList.write({ items: 'nope' });
    expect(track(outbox(notList, () => api)).problems[0]).toMatch(/not a list/);
    const garbage = fileStorage(`${suite.dir}/garbage.json`);
    garbage.write('{"truncated": [');
    const ob = track(outbox(garbage, () => api));
    expect(ob.problems[0]).toMatch(/could not be read/);
    expect(ob.items()).toEqual([]);
  });
});
