// The simulator side of the benchmarks: a quiet simulator with the demo user in exactly N chats, and
// the rooms and colleagues to post notifiable messages as.
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.ts';

export async function quietSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ port: 0, seed: 1, quiet: true, ...options });
}

/** The demo user's chats as the simulator sees them (rooms and 1on1s, closed ones included). */
export function chatCount(sim: Simulator): number {
  return sim.control.chats(sim.demoUser.id).length;
}

/**
 * Puts the demo user in exactly `n` chats: leaves demo rooms (through the API, as the user would)
 * when the demo org has more, adds benchmark rooms (`bulkLoad`, one old message each) when fewer.
 */
export async function setChatCount(sim: Simulator, n: number): Promise<void> {
  const have = chatCount(sim);
  if (have < n) {
    sim.control.bulkLoad({ rooms: n - have, messagesPerRoom: 1 });
  } else if (have > n) {
    const token = sim.control.actAs(sim.demoUser.id).accessToken;
    const rooms = sim.control
      .chats(sim.demoUser.id)
      .filter((c) => c.kind === 'room' && c.jid)
      .slice(0, have - n);
    for (const room of rooms) {
      const res = await fetch(
        `${sim.url}/api/v2/chats/rooms/${encodeURIComponent(room.jid!)}/participants/${sim.demoUser.id}`,
        { method: 'DELETE', headers: { authorization: `Bearer ${token}` } },
      );
      if (res.status !== 204) throw new Error(`leaving ${room.name} answered HTTP ${res.status}`);
    }
  }
  const now = chatCount(sim);
  if (now !== n) throw new Error(`the demo user is in ${now} chats, not ${n}`);
}

export interface Target {
  /** What to pass to `control.post`. */
  post: { room?: string; toUser?: string; as: string };
  kind: 'room' | 'oneonone';
  label: string;
}

/**
 * Where colleagues can send the demo user something notifiable: every demo room with a colleague
 * in it (a mention), and every 1on1 (a direct message; posting reopens a closed one).
 */
export function notifiableTargets(sim: Simulator): Target[] {
  const me = sim.demoUser.id;
  const out: Target[] = [];
  for (const chat of sim.control.chats(me)) {
    const others = chat.participants.filter((p) => p !== me);
    if (chat.kind === 'room' && chat.jid) {
      for (const as of others.slice(0, 2))
        out.push({ post: { room: chat.jid, as }, kind: 'room', label: chat.name });
    } else if (chat.kind === 'oneonone' && others[0]) {
      out.push({ post: { toUser: me, as: others[0] }, kind: 'oneonone', label: chat.name });
    }
  }
  return out;
}

/** Posts a notifiable message to `target`: a mention in a room, plain text in a 1on1. */
export function postNotifiable(sim: Simulator, target: Target, text: string): string {
  const me = sim.demoUser;
  if (target.kind === 'room') {
    return sim.control.post({ ...target.post, body: `@${me.name} ${text}`, mentions: [me.id] }).id;
  }
  return sim.control.post({ ...target.post, body: text }).id;
}

/** The demo user's Genesys chat settings, read through the API as the engine reads them. */
export async function chatSettings(sim: Simulator): Promise<{ muted: boolean; mentionsOnly: boolean }> {
  const token = sim.control.actAs(sim.demoUser.id).accessToken;
  const res = await fetch(`${sim.url}/api/v2/chats/users/me/settings`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`reading the chat settings answered HTTP ${res.status}`);
  const body = (await res.json()) as { muted?: boolean; mentionsOnly?: boolean };
  return { muted: body.muted === true, mentionsOnly: body.mentionsOnly === true };
}
