import type { KeyObject } from 'node:crypto';
import { nowMs } from '../common/clock';
import type { Secret } from '../common/credentials';
import { takeOrReject } from '../common/client-rate-limit';
import type { InstrumentInfo } from '../common/instrument';
import { InstrumentCache } from '../common/instrument-cache';
import { applyOrderRules } from '../common/order-rules';
import { OrderStateCache } from '../common/order-state';
import { asError, OrderUpdates } from '../common/order-updates';
import { ParseError } from '../common/parse-error';
import { RateLimiter, type RateCost } from '../common/rate-limiter';
import { CLIENT_ORDER_ID_PATTERN, type Balance, type OrderState, type PlaceIocRequest, type VenueTradingClient } from '../common/trading';
import { dec } from '../common/trading-decimal';
import { ClockSkewError, OrderNotFoundError, VenueError, VenueRateLimitError, VenueRejectError, VenueUnavailableError } from '../common/trading-errors';
import { retryAfterMs, tradingHttp, TradingConnections, type HttpMethod } from '../common/trading-http';
import { BINANCE_VENUE, binanceSymbolMap, toBinanceSymbol } from './config';
import { parseExchangeInfo } from './parse';
import { encodeParams, hmacKey, signedQuery, type ParamValue } from './signing';
import { BINANCE_RATE_LIMITS, BINANCE_WEIGHTS, type BinanceTradingConfig } from './trading-config';
import {
  binanceError,
  fillsFromTrades,
  orderStateFromReport,
  parseAccount,
  parseMyTrades,
  parseOrderBody,
  parseServerTime,
} from './trading-parse';
import { ORDER_COUNT_10S_HEADER, ORDER_COUNT_1D_HEADER, USED_WEIGHT_HEADER, type ExecutionReport } from './trading-wire';
import { BinanceUserStream, type UserStreamCounters, type UserStreamState } from './user-stream';

interface RequestSpec {
  readonly method: HttpMethod;
  readonly path: string;
  readonly params?: ReadonlyArray<readonly [string, ParamValue]>;
  readonly signed: boolean;
  readonly cost: RateCost;
  readonly mutating?: boolean;
}

export interface BinanceTradingCounters {
  requests: number;
  clockResyncs: number;
  streamUpdates: number;
  /** Stream frames / REST bodies that could not be parsed. */
  rejected: number;
}

/**
 * Binance Spot trading over REST (HMAC-SHA256 signed) with private order updates over the WebSocket API.
 * Implements VenueTradingClient. Credentials are held as Secret / KeyObject: `JSON.stringify`/`inspect` of the client
 * and every error message are free of secrets.
 */
export class BinanceTradingClient implements VenueTradingClient {
  readonly venue = BINANCE_VENUE;
  private readonly key: KeyObject;
  private readonly apiKey: Secret;
  private readonly limiter: RateLimiter;
  private readonly updates: OrderUpdates;
  private readonly rules: InstrumentCache;
  private readonly venueToSymbol = new Map<string, string>();
  private readonly stream: BinanceUserStream;
  private offsetMs = 0;
  private timeSynced = false;
  private syncing: Promise<void> | null = null;
  private syncTimer: NodeJS.Timeout | null = null;
  private started = false;
  readonly counters: BinanceTradingCounters = { requests: 0, clockResyncs: 0, streamUpdates: 0, rejected: 0 };

  private readonly recvWindowMs: number;
  private readonly timeoutMs: number;
  /** Keep-alive sockets of the REST requests (closed by stop()). */
  private readonly connections: TradingConnections;
  private readonly maxWaitMs: number;
  private readonly restBase: string;

  constructor(
    private readonly config: BinanceTradingConfig,
    private readonly hooks: { onError?: (e: Error) => void; onStreamState?: (s: UserStreamState) => void } = {},
  ) {
    this.key = hmacKey(config.credentials.apiSecret);
    this.apiKey = config.credentials.apiKey;
    this.limiter = new RateLimiter(config.rateLimits ?? BINANCE_RATE_LIMITS);
    this.recvWindowMs = config.recvWindowMs ?? 5000;
    this.timeoutMs = config.requestTimeoutMs ?? 5000;
    this.connections = new TradingConnections();
    this.maxWaitMs = config.maxRateLimitWaitMs ?? 2000;
    this.rules = new InstrumentCache(config.instrumentsTtlMs ?? 3_600_000);
    this.updates = new OrderUpdates({
      cache: new OrderStateCache(10_000, true),
      onError: (e) => hooks.onError?.(e),
      reread: (o) => this.getOrder(o.symbol, o.clientOrderId),
    });
    this.restBase = config.restBaseUrl.replace(/\/+$/, '');
    this.stream = new BinanceUserStream({
      url: config.wsApiUrl,
      apiKey: this.apiKey,
      hmacKey: this.key,
      timestamp: () => this.timestamp(),
      recvWindowMs: this.recvWindowMs,
      staleAfterMs: config.streamStaleAfterMs ?? 60_000,
      resyncTime: () => this.syncTime(),
      onReport: (r) => this.onReport(r),
      onState: (s) => {
        hooks.onStreamState?.(s);
        this.updates.streamState(s);
      },
      onError: (e) => hooks.onError?.(e),
      onRejected: (e) => {
        this.counters.rejected++;
        hooks.onError?.(e);
      },
    });
  }

  /** Safe summary for logs (no credentials). */
  toJSON(): Record<string, unknown> {
    return { venue: this.venue, restBaseUrl: this.restBase, wsApiUrl: this.config.wsApiUrl, streamState: this.stream.state, offsetMs: this.offsetMs };
  }

  get streamState(): UserStreamState {
    return this.stream.state;
  }

  get streamCounters(): Readonly<UserStreamCounters> {
    return this.stream.counters;
  }

  /** Server time minus local time (ms), as last measured. */
  get timeOffsetMs(): number {
    return this.offsetMs;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.syncTime();
    const every = this.config.timeSyncIntervalMs ?? 300_000;
    if (every > 0) {
      this.syncTimer = setInterval(() => {
        this.syncTime().catch((e: unknown) => this.hooks.onError?.(asError(e)));
      }, every);
      this.syncTimer.unref();
    }
    this.stream.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.syncTimer !== null) clearInterval(this.syncTimer);
    this.syncTimer = null;
    await this.stream.stop();
    this.connections.close();
  }

  onOrderUpdate(listener: (o: OrderState) => void): () => void {
    return this.updates.listen(listener);
  }

  /** Measures the server time offset (`GET /api/v3/time`, midpoint of the round trip). */
  syncTime(): Promise<void> {
    this.syncing ??= (async () => {
      try {
        const t0 = nowMs();
        const body = await this.request({ method: 'GET', path: '/api/v3/time', signed: false, cost: { weight: BINANCE_WEIGHTS.time } });
        const t1 = nowMs();
        const serverTime = parseServerTime(body);
        if (serverTime instanceof ParseError) throw this.badBody('GET /api/v3/time', serverTime, false);
        this.offsetMs = serverTime - (t0 + t1) / 2;
        this.timeSynced = true;
        this.counters.clockResyncs++;
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  private timestamp(): number {
    return Math.round(nowMs() + this.offsetMs);
  }

  async placeIocLimit(req: PlaceIocRequest): Promise<OrderState> {
    if (!CLIENT_ORDER_ID_PATTERN.test(req.clientOrderId)) {
      throw new VenueRejectError(`binance: invalid clientOrderId ${JSON.stringify(req.clientOrderId)} (not sent)`, { venue: this.venue, code: 'BAD_CLIENT_ORDER_ID' });
    }
    const info = await this.instrument(req.symbol);
    const checked = applyOrderRules(this.venue, info, req.side, req.qty, req.limitPrice, this.config);
    const body = await this.request({
      method: 'POST',
      path: '/api/v3/order',
      signed: true,
      mutating: true,
      cost: { weight: BINANCE_WEIGHTS.newOrder, orders10s: 1, orders1d: 1 },
      params: [
        ['symbol', info.venueSymbol],
        ['side', req.side === 'buy' ? 'BUY' : 'SELL'],
        ['type', 'LIMIT'],
        ['timeInForce', 'IOC'],
        ['quantity', checked.qty],
        ['price', checked.price],
        ['newClientOrderId', req.clientOrderId],
        ['newOrderRespType', 'FULL'],
      ],
    });
    const state = parseOrderBody(body, req.symbol);
    // A 200 answer we cannot read: the order exists but its state is unknown.
    if (state instanceof ParseError) throw this.badBody('POST /api/v3/order', state, true);
    return this.publish(state);
  }

  async getOrder(symbol: string, clientOrderId: string): Promise<OrderState | null> {
    const venueSymbol = await this.venueSymbolOf(symbol);
    let body: unknown;
    try {
      body = await this.request({
        method: 'GET',
        path: '/api/v3/order',
        signed: true,
        cost: { weight: BINANCE_WEIGHTS.queryOrder },
        params: [
          ['symbol', venueSymbol],
          ['origClientOrderId', clientOrderId],
        ],
      });
    } catch (e) {
      if (e instanceof OrderNotFoundError) return null;
      throw e;
    }
    const state = parseOrderBody(body, symbol);
    if (state instanceof ParseError) throw this.badBody('GET /api/v3/order', state, false);
    let merged = this.publish(state);
    if ((this.config.fetchMissingFills ?? true) && this.missingFills(merged) && merged.venueOrderId !== null) {
      const fills = await this.tradesOf(venueSymbol, merged.venueOrderId);
      if (fills !== null) merged = this.publish({ ...merged, fills });
    }
    return merged;
  }

  async cancelOrder(symbol: string, clientOrderId: string): Promise<OrderState> {
    const venueSymbol = await this.venueSymbolOf(symbol);
    let body: unknown;
    try {
      body = await this.request({
        method: 'DELETE',
        path: '/api/v3/order',
        signed: true,
        mutating: true,
        cost: { weight: BINANCE_WEIGHTS.cancelOrder },
        params: [
          ['symbol', venueSymbol],
          ['origClientOrderId', clientOrderId],
        ],
      });
    } catch (e) {
      // -2011 "Unknown order sent." also answers a cancel of an order that is already final: look it up.
      if (!(e instanceof OrderNotFoundError)) throw e;
      const known = await this.getOrder(symbol, clientOrderId);
      if (known === null) throw e;
      return known;
    }
    const state = parseOrderBody(body, symbol);
    if (state instanceof ParseError) throw this.badBody('DELETE /api/v3/order', state, true);
    const merged = this.publish(state);
    if (merged.final && !this.missingFills(merged)) return merged;
    return (await this.getOrder(symbol, clientOrderId)) ?? merged;
  }

  async balances(): Promise<Balance[]> {
    const body = await this.request({ method: 'GET', path: '/api/v3/account', signed: true, cost: { weight: BINANCE_WEIGHTS.account } });
    const b = parseAccount(body);
    if (b instanceof ParseError) throw this.badBody('GET /api/v3/account', b, false);
    return b;
  }

  instruments(symbols: readonly string[]): Promise<InstrumentInfo[]> {
    return this.rules.get(symbols, async (stale) => {
      const wanted = binanceSymbolMap(stale);
      const body = await this.request({
        method: 'GET',
        path: '/api/v3/exchangeInfo',
        signed: false,
        cost: { weight: BINANCE_WEIGHTS.exchangeInfo },
        params: [['symbols', JSON.stringify([...wanted.keys()])]],
      });
      const infos = parseExchangeInfo(body, new Map([...wanted].map(([v, n]) => [n, v])));
      if (infos instanceof ParseError) throw this.badBody('GET /api/v3/exchangeInfo', infos, false);
      for (const info of infos) this.venueToSymbol.set(info.venueSymbol, info.symbol);
      return infos;
    });
  }

  private async instrument(symbol: string): Promise<InstrumentInfo> {
    const [info] = await this.instruments([symbol]);
    if (info === undefined) throw new VenueRejectError(`binance: unknown symbol ${symbol} (not sent)`, { venue: this.venue, code: 'UNKNOWN_SYMBOL' });
    return info;
  }

  private async venueSymbolOf(symbol: string): Promise<string> {
    const cached = this.rules.peek(symbol);
    if (cached !== undefined) return cached.venueSymbol;
    this.venueToSymbol.set(toBinanceSymbol(symbol), symbol);
    return toBinanceSymbol(symbol);
  }

  private missingFills(s: OrderState): boolean {
    return dec.cmp(dec.sum(s.fills.map((f) => f.qty)), s.filledQty) < 0;
  }

  /** Fills of one order from `GET /api/v3/myTrades?orderId=`; null when they cannot be read (the state stays as is). */
  private async tradesOf(venueSymbol: string, orderId: string): Promise<ReturnType<typeof fillsFromTrades> | null> {
    try {
      const body = await this.request({
        method: 'GET',
        path: '/api/v3/myTrades',
        signed: true,
        cost: { weight: BINANCE_WEIGHTS.myTradesByOrder },
        params: [
          ['symbol', venueSymbol],
          ['orderId', orderId],
        ],
      });
      const trades = parseMyTrades(body);
      if (trades instanceof ParseError) {
        this.counters.rejected++;
        return null;
      }
      return fillsFromTrades(trades.filter((t) => String(t.orderId) === orderId));
    } catch (e) {
      this.hooks.onError?.(asError(e));
      return null;
    }
  }

  private onReport(r: ExecutionReport): void {
    const symbol = this.venueToSymbol.get(r.s) ?? r.s;
    const state = orderStateFromReport(r, symbol);
    if (state instanceof ParseError) {
      this.counters.rejected++;
      this.hooks.onError?.(state);
      return;
    }
    this.counters.streamUpdates++;
    this.publish(state);
  }

  private publish(state: OrderState): OrderState {
    return this.updates.publish(state);
  }

  private badBody(label: string, err: ParseError, outcomeUnknown: boolean): VenueError {
    this.counters.rejected++;
    return new VenueUnavailableError(`binance ${label}: unreadable answer: ${err.message}`, { venue: this.venue, code: 'BAD_RESPONSE', cause: err, outcomeUnknown });
  }

  private async request(spec: RequestSpec, retried = false): Promise<unknown> {
    const label = `${spec.method} ${spec.path}`;
    if (spec.signed && !this.timeSynced) await this.syncTime();
    await takeOrReject(this.limiter, spec.cost, this.maxWaitMs, this.venue, label);
    let params = encodeParams(spec.params ?? []);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (spec.signed) {
      const auth = encodeParams([
        ['recvWindow', this.recvWindowMs],
        ['timestamp', this.timestamp()],
      ]);
      params = signedQuery(this.key, params === '' ? auth : `${params}&${auth}`);
      headers['X-MBX-APIKEY'] = this.apiKey.reveal();
    }
    const url = `${this.restBase}${spec.path}${params === '' ? '' : `?${params}`}`;
    this.counters.requests++;
    const res = await tradingHttp(this.venue, { method: spec.method, url, headers, timeoutMs: this.timeoutMs, mutating: spec.mutating === true, label }, this.connections);
    this.observeUsage(res.headers);
    if (res.status >= 200 && res.status < 300) return res.json;
    const retryAfter = retryAfterMs(res.headers);
    const err = binanceError(res.status, res.json, res.text, { label, mutating: spec.mutating === true, retryAfterMs: retryAfter, timeoutMs: this.timeoutMs });
    if (err instanceof VenueRateLimitError) this.limiter.pause(err.retryAfterMs ?? (err.banned ? 60_000 : 1000));
    if (err instanceof ClockSkewError && !retried) {
      // Rejected before execution: safe to resync and send once more with a fresh timestamp.
      await this.syncTime();
      return this.request(spec, true);
    }
    throw err;
  }

  private observeUsage(h: Headers): void {
    const read = (name: string): number => Number(h.get(name) ?? NaN);
    this.limiter.observe('weight', read(USED_WEIGHT_HEADER));
    this.limiter.observe('orders10s', read(ORDER_COUNT_10S_HEADER));
    this.limiter.observe('orders1d', read(ORDER_COUNT_1D_HEADER));
  }
}
