// The popup's customer conversations (issue 13), mounted in a DOM over a scripted bridge: the
// Interactions tab only with messaging, the list (offers first, countdown, waiting, unread), a
// transcript (roles, ticks, attachments as links, text as text), Accept / Decline (which warns
// first), the composer (character guide, throttled typing, the reply shown once), End and wrap-up.
import { afterEach, describe, expect, it } from 'vitest';
import { mount, unmount } from 'svelte';
import App from '../../src/renderer/src/App.svelte';
import type {
  InteractionView,
  TranscriptMessageView,
  TranscriptView,
} from '../../src/shared/ipc/contract.ts';
import {
  baseScript,
  installFakeBridge,
  removeBridge,
  settle,
  stateView,
  type FakeBridge,
} from './fake-bridge.ts';
import { countdown, throttle, waitingFor } from '../../src/renderer/src/lib/interactions.ts';

let app: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (app) unmount(app);
  app = null;
  document.body.innerHTML = '';
  removeBridge();
});

const NOW = Date.now();
const $ = <T extends Element = HTMLElement>(sel: string): T | null => document.querySelector<T>(sel);
const $$ = (sel: string): HTMLElement[] => [...document.querySelectorAll<HTMLElement>(sel)];
const click = async (el: HTMLElement | null): Promise<void> => {
  if (!el) throw new Error('nothing to click');
  el.click();
  await settle();
};

const offer: InteractionView = {
  conversationId: 'c-offer',
  channel: 'whatsapp',
  customerName: 'Jonas Weber',
  state: 'offered',
  offerDeadline: NOW + 25_000,
  waitingSince: NOW - 60_000,
  unread: 1,
  lastMessage: { from: 'customer', text: 'Hallo, is my parcel lost?', at: NOW - 60_000 },
};
const connected: InteractionView = {
  conversationId: 'c-sms',
  channel: 'sms',
  customerName: 'Maya T.',
  state: 'connected',
  waitingSince: NOW - 7 * 60_000,
  unread: 2,
  lastMessage: { from: 'customer', text: 'Any news?', at: NOW - 2 * 60_000 },
};

function msg(over: Partial<TranscriptMessageView>): TranscriptMessageView {
  return { id: 'x', from: 'customer', text: '', at: NOW - 600_000, attachments: [], ...over };
}

/** A tiny stand-in for the engine's conversations, so actions change what the next read returns. */
function world() {
  const list: InteractionView[] = [connected, offer];
  const messages: Record<string, TranscriptMessageView[]> = {
    'c-sms': [
      msg({
        id: 'b1',
        from: 'bot',
        text: 'Thanks for contacting Northwind. An agent will be with you shortly.',
      }),
      msg({ id: 'k1', text: 'Where is my order <img src=x onerror=alert(1)>?' }),
      msg({
        id: 'k2',
        text: 'Here is a photo',
        attachments: [
          { name: 'box.jpg', url: 'https://cdn.example/box.jpg', type: 'image/jpeg' },
          { name: 'trap', url: 'javascript:alert(1)', type: 'text/html' },
        ],
      }),
      msg({ id: 'a1', from: 'agent', senderName: 'Alex Morgan', text: 'Checking now', status: 'read' }),
      msg({ id: 'a2', from: 'agent', senderName: 'Alex Morgan', text: 'One moment', status: 'delivered' }),
      msg({ id: 'a3', from: 'agent', senderName: 'Alex Morgan', text: 'Lost?', status: 'failed' }),
    ],
    'c-offer': [msg({ id: 'o1', text: 'Hallo, is my parcel lost?' })],
  };
  const find = (id: string): InteractionView => list.find((i) => i.conversationId === id)!;
  const set = (id: string, state: InteractionView['state']): void => {
    const i = list.findIndex((x) => x.conversationId === id);
    list[i] = { ...list[i]!, state };
  };
  let sent = 0;
  const script = baseScript({
    'state:get': stateView({ interactions: { available: true, waiting: 2, offered: 1 } }),
    'interactions:list': () => list.map((i) => ({ ...i })),
    'interaction:transcript': ({ conversationId }): TranscriptView => ({
      interaction: find(conversationId),
      messages: [...(messages[conversationId] ?? [])],
    }),
    'interaction:accept': ({ conversationId }) => (set(conversationId, 'connected'), null),
    'interaction:decline': ({ conversationId }) => {
      list.splice(
        list.findIndex((i) => i.conversationId === conversationId),
        1,
      );
      return null;
    },
    'interaction:reply': ({ conversationId, text }) => {
      const m = msg({ id: `r${++sent}`, from: 'agent', text, at: Date.now(), status: 'sent' });
      messages[conversationId]!.push(m); // the engine's next read has it too
      return {
        id: `item-${sent}`,
        kind: 'reply',
        chatId: conversationId,
        state: 'sent' as const,
        text,
        messageId: m.id,
        createdAt: m.at,
      };
    },
    'interaction:typing': null,
    'interaction:end': ({ conversationId }) => (set(conversationId, 'wrapup'), null),
    'interaction:wrapup-codes': [
      { id: 'w-res', name: 'Resolved' },
      { id: 'w-cb', name: 'Call back' },
    ],
    'interaction:wrapup': ({ conversationId }) => (set(conversationId, 'ended'), null),
    'link:open': null,
  });
  return { script, list, messages };
}

async function openApp(script = world().script): Promise<FakeBridge> {
  const bridge = installFakeBridge(script);
  app = mount(App, { target: document.body });
  await settle();
  return bridge;
}

async function openInteractions(bridge?: FakeBridge): Promise<FakeBridge> {
  const b = bridge ?? (await openApp());
  await click($('[data-testid="tab-interactions"]'));
  return b;
}

async function openConversation(name: string): Promise<void> {
  const row = $$('[data-testid="interaction"]').find((r) => r.textContent?.includes(name));
  await click(row ?? null);
  await settle();
}

describe('the Interactions tab', () => {
  it('is absent without messaging, and shows the customers waiting when messaging works', async () => {
    const bridge = await openApp(baseScript());
    expect($('[data-testid="tab-interactions"]')).toBeNull();
    bridge.emit('state:changed', stateView({ interactions: { available: false, waiting: 0, offered: 0 } }));
    expect($('[data-testid="tab-interactions"]')).toBeNull();
    bridge.emit('state:changed', stateView({ interactions: { available: true, waiting: 3, offered: 1 } }));
    const tab = $('[data-testid="tab-interactions"]')!;
    expect(tab.getAttribute('aria-label')).toBe('Interactions, 3 customers waiting');
    expect(tab.textContent).toContain('3');
  });

  it('lists offers first with their countdown, then who waited longest, with channel, waiting time and unread', async () => {
    await openInteractions();
    const rows = $$('[data-testid="interaction"]');
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('Jonas Weber'),
      expect.stringContaining('Maya T.'),
    ]);
    expect(rows[0]!.querySelector('[data-testid="offer-countdown"]')!.textContent).toMatch(/^Offer · 0:2\d$/);
    expect(rows[0]!.textContent).toContain('WhatsApp');
    expect(rows[1]!.textContent).toContain('SMS');
    expect(rows[1]!.querySelector('[data-testid="waiting"]')!.textContent).toBe('waiting 7 min');
    expect(rows[1]!.getAttribute('aria-label')).toBe('Maya T., waiting 7 min, 2 unread');
    expect(rows[0]!.getAttribute('aria-label')).toMatch(/^Jonas Weber, offered, 0:2\d left to answer/);
  });

  it('reloads when the main process says a conversation changed', async () => {
    const w = world();
    const bridge = await openInteractions(await openApp(w.script));
    expect(bridge.callsTo('interactions:list')).toHaveLength(1);
    w.list.push({
      ...connected,
      conversationId: 'c-new',
      customerName: 'Priya N.',
      waitingSince: NOW - 1000,
    });
    bridge.emit('interactions:changed', { conversationId: 'c-new' });
    await settle();
    expect($$('[data-testid="interaction"]').some((r) => r.textContent?.includes('Priya N.'))).toBe(true);
  });

  it('says why when the list cannot be read', async () => {
    const w = world();
    w.script['interactions:list'] = new Error('Customer conversations are not available.');
    await openInteractions(await openApp(w.script));
    expect($('[role="alert"]')!.textContent).toBe('Customer conversations are not available.');
  });
});

describe('an offer', () => {
  it('accepts with one click and then shows the reply box', async () => {
    const bridge = await openInteractions();
    await openConversation('Jonas Weber');
    expect($('[data-testid="offer"]')!.textContent).toMatch(
      /WhatsApp conversation offered, 0:2\d left to answer/,
    );
    await click($('[data-testid="accept"]'));
    expect(bridge.callsTo('interaction:accept')).toEqual([{ conversationId: 'c-offer' }]);
    expect($('[data-testid="offer"]')).toBeNull();
    expect($('[data-testid="ix-reply-box"]')).not.toBeNull();
  });

  it('says that declining means Not Responding before it declines', async () => {
    const bridge = await openInteractions();
    await openConversation('Jonas Weber');
    await click($('[data-testid="decline"]'));
    expect(bridge.callsTo('interaction:decline')).toEqual([]);
    expect($('[data-testid="offer"]')!.textContent).toContain('Not Responding');
    await click($('[data-testid="decline-cancel"]'));
    expect(bridge.callsTo('interaction:decline')).toEqual([]);
    await click($('[data-testid="decline"]'));
    await click($('[data-testid="decline-confirm"]'));
    expect(bridge.callsTo('interaction:decline')).toEqual([{ conversationId: 'c-offer' }]);
    // Back on the list, without the declined offer.
    expect($('[data-testid="interaction-view"]')).toBeNull();
    expect($$('[data-testid="interaction"]').map((r) => r.textContent)).toEqual([
      expect.stringContaining('Maya T.'),
    ]);
  });
});

describe('focus and notifications', () => {
  it('puts the focus on Accept, and on "Keep the offer" once Decline asks', async () => {
    await openInteractions();
    await openConversation('Jonas Weber');
    expect(document.activeElement?.getAttribute('data-testid')).toBe('accept');
    await click($('[data-testid="decline"]'));
    expect(document.activeElement?.getAttribute('data-testid')).toBe('decline-cancel');
  });

  it('opens a customer conversation when its notification is clicked, from anywhere', async () => {
    const bridge = await openApp();
    bridge.emit('nav:open-interaction', { conversationId: 'c-sms' });
    await settle();
    expect($('[data-testid="interaction-view"]')).not.toBeNull();
    expect(bridge.callsTo('interaction:transcript')).toEqual([{ conversationId: 'c-sms' }]);
    await click($('[data-testid="back"]'));
    expect($('[data-testid="interactions"]')).not.toBeNull();
  });
});

describe('WhatsApp after 24 hours', () => {
  async function whatsapp(lastCustomerAgoMs: number): Promise<void> {
    const w = world();
    w.list.push({ ...connected, conversationId: 'c-wa', channel: 'whatsapp', customerName: 'Lucía F.' });
    w.messages['c-wa'] = [msg({ id: 'wa1', text: 'Hola', at: Date.now() - lastCustomerAgoMs })];
    await openInteractions(await openApp(w.script));
    await openConversation('Lucía F.');
  }

  it('says a free-text reply is likely to fail once the customer last wrote more than 24 hours ago', async () => {
    await whatsapp(25 * 3_600_000);
    expect($('[data-testid="whatsapp-window"]')!.textContent).toContain('only template messages');
    expect($('[data-testid="ix-reply-box"]')).not.toBeNull(); // a guide, not a refusal
  });

  it('says nothing within the 24 hours', async () => {
    await whatsapp(3_600_000);
    expect($('[data-testid="whatsapp-window"]')).toBeNull();
  });
});

describe('a transcript', () => {
  it("shows the customer's, the agent's and the bot's messages, ticks, and text as text", async () => {
    await openInteractions();
    await openConversation('Maya T.');
    const items = $$('[data-testid="transcript-message"]');
    expect(items.map((i) => i.dataset.from)).toEqual([
      'bot',
      'customer',
      'customer',
      'agent',
      'agent',
      'agent',
    ]);
    expect(items[0]!.textContent).toContain('Bot');
    expect(items[1]!.textContent).toContain('Where is my order <img src=x onerror=alert(1)>?');
    expect(document.querySelector('img')).toBeNull();
    const ticks = $$('[data-testid="delivery"]').map((t) => t.getAttribute('aria-label'));
    expect(ticks).toEqual(['Read', 'Delivered', 'Not delivered']);
  });

  it('shows attachments as labelled links opened through the safe link path; others as plain names', async () => {
    const bridge = await openInteractions();
    await openConversation('Maya T.');
    const links = $$('[data-testid="attachment"]');
    expect(links.map((a) => a.textContent)).toEqual(['box.jpg']);
    expect(links[0]!.parentElement!.textContent).toContain('Image');
    expect(document.body.textContent).toContain('trap');
    expect($$('a').some((a) => a.getAttribute('href')?.startsWith('javascript'))).toBe(false);
    await click(links[0]!);
    expect(bridge.callsTo('link:open')).toEqual([{ url: 'https://cdn.example/box.jpg' }]);
  });

  it('Escape goes back to the list, then to the inbox', async () => {
    await openInteractions();
    await openConversation('Maya T.');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    await settle();
    expect($('[data-testid="interaction-view"]')).toBeNull();
    expect($('[data-testid="interactions"]')).not.toBeNull();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    await settle();
    expect($('[data-testid="interactions"]')).toBeNull();
  });
});

describe('the composer', () => {
  const type = async (box: HTMLTextAreaElement, value: string): Promise<void> => {
    box.value = value;
    box.dispatchEvent(new Event('input', { bubbles: true }));
    await settle(1);
  };

  it('shows the channel guide, sends "typing" once for a burst of keys, and shows the reply exactly once', async () => {
    const bridge = await openInteractions();
    await openConversation('Maya T.');
    const box = $<HTMLTextAreaElement>('[data-testid="ix-reply-box"]')!;
    expect($('[data-testid="char-guide"]')!.textContent).toContain('0 / 765 · 1 SMS');
    for (const v of ['Y', 'Yo', 'You', 'Your parcel']) await type(box, v);
    expect(bridge.callsTo('interaction:typing')).toEqual([{ conversationId: 'c-sms' }]);
    await type(box, 'x'.repeat(170));
    expect($('[data-testid="char-guide"]')!.textContent).toContain('170 / 765 · 2 SMS');
    await type(box, 'Your parcel is on its way');
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await settle();
    expect(bridge.callsTo('interaction:reply')).toEqual([
      { conversationId: 'c-sms', text: 'Your parcel is on its way' },
    ]);
    expect(box.value).toBe('');
    // The engine's change event reloads the transcript, which now has the reply too: still once.
    bridge.emit('interactions:changed', { conversationId: 'c-sms' });
    await settle();
    const texts = $$('[data-testid="transcript-message"]').map((m) => m.textContent ?? '');
    expect(texts.filter((t) => t.includes('Your parcel is on its way'))).toHaveLength(1);
  });

  it('shows a customer reply waiting in the outbox, then one that failed with the reason, Retry and Discard', async () => {
    const w = world();
    w.script['action:retry'] = true;
    const bridge = await openInteractions(await openApp(w.script));
    await openConversation('Maya T.');
    const interactions = { available: true, waiting: 2, offered: 1 };
    const item = {
      id: '00000000-0000-4000-8000-000000000001',
      kind: 'reply',
      chatId: 'c-sms',
      text: 'Checking with the courier',
      createdAt: NOW,
    };
    const other = { ...item, id: '00000000-0000-4000-8000-000000000002', chatId: 'c-wa', text: 'elsewhere' };
    bridge.emit(
      'state:changed',
      stateView({
        interactions,
        outbox: [
          { ...item, state: 'queued' },
          { ...other, state: 'queued' },
        ],
      }),
    );
    await settle(1);
    const rows = (): Element[] => $$('[data-testid="outbox-item"]');
    expect(rows().map((r) => r.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Message Checking with the courier Waiting to send…',
    ]);
    bridge.emit(
      'state:changed',
      stateView({
        interactions,
        outbox: [{ ...item, state: 'failed', error: 'This interaction is not connected.' }],
      }),
    );
    await settle(1);
    expect(rows()[0]!.getAttribute('data-state')).toBe('failed');
    expect(rows()[0]!.querySelector('[role="alert"]')!.textContent).toBe(
      'Not sent: This interaction is not connected.',
    );
    await click(rows()[0]!.querySelector('button'));
    expect(bridge.callsTo('action:retry')).toEqual([{ id: item.id }]);
    bridge.emit(
      'state:changed',
      stateView({ interactions, outbox: [{ ...item, state: 'sent', messageId: 'r-9' }] }),
    );
    await settle(1);
    expect(rows()).toEqual([]);
  });

  it('marks a reply past the channel limit, and keeps the text when sending fails', async () => {
    const w = world();
    w.script['interaction:reply'] = new Error(
      'WhatsApp refuses free text 24 hours after the last customer message.',
    );
    await openInteractions(await openApp(w.script));
    await openConversation('Maya T.');
    const box = $<HTMLTextAreaElement>('[data-testid="ix-reply-box"]')!;
    await type(box, 'y'.repeat(766));
    expect($('[data-testid="char-guide"]')!.classList.contains('over')).toBe(true);
    await type(box, 'hello');
    await click($('[data-testid="ix-send"]'));
    expect($('[role="alert"]')!.textContent).toContain('24 hours');
    expect(box.value).toBe('hello');
  });
});

describe('End and wrap-up', () => {
  it('ends, then applies the chosen wrap-up code with notes', async () => {
    const bridge = await openInteractions();
    await openConversation('Maya T.');
    await click($('[data-testid="ix-end"]'));
    expect(bridge.callsTo('interaction:end')).toEqual([{ conversationId: 'c-sms' }]);
    await settle();
    const apply = $<HTMLButtonElement>('[data-testid="wrapup-apply"]')!;
    expect(apply.disabled).toBe(true);
    const select = $<HTMLSelectElement>('[data-testid="wrapup-code"]')!;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'Choose a wrap-up code',
      'Resolved',
      'Call back',
    ]);
    select.options[2]!.selected = true;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    const notes = $<HTMLTextAreaElement>('[data-testid="wrapup-notes"]')!;
    notes.value = 'Customer wants a call tomorrow';
    notes.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    await click(apply);
    expect(bridge.callsTo('interaction:wrapup')).toEqual([
      { conversationId: 'c-sms', code: 'w-cb', notes: 'Customer wants a call tomorrow' },
    ]);
    expect($('[data-testid="interaction-view"]')).toBeNull();
  });
});

describe('display helpers', () => {
  it('count down an offer and say how long a customer waited', () => {
    expect(countdown(NOW + 25_000, NOW)).toBe('0:25');
    expect(countdown(NOW + 61_000, NOW)).toBe('1:01');
    expect(countdown(NOW, NOW)).toBeNull();
    expect(waitingFor(NOW - 30_000, NOW)).toBe('just now');
    expect(waitingFor(NOW - 65 * 60_000, NOW)).toBe('1 h 5 min');
  });

  it('throttle typing to one event per interval, and again at once after a reply', () => {
    let t = 0;
    let sent = 0;
    const th = throttle(
      () => sent++,
      4000,
      () => t,
    );
    th.poke();
    t = 1000;
    th.poke();
    t = 3999;
    th.poke();
    expect(sent).toBe(1);
    t = 4000;
    th.poke();
    expect(sent).toBe(2);
    th.reset();
    th.poke();
    expect(sent).toBe(3);
  });
});
