// The inbox's list as the popup shows it: newest first, one item per id, at most INBOX_LIMIT; and
// the same answers when it skips work (a full inbox and an older new item, as in a catch-up).
import { describe, expect, it } from 'vitest';
import { Inbox, INBOX_LIMIT, type InboxItem } from '../../src/main/engine/inbox.ts';

function item(id: string, at: number, extra: Partial<InboxItem> = {}): InboxItem {
  return {
    id,
    messageId: id,
    chatId: 'room-1',
    chatName: 'Room',
    chatKind: 'room',
    kind: 'message',
    senderId: 'u-2',
    senderName: 'Colleague',
    text: `message ${id}`,
    at,
    read: false,
    ...extra,
  };
}

const ids = (inbox: Inbox): string[] => inbox.toJSON().map((i) => i.id);

/** An inbox given items `id@at`, in that order. */
function filled(...added: string[]): Inbox {
  const inbox = new Inbox();
  for (const a of added) {
    const [id, at] = a.split('@');
    inbox.add(item(id!, Number(at)));
  }
  return inbox;
}

describe('Inbox', () => {
  it('keeps items newest first, whatever order they come in', () => {
    expect(ids(filled('b@20', 'a@10', 'c@30'))).toEqual(['c', 'b', 'a']);
  });

  it('puts an item after those of the same time already there', () => {
    const inbox = filled('a@20', 'b@10', 'c@10', 'd@20', 'e@15', 'f@10');
    expect(ids(inbox)).toEqual(['a', 'd', 'e', 'b', 'c', 'f']);
  });

  it('replaces an item added again under the same id', () => {
    const inbox = new Inbox();
    inbox.add(item('a', 10));
    inbox.add(item('b', 20));
    inbox.add(item('a', 30, { text: 'edited' }));
    expect(ids(inbox)).toEqual(['a', 'b']);
    expect(inbox.toJSON()[0]?.text).toBe('edited');
  });

  it('keeps the newest INBOX_LIMIT items when more come, in any order', () => {
    const inbox = new Inbox();
    // Interleaved like a catch-up: chat after chat, each chat's messages spread over the same hour.
    for (let chat = 0; chat < 5; chat++)
      for (let n = 0; n < INBOX_LIMIT; n++)
        inbox.add(item(`c${chat}-${n}`, n * 5 + chat, { chatId: `c${chat}` }));
    const kept = inbox.toJSON();
    expect(kept).toHaveLength(INBOX_LIMIT);
    const all = Array.from({ length: 5 * INBOX_LIMIT }, (_, k) => k).sort((a, b) => b - a);
    expect(kept.map((i) => i.at)).toEqual(all.slice(0, INBOX_LIMIT));
  });

  it('when full, an older item of a new id is not kept, and one of a known id still replaces it', () => {
    const inbox = new Inbox();
    for (let n = 0; n < INBOX_LIMIT; n++) inbox.add(item(`m${n}`, 1000 + n));
    // Asked first (a catch-up asks before it builds the item), the answer is add's.
    expect(inbox.accepts('old', 5)).toBe(false);
    expect(inbox.accepts('m0', 1)).toBe(true);
    expect(inbox.accepts('new', 1000 + INBOX_LIMIT)).toBe(true);
    inbox.add(item('old', 5));
    expect(ids(inbox)).not.toContain('old');
    expect(inbox.toJSON()).toHaveLength(INBOX_LIMIT);
    // The oldest kept item comes again, older still: it replaces its old copy (at the end now).
    inbox.add(item('m0', 1));
    expect(ids(inbox).filter((id) => id === 'm0')).toHaveLength(1);
    expect(inbox.toJSON().at(-1)).toMatchObject({ id: 'm0', at: 1 });
    expect(inbox.toJSON()).toHaveLength(INBOX_LIMIT);
    // An item that fell off can come back when it is newer than the oldest kept.
    inbox.add(item('old', 5000));
    expect(ids(inbox)[0]).toBe('old');
  });

  it('forgets a deleted message, so adding it again adds it', () => {
    const inbox = new Inbox();
    for (let n = 0; n < INBOX_LIMIT; n++) inbox.add(item(`m${n}`, 1000 + n));
    expect(inbox.removeMessage('m5')).toBe(true);
    expect(ids(inbox)).not.toContain('m5');
    inbox.add(item('m5', 1005));
    expect(ids(inbox)).toContain('m5');
    expect(inbox.toJSON()).toHaveLength(INBOX_LIMIT);
  });

  it('read back from a file holding one id twice, a new add of that id replaces both', () => {
    const inbox = Inbox.fromJSON([item('a', 10), item('a', 20), item('b', 15)]);
    expect(ids(inbox)).toEqual(['a', 'b', 'a']);
    inbox.add(item('a', 30));
    expect(ids(inbox)).toEqual(['a', 'b']);
  });
});
