import WebSocket from 'ws';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { nowMs } from './clock';

export interface WsConnectionHandlers {
  /** The socket is open; send subscriptions here. */
  onOpen?(): void;
  /** One text frame, with its local receive time. */
  onMessage(text: string, recvTs: number): void;
  /** The socket closed (any reason). `willReconnect` is false only after `stop()`. */
  onClose?(info: { code: number; reason: string; willReconnect: boolean; delayMs: number }): void;
  /** Why a connection was dropped or failed (timeout, staleness, socket error). */
  onError?(error: Error): void;
}

export interface WsConnectionOptions {
  /** URL to connect to; a function is called on every (re)connect. */
  readonly url: string | (() => string);
  /** Give up a connection attempt after this long (ms). */
  readonly connectTimeoutMs?: number;
  /**
   * Treat the connection as dead when no frame (message or server ping) arrived for this long (ms). 0 disables.
   * A silent feed is a broken feed: the connection is terminated and reopened.
   */
  readonly staleAfterMs?: number;
  /** Send a ws ping this often (ms) and require a pong within the same time; 0 disables (the default). */
  readonly pingIntervalMs?: number;
  readonly backoff?: BackoffOptions;
  /** Reset the backoff once a connection has delivered frames for this long (ms). */
  readonly stableAfterMs?: number;
  /** Largest accepted frame (bytes). */
  readonly maxPayloadBytes?: number;
}

/** The connection was considered dead by us (timeout or silence), not closed by the server. */
export class WsConnectionError extends Error {
  override readonly name = 'WsConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A WebSocket client that stays connected: exponential backoff with jitter between attempts, a connect timeout,
 * a staleness timer (no frame for N ms = dead), optional client pings, and automatic pong replies to server pings
 * (the `ws` library answers pings with the same payload; this class never turns that off).
 */
export class WsConnection {
  private socket: WebSocket | null = null;
  private running = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private lastFrameAt = 0;
  private openedAt = 0;
  private awaitingPongSince = 0;
  private lastPingAt = 0;
  private stopResolvers: (() => void)[] = [];
  /** Number of successful opens so far (the first open is not a reconnect). */
  opens = 0;

  private readonly connectTimeoutMs: number;
  private readonly staleAfterMs: number;
  private readonly pingIntervalMs: number;
  private readonly backoff: BackoffOptions;
  private readonly stableAfterMs: number;
  private readonly maxPayloadBytes: number;

  constructor(
    private readonly options: WsConnectionOptions,
    private readonly handlers: WsConnectionHandlers,
  ) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.staleAfterMs = options.staleAfterMs ?? 0;
    this.pingIntervalMs = options.pingIntervalMs ?? 0;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.stableAfterMs = options.stableAfterMs ?? 10_000;
    this.maxPayloadBytes = options.maxPayloadBytes ?? 64 * 1024 * 1024;
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  /** Sends a text frame; false when not open. */
  send(text: string): boolean {
    const s = this.socket;
    if (s === null || s.readyState !== WebSocket.OPEN) return false;
    s.send(text);
    return true;
  }

  /** Drops the current connection and reconnects after the backoff (e.g. the data can't be trusted any more). */
  reconnect(reason: string): void {
    if (!this.running || this.socket === null) return;
    this.handlers.onError?.(new WsConnectionError(`reconnecting: ${reason}`));
    this.socket.terminate();
  }

  /** Closes the connection for good; resolves once the socket is closed and every timer is cleared. */
  stop(): Promise<void> {
    this.running = false;
    this.clearTimers();
    if (this.reconnectTimer !== null) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    const s = this.socket;
    if (s === null || s.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.stopResolvers.push(resolve);
      if (s.readyState === WebSocket.OPEN) s.close(1000, 'client stop');
      else s.terminate();
      // A peer that never answers the close handshake must not hold us up.
      setTimeout(() => s.terminate(), 1000).unref();
    });
  }

  private connect(): void {
    if (!this.running) return;
    const url = typeof this.options.url === 'function' ? this.options.url() : this.options.url;
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, { maxPayload: this.maxPayloadBytes, perMessageDeflate: false, handshakeTimeout: this.connectTimeoutMs });
    } catch (cause) {
      // Bad URL: report and keep trying (the config may be fixed at run time via a URL function).
      this.handlers.onError?.(new WsConnectionError(`cannot connect to ${url}`, { cause }));
      this.scheduleReconnect(1006, 'invalid url');
      return;
    }
    this.socket = socket;
    this.connectTimer = setTimeout(() => {
      this.handlers.onError?.(new WsConnectionError(`connect timeout after ${this.connectTimeoutMs} ms: ${url}`));
      socket.terminate();
    }, this.connectTimeoutMs);

    socket.on('open', () => {
      if (this.connectTimer !== null) clearTimeout(this.connectTimer);
      this.connectTimer = null;
      this.opens++;
      this.openedAt = this.lastFrameAt = nowMs();
      this.awaitingPongSince = 0;
      this.lastPingAt = this.openedAt;
      this.startWatchdog();
      this.handlers.onOpen?.();
    });
    socket.on('message', (data: WebSocket.RawData) => {
      const recvTs = nowMs();
      this.lastFrameAt = recvTs;
      if (this.attempt > 0 && recvTs - this.openedAt >= this.stableAfterMs) this.attempt = 0;
      this.handlers.onMessage(rawToString(data), recvTs);
    });
    socket.on('ping', () => {
      this.lastFrameAt = nowMs();
    });
    socket.on('pong', () => {
      this.awaitingPongSince = 0;
    });
    socket.on('error', (err: Error) => {
      if (this.running) this.handlers.onError?.(err); // errors of a socket we are closing on stop() are expected
    });
    socket.on('close', (code: number, reason: Buffer) => {
      this.clearTimers();
      if (this.socket === socket) this.socket = null;
      const why = reason.toString('utf8');
      if (!this.running) {
        this.handlers.onClose?.({ code, reason: why, willReconnect: false, delayMs: 0 });
        for (const r of this.stopResolvers.splice(0)) r();
        return;
      }
      this.scheduleReconnect(code, why);
    });
  }

  private scheduleReconnect(code: number, reason: string): void {
    const delayMs = backoffDelay(this.attempt, this.backoff);
    this.attempt++;
    this.handlers.onClose?.({ code, reason, willReconnect: true, delayMs });
    if (!this.running) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delayMs);
  }

  private startWatchdog(): void {
    const period = Math.max(
      50,
      Math.min(this.staleAfterMs > 0 ? this.staleAfterMs / 4 : Infinity, this.pingIntervalMs > 0 ? this.pingIntervalMs / 2 : Infinity, 1000),
    );
    if (this.staleAfterMs <= 0 && this.pingIntervalMs <= 0) return;
    this.watchdog = setInterval(() => this.checkAlive(), period);
  }

  private checkAlive(): void {
    const s = this.socket;
    if (s === null || s.readyState !== WebSocket.OPEN) return;
    const now = nowMs();
    if (this.staleAfterMs > 0 && now - this.lastFrameAt > this.staleAfterMs) {
      this.handlers.onError?.(new WsConnectionError(`no frame for ${Math.round(now - this.lastFrameAt)} ms (limit ${this.staleAfterMs} ms)`));
      s.terminate();
      return;
    }
    if (this.pingIntervalMs > 0) {
      if (this.awaitingPongSince > 0 && now - this.awaitingPongSince > this.pingIntervalMs) {
        this.handlers.onError?.(new WsConnectionError(`no pong within ${this.pingIntervalMs} ms`));
        s.terminate();
        return;
      }
      if (now - this.lastPingAt >= this.pingIntervalMs) {
        this.lastPingAt = now;
        if (this.awaitingPongSince === 0) this.awaitingPongSince = now;
        s.ping();
      }
    }
  }

  private clearTimers(): void {
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.connectTimer = null;
    this.watchdog = null;
  }
}

function rawToString(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}
