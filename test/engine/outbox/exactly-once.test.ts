// A reply lands exactly once through 503s, lost answers, timeouts, offline restarts and mid-send crashes.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChatRef } from '../../../src/main/engine/model.ts';
import type { OutboxItem } from '../../../src/main/engine/outbox/schema.ts';
import {
  client,
  closedPort,
  colleagues,
  directRef,
  fileStorage,
  losingAnswers,
  outbox,
  outboxSuite,
  roomRef,
  unique,
  until,
  withText,
} from './helpers.ts';

const suite = outboxSuite(22);
const { track } = suite;

function savedItem(chat: ChatRef, text: string, over: Partial<OutboxItem> = {}): OutboxItem {
  return {
    id: randomUUID(),
    action: { kind: 'reply', chat, text },
    createdAt: Date.now() - 2_000,
    state: 'queued',
    attempts: 0,
    ...over,
  };
}

describe('a reply lands exactly once', () => {
  it('rides out a burst of 503s without overtaking or doubling', async () => {
    const { api } = client(suite.sim);
    const room = roomRef(suite.sim, 'Support Team');
    const ob = track(outbox(fileStorage(`${suite.dir}/burst.json`), () => api));
    const since = Date.now() - 1000;
    const first = unique('first');
    const second = unique('second');
    suite.sim.control.failNext(3, 503);
    ob.start();
    const a = await ob.reply({ chat: room, text: first });
    const b = await ob.reply({ chat: room, text: second });

    const [doneA, doneB] = await Promise.all([ob.settled(a.id), ob.settled(b.id)]);
    expect(doneA).toMatchObject({ state: 'sent' });
    expect(doneA!.attempts).toBeGreaterThan(1); // the burst was felt and retried
    expect(doneB).toMatchObject({ state: 'sent' });
    expect(await withText(suite.sim, room, first, since)).toEqual([doneA!.result!.messageId]);
    expect(await withText(suite.sim, room, second, since)).toEqual([doneB!.result!.messageId]);
    const { api: reader } = client(suite.sim);
    const bodies = (await reader.history(room, { after: since })).map((m) => m.body);
    expect(bodies.indexOf(first)).toBeLessThan(bodies.indexOf(second));
  });

  it('does not post again when the POST landed but its answer was lost', async () => {
    const { api } = client(suite.sim, { fetch: losingAnswers(1) });
    const room = roomRef(suite.sim, 'Engineering');
    const ob = track(outbox(fileStorage(`${suite.dir}/lost.json`), () => api));
    const since = Date.now() - 1000;
    const text = unique('deploying now');
    ob.start();
    const item = await ob.settled((await ob.reply({ chat: room, text })).id);

    const landed = await withText(suite.sim, room, text, since);
    expect(landed).toHaveLength(1);
    expect(item).toMatchObject({
      state: 'sent',
      attempts: 2,
      result: { messageId: landed[0], recovered: true },
    });
  });

  it('posts once when the client timed out before the server got to it', async () => {
    const { api } = client(suite.sim, { timeoutMs: 150 });
    const dm = directRef(colleagues(suite.sim)[0]!);
    const ob = track(outbox(fileStorage(`${suite.dir}/timeout.json`), () => api));
    const since = Date.now() - 1000;
    const text = unique('are you free?');
    suite.sim.control.setLatency(400);
    ob.start();
    const queued = await ob.reply({ chat: dm, text });
    await until(
      () => (ob.item(queued.id)?.attempts ?? 0) >= 1 && ob.item(queued.id)?.state === 'queued',
      'a timeout',
    );
    expect(ob.item(queued.id)?.lastError?.message).toMatch(/did not answer/);
    suite.sim.control.setLatency(0);

    const item = await ob.settled(queued.id);
    expect(item?.state).toBe('sent');
    expect(await withText(suite.sim, dm, text, since)).toEqual([item!.result!.messageId]);
  });

  it('keeps a reply queued while offline and sends it once after a restart', async () => {
    const file = fileStorage(`${suite.dir}/offline.json`);
    const offline = client(suite.sim, { apiBase: `http://127.0.0.1:${await closedPort()}` });
    const room = roomRef(suite.sim, 'Watercooler');
    const since = Date.now() - 1000;
    const text = unique('lunch at noon?');
    const before = track(outbox(file, () => offline.api, { backoff: { minMs: 5_000, maxMs: 5_000 } }));
    before.start();
    const queued = await before.reply({ chat: room, text });
    await until(
      () => before.item(queued.id)?.attempts === 1 && before.item(queued.id)?.state === 'queued',
      'a failed attempt',
    );
    await before.stop();
    const saved = (file.read() as OutboxItem[])[0]!;
    expect(saved).toMatchObject({ id: queued.id, state: 'queued', attempts: 1 });
    expect(saved.nextAttemptAt).toBeGreaterThan(Date.now()); // the backoff survives the restart
    expect(saved.lastError?.message).toMatch(/did not answer/);

    const { api } = client(suite.sim);
    const after = track(outbox(file, () => api));
    after.start();
    after.kick(); // back online
    const item = await after.settled(queued.id);
    expect(item).toMatchObject({ state: 'sent', attempts: 2 });
    expect(await withText(suite.sim, room, text, since)).toEqual([item!.result!.messageId]);
  });

  it('honours a saved backoff after a restart until kicked', async () => {
    const file = fileStorage(`${suite.dir}/backoff.json`);
    const room = roomRef(suite.sim, 'Watercooler');
    const text = unique('later');
    const saved = savedItem(room, text, { attempts: 2, nextAttemptAt: Date.now() + 60_000 });
    file.write([saved]);
    const { api } = client(suite.sim);
    const ob = track(outbox(file, () => api));
    ob.start();
    await new Promise((r) => setTimeout(r, 150));
    expect(ob.item(saved.id)?.state).toBe('queued');
    expect(await withText(suite.sim, room, text, saved.createdAt - 1000)).toEqual([]);
    ob.kick();
    expect((await ob.settled(saved.id))?.state).toBe('sent');
  });

  it('after dying mid-send, records a reply that landed and posts one that did not, each once', async () => {
    const file = fileStorage(`${suite.dir}/crash.json`);
    const room = roomRef(suite.sim, 'Support Team');
    const since = Date.now() - 5_000;
    const landedText = unique('landed before the crash');
    const lostText = unique('lost in the crash');
    const startedAt = Date.now() - 1_000;
    const landed = savedItem(room, landedText, { state: 'sending', attempts: 1, startedAt });
    suite.sim.control.post({ as: suite.sim.demoUser.id, room: room.jid, body: landedText });
    const lost = savedItem(directRef(colleagues(suite.sim)[1]!), lostText, {
      state: 'sending',
      attempts: 1,
      startedAt,
    });
    file.write([landed, lost]);

    const { api } = client(suite.sim);
    const ob = track(outbox(file, () => api));
    // Woken as queued-but-unsure, and written back so.
    expect(ob.item(landed.id)).toMatchObject({ state: 'queued', unsureSince: startedAt });
    ob.start();
    const [a, b] = await Promise.all([ob.settled(landed.id), ob.settled(lost.id)]);
    const landedIds = await withText(suite.sim, room, landedText, since);
    expect(landedIds).toHaveLength(1);
    expect(a).toMatchObject({ state: 'sent', result: { messageId: landedIds[0], recovered: true } });
    const lostIds = await withText(suite.sim, lost.action.chat, lostText, since);
    expect(lostIds).toEqual([b!.result!.messageId]);
    expect(b!.result!.recovered).toBeUndefined();
  });

  it('matches identical replies in order: each claims its own message, the missing one is posted', async () => {
    const file = fileStorage(`${suite.dir}/twins.json`);
    const room = roomRef(suite.sim, 'Engineering');
    const since = Date.now() - 5_000;
    const text = unique('+1');
    const startedAt = Date.now() - 1_000;
    // Both may have landed, but only one did (e.g. the second never left the machine).
    const first = savedItem(room, text, { state: 'sending', attempts: 1, startedAt });
    const second = savedItem(room, text, {
      createdAt: first.createdAt + 1,
      attempts: 1,
      unsureSince: startedAt,
    });
    const posted = suite.sim.control.post({ as: suite.sim.demoUser.id, room: room.jid, body: text });
    file.write([first, second]);

    const { api } = client(suite.sim);
    const ob = track(outbox(file, () => api));
    ob.start();
    const [a, b] = await Promise.all([ob.settled(first.id), ob.settled(second.id)]);
    expect(a?.result).toEqual({ messageId: posted.id, recovered: true });
    const all = await withText(suite.sim, room, text, since);
    expect(all).toHaveLength(2);
    expect(b?.result?.messageId).toBe(all[1]);
    expect(b?.result?.recovered).toBeUndefined();
  });

  it('gives up after the attempt limit, saying the reply may have been sent', async () => {
    const offline = client(suite.sim, { apiBase: `http://127.0.0.1:${await closedPort()}` });
    const ob = track(
      outbox(fileStorage(`${suite.dir}/limit.json`), () => offline.api, {
        maxAttempts: 3,
        backoff: { minMs: 5, maxMs: 20 },
      }),
    );
    ob.start();
    const item = await ob.settled(
      (await ob.reply({ chat: roomRef(suite.sim, 'Engineering'), text: 'hello?' })).id,
    );
    expect(item).toMatchObject({ state: 'failed', attempts: 3 });
    expect(item?.lastError?.message).toMatch(/did not answer.*Gave up after 3 attempts.*may have been sent/);
  });
});
