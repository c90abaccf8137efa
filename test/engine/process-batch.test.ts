// One batch through the pipeline with the real ledger, held queue and inbox: what a reactions event
// tells the user, and who the held summary says reacted.
import { describe, expect, it } from 'vitest';
import { HeldQueue } from '../../src/main/engine/digest.ts';
import { Inbox } from '../../src/main/engine/inbox.ts';
import { Ledger } from '../../src/main/engine/ledger.ts';
import {
  defaultServerSettings,
  type AppRules,
  type ChatEvent,
  type ChatRef,
} from '../../src/main/engine/model.ts';
import type { NotificationOut } from '../../src/main/engine/notification.ts';
import { processBatch } from '../../src/main/engine/process-batch.ts';
import { fixedOffsetClock } from '../../src/main/engine/rules.ts';
import { ME, message } from './fixtures.ts';

const T = Date.UTC(2025, 0, 6, 12, 0);
const room: ChatRef = { id: 'room-1', kind: 'room', jid: 'room-1', name: 'Deploys' };
const names: Record<string, string> = { 'u-bob': 'Bob', [ME]: 'Me' };

function harness(app: Partial<AppRules> = {}, now = T) {
  const held = new HeldQueue();
  const inbox = new Inbox();
  const shown: NotificationOut[] = [];
  const deps = {
    ledger: new Ledger(),
    held,
    inbox,
    reactionsSeen: new Set<string>(),
    context: () => ({
      me: { id: ME },
      server: defaultServerSettings,
      app: { chatMutes: {}, keywords: [], ...app },
      now,
      localTime: fixedOffsetClock(0),
    }),
    senderName: async (id: string) => names[id] ?? '',
    show: (n: NotificationOut) => shown.push(n),
    withdraw: () => {},
  };
  return { deps, held, inbox, shown };
}

/** Bob and I both reacted to my message, mine listed first. */
const bothReacted: ChatEvent = {
  type: 'reactions',
  source: 'push',
  message: message({ id: 'mine-1', senderId: ME, reactions: { '🎉': [ME], '👍': [ME, 'u-bob'] } }),
  previous: {},
};

describe('processBatch and reactions', () => {
  it('a held reaction remembers only the others who reacted, never the user', async () => {
    const { deps, held } = harness({ dnd: true });
    await processBatch(room, [bothReacted], deps);
    expect(held.size).toBe(1);
    expect(held.toJSON().items[0]?.actorIds).toEqual(['u-bob']);
  });

  it('a reaction notification names the other person and their emoji, not the user', async () => {
    const { deps, shown, inbox } = harness();
    await processBatch(room, [bothReacted], deps);
    expect(shown.map((n) => n.title)).toEqual(['Bob reacted 👍 to your message']);
    expect(inbox.toJSON().map((i) => i.id)).toEqual(['mine-1:👍:u-bob']);
  });

  it('a reactions event that also lists a reaction told before names only the new one', async () => {
    const { deps, shown } = harness();
    await processBatch(room, [bothReacted], deps);
    // The whole set arrives again with a new emoji by Bob, and nothing says what it was before.
    const more: ChatEvent = {
      type: 'reactions',
      source: 'push',
      message: message({ id: 'mine-1', senderId: ME, reactions: { '👍': [ME, 'u-bob'], '🚀': ['u-bob'] } }),
    };
    await processBatch(room, [more], deps);
    expect(shown.map((n) => n.title)).toEqual([
      'Bob reacted 👍 to your message',
      'Bob reacted 🚀 to your message',
    ]);
  });

  it("times a reaction by the engine's clock, not the wall clock", async () => {
    const later = T + 3_600_000;
    const { deps, shown, inbox } = harness({}, later);
    await processBatch(room, [bothReacted], deps);
    expect(shown[0]?.at).toBe(later);
    expect(inbox.toJSON()[0]?.at).toBe(later);
  });
});
