// Customer conversations through the whole main process (a fake shell in place of Electron, the
// real simulator as the demo org, its customers arriving through the inbound Open Messaging API):
// the offer is a persistent notification with Accept and Decline, accepting from it connects the
// agent and withdraws it, the customer's message notifies with an inline reply that lands in the
// conversation exactly once, the popup's IPC lists the interaction and hears every change, and
// the tray counts the customers waiting.
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/main/app.ts';
import type { AppStore } from '../../src/main/store/store.ts';
import type { Simulator } from '../../src/simulator/index.ts';
import { startDemoApp, synced, until } from '../support/app-harness.ts';
import { FakeShell } from '../support/fake-shell.ts';

let app: RunningApp | null = null;
let store: AppStore | null = null;
afterEach(async () => {
  await app?.stop();
  store?.close();
  app = null;
  store = null;
});

const ANA = { id: '+14155550177', idType: 'Phone' as const, nickname: 'Ana L.' };

type Ok<T> = { ok: true; value: T };

describe('customer conversations in the app', () => {
  it('offer → Accept from the notification → customer message → inline reply, once', async () => {
    const shell = new FakeShell();
    const demo = await startDemoApp(shell);
    app = demo.app;
    store = demo.store;
    const sim: Simulator = demo.sim();
    await until(() => synced(shell));
    await until(() => app!.controller.state().interactions?.available === true);

    const { conversationId } = sim.control.messaging.customerWrites({
      customer: ANA,
      text: 'Is my order shipped?',
    });
    await until(() => shell.notifications.some((n) => n.n.target.chatId === conversationId));
    const offer = shell.notifications.find((n) => n.n.target.chatId === conversationId)!;
    expect(offer.n).toMatchObject({
      persistent: true,
      replyable: false,
      title: 'Open messaging from Ana L.',
      actions: [
        { id: 'accept', label: 'Accept' },
        { id: 'decline', label: 'Decline' },
      ],
      target: { interaction: true },
    });
    expect(offer.n.body).toContain('Is my order shipped?');
    await until(() => shell.trays[0]!.count >= 1);
    expect(shell.trays[0]!.tooltip).toMatch(/1 customer waiting/);

    const listed = (await shell.invoke('interactions:list')) as Ok<
      { conversationId: string; state: string }[]
    >;
    expect(listed.value).toEqual([
      expect.objectContaining({ conversationId, state: 'offered', channel: 'open' }),
    ]);

    offer.handlers.action('accept');
    await until(() => shell.withdrawn.includes(offer.n.messageIds[0]!));
    await until(() => app!.controller.state().interactions?.offered === 0);
    expect(shell.popup.events('interactions:changed')).toContainEqual({ conversationId });

    const next = sim.control.messaging.customerWrites({ customer: ANA, text: 'Hello?' });
    await until(() => shell.notifications.some((n) => n.n.messageIds.includes(next.messageId)));
    const message = shell.notifications.find((n) => n.n.messageIds.includes(next.messageId))!;
    expect(message.n).toMatchObject({
      body: 'Hello?',
      replyable: true,
      actions: [],
      title: 'Ana L. (Open messaging)',
    });
    message.handlers.reply('It ships today.');
    await until(() => sim.control.messaging.sent(conversationId).length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.control.messaging.sent(conversationId).map((m) => m.text)).toEqual(['It ships today.']);

    const transcript = (await shell.invoke('interaction:transcript', { conversationId })) as Ok<{
      messages: { from: string; text: string }[];
    }>;
    expect(transcript.value.messages.filter((m) => m.text === 'It ships today.')).toEqual([
      expect.objectContaining({ from: 'agent' }),
    ]);
  });
});
