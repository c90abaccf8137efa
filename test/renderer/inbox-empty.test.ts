// What the empty inbox says, for each connection state and each combination of settings a user
// can have: never "all caught up" while offline or still catching up, and what will show up.
import { describe, expect, it } from 'vitest';
import { emptyInbox, type EmptyInboxInput } from '../../src/renderer/src/lib/inbox-empty.ts';

const base: EmptyInboxInput = {
  connection: 'push',
  lastSyncAt: 1,
  settings: { muted: false, mentionsOnly: false, notifyOnReactions: true },
  keywords: 0,
  mutedChats: 0,
};
const say = (change: Partial<EmptyInboxInput>) => emptyInbox({ ...base, ...change });

describe('the empty inbox', () => {
  it('is all caught up only when connected and synced', () => {
    expect(say({}).title).toBe("You're all caught up");
    expect(say({ connection: 'polling' }).title).toBe("You're all caught up");
    expect(say({ connection: 'offline' }).title).toBe('Waiting for the connection');
    expect(say({ connection: 'connecting' }).title).toBe('Catching up…');
    expect(say({ lastSyncAt: null }).title).toBe('Catching up…');
  });

  it.each([
    [
      'everything on',
      {},
      'New messages in your chats, mentions, direct messages and reactions to your messages will show up here.',
    ],
    [
      'mentions only',
      { settings: { muted: false, mentionsOnly: true, notifyOnReactions: true } },
      'Mentions, direct messages and reactions to your messages will show up here.',
    ],
    [
      'mentions only, with keywords, reactions off',
      { settings: { muted: false, mentionsOnly: true, notifyOnReactions: false }, keywords: 2 },
      'Mentions, direct messages and messages with your keywords will show up here. Reactions to your messages are off.',
    ],
    [
      'reactions off, two chats muted here',
      { settings: { muted: false, mentionsOnly: false, notifyOnReactions: false }, mutedChats: 2 },
      'New messages in your chats, mentions and direct messages will show up here. Reactions to your messages are off. 2 chats are muted in this app.',
    ],
    ['settings not loaded yet', { settings: null }, 'Mentions and direct messages will show up here.'],
    [
      'offline',
      { connection: 'offline' as const },
      'When you are back online: new messages in your chats, mentions, direct messages and reactions to your messages will show up here.',
    ],
  ])('says what will show up: %s', (_, change, detail) => {
    expect(say(change).detail).toBe(detail);
  });

  it('says that nothing will while all chats are muted in Genesys Cloud', () => {
    const muted = say({ settings: { muted: true, mentionsOnly: false, notifyOnReactions: true } });
    expect(muted.title).toBe('Chat notifications are muted');
    expect(muted.detail).toMatch(/muted, so nothing will show up here/);
    expect(muted.detail).toContain('Mute all chats');
  });
});
