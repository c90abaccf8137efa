// The fault suite's schedule: a pure function from a seed to a list of timed steps. Faults, what the
// scripted colleagues do and what the user does, all by abstract reference (the n-th room, the n-th
// colleague, an earlier step's message); the runner resolves them against the simulator. The same
// seed and profile always give the same schedule; only the timing of real sockets varies.
import { Prng } from '../../src/simulator/prng.ts';
import { customerSteps, type CustomerAction, type CustomerSpec } from './customer-schedule.ts';

export type { CustomerAction } from './customer-schedule.ts';

export const FAULT_KINDS = [
  'drop-sockets',
  'delete-channel',
  'socket-closing',
  'expire-tokens',
  'revoke-tokens',
  'error-burst',
  'rate-limit',
  'latency',
  'clock-jump',
  'restart',
  'push-shape',
  'unsubscribed',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type Fault =
  /** Every notification socket is cut. */
  | { kind: 'drop-sockets' }
  /** The user's channels are deleted: their sockets get `{"result":"404"}` and close. */
  | { kind: 'delete-channel' }
  /** `v2.system.socket_closing`, then the close after `graceMs`. */
  | { kind: 'socket-closing'; graceMs: number }
  /** Access tokens expire (refresh tokens still work). */
  | { kind: 'expire-tokens' }
  /** Access and refresh tokens are revoked: the user must sign in again (the runner does). */
  | { kind: 'revoke-tokens' }
  /** The next `count` API requests answer `status`. */
  | { kind: 'error-burst'; count: number; status: 500 | 502 | 503 | 504 }
  /** A 429 storm: the per-token limit drops to `perMinute` for `durationMs`. */
  | { kind: 'rate-limit'; perMinute: number; durationMs: number; maxRetryAfterSeconds?: number }
  /** Every API answer is delayed by `ms` for `durationMs`. */
  | { kind: 'latency'; ms: number; durationMs: number }
  /** The server's clock is `offsetMs` off for `durationMs`. */
  | { kind: 'clock-jump'; offsetMs: number; durationMs: number }
  /** The engine stops; a new one starts on the same store `downMs` later. */
  | { kind: 'restart'; downMs: number }
  /** The next `count` room events (within 2.5 s) come in a shape the client cannot read. */
  | { kind: 'push-shape'; count: number; shape: 'unknown' | 'legacy' }
  /** `v2.system.no_longer_subscribed`: the user's channels lose their topics. */
  | { kind: 'unsubscribed' };

/** A chat by its place among the demo user's rooms (by name) or among the colleagues (by name). */
export type ChatPick = { kind: 'room'; index: number } | { kind: 'direct'; index: number };

export type Action =
  | { type: 'fault'; fault: Fault }
  /** A colleague posts (`actor`: index among the chat's colleagues; in a 1on1, the other user). */
  | {
      type: 'post';
      id: string;
      chat: ChatPick;
      actor: number;
      mention: boolean;
      keyword: boolean;
      threadOf?: string;
    }
  /** The sender edits a post: new words, same mention and keyword (so its notifiability stays). */
  | { type: 'edit'; target: string }
  /** The sender deletes a post. */
  | { type: 'delete'; target: string }
  /** A colleague of the room reacts to one of the user's replies (a room reply, once per reply). */
  | { type: 'react-to-user'; target: string; actor: number; emoji: string }
  /** The user replies through the outbox (in a thread of `threadOf`, mentioning `mention`). */
  | { type: 'reply'; id: string; chat: ChatPick; threadOf?: string; mention?: number }
  /** The user reacts to a colleague's post through the outbox. */
  | { type: 'user-react'; target: string; emoji: string }
  /** The user pins a colleague's room post through the outbox. */
  | { type: 'user-pin'; target: string }
  /** Customers and the user's customer conversations (customer-schedule.ts). */
  | CustomerAction;

export interface Step {
  /** Milliseconds after the round starts. */
  at: number;
  action: Action;
}

/** The user's settings for the round (the server's and the app's), fixed before the engine starts. */
export interface UserSettings {
  mentionsOnly: boolean;
  notifyOnReactions: boolean;
  keywords: string[];
  /** A room muted in the app (index as in ChatPick), or null. */
  mutedRoom: number | null;
}

export type Profile = 'short' | 'soak';

export interface Schedule {
  seed: number;
  profile: Profile;
  /** Seed of the simulator's demo org. */
  simSeed: number;
  durationMs: number;
  settings: UserSettings;
  steps: Step[];
  /** Where faults disturb push (plus recovery); reactions to the user are placed outside them. */
  disturbed: [number, number][];
}

interface ProfileSpec extends CustomerSpec {
  durationMs: number;
  /** Faults start before this share of the round; the rest is calm (reactions land there). */
  faultSpan: number;
  /** Replies are queued before this share of the round (so colleagues can react to them). */
  replySpan: number;
  faults: [number, number];
  posts: [number, number];
  edits: [number, number];
  deletes: [number, number];
  replies: [number, number];
  userReacts: [number, number];
  pins: [number, number];
  reactions: [number, number];
  /** Chance that a 429 storm sends the server's real Retry-After (up to a minute). */
  uncappedStorm: number;
  /** Chance that a fault strikes within 800 ms of the one before (compound trouble). */
  cluster: number;
  /** Size of a 5xx burst. */
  burst: [number, number];
}

const PROFILES: Record<Profile, ProfileSpec> = {
  short: {
    durationMs: 12_000,
    faultSpan: 0.55,
    replySpan: 0.45,
    faults: [5, 5],
    posts: [18, 24],
    edits: [2, 3],
    deletes: [2, 3],
    replies: [4, 5],
    userReacts: [2, 3],
    pins: [1, 2],
    reactions: [2, 3],
    uncappedStorm: 0,
    cluster: 0.2,
    burst: [2, 12],
    customers: [4, 4],
    arrivalSpan: 0.4,
  },
  soak: {
    durationMs: 60_000,
    faultSpan: 0.8,
    replySpan: 0.8,
    faults: [10, 14],
    posts: [70, 100],
    edits: [6, 10],
    deletes: [5, 8],
    replies: [12, 18],
    userReacts: [6, 10],
    pins: [3, 6],
    reactions: [6, 10],
    uncappedStorm: 0.25,
    cluster: 0.35,
    burst: [2, 30],
    customers: [8, 12],
    arrivalSpan: 0.8,
  },
};

/** Words that may be keywords; ordinary post text never contains any of them. */
export const KEYWORD_POOL = ['deploy', 'outage', 'invoice', 'rollback'] as const;
export const EMOJIS = ['👍', '🎉', '❤️', '👀', '🚀', '✅', '😂', '🙏'] as const;

/** Number of rooms and colleagues the indices range over (the runner takes them modulo the real counts). */
const ROOM_SLOTS = 6;
const DIRECT_SLOTS = 8;
const MAX_PINS_PER_ROOM = 4;

export function generateSchedule(seed: number, profile: Profile = 'short'): Schedule {
  const spec = PROFILES[profile];
  const rng = new Prng(seed);
  const faultRng = rng.fork(1);
  const chatRng = rng.fork(2);
  const userRng = rng.fork(3);
  const settingsRng = rng.fork(4);
  const burstRng = rng.fork(5);
  const duration = spec.durationMs;
  const count = ([lo, hi]: [number, number], r: Prng): number => r.int(lo, hi);

  const settings: UserSettings = {
    mentionsOnly: settingsRng.chance(0.4),
    notifyOnReactions: settingsRng.chance(0.8),
    keywords: settingsRng.sample(KEYWORD_POOL, settingsRng.int(0, 2)),
    mutedRoom: settingsRng.chance(0.5) ? settingsRng.int(0, ROOM_SLOTS - 1) : null,
  };

  // ---- faults --------------------------------------------------------------------------------
  const steps: Step[] = [];
  const disturbed: [number, number][] = [];
  const nFaults = count(spec.faults, faultRng);
  // Every kind once before any repeats, in a seeded order: short rounds cover half the kinds each.
  const kinds: FaultKind[] = [];
  while (kinds.length < nFaults) kinds.push(...faultRng.sample(FAULT_KINDS, FAULT_KINDS.length));
  const span = Math.round(duration * spec.faultSpan);
  let previous = -1;
  for (const kind of kinds.slice(0, nFaults)) {
    const at =
      previous >= 0 && faultRng.chance(spec.cluster)
        ? Math.min(span, previous + faultRng.int(0, 800))
        : faultRng.int(500, span);
    previous = at;
    const fault = makeFault(kind, faultRng, spec);
    steps.push({ at, action: { type: 'fault', fault } });
    // A reaction needs push caught up before it and no fault for a while after (a restart would
    // drop it while still queued in the engine): keep reactions out of this interval.
    disturbed.push([Math.max(0, at - 3_000), at + disturbance(fault)]);
  }

  // ---- colleagues' posts ---------------------------------------------------------------------
  interface PostInfo {
    id: string;
    at: number;
    chat: ChatPick;
    root: boolean;
    used: boolean;
  }
  const posts: PostInfo[] = [];
  const nPosts = count(spec.posts, chatRng);
  const postTimes = Array.from({ length: nPosts }, () => chatRng.int(0, duration - 400)).sort(
    (a, b) => a - b,
  );
  postTimes.forEach((at, n) => {
    const chat: ChatPick = chatRng.chance(0.75)
      ? { kind: 'room', index: chatRng.int(0, ROOM_SLOTS - 1) }
      : { kind: 'direct', index: chatRng.int(0, DIRECT_SLOTS - 1) };
    const id = `p${n}`;
    const roots = posts.filter((p) => p.root && sameChat(p.chat, chat) && p.at < at - 200);
    const threadOf =
      chat.kind === 'room' && roots.length > 0 && chatRng.chance(0.2) ? chatRng.pick(roots) : null;
    if (threadOf) threadOf.used = true;
    posts.push({ id, at, chat, root: threadOf === null, used: false });
    steps.push({
      at,
      action: {
        type: 'post',
        id,
        chat,
        actor: chatRng.int(0, 7),
        mention: chat.kind === 'room' && chatRng.chance(0.35),
        keyword: settings.keywords.length > 0 && chatRng.chance(0.2),
        ...(threadOf ? { threadOf: threadOf.id } : {}),
      },
    });
  });

  // While the engine is down for a restart, a colleague sends a burst of direct messages: the
  // backfill after the restart finds them in one read, which the engine tells as one digest.
  for (const st of [...steps]) {
    if (st.action.type !== 'fault' || st.action.fault.kind !== 'restart') continue;
    const chat: ChatPick = { kind: 'direct', index: burstRng.int(0, 3) };
    const size = burstRng.int(4, 6);
    const gap = Math.max(5, Math.floor((st.action.fault.downMs - 20) / size));
    for (let i = 0; i < size; i++) {
      const at = st.at + 10 + i * gap;
      const id = `p${posts.length}`;
      posts.push({ id, at, chat, root: true, used: false });
      steps.push({ at, action: { type: 'post', id, chat, actor: 0, mention: false, keyword: false } });
    }
  }

  // ---- the user's actions (targets: posts no one edits or deletes) ---------------------------
  const replies: { id: string; at: number; chat: ChatPick }[] = [];
  const nReplies = count(spec.replies, userRng);
  for (let n = 0; n < nReplies; n++) {
    const at = userRng.int(300, Math.round(duration * spec.replySpan));
    const chat: ChatPick = userRng.chance(0.8)
      ? { kind: 'room', index: userRng.int(0, ROOM_SLOTS - 1) }
      : { kind: 'direct', index: userRng.int(0, 3) };
    const roots = posts.filter((p) => p.root && sameChat(p.chat, chat) && p.at < at - 300);
    const thread =
      chat.kind === 'room' && roots.length > 0 && userRng.chance(0.3) ? userRng.pick(roots) : null;
    if (thread) thread.used = true;
    const id = `r${n}`;
    replies.push({ id, at, chat });
    steps.push({
      at,
      action: {
        type: 'reply',
        id,
        chat,
        ...(thread ? { threadOf: thread.id } : {}),
        ...(userRng.chance(0.3) ? { mention: userRng.int(0, 7) } : {}),
      },
    });
  }
  const nUserReacts = count(spec.userReacts, userRng);
  for (let n = 0; n < nUserReacts; n++) {
    const at = userRng.int(500, duration - 800);
    const candidates = posts.filter((p) => !p.used && p.at < at - 300);
    if (candidates.length === 0) continue;
    const target = userRng.pick(candidates);
    target.used = true;
    steps.push({ at, action: { type: 'user-react', target: target.id, emoji: userRng.pick(EMOJIS) } });
  }
  const pinsPerRoom = new Map<number, number>();
  const nPins = count(spec.pins, userRng);
  for (let n = 0; n < nPins; n++) {
    const at = userRng.int(500, duration - 800);
    const candidates = posts.filter(
      (p) =>
        !p.used &&
        p.chat.kind === 'room' &&
        p.at < at - 300 &&
        (pinsPerRoom.get(p.chat.index) ?? 0) < MAX_PINS_PER_ROOM,
    );
    if (candidates.length === 0) continue;
    const target = userRng.pick(candidates);
    target.used = true;
    pinsPerRoom.set(target.chat.index, (pinsPerRoom.get(target.chat.index) ?? 0) + 1);
    steps.push({ at, action: { type: 'user-pin', target: target.id } });
  }

  // ---- colleagues edit and delete what nothing else refers to ---------------------------------
  for (const [type, range] of [
    ['edit', spec.edits],
    ['delete', spec.deletes],
  ] as const) {
    const n = count(range, chatRng);
    for (let i = 0; i < n; i++) {
      const candidates = posts.filter((p) => !p.used && p.at < duration - 600);
      if (candidates.length === 0) break;
      const target = chatRng.pick(candidates);
      target.used = true;
      const at = chatRng.int(target.at + 200, Math.max(target.at + 200, duration - 300));
      steps.push({ at, action: { type, target: target.id } });
    }
  }

  // ---- colleagues react to the user's room replies, only where no fault disturbs push ---------
  const calm = (at: number): boolean => disturbed.every(([from, to]) => at < from || at > to);
  const nReactions = count(spec.reactions, chatRng);
  const reacted = new Set<string>();
  for (let i = 0; i < nReactions; i++) {
    const roomReplies = replies.filter((r) => r.chat.kind === 'room' && !reacted.has(r.id));
    if (roomReplies.length === 0) break;
    const reply = chatRng.pick(roomReplies);
    const slots: number[] = [];
    for (let at = reply.at + 2_500; at < duration - 300; at += 250) if (calm(at)) slots.push(at);
    if (slots.length === 0) continue;
    reacted.add(reply.id);
    steps.push({
      at: chatRng.pick(slots),
      action: {
        type: 'react-to-user',
        target: reply.id,
        actor: chatRng.int(0, 7),
        emoji: chatRng.pick(EMOJIS),
      },
    });
  }

  // ---- customers, their offers and the user's customer conversations ---------------------------
  const restarts = steps.flatMap((st) =>
    st.action.type === 'fault' && st.action.fault.kind === 'restart'
      ? [{ at: st.at, downMs: st.action.fault.downMs }]
      : [],
  );
  steps.push(...customerSteps(rng.fork(6), spec, duration, restarts, profile === 'short'));

  // Stable order: by time, then in generation order.
  const ordered = steps.map((step, i) => ({ step, i })).sort((a, b) => a.step.at - b.step.at || a.i - b.i);
  return {
    seed,
    profile,
    simSeed: (seed % 997) + 1,
    durationMs: duration,
    settings,
    steps: ordered.map((o) => o.step),
    disturbed,
  };
}

function makeFault(kind: FaultKind, r: Prng, spec: ProfileSpec): Fault {
  switch (kind) {
    case 'drop-sockets':
    case 'delete-channel':
    case 'expire-tokens':
    case 'revoke-tokens':
    case 'unsubscribed':
      return { kind };
    case 'push-shape':
      return { kind, count: r.int(1, 3), shape: r.pick(['unknown', 'legacy'] as const) };
    case 'socket-closing':
      return { kind, graceMs: r.int(100, 1_500) };
    case 'error-burst':
      return {
        kind,
        count: r.int(spec.burst[0], spec.burst[1]),
        status: r.pick([500, 502, 503, 504] as const),
      };
    case 'rate-limit': {
      const uncapped = r.chance(spec.uncappedStorm);
      return {
        kind,
        perMinute: r.int(1, 10),
        durationMs: r.int(500, 1_500),
        ...(uncapped ? {} : { maxRetryAfterSeconds: r.int(1, 2) }),
      };
    }
    case 'latency':
      return { kind, ms: r.int(200, 1_500), durationMs: r.int(1_000, 2_500) };
    case 'clock-jump':
      return {
        kind,
        offsetMs: r.pick([-1, 1]) * r.int(5_000, 10 * 60_000),
        durationMs: r.int(1_000, 3_000),
      };
    case 'restart':
      return { kind, downMs: r.int(100, 1_500) };
  }
}

/** How long after it starts a fault may keep push from delivering (with time to recover). */
function disturbance(fault: Fault): number {
  switch (fault.kind) {
    case 'restart':
      return fault.downMs + 4_000;
    case 'socket-closing':
      return fault.graceMs + 2_500;
    case 'rate-limit':
      return fault.durationMs + (fault.maxRetryAfterSeconds ?? 60) * 1_000 + 3_000;
    case 'latency':
    case 'clock-jump':
      return fault.durationMs + 2_000;
    case 'revoke-tokens':
      return 4_000;
    default:
      return 3_000;
  }
}

function sameChat(a: ChatPick, b: ChatPick): boolean {
  return a.kind === b.kind && a.index === b.index;
}

/** A short, readable summary of a schedule (for logs and failure messages). */
export function describeSchedule(s: Schedule): string {
  const faults = s.steps.flatMap((st) =>
    st.action.type === 'fault' ? [`${st.at}ms ${JSON.stringify(st.action.fault)}`] : [],
  );
  const counts = new Map<string, number>();
  for (const st of s.steps) counts.set(st.action.type, (counts.get(st.action.type) ?? 0) + 1);
  return [
    `seed ${s.seed} (${s.profile}, ${s.durationMs} ms, sim seed ${s.simSeed})`,
    `settings ${JSON.stringify(s.settings)}`,
    `steps ${JSON.stringify(Object.fromEntries(counts))}`,
    ...faults.map((f) => `  fault at ${f}`),
  ].join('\n');
}

/** The seed of round `i` of a soak on `seed` (distinct rounds, reproducible from the two numbers). */
export function roundSeed(seed: number, i: number): number {
  if (i === 0) return seed >>> 0;
  return new Prng((seed ^ Math.imul(i, 0x9e3779b1)) >>> 0).uint32() % 1_000_000;
}
