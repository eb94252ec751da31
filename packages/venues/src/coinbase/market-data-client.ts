import type { FeedCounters, FeedState } from '@arb/contracts';
import type { OrderBook } from '@arb/domain';
import type { BackoffOptions } from '../common/backoff';
import { nowMs } from '../common/clock';
import { FeedTracker } from '../common/feed-tracker';
import { getJson } from '../common/http';
import type { InstrumentInfo } from '../common/instrument';
import { ParseError } from '../common/parse-error';
import { ResyncBackoff, type ResyncBackoffOptions } from '../common/resync-backoff';
import type { MarketDataListener, SymbolMarketDataStatus, VenueMarketData } from '../common/venue-market-data';
import { WsConnection } from '../common/ws-connection';
import { CoinbaseBookSync } from './book-sync';
import {
  COINBASE_VENUE,
  HEARTBEATS_CHANNEL,
  LEVEL2_CHANNEL,
  productsUrl,
  toProductId,
  type CoinbaseMarketDataConfig,
} from './config';
import { parseCoinbaseFrame, parseProducts, type CoinbaseL2Frame } from './parse';
import type { SubscribeRequest } from './wire';

export interface CoinbaseClientDeps {
  readonly getJson?: typeof getJson;
  readonly reconnectBackoff?: BackoffOptions;
  /** Delay between resubscribes of one product whose book keeps failing (crossed snapshot, gaps, no snapshot). */
  readonly resyncBackoff?: ResyncBackoffOptions;
}

/**
 * Coinbase Advanced Trade market data: one WebSocket subscribed to `heartbeats` and `level2` for all products,
 * sequence checking across the connection (a jump → resubscribe `level2` for fresh snapshots), per-product books.
 * Emits `book` events for synced changes, status transitions, rejected frames and errors.
 */
export class CoinbaseMarketDataClient implements VenueMarketData {
  readonly venue = COINBASE_VENUE;
  readonly symbols: readonly string[];
  private readonly tracker: FeedTracker;
  private readonly sync: CoinbaseBookSync;
  private readonly symbolOf = new Map<string, string>(); // product id → symbol
  private readonly productOf = new Map<string, string>(); // symbol → product id
  private readonly subscribedAt = new Map<string, number>(); // product id → when level2 was (re)subscribed
  private readonly resubscribeAt = new Map<string, number>(); // product id → when its held-back resubscribe is due
  private readonly conn: WsConnection;
  private readonly fetchJson: typeof getJson;
  private watchdog: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly config: CoinbaseMarketDataConfig,
    deps: CoinbaseClientDeps = {},
  ) {
    this.symbols = [...config.symbols];
    this.tracker = new FeedTracker(this.venue, this.symbols, new ResyncBackoff(deps.resyncBackoff));
    for (const s of this.symbols) {
      const p = toProductId(s, config.productIds);
      this.symbolOf.set(p, s);
      this.productOf.set(s, p);
    }
    this.sync = new CoinbaseBookSync([...this.symbolOf.keys()]);
    this.fetchJson = deps.getJson ?? getJson;
    this.conn = new WsConnection(
      {
        url: config.wsUrl,
        staleAfterMs: config.staleAfterMs ?? 5_000,
        connectTimeoutMs: config.connectTimeoutMs ?? 10_000,
        ...(deps.reconnectBackoff ? { backoff: deps.reconnectBackoff } : {}),
      },
      {
        onOpen: () => this.onOpen(),
        onMessage: (text, recvTs) => this.onMessage(text, recvTs),
        onClose: (info) => {
          this.sync.onConnectionOpen(); // books are void without a connection
          if (info.willReconnect) this.tracker.setAll('down', `closed ${info.code}${info.reason ? ` ${info.reason}` : ''}`);
        },
        onError: (error) => this.tracker.error(null, error),
      },
    );
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.tracker.setAll('connecting', 'starting');
    this.conn.start();
    const timeout = this.config.snapshotTimeoutMs ?? 10_000;
    this.watchdog = setInterval(() => this.checkSnapshots(timeout), Math.max(50, Math.min(250, timeout / 4)));
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = null;
    await this.conn.stop();
    this.tracker.setAll('down', 'stopped');
  }

  onEvent(listener: MarketDataListener): () => void {
    return this.tracker.onEvent(listener);
  }

  status(): Readonly<Record<string, SymbolMarketDataStatus>> {
    return this.tracker.status();
  }

  state(): FeedState {
    return this.tracker.overall();
  }

  counters(): Readonly<FeedCounters> {
    return this.tracker.counters;
  }

  book(symbol: string): OrderBook | undefined {
    const p = this.productOf.get(symbol);
    return p === undefined ? undefined : this.sync.book(p);
  }

  /** Trading rules of the configured symbols from the public products endpoint. Throws VenueHttpError / ParseError. */
  async fetchInstruments(): Promise<InstrumentInfo[]> {
    const body = await this.fetchJson(productsUrl(this.config.restBaseUrl, [...this.symbolOf.keys()]), {
      timeoutMs: this.config.restTimeoutMs ?? 10_000,
    });
    const parsed = parseProducts(body, this.productOf);
    if (parsed instanceof ParseError) throw parsed;
    return parsed;
  }

  private onOpen(): void {
    if (this.conn.opens > 1) this.tracker.counters.reconnects++;
    this.sync.onConnectionOpen();
    this.resubscribeAt.clear();
    // A new connection: the connection failed, not the books. The subscribe below is each book's first attempt.
    for (const s of this.symbols) {
      this.tracker.resync.reset(s);
      this.tracker.resync.next(s);
    }
    this.send({ type: 'subscribe', channel: HEARTBEATS_CHANNEL });
    this.subscribeLevel2([...this.symbolOf.keys()], false);
    this.tracker.setAll('syncing', 'connected');
  }

  private send(req: SubscribeRequest): void {
    const jwt = this.config.jwt?.();
    this.conn.send(JSON.stringify(jwt === undefined ? req : { ...req, jwt }));
  }

  /** Subscribes level2 for some products; a resubscribe first unsubscribes so the venue sends a new snapshot. */
  private subscribeLevel2(productIds: string[], resubscribe: boolean): void {
    if (productIds.length === 0) return;
    if (resubscribe) this.send({ type: 'unsubscribe', channel: LEVEL2_CHANNEL, product_ids: productIds });
    this.send({ type: 'subscribe', channel: LEVEL2_CHANNEL, product_ids: productIds });
    const now = nowMs();
    for (const p of productIds) this.subscribedAt.set(p, now);
  }

  /**
   * Books of these products can't be trusted: discard them and ask for fresh snapshots. Each product's resubscribe
   * waits its resync backoff (immediate after a healthy book or a lost/corrupt frame (`streamLoss`), growing while its
   * snapshots keep failing) and at least `minResubscribeIntervalMs` after the previous one (venue message rate
   * limits); the watchdog sends the held ones.
   */
  private resync(productIds: string[], reason: string, streamLoss = false): void {
    this.tracker.counters.resyncs++;
    const now = nowMs();
    const minGap = this.config.minResubscribeIntervalMs ?? 500;
    for (const p of productIds) {
      this.sync.invalidate(p);
      const s = this.symbolOf.get(p);
      if (s === undefined) continue;
      if (this.tracker.stateOf(s) !== 'syncing') this.tracker.setState(s, 'resyncing', reason);
      if (this.resubscribeAt.has(p)) continue; // already waiting: one attempt
      const delay = streamLoss ? this.tracker.resync.afterStreamLoss(s) : this.tracker.resync.next(s);
      const due = Math.max(now + delay, (this.subscribedAt.get(p) ?? -Infinity) + minGap);
      this.resubscribeAt.set(p, due);
    }
    this.sendDueResubscribes(now);
  }

  private sendDueResubscribes(now: number): void {
    const due: string[] = [];
    for (const [p, at] of this.resubscribeAt) if (at <= now) due.push(p);
    for (const p of due) this.resubscribeAt.delete(p);
    this.subscribeLevel2(due, true);
  }

  private onMessage(text: string, recvTs: number): void {
    const frame = parseCoinbaseFrame(text);
    if (frame instanceof ParseError) {
      const product = frame.venueSymbol !== null && this.symbolOf.has(frame.venueSymbol) ? frame.venueSymbol : null;
      this.tracker.rejected(product === null ? null : (this.symbolOf.get(product) ?? null), frame.message, text);
      if (frame.seq === null) return; // its number (if any) is lost: the next frame shows a gap
      // The frame used up a sequence number and may have carried book changes: resync what it could have touched
      // (a gap found on the way already resynced everything).
      if (this.checkSeq(frame.seq) !== 'ok') return;
      this.resync(product === null ? [...this.symbolOf.keys()] : [product], 'rejected frame', true);
      return;
    }
    if (frame.kind === 'error') {
      this.tracker.error(null, new Error(`coinbase error: ${frame.message}`));
      return;
    }
    if (this.checkSeq(frame.seq) === 'duplicate') return;
    if (frame.kind === 'l2') this.onL2(frame, recvTs); // after a gap its snapshots still count, updates wait
  }

  private checkSeq(seq: number): 'ok' | 'gap' | 'duplicate' {
    const r = this.sync.onSeq(seq);
    if (r === 'duplicate') return 'duplicate';
    if (r === 'gap') {
      this.tracker.counters.gaps++;
      this.resync([...this.symbolOf.keys()], 'sequence gap', true);
      return 'gap';
    }
    return 'ok';
  }

  private onL2(frame: CoinbaseL2Frame, recvTs: number): void {
    for (const ev of frame.events) {
      const symbol = this.symbolOf.get(ev.productId);
      if (symbol === undefined) continue;
      const r = this.sync.onL2Event(ev, frame.seq, frame.ts);
      if (ev.type === 'update' && r !== 'ignored') this.tracker.counters.updates++;
      switch (r) {
        case 'applied':
          this.tracker.book(symbol, this.sync.book(ev.productId) as OrderBook, frame.seq, frame.ts, recvTs);
          break;
        case 'unchanged':
          this.tracker.confirm(symbol, frame.seq, recvTs);
          break;
        case 'crossed':
          this.tracker.rejected(symbol, `${ev.type} left the book crossed`, '');
          this.resync([ev.productId], 'crossed book');
          break;
        case 'ignored':
          break;
      }
    }
  }

  /** Resubscribes products whose snapshot hasn't come in time (lost subscribe, venue hiccup). */
  private checkSnapshots(timeoutMs: number): void {
    if (!this.conn.isOpen) return;
    const now = nowMs();
    if (this.resubscribeAt.size > 0) this.sendDueResubscribes(now);
    const late: string[] = [];
    for (const [p, at] of this.subscribedAt) if (!this.sync.isLive(p) && !this.resubscribeAt.has(p) && now - at > timeoutMs) late.push(p);
    if (late.length > 0) this.resync(late, 'snapshot timeout');
  }
}
