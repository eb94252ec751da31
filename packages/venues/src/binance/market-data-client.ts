import type { FeedCounters, FeedState } from '@arb/contracts';
import type { OrderBook } from '@arb/domain';
import type { BackoffOptions } from '../common/backoff';
import { nowMs } from '../common/clock';
import { FeedTracker } from '../common/feed-tracker';
import { getJson, VenueHttpError } from '../common/http';
import type { InstrumentInfo } from '../common/instrument';
import { ParseError } from '../common/parse-error';
import { RateLimiter } from '../common/rate-limiter';
import { ResyncBackoff, type ResyncBackoffOptions } from '../common/resync-backoff';
import type { MarketDataListener, SymbolMarketDataStatus, VenueMarketData } from '../common/venue-market-data';
import { WsConnection } from '../common/ws-connection';
import { BinanceBookSync, type BinanceSyncResult } from './book-sync';
import {
  BINANCE_VENUE,
  bookTickerStreamName,
  combinedStreamUrl,
  depthSnapshotUrl,
  depthStreamName,
  exchangeInfoUrl,
  snapshotWeight,
  toBinanceSymbol,
  type BinanceMarketDataConfig,
} from './config';
import { parseBinanceFrame, parseDepthSnapshot, parseExchangeInfo } from './parse';

export interface BinanceClientDeps {
  /** REST GET returning parsed JSON (default: fetch-based `getJson`). */
  readonly getJson?: typeof getJson;
  /** Delay between sync attempts of one symbol's book (snapshot crossed / older than the stream / failed). */
  readonly resyncBackoff?: ResyncBackoffOptions;
  /** Backoff between reconnects. */
  readonly reconnectBackoff?: BackoffOptions;
  /** Clock of the REST weight budget (tests). */
  readonly now?: () => number;
}

interface SymbolCtx {
  readonly symbol: string;
  readonly venueSymbol: string;
  readonly sync: BinanceBookSync;
  fetching: boolean;
  retryTimer: NodeJS.Timeout | null;
}

/** Binance counts REQUEST_WEIGHT per IP per minute; the ingestor keeps to `snapshotWeightPerMinute` of it. */
const WEIGHT = 'weight';

/**
 * Binance Spot market data: one combined-stream WebSocket for all symbols' diff depth (and optionally bookTicker),
 * REST depth snapshots, and a `BinanceBookSync` per symbol. Emits `book` events for synced changes, status
 * transitions, rejected frames and errors. Works unchanged against the real venue and the exchange simulator.
 */
export class BinanceMarketDataClient implements VenueMarketData {
  readonly venue = BINANCE_VENUE;
  readonly symbols: readonly string[];
  private readonly tracker: FeedTracker;
  private readonly byVenueSymbol = new Map<string, SymbolCtx>();
  private readonly bySymbol = new Map<string, SymbolCtx>();
  private readonly conn: WsConnection;
  private readonly fetchJson: typeof getJson;
  /** The REST weight this client may spend (snapshotWeightPerMinute); a 429/418 pauses it (limits are per IP). */
  private readonly restBudget: RateLimiter;
  private readonly weightPerSnapshot: number;
  private abort = new AbortController();
  private running = false;

  constructor(
    private readonly config: BinanceMarketDataConfig,
    deps: BinanceClientDeps = {},
  ) {
    this.symbols = [...config.symbols];
    const now = deps.now ?? nowMs;
    this.tracker = new FeedTracker(this.venue, this.symbols, new ResyncBackoff(deps.resyncBackoff, now));
    this.fetchJson = deps.getJson ?? getJson;
    this.weightPerSnapshot = snapshotWeight(config.snapshotLimit ?? 1000);
    const budget = Math.max(config.snapshotWeightPerMinute ?? 3000, this.weightPerSnapshot);
    this.restBudget = new RateLimiter([{ name: WEIGHT, limit: budget, intervalMs: 60_000 }], { now });
    for (const symbol of this.symbols) {
      const ctx: SymbolCtx = {
        symbol,
        venueSymbol: toBinanceSymbol(symbol),
        sync: new BinanceBookSync(config.maxBufferedEvents ?? 10_000),
        fetching: false,
        retryTimer: null,
      };
      this.byVenueSymbol.set(ctx.venueSymbol, ctx);
      this.bySymbol.set(symbol, ctx);
    }
    const streams: string[] = [];
    for (const s of this.symbols) {
      streams.push(depthStreamName(s, config.depthSpeed ?? '100ms'));
      if (config.bookTicker === true) streams.push(bookTickerStreamName(s));
    }
    this.conn = new WsConnection(
      {
        url: combinedStreamUrl(config.wsBaseUrl, streams),
        staleAfterMs: config.staleAfterMs ?? 10_000,
        connectTimeoutMs: config.connectTimeoutMs ?? 10_000,
        ...(deps.reconnectBackoff ? { backoff: deps.reconnectBackoff } : {}),
      },
      {
        onOpen: () => this.onOpen(),
        onMessage: (text, recvTs) => this.onMessage(text, recvTs),
        onClose: (info) => this.onClose(info.willReconnect, `closed ${info.code}${info.reason ? ` ${info.reason}` : ''}`),
        onError: (error) => this.tracker.error(null, error),
      },
    );
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.tracker.setAll('connecting', 'starting');
    this.conn.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    for (const ctx of this.bySymbol.values()) {
      if (ctx.retryTimer !== null) clearTimeout(ctx.retryTimer);
      ctx.retryTimer = null;
    }
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
    return this.bySymbol.get(symbol)?.sync.book;
  }

  /** Trading rules of the configured symbols from `GET /api/v3/exchangeInfo`. Throws VenueHttpError / ParseError. */
  async fetchInstruments(): Promise<InstrumentInfo[]> {
    const body = await this.fetchJson(exchangeInfoUrl(this.config.restBaseUrl, this.symbols), {
      timeoutMs: this.config.restTimeoutMs ?? 10_000,
    });
    const parsed = parseExchangeInfo(body, new Map(this.symbols.map((s) => [s, toBinanceSymbol(s)])));
    if (parsed instanceof ParseError) throw parsed;
    return parsed;
  }

  private onOpen(): void {
    if (this.conn.opens > 1) this.tracker.counters.reconnects++;
    for (const ctx of this.bySymbol.values()) {
      ctx.sync.reset();
      // A new connection: the connection failed, not the book; its first snapshot is not a retry.
      this.tracker.resync.reset(ctx.symbol);
      this.tracker.setState(ctx.symbol, 'syncing', 'connected');
    }
  }

  private onClose(willReconnect: boolean, reason: string): void {
    for (const ctx of this.bySymbol.values()) ctx.sync.reset();
    if (willReconnect) this.tracker.setAll('down', reason);
  }

  private onMessage(text: string, recvTs: number): void {
    const ev = parseBinanceFrame(text);
    if (ev instanceof ParseError) {
      const ctx = ev.venueSymbol === null ? undefined : this.byVenueSymbol.get(ev.venueSymbol);
      this.tracker.rejected(ctx?.symbol ?? null, ev.message, text);
      // A lost diff of an unknown symbol shows up as a gap on that symbol's next diff.
      if (ctx !== undefined) this.resync(ctx, 'rejected frame', true);
      return;
    }
    switch (ev.kind) {
      case 'depth': {
        const ctx = this.byVenueSymbol.get(ev.venueSymbol);
        if (ctx === undefined) {
          this.tracker.rejected(null, `depth for unexpected symbol ${ev.venueSymbol}`, text);
          return;
        }
        this.handle(ctx, ctx.sync.onDepth(ev), recvTs, true);
        return;
      }
      case 'bookTicker': {
        const ctx = this.byVenueSymbol.get(ev.venueSymbol);
        if (ctx !== undefined) this.handle(ctx, ctx.sync.onBookTicker(ev), recvTs, false);
        return;
      }
      case 'error':
        this.tracker.error(null, new Error(`binance stream error ${ev.code}: ${ev.msg}`));
        return;
      case 'serverShutdown':
        this.tracker.error(null, new Error('binance: serverShutdown announced, the connection will be closed'));
        return;
      default:
        return;
    }
  }

  private handle(ctx: SymbolCtx, r: BinanceSyncResult, recvTs: number, isDiff: boolean): void {
    const t = this.tracker;
    switch (r) {
      case 'applied':
        if (isDiff) t.counters.updates++;
        t.book(ctx.symbol, ctx.sync.book, ctx.sync.lastUpdateId, ctx.sync.lastEventTs, recvTs);
        return;
      case 'unchanged':
        if (isDiff) t.counters.updates++;
        if (ctx.sync.synced) t.confirm(ctx.symbol, ctx.sync.lastUpdateId, recvTs);
        return;
      case 'buffered':
      case 'ignored':
        return;
      case 'need-snapshot':
        if (!this.attemptPending(ctx)) this.requestSnapshot(ctx, this.tracker.resync.next(ctx.symbol));
        return;
      case 'gap':
        t.counters.gaps++;
        this.startResync(ctx, 'sequence gap', true);
        return;
      case 'crossed':
        t.rejected(ctx.symbol, 'update left the book crossed', '');
        this.startResync(ctx, 'crossed book');
        return;
      case 'mismatch':
        t.counters.checksumFailures++;
        this.startResync(ctx, 'bookTicker mismatch');
        return;
    }
  }

  /** The book can't be trusted any more: discard it and fetch a fresh snapshot. */
  private resync(ctx: SymbolCtx, reason: string, streamLoss: boolean): void {
    ctx.sync.reset();
    this.startResync(ctx, reason, streamLoss);
  }

  /**
   * A new snapshot: at once after a lost or corrupt diff (`streamLoss`), else (a crossed snapshot or book, a
   * mismatch) after the resync backoff of the failures in a row.
   */
  private startResync(ctx: SymbolCtx, reason: string, streamLoss = false): void {
    this.tracker.counters.resyncs++;
    if (this.tracker.stateOf(ctx.symbol) !== 'syncing') this.tracker.setState(ctx.symbol, 'resyncing', reason);
    if (this.attemptPending(ctx)) return; // the snapshot on its way (or waiting) serves this resync too
    const r = this.tracker.resync;
    this.requestSnapshot(ctx, streamLoss ? r.afterStreamLoss(ctx.symbol) : r.next(ctx.symbol));
  }

  /** A snapshot request is in flight or scheduled. */
  private attemptPending(ctx: SymbolCtx): boolean {
    return ctx.fetching || ctx.retryTimer !== null;
  }

  /** Fetches a snapshot after `delayMs` (resync backoff), and not before the REST weight budget has room. */
  private requestSnapshot(ctx: SymbolCtx, delayMs: number): void {
    if (!this.running || ctx.fetching || ctx.retryTimer !== null) return;
    const wait = delayMs > 0 ? delayMs : this.restBudget.tryTake({ [WEIGHT]: this.weightPerSnapshot });
    if (wait > 0) {
      ctx.retryTimer = setTimeout(() => {
        ctx.retryTimer = null;
        this.requestSnapshot(ctx, 0);
      }, wait);
      return;
    }
    ctx.fetching = true;
    const url = depthSnapshotUrl(this.config.restBaseUrl, ctx.symbol, this.config.snapshotLimit ?? 1000);
    this.fetchJson(url, { timeoutMs: this.config.restTimeoutMs ?? 10_000, signal: this.abort.signal }).then(
      (body) => {
        ctx.fetching = false;
        if (!this.running) return;
        const recvTs = nowMs();
        const snap = parseDepthSnapshot(body);
        if (snap instanceof ParseError) {
          this.tracker.rejected(ctx.symbol, snap.message, snap.sample);
          this.retrySnapshot(ctx, null);
          return;
        }
        const r = ctx.sync.onSnapshot(snap);
        if (r === 'need-snapshot') {
          this.retrySnapshot(ctx, null); // older than the buffered diffs: fetch again
          return;
        }
        if (ctx.sync.synced) this.tracker.counters.updates += ctx.sync.appliedFromBuffer;
        // A crossed snapshot, or buffered diffs that broke it, goes through startResync: the backoff applies.
        this.handle(ctx, r, recvTs, false);
      },
      (err: unknown) => {
        ctx.fetching = false;
        if (!this.running) return;
        const error = err instanceof Error ? err : new Error(String(err));
        this.tracker.error(ctx.symbol, error);
        this.retrySnapshot(ctx, error);
      },
    );
  }

  private retrySnapshot(ctx: SymbolCtx, error: Error | null): void {
    if (error instanceof VenueHttpError && error.isRateLimit) {
      // Every REST call of this client waits it out (the executors share the IP's limits and its ban).
      this.restBudget.pause((error.retryAfterSec ?? (error.status === 418 ? 60 : 10)) * 1000);
    }
    this.requestSnapshot(ctx, this.tracker.resync.next(ctx.symbol));
  }
}
