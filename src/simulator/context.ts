// The simulator's shared state and the request/route types every API module uses.
import type { IncomingMessage } from 'node:http';
import type { AccessTokenRecord, TokenStore } from './auth/tokens.ts';
import type { Clock } from './clock.ts';
import type { Faults } from './faults.ts';
import type { RouteDef } from './http/router.ts';
import type { ChannelRegistry } from './notifications/channels.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { RequestLog } from './request-log.ts';
import type { ChatStore } from './store.ts';
import type { ResolvedOptions } from './types.ts';
import { userContextRequired } from './http/errors.ts';

/**
 * A decision on a notification topic outside the chat families (messaging): a rejection reason,
 * null when permitted, or undefined when the topic is not one the policy knows.
 */
export type TopicPolicy = (caller: Caller, topic: string) => string | null | undefined;

export interface SimCore {
  options: ResolvedOptions;
  clock: Clock;
  store: ChatStore;
  tokens: TokenStore;
  channels: ChannelRegistry;
  rateLimiter: RateLimiter;
  faults: Faults;
  requestLog: RequestLog;
  demoUserId: string;
  /** `http://127.0.0.1:<port>` once listening. */
  baseUrl: string;
  port: number;
  /** Reports a genuine bug (unexpected exception); silent when `quiet`. */
  reportBug: (where: string, err: unknown) => void;
  /** Topic families beyond chat (hook for messaging), asked before the chat rules. */
  topicPolicies: TopicPolicy[];
}

export interface Caller {
  token: AccessTokenRecord;
  /** null for a client-credentials token. */
  userId: string | null;
  clientId: string;
}

export interface ApiRequest {
  core: SimCore;
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body for routes declared with `body: 'json'`, else undefined. */
  body: unknown;
  caller: Caller;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiRoute extends RouteDef {
  body?: 'json';
  handler: (request: ApiRequest) => ApiResponse | Promise<ApiResponse>;
}

export const ok = (body: unknown): ApiResponse => ({ status: 200, body });
export const noContent = (): ApiResponse => ({ status: 204 });

/** The caller's user id; client-credentials tokens are refused with a Genesys-style 400. */
export function requireUserId(caller: Caller): string {
  if (caller.userId === null) throw userContextRequired();
  return caller.userId;
}
