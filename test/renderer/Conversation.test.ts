// The conversation view over a scripted bridge: history states, actions, the composer and the outbox.
import { afterEach, describe, expect, it } from 'vitest';
import { mount, unmount } from 'svelte';
import Conversation from '../../src/renderer/src/components/Conversation.svelte';
import { AppState } from '../../src/renderer/src/lib/app-state.svelte.ts';
import type {
  EngineStateView,
  MessageView,
  OutboxItemView,
  PrefsView,
} from '../../src/shared/ipc/contract.ts';
import {
  baseScript,
  installFakeBridge,
  message,
  PREFS,
  removeBridge,
  settle,
  stateView,
  type Script,
} from './fake-bridge.ts';

let cmp: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (cmp) unmount(cmp);
  cmp = null;
  document.body.innerHTML = '';
  removeBridge();
});

const target = { chatId: 'room-1', chatName: 'Support', chatKind: 'room' as const };
const outboxItem = (over: Partial<OutboxItemView> = {}): OutboxItemView => ({
  id: 'o1',
  kind: 'reply',
  chatId: 'room-1',
  state: 'queued',
  text: 'hello',
  createdAt: 1,
  ...over,
});

async function open(
  over: Script = {},
): Promise<{ bridge: ReturnType<typeof installFakeBridge>; app: AppState }> {
  const bridge = installFakeBridge(baseScript(over));
  const app = new AppState();
  await app.start();
  cmp = mount(Conversation, { target: document.body, props: { app, target, onBack: () => {} } });
  await settle();
  return { bridge, app };
}
const $ = <T extends Element = HTMLElement>(sel: string): T | null => document.querySelector<T>(sel);
const $$ = (sel: string): HTMLElement[] => [...document.querySelectorAll<HTMLElement>(sel)];
const button = (label: string): HTMLButtonElement => {
  const b = $$('button').find(
    (x) => x.textContent?.trim() === label || x.getAttribute('aria-label') === label,
  );
  if (!b) throw new Error(`no button ${label}`);
  return b as HTMLButtonElement;
};
const click = async (el: HTMLElement): Promise<void> => {
  el.click();
  await settle();
};
const composer = (): HTMLTextAreaElement => $<HTMLTextAreaElement>('[data-testid="composer"]')!;
async function type(value: string): Promise<void> {
  const area = composer();
  area.value = value;
  area.setSelectionRange(value.length, value.length);
  area.dispatchEvent(new Event('input', { bubbles: true }));
  await settle();
}
async function press(key: string, init: KeyboardEventInit = {}): Promise<KeyboardEvent> {
  const e = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  composer().dispatchEvent(e);
  await settle();
  return e;
}

describe('history', () => {
  it('shows loading until history arrives', async () => {
    await open({ 'chat:history': () => new Promise(() => {}) });
    expect($('[role="status"]')?.textContent).toContain('Loading messages');
  });

  it('shows an error with a retry', async () => {
    let fail = true;
    await open({
      'chat:history': () =>
        fail ? new Error('That chat is not one of yours.') : { messages: [], hasMore: false },
    });
    expect($('[role="alert"]')?.textContent).toBe('That chat is not one of yours.');
    fail = false;
    await click(button('Try again'));
    expect(document.body.textContent).toContain('No messages yet');
  });

  it('shows messages oldest first, with reactions and pins, and asks for older ones before the oldest', async () => {
    const a = message({ body: 'first **bold**', createdAt: 1000 });
    const b = message({
      body: 'second',
      createdAt: 2000,
      pinned: true,
      reactions: [{ emoji: '👍', count: 2, mine: true }],
    });
    const older = message({ body: 'zeroth', createdAt: 500 });
    const { bridge } = await open({
      'chat:history': (req) =>
        req.before ? { messages: [older], hasMore: false } : { messages: [b, a], hasMore: true },
    });
    expect($$('[data-testid="message"]').map((m) => m.dataset.messageId)).toEqual([a.id, b.id]);
    expect($('[data-testid="message"] strong')?.textContent).toBe('bold');
    expect($('[data-testid="pinned"]')).not.toBeNull();
    expect($('[data-testid="reaction"]')?.getAttribute('aria-pressed')).toBe('true');
    await click(button('Load older messages'));
    expect(bridge.callsTo('chat:history').at(-1)).toEqual({ chatId: 'room-1', before: 1000, limit: 30 });
    expect($$('[data-testid="message"]').map((m) => m.dataset.messageId)).toEqual([older.id, a.id, b.id]);
  });

  it('renders many long messages', async () => {
    const many = Array.from({ length: 100 }, (_, i) => message({ body: `${i} ${'long '.repeat(400)}` }));
    await open({ 'chat:history': { messages: many, hasMore: true } });
    expect($$('[data-testid="message"]')).toHaveLength(100);
  });

  it('refreshes when an own outbox item is sent', async () => {
    const { bridge } = await open();
    const before = bridge.callsTo('chat:history').length;
    bridge.emit('state:changed', stateView({ outbox: [outboxItem({ state: 'sent' })] }));
    await settle();
    expect(bridge.callsTo('chat:history').length).toBe(before + 1);
  });
});

describe('message actions', () => {
  it('toggles my reaction from the chip', async () => {
    const m = message({ reactions: [{ emoji: '🎉', count: 1, mine: true }] });
    const { bridge } = await open({
      'chat:history': { messages: [m], hasMore: false },
      'action:react': outboxItem({ kind: 'react' }),
    });
    await click($('[data-testid="reaction"]')!);
    expect(bridge.callsTo('action:react')).toEqual([
      { chatId: 'room-1', messageId: m.id, emoji: '🎉', on: false },
    ]);
    expect($('[data-testid="reaction"]')).toBeNull();
  });

  it('reacts from the menu and from the emoji search', async () => {
    const m = message();
    const { bridge } = await open({
      'chat:history': { messages: [m], hasMore: false },
      'action:react': outboxItem({ kind: 'react' }),
    });
    await click($('[data-testid="message-actions"]')!);
    await click(button('React 👀'));
    await click($('[data-testid="message-actions"]')!);
    await click(button('More emoji'));
    const search = $<HTMLInputElement>('input[aria-label="Search emoji"]')!;
    search.value = 'rocket';
    search.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await settle();
    expect(bridge.callsTo('action:react').map((r) => (r as { emoji: string }).emoji)).toEqual(['👀', '🚀']);
  });

  it('pins, and explains the limit before trying when the chat has 5 pins', async () => {
    const m = message();
    const { bridge } = await open({
      'chat:history': { messages: [m], hasMore: false },
      'chat:pins': { messageIds: ['a', 'b', 'c', 'd', 'e'], messages: [], limit: 5 },
    });
    await click($('[data-testid="message-actions"]')!);
    expect($('[data-testid="pin-limit"]')?.textContent).toMatch(/already has 5 pinned messages/);
    expect($$('button').some((b) => b.textContent === 'Pin')).toBe(false);
    expect(bridge.callsTo('action:pin')).toEqual([]);
  });

  it('lists the pinned messages and unpins from the list', async () => {
    const pinned = message({
      body: 'Release checklist is **here**',
      senderName: 'Priya Raman',
      pinned: true,
    });
    const { bridge } = await open({
      'chat:history': { messages: [pinned], hasMore: false },
      'chat:pins': { messageIds: [pinned.id], messages: [pinned], limit: 5 },
      'action:unpin': outboxItem({ kind: 'unpin' }),
    });
    const toggle = $('[data-testid="pins-toggle"]')!;
    expect(toggle.textContent).toContain('1/5');
    await click(toggle);
    const list = $('[data-testid="pinned-list"]')!;
    expect(list.textContent).toContain('Priya Raman');
    expect(list.textContent).toContain('Release checklist is here');
    expect(list.querySelector('strong + strong')).toBeNull();
    await click(button('Unpin the message from Priya Raman'));
    expect(bridge.callsTo('action:unpin')).toEqual([{ chatId: 'room-1', messageId: pinned.id }]);
    expect($('[data-testid="pinned-list"]')).toBeNull();
  });

  it('pins when there is room', async () => {
    const m = message();
    const { bridge } = await open({
      'chat:history': { messages: [m], hasMore: false },
      'action:pin': outboxItem({ kind: 'pin' }),
    });
    await click($('[data-testid="message-actions"]')!);
    await click(button('Pin'));
    expect(bridge.callsTo('action:pin')).toEqual([{ chatId: 'room-1', messageId: m.id }]);
    expect($('[data-testid="pinned"]')).not.toBeNull();
  });

  it('edits and deletes own messages only', async () => {
    const mine = message({ own: true, body: 'tpyo' });
    const theirs = message();
    const { bridge } = await open({
      'chat:history': { messages: [mine, theirs], hasMore: false },
      'action:edit': outboxItem({ kind: 'edit' }),
      'action:delete': outboxItem({ kind: 'delete' }),
    });
    await click($$('[data-testid="message-actions"]')[1]!);
    expect($$('button').some((b) => b.textContent === 'Edit')).toBe(false);
    await click($$('[data-testid="message-actions"]')[1]!);

    await click($$('[data-testid="message-actions"]')[0]!);
    await click(button('Edit'));
    expect(composer().value).toBe('tpyo');
    await type('typo');
    await press('Enter');
    expect(bridge.callsTo('action:edit')).toEqual([{ chatId: 'room-1', messageId: mine.id, text: 'typo' }]);

    await click($$('[data-testid="message-actions"]')[0]!);
    await click(button('Delete…'));
    await click(button('Delete'));
    expect(bridge.callsTo('action:delete')).toEqual([{ chatId: 'room-1', messageId: mine.id }]);
  });

  it('closes the menu with Escape', async () => {
    await open({ 'chat:history': { messages: [message()], hasMore: false } });
    await click($('[data-testid="message-actions"]')!);
    $('[data-testid="message-menu"]')!.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }),
    );
    await settle();
    expect($('[data-testid="message-menu"]')).toBeNull();
  });
});

describe('composer', () => {
  it('sends on Enter, and Shift+Enter does not send', async () => {
    const { bridge } = await open({ 'action:reply': outboxItem() });
    await type('line one');
    const shift = await press('Enter', { shiftKey: true });
    expect(shift.defaultPrevented).toBe(false);
    expect(bridge.callsTo('action:reply')).toEqual([]);
    await type('line one\nline two');
    const enter = await press('Enter');
    expect(enter.defaultPrevented).toBe(true);
    expect(bridge.callsTo('action:reply')).toEqual([{ chatId: 'room-1', text: 'line one\nline two' }]);
    expect(composer().value).toBe('');
  });

  it('does not send blank text', async () => {
    const { bridge } = await open({ 'action:reply': outboxItem() });
    await type('   ');
    await press('Enter');
    expect(bridge.callsTo('action:reply')).toEqual([]);
  });

  it('suggests people after @ and inserts the mention with its user id', async () => {
    const { bridge } = await open({ 'action:reply': outboxItem() });
    await type('hi @sa');
    const options = $$('[role="option"] .name').map((o) => o.textContent);
    expect(options).toEqual(['Sam Lee', 'Sara Kim']);
    await press('ArrowDown');
    await press('Enter');
    expect(composer().value).toBe('hi @Sara Kim ');
    expect($('[role="listbox"]')).toBeNull();
    await type('hi @Sara Kim can you look?');
    await press('Enter');
    expect(bridge.callsTo('action:reply')).toEqual([
      { chatId: 'room-1', text: 'hi @Sara Kim can you look?', mentions: ['u-sara'] },
    ]);
  });

  it('replies in a thread from the menu, with a cancellable chip', async () => {
    const m = message();
    const { bridge } = await open({
      'chat:history': { messages: [m], hasMore: false },
      'action:reply': outboxItem(),
    });
    await click($('[data-testid="message-actions"]')!);
    await click(button('Reply in thread'));
    expect($('[data-testid="thread-chip"]')?.textContent).toContain('Sam Lee');
    await click(button('Cancel thread reply'));
    expect($('[data-testid="thread-chip"]')).toBeNull();
    await click($('[data-testid="message-actions"]')!);
    await click(button('Reply in thread'));
    await type('in thread');
    await press('Enter');
    expect(bridge.callsTo('action:reply')).toEqual([{ chatId: 'room-1', text: 'in thread', threadId: m.id }]);
    expect($('[data-testid="thread-chip"]')).toBeNull();
  });

  it('shows a refused send in words and keeps the text', async () => {
    await open({ 'action:reply': new Error('Not signed in.') });
    await type('keep me');
    await press('Enter');
    expect($('[role="alert"]')?.textContent).toBe('Not signed in.');
    expect(composer().value).toBe('keep me');
  });
});

describe('outbox', () => {
  it('shows sending, then failed with the reason, Retry and Discard', async () => {
    const { bridge } = await open({ 'action:retry': true, 'action:discard': true });
    bridge.emit('state:changed', stateView({ outbox: [outboxItem({ state: 'sending' })] }));
    expect($('[aria-live="polite"][data-testid="outbox"]')?.textContent).toContain('Sending…');
    bridge.emit(
      'state:changed',
      stateView({ outbox: [outboxItem({ state: 'failed', error: 'The chat service is unavailable.' })] }),
    );
    const item = $('[data-testid="outbox-item"]')!;
    expect(item.dataset.state).toBe('failed');
    expect(item.textContent).toContain('The chat service is unavailable.');
    await click(button('Retry'));
    await click(button('Discard'));
    expect(bridge.callsTo('action:retry')).toEqual([{ id: 'o1' }]);
    expect(bridge.callsTo('action:discard')).toEqual([{ id: 'o1' }]);
  });

  it('shows only this chat’s unsent items', async () => {
    const { bridge } = await open();
    bridge.emit(
      'state:changed',
      stateView({
        outbox: [
          outboxItem({ chatId: 'other' }),
          outboxItem({ id: 'o2', state: 'sent' }),
          outboxItem({ id: 'o3' }),
        ],
      }),
    );
    expect($$('[data-testid="outbox-item"]')).toHaveLength(1);
  });
});

describe('live conversation', () => {
  const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  /** Fakes the scroller's layout (happy-dom has none): 100px per message, 300px in view. */
  function layout(el: HTMLElement): void {
    Object.defineProperty(el, 'scrollHeight', {
      configurable: true,
      get: () => el.querySelectorAll('[data-testid="message"]').length * 100,
    });
    Object.defineProperty(el, 'clientHeight', { configurable: true, get: () => 300 });
  }

  it('refreshes on chat:activity for this chat, once per burst, and ignores other chats', async () => {
    const a = message({ body: 'hello there' });
    let page = [a];
    const { bridge } = await open({ 'chat:history': () => ({ messages: page, hasMore: false }) });
    const before = bridge.callsTo('chat:history').length;
    const b = message({ body: 'a plain message from Sam' });
    page = [a, b];
    bridge.emit('chat:activity', { chatId: 'other-chat' });
    bridge.emit('chat:activity', { chatId: 'room-1' });
    bridge.emit('chat:activity', { chatId: 'room-1' });
    bridge.emit('chat:activity', { chatId: 'room-1' });
    await wait(60);
    expect(bridge.callsTo('chat:history').length).toBe(before);
    await wait(200);
    await settle();
    expect(bridge.callsTo('chat:history').length).toBe(before + 1);
    expect($$('[data-testid="message"]').map((m) => m.dataset.messageId)).toEqual([a.id, b.id]);
    expect(document.body.textContent).not.toContain('Loading messages');
  });

  it('stays at the bottom when the reader was there, and does not jump otherwise', async () => {
    let page = [message(), message()];
    const { bridge } = await open({ 'chat:history': () => ({ messages: page, hasMore: false }) });
    const scroller = $('[data-testid="messages"]')!;
    layout(scroller);

    scroller.scrollTop = 0; // 200 high and 300 in view: at the bottom
    page = [...page, message(), message()];
    bridge.emit('chat:activity', { chatId: 'room-1' });
    await wait(200);
    await settle();
    expect(scroller.scrollTop).toBe(400);

    scroller.scrollTop = 20; // 80px above the bottom: reading older messages
    page = [...page, message()];
    bridge.emit('chat:activity', { chatId: 'room-1' });
    await wait(200);
    await settle();
    expect($$('[data-testid="message"]')).toHaveLength(5);
    expect(scroller.scrollTop).toBe(20);
  });

  /** The inbox as the engine shows it once `m` (a colleague's mention in this chat) is in it. */
  const inboxWith = (...ms: MessageView[]): EngineStateView['inbox'] => [
    {
      chatId: 'room-1',
      chatName: 'Support',
      chatKind: 'room',
      unread: ms.length,
      latestAt: ms.at(-1)?.createdAt ?? 0,
      items: ms.map((m) => ({
        id: `item-${m.id}`,
        messageId: m.id,
        chatId: 'room-1',
        chatName: 'Support',
        chatKind: 'room' as const,
        kind: 'mention' as const,
        senderId: m.senderId,
        senderName: m.senderName,
        text: m.body,
        at: m.createdAt,
        read: false,
        ...(m.threadId ? { threadId: m.threadId } : {}),
      })),
    },
  ];

  it('reads the history once for one new message, its activity and its inbox item together', async () => {
    const a = message({ body: 'hello there' });
    let page = [a];
    const { bridge } = await open({ 'chat:history': () => ({ messages: page, hasMore: false }) });
    const reads = (): number => bridge.callsTo('chat:history').length;
    const before = reads();

    // The engine tells the activity of a batch, then the state its decisions made (the inbox item).
    const b = message({ body: '@Alex Morgan a question', mentions: ['u-me'] });
    page = [a, b];
    bridge.emit('chat:activity', { chatId: 'room-1' });
    bridge.emit('state:changed', stateView({ inbox: inboxWith(b) }));
    await wait(300);
    await settle();
    expect(reads()).toBe(before + 1);
    expect($$('[data-testid="message"]').map((m) => m.dataset.messageId)).toEqual([a.id, b.id]);
    expect(bridge.callsTo('inbox:mark-read').length).toBeGreaterThan(1);

    // The inbox item arrives after the activity's read already showed the message: no read more.
    const c = message({ body: '@Alex Morgan and another', mentions: ['u-me'] });
    page = [a, b, c];
    bridge.emit('chat:activity', { chatId: 'room-1' });
    await wait(300);
    await settle();
    expect(reads()).toBe(before + 2);
    bridge.emit('state:changed', stateView({ inbox: inboxWith(b, c) }));
    await wait(300);
    await settle();
    expect(reads()).toBe(before + 2);
    expect($$('[data-testid="message"]')).toHaveLength(3);
  });

  it('reads the history once when the inbox item lands while the activity’s read is under way', async () => {
    const a = message();
    let page = [a];
    let answer: (() => void) | null = null;
    const { bridge } = await open({
      'chat:history': () =>
        answer === null && page.length > 1
          ? new Promise((ok) => (answer = () => ok({ messages: page, hasMore: false })))
          : { messages: page, hasMore: false },
    });
    const before = bridge.callsTo('chat:history').length;
    const b = message({ body: '@Alex Morgan look', mentions: ['u-me'] });
    page = [a, b];
    bridge.emit('chat:activity', { chatId: 'room-1' });
    await wait(200);
    expect(answer).not.toBeNull();
    bridge.emit('state:changed', stateView({ inbox: inboxWith(b) }));
    await settle();
    answer!();
    await wait(300);
    await settle();
    expect(bridge.callsTo('chat:history').length).toBe(before + 1);
    expect($$('[data-testid="message"]')).toHaveLength(2);
  });

  it('shows an own edit once it lands, though the edited message was shown already', async () => {
    const mine = message({ own: true, body: 'tpyo' });
    let page = [mine];
    const { bridge } = await open({ 'chat:history': () => ({ messages: page, hasMore: false }) });
    const before = bridge.callsTo('chat:history').length;
    page = [{ ...mine, body: 'typo', editedAt: mine.createdAt + 1 }];
    bridge.emit(
      'state:changed',
      stateView({ outbox: [outboxItem({ kind: 'edit', state: 'sent', messageId: mine.id })] }),
    );
    await settle();
    expect(bridge.callsTo('chat:history').length).toBe(before + 1);
    expect($(`[data-message-id="${mine.id}"]`)?.textContent).toContain('(edited)');
  });

  it('reads an open thread once for one new reply in it', async () => {
    const root = message({ body: 'root' });
    const reply = message({ threadId: root.id });
    let page = [root, reply];
    let replies = [reply];
    const { bridge } = await open({
      'chat:history': () => ({ messages: page, hasMore: false }),
      'chat:thread': () => ({ messages: [root, ...replies] }),
    });
    await click($('[data-testid="view-thread"]')!);
    const history = bridge.callsTo('chat:history').length;
    const thread = bridge.callsTo('chat:thread').length;
    const late = message({ threadId: root.id, body: '@Alex Morgan in the thread', mentions: ['u-me'] });
    page = [root, reply, late];
    replies = [reply, late];
    bridge.emit('chat:activity', { chatId: 'room-1' });
    bridge.emit('state:changed', stateView({ inbox: inboxWith(late) }));
    await wait(300);
    await settle();
    expect(bridge.callsTo('chat:thread').length).toBe(thread + 1);
    expect(bridge.callsTo('chat:history').length).toBe(history + 1);
    expect($$('[data-testid="message"]')).toHaveLength(3);
  });

  it('stops listening when closed', async () => {
    const { bridge } = await open();
    const before = bridge.callsTo('chat:history').length;
    unmount(cmp!);
    cmp = null;
    bridge.emit('chat:activity', { chatId: 'room-1' });
    await wait(200);
    expect(bridge.callsTo('chat:history').length).toBe(before);
  });
});

describe('threads', () => {
  it('offers View thread on a message with replies and on a reply; shows root and replies; replies there; back', async () => {
    const root = message({ body: 'the root' });
    const reply = message({ body: 'first reply', threadId: root.id });
    const plain = message({ body: 'no thread here' });
    const late = message({ body: 'second reply', threadId: root.id });
    const { bridge } = await open({
      'chat:history': { messages: [root, reply, plain], hasMore: false },
      'chat:thread': { messages: [late, reply] },
      'action:reply': outboxItem(),
    });
    const item = (id: string): HTMLElement => $(`[data-message-id="${id}"]`)!;
    expect(item(root.id).querySelector('[data-testid="view-thread"]')?.textContent).toBe('View thread');
    expect(item(reply.id).querySelector('[data-testid="view-thread"]')?.textContent).toBe('View thread');
    expect(item(plain.id).querySelector('[data-testid="view-thread"]')).toBeNull();

    await click(item(reply.id).querySelector<HTMLElement>('[data-testid="view-thread"]')!);
    expect(bridge.callsTo('chat:thread')).toEqual([{ chatId: 'room-1', threadId: root.id }]);
    expect($('[data-testid="thread-title"]')?.textContent).toContain('Thread');
    expect($$('[data-testid="message"]').map((m) => m.dataset.messageId)).toEqual([
      root.id,
      reply.id,
      late.id,
    ]);
    expect($('[data-testid="view-thread"]')).toBeNull();

    expect(composer().getAttribute('aria-label')).toBe('Reply in this thread');
    await type('in the thread');
    await press('Enter');
    expect(bridge.callsTo('action:reply')).toEqual([
      { chatId: 'room-1', text: 'in the thread', threadId: root.id },
    ]);
    expect($('[data-testid="thread-chip"]')).toBeNull();

    await click(button('Back to Support'));
    expect($('#conversation-title')?.textContent).toBe('Support');
    expect($$('[data-testid="message"]')).toHaveLength(3);
  });

  it('opens a thread from the message menu and refreshes it on activity', async () => {
    const root = message({ body: 'root' });
    const reply = message({ threadId: root.id });
    let replies = [reply];
    const { bridge } = await open({
      'chat:history': { messages: [root, reply], hasMore: false },
      'chat:thread': () => ({ messages: [root, ...replies] }),
    });
    await click($(`[data-message-id="${root.id}"] [data-testid="message-actions"]`)!);
    await click(button('View thread'));
    expect($$('[data-testid="message"]')).toHaveLength(2);
    replies = [reply, message({ threadId: root.id, body: 'new reply' })];
    bridge.emit('chat:activity', { chatId: 'room-1' });
    await new Promise((r) => setTimeout(r, 200));
    await settle();
    expect($$('[data-testid="message"]')).toHaveLength(3);
    expect(document.body.textContent).toContain('new reply');
  });

  it('shows a thread that cannot load in words', async () => {
    const root = message();
    await open({
      'chat:history': { messages: [root, message({ threadId: root.id })], hasMore: false },
      'chat:thread': new Error('That thread is gone.'),
    });
    await click($('[data-testid="view-thread"]')!);
    expect($('[role="alert"]')?.textContent).toBe('That thread is gone.');
  });
});

describe('mute', () => {
  it('mutes for an hour, until tomorrow 08:00 or until unmuted, shows it, and unmutes', async () => {
    let prefs = { ...PREFS };
    const { bridge } = await open({
      'prefs:update': (change) => (prefs = { ...prefs, ...change }),
      'prefs:get': () => prefs,
    });
    expect($('[data-testid="chat-muted"]')).toBeNull();
    await click($('[data-testid="mute-button"]')!);
    const t0 = Date.now();
    await click(button('Mute for 1 hour'));
    const first = bridge.callsTo('prefs:update')[0] as { chatMutes: Record<string, { until?: number }> };
    expect(Object.keys(first.chatMutes)).toEqual(['room-1']);
    expect(first.chatMutes['room-1']!.until).toBeGreaterThanOrEqual(t0 + 3_600_000 - 50);
    expect(first.chatMutes['room-1']!.until).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect($('[data-testid="chat-muted"]')?.textContent).toBe('Muted');
    expect($('[data-testid="mute-button"]')?.getAttribute('title')).toMatch(/^Muted until/);

    await click($('[data-testid="mute-button"]')!);
    await click(button('Mute until tomorrow 08:00'));
    const until = (bridge.callsTo('prefs:update')[1] as typeof first).chatMutes['room-1']!.until!;
    expect(new Date(until).getHours()).toBe(8);
    expect(until).toBeGreaterThan(Date.now());

    await click($('[data-testid="mute-button"]')!);
    await click(button('Mute until I unmute'));
    expect(bridge.callsTo('prefs:update')[2]).toEqual({ chatMutes: { 'room-1': {} } });

    await click($('[data-testid="mute-button"]')!);
    await click(button('Unmute'));
    expect(bridge.callsTo('prefs:update')[3]).toEqual({ chatMutes: {} });
    expect($('[data-testid="chat-muted"]')).toBeNull();
  });

  it('keeps other chats’ mutes, drops expired ones, and shows a refused change', async () => {
    let prefs: PrefsView = {
      ...PREFS,
      chatMutes: { 'room-2': {}, 'room-3': { until: Date.now() - 1000 } },
    };
    let fail = false;
    const { bridge } = await open({
      'prefs:get': () => prefs,
      'prefs:update': (change) => (fail ? new Error('Could not save.') : (prefs = { ...prefs, ...change })),
    });
    await click($('[data-testid="mute-button"]')!);
    await click(button('Mute until I unmute'));
    expect(bridge.callsTo('prefs:update')[0]).toEqual({ chatMutes: { 'room-2': {}, 'room-1': {} } });
    fail = true;
    await click($('[data-testid="mute-button"]')!);
    await click(button('Unmute'));
    expect($('[role="alert"]')?.textContent).toContain('Could not save.');
  });

  it('closes the mute menu with Escape', async () => {
    await open();
    await click($('[data-testid="mute-button"]')!);
    const e = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    $('[data-testid="mute-menu"]')!.dispatchEvent(e);
    await settle();
    expect($('[data-testid="mute-menu"]')).toBeNull();
    expect(e.defaultPrevented).toBe(true);
  });
});
