// The popup's InteractionsPort (ipc/interaction-handlers.ts) over the engine's messaging source:
// interactions and transcript entries mapped to the IPC views, and the agent's actions passed on.
// It also keeps what the user has opened, so `unread` counts customer messages not seen yet.
import { isChannelType } from '../../shared/interactions/channels.ts';
import type {
  DeliveryStatus,
  InteractionView,
  TranscriptMessageView,
} from '../../shared/ipc/interactions.ts';
import type { OutboxItemView } from '../../shared/ipc/views.ts';
import type { InteractionsPort } from '../ipc/interaction-handlers.ts';
import { toOutboxView } from '../ipc/views.ts';
import type { CustomerDesk } from './desk.ts';
import type { Interaction, TranscriptEntry } from './types.ts';

/** What the user had seen of a conversation when they last opened it. */
interface Opened {
  waitingSince: number | undefined;
  unanswered: number;
}

export class InteractionsAdapter implements InteractionsPort {
  private readonly source: () => CustomerDesk | null;
  private readonly opened = new Map<string, Opened>();

  constructor(source: () => CustomerDesk | null) {
    this.source = source;
  }

  async list(): Promise<InteractionView[]> {
    return this.messaging()
      .list()
      .sort((a, b) => b.lastActivity - a.lastActivity)
      .map((i) => this.view(i));
  }

  async transcript(conversationId: string) {
    const messaging = this.messaging();
    const entries = await messaging.transcript(conversationId);
    const interaction = this.find(messaging, conversationId);
    this.opened.set(conversationId, {
      waitingSince: interaction.waitingSince,
      unanswered: interaction.unanswered,
    });
    return { interaction: this.view(interaction), messages: entries.map(toMessageView) };
  }

  accept(conversationId: string): Promise<void> {
    return this.messaging().accept(conversationId);
  }

  decline(conversationId: string): Promise<void> {
    return this.messaging().decline(conversationId);
  }

  async reply(conversationId: string, text: string): Promise<OutboxItemView> {
    return toOutboxView(await this.messaging().reply(conversationId, text));
  }

  async typing(conversationId: string): Promise<void> {
    await this.messaging().typing(conversationId);
  }

  async end(conversationId: string): Promise<void> {
    await this.messaging().end(conversationId);
  }

  async wrapupCodes(conversationId: string) {
    return (await this.messaging().wrapupCodes(conversationId)).map((c) => ({ id: c.id, name: c.name }));
  }

  async wrapup(conversationId: string, w: { code: string; notes?: string }): Promise<void> {
    await this.messaging().wrapup(conversationId, w.code, w.notes);
  }

  private messaging(): CustomerDesk {
    const source = this.source();
    if (!source || source.availability().state !== 'available')
      throw new Error('Customer conversations are not available.');
    return source;
  }

  private find(messaging: CustomerDesk, conversationId: string): Interaction {
    const found = messaging.list().find((i) => i.conversationId === conversationId);
    if (!found) throw new Error('That customer conversation is not one of yours.');
    return found;
  }

  private view(i: Interaction): InteractionView {
    const seen = this.opened.get(i.conversationId);
    const unread =
      seen && seen.waitingSince === i.waitingSince
        ? Math.max(0, i.unanswered - seen.unanswered)
        : i.unanswered;
    return {
      conversationId: i.conversationId,
      channel: isChannelType(i.channel) ? i.channel : 'unknown',
      customerName: i.customerName,
      state: i.state,
      ...(i.offerExpiresAt !== undefined ? { offerDeadline: i.offerExpiresAt } : {}),
      ...(i.waitingSince !== undefined ? { waitingSince: i.waitingSince } : {}),
      unread,
    };
  }
}

/** Genesys's message statuses as the transcript's ticks; an unknown one shows none. */
const STATUS: Record<string, DeliveryStatus> = {
  sent: 'sent',
  queued: 'sent',
  'delivery-success': 'delivered',
  delivered: 'delivered',
  read: 'read',
  'delivery-failed': 'failed',
  failed: 'failed',
};

function toMessageView(e: TranscriptEntry): TranscriptMessageView {
  const status = e.author === 'agent' && e.status ? STATUS[e.status.toLowerCase()] : undefined;
  return {
    id: e.id,
    from: e.author,
    text: e.text,
    at: e.at,
    ...(status ? { status } : {}),
    attachments: e.attachments.flatMap((a) =>
      a.url ? [{ name: a.label, url: a.url, type: a.mime ?? a.mediaType ?? 'file' }] : [],
    ),
  };
}
