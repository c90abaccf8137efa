// Bulk history for benchmarks: many adhoc rooms with many messages, dated before all existing history.
import type { RoomRecord } from '../model.ts';
import type { Prng } from '../prng.ts';
import type { ChatStore } from '../store.ts';
import { THEMES } from './demo-content.ts';
import { fillTemplate } from './phrases.ts';

export interface BulkLoadOptions {
  rooms: number;
  messagesPerRoom: number;
  /** Milliseconds between consecutive bulk messages (default 1000). */
  spacingMs?: number;
}

/**
 * Creates `rooms` adhoc rooms (the demo user and two colleagues) with `messagesPerRoom` messages
 * each, silently (no events). Dates are unique and all earlier than any existing message, so live
 * dates stay strictly increasing. Message bodies come from a small pool of pre-filled templates, so
 * memory stays close to the cost of the message records themselves.
 */
export function bulkLoad(
  store: ChatStore,
  rng: Prng,
  demoUserId: string,
  options: BulkLoadOptions,
): RoomRecord[] {
  const spacing = options.spacingMs ?? 1000;
  const colleagues = [...store.users.keys()].filter((id) => id !== demoUserId);
  const names = [...store.users.values()].map((u) => u.name.split(' ')[0] ?? u.name);
  const pool = Array.from({ length: 256 }, () =>
    fillTemplate(rng.pick(THEMES.support.concat(THEMES.engineering)), rng, names),
  );
  let earliest = store.clock.lastMessageMs || store.clock.now();
  for (const chat of [...store.rooms.values(), ...store.directs.values()]) {
    const first = chat.messages[0];
    if (first && first.dateMs < earliest) earliest = first.dateMs;
  }
  const total = options.rooms * options.messagesPerRoom;
  const startMs = earliest - (total + 1) * spacing;
  const rooms: RoomRecord[] = [];
  for (let r = 0; r < options.rooms; r++) {
    const members = [demoUserId, ...rng.sample(colleagues, 2)];
    rooms.push(
      store.createRoom({
        id: store.newId(),
        jidLocal: `adhoc-${store.newHex(24)}`,
        roomType: 'adhoc',
        name: `Bulk room ${r + 1}`,
        owners: [demoUserId],
        participants: members,
        createdMs: startMs - spacing,
      }),
    );
  }
  let n = 0;
  for (let i = 0; i < options.messagesPerRoom; i++) {
    for (const room of rooms) {
      const members = [...room.participants];
      const sender = members[(i + n) % members.length] as string;
      store.postMessage(
        room,
        sender,
        { body: pool[n % pool.length] as string },
        { dateMs: startMs + n * spacing, silent: true },
      );
      n++;
    }
  }
  return rooms;
}
