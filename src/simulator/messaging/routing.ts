// What happens to a conversation between the queue and the agents: offers (alerting, timing out),
// accept, decline, end, wrap-up, re-routes to a new agent participant, and agents' replies. Every
// change is announced once, after it is complete (one snapshot event per operation).
import type { ConversationRecord, MessageEntry, ParticipantRecord, WrapupCodeRecord } from './model.ts';
import { agentsOf, customerOf } from './model.ts';
import type { MessagingStore } from './store.ts';

export interface RoutingOptions {
  /** How long an offer alerts before it ends with the agent Not Responding. */
  alertingTimeoutMs: number;
}

export interface AgentUser {
  id: string;
  name: string;
}

const MAX_TIMER_MS = 2_147_483_647;

export class Routing {
  readonly #store: MessagingStore;
  readonly #user: (id: string) => AgentUser | undefined;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly options: RoutingOptions;
  /** Reports an unexpected error inside a timer (a genuine bug). */
  onError: (err: unknown) => void = () => {};

  constructor(store: MessagingStore, user: (id: string) => AgentUser | undefined, options: RoutingOptions) {
    this.#store = store;
    this.#user = user;
    this.options = options;
  }

  /** The participants of a conversation still in the queue (not yet taken by an agent). */
  #queued(conversation: ConversationRecord): ParticipantRecord[] {
    return conversation.participants.filter(
      (p) => p.purpose === 'acd' && p.communication.state !== 'disconnected',
    );
  }

  /** A new agent participant for `userId`, alerting (or connected at once, for a re-route). */
  #addAgent(
    conversation: ConversationRecord,
    userId: string,
    state: 'alerting' | 'connected',
  ): ParticipantRecord {
    const user = this.#user(userId);
    if (!user) throw new Error(`no user ${userId}`);
    const store = this.#store;
    const now = store.clock.now();
    const agent = store.addParticipant(
      conversation,
      'agent',
      user.name,
      store.communication(state, 'inbound', now),
      {
        userId,
        queueId: conversation.integration.queue.id,
        ...(state === 'alerting' ? { alertingTimeoutMs: this.options.alertingTimeoutMs } : {}),
      },
    );
    if (state === 'alerting') this.#arm(conversation, agent);
    else this.#connected(conversation, agent);
    return agent;
  }

  #arm(conversation: ConversationRecord, agent: ParticipantRecord): void {
    const delay = Math.min(MAX_TIMER_MS, this.options.alertingTimeoutMs);
    const timer = setTimeout(() => {
      this.#timers.delete(agent.id);
      try {
        if (agent.communication.state === 'alerting') this.timeout(conversation, agent);
      } catch (err) {
        this.onError(err);
      }
    }, delay);
    timer.unref();
    this.#timers.set(agent.id, timer);
  }

  #disarm(agent: ParticipantRecord): void {
    const timer = this.#timers.get(agent.id);
    if (timer) clearTimeout(timer);
    this.#timers.delete(agent.id);
  }

  /** An agent took the conversation: the queue lets go of it. */
  #connected(conversation: ConversationRecord, agent: ParticipantRecord): void {
    for (const acd of this.#queued(conversation)) this.#store.disconnect(acd, 'transfer');
    if (agent.userId) this.#store.routingStatus.set(agent.userId, 'INTERACTING');
  }

  /** Offers a waiting conversation to a user: a new agent participant in `alerting`. */
  offer(conversation: ConversationRecord, userId: string): ParticipantRecord {
    const agent = this.#addAgent(conversation, userId, 'alerting');
    this.#store.changed(conversation);
    return agent;
  }

  accept(conversation: ConversationRecord, agent: ParticipantRecord): void {
    if (agent.communication.state !== 'alerting') return;
    this.#disarm(agent);
    const now = this.#store.clock.now();
    agent.communication.state = 'connected';
    agent.communication.connectedMs = now;
    agent.connectedMs = now;
    this.#connected(conversation, agent);
    this.#store.changed(conversation);
  }

  /** A declined or unanswered offer: the agent is Not Responding, the conversation waits in the queue. */
  #unanswered(
    conversation: ConversationRecord,
    agent: ParticipantRecord,
    type: 'client' | 'transfer.noanswer',
  ): void {
    this.#disarm(agent);
    this.#store.disconnect(agent, type);
    if (agent.userId) this.#store.routingStatus.set(agent.userId, 'NOT_RESPONDING');
    this.#store.changed(conversation);
  }

  decline(conversation: ConversationRecord, agent: ParticipantRecord): void {
    this.#unanswered(conversation, agent, 'client');
  }

  timeout(conversation: ConversationRecord, agent: ParticipantRecord): void {
    if (agent.communication.state !== 'alerting') return;
    this.#unanswered(conversation, agent, 'transfer.noanswer');
  }

  /**
   * The agent ends the interaction: the whole conversation disconnects (messaging has no
   * conversation without its agent), and the agent owes a wrap-up.
   */
  end(conversation: ConversationRecord, agent: ParticipantRecord): void {
    const store = this.#store;
    this.#disarm(agent);
    store.disconnect(agent, 'client');
    agent.wrapupRequired = true;
    agent.startAcwMs = store.clock.now();
    for (const p of conversation.participants) {
      if (p !== agent) store.disconnect(p, p.purpose === 'customer' ? 'peer' : 'transfer');
    }
    conversation.endMs ??= store.clock.now();
    if (agent.userId) store.routingStatus.set(agent.userId, 'IDLE');
    store.changed(conversation);
  }

  /** The customer gave up waiting in the queue: the conversation ends without an agent. */
  abandon(conversation: ConversationRecord): void {
    const store = this.#store;
    for (const p of conversation.participants) {
      this.#disarm(p);
      store.disconnect(p, p.purpose === 'customer' ? 'client' : 'peer');
    }
    conversation.endMs ??= store.clock.now();
    store.changed(conversation);
  }

  /**
   * Moves the conversation to a new agent participant of `userId` (a transfer, or the same agent
   * reconnected): that user's current agent participant ends with `transfer`.
   */
  reroute(
    conversation: ConversationRecord,
    userId: string,
    state: 'alerting' | 'connected',
  ): ParticipantRecord {
    for (const agent of agentsOf(conversation)) {
      if (agent.communication.state !== 'disconnected') {
        this.#disarm(agent);
        this.#store.disconnect(agent, 'transfer');
      }
    }
    const agent = this.#addAgent(conversation, userId, state);
    this.#store.changed(conversation);
    return agent;
  }

  wrapup(
    conversation: ConversationRecord,
    agent: ParticipantRecord,
    code: WrapupCodeRecord,
    notes: string | undefined,
  ): void {
    const now = this.#store.clock.now();
    const since = agent.startAcwMs ?? agent.connectedMs ?? agent.startMs;
    agent.wrapup = {
      code: code.id,
      name: code.name,
      ...(notes !== undefined ? { notes } : {}),
      durationSeconds: Math.max(0, Math.round((now - since) / 1000)),
      endMs: now,
    };
    this.#store.changed(conversation);
  }

  /** An agent's reply, on its own (connected) communication. */
  send(conversation: ConversationRecord, agent: ParticipantRecord, text: string): MessageEntry {
    const store = this.#store;
    const message = store.addMessage(conversation, agent, {
      direction: 'outbound',
      author: 'agent',
      ...(agent.userId ? { userId: agent.userId } : {}),
      text,
      attachments: [],
      status: 'sent',
    });
    store.logOutbound(conversation, message, {
      conversationId: conversation.id,
      messageId: message.id,
      userId: agent.userId ?? '',
      customerId: customerOf(conversation).address ?? conversation.customer.id,
      text,
      timeMs: message.timeMs,
    });
    store.changed(conversation);
    return message;
  }

  /** Stops every offer timer (simulator shutdown). */
  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
