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
  private readonly tag: string;

  constructor(sim: Simulator, tag: string) {
    this.sim = sim;
    this.tag = tag;
    this.integrationId = sim.control.messaging.integration().id;
    this.token = sim.control.clientToken('open-messaging-integration').accessToken;
  }

  /** Customer `n` writes `text` (`messageId`: the platform's own id, the same when tried again). */
  async write(
    n: number,
    messageId: string,
    text: string,
  ): Promise<{ id: string; conversationId: string } | { error: string }> {
    const from = { id: this.customerId(n), idType: 'Opaque', nickname: `Customer ${n}` };
    const body = { channel: { from, time: new Date().toISOString(), messageId }, text };
    const answer = await this.post('message', body);
    return 'error' in answer ? answer : (answer.json as { id: string; conversationId: string });
  }

  /** The platform reports an agent's message to customer `n` delivered or read (status only). */
  async receipt(
    n: number,
    messageId: string,
    status: 'Delivered' | 'Read',
  ): Promise<{ error: string } | object> {
    const to = { id: this.customerId(n), idType: 'Opaque' };
    return this.post('receipt', { id: messageId, channel: { to, time: new Date().toISOString() }, status });
  }

  private customerId(n: number): string {
    return `fault-${this.tag}-c${n}`;
  }

  /** `message` (answered with the message and its conversation's id) or `receipt`. */
  private async post(
    what: 'message' | 'receipt',
    body: unknown,
  ): Promise<{ json: unknown } | { error: string }> {
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
