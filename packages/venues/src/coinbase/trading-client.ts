import type { KeyObject } from 'node:crypto';
import { nowMs } from '../common/clock';
import { takeOrReject } from '../common/client-rate-limit';
import type { InstrumentInfo } from '../common/instrument';
import { InstrumentCache } from '../common/instrument-cache';
import { applyOrderRules } from '../common/order-rules';
import { OrderStateCache, splitSymbol } from '../common/order-state';
import { asError, OrderUpdates } from '../common/order-updates';
import { ParseError } from '../common/parse-error';
import { RateLimiter, type RateCost } from '../common/rate-limiter';
import { CLIENT_ORDER_ID_PATTERN, type Balance, type OrderState, type PlaceIocRequest, type VenueTradingClient } from '../common/trading';
import { dec } from '../common/trading-decimal';
import { OrderNotFoundError, VenueError, VenueRateLimitError, VenueRejectError, VenueUnavailableError } from '../common/trading-errors';
import { retryAfterMs, tradingHttp, TradingConnections, type HttpMethod } from '../common/trading-http';
import { COINBASE_VENUE, productsUrl, toProductId } from './config';
import { parseProducts } from './parse';
import { buildJwt, jwtUri, loadPrivateKey } from './signing';
import { COINBASE_RATE_LIMITS, type CoinbaseTradingConfig } from './trading-config';
import {
  coinbaseError,
  createFailure,
  fillsFromWire,
  orderStateFromHistorical,
  orderStateFromUserOrder,
  parseAccounts,
  parseBatchCancel,
  parseCreateOrder,
  parseFills,
  parseGetOrder,
  parseListOrders,
} from './trading-parse';
import type { CreateSorLimitIocRequest, HistoricalOrder, UserOrder } from './trading-wire';
import { CoinbaseUserStream, type CoinbaseUserStreamCounters, type CoinbaseUserStreamState } from './user-stream';

const API = '/api/v3/brokerage';

interface RequestSpec {
  readonly method: HttpMethod;
  readonly path: string;
  readonly query?: ReadonlyArray<readonly [string, string]>;
  readonly body?: unknown;
  readonly cost: RateCost;
  readonly mutating?: boolean;
  /** Public endpoint: no JWT. */
  readonly public?: boolean;
  /** GET of one order by id: the venue's NOT_FOUND answer means "no such order" (OrderNotFoundError). */
  readonly orderLookup?: boolean;
}

export interface CoinbaseTradingCounters {
  requests: number;
  streamUpdates: number;
  rejected: number;
  lookupsByList: number;
}

/**
 * Coinbase Advanced Trade trading: REST with a per-request ES256 JWT, limit IOC via `sor_limit_ioc`, private order
 * updates over the `user` channel. Implements VenueTradingClient. The create answer carries only the order id, so the
 * client keeps clientOrderId → order_id and settles the order (user channel or polls) before returning; after a
 * crash it finds an order by listing the product's orders and matching `client_order_id` (the API has no lookup by
 * client id).
 */
export class CoinbaseTradingClient implements VenueTradingClient {
  readonly venue = COINBASE_VENUE;
  private readonly key: KeyObject;
  private readonly limiter: RateLimiter;
  private readonly cache = new OrderStateCache(10_000, false);
  private readonly updates: OrderUpdates;
  private readonly orderIds = new Map<string, string>();
  private readonly requested = new Map<string, string>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly rules: InstrumentCache;
  private readonly productToSymbol = new Map<string, string>();
  private readonly stream: CoinbaseUserStream;
  private readonly restBase: string;
  private readonly host: string;
  private readonly timeoutMs: number;
  /** Keep-alive sockets of the REST requests (closed by stop()). */
  private readonly connections: TradingConnections;
  readonly counters: CoinbaseTradingCounters = { requests: 0, streamUpdates: 0, rejected: 0, lookupsByList: 0 };

  constructor(
    private readonly config: CoinbaseTradingConfig,
    private readonly hooks: { onError?: (e: Error) => void; onStreamState?: (s: CoinbaseUserStreamState) => void } = {},
  ) {
    this.key = loadPrivateKey(config.credentials.privateKey);
    this.limiter = new RateLimiter(config.rateLimits ?? COINBASE_RATE_LIMITS);
    this.restBase = config.restBaseUrl.replace(/\/+$/, '');
    this.host = new URL(this.restBase).host;
    this.timeoutMs = config.requestTimeoutMs ?? 5000;
    this.connections = new TradingConnections();
    this.rules = new InstrumentCache(config.instrumentsTtlMs ?? 3_600_000);
    this.updates = new OrderUpdates({
      cache: this.cache,
      onError: (e) => hooks.onError?.(e),
      reread: async (o) => (o.venueOrderId === null ? null : this.fetchById(o.symbol, o.venueOrderId)),
    });
    this.stream = new CoinbaseUserStream({
      url: config.userWsUrl,
      jwt: () => buildJwt({ keyName: config.credentials.keyName.reveal(), key: this.key }),
      staleAfterMs: config.streamStaleAfterMs ?? 30_000,
      onOrder: (o) => this.onStreamOrder(o),
      onState: (s) => {
        hooks.onStreamState?.(s);
        this.updates.streamState(s);
      },
      onGap: () => void this.updates.reconcileOpen(),
      onError: (e) => hooks.onError?.(e),
      onRejected: (e) => {
        this.counters.rejected++;
        hooks.onError?.(e);
      },
    });
  }

  /** Safe summary for logs (no credentials). */
  toJSON(): Record<string, unknown> {
    return { venue: this.venue, restBaseUrl: this.restBase, userWsUrl: this.config.userWsUrl, streamState: this.stream.state };
  }

  get streamState(): CoinbaseUserStreamState {
    return this.stream.state;
  }

  get streamCounters(): Readonly<CoinbaseUserStreamCounters> {
    return this.stream.counters;
  }

  /** Opens the user channel (returns at once; `streamState` turns `live` once subscribed). */
  start(): Promise<void> {
    this.stream.start();
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    await this.stream.stop();
    this.connections.close();
    for (const set of this.waiters.values()) for (const w of set) w();
    this.waiters.clear();
  }

  onOrderUpdate(listener: (o: OrderState) => void): () => void {
    return this.updates.listen(listener);
  }

  private productOf(symbol: string): string {
    const p = toProductId(symbol, this.config.productIds);
    this.productToSymbol.set(p, symbol);
    return p;
  }

  async placeIocLimit(req: PlaceIocRequest): Promise<OrderState> {
    if (!CLIENT_ORDER_ID_PATTERN.test(req.clientOrderId)) {
      throw new VenueRejectError(`coinbase: invalid clientOrderId ${JSON.stringify(req.clientOrderId)} (not sent)`, { venue: this.venue, code: 'BAD_CLIENT_ORDER_ID' });
    }
    const info = await this.instrument(req.symbol);
    const checked = applyOrderRules(this.venue, info, req.side, req.qty, req.limitPrice, this.config);
    const body: CreateSorLimitIocRequest = {
      client_order_id: req.clientOrderId,
      product_id: info.venueSymbol,
      side: req.side === 'buy' ? 'BUY' : 'SELL',
      order_configuration: { sor_limit_ioc: { base_size: checked.qty, limit_price: checked.price } },
    };
    this.requested.set(req.clientOrderId, checked.qty);
    const answer = await this.request({ method: 'POST', path: `${API}/orders`, body, cost: { private: 1 }, mutating: true }, true);
    const created = parseCreateOrder(answer);
    if (created instanceof ParseError) throw this.badBody(`POST ${API}/orders`, created, true);
    if (!created.success || created.success_response === undefined) {
      const f = createFailure(created);
      throw new VenueRejectError(`coinbase POST ${API}/orders: ${f.code} ${f.message}`, { venue: this.venue, code: f.code, httpStatus: 200 });
    }
    const orderId = created.success_response.order_id;
    this.orderIds.set(req.clientOrderId, orderId);
    const pending: OrderState = {
      venue: this.venue,
      symbol: req.symbol,
      clientOrderId: req.clientOrderId,
      venueOrderId: orderId,
      side: req.side,
      status: 'new',
      final: false,
      requestedQty: checked.qty,
      filledQty: '0',
      avgPrice: null,
      filledQuote: '0',
      fee: '0',
      feeAsset: splitSymbol(req.symbol).quote,
      fills: [],
      updatedTs: nowMs(),
    };
    this.publish(pending);
    return this.settle(req.symbol, req.clientOrderId, orderId, this.config.settleTimeoutMs ?? 2000);
  }

  /** Polls the order (and listens to the user channel) until it is final or `budgetMs` passed; the latest state. */
  private async settle(symbol: string, clientOrderId: string, orderId: string, budgetMs: number): Promise<OrderState> {
    const deadline = nowMs() + budgetMs;
    const poll = this.config.settlePollMs ?? 100;
    for (;;) {
      const cached = this.cache.get(clientOrderId);
      if (cached?.final === true) return this.withFills(cached);
      try {
        const s = await this.fetchById(symbol, orderId);
        if (s?.final === true) return this.withFills(s);
      } catch (e) {
        // The order exists; a failed status read must not turn into a failed placement.
        if (!(e instanceof VenueError)) throw e;
        this.hooks.onError?.(e);
        break;
      }
      const left = deadline - nowMs();
      if (left <= 0) break;
      await this.waitForFinal(clientOrderId, Math.min(poll, left));
    }
    const latest = this.cache.get(clientOrderId);
    // Not the venue saying "no such order" (the order was accepted): the outcome is unknown, query it again later.
    if (latest === undefined) throw new VenueUnavailableError(`coinbase: order ${clientOrderId} vanished from the cache`, { venue: this.venue, code: 'STATE_LOST', outcomeUnknown: true });
    return latest;
  }

  private waitForFinal(clientOrderId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(clientOrderId);
      if (set === undefined) this.waiters.set(clientOrderId, (set = new Set()));
      const waiters = set;
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0) this.waiters.delete(clientOrderId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiters.add(done);
    });
  }

  async getOrder(symbol: string, clientOrderId: string): Promise<OrderState | null> {
    const orderId = this.orderIds.get(clientOrderId) ?? this.cache.get(clientOrderId)?.venueOrderId ?? null;
    if (orderId !== null) {
      const s = await this.fetchById(symbol, orderId);
      return s === null ? null : this.withFills(s);
    }
    const found = await this.findByClientOrderId(symbol, clientOrderId);
    if (found === null) return null;
    const s = orderStateFromHistorical(found, symbol);
    if (s instanceof ParseError) throw this.badBody(`GET ${API}/orders/historical/batch`, s, false);
    return this.withFills(this.publish(s));
  }

  async cancelOrder(symbol: string, clientOrderId: string): Promise<OrderState> {
    const cached = this.cache.get(clientOrderId);
    if (cached?.final === true) return cached;
    const current = await this.getOrder(symbol, clientOrderId);
    if (current === null) throw new OrderNotFoundError(`coinbase: order ${clientOrderId} is not known to the venue`, { venue: this.venue });
    if (current.final || current.venueOrderId === null) return current;
    const orderId = current.venueOrderId;
    const answer = await this.request({ method: 'POST', path: `${API}/orders/batch_cancel`, body: { order_ids: [orderId] }, cost: { private: 1 }, mutating: true });
    const parsed = parseBatchCancel(answer);
    if (parsed instanceof ParseError) throw this.badBody(`POST ${API}/orders/batch_cancel`, parsed, true);
    const result = parsed.results.find((r) => r.order_id === undefined || r.order_id === orderId);
    const after = await this.settle(symbol, clientOrderId, orderId, this.config.settleTimeoutMs ?? 2000);
    if (result?.success !== true && !after.final) {
      throw new VenueRejectError(`coinbase cancel ${clientOrderId}: ${result?.failure_reason ?? 'no result'}`, { venue: this.venue, code: result?.failure_reason ?? null, httpStatus: 200 });
    }
    return after;
  }

  async balances(): Promise<Balance[]> {
    const total = new Map<string, Balance>();
    let cursor = '';
    for (let page = 0; page < 50; page++) {
      const query: Array<[string, string]> = [['limit', '250']];
      if (cursor !== '') query.push(['cursor', cursor]);
      const body = await this.request({ method: 'GET', path: `${API}/accounts`, query, cost: { private: 1 } });
      const p = parseAccounts(body);
      if (p instanceof ParseError) throw this.badBody(`GET ${API}/accounts`, p, false);
      for (const b of p.balances) {
        const prev = total.get(b.asset);
        total.set(b.asset, prev === undefined ? b : { asset: b.asset, free: dec.add(prev.free, b.free), locked: dec.add(prev.locked, b.locked) });
      }
      if (!p.hasNext || p.cursor === '') break;
      cursor = p.cursor;
    }
    return [...total.values()];
  }

  instruments(symbols: readonly string[]): Promise<InstrumentInfo[]> {
    return this.rules.get(symbols, async (stale) => {
      const wanted = new Map(stale.map((s) => [s, this.productOf(s)] as const));
      const url = new URL(productsUrl(this.restBase, [...wanted.values()]));
      const body = await this.request({
        method: 'GET',
        path: url.pathname,
        query: [...url.searchParams.entries()],
        cost: { public: 1 },
        public: true,
      });
      const infos = parseProducts(body, wanted);
      if (infos instanceof ParseError) throw this.badBody(`GET ${url.pathname}`, infos, false);
      return infos;
    });
  }

  private async instrument(symbol: string): Promise<InstrumentInfo> {
    const [info] = await this.instruments([symbol]);
    if (info === undefined) throw new VenueRejectError(`coinbase: unknown product ${symbol} (not sent)`, { venue: this.venue, code: 'UNKNOWN_SYMBOL' });
    return info;
  }

  /** `GET /orders/historical/{order_id}` → merged state; null only on the venue's NOT_FOUND answer for that order. */
  private async fetchById(symbol: string, orderId: string): Promise<OrderState | null> {
    let body: unknown;
    try {
      body = await this.request({ method: 'GET', path: `${API}/orders/historical/${encodeURIComponent(orderId)}`, cost: { private: 1 }, orderLookup: true });
    } catch (e) {
      if (e instanceof OrderNotFoundError) return null;
      throw e;
    }
    const o = parseGetOrder(body);
    if (o instanceof ParseError) throw this.badBody(`GET ${API}/orders/historical/{id}`, o, false);
    this.orderIds.set(o.client_order_id, o.order_id);
    const s = orderStateFromHistorical(o, symbol);
    if (s instanceof ParseError) throw this.badBody(`GET ${API}/orders/historical/{id}`, s, false);
    return this.publish(s);
  }

  /**
   * Lists the product's orders (newest first, pages of `lookupPageSize`) and matches `client_order_id`. Null only when
   * the whole listing was read without a match; a listing longer than `lookupPages` pages (or a cursor that does not
   * move) ends in a retryable VenueUnavailableError LOOKUP_INCOMPLETE: an order not seen is not an order that never
   * arrived.
   */
  private async findByClientOrderId(symbol: string, clientOrderId: string): Promise<HistoricalOrder | null> {
    this.counters.lookupsByList++;
    const product = this.productOf(symbol);
    const pages = this.config.lookupPages ?? 50;
    const seen = new Set<string>();
    let cursor = '';
    for (let page = 0; page < pages; page++) {
      const query: Array<[string, string]> = [
        ['product_ids', product],
        ['limit', String(this.config.lookupPageSize ?? 1000)],
      ];
      if (cursor !== '') query.push(['cursor', cursor]);
      const body = await this.request({ method: 'GET', path: `${API}/orders/historical/batch`, query, cost: { private: 1 } });
      const list = parseListOrders(body);
      if (list instanceof ParseError) throw this.badBody(`GET ${API}/orders/historical/batch`, list, false);
      const hit = list.orders.find((o) => o.client_order_id === clientOrderId);
      if (hit !== undefined) {
        this.orderIds.set(clientOrderId, hit.order_id);
        return hit;
      }
      if (list.has_next !== true) return null;
      if (list.cursor === undefined || list.cursor === '' || seen.has(list.cursor)) break;
      seen.add(list.cursor);
      cursor = list.cursor;
    }
    throw new VenueUnavailableError(`coinbase: order ${clientOrderId} not found in the first ${pages} pages of ${product} orders (the listing goes on): outcome unknown`, {
      venue: this.venue,
      code: 'LOOKUP_INCOMPLETE',
    });
  }

  /** With `fetchFills`, adds the per-fill rows of a filled order (a failure leaves the aggregate state as is). */
  private async withFills(s: OrderState): Promise<OrderState> {
    if (this.config.fetchFills !== true || s.venueOrderId === null || dec.isZero(s.filledQty)) return s;
    if (dec.cmp(dec.sum(s.fills.map((f) => f.qty)), s.filledQty) >= 0) return s;
    try {
      const body = await this.request({
        method: 'GET',
        path: `${API}/orders/historical/fills`,
        query: [
          ['order_ids', s.venueOrderId],
          ['limit', '1000'],
        ],
        cost: { private: 1 },
      });
      const fills = parseFills(body);
      if (fills instanceof ParseError) {
        this.counters.rejected++;
        return s;
      }
      return this.publish({ ...s, fills: fillsFromWire(fills.filter((f) => f.order_id === s.venueOrderId), s.feeAsset) });
    } catch (e) {
      this.hooks.onError?.(asError(e));
      return s;
    }
  }

  private onStreamOrder(o: UserOrder): void {
    const symbol = this.productToSymbol.get(o.product_id) ?? o.product_id;
    const state = orderStateFromUserOrder(o, symbol, this.requested.get(o.client_order_id));
    if (state instanceof ParseError) {
      this.counters.rejected++;
      this.hooks.onError?.(state);
      return;
    }
    this.counters.streamUpdates++;
    this.orderIds.set(o.client_order_id, o.order_id);
    this.publish(state);
  }

  /** Merges into the cache and tells the listeners (see OrderUpdates); wakes whoever waits for a final state. */
  private publish(state: OrderState): OrderState {
    const merged = this.updates.publish(state);
    if (merged.final) for (const w of [...(this.waiters.get(merged.clientOrderId) ?? [])]) w();
    return merged;
  }

  private badBody(label: string, err: ParseError, outcomeUnknown: boolean): VenueError {
    this.counters.rejected++;
    return new VenueUnavailableError(`coinbase ${label}: unreadable answer: ${err.message}`, { venue: this.venue, code: 'BAD_RESPONSE', cause: err, outcomeUnknown });
  }

  /**
   * One REST call. With `createOrder`, a non-2xx answer shaped like a create-order failure becomes a
   * VenueRejectError with its failure reason.
   */
  private async request(spec: RequestSpec, createOrder = false): Promise<unknown> {
    const label = `${spec.method} ${spec.path}`;
    await takeOrReject(this.limiter, spec.cost, this.config.maxRateLimitWaitMs ?? 2000, this.venue, label);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (spec.public !== true) {
      headers.authorization = `Bearer ${buildJwt({ keyName: this.config.credentials.keyName.reveal(), key: this.key, uri: jwtUri(spec.method, this.host, spec.path) })}`;
    }
    let bodyText: string | undefined;
    if (spec.body !== undefined) {
      bodyText = JSON.stringify(spec.body);
      headers['content-type'] = 'application/json';
    }
    const qs = (spec.query ?? []).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const url = `${this.restBase}${spec.path}${qs === '' ? '' : `?${qs}`}`;
    this.counters.requests++;
    const res = await tradingHttp(this.venue, { method: spec.method, url, headers, body: bodyText, timeoutMs: this.timeoutMs, mutating: spec.mutating === true, label }, this.connections);
    if (res.status >= 200 && res.status < 300) return res.json;
    if (createOrder && res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403 && res.status !== 429) {
      const created = parseCreateOrder(res.json);
      if (!(created instanceof ParseError) && !created.success) {
        const f = createFailure(created);
        throw new VenueRejectError(`coinbase ${label}: HTTP ${res.status} ${f.code} ${f.message}`, { venue: this.venue, code: f.code, httpStatus: res.status });
      }
    }
    const err = coinbaseError(res.status, res.json, res.text, { label, mutating: spec.mutating === true, retryAfterMs: retryAfterMs(res.headers), orderLookup: spec.orderLookup === true });
    if (err instanceof VenueRateLimitError) this.limiter.pause(err.retryAfterMs ?? 1000);
    throw err;
  }
}
