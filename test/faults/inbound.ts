// The customers' messaging platform in a fault round: it posts to the simulator's inbound Open
// Messaging API (seed 004) over HTTP with a client-credentials token, as an Open Messaging
// integration does, and tries again after a 5xx or 429 with the same body (so with the same
// `channel.messageId`, which the API answers with the first message rather than a second one).
import type { Simulator } from '../../src/simulator/index.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const MAX_ATTEMPTS = 60;

export class CustomerPlatform {
  private readonly sim: Simulator;
  private readonly integrationId: string;
  private readonly token: string;

  constructor(sim: Simulator) {
    this.sim = sim;
    this.integrationId = sim.control.messaging.integration().id;
    this.token = sim.control.clientToken('open-messaging-integration').accessToken;
  }

  /** `message` (answered with the message and its conversation's id) or `receipt`. */
  async post(what: 'message' | 'receipt', body: unknown): Promise<{ json: unknown } | { error: string }> {
    const query = what === 'message' ? '?prefetchConversationId=true' : '';
    const url = `${this.sim.url}/api/v2/conversations/messages/${this.integrationId}/inbound/open/${what}${query}`;
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.ok) return { json: await res.json() };
      if ((res.status === 429 || res.status >= 500) && attempt < MAX_ATTEMPTS) {
        const after = Number(res.headers.get('retry-after'));
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 5) * 1_000 : 200);
        continue;
      }
      return { error: `inbound ${what} answered ${res.status}: ${(await res.text()).slice(0, 200)}` };
    }
  }
}
