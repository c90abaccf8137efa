// Builds the seeded demo org: users, group and adhoc rooms, 1on1s and several days of history.
import type { ChatRecord, RoomRecord } from '../model.ts';
import { USER_DOMAIN } from '../model.ts';
import type { Prng } from '../prng.ts';
import type { ChatStore } from '../store.ts';
import type { Theme } from './demo-content.ts';
import {
  DIRECTS,
  EMAIL_DOMAIN,
  EMOJIS,
  MENTION_DEMO,
  PEOPLE,
  REPLIES,
  ROOMS,
  THEMES,
} from './demo-content.ts';
import { fillTemplate, firstName } from './phrases.ts';

export interface DemoOrg {
  demoUserId: string;
  /** Person key (e.g. 'priya') to user id. */
  userIds: Map<string, string>;
  rooms: Map<string, RoomRecord>;
  /** Chat key to the theme its messages are drawn from. */
  themes: Map<string, Theme>;
}

interface Spec {
  chat: ChatRecord;
  index: number;
  dateMs: number;
  sender: string;
  body: string;
  mentions: string[];
  replyTo: Spec | undefined;
  reactions: Map<string, string[]>;
  editedAfterMs: number | undefined;
  deleted: boolean;
  messageId?: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const HISTORY_DAYS = 4;

function emailFor(name: string): string {
  return `${name
    .toLowerCase()
    .replace(/[^a-z ]/g, '')
    .replace(/ +/g, '.')}@${EMAIL_DOMAIN}`;
}

/**
 * A date in the previous few days, as a fixed (seeded) offset before `startMs`, weighted towards
 * the recent past. Dates depend only on the seed and the start time, so the history (and the order
 * ids are drawn in) is identical for a seed whatever the time of day.
 */
function pastTime(rng: Prng, startMs: number): number {
  const offset = Math.floor(Math.pow(rng.next(), 1.7) * HISTORY_DAYS * DAY);
  return startMs - 90_000 - offset;
}

export function buildDemoOrg(store: ChatStore, rng: Prng, startMs: number): DemoOrg {
  const userIds = new Map<string, string>();
  for (const person of PEOPLE) {
    const id = rng.uuid();
    userIds.set(person.key, id);
    const user = {
      id,
      name: person.name,
      email: emailFor(person.name),
      title: person.title,
      department: person.department,
      jid: `${rng.hex(24)}@${USER_DOMAIN}`,
      presence: person.presence,
      ...(person.presenceMessage ? { presenceMessage: person.presenceMessage } : {}),
    };
    store.addUser(user);
  }
  const uid = (key: string): string => userIds.get(key) as string;
  const demoUserId = uid(PEOPLE[0]?.key ?? 'alex');
  const names = PEOPLE.slice(1).map((p) => firstName(p.name));
  const demoName = store.user(demoUserId)?.name ?? 'Alex';

  const rooms = new Map<string, RoomRecord>();
  const themes = new Map<string, Theme>();
  const specs: Spec[] = [];

  const generate = (
    chat: ChatRecord,
    theme: Theme,
    count: number,
    posters: string[],
    members: string[],
  ): void => {
    const times = Array.from({ length: count }, () => pastTime(rng, startMs)).sort((a, b) => a - b);
    const mine: Spec[] = [];
    const demoMember = members.includes(demoUserId);
    times.forEach((dateMs, index) => {
      const demoShare = chat.kind === 'direct' ? 0.45 : theme === 'announcements' ? 0 : 0.2;
      const colleagues = posters.filter((p) => p !== demoUserId);
      const demoPosts = demoMember && posters.includes(demoUserId) && rng.chance(demoShare);
      const sender = demoPosts ? demoUserId : rng.pick(colleagues.length > 0 ? colleagues : posters);
      const roots = mine.filter((s) => !s.replyTo).slice(-12);
      let replyTo: Spec | undefined;
      let body: string;
      const mentions: string[] = [];
      if (chat.kind === 'room' && index >= 5 && roots.length > 0 && rng.chance(0.18)) {
        replyTo = rng.pick(roots);
        body = fillTemplate(rng.pick(REPLIES), rng, names);
      } else if (chat.kind === 'room' && demoMember && sender !== demoUserId && rng.chance(0.12)) {
        mentions.push(demoUserId);
        body = `@${demoName} ${fillTemplate(rng.pick(MENTION_DEMO), rng, names)}`;
      } else {
        body = fillTemplate(rng.pick(THEMES[theme]), rng, names);
        const others = members.filter((m) => m !== sender && m !== demoUserId);
        if (chat.kind === 'room' && others.length > 0 && rng.chance(0.08)) {
          const target = rng.pick(others);
          mentions.push(target);
          body = `@${store.user(target)?.name ?? ''} ${body}`;
        }
      }
      if (chat.kind === 'room' && theme === 'announcements' && index === count - 1) body += ' @all';
      const reactions = new Map<string, string[]>();
      if (rng.chance(sender === demoUserId ? 0.55 : 0.25)) {
        for (const reactor of rng.sample(
          members.filter((m) => m !== sender),
          rng.int(1, 3),
        )) {
          reactions.set(reactor, [rng.pick(EMOJIS)]);
        }
      }
      const spec: Spec = {
        chat,
        index,
        dateMs,
        sender,
        body,
        mentions,
        replyTo,
        reactions,
        editedAfterMs: rng.chance(0.05) ? rng.int(30_000, 600_000) : undefined,
        deleted: false,
      };
      mine.push(spec);
    });
    // A couple of deleted messages (leaves, never thread roots).
    for (const spec of mine)
      if (spec.replyTo === undefined && !mine.some((s) => s.replyTo === spec)) {
        if (rng.chance(0.015)) spec.deleted = true;
      }
    specs.push(...mine);
  };

  for (const def of ROOMS) {
    const members = def.members.map(uid);
    const room = store.createRoom({
      id: rng.uuid(),
      jidLocal: def.roomType === 'adhoc' ? `adhoc-${rng.hex(24)}` : rng.hex(24),
      roomType: def.roomType,
      name: def.name,
      subject: def.name,
      description: def.description,
      owners: def.owners.map(uid),
      participants: members,
      createdMs: startMs - rng.int(20, 90) * DAY,
    });
    rooms.set(def.key, room);
    themes.set(room.key, def.theme);
    const posters = (def.posters ?? def.members).map(uid);
    generate(room, def.theme, def.messages + rng.int(-3, 3), posters, members);
  }

  const directs: { chat: ChatRecord; closedBy?: string; pins: number }[] = [];
  for (const def of DIRECTS) {
    const chat = store.ensureDirect(uid(def.a), uid(def.b));
    themes.set(chat.key, 'direct');
    const members = [uid(def.a), uid(def.b)];
    generate(chat, 'direct', def.messages + rng.int(-2, 2), members, members);
    directs.push({ chat, pins: def.pins ?? 0, ...(def.closedByA ? { closedBy: uid(def.a) } : {}) });
  }

  // Insert in global date order, with unique dates (bumped by 1 ms on collision).
  specs.sort(
    (a, b) =>
      a.dateMs - b.dateMs ||
      (a.chat.key < b.chat.key ? -1 : a.chat.key > b.chat.key ? 1 : 0) ||
      a.index - b.index,
  );
  let previous = -Infinity;
  for (const spec of specs) {
    if (spec.dateMs <= previous) spec.dateMs = previous + 1;
    previous = spec.dateMs;
    const record = store.postMessage(
      spec.chat,
      spec.sender,
      { body: spec.body, mentions: spec.mentions, threadId: spec.replyTo?.messageId },
      { dateMs: spec.dateMs, silent: true },
    );
    spec.messageId = record.id;
    for (const [reactor, emojis] of spec.reactions)
      store.setReactions(record, reactor, emojis, { silent: true });
    if (spec.editedAfterMs !== undefined) {
      const editedMs = Math.min(spec.dateMs + spec.editedAfterMs, startMs - 1000);
      store.editMessage(
        record,
        spec.sender,
        { body: `${spec.body} (edited)`, mentions: spec.mentions },
        { dateMs: Math.max(editedMs, spec.dateMs + 1), silent: true },
      );
    }
  }
  for (const spec of specs) {
    const record = spec.deleted && spec.messageId ? store.message(spec.messageId) : undefined;
    if (record) store.deleteMessage(record, spec.sender, { silent: true });
  }

  // Pins: a few roots per chat.
  const pinSome = (chat: ChatRecord, count: number): void => {
    if (count <= 0) return;
    const roots = chat.messages.filter((m) => !m.deleted && m.threadId === m.id);
    store.pin(
      chat,
      rng.sample(roots, count).map((m) => m.id),
    );
  };
  for (const def of ROOMS) pinSome(rooms.get(def.key) as RoomRecord, def.pins);
  for (const direct of directs) {
    pinSome(direct.chat, direct.pins);
    if (direct.closedBy && direct.chat.kind === 'direct') {
      store.closeDirect(
        direct.closedBy,
        direct.chat,
        Math.min((direct.chat.lastMessageMs ?? startMs) + HOUR, startMs),
      );
    }
  }

  return { demoUserId, userIds, rooms, themes };
}
