// Keeps the demo alive: colleagues post, mention and DM the demo user, react and reply in threads.
import type { ChatRecord, MessageRecord, RoomRecord } from './model.ts';
import type { Prng } from './prng.ts';
import type { ChatStore } from './store.ts';
import type { TrafficOptions } from './types.ts';
import type { Theme } from './org/demo-content.ts';
import { DIRECT_TO_DEMO, EMOJIS, MENTION_DEMO, REPLIES, THEMES } from './org/demo-content.ts';
import { fillTemplate, firstName } from './org/phrases.ts';

export const DEFAULT_TRAFFIC: Required<TrafficOptions> = { minIntervalMs: 20_000, maxIntervalMs: 90_000 };

type Action = 'post' | 'mention' | 'dm' | 'react' | 'reply';
const WEIGHTS: [Action, number][] = [
  ['post', 35],
  ['mention', 15],
  ['dm', 15],
  ['react', 15],
  ['reply', 20],
];

export class TrafficGenerator {
  readonly #store: ChatStore;
  readonly #rng: Prng;
  readonly #demoUserId: string;
  readonly #themes: Map<string, Theme>;
  readonly #onError: (err: unknown) => void;
  #timer: NodeJS.Timeout | null = null;
  #options: Required<TrafficOptions> = { ...DEFAULT_TRAFFIC };
  /** Other traffic started and stopped with this one (customers of the messaging simulation). */
  readonly followers: { start: () => void; stop: () => void }[] = [];

  constructor(
    store: ChatStore,
    rng: Prng,
    demoUserId: string,
    themes: Map<string, Theme>,
    onError: (err: unknown) => void,
  ) {
    this.#store = store;
    this.#rng = rng;
    this.#demoUserId = demoUserId;
    this.#themes = themes;
    this.#onError = onError;
  }

  get running(): boolean {
    return this.#timer !== null;
  }

  get options(): Required<TrafficOptions> {
    return { ...this.#options };
  }

  start(options: TrafficOptions = {}): void {
    const min = Math.max(1, Math.trunc(options.minIntervalMs ?? DEFAULT_TRAFFIC.minIntervalMs));
    const max = Math.max(
      min,
      Math.trunc(options.maxIntervalMs ?? Math.max(min, DEFAULT_TRAFFIC.maxIntervalMs)),
    );
    this.#options = { minIntervalMs: min, maxIntervalMs: max };
    this.stop();
    this.#schedule();
    for (const follower of this.followers) follower.start();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    for (const follower of this.followers) follower.stop();
  }

  #schedule(): void {
    const delay = this.#rng.int(this.#options.minIntervalMs, this.#options.maxIntervalMs);
    this.#timer = setTimeout(() => {
      this.tick();
      if (this.#timer) this.#schedule();
    }, delay);
    this.#timer.unref();
  }

  /** Performs one generated action now and describes it (or returns null when nothing applied). */
  tick(): string | null {
    try {
      let total = 0;
      for (const [, w] of WEIGHTS) total += w;
      let roll = this.#rng.int(1, total);
      let action: Action = 'post';
      for (const [name, weight] of WEIGHTS) {
        roll -= weight;
        if (roll <= 0) {
          action = name;
          break;
        }
      }
      return this.#perform(action) ?? this.#perform('post');
    } catch (err) {
      this.#onError(err);
      return null;
    }
  }

  #names(): string[] {
    return [...this.#store.users.values()]
      .filter((u) => u.id !== this.#demoUserId)
      .map((u) => firstName(u.name));
  }

  #demoRooms(): RoomRecord[] {
    return this.#store
      .chatsOf(this.#demoUserId)
      .filter((c): c is RoomRecord => c.kind === 'room' && this.#colleaguesIn(c).length > 0);
  }

  #colleaguesIn(chat: ChatRecord): string[] {
    return [...this.#store.membersOf(chat)].filter((id) => id !== this.#demoUserId);
  }

  #perform(action: Action): string | null {
    const rng = this.#rng;
    const store = this.#store;
    const names = this.#names();
    const demo = store.user(this.#demoUserId);
    if (!demo) return null;
    switch (action) {
      case 'post':
      case 'mention': {
        const rooms = this.#demoRooms().filter(
          (r) => this.#themes.get(r.key) !== 'announcements' || rng.chance(0.1),
        );
        if (rooms.length === 0) return null;
        const room = rng.pick(rooms);
        const sender = rng.pick(this.#colleaguesIn(room));
        const theme = this.#themes.get(room.key) ?? 'support';
        if (action === 'mention') {
          const body = `@${demo.name} ${fillTemplate(rng.pick(MENTION_DEMO), rng, names)}`;
          store.postMessage(room, sender, { body, mentions: [demo.id] });
          return `mention in ${room.name}`;
        }
        store.postMessage(room, sender, { body: fillTemplate(rng.pick(THEMES[theme]), rng, names) });
        return `post in ${room.name}`;
      }
      case 'dm': {
        const colleagues = [...store.users.keys()].filter((id) => id !== demo.id);
        if (colleagues.length === 0) return null;
        const sender = rng.pick(colleagues);
        const chat = store.ensureDirect(sender, demo.id);
        store.postMessage(chat, sender, { body: fillTemplate(rng.pick(DIRECT_TO_DEMO), rng, names) });
        return `direct message from ${store.user(sender)?.name ?? sender}`;
      }
      case 'react': {
        const candidates: MessageRecord[] = [];
        for (const chat of store.chatsOf(demo.id)) {
          for (let i = chat.messages.length - 1, seen = 0; i >= 0 && seen < 30; i--, seen++) {
            const m = chat.messages[i] as MessageRecord;
            if (!m.deleted && m.senderId === demo.id) candidates.push(m);
          }
        }
        if (candidates.length === 0) return null;
        candidates.sort((a, b) => b.dateMs - a.dateMs);
        const message = rng.pick(candidates.slice(0, 10));
        const reactors = this.#colleaguesIn(message.chat);
        if (reactors.length === 0 || !store.orgSettings.reactionsEnabled) return null;
        const reactor = rng.pick(reactors);
        const mine = [...(message.reactions ?? [])]
          .filter(([, users]) => users.includes(reactor))
          .map(([e]) => e);
        store.setReactions(message, reactor, [...mine, rng.pick(EMOJIS)]);
        return `reaction on a message of ${demo.name}`;
      }
      case 'reply': {
        const rooms = this.#demoRooms();
        if (rooms.length === 0) return null;
        const room = rng.pick(rooms);
        const roots = room.messages.filter((m) => !m.deleted && m.threadId === m.id).slice(-20);
        if (roots.length === 0) return null;
        const root = rng.pick(roots);
        const sender = rng.pick(this.#colleaguesIn(room));
        store.postMessage(room, sender, {
          body: fillTemplate(rng.pick(REPLIES), rng, names),
          threadId: root.id,
        });
        return `thread reply in ${room.name}`;
      }
    }
  }
}
