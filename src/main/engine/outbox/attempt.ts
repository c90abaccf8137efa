// One attempt at one outbox item: who carries it out (the chat client, or the messaging source for a
// customer conversation), the user's id, and the message ids other items already claimed.
import type { ChatApi } from '../../genesys/chat-api.ts';
import { GenesysError } from '../../genesys/http.ts';
import { errorText } from '../../../shared/errors.ts';
import { performCustomer, type CustomerPerformer } from './customer-perform.ts';
import { SOURCE_NOT_RUNNING } from './failure.ts';
import { perform, type Performed } from './perform.ts';
import { asCustomerAction, type OutboxItem } from './schema.ts';

export interface AttemptTargets {
  api: () => ChatApi;
  customers: () => CustomerPerformer | undefined;
  userId: () => string | undefined;
  skewMs: number;
}

/** The message a customer reply waits for while the messaging source is not there (connecting). */
const NO_MESSAGING_YET = 'Customer conversations are not connected yet; it will be sent once they are.';

export class Attempts {
  readonly #targets: AttemptTargets;
  readonly #userIds = new WeakMap<ChatApi, Promise<string>>();

  constructor(targets: AttemptTargets) {
    this.#targets = targets;
  }

  /** Carries out `item`'s action once; throws what the attempt met (failure.ts classifies it). */
  async run(item: OutboxItem, others: readonly OutboxItem[]): Promise<Performed> {
    const unsure = item.unsureSince !== undefined ? { unsureSince: item.unsureSince } : {};
    const claimed = claimedBy(others, item);
    const customer = asCustomerAction(item.action);
    if (customer) {
      const performer = this.#targets.customers();
      if (!performer) throw new GenesysError('cancelled', NO_MESSAGING_YET, 0, SOURCE_NOT_RUNNING);
      return performCustomer(performer, customer, { ...unsure, skewMs: this.#targets.skewMs, claimed });
    }
    const api = this.#api();
    return perform(api, item.action, {
      userId: () => this.#userId(api),
      ...unsure,
      skewMs: this.#targets.skewMs,
      claimed,
    });
  }

  #api(): ChatApi {
    try {
      return this.#targets.api();
    } catch (err) {
      throw new GenesysError('needs-sign-in', errorText(err));
    }
  }

  #userId(api: ChatApi): Promise<string> {
    const known = this.#targets.userId();
    if (known) return Promise.resolve(known);
    let id = this.#userIds.get(api);
    if (!id) {
      id = api.me().then((me) => me.id);
      id.catch(() => this.#userIds.delete(api));
      this.#userIds.set(api, id);
    }
    return id;
  }
}

/** Messages other items recorded as theirs (a reply found after a lost answer must be unclaimed). */
function claimedBy(items: readonly OutboxItem[], except: OutboxItem): Set<string> {
  const ids = new Set<string>();
  for (const item of items) if (item !== except && item.result?.messageId) ids.add(item.result.messageId);
  return ids;
}
