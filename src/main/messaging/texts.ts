// Reads the text of customer messages for the source's batches: one GET for one message, the bulk
// read for several, and a small bounded memory of what was read, so a message's text is read once
// (a customer's first message is needed by its first snapshot and again by the offer that follows).
// An offer's read can be given a deadline: the offer is shown without its text rather than late.
import type { MessagingApi } from '../genesys/messaging/api.ts';
import { OldestFirst } from '../engine/oldest-first.ts';
import type { TranscriptEntry } from './types.ts';
import { errorText } from '../../shared/errors.ts';

export class TextReader {
  private readonly api: MessagingApi;
  /** messageId → entry, oldest first (a Map keeps insertion order). */
  private readonly known = new Map<string, TranscriptEntry>();
  private readonly trimmer: OldestFirst<string>;

  constructor(api: MessagingApi, capacity = 500) {
    this.api = api;
    this.trimmer = new OldestFirst(this.known, capacity);
  }

  /** The texts of `ids` that could be read; throws when the read failed (the caller notifies anyway). */
  async read(
    conversationId: string,
    ids: readonly string[],
    signal?: AbortSignal,
  ): Promise<Map<string, TranscriptEntry>> {
    const out = new Map<string, TranscriptEntry>();
    const missing: string[] = [];
    for (const id of ids) {
      const entry = this.known.get(id);
      if (entry) out.set(id, entry);
      else missing.push(id);
    }
    if (missing.length === 0) return out;
    const read =
      missing.length === 1
        ? [await this.api.message(conversationId, missing[0]!, 'background', signal)]
        : await this.api.messages(conversationId, missing, 'background', signal);
    for (const entry of read) {
      out.set(entry.id, entry);
      this.remember(entry);
    }
    return out;
  }

  /**
   * As `read`, but stops waiting after `ms` (an offer must not wait behind a request budget paused
   * by a 429): undefined then. The read goes on, and what it reads is remembered.
   */
  async readWithin(
    conversationId: string,
    ids: readonly string[],
    ms: number,
    signal?: AbortSignal,
  ): Promise<Map<string, TranscriptEntry> | undefined> {
    const reading = this.read(conversationId, ids, signal);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, ms, undefined);
    });
    try {
      return await Promise.race([reading, late]);
    } finally {
      clearTimeout(timer);
      reading.catch(() => {});
    }
  }

  /**
   * The texts a batch needs, never throwing: an offer's read stops waiting after `offerWaitMs` (an
   * offer alerts for a limited time: shown without its text rather than after it); a failed read
   * gives none (the notification still goes, flagged: losing it would be worse). Both are logged.
   */
  async forBatch(
    conversationId: string,
    ids: readonly string[],
    o: { offer: boolean; offerWaitMs: number; signal: AbortSignal; log: (message: string) => void },
  ): Promise<Map<string, TranscriptEntry>> {
    if (ids.length === 0) return new Map();
    try {
      const read = o.offer
        ? await this.readWithin(conversationId, ids, o.offerWaitMs, o.signal)
        : await this.read(conversationId, ids, o.signal);
      if (read) return read;
      o.log('messaging: an offer is shown before its text could be read (requests are held)');
    } catch (err) {
      o.log(`messaging: could not read ${ids.length} message text(s): ${errorText(err)}`);
    }
    return new Map();
  }

  private remember(entry: TranscriptEntry): void {
    this.known.delete(entry.id);
    this.known.set(entry.id, entry);
    this.trimmer.trim();
  }
}
