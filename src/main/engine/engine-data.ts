// The engine's persisted state of one account: the ledger, the held queue, the inbox, the chat
// previews, the roster, the user's Genesys settings and the last catch-up time. Taken up from the
// store when the owner is known, started fresh when another account signs in, written back whole.
import type { Me } from '../genesys/chat-api.ts';
import type { RosterEntry } from '../genesys/mappers.ts';
import type { AppStore } from '../store/store.ts';
import { EngineStateSchema, type EngineState } from '../store/schema.ts';
import { HeldQueue } from './digest.ts';
import { Inbox } from './inbox.ts';
import { LastMessages } from './last-messages.ts';
import { Ledger } from './ledger.ts';
import type { ServerSettings } from './model.ts';
import { OldestFirst } from './oldest-first.ts';
import { errorText } from '../../shared/errors.ts';

/** The roster loaded from the store belongs to the chat source (the only one the store knows). */
const STORED_ROSTER_SOURCE = 'chats';
/** Reactions remembered as decided, so none is told twice (each key is one user's emoji on a message). */
const REACTION_KEYS_LIMIT = 2000;

export class EngineData {
  /** Whose state is in memory: a known account, even before connecting. */
  ownerId: string | null = null;
  ledger = new Ledger();
  held = new HeldQueue();
  inbox = new Inbox();
  lastMessages = new LastMessages();
  /** Reactions already decided (`reactionKey`), the oldest forgotten past REACTION_KEYS_LIMIT. */
  readonly reactionsSeen = new Set<string>();
  private readonly reactionsTrim = new OldestFirst(this.reactionsSeen, REACTION_KEYS_LIMIT);
  server: ServerSettings | null = null;
  /** When the chat source's last catch-up started reading (it passes it back on start). */
  syncedAt: number | null = null;
  /** Each source's roster, by source id; `roster` is their union. */
  private rosters = new Map<string, RosterEntry[]>();
  private all = new Map<string, RosterEntry>();
  private readonly store: AppStore;
  private readonly envId: string;
  private readonly log: (message: string) => void;

  constructor(store: AppStore, envId: string, log: (message: string) => void) {
    this.store = store;
    this.envId = envId;
    this.log = log;
  }

  /** Forgets the oldest decided reactions past the limit. */
  trimReactions(): void {
    this.reactionsTrim.trim();
  }

  /** Every source's conversations by id. */
  get roster(): ReadonlyMap<string, RosterEntry> {
    return this.all;
  }

  /** A source's whole roster (it replaces the one it gave before). */
  setRoster(sourceId: string, entries: RosterEntry[]): void {
    this.rosters.set(sourceId, entries);
    this.all = new Map([...this.rosters.values()].flat().map((e) => [e.chat.id, e]));
  }

  /**
   * The roster a source had when its last run ended (for chats, also the one the store kept): the
   * state of the account in memory only, which `takeUp` starts fresh for another account.
   */
  rosterOf(sourceId: string): RosterEntry[] {
    return this.rosters.get(sourceId) ?? [];
  }

  /** The account the store holds for this environment, if any and not already in memory. */
  knownOwner(): string | null {
    const owner = this.store.get('engine').owner;
    if (!owner || owner.environment !== this.envId || this.ownerId === owner.userId) return null;
    this.loadOwn(this.store.get('engine'));
    this.ownerId = owner.userId;
    return owner.userId;
  }

  /** Takes up `me`'s state from the store, or starts it fresh when the store holds another's. */
  takeUp(me: Me): void {
    const engine = this.store.get('engine');
    const owner = { userId: me.id, environment: this.envId };
    this.ownerId = me.id;
    if (engine.owner?.userId === owner.userId && engine.owner.environment === owner.environment) {
      this.loadOwn(engine);
      return;
    }
    if (engine.owner) this.log('engine: a different account signed in; starting its state fresh');
    this.store.update('engine', () => ({ ...EngineStateSchema.parse({}), owner }));
    this.ledger = new Ledger();
    this.held = new HeldQueue();
    this.inbox = new Inbox();
    this.lastMessages = new LastMessages();
    this.reactionsSeen.clear();
    this.rosters = new Map();
    this.all = new Map();
    this.server = null;
    this.syncedAt = null;
  }

  private loadOwn(engine: EngineState): void {
    const loadedLedger = Ledger.fromJSON(
      engine.ledger ?? { version: 1, cursors: {}, seen: [], notified: [], pending: [] },
    );
    if (loadedLedger.issue && engine.ledger) this.log(`engine: ${loadedLedger.issue}`);
    this.ledger = loadedLedger.ledger;
    const loadedHeld = HeldQueue.fromJSON(engine.held ?? { version: 1, items: [] });
    if (loadedHeld.issue && engine.held) this.log(`engine: ${loadedHeld.issue}`);
    this.held = loadedHeld.queue;
    this.inbox = Inbox.fromJSON(engine.inbox, (m) => this.log(m));
    this.lastMessages = LastMessages.fromJSON(engine.lastMessages);
    this.reactionsSeen.clear();
    for (const key of engine.reactionsTold)
      if (typeof key === 'string' && key.length <= 2048) this.reactionsSeen.add(key);
    this.trimReactions();
    this.syncedAt = engine.syncedAt;
    this.server = engine.settings ?? this.server;
    this.rosters = new Map();
    this.setRoster(
      STORED_ROSTER_SOURCE,
      engine.roster.map((r) => ({
        chat: { id: r.id, kind: r.kind, jid: r.jid, name: r.name },
        open: true,
        ...(r.kind === 'room' && r.room ? { room: r.room } : {}),
        ...(r.dateLastMessage !== undefined ? { lastMessageAt: r.dateLastMessage } : {}),
      })),
    );
  }

  /** Writes the whole state (for the account in memory); a failure is logged, never thrown. */
  save(): void {
    if (!this.ownerId) return;
    try {
      this.store.patch('engine', {
        settings: this.server,
        ledger: this.ledger.toJSON(),
        held: this.held.toJSON(),
        inbox: this.inbox.toJSON(),
        lastMessages: this.lastMessages.toJSON(),
        reactionsTold: [...this.reactionsSeen],
        syncedAt: this.syncedAt,
        // Collaborate chats only: customer conversations are listed again over REST at every start.
        roster: [...this.all.values()].flatMap(({ chat, room, lastMessageAt }) =>
          chat.kind === 'customer'
            ? []
            : [
                {
                  id: chat.id,
                  kind: chat.kind,
                  jid: chat.jid,
                  name: chat.name,
                  ...(chat.kind === 'room' && room ? { room } : {}),
                  ...(lastMessageAt !== undefined ? { dateLastMessage: lastMessageAt } : {}),
                },
              ],
        ),
      });
    } catch (err) {
      this.log(`engine: could not save its state: ${errorText(err)}`);
    }
  }
}
