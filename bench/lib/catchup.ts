// Catch-up after sleep: the headless runner watches 200 benchmark rooms (plus the demo org's chats);
// the machine "sleeps" (the process is frozen with SIGSTOP and the simulator drops its socket, as a
// suspended laptop loses its connection); colleagues post 10,000 messages across the 200 rooms; the
// machine "wakes" (SIGCONT, then the resync the desktop app sends on power resume). Measured from the
// wake-up to the notification that completes the backlog: requests the simulator received, the
// runner's CPU time (/proc/<pid>/stat) and peak RSS (VmHWM), and the notified message ids (digests
// included) against every message the rules say should notify.
import { cpuMs, memoryMb, startHeadless } from './child.ts';
import { chatSettings, quietSimulator } from './sim.ts';
import { log, round, sleep } from './util.ts';

export interface CatchupOptions {
  chats: number;
  messages: number;
  /** 'lifted': the simulator's rate limit is off; 'default': its 300 per token per minute. */
  limit: 'lifted' | 'default';
  timeoutMs: number;
}

export interface CatchupRun {
  limit: 'lifted' | 'default';
  chats: number;
  messages: number;
  requests: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  cpuMs: number;
  wallMs: number;
  /** From the wake-up until half of the messages had notified. */
  halfMs: number;
  peakRssMb: number;
  rssBeforeMb: number;
  sleepMs: number;
  /** The longest pause between two requests during the catch-up (the engine's budget waiting). */
  longestPauseMs: number;
  notifications: number;
  duplicates: number;
  missed: number;
  /** Notified ids that were not part of the backlog (history, or nothing the rules allow). */
  unexpected: number;
}

export async function measureCatchup(opts: CatchupOptions): Promise<CatchupRun> {
  const sim = await quietSimulator({ seed: 8 });
  if (opts.limit === 'lifted') sim.control.setRateLimit(null);
  const me = sim.demoUser;
  const jids = new Set(sim.control.bulkLoad({ rooms: opts.chats, messagesPerRoom: 1 }));
  const rooms = sim.control
    .chats(me.id)
    .filter((c) => c.jid !== undefined && jids.has(c.jid))
    .map((c) => ({ jid: c.jid!, colleagues: c.participants.filter((p) => p !== me.id) }));
  const settings = await chatSettings(sim);
  const child = startHeadless(sim.url);
  try {
    await child.waitForLine(
      (l) => l.type === 'state' && l.connection === 'push' && l.synced === true,
      'the headless runner to be connected and synced',
      60_000,
    );
    await sleep(3_000);
    const rssBefore = memoryMb(child.pid).rss;
    const cpu0 = cpuMs(child.pid);
    sim.control.clearRequests();
    const from = child.lines.length;

    // Asleep: the process is frozen and its socket is gone; the backlog piles up.
    process.kill(child.pid, 'SIGSTOP');
    const asleep = performance.now();
    sim.control.dropSockets();
    // Every message in these rooms is by a colleague, in a chat the runner has not muted (a fresh
    // data folder: no app mutes, quiet hours or do-not-disturb), so the user's chat settings decide:
    // muted, nothing notifies; mentions only, the mentions; otherwise every message.
    const expected = new Set<string>();
    const perChat = Math.ceil(opts.messages / rooms.length);
    let posted = 0;
    for (let i = 0; posted < opts.messages && i < perChat; i++) {
      for (const room of rooms) {
        if (posted >= opts.messages) break;
        const as = room.colleagues[i % room.colleagues.length]!;
        const mention = i % 10 === 0;
        const message = sim.control.post({
          as,
          room: room.jid,
          body: mention ? `@${me.name} backlog ${i}: please review` : `backlog ${i}: status update`,
          ...(mention ? { mentions: [me.id] } : {}),
        });
        posted++;
        if (!settings.muted && (mention || !settings.mentionsOnly)) expected.add(message.id);
      }
    }

    // Awake.
    process.kill(child.pid, 'SIGCONT');
    const woke = performance.now();
    const sleepMs = woke - asleep;
    child.send({ type: 'resync' });

    const seen = new Map<string, number>();
    let scanned = from;
    let remaining = expected.size;
    let lastAt = woke;
    let halfAt = Number.NaN;
    const deadline = woke + opts.timeoutMs;
    while (remaining > 0 && performance.now() < deadline) {
      await sleep(20);
      for (; scanned < child.lines.length; scanned++) {
        const { at, line } = child.lines[scanned]!;
        if (line.type !== 'notification') continue;
        for (const id of line.messageIds as string[]) {
          const n = (seen.get(id) ?? 0) + 1;
          seen.set(id, n);
          if (n === 1 && expected.has(id)) {
            remaining--;
            lastAt = at;
            if (Number.isNaN(halfAt) && remaining <= expected.size / 2) halfAt = at;
          }
        }
      }
    }
    if (remaining > 0) log(`catch-up (${opts.limit}): ${remaining} message(s) not notified in time`);
    // Anything late (a duplicate) would show up now.
    await sleep(3_000);
    const cpu = cpuMs(child.pid) - cpu0;
    const peak = memoryMb(child.pid).peak;
    for (; scanned < child.lines.length; scanned++) {
      const { line } = child.lines[scanned]!;
      if (line.type !== 'notification') continue;
      for (const id of line.messageIds as string[]) seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    const { counters, entries } = sim.control.requests();
    const times = entries.map((e) => e.receivedAt).sort((a, b) => a - b);
    const longestPauseMs = Math.max(0, ...times.slice(1).map((t, i) => t - times[i]!));
    let duplicates = 0;
    let unexpected = 0;
    for (const [id, n] of seen) {
      duplicates += n - 1;
      if (!expected.has(id)) unexpected++;
    }
    const notified = [...expected].filter((id) => seen.has(id)).length;
    return {
      limit: opts.limit,
      chats: rooms.length,
      messages: posted,
      requests: counters.total,
      byRoute: counters.byRoute,
      byStatus: counters.byStatus,
      cpuMs: Math.round(cpu),
      wallMs: Math.round(lastAt - woke),
      halfMs: Math.round(halfAt - woke),
      peakRssMb: round(peak),
      rssBeforeMb: round(rssBefore),
      sleepMs: Math.round(sleepMs),
      longestPauseMs,
      notifications: child.lines.slice(from).filter((l) => l.line.type === 'notification').length,
      duplicates,
      missed: expected.size - notified,
      unexpected,
    };
  } finally {
    await child.stop();
    await sim.close();
  }
}
