// Public entry point: startSimulator() runs an embedded Genesys Cloud (OAuth, Chat API, notifications).
import type { AddressInfo } from 'node:net';
import { ChannelRegistry } from './notifications/channels.ts';
import { ChatStore } from './store.ts';
import { Clock } from './clock.ts';
import type { SimCore } from './context.ts';
import { createControl } from './control/control.ts';
import type { SimControl } from './control/control.ts';
import { controlRoutes } from './control/routes.ts';
import { Faults } from './faults.ts';
import { messageRoutes } from './api/messages-routes.ts';
import { createMessaging } from './messaging/index.ts';
import { notificationRoutes } from './notifications/routes.ts';
import { createSocketEndpoint } from './notifications/socket.ts';
import { startPublisher } from './notifications/publisher.ts';
import { resolveOptions } from './options.ts';
import { buildDemoOrg } from './org/demo-org.ts';
import { Prng } from './prng.ts';
import { RateLimiter } from './rate-limit.ts';
import { RequestLog } from './request-log.ts';
import { roomRoutes } from './api/rooms-routes.ts';
import { settingsRoutes } from './api/settings-routes.ts';
import { simUser } from './serialize.ts';
import { createSimulatorServer } from './server.ts';
import { TokenStore } from './auth/tokens.ts';
import { TrafficGenerator } from './traffic.ts';
import { userRoutes } from './api/users-routes.ts';
import type { SimUser, SimulatorOptions } from './types.ts';

export type * from './types.ts';
export type { WireVariants } from './variants.ts';
export type { SimControl, ControlChat, ControlChannel, IssuedToken, PostInput } from './control/control.ts';
export { CONTROL_TOKEN_HEADER } from './http/guard.ts';
export type {
  MessagingControl,
  ControlConversation,
  ControlParticipant,
  CustomerInput,
} from './messaging/index.ts';

export interface Simulator {
  /** `http://127.0.0.1:<port>` (`https://localhost:<port>` with `tls`): login and API share this origin. */
  url: string;
  port: number;
  /** The default login. */
  demoUser: { id: string; name: string; email: string };
  /** This run's control token: the control interface (/_sim) needs it in `x-sim-control-token`. */
  controlToken: string;
  users: SimUser[];
  control: SimControl;
  /** Stops the server, sockets and timers. */
  close: () => Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const resolved = resolveOptions(options);
  const root = new Prng(resolved.seed);
  const orgRng = root.fork(1);
  const idRng = root.fork(2);
  const trafficRng = root.fork(3);
  const bulkRng = root.fork(4);
  const messagingRng = root.fork(5);

  const clock = new Clock();
  const store = new ChatStore(clock, idRng);
  const org = buildDemoOrg(store, orgRng, Date.now());
  const tokens = new TokenStore(resolved.tokenLifetimeSeconds);
  const channels = new ChannelRegistry(tokens, clock, {
    lifetimeMs: resolved.channelLifetimeMs,
    heartbeatIntervalMs: resolved.heartbeatIntervalMs,
  });
  tokens.onInvalidated = (records) => channels.onTokensInvalidated(records);

  const core: SimCore = {
    options: resolved,
    clock,
    store,
    tokens,
    channels,
    rateLimiter: new RateLimiter(resolved.rateLimitPerMinute),
    faults: new Faults(),
    requestLog: new RequestLog(),
    demoUserId: org.demoUserId,
    baseUrl: '',
    port: 0,
    reportBug: (where, err) => {
      if (!resolved.quiet) console.error(`[genesys-simulator] unexpected error in ${where}:`, err);
    },
    topicPolicies: [],
  };

  const unsubscribe = startPublisher(store, channels, core.faults, (err) =>
    core.reportBug('notification delivery', err),
  );
  const traffic = new TrafficGenerator(store, trafficRng, org.demoUserId, org.themes, (err) =>
    core.reportBug('traffic generator', err),
  );
  // Hook: customer conversations (src/simulator/messaging/): routes, topics, control and traffic.
  const messaging = createMessaging(core, messagingRng, options.messaging, options.clientScopes);
  core.topicPolicies.push(messaging.topicDecision);
  traffic.followers.push(messaging.traffic);
  const control = createControl(core, traffic, bulkRng, messaging.control);
  const sockets = createSocketEndpoint(channels, (path, status) =>
    core.requestLog.add({
      at: new Date(clock.now()).toISOString(),
      receivedAt: Date.now(),
      method: 'GET',
      path,
      status,
      route: '/channels/:channelId',
    }),
  );
  const server = createSimulatorServer({
    core,
    control,
    sockets,
    controlRoutes: [...controlRoutes, ...messaging.controlRoutes],
    apiRoutes: [
      ...userRoutes,
      ...settingsRoutes,
      ...roomRoutes,
      ...messageRoutes,
      ...notificationRoutes,
      ...messaging.apiRoutes,
    ],
    ...(options.tls ? { tls: options.tls } : {}),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  core.port = port;
  // Over TLS the certificate names `localhost` (a host name, as a real service's would be).
  const origin = options.tls ? `localhost:${port}` : `127.0.0.1:${port}`;
  core.baseUrl = `${options.tls ? 'https' : 'http'}://${origin}`;
  channels.connectUri = (id) => `${options.tls ? 'wss' : 'ws'}://${origin}/channels/${id}`;

  if (options.traffic) traffic.start(typeof options.traffic === 'object' ? options.traffic : {});

  const demo = store.requireUser(org.demoUserId);
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      traffic.stop();
      messaging.close();
      unsubscribe();
      channels.closeAll();
      sockets.close();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    url: core.baseUrl,
    port,
    demoUser: { id: demo.id, name: demo.name, email: demo.email },
    controlToken: resolved.controlToken,
    users: [...store.users.values()].map(simUser),
    control,
    close,
  };
}
