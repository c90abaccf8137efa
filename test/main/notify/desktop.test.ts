// What a notification decision becomes on the desktop, and the tray menu for each state.
import { describe, expect, it } from 'vitest';
import type { NotificationOut } from '../../../src/main/engine/notification.ts';
import {
  desktopNotification,
  SESSION_ENDED_TAG,
  sessionEndedNotification,
} from '../../../src/main/notify/desktop.ts';
import { activationFromElectron, renderToastXml } from '../../../src/main/shell/toast-xml.ts';
import { trayMenu } from '../../../src/main/shell/tray-menu.ts';

const base: NotificationOut = {
  kind: 'mention',
  chatId: 'room-1',
  chatName: 'Support',
  messageId: 'm1',
  messageIds: ['m1'],
  title: 'Priya in Support',
  body: 'Alex, can you look?',
  at: 0,
};
const shown = { showMessageText: true, sound: true };

describe('desktop notification', () => {
  it('a mention offers reply, mark read and the quick reaction, aimed at its message and thread', () => {
    expect(desktopNotification({ ...base, threadId: 't1' }, shown)).toEqual({
      tag: 'm1',
      target: { chatId: 'room-1', messageId: 'm1', threadId: 't1' },
      title: 'Priya in Support',
      body: 'Alex, can you look?',
      silent: false,
      messageIds: ['m1'],
      replyable: true,
      actions: [
        { id: 'mark-read', label: 'Mark read' },
        { id: 'react', label: '👍' },
      ],
    });
  });

  it('hides the text and the sound as the preferences say; digests and reactions only mark read', () => {
    const quiet = { showMessageText: false, sound: false };
    expect(desktopNotification(base, quiet)).toMatchObject({ body: 'New message', silent: true });
    const digest = desktopNotification({ ...base, kind: 'digest', messageIds: ['m1', 'm2'] }, quiet);
    expect(digest).toMatchObject({ tag: 'digest:room-1', body: 'New messages', replyable: false });
    expect(digest.actions.map((a) => a.id)).toEqual(['mark-read']);
    const reaction = desktopNotification({ ...base, kind: 'reaction' }, shown);
    expect(reaction.replyable).toBe(false);
    expect(reaction.actions.map((a) => a.id)).toEqual(['mark-read']);
  });

  it('"session ended" has nothing to answer, and its click (also from the Action Center) comes back as its own', () => {
    const n = sessionEndedNotification({ sound: false });
    expect(n).toMatchObject({ tag: SESSION_ENDED_TAG, replyable: false, actions: [], silent: true });
    const xml = renderToastXml(n);
    expect(xml).not.toContain('<actions>');
    const launch = /launch="([^"]+)"/.exec(xml)?.[1]?.replaceAll('&amp;', '&');
    expect(activationFromElectron({ type: 'click', arguments: launch ?? '' })).toMatchObject({
      kind: 'click',
      chatId: SESSION_ENDED_TAG,
    });
  });
});

describe('tray menu', () => {
  it('offers muting, or turning notifications back on, then settings, sign out when signed in, quit', () => {
    const ids = (s: Parameters<typeof trayMenu>[0]): string[] => trayMenu(s).map((e) => e.id);
    expect(ids({ holding: false, signedIn: true, appName: 'A' })).toEqual([
      'open',
      'mute-hour',
      'mute-tomorrow',
      'settings',
      'sign-out',
      'quit',
    ]);
    expect(ids({ holding: true, signedIn: false, appName: 'A' })).toEqual([
      'open',
      'unmute',
      'settings',
      'quit',
    ]);
    expect(trayMenu({ holding: false, signedIn: false, appName: 'Genesys Chat Tray' }).at(-1)!.label).toBe(
      'Quit Genesys Chat Tray',
    );
  });
});

describe('customer conversation notifications', () => {
  const offer: NotificationOut = {
    kind: 'offer',
    chatId: 'conv-1',
    chatName: 'Ana',
    messageId: 'offer:p1',
    messageIds: ['offer:p1'],
    title: 'WhatsApp from Ana',
    body: '“Where is my order?” · 25 s left',
    at: 0,
    channel: 'whatsapp',
    expiresAt: 25_000,
  };

  it('an offer stays on screen with Accept and Decline, and no reply or reaction', () => {
    expect(desktopNotification(offer, shown)).toEqual({
      tag: 'offer:p1',
      target: { chatId: 'conv-1', messageId: 'offer:p1', interaction: true },
      title: 'WhatsApp from Ana',
      body: '“Where is my order?” · 25 s left',
      silent: false,
      messageIds: ['offer:p1'],
      replyable: false,
      actions: [
        { id: 'accept', label: 'Accept' },
        { id: 'decline', label: 'Decline' },
      ],
      persistent: true,
    });
  });

  it("hides the customer's words when the privacy preference says so, keeping the time left", () => {
    expect(desktopNotification(offer, { showMessageText: false, sound: true }).body).toBe('25 s left');
    const message = {
      ...offer,
      kind: 'customer' as const,
      messageId: 'm1',
      messageIds: ['m1'],
      body: 'secret',
    };
    const n = desktopNotification(message, { showMessageText: false, sound: true });
    expect(n).toMatchObject({ body: 'New message', replyable: true, actions: [] });
    expect(n.persistent).toBeUndefined();
  });

  it('Accept on a Windows toast comes back as an action on the customer conversation', () => {
    const xml = renderToastXml(desktopNotification(offer, shown));
    expect(xml).toContain('scenario="reminder"');
    const args = /arguments="([^"]*do=accept[^"]*)"/.exec(xml)![1]!.replaceAll('&amp;', '&');
    expect(activationFromElectron({ type: 'action', arguments: args })).toEqual({
      kind: 'action',
      id: 'accept',
      chatId: 'conv-1',
      messageId: 'offer:p1',
      interaction: true,
    });
  });
});
