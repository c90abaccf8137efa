// A notification's native options per OS: what each system can show, and message text shown as
// text on Linux, whose notification servers may read the body as markup.
import { describe, expect, it } from 'vitest';
import { notificationOptions } from '../../../src/main/shell/notification-options.ts';
import type { DesktopNotification } from '../../../src/main/shell/ports.ts';

const n: DesktopNotification = {
  tag: 'm1',
  target: { chatId: 'c', messageId: 'm1' },
  title: 'Sam in <Ops>',
  body: '<b>urgent</b> & <a href="https://evil.example/">click</a>',
  silent: true,
  messageIds: ['m1'],
  replyable: true,
  actions: [{ id: 'mark-read', label: 'Mark read' }],
};

describe('notification options', () => {
  it('on Linux escapes the markup in the body and offers no reply or buttons', () => {
    expect(notificationOptions(n, 'linux')).toEqual({
      title: 'Sam in <Ops>',
      body: '&lt;b&gt;urgent&lt;/b&gt; &amp; &lt;a href="https://evil.example/"&gt;click&lt;/a&gt;',
      silent: true,
    });
  });

  it('on macOS keeps the text as it is (plain text there) and adds the reply and buttons', () => {
    expect(notificationOptions(n, 'darwin')).toEqual({
      title: 'Sam in <Ops>',
      body: n.body,
      silent: true,
      hasReply: true,
      replyPlaceholder: 'Reply…',
      actions: [{ type: 'button', text: 'Mark read' }],
    });
  });
});
