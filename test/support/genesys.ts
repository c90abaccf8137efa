// Test wiring for the app's Genesys client against a running simulator: a token for any demo user
// and a ChatApi over real HTTP, with the same budget and retry code the app uses.
import { RequestBudget } from '../../src/main/genesys/budget.ts';
import { ChatApi } from '../../src/main/genesys/chat-api.ts';
import { GenesysHttp, type TokenSource } from '../../src/main/genesys/http.ts';
import type { Simulator } from '../../src/simulator/index.ts';

export function staticTokens(token: string): TokenSource {
  return {
    accessToken: async () => token,
    unauthorized: async () => {
      throw new Error('Sign in again.');
    },
  };
}

export function apiFor(
  sim: Simulator,
  user: string = sim.demoUser.id,
  opts: { perMinute?: number; userReserve?: number } = {},
): { api: ChatApi; http: GenesysHttp; budget: RequestBudget } {
  const { accessToken } = sim.control.actAs(user);
  const budget = new RequestBudget({
    perMinute: opts.perMinute ?? 1000,
    userReserve: opts.userReserve ?? 100,
  });
  const http = new GenesysHttp({
    apiBase: sim.url,
    tokens: staticTokens(accessToken),
    budget,
    backoffMs: { base: 10, cap: 50 },
  });
  return { api: new ChatApi(http), http, budget };
}
