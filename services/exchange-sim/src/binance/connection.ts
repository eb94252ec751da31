import type { WebSocket } from 'ws';
import type { BinanceConfig } from '../config/schema';
import type { VenueFaults } from '../faults/venue-faults';
import { Outbound } from '../net/outbound';
import type { VenueStats } from '../net/stats';
import type { StreamSubscriber } from './symbol-feed';
import { errorResponse, isRequestError, parseWsRequest, resultResponse } from './ws-requests';

/** Where a connection's (un)subscriptions go; returns an error text for an invalid stream. */
export interface StreamRegistry {
  subscribe(name: string, sub: StreamSubscriber): string | null;
  unsubscribe(name: string, sub: StreamSubscriber): void;
}

const MAX_STREAMS = 1024;

/** One Binance market-stream WebSocket: live (un)subscribe, properties, ping/pong keep-alive. */
export class BinanceConnection implements StreamSubscriber {
  combined: boolean;
  readonly out: Outbound;
  readonly streams = new Set<string>();
  private pingTimer: NodeJS.Timeout | null = null;
  private pongDeadline: NodeJS.Timeout | null = null;
  private windowStart = 0;
  private windowCount = 0;

  constructor(
    readonly ws: WebSocket,
    combined: boolean,
    private readonly cfg: BinanceConfig,
    private readonly registry: StreamRegistry,
    private readonly faults: VenueFaults,
    private readonly stats: VenueStats,
    maxBufferedBytes: number,
    private readonly onBadInput: (kind: string) => void,
  ) {
    this.combined = combined;
    this.out = new Outbound(ws, faults, stats, maxBufferedBytes);
    ws.on('message', (data, isBinary) => this.onMessage(isBinary ? '' : data.toString()));
    ws.on('ping', () => this.countIncoming());
    ws.on('pong', () => {
      this.stats.pongsReceived++;
      if (this.pongDeadline) clearTimeout(this.pongDeadline);
      this.pongDeadline = null;
    });
    ws.on('error', () => ws.terminate());
    this.pingTimer = setInterval(() => this.ping(), cfg.pingIntervalMs);
  }

  /** Subscribes the streams named in the URL (already validated). */
  subscribeInitial(names: string[]): void {
    for (const n of names) if (this.registry.subscribe(n, this) === null) this.streams.add(n);
  }

  close(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.pongDeadline) clearTimeout(this.pongDeadline);
    this.pingTimer = this.pongDeadline = null;
    for (const n of this.streams) this.registry.unsubscribe(n, this);
    this.streams.clear();
    this.out.close();
  }

  private ping(): void {
    if (this.faults.frozen) return;
    this.ws.ping();
    this.stats.pingsSent++;
    this.pongDeadline ??= setTimeout(() => {
      this.stats.pongTimeouts++;
      this.ws.terminate();
    }, this.cfg.pongTimeoutMs);
  }

  /** Binance allows a few incoming messages per second; beyond that the connection is closed. */
  private countIncoming(): boolean {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    if (++this.windowCount > this.cfg.maxIncomingPerSec) {
      this.onBadInput('rate_limit');
      this.ws.close(1008, 'Too many requests');
      return false;
    }
    return true;
  }

  private onMessage(text: string): void {
    if (!this.countIncoming()) return;
    const req = parseWsRequest(text);
    if (isRequestError(req)) {
      this.onBadInput('bad_request');
      this.out.control(errorResponse(req.code, req.msg, req.id));
      return;
    }
    switch (req.method) {
      case 'SUBSCRIBE': {
        for (const n of req.params) {
          if (this.streams.has(n)) continue;
          const err = this.streams.size >= MAX_STREAMS ? 'Invalid request: too many streams' : this.registry.subscribe(n, this);
          if (err !== null) {
            this.onBadInput('bad_stream');
            this.out.control(errorResponse(2, err, req.id));
            return;
          }
          this.streams.add(n);
        }
        this.out.control(resultResponse(null, req.id));
        return;
      }
      case 'UNSUBSCRIBE':
        for (const n of req.params) {
          this.registry.unsubscribe(n, this);
          this.streams.delete(n);
        }
        this.out.control(resultResponse(null, req.id));
        return;
      case 'LIST_SUBSCRIPTIONS':
        this.out.control(resultResponse([...this.streams], req.id));
        return;
      case 'SET_PROPERTY':
        if (req.name !== 'combined') return this.out.control(errorResponse(0, 'Unknown property', req.id));
        if (typeof req.value !== 'boolean') return this.out.control(errorResponse(1, 'Invalid value type: expected Boolean', req.id));
        this.combined = req.value;
        this.out.control(resultResponse(null, req.id));
        return;
      case 'GET_PROPERTY':
        if (req.name !== 'combined') return this.out.control(errorResponse(0, 'Unknown property', req.id));
        this.out.control(resultResponse(this.combined, req.id));
        return;
    }
  }
}
