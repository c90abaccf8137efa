// The headless runner: the same engine as the app, in plain Node, speaking JSON lines. Used for
// scripting, diagnostics and the benchmarks. Notifications and state go to stdout, logs to stderr.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { followAuthorizeRedirect } from '../auth/demo-browser.ts';
import { createKeytarSecretStore, createMemorySecretStore } from '../auth/secret-store.ts';
import { AuthSession } from '../auth/session.ts';
import { createEngine } from '../engine/compose.ts';
import type { Engine } from '../engine/engine.ts';
import { resolveEnvironment } from '../genesys/environment.ts';
import { Network } from '../net/network.ts';
import { openStore } from '../store/store.ts';
import { isLocalEnvironment, type HeadlessArgs } from './args.ts';
import { openDataDir, type PlatformPaths } from './data-dir.ts';
import { tellStateChanges } from './lines.ts';
import { performLine, type LineContext } from './perform-line.ts';
import { parseActionLine, type OutputLine } from './protocol.ts';
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

  /** Quitting: the engine's last "offline" is not news. */
  let stopping = false;
  // What a previous run left in the outbox is known: only what changes from here on is told.
  tellStateChanges({
    engine,
    saved: store.get('engine').outbox,
    tell,
    stopping: () => stopping,
    onConnection: (connection) => {
      if (connection === 'needs-sign-in' && !auto)
        log('The session ended. Send {"type":"sign-in"} to sign in again; actions are kept meanwhile.');
    },
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

  const lineContext: LineContext = { engine, session, network, env, about: ABOUT, beginSignIn };

  async function answer(line: string): Promise<void> {
    const parsed = parseActionLine(line);
    if (!parsed.ok) {
      write({ type: 'result', ok: false, error: parsed.error });
      return;
    }
    untilResult = [];
    try {
      write(await performLine(lineContext, parsed.action));
    } catch (err) {
      write({ type: 'result', ok: false, action: parsed.action.type, error: errorText(err) });
    } finally {
      const later = untilResult;
      untilResult = null;
      for (const line of later) write(line);
    }
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
