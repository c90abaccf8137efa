// The actions menu offers what the chat's kind supports, asked of its capability record.
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import MessageActions from '../../src/renderer/src/components/MessageActions.svelte';
import { CHAT_CAPABILITIES, ChatKindSchema, type ActionCapabilities } from '../../src/shared/domain/kinds.ts';
import type { MessageView } from '../../src/shared/ipc/contract.ts';

const own: MessageView = {
  id: 'm1',
  chatId: 'room-1',
  senderId: 'u-me',
  senderName: 'Me',
  body: 'hello',
  createdAt: 1,
  mentions: [],
  reactions: [],
  own: true,
  pinned: false,
};

let cmp: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (cmp) unmount(cmp);
  cmp = null;
  document.body.innerHTML = '';
});

function offered(can: ActionCapabilities): string[] {
  const nothing = () => {};
  cmp = mount(MessageActions, {
    target: document.body,
    props: {
      message: own,
      can,
      pins: null,
      onReact: nothing,
      onPin: nothing,
      onThread: nothing,
      onViewThread: nothing,
      onEdit: nothing,
      onDelete: nothing,
      onClose: nothing,
    },
  });
  flushSync();
  return [...document.querySelectorAll('button')].map(
    (b) => b.getAttribute('aria-label') ?? b.textContent!.trim(),
  );
}

describe('the message actions menu', () => {
  it('offers nothing but the message itself in a customer conversation', () => {
    const labels = offered(CHAT_CAPABILITIES.customer);
    for (const gone of ['React 👍', 'More emoji', 'View thread', 'Reply in thread', 'Pin', 'Edit', 'Delete…'])
      expect(labels).not.toContain(gone);
    unmount(cmp!);
    cmp = null;
  });

  it('offers every action in rooms and 1on1s', () => {
    for (const kind of ChatKindSchema.exclude(['customer']).options) {
      const labels = offered(CHAT_CAPABILITIES[kind]);
      expect(labels).toEqual(
        expect.arrayContaining(['React 👍', 'More emoji', 'View thread', 'Reply in thread']),
      );
      expect(labels).toEqual(expect.arrayContaining(['Pin', 'Edit', 'Delete…']));
      unmount(cmp!);
      cmp = null;
    }
  });

  it('leaves out what a kind cannot do', () => {
    const labels = offered({ pins: false, threads: false, reactions: false, editDelete: false });
    expect(labels).toEqual([]);
  });

  it('leaves out only pins when only pins are missing', () => {
    const labels = offered({ ...CHAT_CAPABILITIES.room, pins: false });
    expect(labels).not.toContain('Pin');
    expect(labels).toContain('Reply in thread');
    expect(labels).toContain('Edit');
  });
});
