// One notification channel's WebSocket: opens it, reads its frames, and watches for silence.
import { performance } from 'node:perf_hooks';
import { parseFrame, type PushFrame } from './frames.ts';
import type { WebSocketCtor, WebSocketLike } from '../watch/types.ts';
import { errorText } from '../../../shared/errors.ts';

export interface ChannelInfo {
  id: string;
  connectUri: string;
  expiresAt?: number;
}

export interface PushConnectionOptions {
  WebSocketImpl: WebSocketCtor;
  heartbeatTimeoutMs: number;
  connectTimeoutMs: number;
  onFrame(frame: PushFrame): void;
  /** Ended on its own (not by `close()`), at most once; `silent`: the watchdog or a probe ended it. */
  onEnd(reason: string, silent: boolean): void;
}

/** The socket failed before it opened. */
export class SocketOpenError extends Error {}

const OPEN = 1;

export class PushConnection {
  readonly channel: ChannelInfo;
  /** Whether any frame other than a 404 arrived: the channel really works. */
  provedAlive = false;
  private readonly o: PushConnectionOptions;
  private socket: WebSocketLike | null = null;
  private watchdog: ReturnType<typeof setTimeout> | null = null;
  private probeTimer: ReturnType<typeof setTimeout> | null = null;
  private done = false;
  private openedAt = 0;

  private constructor(channel: ChannelInfo, options: PushConnectionOptions) {
    this.channel = channel;
    this.o = options;
  }

  /** Opens the channel's socket; resolves once it is open, rejects with SocketOpenError otherwise. */
  static open(channel: ChannelInfo, options: PushConnectionOptions): Promise<PushConnection> {
    const conn = new PushConnection(channel, options);
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (why: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        conn.close();
        reject(new SocketOpenError(why));
      };
      const timer = setTimeout(() => fail('the socket did not open in time'), options.connectTimeoutMs);
      timer.unref();
      let socket: WebSocketLike;
      try {
        socket = new options.WebSocketImpl(channel.connectUri);
      } catch (err) {
        fail(`the socket could not be created: ${errorText(err)}`);
        return;
      }
      conn.socket = socket;
      socket.onopen = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        conn.openedAt = performance.now();
        conn.arm();
        resolve(conn);
      };
      socket.onerror = () => {
        if (!settled) fail('the socket failed to open');
        else conn.end('socket error');
      };
      socket.onclose = (ev) => {
        if (!settled) fail(`the socket closed before opening (${ev?.code ?? '?'})`);
        else conn.end(`socket closed (${ev?.code ?? '?'})`);
      };
      socket.onmessage = (ev) => conn.receive(ev?.data);
    });
  }

  get ended(): boolean {
    return this.done;
  }

  /** How long the socket has been open (monotonic ms). */
  get ageMs(): number {
    return this.openedAt === 0 ? 0 : performance.now() - this.openedAt;
  }

  /** Asks the server for a pong; no frame at all within `timeoutMs` ends the connection. */
  probe(timeoutMs: number): void {
    if (this.done || !this.socket || this.socket.readyState !== OPEN) return;
    try {
      this.socket.send(JSON.stringify({ message: 'ping' }));
    } catch {
      this.end('ping failed');
      return;
    }
    if (this.probeTimer) return;
    this.probeTimer = setTimeout(() => this.end('no answer to a ping', true), timeoutMs);
    this.probeTimer.unref();
  }

  /** Closes the socket on purpose: no `onEnd`, no more frames. */
  close(): void {
    this.done = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = () => {}; // some implementations throw on an unhandled error event
    try {
      socket.close(1000, 'closing');
    } catch {
      // already closed or never opened
    }
  }

  private receive(data: unknown): void {
    if (this.done) return;
    this.arm();
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    const frame = parseFrame(data);
    if (frame.kind === 'gone') {
      this.end('the channel is gone (404)');
      return;
    }
    this.provedAlive = true;
    this.o.onFrame(frame);
  }

  /** (Re)starts the silence watchdog: every frame, heartbeats included, proves the socket alive. */
  private arm(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(
      () => this.end(`no frame for ${this.o.heartbeatTimeoutMs} ms`, true),
      this.o.heartbeatTimeoutMs,
    );
    this.watchdog.unref();
  }

  private end(reason: string, silent = false): void {
    if (this.done) return;
    this.close();
    this.o.onEnd(reason, silent);
  }

  private clearTimers(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.watchdog = null;
    this.probeTimer = null;
  }
}
