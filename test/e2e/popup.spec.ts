// The built popup against a REAL AppController running the demo org: the inbox, a colleague's
// mention, a quick reply, a reaction and pins landing in the simulator, settings, and banners.
import { expect, shots, startAccountApp, startDemoApp, test, until, type DemoApp } from './harness.ts';

let demo: DemoApp | null = null;
test.afterEach(async () => {
  await demo?.stop();
  demo = null;
});

function room(d: DemoApp): { id: string; name: string; participants: string[]; pinnedMessageIds: string[] } {
  const sim = d.sim();
  const r = sim.control.chats(sim.demoUser.id).find((c) => c.kind === 'room' && c.participants.length > 2);
  if (!r) throw new Error('the demo org has no room');
  return r;
}

test('the demo org: mention, quick reply, reaction, pins and the pin limit', async ({ openPopup }) => {
  demo = await startDemoApp(11);
  const { page, bridge, problems } = await openPopup(demo.deps);
  demo.connect(bridge);
  const sim = demo.sim();
  const me = sim.demoUser;

  await expect(page.getByTestId('app-mode')).toHaveText('Demo');
  await expect(page.getByTestId('tab-inbox')).toBeVisible();
  await page
    .getByRole('button', { name: 'Mark all read' })
    .click({ timeout: 3000 })
    .catch(() => {});
  await shots(page, 'popup-inbox-start');

  const r = room(demo);
  const colleague = r.participants.find((p) => p !== me.id)!;
  const mention = sim.control.post({
    as: colleague,
    room: r.id,
    body: `@${me.name} can you check the **release notes**? https://example.com/notes`,
    mentions: [me.id],
  });
  const group = page.getByTestId('inbox-chat').filter({ hasText: 'release notes' });
  await expect(group).toBeVisible();
  await expect(group).toContainText('mention');
  await shots(page, 'popup-inbox-mention');

  await group.click();
  await expect(page.locator('#conversation-title')).toHaveText(r.name);
  const msg = page.locator(`[data-message-id="${mention.id}"]`);
  await expect(msg).toBeVisible();
  await expect(msg.locator('.mention.me')).toHaveText(`@${me.name}`);
  await expect(msg.locator('a')).toHaveAttribute('href', 'https://example.com/notes');

  // A quick reply with Enter lands in the simulator.
  await page.getByTestId('composer').fill('On it, will check the notes now.');
  await page.getByTestId('composer').press('Enter');
  const sentId = await until(
    () =>
      demo!.controller.state().outbox.find((o) => o.kind === 'reply' && o.state === 'sent' && o.messageId)
        ?.messageId,
    'the reply to be sent',
  );
  expect(sim.control.message(sentId)?.body).toBe('On it, will check the notes now.');
  await expect(page.locator(`[data-message-id="${sentId}"]`)).toBeVisible();

  // A reaction from the menu lands.
  await msg.hover();
  await msg.getByTestId('message-actions').click();
  await shots(page, 'popup-message-menu');
  await page.getByRole('button', { name: 'React 👍' }).click();
  await until(
    () =>
      sim.control
        .message(mention.id)
        ?.reactions?.some((x) => x.emoji === '👍' && x.users.some((u) => u.id === me.id)),
    'the reaction to land',
  );
  await expect(msg.getByTestId('reaction').filter({ hasText: '👍' })).toHaveAttribute('aria-pressed', 'true');

  // A pin lands.
  await msg.hover();
  await msg.getByTestId('message-actions').click();
  await page.getByRole('button', { name: 'Pin', exact: true }).click();
  await until(() => room(demo!).pinnedMessageIds.includes(mention.id), 'the pin to land');
  await expect(msg.getByTestId('pinned')).toBeVisible();
  await shots(page, 'popup-conversation');

  // Live: a plain message (no mention, so no inbox item) from a colleague appears in the open chat.
  const plain = sim.control.post({ as: colleague, room: r.id, body: 'Lunch at noon, anyone?' });
  await expect(page.locator(`[data-message-id="${plain.id}"]`)).toContainText('Lunch at noon');

  // A thread: a colleague replies to the mention; View thread shows root and reply; a reply there
  // lands in that thread; back returns to the chat.
  const threaded = sim.control.post({
    as: colleague,
    room: r.id,
    body: 'Also the **changelog**, please.',
    threadId: mention.id,
  });
  await expect(page.locator(`[data-message-id="${threaded.id}"]`)).toBeVisible();
  await msg.getByTestId('view-thread').click();
  await expect(page.getByTestId('thread-title')).toContainText('Thread');
  await expect(page.getByTestId('message')).toHaveCount(2);
  await expect(page.getByTestId('message').first()).toHaveAttribute('data-message-id', mention.id);
  await page.getByTestId('composer').fill('Changelog too, got it.');
  await page.getByTestId('composer').press('Enter');
  const threadReplyId = await until(
    () =>
      demo!.controller
        .state()
        .outbox.find((o) => o.kind === 'reply' && o.state === 'sent' && o.messageId && o.messageId !== sentId)
        ?.messageId,
    'the thread reply to be sent',
  );
  expect(sim.control.message(threadReplyId)?.thread.id).toBe(mention.id);
  await expect(page.getByTestId('message')).toHaveCount(3);
  await shots(page, 'popup-thread');
  await page.getByTestId('back').click();
  await expect(page.locator('#conversation-title')).toHaveText(r.name);

  // Fill the chat up to 5 pins, reopen it: a sixth pin is explained, not tried.
  const ids = await page
    .locator('[data-testid="message"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-message-id') ?? ''));
  for (const id of ids) {
    if (room(demo).pinnedMessageIds.length >= 5) break;
    if (!room(demo).pinnedMessageIds.includes(id)) sim.control.pin(id);
  }
  // The newest unpinned message: reopening the chat shows the latest page only.
  const unpinned = [...ids].reverse().find((id) => !room(demo!).pinnedMessageIds.includes(id))!;
  await page.getByTestId('back').click();
  // A colleague mentions the user in another room: All chats marks it unread and previews it.
  const otherRoom = sim.control
    .chats(me.id)
    .find((c) => c.kind === 'room' && c.id !== r.id && c.participants.includes(colleague))!;
  sim.control.post({
    as: colleague,
    room: otherRoom.id,
    body: `@${me.name} the **dashboard** is red`,
    mentions: [me.id],
  });
  await expect(page.getByTestId('inbox-chat').filter({ hasText: 'dashboard' })).toBeVisible();
  await page.getByTestId('tab-chats').click();
  const chatList = page.getByTestId('chat-list');
  await expect(chatList.getByRole('button', { name: r.name }).first()).toBeVisible();
  const otherRow = chatList.getByRole('button', { name: `${otherRoom.name}, 1 unread` });
  // Newest first: the room that just had a message leads the list.
  await expect(chatList.getByRole('listitem').first()).toContainText(otherRoom.name);
  await expect(otherRow.getByTestId('chat-unread')).toHaveText('1');
  await expect(otherRow.getByTestId('chat-preview')).toContainText(`@${me.name} the dashboard is red`);
  await expect(otherRow.locator('.mention.me')).toHaveText(`@${me.name}`);
  await expect(
    chatList.getByRole('button', { name: r.name }).first().getByTestId('chat-preview'),
  ).toContainText('You: Changelog too, got it.');
  // Chats quiet since the app started get their newest message read for the preview, in the background.
  await expect.poll(() => chatList.getByTestId('chat-preview').count()).toBeGreaterThan(5);
  await shots(page, 'popup-chats');
  await page.getByTestId('chat-list').getByRole('button', { name: r.name }).first().click();
  const other = page.locator(`[data-message-id="${unpinned}"]`);
  await other.scrollIntoViewIfNeeded();
  await other.hover();
  await other.getByTestId('message-actions').click();
  await expect(page.getByTestId('pin-limit')).toContainText('already has 5 pinned messages');
  await shots(page, 'popup-pin-limit');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('message-menu')).toHaveCount(0);

  // The pinned list shows the five, and unpinning one from it lands.
  await page.getByTestId('pins-toggle').click();
  const list = page.getByTestId('pinned-list');
  await expect(list.getByRole('listitem')).toHaveCount(5);
  await shots(page, 'popup-pinned-list');
  const before = room(demo).pinnedMessageIds.length;
  await list
    .getByRole('button', { name: /^Unpin/ })
    .first()
    .click();
  await until(() => room(demo!).pinnedMessageIds.length === before - 1, 'the unpin to land');
  await page.getByTestId('pins-toggle').click();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('tab-inbox')).toBeVisible();
  expect(problems).toEqual([]);
});

test('settings reach the simulator, and a failed change rolls back with the error shown', async ({
  openPopup,
}) => {
  demo = await startDemoApp(12);
  const { page, bridge } = await openPopup(demo.deps);
  demo.connect(bridge);
  const sim = demo.sim();
  await page.getByTestId('open-settings').click();
  const mentionsOnly = page.getByTestId('setting-mentions-only');
  await expect(mentionsOnly).not.toBeChecked();
  await mentionsOnly.click();
  await expect(mentionsOnly).toBeChecked();

  const token = sim.control.actAs(sim.demoUser.id).accessToken;
  const read = async (): Promise<{ mentionsOnly: boolean; notifyOnReactions: boolean }> => {
    const res = await fetch(`${sim.url}/api/v2/chats/users/me/settings`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return (await res.json()) as { mentionsOnly: boolean; notifyOnReactions: boolean };
  };
  await expect.poll(async () => (await read()).mentionsOnly).toBe(true);
  // The first heading has room under the view's header bar (it sat 4 px under it).
  const bar = (await page.locator('.view-head').boundingBox())!;
  const heading = (await page.locator('legend').first().boundingBox())!;
  expect(heading.y - (bar.y + bar.height)).toBeGreaterThanOrEqual(10);
  await shots(page, 'popup-settings');
  // The empty inbox says what will show up with these settings.
  await page.getByTestId('back').click();
  await expect(page.getByTestId('inbox-empty-detail')).toHaveText(
    'Mentions, direct messages and reactions to your messages will show up here.',
  );
  await shots(page, 'popup-inbox-empty-mentions-only');
  await page.getByTestId('open-settings').click();
  // The app's own preferences further down: the keyword field whole, with room around it.
  await page.getByTestId('pref-keywords').fill('outage, deploy, on call');
  await page.getByTestId('pref-keywords').press('Enter');
  await page.getByTestId('pref-keywords').evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const field = await page.getByTestId('pref-keywords').boundingBox();
  const popup = page.viewportSize()!;
  expect(field!.x).toBeGreaterThanOrEqual(10);
  expect(field!.x + field!.width).toBeLessThanOrEqual(popup.width - 10);
  await shots(page, 'popup-settings-app');

  const reactions = page.getByTestId('setting-reactions');
  const before = await reactions.isChecked();
  sim.control.failNext(20, 503);
  await reactions.click();
  await expect(page.getByTestId('settings-sync').getByRole('alert')).toBeVisible({ timeout: 15_000 });
  await expect(reactions).toBeChecked({ checked: before });
  sim.control.resetFaults();
  expect((await read()).notifyOnReactions).toBe(before);
  await shots(page, 'popup-settings-error');
  // Everything muted in Genesys Cloud: the empty inbox says nothing will show up, and why.
  await page.getByTestId('setting-muted').click();
  await expect.poll(async () => ((await read()) as { muted?: boolean }).muted).toBe(true);
  await page.getByTestId('back').click();
  await expect(page.getByTestId('inbox-empty-detail')).toContainText('muted, so nothing will show up here');
  await shots(page, 'popup-inbox-empty-muted');
  await page.getByTestId('open-settings').click();
  await page.getByTestId('setting-muted').click();
  await expect.poll(async () => ((await read()) as { muted?: boolean }).muted).toBe(false);

  // The theme preference overrides the OS.
  await page.getByTestId('pref-theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('pref-theme').selectOption('system');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
});

test('an account whose session ends gets the sign-in view, with a banner and its details kept', async ({
  openPopup,
}) => {
  const account = await startAccountApp(13);
  try {
    const { page, bridge } = await openPopup(account.deps);
    account.connect(bridge);
    await account.controller.signIn(account.signIn);
    await expect(page.getByTestId('tab-inbox')).toBeVisible();
    account.sim().control.revokeTokens();
    account.sim().control.dropSockets();
    await expect(page.getByTestId('banner')).toHaveAttribute('data-connection', 'needs-sign-in', {
      timeout: 15_000,
    });
    // The form keeps the account's environment and client id: one click signs in again.
    await expect(page.getByRole('button', { name: 'Sign in with Genesys Cloud' })).toBeVisible();
    await expect(page.getByLabel('OAuth client id')).toHaveValue(account.signIn.clientId);
    await shots(page, 'popup-signin-needed');
  } finally {
    await account.stop();
  }
});

test('in the demo org, a session that ends signs in again by itself: no sign-in form', async ({
  openPopup,
}) => {
  demo = await startDemoApp(13);
  const { page, bridge } = await openPopup(demo.deps);
  demo.connect(bridge);
  await expect(page.getByTestId('tab-inbox')).toBeVisible();
  const states: string[] = [];
  demo.controller.onState((s) => void states.push(s.connection));
  demo.sim().control.revokeTokens();
  demo.sim().control.dropSockets();
  await until(() => states.includes('needs-sign-in') && states.at(-1) === 'push', 'the demo back', 15_000);
  await expect(page.getByTestId('tab-inbox')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in with Genesys Cloud' })).toHaveCount(0);
});

test('offline banner when the demo org goes away', async ({ openPopup }) => {
  demo = await startDemoApp(14);
  const { page, bridge } = await openPopup(demo.deps);
  demo.connect(bridge);
  await expect(page.getByTestId('tab-inbox')).toBeVisible();
  await demo.sim().close();
  await expect(page.getByTestId('banner')).toHaveAttribute('data-connection', /offline|polling|connecting/, {
    timeout: 15_000,
  });
  await expect(page.getByTestId('banner')).toHaveAttribute('data-connection', 'offline', { timeout: 15_000 });
  // Offline is not "all caught up": the empty inbox says what will come when the connection is back.
  await expect(page.getByTestId('inbox-empty')).not.toContainText('caught up');
  await expect(page.getByTestId('inbox-empty-detail')).toContainText('When you are back online');
  await shots(page, 'popup-offline');
});
