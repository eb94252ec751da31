import { ParseError } from '../common/parse-error';
import { UserStream, type UserStreamBaseOptions, type UserStreamState } from '../common/user-stream';
import { parseUserWsFrame } from './trading-parse';
import type { UserOrder } from './trading-wire';

export type CoinbaseUserStreamState = UserStreamState;

export interface CoinbaseUserStreamCounters {
  frames: number;
  orders: number;
  rejected: number;
  /** `sequence_num` jumps (lost frames). */
  gaps: number;
  venueErrors: number;
  reconnects: number;
}

export interface CoinbaseUserStreamOptions extends UserStreamBaseOptions {
  /** A fresh WebSocket JWT (no `uri` claim) for each subscribe message. */
  readonly jwt: () => string;
  readonly productIds?: readonly string[];
  readonly onOrder: (order: UserOrder) => void;
  /** Frames were lost (sequence gap): order updates may be missing. */
  readonly onGap?: () => void;
  readonly onRejected?: (error: ParseError) => void;
}

/**
 * Coinbase `user` channel: on every (re)connect subscribes `heartbeats` and `user`, each with its own JWT, then
 * turns `orders[]` of snapshot/update events into order callbacks. `sequence_num` counts every frame of the
 * connection; a jump means lost frames.
 */
export class CoinbaseUserStream extends UserStream {
  private lastSeq: number | null = null;
  override readonly counters: CoinbaseUserStreamCounters = { frames: 0, orders: 0, rejected: 0, gaps: 0, venueErrors: 0, reconnects: 0 };

  constructor(private readonly o: CoinbaseUserStreamOptions) {
    super(o);
  }

  protected override onDisconnect(): void {
    this.lastSeq = null;
  }

  protected override sendSubscribe(): void {
    this.lastSeq = null;
    const products = this.o.productIds !== undefined && this.o.productIds.length > 0 ? { product_ids: [...this.o.productIds] } : {};
    try {
      this.conn.send(JSON.stringify({ type: 'subscribe', channel: 'heartbeats', jwt: this.o.jwt() }));
      this.conn.send(JSON.stringify({ type: 'subscribe', channel: 'user', ...products, jwt: this.o.jwt() }));
    } catch (e) {
      this.o.onError?.(e instanceof Error ? e : new Error(String(e)));
      this.conn.reconnect('cannot build the subscribe JWT');
    }
  }

  protected override onFrame(text: string): void {
    this.counters.frames++;
    const f = parseUserWsFrame(text);
    if (f instanceof ParseError) {
      this.counters.rejected++;
      this.checkSeq(f.seq);
      this.o.onRejected?.(f);
      return;
    }
    if (f.kind === 'error') {
      this.counters.venueErrors++;
      this.o.onError?.(new Error(`coinbase user stream error: ${f.message}`));
      this.conn.reconnect('venue error message');
      return;
    }
    this.checkSeq(f.seq);
    if (f.kind === 'other') {
      if (f.subscribed?.includes('user') === true) this.setState('live');
      return;
    }
    this.setState('live');
    for (const ev of f.events) {
      for (const order of ev.orders ?? []) {
        this.counters.orders++;
        this.o.onOrder(order);
      }
    }
  }

  private checkSeq(seq: number | null): void {
    if (seq === null) return;
    const prev = this.lastSeq;
    this.lastSeq = seq;
    if (prev !== null && seq > prev + 1) {
      this.counters.gaps++;
      this.o.onGap?.();
    }
  }
}
