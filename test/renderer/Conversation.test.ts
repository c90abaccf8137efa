// The conversation view over a scripted bridge: history states, actions, the composer and the outbox.
import { afterEach, describe, expect, it } from 'vitest';
import { mount, unmount } from 'svelte';
import Conversation from '../../src/renderer/src/components/Conversation.svelte';
import { AppState } from '../../src/renderer/src/lib/app-state.svelte.ts';
import type { OutboxItemView } from '../../src/shared/ipc/contract.ts';
import {
  baseScript,
  installFakeBridge,
  message,
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
      'chat:pins': { messageIds: ['a', 'b', 'c', 'd', 'e'], limit: 5 },
    });
    await click($('[data-testid="message-actions"]')!);
    expect($('[data-testid="pin-limit"]')?.textContent).toMatch(/already has 5 pinned messages/);
    expect($$('button').some((b) => b.textContent === 'Pin')).toBe(false);
    expect(bridge.callsTo('action:pin')).toEqual([]);
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
