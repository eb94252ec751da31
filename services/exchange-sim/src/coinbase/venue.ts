import { createPublicKey, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SimConfig } from '../config/schema';
import { VenueFaults } from '../faults/venue-faults';
import { isoMicros } from '../model/format';
import type { Market, MarketBook } from '../model/market';
import type { Rng } from '../model/rng';
import { closeServer, listen } from '../net/listen';
import { newVenueStats, type VenueStats } from '../net/stats';
import { CoinbaseConnection, type CoinbaseHub } from './connection';
import { CoinbaseProductFeed } from './product-feed';
import { handleCoinbaseRest } from './rest';
import { handleCoinbaseTrading, isCoinbaseTradingPath, type CoinbaseTradingContext } from './trading-rest';
import { CoinbaseUserConnection, type UserChannelAuth } from './user-connection';
import { requestUrl } from '../net/http-util';
import { stableUuid } from '../trading/account';
import type { VenueTrading } from '../trading/venue-trading';

/** Each connection's sequence_num block: base = connection index * 2^32 (never reused). */
const SEQ_BLOCK = 2 ** 32;
/** The ticker_batch channel's cadence (the venue documents 5 s). */
const TICKER_BATCH_MS = 5000;

/** Simulated Coinbase Advanced Trade: REST + market-data WebSocket at `/` on one port. */
export class CoinbaseVenue implements CoinbaseHub {
  readonly stats: VenueStats = newVenueStats();
  readonly faults: VenueFaults;
  readonly feeds = new Map<string, CoinbaseProductFeed>();
  readonly books = new Map<string, MarketBook>();
  readonly userAuth: UserChannelAuth;
  private readonly conns = new Set<CoinbaseConnection>();
  private readonly userConns = new Set<CoinbaseUserConnection>();
  private readonly keys = new Map<string, KeyObject>();
  private readonly unsubscribeEngine: () => void;
  private port = 0;
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private tickerBatchTimer: NodeJS.Timeout | null = null;
  private readonly offTape: () => void;
  private connIndex = 0;

  constructor(
    private readonly sim: SimConfig,
    market: Market,
    rng: Rng,
    private readonly badInput: (venue: string, kind: string) => void,
    readonly trading: VenueTrading,
  ) {
    this.faults = new VenueFaults(sim.venues.coinbase.faults, rng, this.stats, () => this.disconnectAll());
    for (const mb of market.byVenue.get('coinbase')?.values() ?? []) {
      this.books.set(mb.inst.symbol, mb);
      this.feeds.set(mb.inst.symbol, new CoinbaseProductFeed(mb, sim.control.historySize));
    }
    for (const a of sim.accounts.coinbase) {
      this.keys.set(a.keyName, createPublicKey(a.publicKey));
      trading.addAccount(a.keyName, stableUuid(a.keyName), a.balances);
    }
    const ctx = { books: this.books, faults: this.faults, stats: this.stats, tape: trading.tape };
    const tctx: CoinbaseTradingContext = {
      trading,
      keys: this.keys,
      leewayS: sim.trading.coinbase.jwtLeewayS,
      books: this.books,
      stats: this.stats,
      badInput: (k) => badInput('coinbase', k),
      now: () => this.faults.now(),
      hosts: () => [`${sim.host}:${this.port}`, `localhost:${this.port}`, 'api.coinbase.com'],
    };
    this.server = createServer((req, res) => {
      const url = requestUrl(req);
      if (!isCoinbaseTradingPath(url.pathname)) return handleCoinbaseRest(ctx, req, res);
      handleCoinbaseTrading(tctx, req, res, url).catch(() => res.destroy());
    });
    this.userAuth = {
      keys: this.keys,
      leewayS: sim.trading.coinbase.jwtLeewayS,
      account: (k: string) => trading.accounts.get(k),
      openOrders: (k: string) => trading.engine.openOrders(k),
    };
    // The user channel reports an order when it is accepted (OPEN), when it rests after taking part of the book, on
    // each fill while it rests (maker fills) and when it is final.
    this.unsubscribeEngine = trading.engine.onEvent((e) => {
      const reported = e.type === 'accepted' || e.type === 'done' || (e.type === 'open' && e.order.filledLots > 0) || (e.type === 'fill' && e.order.status === 'open');
      if (!reported) return;
      const account = trading.accounts.get(e.order.accountKey);
      if (!account) return;
      for (const c of this.userConns) c.deliver(e.order.accountKey, e.order, account);
      for (const c of this.conns) c.deliverUser(e.order.accountKey, e.order, account);
    });
    this.offTape = trading.tape.onPrint((symbol, p) => {
      const mb = this.books.get(symbol);
      if (mb) for (const c of this.conns) c.onPrint(mb, p);
    });
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  async listen(): Promise<number> {
    const port = await listen(this.server, this.sim.host, this.sim.venues.coinbase.port);
    this.port = port;
    this.faults.start();
    this.heartbeatTimer = setInterval(() => {
      for (const c of this.conns) c.heartbeat();
      for (const c of this.userConns) c.heartbeat();
    }, this.sim.venues.coinbase.heartbeatIntervalMs);
    this.tickerBatchTimer = setInterval(() => {
      for (const c of this.conns) c.tickerBatch();
    }, TICKER_BATCH_MS);
    return port;
  }

  async close(): Promise<void> {
    this.faults.stop();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.tickerBatchTimer) clearInterval(this.tickerBatchTimer);
    this.heartbeatTimer = this.tickerBatchTimer = null;
    this.unsubscribeEngine();
    this.offTape();
    this.trading.close();
    for (const c of this.conns) c.close();
    this.conns.clear();
    for (const c of this.userConns) c.close();
    this.userConns.clear();
    await closeServer(this.server, this.wss);
  }

  /** The venue's public tape (every match on its books). */
  get tape(): VenueTrading['tape'] {
    return this.trading.tape;
  }

  /** Publishes the market's last step (resting orders re-applied over the model's quotes first). */
  onStep(): void {
    this.trading.syncBooks();
    let ts: string | null = null;
    for (const f of this.feeds.values()) {
      if (f.subs.size === 0 || f.mb.book.buffer.updCount === 0) continue;
      ts ??= isoMicros(this.faults.preciseNow());
      f.onStep(ts);
    }
  }

  subscribe(sub: CoinbaseConnection, productIds: string[]): string | null {
    const unknown = productIds.find((p) => !this.feeds.has(p));
    if (unknown !== undefined) return `Failed to subscribe: unknown product_id ${JSON.stringify(unknown)}`;
    const ts = isoMicros(this.faults.preciseNow());
    for (const p of new Set(productIds)) {
      const feed = this.feeds.get(p) as CoinbaseProductFeed;
      feed.subs.add(sub);
      feed.snapshot(sub, ts);
    }
    return null;
  }

  unsubscribe(sub: CoinbaseConnection, productIds: string[]): void {
    for (const p of productIds) this.feeds.get(p)?.subs.delete(sub);
  }

  disconnectAll(): void {
    for (const c of this.conns) c.ws.terminate();
    for (const c of this.userConns) c.ws.terminate();
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const user = requestUrl(req).pathname === '/user';
    this.wss.handleUpgrade(req, socket, head, (ws) => (user ? this.onUserConnection(ws) : this.onConnection(ws)));
  }

  private onUserConnection(ws: WebSocket): void {
    const conn = new CoinbaseUserConnection(ws, this.sim.venues.coinbase, this.userAuth, this.faults, this.stats, this.sim.maxBufferedBytes, (kind) => this.badInput('coinbase', kind));
    this.userConns.add(conn);
    this.stats.connectionsOpen++;
    this.stats.connectionsTotal++;
    ws.on('close', () => {
      if (!this.userConns.delete(conn)) return;
      this.stats.connectionsOpen--;
      conn.close();
    });
  }

  private onConnection(ws: WebSocket): void {
    const conn = new CoinbaseConnection(ws, this.connIndex++ * SEQ_BLOCK, this.sim.venues.coinbase, this, this.faults, this.stats, this.sim.maxBufferedBytes, (kind) =>
      this.badInput('coinbase', kind),
    );
    this.conns.add(conn);
    this.stats.connectionsOpen++;
    this.stats.connectionsTotal++;
    ws.on('close', () => {
      if (!this.conns.delete(conn)) return;
      this.stats.connectionsOpen--;
      conn.close();
    });
  }
}
