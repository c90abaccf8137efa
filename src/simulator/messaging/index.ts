// Customer conversations in the simulator (Messaging Conversations API, seed 004): wires the
// conversations, routing, REST routes, notifications, control interface and customer traffic
// together, for startSimulator() to mount.
import type { ApiRoute, Caller, SimCore } from '../context.ts';
import type { ControlRoute } from '../control/routes.ts';
import type { Prng } from '../prng.ts';
import type { MessagingOptions } from '../types.ts';
import { ClientScopes } from './access.ts';
import { agentRoutes, genericConversationRoute } from './agent-routes.ts';
import type { MessagingContext } from './context.ts';
import type { MessagingControl } from './control.ts';
import { createMessagingControl } from './control.ts';
import { messagingControlRoutes } from './control-routes.ts';
import { buildIntegration } from './demo.ts';
import { inboundRoutes } from './inbound.ts';
import { messagingTopicDecision, startMessagingPublisher } from './publisher.ts';
import { Routing } from './routing.ts';
import { MessagingStore } from './store.ts';
import { CustomerTraffic } from './traffic.ts';

export type { MessagingControl, ControlConversation, ControlParticipant, CustomerInput } from './control.ts';

export const DEFAULT_ALERTING_TIMEOUT_MS = 30_000;

export interface Messaging {
  /** API routes, declared after the chat routes (the generic conversation route comes last). */
  apiRoutes: ApiRoute[];
  controlRoutes: ControlRoute[];
  control: MessagingControl;
  /** Customer traffic, started and stopped with the demo org's traffic. */
  traffic: CustomerTraffic;
  /** The notification hub's hook: a decision on messaging topics, undefined for other topics. */
  topicDecision: (caller: Caller, topic: string) => string | null | undefined;
  close: () => void;
}

function checkOptions(options: MessagingOptions): void {
  const ms = options.alertingTimeoutMs;
  if (ms !== undefined && (!Number.isInteger(ms) || ms < 1 || ms > 86_400_000)) {
    throw new RangeError(
      `startSimulator: 'messaging.alertingTimeoutMs' must be an integer between 1 and 86400000 (got ${String(ms)}).`,
    );
  }
  if (
    options.bulkOrder !== undefined &&
    options.bulkOrder !== 'newest-first' &&
    options.bulkOrder !== 'oldest-first'
  ) {
    throw new RangeError("startSimulator: 'messaging.bulkOrder' must be 'newest-first' or 'oldest-first'.");
  }
}

export function createMessaging(
  core: SimCore,
  rng: Prng,
  options: MessagingOptions = {},
  clientScopes: Record<string, readonly string[]> = {},
): Messaging {
  checkOptions(options);
  const chat = core.store;
  const userId = (ref: string): string => {
    const user = chat.findUser(ref);
    if (!user) throw new RangeError(`startSimulator: no demo user matches '${ref}' (messaging options).`);
    return user.id;
  };
  const store = new MessagingStore(core.clock, rng.fork(1));
  const integration = buildIntegration(rng.fork(2), Date.now(), core.demoUserId);
  store.integrations.set(integration.id, integration);
  for (const ref of options.agents ?? [core.demoUserId]) store.permitted.add(userId(ref));
  const user = (id: string): { id: string; name: string } | undefined => {
    const u = chat.user(id);
    return u ? { id: u.id, name: u.name } : undefined;
  };
  const routing = new Routing(store, user, {
    alertingTimeoutMs: options.alertingTimeoutMs ?? DEFAULT_ALERTING_TIMEOUT_MS,
  });
  routing.onError = (err) => core.reportBug('messaging offer timeout', err);
  const ctx: MessagingContext = {
    store,
    routing,
    scopes: new ClientScopes(clientScopes),
    settings: {
      agentUserId: options.agent === undefined ? core.demoUserId : userId(options.agent),
      textBody: options.textBody ?? false,
      bulkOrder: options.bulkOrder ?? 'newest-first',
    },
    integration,
    user,
  };
  const unsubscribe = startMessagingPublisher(store, core.channels, (err) =>
    core.reportBug('messaging notification delivery', err),
  );
  const traffic = new CustomerTraffic(ctx, rng.fork(3), (err) => core.reportBug('customer traffic', err));
  return {
    apiRoutes: [...inboundRoutes(ctx), ...agentRoutes(ctx), genericConversationRoute(ctx)],
    controlRoutes: messagingControlRoutes,
    control: createMessagingControl(ctx, chat, traffic),
    traffic,
    topicDecision: (caller, topic) => messagingTopicDecision(ctx.scopes, caller, topic),
    close: () => {
      traffic.stop();
      routing.close();
      unsubscribe();
    },
  };
}
