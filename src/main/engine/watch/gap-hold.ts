// Gap bookkeeping of the chat source. Every push loss, reconnect and resync starts a new epoch;
// each pushed event is tagged with the epoch it arrived in. A sync covers the epoch it started in.
// An event of an epoch no completed sync covers is held (in order) until one does, so the engine
// always gets a chat's missed history before anything newer: its ledger needs messages in order.
import type { WatchBatch } from './types.ts';

/** Push events held while a gap is being backfilled, at most (the oldest go first; backfill has them). */
const MAX_HELD = 2_000;

export class GapHold {
  private epoch = 1;
  private covered = 0;
  private held: { epoch: number; batch: WatchBatch }[] = [];

  private readonly o: { emit(batch: WatchBatch): void; log(message: string): void };

  constructor(options: { emit(batch: WatchBatch): void; log(message: string): void }) {
    this.o = options;
  }

  /** The epoch an event arriving now belongs to (a sync starting now covers it). */
  get current(): number {
    return this.epoch;
  }

  /** Something may have been missed from here on: later events wait for a sync that starts after. */
  open(): void {
    this.epoch++;
  }

  /** Hands a pushed batch on now, or holds it until a sync covers its epoch. */
  deliver(batch: WatchBatch, epoch: number): void {
    if (this.held.length === 0 && epoch <= this.covered) {
      this.o.emit(batch);
      return;
    }
    this.held.push({ epoch, batch });
    if (this.held.length > MAX_HELD) {
      this.held.shift();
      this.o.log('push: too many events held during a gap; dropped the oldest (the backfill has it)');
    }
  }

  /** A sync that started in `epoch` completed: what it covers goes out, in arrival order. */
  cover(epoch: number): void {
    this.covered = Math.max(this.covered, epoch);
    while (this.held.length > 0 && this.held[0]!.epoch <= this.covered) {
      const { batch } = this.held.shift()!;
      this.o.emit(batch);
    }
  }

  clear(): void {
    this.held = [];
  }
}
