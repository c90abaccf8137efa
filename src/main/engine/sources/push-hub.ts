// The engine's one notification channel, shared by every watched source: it puts their topics on
// the channel within the 1000-topic budget, routes each frame to the source that owns its topic
// family, and tells every source what happens to the channel (up, down, unavailable, a system
// notice). A frame on a topic no source owns is counted as an unknown family and dropped.
import type { ChatApi } from '../../genesys/chat-api.ts';
import type { TopicListing } from '../../genesys/push-wire.ts';
import type { WireStats } from '../../genesys/wire-stats.ts';
import type { WatchDiagnostics } from '../diagnostics.ts';
import type { PushFrame } from '../push/frames.ts';
import { PushChannel } from '../push/push-channel.ts';
import type { PushStatus } from '../push/status.ts';
import { MAX_TOPICS, topicTemplate } from '../push/topic-names.ts';
import type { WatcherTimings, WebSocketCtor } from '../watch/types.ts';
import type { ChannelEvent, PushPort, WatchSource } from './source.ts';

export interface PushHubOptions {
  api: Pick<ChatApi, 'createChannel' | 'replaceTopics'>;
  allowedSocketHosts: readonly string[];
  WebSocketImpl: WebSocketCtor;
  timings: WatcherTimings;
  wireStats: WireStats;
  log(message: string): void;
  now(): number;
  random(): number;
}

/** The surprise kind under which a frame of an unknown topic family is counted (no id, no value). */
export function unknownFamilyKind(topic: string): string {
  return `push: a topic of an unknown family (${topicTemplate(topic)})`;
}

export class PushHub {
  private readonly o: PushHubOptions;
  private readonly sources: WatchSource[] = [];
  private channel: PushChannel | null = null;
  /** Bumped by stop(): late callbacks of a stopped channel are dropped. */
  private generation = 0;
  private channelsOpened = 0;
  private lastUpAt: number | null = null;
  private readonly systemNotices: Record<string, number> = {};

  constructor(options: PushHubOptions) {
    this.o = options;
  }

  /**
   * A handle on the channel for the source about to be added (a source's factory needs it before
   * the source exists). Sources are served in the order they are added: chats first.
   */
  port(): { port: PushPort; bind(source: WatchSource): void } {
    let owner: WatchSource | null = null;
    const channel = (): PushChannel | null => this.channel;
    const port: PushPort = {
      get up() {
        return channel()?.up ?? false;
      },
      get channelId() {
        return channel()?.channelId;
      },
      isSubscribed: (topic) => this.channel?.isSubscribed(topic) ?? false,
      topicLimit: () => (owner ? this.limitFor(this.sources.indexOf(owner)) : MAX_TOPICS),
      start: () => this.start(),
      stop: () => this.stop(),
      retryNow: () => this.channel?.retryNow(),
      probe: () => this.channel?.probe(),
      syncTopics: (force) => this.channel?.syncTopics(force) ?? Promise.resolve(),
    };
    return {
      port,
      bind: (source) => {
        owner = source;
        this.sources.push(source);
      },
    };
  }

  get channelId(): string | undefined {
    return this.channel?.channelId;
  }

  /** Opens the channel unless it runs (a stopped one is replaced by a new one). */
  start(): void {
    this.channel ??= this.newChannel();
    this.channel.start();
  }

  stop(): void {
    this.generation++;
    this.channel?.stop();
    this.channel = null;
  }

  /** What the channel has been through, for the diagnostics report (no ids). */
  diagnostics(): Omit<WatchDiagnostics['push'], 'chatsRecovered'> {
    return {
      channelsOpened: this.channelsOpened,
      lastUpAt: this.lastUpAt,
      systemNotices: { ...this.systemNotices },
    };
  }

  /**
   * Every source's topics in order, each within its share: the budget less what the sources before
   * it took and what the sources after it reserve. What a source asks beyond its share is left out
   * (its conversations then come by its REST recovery).
   */
  topics(): string[] {
    const out = new Set<string>();
    this.sources.forEach((source, i) => {
      const wanted = source.topics();
      const limit = this.limitFor(i, out.size);
      if (wanted.length > limit)
        this.o.log(`push: ${source.id} asked for ${wanted.length} topics, ${limit} fit in the budget`);
      for (const topic of wanted.slice(0, limit)) out.add(topic);
    });
    return [...out];
  }

  private limitFor(index: number, used?: number): number {
    let taken = used ?? 0;
    if (used === undefined)
      for (const before of this.sources.slice(0, Math.max(0, index))) taken += before.topics().length;
    let reserved = 0;
    for (const after of this.sources.slice(index + 1)) reserved += after.reservedTopics ?? 0;
    return Math.max(0, MAX_TOPICS - taken - reserved);
  }

  private newChannel(): PushChannel {
    const generation = this.generation;
    const live = (): boolean => generation === this.generation;
    return new PushChannel({
      api: this.o.api,
      allowedSocketHosts: this.o.allowedSocketHosts,
      WebSocketImpl: this.o.WebSocketImpl,
      timings: this.o.timings,
      topics: () => this.topics(),
      onFrame: (frame) => {
        if (live()) this.onFrame(frame);
      },
      onStatus: (status) => {
        if (live()) this.onStatus(status);
      },
      onTopics: (wanted, listing) => {
        if (live()) this.onTopics(wanted, listing);
      },
      log: this.o.log,
      now: this.o.now,
      random: this.o.random,
    });
  }

  private tell(event: ChannelEvent): void {
    for (const source of this.sources) source.onChannel(event);
  }

  private onStatus(status: PushStatus): void {
    if (status.type === 'up') {
      this.channelsOpened++;
      this.lastUpAt = this.o.now();
    }
    this.tell(status);
  }

  private onFrame(frame: PushFrame): void {
    switch (frame.kind) {
      case 'alive':
      case 'gone':
      case 'closing':
        return;
      case 'system':
        this.systemNotices[frame.notice] = (this.systemNotices[frame.notice] ?? 0) + 1;
        this.tell({ type: 'system', notice: frame.notice });
        return;
      case 'bad':
        this.ignored(frame.surprise.kind, frame.surprise.value);
        return;
      case 'topic': {
        const owner = this.sources.find((s) => s.ownsTopic(frame.topic));
        if (owner) owner.onFrame(frame.topic, frame.body);
        else this.ignored(unknownFamilyKind(frame.topic), frame.body);
        return;
      }
    }
  }

  private ignored(kind: string, value: unknown): void {
    this.o.wireStats.surprise(kind, value);
    this.o.log(`push: ignored a frame: ${kind}`);
  }

  /** A subscription answer: its surprises are counted once; each source hears about its own topics. */
  private onTopics(wanted: string[], listing: TopicListing): void {
    for (const s of listing.surprises)
      this.o.wireStats.surprise(`push subscription answer: ${s.what}`, s.value);
    for (const source of this.sources) {
      const own = (topic: string): boolean => source.ownsTopic(topic);
      source.onChannel({
        type: 'topics',
        wanted: wanted.filter(own),
        listing: { topics: listing.topics.filter((t) => own(t.id)), surprises: [] },
      });
    }
  }
}
