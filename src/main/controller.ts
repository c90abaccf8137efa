// Which engine runs: the demo org (the embedded simulator, signed in by itself) when no account is
// configured, else the user's Genesys Cloud account (tokens in the OS keyring). Switches between
// them on sign-in, sign-out and "explore the demo org", and forwards the current engine's state.
import { followAuthorizeRedirect } from './auth/demo-browser.ts';
import { createMemorySecretStore, type SecretStore } from './auth/secret-store.ts';
import { AuthSession } from './auth/session.ts';
import { createEngine } from './engine/compose.ts';
import type { Engine } from './engine/engine.ts';
import { initialSnapshot, type EngineSnapshot } from './engine/engine-state.ts';
import type { Notifier } from './engine/notification.ts';
import type { NetworkPort } from './engine/ports.ts';
import { environmentUrls, type Network, type NetworkReport } from './net/network.ts';
import { resolveEnvironment, type Environment } from './genesys/environment.ts';
import type { AppStore } from './store/store.ts';

export interface DemoOrg {
  url: string;
  demoUserEmail: string;
  close(): Promise<void>;
}

export interface ControllerOptions {
  store: AppStore;
  /** The OS keyring (account mode); the demo org keeps its throwaway tokens in memory. */
  keyring(): SecretStore;
  /** Opens the system browser at the sign-in page. */
  openBrowser(url: string): Promise<void>;
  startDemoOrg(): Promise<DemoOrg>;
  notifier: Notifier;
  /** Where every connection to Genesys goes (proxies, company certificates); absent: Node's own. */
  network?: NetworkPort & Pick<Network, 'setProxyCredentials' | 'report'>;
  log(message: string): void;
}

export interface SignInRequest {
  environment: string;
  clientId: string;
  loopbackPort: number;
}

/** What the IPC handlers and the shell use of the controller. */
export interface ControllerPort {
  readonly engine: Engine | null;
  readonly mode: 'demo' | 'account';
  readonly environment: string;
  state(): EngineSnapshot;
  onState(listener: (s: EngineSnapshot) => void): () => void;
  onActivity(listener: (chatId: string) => void): () => void;
  signIn(req: SignInRequest): Promise<void>;
  cancelSignIn(): void;
  signOut(): Promise<void>;
  useDemo(): Promise<void>;
  /** The proxy in effect per host, for Diagnostics (null without a network port). */
  networkReport(): Promise<NetworkReport | null>;
}

export class AppController implements ControllerPort {
  private readonly options: ControllerOptions;
  private current: Engine | null = null;
  private demo: DemoOrg | null = null;
  private env: Environment | null = null;
  private unsubscribe: (() => void) | null = null;
  private signInAbort: AbortController | null = null;
  private readonly listeners = new Set<(s: EngineSnapshot) => void>();
  private readonly activityListeners = new Set<(chatId: string) => void>();
  private unsubscribeActivity: (() => void) | null = null;
  private unsubscribeInteractions: (() => void) | null = null;
  private readonly interactionListeners = new Set<(conversationId?: string) => void>();
  private switching: Promise<void> = Promise.resolve();
  private systemDnd = false;

  constructor(opts: ControllerOptions) {
    this.options = opts;
  }

  get engine(): Engine | null {
    return this.current;
  }

  get mode(): 'demo' | 'account' {
    return this.demo ? 'demo' : 'account';
  }

  get environment(): string {
    return this.demo?.url ?? this.env?.id ?? '';
  }

  state(): EngineSnapshot {
    return this.current?.state.get() ?? initialSnapshot(this.mode === 'demo', this.environment);
  }

  onState(listener: (s: EngineSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onActivity(listener: (chatId: string) => void): () => void {
    this.activityListeners.add(listener);
    return () => this.activityListeners.delete(listener);
  }

  /** Every change of the user's customer conversations (the conversation's id, when one). */
  onInteractions(listener: (conversationId?: string) => void): () => void {
    this.interactionListeners.add(listener);
    return () => this.interactionListeners.delete(listener);
  }

  /** An account is configured when a client id and an environment were saved by a sign-in. */
  async start(): Promise<void> {
    const prefs = this.options.store.get('prefs');
    if (prefs.clientId && prefs.environment) await this.serialize(() => this.startAccount(false));
    else await this.serialize(() => this.startDemo());
  }

  /** Signs in to a real org (or a custom environment) in the system browser. */
  async signIn(req: SignInRequest): Promise<void> {
    const env = resolveEnvironment(req.environment); // throws a readable error for a bad one
    this.options.store.update('prefs', (p) => ({
      ...p,
      environment: env.id,
      clientId: req.clientId.trim(),
      loopbackPort: req.loopbackPort,
    }));
    await this.serialize(() => this.startAccount(true));
  }

  cancelSignIn(): void {
    this.signInAbort?.abort();
  }

  async signOut(): Promise<void> {
    await this.serialize(async () => {
      if (!this.current) return;
      await this.current.signOut();
      this.emit(this.current.state.get());
    });
  }

  async useDemo(): Promise<void> {
    this.options.store.update('prefs', (p) => ({ ...p, clientId: '' }));
    await this.serialize(() => this.startDemo());
  }

  async stop(): Promise<void> {
    await this.serialize(() => this.stopCurrent());
  }

  /** The user's answer to a proxy's sign-in request: kept in the OS keyring, then connect again. */
  async signInToProxy(req: { proxy: string; username: string; password: string }): Promise<void> {
    const network = this.options.network;
    if (!network || network.proxySignIn?.proxy !== req.proxy)
      throw new Error('No proxy is waiting for a sign-in.');
    await network.setProxyCredentials(req.proxy, { username: req.username, password: req.password });
    this.current?.resync('manual');
  }

  /**
   * For Diagnostics: the proxy in effect for each host of the current environment (API, login,
   * notifications), what last happened there, and the certificate stores read. No credentials.
   */
  async networkReport(): Promise<NetworkReport | null> {
    const env = this.env;
    if (!this.options.network || !env) return null;
    return this.options.network.report(environmentUrls(env));
  }

  /** The OS's do-not-disturb, kept across engine switches (demo ↔ account). */
  setSystemDoNotDisturb(on: boolean): void {
    this.systemDnd = on;
    this.current?.setSystemDoNotDisturb(on);
  }

  get systemDoNotDisturb(): boolean {
    return this.systemDnd;
  }

  // ---------------------------------------------------------------------------------------------

  private serialize(work: () => Promise<void>): Promise<void> {
    const next = this.switching.then(work);
    this.switching = next.catch(() => {});
    return next;
  }

  private async startDemo(): Promise<void> {
    await this.stopCurrent();
    const demo = await this.options.startDemoOrg();
    this.demo = demo;
    const env = resolveEnvironment(demo.url);
    this.env = env;
    const session = new AuthSession({
      env,
      clientId: 'genesys-chat-tray-demo',
      secrets: createMemorySecretStore(),
      loopbackPort: 0,
      loginHint: demo.demoUserEmail,
      openBrowser: (url) => followAuthorizeRedirect(url, this.options.network?.fetch),
      log: this.options.log,
      ...(this.options.network ? { fetch: this.options.network.fetch } : {}),
    });
    const engine = this.attach(
      createEngine({
        env,
        demo: true,
        session,
        store: this.options.store,
        notifier: this.options.notifier,
        log: this.options.log,
        // The demo org needs no person to sign in: at start, and whenever its session ends, the
        // engine signs in again by itself (never the account sign-in form).
        autoSignIn: true,
        ...(this.options.network ? { network: this.options.network } : {}),
      }),
    );
    await engine.start();
  }

  private async startAccount(interactive: boolean): Promise<void> {
    await this.stopCurrent();
    const prefs = this.options.store.get('prefs');
    const env = resolveEnvironment(prefs.environment);
    this.env = env;
    const session = new AuthSession({
      env,
      clientId: prefs.clientId,
      secrets: this.options.keyring(),
      loopbackPort: prefs.loopbackPort,
      openBrowser: (url) => this.options.openBrowser(url),
      log: this.options.log,
      ...(this.options.network ? { fetch: this.options.network.fetch } : {}),
    });
    const engine = this.attach(
      createEngine({
        env,
        demo: false,
        session,
        store: this.options.store,
        notifier: this.options.notifier,
        log: this.options.log,
        ...(this.options.network ? { network: this.options.network } : {}),
      }),
    );
    await engine
      .start()
      .catch((err: unknown) => this.options.log(`controller: start failed: ${String(err)}`));
    if (interactive && !engine.user) {
      this.signInAbort = new AbortController();
      try {
        await engine.signIn(this.signInAbort.signal);
      } finally {
        this.signInAbort = null;
      }
    }
  }

  private attach(engine: Engine): Engine {
    this.current = engine;
    engine.setSystemDoNotDisturb(this.systemDnd);
    this.unsubscribe = engine.state.subscribe((s) => this.emit(s));
    this.unsubscribeActivity = engine.onActivity((chatId) => {
      for (const l of this.activityListeners) l(chatId);
    });
    this.unsubscribeInteractions = engine.onInteractions((id) => {
      for (const l of this.interactionListeners) l(id);
    });
    this.emit(engine.state.get());
    return engine;
  }

  private async stopCurrent(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.unsubscribeActivity?.();
    this.unsubscribeActivity = null;
    this.unsubscribeInteractions?.();
    this.unsubscribeInteractions = null;
    const engine = this.current;
    this.current = null;
    await engine?.stop();
    const demo = this.demo;
    this.demo = null;
    await demo?.close();
  }

  private emit(s: EngineSnapshot): void {
    for (const l of this.listeners) {
      try {
        l(s);
      } catch (err) {
        this.options.log(`controller: a state listener failed: ${String(err)}`);
      }
    }
  }
}
