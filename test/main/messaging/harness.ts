// Test wiring of the messaging source against the simulator over real sockets: its own notification
// channel (until the engine routes frames), every frame fed to `handleFrame`, and a consumer that does
// what the engine's pipeline does with a batch: the real Ledger gates created events (exactly once),
// the messaging rules decide, deletes withdraw.
import { Ledger } from '../../../src/main/engine/ledger.ts';
import type { DecisionContext } from '../../../src/main/engine/rules.ts';
import { defaultServerSettings } from '../../../src/main/engine/model.ts';
import { MessagingApi } from '../../../src/main/genesys/messaging/api.ts';
import { WireStats } from '../../../src/main/genesys/wire-stats.ts';
import { decideCustomerEvent } from '../../../src/main/messaging/rules.ts';
import { MessagingSource } from '../../../src/main/messaging/source.ts';
import type {
  CustomerMessage,
  MessagingAvailability,
  MessagingBatch,
} from '../../../src/main/messaging/types.ts';
import type { Simulator } from '../../../src/simulator/index.ts';
import { staticTokens } from '../../support/genesys.ts';
import { until } from '../../support/wait.ts';
import { RequestBudget } from '../../../src/main/genesys/budget.ts';
import { GenesysHttp } from '../../../src/main/genesys/http.ts';
import { call, SocketProbe } from '../../simulator/helpers.ts';

export interface Shown {
  kind: 'offer' | 'customer';
  message: CustomerMessage;
}

export interface SourceRig {
  source: MessagingSource;
  api: MessagingApi;
  ledger: Ledger;
  stats: WireStats;
  batches: MessagingBatch[];
  states: MessagingAvailability[];
  /** What the user was notified of, in order. */
  shown: Shown[];
  /** Message ids whose notification was withdrawn. */
  withdrawn: string[];
  log: string[];
  /** Connects a channel subscribed to `source.topics()`, feeding every frame to the source. */
  connect(token?: string): Promise<{ rejected: string[]; close: () => void }>;
  /** Waits for every frame handed to the source so far. */
  settle(): Promise<void>;
  /** Waits until a batch created `messageId` (`what` names the wait), then for every frame so far. */
  batchCreating(messageId: string, what: string): Promise<void>;
  context: DecisionContext;
}

export function sourceRig(
  sim: Simulator,
  opts: {
    user?: string;
    clientId?: string;
    ledger?: Ledger;
    /** Changes each event body before the source sees it (a shape the simulator does not send). */
    rewrite?: (body: unknown) => unknown;
    shownOffers?: () => { messageId: string; chatId: string }[];
    /** Replies an earlier run of the app sent (the engine gives the outbox's sent items). */
    sentByApp?: () => Iterable<string>;
    budget?: RequestBudget;
    offerTextWaitMs?: number;
  } = {},
): SourceRig {
  const user = opts.user ?? sim.demoUser.id;
  const log: string[] = [];
  const stats = new WireStats({ log: (m) => log.push(m) });
  const token = sim.control.actAs(user, opts.clientId ? { clientId: opts.clientId } : {}).accessToken;
  const http = new GenesysHttp({
    apiBase: sim.url,
    tokens: staticTokens(token),
    budget: opts.budget ?? new RequestBudget({ perMinute: 1000, userReserve: 100 }),
    backoffMs: { base: 10, cap: 50 },
    wireStats: stats,
  });
  const api = new MessagingApi(http);
  const source = new MessagingSource({
    api,
    me: user,
    log: (m) => log.push(m),
    surprise: (kind, value, detail) => stats.surprise(kind, value, detail),
    ...(opts.shownOffers ? { shownOffers: opts.shownOffers } : {}),
    ...(opts.sentByApp ? { sentByApp: opts.sentByApp } : {}),
    ...(opts.offerTextWaitMs !== undefined ? { offerTextWaitMs: opts.offerTextWaitMs } : {}),
  });
  const ledger = opts.ledger ?? new Ledger();
  const rig: SourceRig = {
    source,
    api,
    ledger,
    stats,
    batches: [],
    states: [],
    shown: [],
    withdrawn: [],
    log,
    context: {
      me: { id: user },
      server: defaultServerSettings,
      app: { chatMutes: {}, keywords: [] },
      now: Date.now(),
    },
    settle: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    batchCreating: async (messageId, what) => {
      await until(
        () =>
          rig.batches.some((b) => b.events.some((e) => e.type === 'created' && e.message.id === messageId)),
        what,
      );
      await rig.settle();
    },
    connect: async (connectToken = token) => {
      const channel = await call(sim, 'POST', '/api/v2/notifications/channels', { token: connectToken });
      const socket = new SocketProbe(channel.json.connectUri);
      socket.ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { topicName?: string; eventBody?: unknown };
        if (!frame.topicName || frame.topicName === 'channel.metadata') return;
        const body = opts.rewrite ? opts.rewrite(frame.eventBody) : frame.eventBody;
        const p = source.handleFrame(frame.topicName, body);
        pending.add(p);
        void p.finally(() => pending.delete(p));
      });
      await socket.opened;
      const topics = source.topics(user);
      const answer = await call(
        sim,
        'PUT',
        `/api/v2/notifications/channels/${channel.json.id}/subscriptions?ignoreErrors=true`,
        {
          token: connectToken,
          body: topics.map((id) => ({ id })),
        },
      );
      const rejected: string[] = [];
      for (const t of (answer.json.entities ?? []) as {
        id: string;
        state?: string;
        rejectionReason?: string;
      }[]) {
        source.topicState(t.id, t.state ?? 'Permitted', t.rejectionReason);
        if (t.state === 'Rejected') rejected.push(t.id);
      }
      return { rejected, close: () => socket.close() };
    },
  };
  const pending = new Set<Promise<void>>();
  source.on('state', (s) => rig.states.push(s));
  source.on('batch', (batch) => {
    rig.batches.push(batch);
    for (const event of batch.events) {
      if (event.type === 'deleted') {
        rig.ledger.withdraw(event.messageId);
        rig.withdrawn.push(event.messageId);
        continue;
      }
      if (!rig.ledger.shouldProcess(event.message)) continue;
      rig.ledger.markProcessed(event.message);
      const decision = decideCustomerEvent(event, { ...rig.context, now: Date.now() });
      if (decision.action === 'notify') rig.shown.push({ kind: decision.kind, message: event.message });
    }
  });
  return rig;
}
