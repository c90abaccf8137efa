// The headless runner: the same engine as the app, in plain Node, speaking JSON lines. Used for
// scripting, diagnostics and the benchmarks. Notifications and state go to stdout, logs to stderr.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { followAuthorizeRedirect } from '../auth/demo-browser.ts';
import { createKeytarSecretStore, createMemorySecretStore } from '../auth/secret-store.ts';
import { AuthSession } from '../auth/session.ts';
import { createEngine } from '../engine/compose.ts';
import type { Engine } from '../engine/engine.ts';
import type { EngineSnapshot } from '../engine/engine-state.ts';
import type { ChatRef } from '../engine/model.ts';
import { resolveEnvironment } from '../genesys/environment.ts';
import { Network } from '../net/network.ts';
import { openStore } from '../store/store.ts';
import type { HeadlessArgs } from './args.ts';
import { parseActionLine, type ActionLine, type OutputLine } from './protocol.ts';

export interface HeadlessIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export interface HeadlessRun {
  engine: Engine;
  /** Resolves once every stdin line received so far has been answered. */
  drained(): Promise<void>;
  stop(): Promise<void>;
}

export async function runHeadless(args: HeadlessArgs, io: HeadlessIO): Promise<HeadlessRun> {
  const env = resolveEnvironment(args.env);
  const local = env.custom && /^https?:\/\/(127\.0\.0\.1|localhost)/.test(env.apiBase);
  const write = (line: OutputLine): void => {
    io.stdout.write(`${JSON.stringify(line)}\n`);
  };
  const log = (message: string): void => {
    io.stderr.write(`${message}\n`);
  };
  const dataDir = args.dataDir ?? mkdtempSync(join(tmpdir(), 'gct-headless-'));
  const store = openStore({
    cwd: dataDir,
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
      if (local) return followAuthorizeRedirect(url, network.fetch);
      write({ type: 'signin', url });
      log(`Open this address in a browser to sign in:\n  ${url}`);
    },
    log,
  });

  const engine = createEngine({
    env,
    demo: local,
    session,
    store,
    log,
    network,
    notifier: {
      show: (n) =>
        write({
          type: 'notification',
          kind: n.kind,
          chatId: n.chatId,
          messageId: n.messageId,
          messageIds: n.messageIds,
          title: n.title,
          body: n.body,
        }),
      withdraw: (messageIds) => write({ type: 'withdraw', messageIds }),
    },
  });

  let lastState = '';
  const actionStates = new Map<string, string>();
  engine.state.subscribe((s) => {
    const key = JSON.stringify([s.connection, s.account, s.lastSyncAt !== null]);
    if (key !== lastState) {
      lastState = key;
      write(stateLine(s));
    }
    for (const item of s.outbox) {
      if (actionStates.get(item.id) === item.state) continue;
      actionStates.set(item.id, item.state);
      write({
        type: 'action',
        id: item.id,
        kind: item.kind,
        state: item.state,
        ...(item.messageId ? { messageId: item.messageId } : {}),
        ...(item.error ? { error: item.error } : {}),
      });
    }
  });

  await engine.start();
  if (engine.state.get().connection === 'signed-out' || engine.state.get().connection === 'needs-sign-in') {
    await engine.signIn();
  }

  let pending: Promise<void> = Promise.resolve();
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
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
    try {
      write(await perform(parsed.action));
    } catch (err) {
      write({
        type: 'result',
        ok: false,
        action: parsed.action.type,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  async function perform(a: ActionLine): Promise<OutputLine> {
    switch (a.type) {
      case 'state':
        return stateLine(engine.state.get());
      case 'resync':
        engine.resync('manual');
        return { type: 'result', ok: true, action: a.type };
      case 'read':
        engine.markRead(a.chatId);
        return { type: 'result', ok: true, action: a.type };
      case 'react': {
        const chat = a.chatId ? chatOf(a.chatId) : await engine.chatOfMessage(a.messageId);
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
    };
  }

  function chatOf(chatId: string): ChatRef {
    const chat = engine.chat(chatId);
    if (!chat) throw new Error(`Unknown chat ${chatId}: use a chatId from a notification or the roster.`);
    return chat;
  }

  return {
    engine,
    drained: () => pending,
    async stop() {
      lines.close();
      await pending;
      await engine.stop();
      await network.close();
      store.close();
    },
  };
}
