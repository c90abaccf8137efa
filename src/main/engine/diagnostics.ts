// The diagnostics report a user can copy for us when notifications do not come from a real org:
// versions, where the app connects, how the connection went, what the server said of each topic,
// and every wire surprise with its shape. It must never carry a token, a message text, a name or an
// id: everything in it is a count, a time, a fixed vocabulary word, a shape (field names and types),
// or server text passed through `scrubReason`.
import type { NetworkReport } from '../net/network.ts';
import { arch, release } from 'node:os';
import type { Surprise } from '../genesys/wire-stats.ts';
import type { Environment } from '../genesys/environment.ts';

export interface TopicCounts {
  Permitted: number;
  Rejected: number;
  Unconfirmed: number;
}

export interface WatchDiagnostics {
  /** What the last subscription answer said, per topic family (`room`, `badge`, `other`). */
  topics: {
    requested: number;
    byFamily: Record<string, TopicCounts>;
    /** Rooms left out by the 1000-topic cap (on the badge path). */
    overflow: number;
    rejectionReasons: { reason: string; count: number }[];
    missingPermissions: string[];
  };
  push: {
    channelsOpened: number;
    lastUpAt: number | null;
    systemNotices: Record<string, number>;
    /** Chats read over REST because an event on their topic could not be read. */
    chatsRecovered: number;
  };
}

export interface DiagnosticsReport {
  generatedAt: string;
  app: { name: string; version: string };
  platform: { os: string; release: string; arch: string; node: string; electron?: string; chrome?: string };
  environment: { kind: 'region' | 'custom' | 'demo'; host: string };
  connection: { state: string; lastSyncAt: string | null; history: { at: string; state: string }[] };
  push: Omit<WatchDiagnostics['push'], 'lastUpAt'> & { lastUpAt: string | null };
  topics: WatchDiagnostics['topics'];
  wire: { total: number; surprises: (Omit<Surprise, 'lastAt'> & { lastAt: string })[] };
  /** The proxy in effect for each host and the certificate stores read (net/network.ts `report`). */
  network?: NetworkReport;
}

/** Words a rejection reason may keep capitalised (the service's vocabulary, not people's names). */
const VOCABULARY = new Set(
  [
    'User Users Group Adhoc Room Rooms Chat Chats Topic Topics Channel Permitted Rejected Permission',
    'Permissions Missing Not Invalid Unknown Unsupported Requires Required The A An No This You Your',
    'Only Cannot Unable Access Denied Forbidden OAuth Client Token Subscription Notification',
    'Notifications Genesys Cloud Organization Division Is Are For Of To In',
  ]
    .join(' ')
    .split(' '),
);

/**
 * Server text (a topic's `rejectionReason`) made safe to share: quoted parts dropped, anything
 * that looks like an id, a jid, an email, a topic or a number becomes `{id}`, capitalised words
 * that are not the service's vocabulary (a room or person's name) become `{name}`. Bounded.
 */
export function scrubReason(text: string): string {
  const unquoted = text.slice(0, 500).replace(/(["'‘’“”`]).*?\1/g, '…');
  const words = unquoted.split(/(\s+)/).map((token) => {
    if (/^\s*$/.test(token)) return token;
    const core = token.replace(/^[([{<]+|[)\]}>.,;:!?]+$/g, '');
    if (core === '' || core === '…') return token;
    if (/[\d@/\\_.\-:#=+%]/.test(core) || /^[a-f]{8,}$/i.test(core)) return token.replace(core, '{id}');
    if (/^[A-Z]/.test(core) && !VOCABULARY.has(core)) return token.replace(core, '{name}');
    if (!/^[A-Za-z]+$/.test(core)) return token.replace(core, '{id}');
    return token;
  });
  return words.join('').replace(/\s+/g, ' ').trim().slice(0, 160);
}

/** A permission name (`chat:chat:access`) may be shown; anything else is dropped. */
export function safePermission(name: string): string | undefined {
  return /^[a-zA-Z]+(:[a-zA-Z*]+){1,3}$/.test(name) && name.length <= 80 ? name : undefined;
}

/** The last state changes of the connection, with their times. */
export class ConnectionHistory {
  private readonly items: { at: number; state: string }[] = [];
  private readonly max: number;

  constructor(max = 20) {
    this.max = max;
  }

  note(state: string, at: number): void {
    if (this.items.at(-1)?.state === state) return;
    this.items.push({ at, state });
    if (this.items.length > this.max) this.items.shift();
  }

  list(): { at: number; state: string }[] {
    return this.items.map((i) => ({ ...i }));
  }
}

export interface DiagnosticsInput {
  about: { name: string; version: string };
  env: Environment;
  demo: boolean;
  now: number;
  state: string;
  lastSyncAt: number | null;
  history: { at: number; state: string }[];
  watch: WatchDiagnostics | null;
  surprises: Surprise[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function buildDiagnostics(input: DiagnosticsInput): DiagnosticsReport {
  const watch = input.watch ?? emptyWatch();
  return {
    generatedAt: iso(input.now),
    app: { name: input.about.name.slice(0, 80), version: input.about.version.slice(0, 40) },
    platform: {
      os: process.platform,
      release: release(),
      arch: arch(),
      node: process.versions.node,
      ...(process.versions.electron ? { electron: process.versions.electron } : {}),
      ...(process.versions.chrome ? { chrome: process.versions.chrome } : {}),
    },
    environment: {
      kind: input.demo ? 'demo' : input.env.custom ? 'custom' : 'region',
      host: hostOf(input.env.apiBase),
    },
    connection: {
      state: input.state,
      lastSyncAt: input.lastSyncAt === null ? null : iso(input.lastSyncAt),
      history: input.history.map((h) => ({ at: iso(h.at), state: h.state })),
    },
    push: { ...watch.push, lastUpAt: watch.push.lastUpAt === null ? null : iso(watch.push.lastUpAt) },
    topics: watch.topics,
    wire: {
      total: input.surprises.reduce((n, s) => n + s.count, 0),
      surprises: input.surprises.map((s) => ({ ...s, lastAt: iso(s.lastAt) })),
    },
  };
}

/** The report as the text a user copies: indented JSON. */
export function diagnosticsText(report: DiagnosticsReport): string {
  return JSON.stringify(report, null, 2);
}

export function emptyWatch(): WatchDiagnostics {
  return {
    topics: { requested: 0, byFamily: {}, overflow: 0, rejectionReasons: [], missingPermissions: [] },
    push: { channelsOpened: 0, lastUpAt: null, systemNotices: {}, chatsRecovered: 0 },
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unknown';
  }
}
