// The main process's implementations of the IPC contract's invoke channels. Everything they need
// arrives through `deps`, so the same handlers serve Electron and the Chromium test bridge.
// Requests were validated by the dispatcher; here they are checked against the engine's world
// (a chat the user has, a link that is http(s)) before anything acts on them.
import type { AppInfo, PrefsView } from '../../shared/ipc/contract.ts';
import type { InvokeHandlers } from '../../shared/ipc/dispatcher.ts';
import type { ControllerPort } from '../controller.ts';
import type { Engine } from '../engine/engine.ts';
import { isCollaborateChat, type CollaborateChatRef } from '../../shared/domain/chat-ref.ts';
import { diagnosticsText } from '../engine/diagnostics.ts';
import { REGIONS } from '../genesys/environment.ts';
import { checkExternalUrl } from './links.ts';
import { createInteractionHandlers, type InteractionHandlerDeps } from './interaction-handlers.ts';
import { fit, shownName, toMessageViews, toOutboxView, toStateView } from './views.ts';
import { VIEW_LIMITS } from '../../shared/ipc/limits.ts';
import { isMuteActive, muteOf } from '../../shared/domain/mute.ts';
import { MAX_PINS } from '../engine/outbox/failure.ts';

export interface HandlerDeps extends InteractionHandlerDeps {
  appInfo(): AppInfo;
  controller: ControllerPort;
  /** Opens an already checked http(s) URL in the user's browser. */
  openExternal(url: string): Promise<void>;
  /** Hides the popup (Escape on its first view). */
  hidePopup(): void;
  /** Puts text on the system clipboard (the main process does it: the renderer has no permission). */
  copyText(text: string): void;
  /** Saves the user's sign-in for the proxy that asked (OS keyring) and connects again. */
  proxySignIn(req: { proxy: string; username: string; password: string }): Promise<void>;
  /** The user's preferences changed (after `prefs:update`): the tray, the login item... follow. */
  prefsChanged?(): void;
}

/** The chat list's preview of a chat: its newest message seen, with the sender's name. */
async function previewOf(
  e: Engine,
  chatId: string,
): Promise<{ preview?: { senderName: string; text: string; own: boolean } }> {
  const last = e.lastMessage(chatId);
  if (!last) return {};
  const own = last.senderId === e.user?.id;
  const senderName = own ? '' : (last.senderName ?? (await e.queries.userName(last.senderId)));
  return { preview: { senderName: fit(shownName(senderName), VIEW_LIMITS.name), text: last.text, own } };
}

export function createInvokeHandlers(deps: HandlerDeps): InvokeHandlers {
  const { controller } = deps;

  const engine = (): Engine => {
    const e = controller.engine;
    if (!e || !e.user) throw new Error('Not signed in.');
    return e;
  };
  const chat = (chatId: string): CollaborateChatRef => {
    const c = engine().chat(chatId);
    if (!c) throw new Error('That chat is not one of yours.');
    // A customer conversation is answered through the interaction:* channels.
    if (!isCollaborateChat(c)) throw new Error('That is a customer conversation, not a chat.');
    return c;
  };
  const prefs = (): PrefsView => {
    const e = controller.engine;
    if (!e) throw new Error('The app is still starting.');
    return e.prefs();
  };

  return {
    ...createInteractionHandlers(deps),
    'app:get-info': () => deps.appInfo(),
    'app:copy-diagnostics': async () => {
      const e = controller.engine;
      if (!e) throw new Error('The app is still starting.');
      const info = deps.appInfo();
      const report = e.diagnostics({ name: info.name, version: info.version });
      const network = await controller.networkReport();
      const text = diagnosticsText(network ? { ...report, network } : report);
      deps.copyText(text);
      return { text };
    },
    'state:get': () => toStateView(controller.state()),
    'auth:regions': () => REGIONS.map((r) => ({ env: r.env, label: r.label })),
    'auth:sign-in': async (req) => {
      await controller.signIn(req);
      return null;
    },
    'auth:cancel-sign-in': () => {
      controller.cancelSignIn();
      return null;
    },
    'auth:sign-out': async () => {
      await controller.signOut();
      return null;
    },
    'auth:use-demo': async () => {
      await controller.useDemo();
      return null;
    },
    'proxy:sign-in': async (req) => {
      await deps.proxySignIn(req);
      return null;
    },
    'chats:list': async () => {
      const mutes = prefs().chatMutes;
      const e = engine();
      e.fillPreviews(); // chats without one get theirs in the background (then chat:activity)
      return Promise.all(
        e.chats().map(async (entry) => {
          // The roster is read after gaps; a message pushed since is newer than what it said.
          const seen = e.lastMessage(entry.chat.id)?.at;
          const lastMessageAt = Math.max(entry.lastMessageAt ?? -Infinity, seen ?? -Infinity);
          return {
            id: entry.chat.id,
            kind: entry.chat.kind,
            name: shownName(entry.chat.name),
            ...(Number.isFinite(lastMessageAt) ? { lastMessageAt } : {}),
            muted: isMuteActive(muteOf(mutes, entry.chat.id), Date.now()),
            ...(await previewOf(e, entry.chat.id)),
          };
        }),
      );
    },
    'chat:history': async (req) => {
      const e = engine();
      const limit = req.limit ?? 30;
      const page = await e.queries.history(req.chatId, {
        limit,
        ...(req.before !== undefined ? { before: req.before } : {}),
      });
      return {
        messages: await toMessageViews(e, page.messages, page.pinned),
        hasMore: page.messages.length >= limit,
      };
    },
    'chat:thread': async (req) => {
      const e = engine();
      const messages = await e.queries.thread(req.chatId, req.threadId);
      return { messages: await toMessageViews(e, messages, []) };
    },
    'chat:participants': async (req) => {
      const people = await engine().queries.participants(req.chatId);
      return people.map((p) => ({ id: p.id, name: shownName(p.name) }));
    },
    'chat:pins': async (req) => {
      const e = engine();
      const pins = await e.queries.pins(req.chatId);
      return {
        messageIds: pins.ids,
        messages: await toMessageViews(e, pins.messages, pins.ids),
        limit: MAX_PINS,
      };
    },
    'action:reply': async (req) =>
      toOutboxView(
        await engine().act({
          kind: 'reply',
          chat: chat(req.chatId),
          text: req.text,
          ...(req.threadId ? { threadId: req.threadId } : {}),
          ...(req.mentions?.length ? { mentions: req.mentions } : {}),
        }),
      ),
    'action:react': async (req) =>
      toOutboxView(
        await engine().act({
          kind: 'react',
          chat: chat(req.chatId),
          messageId: req.messageId,
          emoji: req.emoji,
          on: req.on,
        }),
      ),
    'action:pin': async (req) =>
      toOutboxView(await engine().act({ kind: 'pin', chat: chat(req.chatId), messageId: req.messageId })),
    'action:unpin': async (req) =>
      toOutboxView(await engine().act({ kind: 'unpin', chat: chat(req.chatId), messageId: req.messageId })),
    'action:edit': async (req) =>
      toOutboxView(
        await engine().act({
          kind: 'edit',
          chat: chat(req.chatId),
          messageId: req.messageId,
          text: req.text,
        }),
      ),
    'action:delete': async (req) =>
      toOutboxView(await engine().act({ kind: 'delete', chat: chat(req.chatId), messageId: req.messageId })),
    'action:retry': (req) => engine().retryAction(req.id),
    'action:discard': (req) => engine().discardAction(req.id),
    'inbox:mark-read': (req) => {
      engine().markRead(req.chatId);
      return null;
    },
    'inbox:mark-all-read': () => {
      engine().markAllRead();
      return null;
    },
    'settings:update': (req) => engine().updateServerSettings(req),
    'prefs:get': () => prefs(),
    'prefs:update': (req) => {
      const e = controller.engine;
      if (!e) throw new Error('The app is still starting.');
      const next = e.updatePrefs(req);
      deps.prefsChanged?.();
      return next;
    },
    'popup:hide': () => {
      deps.hidePopup();
      return null;
    },
    'link:open': async (req) => {
      await deps.openExternal(checkExternalUrl(req.url));
      return null;
    },
  };
}
