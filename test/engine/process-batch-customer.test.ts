// Customer conversations through the same pipeline as chats, with the real ledger, held queue and
// inbox: offers notify whatever do-not-disturb or quiet hours say, are never folded into a digest,
// and are withdrawn when they end; customer messages follow the user's mutes and holds; context
// messages never notify; the same message is decided once.
import { describe, expect, it } from 'vitest';
import { HeldQueue } from '../../src/main/engine/digest.ts';
import { Inbox } from '../../src/main/engine/inbox.ts';
import { Ledger } from '../../src/main/engine/ledger.ts';
import { defaultServerSettings, type AppRules, type ChatEvent } from '../../src/main/engine/model.ts';
import type { NotificationOut } from '../../src/main/engine/notification.ts';
import { processBatch } from '../../src/main/engine/process-batch.ts';
import { fixedOffsetClock } from '../../src/main/engine/rules.ts';
import type { CustomerChatRef, CustomerEventKind, CustomerMessage } from '../../src/main/messaging/types.ts';
import { ME } from './fixtures.ts';

const T = Date.UTC(2025, 0, 6, 12, 0);
const chat: CustomerChatRef = {
  id: 'conv-1',
  kind: 'customer',
  jid: '',
  name: 'Ana Lima',
  channel: 'whatsapp',
};

function harness(app: Partial<AppRules> = {}) {
  const held = new HeldQueue();
  const inbox = new Inbox();
  const shown: NotificationOut[] = [];
  const withdrawn: string[] = [];
  const ledger = new Ledger();
  const deps = {
    ledger,
    held,
    inbox,
    reactionsSeen: new Set<string>(),
    context: () => ({
      me: { id: ME },
      server: { ...defaultServerSettings, muted: true, mentionsOnly: true },
      app: { chatMutes: {}, keywords: [], ...app },
      now: T,
      localTime: fixedOffsetClock(0),
    }),
    senderName: async () => '',
    show: (n: NotificationOut) => shown.push(n),
    withdraw: (ids: string[]) => withdrawn.push(...ids),
  };
  return { deps, held, inbox, shown, withdrawn, ledger };
}

function customerEvent(id: string, kind: CustomerEventKind, body: string, at = T - 1000): ChatEvent {
  const message: CustomerMessage = {
    id,
    chatId: chat.id,
    chatKind: 'customer',
    customerKind: kind,
    channel: 'whatsapp',
    senderId: 'cust-1',
    senderName: 'Ana Lima',
    body,
    attachments: [],
    createdAt: at,
    mentions: [],
    notifyAll: false,
    reactions: {},
    ...(kind === 'offer'
      ? {
          offer: {
            participantId: 'p1',
            communicationId: 'c1',
            alertingTimeoutMs: 30_000,
            expiresAt: T + 30_000,
          },
        }
      : {}),
  };
  return { type: 'created', source: 'push', message };
}

const offer = customerEvent('offer:p1', 'offer', 'Hi, my order is late');

describe('processBatch and customer conversations', () => {
  it('notifies an offer with the channel, the customer, the first message and the time left', async () => {
    const { deps, shown, inbox } = harness();
    await processBatch(chat, [offer], deps);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({
      kind: 'offer',
      chatId: 'conv-1',
      messageId: 'offer:p1',
      channel: 'whatsapp',
      expiresAt: T + 30_000,
      title: 'WhatsApp from Ana Lima',
    });
    expect(shown[0]!.body).toContain('Hi, my order is late');
    expect(shown[0]!.body).toMatch(/31 s left|30 s left/);
    // Customer conversations are the Interactions list's, not the chat inbox's.
    expect(inbox.unread).toBe(0);
  });

  it("counts an offer's time left from now and keeps it in sight after a long first message", async () => {
    const { deps, shown } = harness();
    const long = customerEvent('offer:p2', 'offer', 'x'.repeat(1000), T - 120_000);
    await processBatch(chat, [long], deps);
    expect(shown[0]!.body).toMatch(/” · 30 s left$/);
    expect(shown[0]!.body.length).toBeLessThanOrEqual(300);
  });

  it('never holds an offer: do-not-disturb and quiet hours let it through', async () => {
    for (const app of [{ dnd: true }, { quietHours: { start: '00:00', end: '00:00' } }]) {
      const { deps, shown, held } = harness(app);
      await processBatch(chat, [offer], deps);
      expect(shown.map((n) => n.kind)).toEqual(['offer']);
      expect(held.size).toBe(0);
    }
  });

  it('holds a customer message under do-not-disturb, and silences it in a muted conversation', async () => {
    const dnd = harness({ dnd: true });
    await processBatch(chat, [customerEvent('m1', 'customer', 'hello?')], dnd.deps);
    expect(dnd.shown).toEqual([]);
    expect(dnd.held.size).toBe(1);

    const muted = harness({ chatMutes: { [chat.id]: {} } });
    await processBatch(chat, [customerEvent('m2', 'customer', 'hello?')], muted.deps);
    expect(muted.shown).toEqual([]);
    expect(muted.held.size).toBe(0);
  });

  it('notifies a customer message with its text, whatever the Genesys chat settings say', async () => {
    const { deps, shown } = harness();
    await processBatch(chat, [customerEvent('m1', 'customer', 'Order 1234')], deps);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ kind: 'customer', body: 'Order 1234', title: 'Ana Lima (WhatsApp)' });
  });

  it('never notifies a context message, and decides each message once', async () => {
    const { deps, shown, ledger } = harness();
    await processBatch(chat, [customerEvent('m0', 'context', 'earlier')], deps);
    expect(shown).toEqual([]);
    expect(ledger.shouldProcess({ id: 'm0', chatId: chat.id, createdAt: T - 1000 })).toBe(false);
    await processBatch(chat, [customerEvent('m1', 'customer', 'now')], deps);
    await processBatch(chat, [customerEvent('m1', 'customer', 'now')], deps);
    expect(shown.map((n) => n.messageId)).toEqual(['m1']);
  });

  it('keeps an offer out of a digest when a catch-up finds many messages', async () => {
    const { deps, shown } = harness();
    const many = [1, 2, 3, 4, 5].map((i) => ({
      ...customerEvent(`m${i}`, 'customer', `n${i}`, T - 5000 + i),
      source: 'backfill' as const,
    }));
    await processBatch(chat, [...many, offer], deps);
    expect(shown.map((n) => n.kind).sort()).toEqual(['digest', 'offer']);
  });

  it('withdraws the offer when it ends', async () => {
    const { deps, withdrawn } = harness();
    await processBatch(chat, [offer], deps);
    await processBatch(
      chat,
      [{ type: 'deleted', source: 'push', chatId: chat.id, messageId: 'offer:p1' }],
      deps,
    );
    expect(withdrawn).toEqual(['offer:p1']);
  });
});
