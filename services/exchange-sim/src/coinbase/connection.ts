import type { WebSocket } from 'ws';
import type { CoinbaseConfig } from '../config/schema';
import type { VenueFaults } from '../faults/venue-faults';
import type { MarketBook } from '../model/market';
import { Outbound } from '../net/outbound';
import type { VenueStats } from '../net/stats';
import type { Account } from '../trading/account';
import type { SimOrder } from '../trading/order';
import type { Tape, TapePrint } from '../trading/tape';
import { channelMessage, statusProductJson, tickerJson, tradesEvent, TRADES_SNAPSHOT } from './channels';
import { errorMessage, heartbeatMessage, goTime, subscriptionsMessage } from './messages';
import type { L2Subscriber } from './product-feed';
import { UserChannel, type UserChannelAuth } from './user-channel';
import { parseCbRequest } from './ws-requests';
import { isoMicros } from '../model/format';

/** What a market-data connection needs from the venue: level2 feeds, the books and tape, user-channel auth. */
export interface CoinbaseHub {
  /** null when every product exists, else an error text (nothing subscribed). */
  subscribe(sub: CoinbaseConnection, productIds: string[]): string | null;
  unsubscribe(sub: CoinbaseConnection, productIds: string[]): void;
  readonly books: ReadonlyMap<string, MarketBook>;
  readonly tape: Tape;
  readonly userAuth: UserChannelAuth;
}

/** Channels kept as a set of product ids per connection (level2 has its own feed registry). */
const PRODUCT_CHANNELS = ['ticker', 'ticker_batch', 'market_trades', 'status'] as const;
type ProductChannel = (typeof PRODUCT_CHANNELS)[number];

/**
 * One Coinbase Advanced Trade market-data WebSocket: `level2` (alias `l2_data`), `ticker`, `ticker_batch`,
 * `market_trades`, `status`, `heartbeats`, and the private `user` channel (with a JWT), as the venue serves them on
 * this endpoint. Its `sequence_num` starts at a sim-wide unique base and goes up by one per message of any channel,
 * so a number is never reused.
 */
export class CoinbaseConnection implements L2Subscriber {
  readonly out: Outbound;
  readonly level2 = new Set<string>();
  readonly products = new Map<ProductChannel, Set<string>>(PRODUCT_CHANNELS.map((c) => [c, new Set<string>()]));
  heartbeats = false;
  private readonly user: UserChannel;
  private seq: number;
  private hbCounter = 0;
  private subscribeTimer: NodeJS.Timeout | null;

  constructor(
    readonly ws: WebSocket,
    seqBase: number,
    cfg: CoinbaseConfig,
    private readonly hub: CoinbaseHub,
    private readonly faults: VenueFaults,
    private readonly stats: VenueStats,
    maxBufferedBytes: number,
    private readonly onBadInput: (kind: string) => void,
  ) {
    this.seq = seqBase;
    this.user = new UserChannel(hub.userAuth);
    this.out = new Outbound(ws, faults, stats, maxBufferedBytes);
    ws.on('message', (data, isBinary) => this.onMessage(isBinary ? '' : data.toString()));
    ws.on('error', () => ws.terminate());
    this.subscribeTimer = setTimeout(() => {
      this.stats.subscribeTimeouts++;
      ws.close(1008, 'subscribe timeout');
    }, cfg.subscribeTimeoutMs);
  }

  nextSeq(): number {
    return this.seq++;
  }

  heartbeat(): void {
    if (!this.heartbeats) return;
    const now = this.faults.preciseNow();
    this.out.control(heartbeatMessage(isoMicros(now), this.nextSeq(), goTime(now), ++this.hbCounter));
  }

  /** A trade printed on `mb`: market_trades and ticker updates for the connections that follow it. */
  onPrint(mb: MarketBook, p: TapePrint): void {
    const id = mb.inst.symbol;
    if (this.products.get('market_trades')?.has(id)) this.send('market_trades', [tradesEvent('update', mb, [p])]);
    if (this.products.get('ticker')?.has(id)) this.send('ticker', [{ type: 'update', tickers: [tickerJson(mb, this.hub.tape)] }]);
  }

  /** The periodic ticker_batch update. */
  tickerBatch(): void {
    const ids = this.products.get('ticker_batch') as Set<string>;
    const tickers = [...ids].flatMap((id) => {
      const mb = this.hub.books.get(id);
      return mb ? [tickerJson(mb, this.hub.tape)] : [];
    });
    if (tickers.length > 0) this.send('ticker_batch', [{ type: 'update', tickers }]);
  }

  /** An order of `keyName` changed: sent when this connection's user subscription follows it. */
  deliverUser(keyName: string, order: SimOrder, account: Account): void {
    const events = this.user.update(keyName, order, account);
    if (events) this.send('user', events);
  }

  close(): void {
    if (this.subscribeTimer) clearTimeout(this.subscribeTimer);
    this.subscribeTimer = null;
    this.hub.unsubscribe(this, [...this.level2]);
    this.level2.clear();
    this.out.close();
  }

  private send(channel: string, events: unknown[]): void {
    this.out.control(channelMessage(channel, isoMicros(this.faults.preciseNow()), this.nextSeq(), events));
  }

  private onMessage(text: string): void {
    const req = parseCbRequest(text);
    if (typeof req === 'string') {
      this.onBadInput('bad_request');
      return this.out.control(errorMessage(req));
    }
    const channel = req.channel === 'l2_data' ? 'level2' : req.channel;
    const sub = req.type === 'subscribe';
    let err: string | null = null;
    if (channel === 'level2') err = this.level2Request(sub, req.productIds);
    else if (channel === 'heartbeats') this.heartbeats = sub;
    else if (channel === 'user') err = this.userRequest(sub, req.jwt, req.productIds);
    else if ((PRODUCT_CHANNELS as readonly string[]).includes(channel)) err = this.productRequest(channel as ProductChannel, sub, req.productIds);
    else {
      this.onBadInput('bad_channel');
      return this.out.control(errorMessage(`Failed to subscribe: channel ${JSON.stringify(req.channel)} is not available on this venue`));
    }
    if (err !== null) {
      this.onBadInput(channel === 'user' ? 'auth_jwt' : 'bad_subscribe');
      return this.out.control(errorMessage(err));
    }
    if (sub && this.subscribeTimer) {
      clearTimeout(this.subscribeTimer);
      this.subscribeTimer = null;
    }
    this.ackSubscriptions();
  }

  private level2Request(sub: boolean, ids: string[]): string | null {
    if (sub) {
      if (ids.length === 0) return 'Failed to subscribe: level2 requires product_ids';
      const err = this.hub.subscribe(this, ids);
      if (err !== null) return err;
      for (const p of ids) this.level2.add(p);
      return null;
    }
    const drop = ids.length > 0 ? ids : [...this.level2];
    this.hub.unsubscribe(this, drop);
    for (const p of drop) this.level2.delete(p);
    return null;
  }

  private productRequest(channel: ProductChannel, sub: boolean, ids: string[]): string | null {
    const set = this.products.get(channel) as Set<string>;
    if (!sub) {
      for (const p of ids.length > 0 ? ids : [...set]) set.delete(p);
      return null;
    }
    const wanted = ids.length === 0 && channel === 'status' ? [...this.hub.books.keys()] : ids;
    if (wanted.length === 0) return `Failed to subscribe: ${channel} requires product_ids`;
    const unknown = wanted.find((p) => !this.hub.books.has(p));
    if (unknown !== undefined) return `Failed to subscribe: unknown product_id ${JSON.stringify(unknown)}`;
    const books = wanted.map((p) => this.hub.books.get(p) as MarketBook);
    for (const p of wanted) set.add(p);
    if (channel === 'market_trades') for (const mb of books) this.send(channel, [tradesEvent('snapshot', mb, this.hub.tape.recent(mb.inst.symbol, TRADES_SNAPSHOT))]);
    else if (channel === 'status') this.send(channel, [{ type: 'snapshot', products: books.map(statusProductJson) }]);
    else this.send(channel, [{ type: 'snapshot', tickers: books.map((mb) => tickerJson(mb, this.hub.tape)) }]);
    return null;
  }

  private userRequest(sub: boolean, jwt: string, ids: string[]): string | null {
    if (!sub) {
      this.user.unsubscribe();
      return null;
    }
    const snapshot = this.user.subscribe(jwt, ids, this.faults.now() / 1000);
    if (!snapshot) return 'authentication failure';
    this.send('user', snapshot);
    return null;
  }

  private ackSubscriptions(): void {
    const subs: Record<string, string[]> = {};
    if (this.level2.size > 0) subs.level2 = [...this.level2];
    for (const [c, set] of this.products) if (set.size > 0) subs[c] = [...set];
    const user = this.user.ack();
    if (user) subs.user = user;
    if (this.heartbeats) subs.heartbeats = ['heartbeats'];
    this.out.control(subscriptionsMessage(isoMicros(this.faults.preciseNow()), this.nextSeq(), subs));
  }
}
