// The messaging source against the simulator over real sockets: a customer writes through the
// inbound Open Messaging API, the user is offered the conversation (one notification, with the text),
// accepts, is notified of the customer's next message once, replies once, ends and wraps up; declines,
// time-outs, re-routes; recovery after a gap with the same ledger; and users without messaging.
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/main/engine/ledger.ts';
import { RequestBudget } from '../../../src/main/genesys/budget.ts';
import type { Simulator, SimulatorOptions } from '../../../src/simulator/index.ts';
import { until } from '../../support/wait.ts';
import { call, startTestSimulator } from '../../simulator/helpers.ts';
import { sourceRig, type SourceRig } from './harness.ts';

const MAYA = { id: '+14155550199', idType: 'Phone', nickname: 'Maya T.' };

let sim: Simulator;
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await sim?.close();
});

async function begin(options: SimulatorOptions = {}): Promise<SourceRig> {
  sim = await startTestSimulator({ rateLimitPerMinute: null, ...options });
  const rig = sourceRig(sim);
  await rig.source.start();
  const { close } = await rig.connect();
  closers.push(close, () => rig.source.stop());
  return rig;
}

/** A customer's message through the inbound Open Messaging API (client credentials). */
async function customerWrites(text: string): Promise<{ conversationId: string; id: string }> {
  const integrationId = sim.control.messaging.integration().id;
  const answer = await call(
    sim,
    'POST',
    `/api/v2/conversations/messages/${integrationId}/inbound/open/message?prefetchConversationId=true`,
    {
      token: sim.control.clientToken('open-messaging-integration').accessToken,
      body: { channel: { from: MAYA, time: new Date().toISOString() }, text },
    },
  );
  if (answer.status !== 200) throw new Error(`inbound failed: ${answer.status} ${answer.text}`);
  return { conversationId: answer.json.conversationId, id: answer.json.id };
}

async function offered(rig: SourceRig, text = 'Hi, my parcel is late'): Promise<string> {
  const { conversationId } = await customerWrites(text);
  await until(() => rig.shown.some((s) => s.kind === 'offer'), 'the offer');
  await rig.settle();
  return conversationId;
}

/** A customer writes in and the user accepts: resolves with the conversation id once connected. */
async function connected(rig: SourceRig): Promise<string> {
  const id = await offered(rig);
  await rig.source.accept(id);
  await until(() => stateOf(rig, id) === 'connected', 'connected');
  await rig.settle();
  return id;
}

/** The run ends (as the app quitting): its source stops and its connections close. */
function endRun(rig: SourceRig): void {
  rig.source.stop();
  for (const close of closers.splice(0)) close();
}

/** `count` customers (`<prefix>-<n>`) write in at once; resolves when all their offers showed. */
async function offeredMany(rig: SourceRig, count: number, prefix: string): Promise<void> {
  for (let i = 0; i < count; i++)
    sim.control.messaging.customerWrites({
      customer: { id: `${prefix}-${i}`, nickname: `${prefix} ${i}` },
      text: `Hi ${i}`,
    });
  await until(() => rig.shown.length === count, `${count} offers`);
  await rig.settle();
}

/** How many requests read the text of `messageId` (alone or in a bulk read). */
const textReads = (messageId: string): number =>
  sim.control
    .requests()
    .entries.filter(
      (e) =>
        e.path.endsWith(`/messages/${messageId}`) || (Array.isArray(e.body) && e.body.includes(messageId)),
    ).length;

const stateOf = (rig: SourceRig, id: string) => rig.source.list().find((i) => i.conversationId === id)?.state;

describe('a customer conversation from offer to wrap-up', () => {
  it('offers once with the text, notifies a new customer message once, replies once, ends and wraps up', async () => {
    const rig = await begin();
    const id = await offered(rig, 'Hi, my order #48213 is late');
    expect(rig.shown).toHaveLength(1);
    expect(rig.shown[0]!.kind).toBe('offer');
    expect(rig.shown[0]!.message).toMatchObject({
      chatId: id,
      customerKind: 'offer',
      body: 'Hi, my order #48213 is late',
      senderName: 'Maya T.',
      channel: 'open',
      offer: { alertingTimeoutMs: 30_000 },
    });
    expect(rig.shown[0]!.message.offer!.expiresAt).toBeGreaterThan(Date.now());

    expect(rig.source.list()).toEqual([
      expect.objectContaining({
        conversationId: id,
        state: 'offered',
        customerName: 'Maya T.',
        unanswered: 1,
      }),
    ]);

    await rig.source.accept(id);
    await until(() => stateOf(rig, id) === 'connected', 'connected');
    await rig.settle();
    expect(rig.withdrawn).toEqual([rig.shown[0]!.message.id]);

    const second = sim.control.messaging.customerWrites({ customer: MAYA.id, text: 'Any news?' });
    await until(() => rig.shown.length === 2, 'the customer message');
    await rig.settle();
    expect(rig.shown[1]).toMatchObject({
      kind: 'customer',
      message: { id: second.messageId, body: 'Any news?', customerKind: 'customer' },
    });

    const sent = await rig.source.reply(id, 'Checking now, one moment.');
    expect(sent).toMatchObject({ author: 'agent', text: 'Checking now, one moment.' });
    sim.control.messaging.customerReceipt({ messageId: sent.id, status: 'Delivered' });
    sim.control.messaging.customerReceipt({ messageId: sent.id, status: 'Read' });
    await until(
      () => sim.control.messaging.conversation(id).messages.some((m) => m.status === 'read'),
      'read',
    );
    expect(sim.control.messaging.sent(id).map((m) => m.text)).toEqual(['Checking now, one moment.']);
    const transcript = await rig.source.transcript(id);
    expect(transcript.filter((e) => e.text === 'Checking now, one moment.')).toEqual([
      expect.objectContaining({ author: 'agent', status: 'read' }),
    ]);
    expect(transcript.map((e) => e.author)).toEqual(['customer', 'bot', 'customer', 'agent']);
    expect(transcript.map((e) => e.at)).toEqual(transcript.map((e) => e.at).sort((a, b) => a - b));

    expect(await rig.source.typing(id)).toBe(true);
    expect(await rig.source.typing(id)).toBe(false); // at most one indicator per few seconds
    expect(sim.control.messaging.typing(id)).toHaveLength(1);

    await rig.source.end(id);
    await until(() => stateOf(rig, id) === 'wrapup', 'wrap-up owed');
    const codes = await rig.source.wrapupCodes(id);
    expect(codes.length).toBeGreaterThan(0);
    await rig.source.wrapup(id, codes[0]!.id, 'Re-shipped');
    await until(() => stateOf(rig, id) === undefined, 'wrapped up');
    const last = sim.control.messaging
      .conversation(id)
      .participants.filter((p) => p.userId === sim.demoUser.id)
      .at(-1)!;
    await expect(rig.api.assignedWrapup(id, last.id)).resolves.toEqual({
      code: codes[0]!.id,
      notes: 'Re-shipped',
    });

    // A conversation no longer followed (ended, or after a restart) still has its transcript.
    const fresh = sourceRig(sim);
    await fresh.source.start();
    closers.push(() => fresh.source.stop());
    expect(fresh.source.list()).toEqual([]);
    expect(await fresh.source.transcript(id)).toEqual(await rig.source.transcript(id));

    await rig.settle();
    // Receipts, the reply, the end and the wrap-up notified nothing more.
    expect(rig.shown.map((s) => s.kind)).toEqual(['offer', 'customer']);
    expect(rig.stats.total()).toBe(0);
  });

  it('a refused action is an error with words, and nothing is sent', async () => {
    const rig = await begin();
    const id = await offered(rig);
    await expect(rig.source.reply(id, 'too early')).rejects.toMatchObject({
      message: 'This interaction is not connected.',
    });
    await expect(rig.source.end(id)).rejects.toThrow(/not connected/);
    await expect(rig.source.accept('no-such-conversation')).rejects.toMatchObject({ status: 404 });
    expect(sim.control.messaging.sent(id)).toEqual([]);
  });
});

describe('offers that end without the user', () => {
  it('declined: the offer is withdrawn and the interaction gone', async () => {
    const rig = await begin();
    const id = await offered(rig);
    await rig.source.decline(id);
    await until(() => rig.withdrawn.length === 1, 'withdrawn');
    await rig.settle();
    const deleted = rig.batches.flatMap((b) => b.events).find((e) => e.type === 'deleted');
    expect(deleted).toMatchObject({ reason: 'declined', chatId: id });
    expect(rig.source.list()).toEqual([]);
    expect(sim.control.messaging.agents().find((a) => a.userId === sim.demoUser.id)?.routingStatus).toBe(
      'NOT_RESPONDING',
    );
    // The customer writes again while the conversation waits in the queue: not the user's to answer.
    const later = sim.control.messaging.customerWrites({ customer: MAYA.id, text: 'Hello?' });
    expect(later.conversationId).toBe(id);
    await rig.batchCreating(later.messageId, 'the snapshot with the new message');
    expect(rig.shown).toHaveLength(1);
  });

  it('timed out: the offer is withdrawn; offered again later, it notifies again as a new offer', async () => {
    const rig = await begin();
    const id = await offered(rig);
    sim.control.messaging.timeoutOffer(id);
    await until(() => rig.withdrawn.length === 1, 'withdrawn');
    await rig.settle();
    expect(rig.batches.flatMap((b) => b.events).find((e) => e.type === 'deleted')).toMatchObject({
      reason: 'timed-out',
    });
    sim.control.messaging.offer(id);
    await until(() => rig.shown.length === 2, 'the second offer');
    expect(rig.shown[1]!.message.id).not.toBe(rig.shown[0]!.message.id);
    expect(rig.shown[1]!.message.body).toBe('Hi, my parcel is late');
    // Both offers show the first message; its text was read once.
    const firstId = sim.control.messaging.conversation(id).messages.find((m) => m.author === 'customer')!.id;
    expect(textReads(firstId)).toBe(1);
  });
});

describe('cost', () => {
  it('50 active interactions cost no steady requests while push is up', async () => {
    const rig = await begin();
    await offeredMany(rig, 50, 'customer');
    expect(rig.source.list()).toHaveLength(50);
    const before = sim.control.requests().counters.total;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(sim.control.requests().counters.total).toBe(before);
  });
});

describe('cost of a resync (a poll tick when push cannot be used)', () => {
  it('reads the listing, and only the conversations that changed since they were read', async () => {
    const rig = await begin();
    await offeredMany(rig, 10, 'poll');
    const total = (): number => sim.control.requests().counters.total;
    let before = total();
    await rig.source.resync('manual');
    expect(total() - before).toBe(11); // the listing, then each conversation once
    before = total();
    await rig.source.resync('manual');
    expect(total() - before).toBe(1); // nothing changed: the listing only
    const unanswered = (id: string): number | undefined =>
      rig.source.list().find((i) => i.conversationId === id)?.unanswered;
    const { conversationId } = sim.control.messaging.customerWrites({
      customer: 'poll-3',
      text: 'Still there?',
    });
    await until(() => unanswered(conversationId) === 2, 'the new message seen through push');
    await rig.settle();
    before = total();
    await rig.source.resync('manual');
    expect(total() - before).toBe(2); // the listing and the one conversation that changed
    expect(rig.shown).toHaveLength(10); // one offer each; a message during an offer belongs to it
  });
});

describe('re-routed', () => {
  it('the reply goes on the communication of the last agent participant', async () => {
    const rig = await begin();
    const id = await offered(rig);
    await rig.source.accept(id);
    await until(() => stateOf(rig, id) === 'connected', 'connected');
    const first = rig.source.list()[0]!;
    const moved = sim.control.messaging.reroute(id);
    await until(() => rig.source.list()[0]?.participantId === moved.id, 'the new participant');
    expect(rig.source.list()[0]!.communicationId).not.toBe(first.communicationId);
    await rig.source.reply(id, 'Back with you');
    expect(sim.control.messaging.sent(id).map((m) => m.text)).toEqual(['Back with you']);
    await rig.settle();
    expect(rig.shown.map((s) => s.kind)).toEqual(['offer']);
  });
});

describe('recovery after a gap', () => {
  it('customer messages written while down are found by resync and notified once, given the same ledger', async () => {
    const rig = await begin();
    await connected(rig);
    endRun(rig);

    const missed = [
      sim.control.messaging.customerWrites({ customer: MAYA.id, text: 'Hello?' }).messageId,
      sim.control.messaging.customerWrites({ customer: MAYA.id, text: 'Are you there?' }).messageId,
    ];
    // A restart: a new source with the ledger as saved.
    const saved = JSON.parse(JSON.stringify(rig.ledger.toJSON())) as unknown;
    const again = sourceRig(sim, { ledger: Ledger.fromJSON(saved).ledger });
    await again.source.start();
    closers.push(() => again.source.stop());
    expect(again.shown.map((s) => [s.kind, s.message.id, s.message.body])).toEqual([
      ['customer', missed[0], 'Hello?'],
      ['customer', missed[1], 'Are you there?'],
    ]);
    // Another gap with nothing new: nothing again.
    await again.source.resync('resume');
    expect(again.shown).toHaveLength(2);
  });

  it('an offer made while down is notified by resync; one that ended while down is withdrawn', async () => {
    const rig = await begin();
    endRun(rig);
    const { conversationId } = await customerWrites('Anyone?');
    await until(
      () =>
        sim.control.messaging.conversation(conversationId).participants.some((p) => p.state === 'alerting'),
      'alerting',
    );
    const again = sourceRig(sim, { ledger: rig.ledger });
    await again.source.start();
    closers.push(() => again.source.stop());
    expect(again.shown.map((s) => [s.kind, s.message.body])).toEqual([['offer', 'Anyone?']]);
    sim.control.messaging.timeoutOffer(conversationId);
    await again.source.resync('online');
    expect(again.withdrawn).toEqual([again.shown[0]!.message.id]);
    expect(again.source.list()).toEqual([]);
  });
});

describe('a customer message read only after the user’s part ended', () => {
  /** Connected to Maya's conversation, then push lost: the source runs but hears nothing. */
  async function connectedThenDeaf(): Promise<{ rig: SourceRig; id: string }> {
    sim = await startTestSimulator({ rateLimitPerMinute: null });
    const rig = sourceRig(sim);
    await rig.source.start();
    const push = await rig.connect();
    closers.push(() => rig.source.stop());
    const id = await connected(rig);
    push.close();
    return { rig, id };
  }

  it('written while connected, read after the end and the wrap-up: told once, and the interaction stays gone', async () => {
    const { rig, id } = await connectedThenDeaf();
    const late = sim.control.messaging.customerWrites({
      customer: MAYA.id,
      text: 'One more thing: gate code 4411',
    });
    await rig.source.end(id);
    const codes = await rig.source.wrapupCodes(id);
    await rig.source.wrapup(id, codes[0]!.id);
    // The catch-up: the conversation is no longer listed (wrapped up), so it is read once by id.
    await rig.source.resync('resume');
    expect(rig.shown.filter((s) => s.kind === 'customer').map((s) => [s.message.id, s.message.body])).toEqual(
      [[late.messageId, 'One more thing: gate code 4411']],
    );
    expect(rig.source.list()).toEqual([]);
    // Seen again (another catch-up, an event after the end): not told again, not listed again.
    await rig.source.resync('resume');
    expect(rig.shown.filter((s) => s.message.id === late.messageId)).toHaveLength(1);
    expect(rig.source.list()).toEqual([]);
    expect(rig.stats.total()).toBe(0);
  });

  it('a new run that first hears of it from a later event tells it too; what came after the user’s part is not', async () => {
    const { rig, id } = await connectedThenDeaf();
    rig.source.stop();
    const during = sim.control.messaging.customerWrites({ customer: MAYA.id, text: 'Still there?' });
    // Moved to a colleague: the user's part ends; what the customer writes next is the colleague's.
    const colleague = sim.users.find((u) => u.id !== sim.demoUser.id)!.id;
    sim.control.messaging.reroute(id, { user: colleague, state: 'connected' });
    // The next run's catch-up fails (a 504), so what it knows comes from the next event.
    const again = sourceRig(sim, { ledger: rig.ledger });
    sim.control.failNext(1, 504);
    await again.source.start();
    const { close } = await again.connect();
    closers.push(close, () => again.source.stop());
    const after = sim.control.messaging.customerWrites({ customer: MAYA.id, text: 'Hi Sam' });
    await again.batchCreating(after.messageId, 'the event after the user’s part');
    expect(again.shown.map((s) => [s.kind, s.message.id, s.message.body])).toEqual([
      ['customer', during.messageId, 'Still there?'],
    ]);
    expect(again.source.list()).toEqual([]);
  });
});

describe('server clocks that disagree', () => {
  it('a message seen arriving while the user is connected is told, though dated before the user connected', async () => {
    const rig = await begin();
    const id = await offered(rig);
    // The server's clock runs 30 s ahead while the user accepts, then is set right.
    sim.control.setClockOffset(30_000);
    await rig.source.accept(id);
    await until(() => stateOf(rig, id) === 'connected', 'connected');
    await rig.settle();
    sim.control.setClockOffset(0);
    const next = sim.control.messaging.customerWrites({ customer: MAYA.id, text: 'Thanks!' });
    await rig.batchCreating(next.messageId, 'the event');
    // The premise: the message's time is before the user's connectedTime.
    const read = await rig.api.conversation(id);
    const mine = read!.participants.filter((p) => p.userId === sim.demoUser.id).at(-1)!;
    const written = read!.participants[0]!.communications[0]!.messages.find((m) => m.id === next.messageId)!;
    expect(written.at).toBeLessThan(mine.communications[0]!.connectedAt!);
    expect(rig.shown.filter((s) => s.kind === 'customer').map((s) => s.message.id)).toEqual([next.messageId]);
  });
});

describe('a reply an earlier run sent', () => {
  it('landed after a customer message: the next run’s catch-up still tells the message; a reply sent elsewhere does not', async () => {
    const first = await begin();
    const id = await connected(first);
    const communicationId = first.source.list()[0]!.communicationId!;
    endRun(first);
    const saved = JSON.stringify(first.ledger.toJSON());
    const ledger = (): Ledger => Ledger.fromJSON(JSON.parse(saved) as unknown).ledger;

    // While no run listens: the customer writes, then a reply queued earlier lands (sign-in again).
    const written = sim.control.messaging.customerWrites({ customer: MAYA.id, text: 'Is it shipped?' });
    const reply = await first.api.send(id, communicationId, 'Queued before you wrote');

    // The next run knows the reply is the app's (the outbox keeps its sent items): told.
    const next = sourceRig(sim, { ledger: ledger(), sentByApp: () => [reply.id] });
    await next.source.start();
    closers.push(() => next.source.stop());
    expect(next.shown.map((s) => [s.kind, s.message.id])).toEqual([['customer', written.messageId]]);
    // Without it, the reply counts as the user's answer elsewhere (the Genesys UI): not told.
    const elsewhere = sourceRig(sim, { ledger: ledger() });
    await elsewhere.source.start();
    closers.push(() => elsewhere.source.stop());
    expect(elsewhere.shown).toEqual([]);
  });
});

describe('requests held by the budget', () => {
  it('an offer is shown at once without its text, rather than when the text can be read', async () => {
    sim = await startTestSimulator({ rateLimitPerMinute: null });
    // One background request a minute: the listing at start takes it, the offer's text must wait.
    const budget = new RequestBudget({ perMinute: 2, userReserve: 1 });
    const rig = sourceRig(sim, { budget, offerTextWaitMs: 200 });
    await rig.source.start();
    const { close } = await rig.connect();
    closers.push(close, () => rig.source.stop());
    const { conversationId } = await customerWrites('Held back');
    await until(() => rig.shown.some((s) => s.kind === 'offer'), 'the offer');
    expect(rig.shown[0]!.message).toMatchObject({ chatId: conversationId, body: '', textMissing: true });
    expect(rig.log.join('\n')).toMatch(/offer is shown before its text could be read/);
  });
});

describe('stopping', () => {
  it('sends nothing after stop(): reads waiting for the request budget are dropped', async () => {
    sim = await startTestSimulator({ rateLimitPerMinute: null });
    // Room for one background request a second: the listing at start takes it.
    const budget = new RequestBudget({ perMinute: 2, userReserve: 1, windowMs: 1_000 });
    const rig = sourceRig(sim, { budget });
    await rig.source.start();
    const { close } = await rig.connect();
    closers.push(close);
    const { conversationId } = await customerWrites('Waiting for the budget');
    // The offer's event arrives; reading its text waits for the budget.
    await until(
      () => sim.control.requests().entries.some((e) => e.path.endsWith('/subscriptions')),
      'subscribed',
    );
    await new Promise((r) => setTimeout(r, 100));
    rig.source.stop();
    const stoppedAt = Date.now();
    await new Promise((r) => setTimeout(r, 1_500));
    await rig.settle();
    const after = sim.control
      .requests()
      .entries.filter((e) => e.receivedAt >= stoppedAt && e.path.includes(conversationId));
    expect(after).toEqual([]);
    expect(rig.shown).toEqual([]);
  });
});

describe('the cost of a catch-up', () => {
  it('reads again only the conversations whose listing entry changed since they were read', async () => {
    const rig = await begin();
    const first = await offered(rig, 'First customer');
    await rig.source.accept(first);
    await until(() => stateOf(rig, first) === 'connected', 'connected');
    await rig.settle();
    const reads = (id: string): number =>
      sim.control.requests().entries.filter((e) => e.path === `/api/v2/conversations/${id}`).length;
    await rig.source.resync('online');
    const before = reads(first);
    // Nothing changed: the listing alone.
    await rig.source.resync('online');
    await rig.source.resync('resume');
    expect(reads(first)).toBe(before);
    // The customer writes (a new message id in the listing entry): read once more, told once.
    const next = sim.control.messaging.customerWrites({ customer: MAYA.id, text: 'Still there?' });
    await until(() => rig.shown.some((s) => s.message.id === next.messageId), 'the customer message');
    await rig.source.resync('online');
    expect(reads(first)).toBe(before + 1);
    await rig.source.resync('online');
    expect(reads(first)).toBe(before + 1);
    expect(rig.shown.filter((s) => s.message.id === next.messageId)).toHaveLength(1);
  });
});

describe('an offer left showing by an earlier run', () => {
  it('is withdrawn by the next run when it ended while none ran (its conversation read once)', async () => {
    const rig = await begin();
    const id = await offered(rig);
    const offer = rig.shown[0]!.message.id;
    endRun(rig);
    sim.control.messaging.timeoutOffer(id); // no longer the user's: not in the active listing
    const again = sourceRig(sim, {
      ledger: rig.ledger,
      shownOffers: () => [{ messageId: offer, chatId: id }],
    });
    await again.source.start();
    closers.push(() => again.source.stop());
    expect(again.withdrawn).toEqual([offer]);
    expect(again.shown).toEqual([]);
    const reads = (): number =>
      sim.control.requests().entries.filter((e) => e.path === `/api/v2/conversations/${id}`).length;
    const before = reads();
    await again.source.resync('online');
    expect(reads()).toBe(before);
    expect(again.withdrawn).toEqual([offer]);
  });
});

describe('surprises are counted and recovered, never silent', () => {
  it('an unreadable event is counted and its conversation read over REST', async () => {
    sim = await startTestSimulator({ rateLimitPerMinute: null });
    const rig = sourceRig(sim);
    await rig.source.start();
    closers.push(() => rig.source.stop());
    const { conversationId } = sim.control.messaging.customerWrites({ customer: MAYA.id, text: 'Odd frame' });
    await rig.source.handleFrame(rig.source.topics()[0]!, { id: conversationId, participants: 'not a list' });
    expect(rig.stats.snapshot().map((s) => s.kind)).toEqual(['push: conversation event']);
    expect(rig.shown.map((s) => [s.kind, s.message.body])).toEqual([['offer', 'Odd frame']]);
  });

  it('events without the communications’ connected times: judged by the state as before, and counted', async () => {
    const first = await begin();
    await connected(first);
    endRun(first);
    // The next run's catch-up fails, so it first hears of the conversation from an event that
    // carries no connectedTime: nothing says since when the user is connected.
    const withoutTimes = (body: unknown): unknown =>
      JSON.parse(JSON.stringify(body), (key, value: unknown) =>
        key === 'connectedTime' || key === 'disconnectedTime' ? undefined : value,
      );
    const next = sourceRig(sim, { rewrite: withoutTimes, ledger: first.ledger });
    sim.control.failNext(4, 504); // every attempt of the listing
    await next.source.start();
    const { close } = await next.connect();
    closers.push(close, () => next.source.stop());
    const told = sim.control.messaging.customerWrites({ customer: MAYA.id, text: 'Told as before' });
    await until(() => next.shown.some((s) => s.message.id === told.messageId), 'the customer message');
    await next.settle();
    expect(next.shown.map((s) => [s.kind, s.message.id])).toEqual([['customer', told.messageId]]);
    // Both customer messages were new to this run and judged so: the offer's message too (the
    // first run processed it as context, so the ledger keeps it from being told now).
    expect(next.stats.snapshot().map((s) => [s.kind, s.count])).toEqual([
      ['messaging: customer message judged by state (no connectedTime)', 2],
    ]);
  });

  it('when the text cannot be read, the offer still notifies, flagged as without its text', async () => {
    const rig = await begin();
    sim.control.failNext(1000, 503);
    sim.control.messaging.customerWrites({ customer: MAYA.id, text: 'Unreadable for now' });
    await until(() => rig.shown.length === 1, 'the offer');
    sim.control.resetFaults();
    expect(rig.shown[0]!.message).toMatchObject({ customerKind: 'offer', body: '', textMissing: true });
    expect(rig.log.some((l) => l.includes('could not read 1 message text'))).toBe(true);
  });
});

/** The event body without any `messageTime` (optional in the model), as a real server may send it. */
function withoutMessageTime(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), (key, value: unknown) =>
    key === 'messageTime' ? undefined : value,
  );
}

describe('a customer message the event does not date', () => {
  it('is notified once even when its text read fails (not taken for history), and counted', async () => {
    sim = await startTestSimulator({ rateLimitPerMinute: null });
    const rig = sourceRig(sim, { rewrite: withoutMessageTime });
    await rig.source.start();
    const { close } = await rig.connect();
    closers.push(close, () => rig.source.stop());
    const first = await customerWrites('Dated by its text read');
    await until(() => rig.shown.length === 1, 'the offer');
    await rig.source.accept(first.conversationId);
    const second = await customerWrites('Also dated by its text');
    await until(() => rig.shown.some((s) => s.message.id === second.id), 'the second message');
    sim.control.failNext(1000, 503);
    const third = sim.control.messaging.customerWrites({ customer: MAYA.id, text: 'Dated by nothing' });
    await until(() => rig.shown.some((s) => s.message.id === third.messageId), 'the undated message');
    sim.control.resetFaults();
    expect(rig.shown.filter((s) => s.message.id === third.messageId)).toHaveLength(1);
    const shown = rig.shown.find((s) => s.message.id === third.messageId)!.message;
    expect(shown).toMatchObject({ customerKind: 'customer', textMissing: true });
    expect(shown.createdAt).toBeGreaterThan(
      rig.shown.find((s) => s.message.id === second.id)!.message.createdAt,
    );
    // Seen arriving while the user was connected: judged without any time.
    expect(rig.stats.snapshot().map((s) => s.kind)).toEqual([
      'push: conversation event: message without messageTime',
    ]);
  });
});

describe('a user without messaging', () => {
  it('without the permission: unavailable, quiet, nothing thrown', async () => {
    sim = await startTestSimulator({ rateLimitPerMinute: null });
    sim.control.messaging.setPermission(sim.demoUser.id, false);
    const rig = sourceRig(sim);
    await expect(rig.source.start()).resolves.toBeUndefined();
    closers.push(() => rig.source.stop());
    expect(rig.source.availability()).toMatchObject({
      state: 'unavailable',
      reason: expect.stringContaining('missing.permissions'),
    });
    expect(rig.states.at(-1)?.state).toBe('unavailable');
    await expect(rig.source.resync('manual')).resolves.toBeUndefined();
    expect(rig.source.list()).toEqual([]);
    await expect(rig.source.accept('x')).rejects.toThrow(/not available/);
    // The permission granted later: the user's own retry brings the conversations back.
    sim.control.messaging.setPermission(sim.demoUser.id, true);
    await rig.source.resync('resume');
    expect(rig.source.availability().state).toBe('unavailable');
    await rig.source.resync('manual');
    expect(rig.source.availability().state).toBe('available');
    expect(rig.states.map((s) => s.state)).toEqual(['available', 'unavailable', 'available']);
  });

  it('with the conversations topic Rejected: unavailable and no batch, even when a frame comes', async () => {
    sim = await startTestSimulator({ rateLimitPerMinute: null, clientScopes: { 'tray-app': ['chat'] } });
    const limited = sourceRig(sim, { clientId: 'tray-app' });
    await limited.source.start();
    const { rejected, close } = await limited.connect();
    closers.push(close, () => limited.source.stop());
    expect(rejected).toEqual(limited.source.topics(sim.demoUser.id));
    expect(limited.source.availability().state).toBe('unavailable');
    await limited.source.handleFrame(limited.source.topics()[0]!, { id: 'c', participants: [] });
    expect(limited.batches).toEqual([]);
    // The admin adds the scope; the next subscription answer permits the topic: back, caught up.
    sim.control.messaging.setClientScopes('tray-app', null);
    const { conversationId } = sim.control.messaging.customerWrites({ customer: MAYA.id, text: 'Now?' });
    const again = await limited.connect();
    closers.push(again.close);
    expect(again.rejected).toEqual([]);
    await until(() => limited.shown.length === 1, 'the offer after the catch-up');
    expect(limited.source.availability().state).toBe('available');
    expect(limited.shown[0]!.message).toMatchObject({ chatId: conversationId, body: 'Now?' });
  });
});
