// The customer-conversation channels through the real validating dispatcher and the real handlers:
// without a messaging port every channel says so; malformed requests never reach the port; what
// the port returns is fitted to the contract's caps (a surprise shows shortened, never fails the list).
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../src/shared/ipc/dispatcher.ts';
import {
  EngineStateViewSchema,
  INTERACTION_LIMITS,
  type InteractionView,
  type TranscriptMessageView,
} from '../../../src/shared/ipc/contract.ts';
import { createInvokeHandlers } from '../../../src/main/ipc/handlers.ts';
import { NOT_AVAILABLE, type InteractionsPort } from '../../../src/main/ipc/interaction-handlers.ts';
import { toStateView } from '../../../src/main/ipc/views.ts';
import { initialSnapshot } from '../../../src/main/engine/engine-state.ts';
import type { ControllerPort } from '../../../src/main/controller.ts';

const controller: ControllerPort = {
  engine: null,
  mode: 'demo',
  environment: '',
  state: () => initialSnapshot(true, ''),
  onState: () => () => {},
  onActivity: () => () => {},
  signIn: async () => {},
  cancelSignIn: () => {},
  signOut: async () => {},
  useDemo: async () => {},
  networkReport: async () => null,
};

const interaction = (over: Partial<InteractionView> = {}): InteractionView => ({
  conversationId: 'c-1',
  channel: 'sms',
  customerName: 'Maya T.',
  state: 'connected',
  unread: 1,
  ...over,
});
const message = (over: Partial<TranscriptMessageView> = {}): TranscriptMessageView => ({
  id: 'm-1',
  from: 'customer',
  text: 'Where is my order?',
  at: 1_700_000_000_000,
  attachments: [],
  ...over,
});

/** A port that records what it was asked and answers what the test gives it. */
function recordingPort(answers: { list?: InteractionView[]; messages?: TranscriptMessageView[] } = {}) {
  const calls: [string, ...unknown[]][] = [];
  const port: InteractionsPort = {
    list: async () => (calls.push(['list']), answers.list ?? [interaction()]),
    transcript: async (id) => (
      calls.push(['transcript', id]),
      { interaction: interaction({ conversationId: id }), messages: answers.messages ?? [message()] }
    ),
    accept: async (id) => void calls.push(['accept', id]),
    decline: async (id) => void calls.push(['decline', id]),
    reply: async (id, text) => (
      calls.push(['reply', id, text]),
      { id: 'item-1', kind: 'reply', chatId: id, state: 'queued' as const, text, createdAt: 1 }
    ),
    typing: async (id) => void calls.push(['typing', id]),
    end: async (id) => void calls.push(['end', id]),
    wrapupCodes: async (id) => (calls.push(['wrapupCodes', id]), [{ id: 'w-1', name: 'Resolved' }]),
    wrapup: async (id, w) => void calls.push(['wrapup', id, w]),
  };
  return { port, calls };
}

function dispatcherWith(port: InteractionsPort | null, logs: string[] = []) {
  return createDispatcher(
    createInvokeHandlers({
      appInfo: () => ({ name: 'x', version: '0', platform: 'linux', mode: 'demo', environment: '' }),
      controller,
      openExternal: async () => {},
      hidePopup: () => {},
      copyText: () => {},
      proxySignIn: async () => {},
      interactions: () => port,
      log: (m) => void logs.push(m),
    }),
  );
}

const VALID: [string, unknown][] = [
  ['interactions:list', undefined],
  ['interaction:transcript', { conversationId: 'c-1' }],
  ['interaction:accept', { conversationId: 'c-1' }],
  ['interaction:decline', { conversationId: 'c-1' }],
  ['interaction:reply', { conversationId: 'c-1', text: 'On its way' }],
  ['interaction:typing', { conversationId: 'c-1' }],
  ['interaction:end', { conversationId: 'c-1' }],
  ['interaction:wrapup-codes', { conversationId: 'c-1' }],
  ['interaction:wrapup', { conversationId: 'c-1', code: 'w-1' }],
];

describe('interaction channels without messaging', () => {
  it('answer every channel with a clear "not available"', async () => {
    const d = dispatcherWith(null);
    for (const [channel, request] of VALID) {
      const r = await d.dispatch(channel, request, true);
      expect(r, channel).toEqual({ ok: false, error: { code: 'failed', message: NOT_AVAILABLE } });
    }
  });
});

describe('interaction channels refuse malformed requests before the port', () => {
  it.each([
    ['interaction:transcript', {}],
    ['interaction:transcript', { conversationId: '' }],
    ['interaction:transcript', { conversationId: '..' }],
    ['interaction:transcript', { conversationId: 'x'.repeat(601) }],
    ['interaction:accept', { conversationId: 'c-1', extra: true }],
    ['interaction:accept', 'c-1'],
    ['interaction:decline', { conversationId: 42 }],
    ['interaction:reply', { conversationId: 'c-1', text: '   ' }],
    ['interaction:reply', { conversationId: 'c-1', text: 'x'.repeat(INTERACTION_LIMITS.reply + 1) }],
    ['interaction:reply', { conversationId: 'c-1' }],
    ['interaction:wrapup', { conversationId: 'c-1' }],
    ['interaction:wrapup', { conversationId: 'c-1', code: '.' }],
    [
      'interaction:wrapup',
      { conversationId: 'c-1', code: 'w', notes: 'n'.repeat(INTERACTION_LIMITS.notes + 1) },
    ],
    ['interactions:list', { all: true }],
  ])('%s %j', async (channel, request) => {
    const { port, calls } = recordingPort();
    const r = await dispatcherWith(port).dispatch(channel, request, true);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('bad-request');
    expect(calls).toEqual([]);
  });

  it('refuses an untrusted sender even with a valid request', async () => {
    const { port, calls } = recordingPort();
    const r = await dispatcherWith(port).dispatch('interaction:accept', { conversationId: 'c-1' }, false);
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });
});

describe('interaction channels with a port', () => {
  it('pass each action to the port with the conversation, trimmed text and notes', async () => {
    const { port, calls } = recordingPort();
    const d = dispatcherWith(port);
    for (const [channel, request] of VALID)
      expect((await d.dispatch(channel, request, true)).ok, channel).toBe(true);
    await d.dispatch('interaction:reply', { conversationId: 'c-2', text: '  padded  ' }, true);
    await d.dispatch(
      'interaction:wrapup',
      { conversationId: 'c-2', code: 'w-2', notes: '  called back  ' },
      true,
    );
    await d.dispatch('interaction:wrapup', { conversationId: 'c-3', code: 'w-3', notes: '   ' }, true);
    expect(calls).toEqual([
      ['list'],
      ['transcript', 'c-1'],
      ['accept', 'c-1'],
      ['decline', 'c-1'],
      ['reply', 'c-1', 'On its way'],
      ['typing', 'c-1'],
      ['end', 'c-1'],
      ['wrapupCodes', 'c-1'],
      ['wrapup', 'c-1', { code: 'w-1' }],
      ['reply', 'c-2', 'padded'],
      ['wrapup', 'c-2', { code: 'w-2', notes: 'called back' }],
      ['wrapup', 'c-3', { code: 'w-3' }],
    ]);
  });

  it('passes the port error message on, readable', async () => {
    const { port } = recordingPort();
    port.reply = async () => {
      throw new Error('WhatsApp does not accept free text 24 hours after the customer last wrote.');
    };
    const r = await dispatcherWith(port).dispatch(
      'interaction:reply',
      { conversationId: 'c-1', text: 'hi' },
      true,
    );
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'failed',
        message: 'WhatsApp does not accept free text 24 hours after the customer last wrote.',
      },
    });
  });

  it('fits a list past the caps: at most 200, long names cut, bidi stripped, unknown channels shown as Messaging', async () => {
    const logs: string[] = [];
    const list = Array.from({ length: 300 }, (_, i) => interaction({ conversationId: `c-${i}` }));
    list[0] = interaction({
      customerName: `Eve\u202E${'n'.repeat(5000)}`,
      channel: 'carrier-pigeon' as never,
      lastMessage: { from: 'customer', text: 'p'.repeat(5000), at: 1 },
    });
    const { port } = recordingPort({ list });
    const r = await dispatcherWith(port, logs).dispatch('interactions:list', undefined, true);
    expect(r.ok).toBe(true);
    const value = (r as { value: InteractionView[] }).value;
    expect(value).toHaveLength(INTERACTION_LIMITS.list);
    expect(value[0]!.channel).toBe('unknown');
    expect(value[0]!.customerName).not.toContain('\u202E');
    expect(value[0]!.customerName.length).toBeLessThanOrEqual(1024);
    expect(value[0]!.lastMessage!.text.length).toBeLessThanOrEqual(INTERACTION_LIMITS.preview);
    expect(logs.some((l) => l.includes('carrier-pigeon'))).toBe(true);
  });

  it('keeps the newest 1,000 messages, at most 20 attachments each, and only attachments with web links', async () => {
    const logs: string[] = [];
    const many = Array.from({ length: 1500 }, (_, i) => message({ id: `m-${i}`, at: i }));
    many[1499] = message({
      id: 'last',
      attachments: [
        { name: 'evil', url: 'javascript:alert(1)', type: 'text/html' },
        { name: 'local', url: 'file:///etc/passwd', type: 'text/plain' },
        ...Array.from({ length: 25 }, (_, i) => ({
          name: `photo-${i}.png`,
          url: `https://cdn.example/${i}.png`,
          type: 'image/png',
        })),
      ],
    });
    const { port } = recordingPort({ messages: many });
    const r = await dispatcherWith(port, logs).dispatch(
      'interaction:transcript',
      { conversationId: 'c-1' },
      true,
    );
    expect(r.ok).toBe(true);
    const t = (r as { value: { messages: TranscriptMessageView[] } }).value;
    expect(t.messages).toHaveLength(INTERACTION_LIMITS.transcript);
    expect(t.messages[0]!.id).toBe('m-500');
    const last = t.messages.at(-1)!;
    expect(last.attachments.map((a) => a.url).every((u) => u.startsWith('https://'))).toBe(true);
    expect(last.attachments.length).toBeLessThanOrEqual(INTERACTION_LIMITS.attachments);
    expect(logs.filter((l) => l.includes('attachment without a web link'))).toHaveLength(2);
  });
});

describe('the state view carries the customers waiting', () => {
  it('maps the summary when the engine has one, and leaves it out otherwise', () => {
    const base = initialSnapshot(true, '');
    expect(toStateView(base).interactions).toBeUndefined();
    const view = toStateView({ ...base, interactions: { available: true, waiting: 3, offered: 1 } });
    expect(view.interactions).toEqual({ available: true, waiting: 3, offered: 1 });
    expect(EngineStateViewSchema.safeParse(view).success).toBe(true);
    expect(
      EngineStateViewSchema.safeParse({ ...view, interactions: { available: true, waiting: -1, offered: 0 } })
        .success,
    ).toBe(false);
  });
});
