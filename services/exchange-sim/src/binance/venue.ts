import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SimConfig } from '../config/schema';
import { VenueFaults } from '../faults/venue-faults';
import type { Market, MarketBook } from '../model/market';
import type { Rng } from '../model/rng';
import { closeServer, listen, refuseUpgrade } from '../net/listen';
import { newVenueStats, type VenueStats } from '../net/stats';
import { requestUrl } from '../net/http-util';
import { binanceKey, type BinanceKey } from './auth';
import { BinanceConnection, type StreamRegistry } from './connection';
import { OrderCountLimiter } from './order-count';
import { handleBinanceRest } from './rest';
import { parseStream } from './streams';
import { BinanceSymbolFeed, type StreamSubscriber } from './symbol-feed';
import type { BinanceTradingContext } from './trading-context';
import { handleBinanceTrading, TRADING_PATHS } from './trading-rest';
import { WeightLimiter } from './weight-limiter';
import { BinanceWsApiHub } from './ws-api-hub';
import { stableUuid } from '../trading/account';
import type { VenueTrading } from '../trading/venue-trading';

export type BadInputCounter = (venue: string, kind: string) => void;

/** Simulated Binance Spot: REST + market streams on one HTTP server (one port = one "host"). */
export class BinanceVenue implements StreamRegistry {
  readonly stats: VenueStats = newVenueStats();
  readonly faults: VenueFaults;
  private readonly feeds = new Map<string, BinanceSymbolFeed>();
  private readonly books = new Map<string, MarketBook>();
  private readonly conns = new Set<BinanceConnection>();
  private readonly keys = new Map<string, BinanceKey>();
  private readonly wsApi: BinanceWsApiHub;
  private readonly limiter: WeightLimiter;
  private readonly orderCounts: OrderCountLimiter;
  private readonly offEngine: () => void;
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
  private next100 = 0;
  private next1000 = 0;

  constructor(
    private readonly sim: SimConfig,
    market: Market,
    rng: Rng,
    private readonly badInput: BadInputCounter,
    readonly trading: VenueTrading,
  ) {
    const cfg = sim.venues.binance;
    this.faults = new VenueFaults(cfg.faults, rng, this.stats, () => this.disconnectAll());
    for (const mb of market.byVenue.get('binance')?.values() ?? []) {
      const feed = new BinanceSymbolFeed(mb);
      this.feeds.set(feed.symbol.toLowerCase(), feed);
      this.books.set(feed.symbol, mb);
    }
    this.limiter = new WeightLimiter(cfg.weightLimitPerMinute);
    for (const a of sim.accounts.binance) {
      this.keys.set(a.apiKey, binanceKey(a));
      trading.addAccount(a.apiKey, stableUuid(a.apiKey), a.balances);
    }
    const { ordersPer10s, ordersPerDay } = sim.trading.binance;
    this.orderCounts = new OrderCountLimiter([
      { interval: 'SECOND', intervalNum: 10, limit: ordersPer10s },
      { interval: 'DAY', intervalNum: 1, limit: ordersPerDay },
    ]);
    // An order's first fill takes it off the unfilled order count.
    this.offEngine = trading.engine.onEvent((e) => {
      if (e.type === 'fill' && e.order.fills.length === 1) this.orderCounts.filled(e.order.accountKey);
    });
    const { limiter, orderCounts, stats } = this;
    const ctx = { books: this.books, limiter, orderCounts, faults: this.faults, stats };
    let orderId = 1;
    const tctx: BinanceTradingContext = { trading, keys: this.keys, books: this.books, limiter, orderCounts, stats, badInput: (k) => badInput('binance', k), nextOrderId: () => orderId++, now: () => this.faults.now() };
    this.server = createServer((req, res) => {
      const url = requestUrl(req);
      if (!TRADING_PATHS.has(url.pathname)) return handleBinanceRest(ctx, req, res);
      const q = req.url?.indexOf('?') ?? -1;
      handleBinanceTrading(tctx, req, res, url.pathname, q >= 0 ? (req.url as string).slice(q + 1) : '').catch(() => res.destroy());
    });
    this.wsApi = new BinanceWsApiHub(cfg, this.keys, this.faults, this.stats, sim.maxBufferedBytes, (k) => badInput('binance', k), trading.engine);
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  async listen(): Promise<number> {
    const port = await listen(this.server, this.sim.host, this.sim.venues.binance.port);
    this.faults.start();
    return port;
  }

  async close(): Promise<void> {
    this.faults.stop();
    this.wsApi.close();
    this.offEngine();
    this.trading.close();
    for (const c of this.conns) c.close();
    this.conns.clear();
    await closeServer(this.server, this.wss);
  }

  /** Publishes the market's last step (resting orders re-applied over the model's quotes first). */
  onStep(): void {
    this.trading.syncBooks();
    const E = this.faults.now();
    for (const f of this.feeds.values()) f.onStep(E);
  }

  /** Closes windows that are due (call once per timer callback). */
  flushDue(nowMs: number): void {
    if (nowMs >= this.next100) {
      this.next100 = nowMs + 100 - (nowMs % 100);
      for (const f of this.feeds.values()) f.flush(100, this.faults.now());
    }
    if (nowMs >= this.next1000) {
      this.next1000 = nowMs + 1000 - (nowMs % 1000);
      for (const f of this.feeds.values()) f.flush(1000, this.faults.now());
    }
  }

  subscribe(name: string, sub: StreamSubscriber): string | null {
    const spec = parseStream(name);
    const feed = spec ? this.feeds.get(spec.symbol) : undefined;
    if (!spec || !feed) return `Invalid request: invalid stream name ${JSON.stringify(name)}`;
    feed.subscribe(name, spec, sub);
    return null;
  }

  unsubscribe(name: string, sub: StreamSubscriber): void {
    const spec = parseStream(name);
    if (spec) this.feeds.get(spec.symbol)?.unsubscribe(name, sub);
  }

  disconnectAll(): void {
    for (const c of this.conns) c.ws.terminate();
    this.wsApi.terminateAll();
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = requestUrl(req);
    if (url.pathname === '/ws-api/v3') return this.wss.handleUpgrade(req, socket, head, (ws) => this.wsApi.accept(ws));
    let names: string[];
    let combined: boolean;
    if (url.pathname === '/stream' || url.pathname === '/stream/') {
      combined = true;
      names = (url.searchParams.get('streams') ?? '').split('/').filter((s) => s.length > 0);
    } else if (url.pathname === '/ws' || url.pathname.startsWith('/ws/')) {
      // Like the venue, a raw connection accepts any path segment: a stream name is subscribed, anything else (a
      // client's own connection id, as ccxt sends `/ws/<n>` before SUBSCRIBE) opens it with nothing subscribed.
      combined = false;
      names = url.pathname
        .slice(4)
        .split('/')
        .filter((s) => s.length > 0 && this.isStream(s));
    } else {
      this.badInput('binance', 'bad_ws_path');
      return refuseUpgrade(socket, 404, '{"code":-1000,"msg":"Not found."}');
    }
    const bad = names.find((n) => !this.isStream(n));
    if (bad !== undefined || names.length > 1024) {
      this.badInput('binance', 'bad_stream');
      return refuseUpgrade(socket, 400, JSON.stringify({ code: -1100, msg: `Invalid stream name: ${bad ?? 'too many streams'}` }));
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, combined, names));
  }

  private isStream(name: string): boolean {
    const spec = parseStream(name);
    return spec !== null && this.feeds.has(spec.symbol);
  }

  private onConnection(ws: WebSocket, combined: boolean, names: string[]): void {
    const conn = new BinanceConnection(ws, combined, this.sim.venues.binance, this, this.faults, this.stats, this.sim.maxBufferedBytes, (kind) =>
      this.badInput('binance', kind),
    );
    this.conns.add(conn);
    this.stats.connectionsOpen++;
    this.stats.connectionsTotal++;
    conn.subscribeInitial(names);
    ws.on('close', () => {
      if (!this.conns.delete(conn)) return;
      this.stats.connectionsOpen--;
      conn.close();
    });
  }
}
