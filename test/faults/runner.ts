// Runs one schedule: a fresh simulator and a fresh engine (real session, watcher, ledger, outbox and
// store on real files, memory secrets), the scripted colleagues acting through the simulator's control
// interface, the user acting through `engine.act`, and the faults. Then it lifts the faults, lets the
// engine settle (a manual resync), and gathers what the invariants need.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followAuthorizeRedirect } from '../../src/main/auth/demo-browser.ts';
import { createMemorySecretStore } from '../../src/main/auth/secret-store.ts';
import { AuthSession } from '../../src/main/auth/session.ts';
import { createEngine } from '../../src/main/engine/compose.ts';
import type { Engine } from '../../src/main/engine/engine.ts';
import type { OutboxView } from '../../src/main/engine/engine-state.ts';
import type { ChatRef } from '../../src/main/engine/model.ts';
import type { NotificationOut } from '../../src/main/engine/notification.ts';
import type { OutboxAction } from '../../src/main/engine/outbox/schema.ts';
import { FAST } from '../support/engine-harness.ts';
import { startTinyproxy } from '../support/tinyproxy.ts';
import { Network } from '../../src/main/net/network.ts';
import { resolveEnvironment } from '../../src/main/genesys/environment.ts';
import { openStore, type AppStore } from '../../src/main/store/store.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';
import type { SimUser } from '../../src/simulator/types.ts';
import { CustomerScript } from './customers.ts';
import { isCustomerAction } from './customer-schedule.ts';
import type { CustomerObservation } from './customer-invariants.ts';
import type {
  ActionOutcome,
  RequestRecord,
  RoundObservation,
  TruthMessage,
  TruthReaction,
  TruthSettings,
} from './invariants.ts';
import {
  FAULT_KINDS,
  type Action,
  type ChatPick,
  type Fault,
  type FaultKind,
  type Schedule,
} from './schedule.ts';

/** The simulator's configured per-token limit, restored when a 429 storm ends. */
const SIM_RATE_LIMIT = 300;
const CLIENT_ID = 'gct-fault-suite';
/** The calm stretch after settling in which customer conversations must cost no request. */
const QUIET_MS = 1_500;
const PROXY_SIGN_IN = { user: 'agent', password: 'proxy-pw' };

export interface RoundOptions {
  /** Progress lines (steps, faults, settling). */
  log?: (line: string) => void;
  /** Longest wait for the engine to settle after the faults are lifted (default 60 s). */
  settleMs?: number;
  /** Keep the engine's store folder (for a post-mortem). */
  keepDir?: boolean;
  /**
   * Every connection of the engine through a real proxy (tinyproxy with Basic authentication, its
   * credentials saved beforehand), as behind a company proxy.
   */
  viaProxy?: boolean;
}

export interface RoundResult {
  observation: RoundObservation;
  faults: Record<FaultKind, number>;
  restarts: number;
  signIns: number;
  /** Steps that could not be carried out as written (a reply not yet sent when it was to be reacted to). */
  skipped: string[];
  wallMs: number;
  /** With `viaProxy`: the tunnels the proxy opened to the simulator. */
  proxyTunnels: number;
  /** The engine's own log lines (last 3000), for a post-mortem. */
  engineLog: string[];
  dir: string;
}

interface Room {
  id: string;
  jid: string;
  name: string;
  /** Colleagues in the room, by name. */
  members: SimUser[];
}

interface World {
  me: SimUser;
  rooms: Room[];
  colleagues: SimUser[];
}

interface Live {
  engine: Engine;
  store: AppStore;
}

/** One of the user's actions while the round runs; `copies` is filled in afterwards. */
interface ActionRecord extends ActionOutcome {
  outboxId?: string;
  /** Reactions and pins: how many times the simulator holds it. */
  check?: () => number;
  /** Replies: counted in the chat's history. */
  reply?: { ref: ChatRef; text: string };
}

const PHRASES = [
  'the build is green again',
  'can someone look at the queue',
  'notes from the standup are in the doc',
  'lunch at the usual place',
  'the customer call moved to Thursday',
  'new dashboard numbers are up',
  'thanks for the quick fix',
  'who has the release checklist',
  'the VPN was flaky this morning',
  'ticket backlog is shrinking',
];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export async function runRound(schedule: Schedule, opts: RoundOptions = {}): Promise<RoundResult> {
  const started = Date.now();
  const say = opts.log ?? (() => {});
  // The expire-tokens fault is about refreshing (revoke-tokens covers signing in again), so this
  // simulator issues refresh tokens (its strict default for a PKCE client is none).
  const sim = await startSimulator({
    seed: schedule.simSeed,
    quiet: true,
    heartbeatIntervalMs: 5_000,
    issueRefreshTokens: true,
  });
  const dir = mkdtempSync(join(tmpdir(), 'gct-faults-'));
  const engineLog: string[] = [];
  const log = (m: string): void => {
    engineLog.push(`${new Date().toISOString().slice(11, 23)} ${m}`);
    if (engineLog.length > 3_000) engineLog.splice(0, engineLog.length - 3_000);
  };
  const world = resolveWorld(sim);
  const me = world.me;
  const tag = `s${schedule.seed}`;

  // ---- the user's settings, before the engine starts --------------------------------------------
  const s = schedule.settings;
  const mutedRoom = s.mutedRoom === null ? null : pickRoom(world, s.mutedRoom);
  const settings: TruthSettings = {
    mentionsOnly: s.mentionsOnly,
    notifyOnReactions: s.notifyOnReactions,
    keywords: [...s.keywords],
    mutedChats: mutedRoom ? [mutedRoom.jid] : [],
  };
  await setServerSettings(sim, me.id, {
    mentionsOnly: s.mentionsOnly,
    notifyOnReactions: s.notifyOnReactions,
  });
  {
    const store = openStore({ cwd: dir, logger: { info: log, warn: log, error: log } });
    store.update('prefs', (p) => ({
      ...p,
      keywords: [...s.keywords],
      chatMutes: mutedRoom ? { [mutedRoom.jid]: {} } : {},
    }));
    store.close();
  }
  // Room for the user's pins (Genesys allows 5 per chat).
  for (const room of world.rooms) {
    for (const id of sim.control.chats(me.id).find((c) => c.id === room.id)?.pinnedMessageIds ?? [])
      sim.control.unpin(id);
  }

  // ---- what is recorded --------------------------------------------------------------------------
  const notifications: NotificationOut[] = [];
  const withdrawals: CustomerObservation['withdrawals'] = [];
  const messages: TruthMessage[] = [];
  const reactions: TruthReaction[] = [];
  const postIds = new Map<string, string>();
  const posts = new Map<string, TruthMessage>();
  const actions: ActionRecord[] = [];
  const replies = new Map<string, { outboxId: string }>();
  const outboxViews = new Map<string, OutboxView>();
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const skipped: string[] = [];
  const requests: RequestRecord[] = [];
  let restarts = 0;
  let signIns = 0;
  const engineStarts: number[] = [];

  // Customers write through the inbound API; the user's customer actions go through the engine.
  const customers = new CustomerScript({
    sim,
    meId: me.id,
    tag,
    notifications,
    running: (ms) => running(ms),
    log,
    skipped,
    outboxItem: (id) => outboxViews.get(id),
  });

  sim.control.clearRequests();
  const drain = (): void => {
    const { entries } = sim.control.requests();
    sim.control.clearRequests();
    customers.record(entries);
    for (const e of entries)
      // The customers' platform (inbound Open Messaging) is not the engine: not in its budget.
      if (!e.path.includes('/inbound/open/'))
        requests.push({ receivedAt: e.receivedAt, method: e.method, path: e.path, status: e.status });
  };
  const collector = setInterval(drain, 200);

  // ---- the engine, restartable -----------------------------------------------------------------
  const secrets = createMemorySecretStore();
  const env = resolveEnvironment(sim.url);
  const proxy = opts.viaProxy ? await startTinyproxy({ basicAuth: PROXY_SIGN_IN }) : null;
  const network = proxy
    ? new Network({ explicit: proxy.address, proxyLoopback: true, secrets: createMemorySecretStore(), log })
    : null;
  if (proxy && network) {
    await network.setProxyCredentials(proxy.address, {
      username: PROXY_SIGN_IN.user,
      password: PROXY_SIGN_IN.password,
    });
  }
  const closeProxy = async (): Promise<void> => {
    await network?.close();
    await proxy?.stop();
  };
  let live: Live | null = null;
  let restarting: Promise<void> | null = null;
  let signingIn: Promise<void> | null = null;

  const startEngine = async (): Promise<Live> => {
    const store = openStore({ cwd: dir, logger: { info: log, warn: log, error: log } });
    const session = new AuthSession({
      env,
      clientId: CLIENT_ID,
      secrets,
      loopbackPort: 0,
      loginHint: me.email,
      openBrowser: (url) => followAuthorizeRedirect(url, network?.fetch),
      log,
      ...(network ? { fetch: network.fetch } : {}),
    });
    const engine = createEngine({
      env,
      demo: true,
      session,
      store,
      log,
      notifier: {
        show: (n) => notifications.push(n),
        withdraw: (ids) => withdrawals.push({ after: notifications.length, ids: [...ids] }),
      },
      ...(network ? { network } : {}),
      watcherTimings: FAST,
      saveDebounceMs: 20,
    });
    engine.state.subscribe((snap) => {
      for (const v of snap.outbox) outboxViews.set(v.id, v);
    });
    const next: Live = { engine, store };
    live = next;
    try {
      await engine.start();
      // As the app does for the demo org: no session (or a lost one) → sign in through the simulator.
      if (!engine.user) await signIn(next);
    } catch (err) {
      // Genesys failed while connecting: the engine must come back by itself (the app does nothing).
      log(`fault-runner: engine start failed: ${errText(err)}`);
    }
    return next;
  };

  const signIn = async (target: Live): Promise<void> => {
    if (signingIn) return signingIn;
    signIns++;
    log('fault-runner: signing in again');
    signingIn = target.engine
      .signIn()
      .catch((err: unknown) => log(`fault-runner: sign-in failed: ${errText(err)}`))
      .finally(() => {
        signingIn = null;
      });
    return signingIn;
  };

  // Revoked tokens: the user signs in again (the simulator approves at once).
  const guardian = setInterval(() => {
    const current = live;
    if (!current || restarting || signingIn) return;
    const c = current.engine.state.get().connection;
    if (c === 'needs-sign-in' || c === 'signed-out') void signIn(current);
  }, 50);

  const stopEngine = async (): Promise<void> => {
    const current = live;
    live = null;
    if (!current) return;
    await signingIn;
    await current.engine.stop();
    current.store.close();
  };

  const ready = async (ms = 10_000): Promise<Live | null> => {
    const end = Date.now() + ms;
    for (;;) {
      if (restarting) await restarting;
      const current = live;
      if (current?.engine.user) return current;
      if (Date.now() > end) return null;
      await sleep(25);
    }
  };

  /**
   * The engine the user acts on: any running one, connected or not (it queues while connecting,
   * offline or waiting for a new sign-in). Only a restart in progress is waited out.
   */
  const running = async (ms = 10_000): Promise<Live | null> => {
    const end = Date.now() + ms;
    for (;;) {
      if (restarting) await restarting;
      if (live) return live;
      if (Date.now() > end) return null;
      await sleep(25);
    }
  };

  const pushing = (): boolean => {
    const snap = live?.engine.state.get();
    return !restarting && !signingIn && snap?.connection === 'push' && snap.lastSyncAt !== null;
  };

  const waitFor = async (predicate: () => boolean, ms: number): Promise<boolean> => {
    const end = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > end) return false;
      await sleep(20);
    }
    return true;
  };

  // ---- helpers for the script --------------------------------------------------------------------
  const chatOf = (pick: ChatPick): { ref: ChatRef; room?: Room; partner?: SimUser } => {
    if (pick.kind === 'room') {
      const room = pickRoom(world, pick.index);
      return { ref: { id: room.jid, kind: 'room', jid: room.jid, name: room.name }, room };
    }
    const partner = world.colleagues[pick.index % world.colleagues.length]!;
    return { ref: { id: partner.id, kind: 'oneOnOne', jid: partner.jid, name: partner.name }, partner };
  };
  const refOfPost = (post: TruthMessage): ChatRef => {
    if (post.chatKind === 'room') {
      const room = world.rooms.find((r) => r.jid === post.chatId)!;
      return { id: room.jid, kind: 'room', jid: room.jid, name: room.name };
    }
    const partner = world.colleagues.find((u) => u.id === post.chatId)!;
    return { id: partner.id, kind: 'oneOnOne', jid: partner.jid, name: partner.name };
  };
  let phrase = 0;
  const words = (): string => PHRASES[phrase++ % PHRASES.length]!;
  const bodyFor = (id: string, mention: boolean, keyword: string | undefined): string =>
    `${mention ? `@${me.name} ` : ''}[${tag} ${id}] ${words()}${keyword ? `, re ${keyword}` : ''}`;
  const keywordFor = (id: string, on: boolean): string | undefined =>
    on && s.keywords.length > 0 ? s.keywords[Number(id.slice(1)) % s.keywords.length] : undefined;

  const enqueue = async (
    step: string,
    action: OutboxAction & { kind: ActionOutcome['kind'] },
    how: Pick<ActionRecord, 'check' | 'reply'>,
  ): Promise<string | undefined> => {
    const target = await running();
    const record: ActionRecord = { step, kind: action.kind, queued: false, copies: 0, ...how };
    actions.push(record);
    if (!target) {
      record.error = 'no engine was running within 10 s, so the action was never queued';
      return undefined;
    }
    try {
      const view = await target.engine.act(action);
      record.queued = true;
      record.outboxId = view.id;
      outboxViews.set(view.id, view);
      return view.id;
    } catch (err) {
      record.error = `not queued: ${errText(err)}`;
      return undefined;
    }
  };

  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const inject = (fault: Fault): void => {
    faults[fault.kind]++;
    say(`  fault ${JSON.stringify(fault)}`);
    log(`fault-runner: FAULT ${JSON.stringify(fault)}`);
    switch (fault.kind) {
      case 'drop-sockets':
        sim.control.dropSockets();
        return;
      case 'delete-channel':
        for (const c of sim.control.channels()) if (c.userId === me.id) sim.control.deleteChannel(c.id);
        return;
      case 'socket-closing':
        sim.control.socketClosing({ graceMs: fault.graceMs, userId: me.id });
        return;
      case 'expire-tokens':
        sim.control.expireTokens(me.id);
        return;
      case 'revoke-tokens':
        sim.control.revokeTokens(me.id);
        return;
      case 'error-burst':
        sim.control.failNext(fault.count, fault.status);
        return;
      case 'rate-limit':
        sim.control.setRateLimit(
          fault.perMinute,
          fault.maxRetryAfterSeconds ? { maxRetryAfterSeconds: fault.maxRetryAfterSeconds } : {},
        );
        later(fault.durationMs, () => sim.control.setRateLimit(SIM_RATE_LIMIT));
        return;
      case 'latency':
        sim.control.setLatency(fault.ms);
        later(fault.durationMs, () => sim.control.setLatency(0));
        return;
      case 'clock-jump':
        sim.control.setClockOffset(fault.offsetMs);
        later(fault.durationMs, () => sim.control.setClockOffset(0));
        return;
      case 'push-shape':
        sim.control.manglePush({ count: fault.count, shape: fault.shape });
        // Only events close to the fault: a reaction much later must not be the one mangled.
        later(2_500, () => sim.control.manglePush({ count: 0 }));
        return;
      case 'unsubscribed':
        sim.control.systemNotice({ kind: 'no_longer_subscribed', userId: me.id });
        return;
      case 'restart':
        restarts++;
        restarting = (async () => {
          await stopEngine();
          await sleep(fault.downMs);
          engineStarts.push(Date.now());
          await startEngine();
        })()
          .catch((err: unknown) => log(`fault-runner: restart failed: ${errText(err)}`))
          .finally(() => {
            restarting = null;
          });
        return;
    }
  };

  const perform = async (action: Action): Promise<void> => {
    if (isCustomerAction(action)) {
      customers.perform(action);
      return;
    }
    switch (action.type) {
      case 'fault':
        inject(action.fault);
        return;
      case 'post': {
        const { ref, room, partner } = chatOf(action.chat);
        const sender = room ? room.members[action.actor % room.members.length]! : partner!;
        const keyword = keywordFor(action.id, action.keyword);
        const body = bodyFor(action.id, action.mention, keyword);
        const threadId = action.threadOf ? postIds.get(action.threadOf) : undefined;
        const posted = sim.control.post({
          as: sender.id,
          ...(room ? { room: room.jid } : { toUser: me.id }),
          body,
          ...(action.mention ? { mentions: [me.id] } : {}),
          ...(threadId ? { threadId } : {}),
        });
        const truth: TruthMessage = {
          id: posted.id,
          step: action.id,
          chatId: ref.id,
          chatKind: ref.kind,
          senderId: sender.id,
          mentionsMe: action.mention,
          body,
          edited: false,
          deleted: false,
        };
        postIds.set(action.id, posted.id);
        posts.set(action.id, truth);
        messages.push(truth);
        return;
      }
      case 'edit': {
        const post = posts.get(action.target)!;
        const keyword = s.keywords.find((k) => post.body.includes(`re ${k}`));
        const body = `${bodyFor(action.target, post.mentionsMe, keyword)} (edited)`;
        sim.control.edit({
          as: post.senderId,
          messageId: post.id,
          body,
          ...(post.mentionsMe ? { mentions: [me.id] } : {}),
        });
        post.body = body;
        post.edited = true;
        return;
      }
      case 'delete': {
        const post = posts.get(action.target)!;
        sim.control.delete({ as: post.senderId, messageId: post.id });
        post.deleted = true;
        return;
      }
      case 'reply': {
        const { ref, room, partner } = chatOf(action.chat);
        const text = `[${tag} ${action.id}] on it, thanks`;
        const threadId = action.threadOf ? postIds.get(action.threadOf) : undefined;
        const mention =
          action.mention === undefined
            ? undefined
            : room
              ? room.members[action.mention % room.members.length]!.id
              : partner!.id;
        const outboxId = await enqueue(
          action.id,
          {
            kind: 'reply',
            chat: ref,
            text,
            ...(threadId ? { threadId } : {}),
            ...(mention ? { mentions: [mention] } : {}),
          },
          { reply: { ref, text } },
        );
        if (outboxId) replies.set(action.id, { outboxId });
        return;
      }
      case 'user-react': {
        const post = posts.get(action.target)!;
        await enqueue(
          `react ${action.emoji} on ${action.target}`,
          { kind: 'react', chat: refOfPost(post), messageId: post.id, emoji: action.emoji, on: true },
          {
            check: () => {
              const m = sim.control.message(post.id);
              const entry = m?.reactions?.filter((r) => r.emoji === action.emoji) ?? [];
              return entry.reduce((n, r) => n + r.users.filter((u) => u.id === me.id).length, 0);
            },
          },
        );
        return;
      }
      case 'user-pin': {
        const post = posts.get(action.target)!;
        await enqueue(
          `pin ${action.target}`,
          { kind: 'pin', chat: refOfPost(post), messageId: post.id },
          {
            check: () => {
              const chat = sim.control.chats(me.id).find((c) => c.jid === post.chatId);
              return (chat?.pinnedMessageIds ?? []).filter((id) => id === post.id).length;
            },
          },
        );
        return;
      }
      case 'react-to-user': {
        const reply = replies.get(action.target);
        const sent = reply
          ? await waitFor(() => outboxViews.get(reply.outboxId)?.state === 'sent', 4_000)
          : false;
        const messageId = reply ? outboxViews.get(reply.outboxId)?.messageId : undefined;
        if (!sent || !messageId) {
          skipped.push(`react-to-user ${action.target}: the reply was not sent yet`);
          return;
        }
        const m = sim.control.message(messageId);
        const room = world.rooms.find((r) => r.jid === m?.toJid);
        if (!m || !room) {
          skipped.push(`react-to-user ${action.target}: the reply is not in a room`);
          return;
        }
        // Reactions are pushed only, and only to a channel subscribed to the room's topic: make them
        // while that holds (for a moment), as the schedule intends. After a reconnect the engine
        // subscribes its room topics only once it has read the roster again.
        const roomPushed = (): boolean =>
          pushing() &&
          sim.control
            .channels()
            .some(
              (c) =>
                c.userId === sim.demoUser.id && c.connected && c.topics.some((t) => t.includes(room.jid)),
            );
        const pushUp = (await waitFor(roomPushed, 5_000)) && (await sleep(200), roomPushed());
        const reactor = room.members[action.actor % room.members.length]!;
        log(`fault-runner: REACT ${action.target} on ${messageId} pushUp=${pushUp}`);
        sim.control.react({ as: reactor.id, messageId, reactions: [action.emoji] });
        reactions.push({
          step: `react:${action.target}`,
          messageId,
          chatId: room.jid,
          chatKind: 'room',
          reactorId: reactor.id,
          emoji: action.emoji,
          pushUp,
        });
        return;
      }
    }
  };

  // ---- the round ------------------------------------------------------------------------------
  let settleError: string | undefined;
  try {
    await startEngine();
    if (!(await waitFor(pushing, 15_000))) throw new Error('the engine never reached push before the round');
    say(`  engine up after ${Date.now() - started} ms`);
    const t0 = Date.now();
    for (const step of schedule.steps) {
      await sleep(t0 + step.at - Date.now());
      await perform(step.action);
    }
    await sleep(t0 + schedule.durationMs - Date.now());

    // ---- lift every fault and let the engine settle -------------------------------------------
    for (const t of timers) clearTimeout(t);
    timers.clear();
    sim.control.resetFaults();
    await customers.finish();
    say(`  faults lifted after ${Date.now() - t0} ms; settling`);
    settleError = await settle(opts.settleMs ?? 60_000);
    say(`  settled after ${Date.now() - t0} ms${settleError ? ` (${settleError})` : ''}`);
  } catch (err) {
    await stopEngine().catch(() => {});
    await sim.close();
    await closeProxy();
    throw err;
  } finally {
    clearInterval(guardian);
    for (const t of timers) clearTimeout(t);
    clearInterval(collector);
    drain();
  }

  async function settle(ms: number): Promise<string | undefined> {
    const end = Date.now() + ms;
    const left = (): number => Math.max(0, end - Date.now());
    if (restarting) await restarting;
    const current = await ready(left());
    if (!current) return `not signed in (${live?.engine.state.get().connection ?? 'no engine'})`;
    if (!(await waitFor(() => live?.engine.state.get().connection === 'push', left())))
      return `no push (${live?.engine.state.get().connection})`;
    const engine = live!.engine;
    const store = live!.store;
    const mark = Date.now();
    engine.resync('manual');
    if (!(await waitFor(() => (store.get('engine').syncedAt ?? 0) >= mark, left())))
      return 'the resync never completed';
    const outboxDone = (): boolean =>
      [...outboxViews.values()].every((v) => v.state === 'sent' || v.state === 'failed');
    if (!(await waitFor(outboxDone, left()))) {
      const open = [...outboxViews.values()].filter((v) => v.state !== 'sent' && v.state !== 'failed');
      return `outbox not done: ${open.map((v) => `${v.kind} ${v.state} ${v.error ?? ''}`).join('; ')}`;
    }
    // The customer conversations' catch-up too (its reads may wait for the request budget).
    const messagingIdle = engine.messaging()?.idle();
    if (
      messagingIdle &&
      !(await Promise.race([messagingIdle.then(() => true), sleep(left()).then(() => false)]))
    )
      return 'the customer conversations never caught up';
    // Quiet: nothing new for a moment, every batch processed.
    for (;;) {
      const seen = notifications.length;
      await engine.idle();
      await sleep(400);
      await engine.idle();
      if (notifications.length === seen) return undefined;
      if (left() === 0) return 'notifications kept coming';
    }
  }

  const channelsSettled = connectedSockets(sim, me.id);
  const settledEngine = live as Live | null;
  const quiet =
    !settleError && settledEngine ? await customers.quiet(settledEngine.engine, QUIET_MS) : undefined;

  // ---- what the simulator holds for the user's actions -----------------------------------------
  const outcomes: ActionOutcome[] = [];
  const histories = new Map<string, { body: string; senderId: string }[]>();
  for (const a of actions) {
    const view = a.outboxId ? outboxViews.get(a.outboxId) : undefined;
    let copies = 0;
    const reply = a.reply;
    if (reply) {
      let history = histories.get(reply.ref.id);
      if (!history) {
        history = await readChat(sim, world, reply.ref, started);
        histories.set(reply.ref.id, history);
      }
      copies = history.filter((m) => m.senderId === me.id && m.body === reply.text).length;
    } else if (a.check) copies = a.check();
    outcomes.push({
      step: a.step,
      kind: a.kind,
      queued: a.queued,
      ...(view ? { finalState: view.state } : {}),
      ...(a.error || view?.error ? { error: a.error ?? view?.error } : {}),
      copies,
    });
  }

  const customerTruth = customers.observe(withdrawals, quiet);

  // Once stopped, the engine must hold no socket and send nothing.
  await stopEngine().catch((err: unknown) => log(`fault-runner: stop failed: ${errText(err)}`));
  await sleep(300);
  sim.control.clearRequests();
  await sleep(700);
  const late = sim.control.requests().entries.filter((e) => e.path.startsWith('/api/v2/'));
  const afterStop = {
    channels: connectedSockets(sim, me.id),
    requests: late.length,
    paths: late.map((e) => `${e.method} ${e.path}`),
  };
  await sim.close();
  const proxyTunnels = proxy ? proxy.connects().length : 0;
  await closeProxy();
  if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });

  return {
    observation: {
      meId: me.id,
      settings,
      messages,
      reactions,
      notifications,
      actions: outcomes,
      requests,
      ...(settleError ? { settleError } : {}),
      channelsSettled,
      afterStop,
      customers: customerTruth,
      engineStarts,
    },
    faults,
    restarts,
    signIns,
    skipped,
    wallMs: Date.now() - started,
    proxyTunnels,
    engineLog,
    dir,
  };
}

function resolveWorld(sim: Simulator): World {
  const me = sim.users.find((u) => u.id === sim.demoUser.id)!;
  const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);
  const colleagues = sim.users.filter((u) => u.id !== me.id).sort(byName);
  const rooms = sim.control
    .chats(me.id)
    .filter((c) => c.kind === 'room' && c.participants.includes(me.id))
    .map((c) => ({
      id: c.id,
      jid: c.jid!,
      name: c.name,
      members: colleagues.filter((u) => c.participants.includes(u.id)),
    }))
    .filter((r) => r.members.length > 0)
    .sort(byName);
  return { me, rooms, colleagues };
}

function connectedSockets(sim: Simulator, userId: string): number {
  return sim.control.channels().filter((c) => c.userId === userId && c.connected).length;
}

function pickRoom(world: World, index: number): Room {
  return world.rooms[index % world.rooms.length]!;
}

/** The user's Genesys chat settings, set through the API as the user (before anything is logged). */
async function setServerSettings(
  sim: Simulator,
  userId: string,
  settings: { mentionsOnly: boolean; notifyOnReactions: boolean },
): Promise<void> {
  const { accessToken } = sim.control.actAs(userId);
  const res = await fetch(`${sim.url}/api/v2/chats/users/me/settings`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...settings, muted: false, mobile: { notifications: { when: 'Always' } } }),
  });
  if (!res.ok) throw new Error(`could not set the user's chat settings: HTTP ${res.status}`);
}

/**
 * Every message of a chat since `since` (less the largest clock jump: while the server's clock is
 * behind, new messages are dated just after the newest history), read as a colleague in it, after
 * the request log is closed.
 */
async function readChat(
  sim: Simulator,
  world: World,
  ref: ChatRef,
  since: number,
): Promise<{ body: string; senderId: string }[]> {
  const reader =
    ref.kind === 'room'
      ? world.rooms.find((r) => r.jid === ref.id)!.members[0]!
      : world.colleagues.find((u) => u.id === ref.id)!;
  const { accessToken } = sim.control.actAs(reader.id);
  const path =
    ref.kind === 'room'
      ? `/api/v2/chats/rooms/${encodeURIComponent(ref.jid)}/messages`
      : `/api/v2/chats/users/${encodeURIComponent(world.me.id)}/messages`;
  const out: { body: string; senderId: string }[] = [];
  let after = since - 11 * 60_000;
  for (let page = 0; page < 100; page++) {
    const res = await fetch(`${sim.url}${path}?after=${after}&limit=100`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    if (!res.ok) throw new Error(`reading ${ref.kind} ${ref.id}: HTTP ${res.status}`);
    const { entities } = (await res.json()) as {
      entities: { body: string; dateCreated: string; user?: { id: string } }[];
    };
    for (const m of entities) out.push({ body: m.body, senderId: m.user?.id ?? '' });
    if (entities.length < 100) break;
    after = Date.parse(entities.at(-1)!.dateCreated);
  }
  return out;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
