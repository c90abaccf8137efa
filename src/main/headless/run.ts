// The headless runner: the same engine as the app, in plain Node, speaking JSON lines. Used for
// scripting, diagnostics and the benchmarks. Notifications and state go to stdout, logs to stderr.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { followAuthorizeRedirect } from '../auth/demo-browser.ts';
import { createKeytarSecretStore, createMemorySecretStore } from '../auth/secret-store.ts';
import { AuthSession } from '../auth/session.ts';
import { createEngine } from '../engine/compose.ts';
import type { Engine } from '../engine/engine.ts';
import type { EngineSnapshot } from '../engine/engine-state.ts';
import type { ChatRef } from '../engine/model.ts';
import { customerAction, isCustomerConversation, replyToCustomer } from './customer-actions.ts';
import { isCollaborateChat, type CollaborateChatRef } from '../../shared/domain/chat-ref.ts';
import { resolveEnvironment } from '../genesys/environment.ts';
import { environmentUrls, Network } from '../net/network.ts';
import { openStore } from '../store/store.ts';
import { isLocalEnvironment, type HeadlessArgs } from './args.ts';
import { openDataDir, type PlatformPaths } from './data-dir.ts';
import { parseActionLine, type ActionLine, type OutputLine } from './protocol.ts';
import { errorText } from '../../shared/errors.ts';
// Imported, not read at run time: a bundle of the runner (the benchmark's) carries the version with it.
import packageJson from '../../../package.json' with { type: 'json' };

const ABOUT = {
  name: 'Genesys Chat Tray (headless)',
  version: packageJson.version,
};

export interface HeadlessIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export interface HeadlessRun {
  engine: Engine;
  /** The folder its state is kept in. */
  dataDir: string;
  /** Resolves once every stdin line received so far has been answered. */
  drained(): Promise<void>;
  stop(): Promise<void>;
}

export async function runHeadless(
  args: HeadlessArgs,
  io: HeadlessIO,
  paths?: PlatformPaths,
): Promise<HeadlessRun> {
  const env = resolveEnvironment(args.env);
  const auto = args.signIn === 'auto' && isLocalEnvironment(env.id);
  const write = (line: OutputLine): void => {
    io.stdout.write(`${JSON.stringify(line)}\n`);
  };
  /** While an action line is answered, what it causes waits for its `result` line. */
  let untilResult: OutputLine[] | null = null;
  const tell = (line: OutputLine): void => {
    if (untilResult) untilResult.push(line);
    else write(line);
  };
  const log = (message: string): void => {
    io.stderr.write(`${message}\n`);
  };
  const dir = openDataDir({
    environmentId: env.id,
    ephemeral: args.ephemeral,
    ...(args.dataDir ? { dataDir: args.dataDir } : {}),
    ...(paths ? { paths } : {}),
  });
  const store = openStore({
    cwd: dir.path,
    name: 'headless',
    logger: { info: log, warn: (m) => log(`warning: ${m}`), error: (m) => log(`error: ${m}`) },
  });
  const secrets = args.secrets === 'memory' ? createMemorySecretStore() : createKeytarSecretStore();
  // HTTPS_PROXY / HTTP_PROXY / NO_PROXY (or --proxy, or the proxy saved in Settings), and the OS's
  // certificate store.
  const network = new Network({
    environment: true,
    explicit: args.proxy ?? store.get('prefs').proxy,
    secrets,
    ...(args.proxyLoopback ? { proxyLoopback: true } : {}),
    log,
  });
  const session = new AuthSession({
    env,
    clientId: args.clientId,
    secrets,
    fetch: network.fetch,
    loopbackPort: args.port,
    ...(args.loginHint ? { loginHint: args.loginHint } : {}),
    openBrowser: async (url) => {
      if (auto) return followAuthorizeRedirect(url, network.fetch);
      tell({ type: 'signin', url });
      log(`Open this address in a browser to sign in:\n  ${url}`);
    },
    log,
  });

  const engine = createEngine({
    env,
    demo: isLocalEnvironment(env.id),
    session,
    store,
    log,
    autoSignIn: auto,
    network,
    notifier: {
      show: (n) =>
        tell({
          type: 'notification',
          kind: n.kind,
          chatId: n.chatId,
          messageId: n.messageId,
          messageIds: n.messageIds,
          title: n.title,
          body: n.body,
          ...(n.channel !== undefined ? { channel: n.channel } : {}),
          ...(n.expiresAt !== undefined ? { expiresAt: n.expiresAt } : {}),
        }),
      withdraw: (messageIds) => tell({ type: 'withdraw', messageIds }),
    },
  });

  // What a previous run left in the outbox is known: only what changes from here on is told.
  const actionStates = new Map<string, string>(previousActions(store.get('engine').outbox));
  let lastState = '';
  let lastConnection = '';
  /** Quitting: the engine's last "offline" is not news. */
  let stopping = false;
  engine.state.subscribe((s) => {
    if (stopping) return;
    // A state line for every change a script may act on: connection, account, unread, synced.
    const line = stateLine(s);
    const key = JSON.stringify(line);
    if (key !== lastState) {
      lastState = key;
      tell(line);
    }
    if (s.connection !== lastConnection) {
      lastConnection = s.connection;
      if (s.connection === 'needs-sign-in' && !auto)
        log('The session ended. Send {"type":"sign-in"} to sign in again; actions are kept meanwhile.');
    }
    for (const item of s.outbox) {
      if (actionStates.get(item.id) === item.state) continue;
      actionStates.set(item.id, item.state);
      tell({
        type: 'action',
        id: item.id,
        kind: item.kind,
        state: item.state,
        ...(item.messageId ? { messageId: item.messageId } : {}),
        ...(item.error ? { error: item.error } : {}),
      });
    }
  });

  /** A sign-in runs in the background (a person may take minutes): actions keep being answered. */
  let signingIn: Promise<void> | null = null;
  const beginSignIn = (): void => {
    signingIn ??= engine
      .signIn()
      .catch((err: unknown) =>
        log(`Sign-in failed: ${errorText(err)}${auto ? '' : ' Send {"type":"sign-in"} to try again.'}`),
      )
      .finally(() => {
        signingIn = null;
      });
  };

  // Lines are read from the start; they are answered once the engine has started (its known
  // account and outbox are loaded), in order.
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let pending: Promise<void> = engine.start().then(
    () => {
      const c = engine.state.get().connection;
      if (!auto && (c === 'signed-out' || c === 'needs-sign-in')) beginSignIn();
    },
    // Connecting failed (no network, Genesys down): the engine keeps trying by itself.
    (err: unknown) => log(`Could not connect yet: ${errorText(err)}`),
  );
  const started = pending;
  lines.on('line', (line) => {
    if (!line.trim()) return;
    pending = pending.then(() => answer(line));
  });

  async function answer(line: string): Promise<void> {
    const parsed = parseActionLine(line);
    if (!parsed.ok) {
      write({ type: 'result', ok: false, error: parsed.error });
      return;
    }
    untilResult = [];
    try {
      write(await perform(parsed.action));
    } catch (err) {
      write({ type: 'result', ok: false, action: parsed.action.type, error: errorText(err) });
    } finally {
      const later = untilResult;
      untilResult = null;
      for (const line of later) write(line);
    }
  }

  async function perform(a: ActionLine): Promise<OutputLine> {
    switch (a.type) {
      case 'state':
        return stateLine(engine.state.get());
      case 'diagnostics':
        return {
          type: 'diagnostics',
          report: { ...engine.diagnostics(ABOUT), network: await network.report(environmentUrls(env)) },
        };
      case 'sign-in': {
        if (session.state === 'signed-in' && engine.user) throw new Error('Already signed in.');
        beginSignIn();
        return { type: 'result', ok: true, action: a.type };
      }
      case 'resync':
        engine.resync('manual');
        return { type: 'result', ok: true, action: a.type };
      case 'read':
        engine.markRead(a.chatId);
        return { type: 'result', ok: true, action: a.type };
      case 'react': {
        const chat = collaborate(a.chatId ? chatOf(a.chatId) : await engine.chatOfMessage(a.messageId));
        const item = await engine.act({
          kind: 'react',
          chat,
          messageId: a.messageId,
          emoji: a.emoji,
          on: a.on ?? true,
        });
        return { type: 'result', ok: true, action: a.type, id: item.id, state: item.state };
      }
      case 'reply': {
        // A customer conversation's id (not a chat of the roster): the reply goes to the customer.
        if (isCustomerConversation(engine, a.chatId)) return replyToCustomer(engine, a.chatId, a.text);
        const item = await engine.act({
          kind: 'reply',
          chat: chatOf(a.chatId),
          text: a.text,
          ...(a.threadId ? { threadId: a.threadId } : {}),
          ...(a.mentions ? { mentions: a.mentions } : {}),
        });
        return { type: 'result', ok: true, action: a.type, id: item.id, state: item.state };
      }
      case 'pin':
      case 'unpin':
      case 'delete': {
        const item = await engine.act({ kind: a.type, chat: chatOf(a.chatId), messageId: a.messageId });
        return { type: 'result', ok: true, action: a.type, id: item.id, state: item.state };
      }
      case 'accept':
      case 'decline':
      case 'end':
      case 'wrapup':
        return customerAction(engine, a);
      case 'edit': {
        const item = await engine.act({
          kind: 'edit',
          chat: chatOf(a.chatId),
          messageId: a.messageId,
          text: a.text,
        });
        return { type: 'result', ok: true, action: a.type, id: item.id, state: item.state };
      }
    }
  }

  function stateLine(s: EngineSnapshot): OutputLine {
    return {
      type: 'state',
      connection: s.connection,
      account: s.account,
      unread: s.unread,
      demo: s.demo,
      synced: s.lastSyncAt !== null,
      ...(s.notice ? { notice: s.notice } : {}),
    };
  }

  function chatOf(chatId: string): CollaborateChatRef {
    const chat = engine.chat(chatId);
    if (!chat) throw new Error(`Unknown chat ${chatId}: use a chatId from a notification or the roster.`);
    return collaborate(chat);
  }

  function collaborate(chat: ChatRef): CollaborateChatRef {
    if (!isCollaborateChat(chat))
      throw new Error('A customer conversation takes only reply, accept, decline, end and wrapup.');
    return chat;
  }

  await started;
  return {
    engine,
    dataDir: dir.path,
    drained: () => pending,
    async stop() {
      lines.close();
      await pending;
      stopping = true;
      await engine.stop();
      await network.close();
      store.close();
      dir.release();
    },
  };
}

/** Ids and states of the outbox items a previous run saved (the outbox itself validates them). */
function previousActions(saved: unknown[]): [string, string][] {
  const known: [string, string][] = [];
  for (const item of saved) {
    if (typeof item !== 'object' || item === null) continue;
    const { id, state } = item as { id?: unknown; state?: unknown };
    // A run stopped while sending: the outbox wakes it as queued; its next state is news.
    if (typeof id === 'string' && typeof state === 'string')
      known.push([id, state === 'sending' ? 'queued' : state]);
  }
  return known;
}
