import Big from 'big.js';
import {
  OrderNotFoundError,
  VenueRejectError,
  type Balance,
  type InstrumentInfo,
  type OrderState,
  type PlaceIocRequest,
  splitSymbol,
  type VenueTradingClient,
} from '@arb/venues';
import { plain } from '../decimal';
import type { BookSource } from './book-source';
import { ConsumedLiquidity, matchIoc } from './matching';

export interface PaperClientOptions {
  venue: string;
  books: BookSource;
  instruments: readonly InstrumentInfo[];
  takerFee(symbol: string): string;
  /** Starting balances (free), decimal strings. */
  balances: Readonly<Record<string, string>>;
  /** Simulated round trip: the order fills at half of it, the answer comes at the end. */
  latencyMs: number;
  /** A book older than this (local receive time) fills nothing. */
  maxBookAgeMs: number;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Paper trading (mode `paper`): the VenueTradingClient interface with fills simulated against the latest real books
 * (depth-aware, liquidity taken stays taken until the next book), configurable latency, exact balances and fees.
 */
export class PaperTradingClient implements VenueTradingClient {
  readonly venue: string;
  private readonly orders = new Map<string, OrderState>();
  private readonly balancesMap = new Map<string, Big>();
  private readonly consumed = new Map<string, ConsumedLiquidity>();
  private readonly listeners = new Set<(o: OrderState) => void>();
  private readonly rules: Map<string, InstrumentInfo>;
  private nextId = 1;

  constructor(private readonly o: PaperClientOptions) {
    this.venue = o.venue;
    this.rules = new Map(o.instruments.map((i) => [i.symbol, i]));
    for (const [asset, amount] of Object.entries(o.balances)) this.balancesMap.set(asset, new Big(amount));
  }

  async placeIocLimit(req: PlaceIocRequest): Promise<OrderState> {
    if (this.orders.has(req.clientOrderId)) throw this.reject('Duplicate order sent.', -2010);
    this.checkRules(req);
    await this.o.sleep(this.o.latencyMs / 2);
    const state = this.execute(req);
    this.orders.set(req.clientOrderId, state);
    for (const l of this.listeners) l(state);
    await this.o.sleep(this.o.latencyMs / 2);
    if (state.status === 'rejected') throw this.reject(state.rejectReason ?? 'rejected', -2010);
    return state;
  }

  async getOrder(_symbol: string, clientOrderId: string): Promise<OrderState | null> {
    return this.orders.get(clientOrderId) ?? null;
  }

  async cancelOrder(_symbol: string, clientOrderId: string): Promise<OrderState> {
    const o = this.orders.get(clientOrderId);
    if (o === undefined) throw new OrderNotFoundError('Order does not exist.', { venue: this.venue, code: -2013 });
    return o; // IOC orders are final at once
  }

  async balances(): Promise<Balance[]> {
    return [...this.balancesMap].map(([asset, free]) => ({ asset, free: plain(free), locked: '0' }));
  }

  async instruments(symbols: readonly string[]): Promise<InstrumentInfo[]> {
    return symbols.map((s) => this.rules.get(s)).filter((i): i is InstrumentInfo => i !== undefined);
  }

  onOrderUpdate(listener: (o: OrderState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    this.listeners.clear();
  }

  private checkRules(req: PlaceIocRequest): void {
    const r = this.rules.get(req.symbol);
    if (r === undefined) throw this.reject(`unknown symbol ${req.symbol}`, -1121);
    const qty = new Big(req.qty);
    const price = new Big(req.limitPrice);
    const onGrid = (x: Big, step: string): boolean => new Big(step).lte(0) || x.mod(step).eq(0);
    if (qty.lte(0) || qty.lt(r.minQty) || (r.maxQty !== null && qty.gt(r.maxQty)) || !onGrid(qty, r.stepSize)) throw this.reject('Filter failure: LOT_SIZE', -1013);
    if (price.lte(0) || !onGrid(price, r.tickSize)) throw this.reject('Filter failure: PRICE_FILTER', -1013);
    if (qty.times(price).lt(r.minNotional)) throw this.reject('Filter failure: NOTIONAL', -1013);
  }

  private execute(req: PlaceIocRequest): OrderState {
    const { base, quote } = splitSymbol(req.symbol);
    const book = this.o.books.get(this.venue, req.symbol);
    const now = this.o.now();
    const base0: OrderState = {
      venue: this.venue, symbol: req.symbol, clientOrderId: req.clientOrderId, venueOrderId: `paper-${this.nextId++}`, side: req.side,
      status: 'expired', final: true, requestedQty: req.qty, filledQty: '0', avgPrice: null, filledQuote: '0', fee: '0', feeAsset: quote, fills: [], updatedTs: now,
    };
    const pay = req.side === 'buy' ? quote : base;
    const need = req.side === 'buy' ? new Big(req.qty).times(req.limitPrice) : new Big(req.qty);
    if ((this.balancesMap.get(pay) ?? new Big(0)).lt(need)) return { ...base0, status: 'rejected', rejectReason: 'Account has insufficient balance for requested action.' };
    if (book === undefined || now - book.recvTs > this.o.maxBookAgeMs) return base0;
    let consumed = this.consumed.get(req.symbol);
    if (consumed === undefined) this.consumed.set(req.symbol, (consumed = new ConsumedLiquidity()));
    const m = matchIoc(book, req.side, req.qty, req.limitPrice, this.o.takerFee(req.symbol), quote, consumed, base0.venueOrderId ?? 'paper');
    if (m.filledQty.eq(0)) return base0;
    const sign = req.side === 'buy' ? 1 : -1;
    this.move(base, m.filledQty.times(sign));
    this.move(quote, m.filledQuote.times(-sign).minus(m.fee));
    const full = m.filledQty.eq(req.qty);
    return {
      ...base0, status: full ? 'filled' : 'expired', filledQty: plain(m.filledQty), filledQuote: plain(m.filledQuote),
      avgPrice: plain(m.filledQuote.div(m.filledQty).round(12, 1)), fee: plain(m.fee), fills: m.fills,
    };
  }

  private move(asset: string, delta: Big): void {
    this.balancesMap.set(asset, (this.balancesMap.get(asset) ?? new Big(0)).plus(delta));
  }

  private reject(msg: string, code: number): VenueRejectError {
    return new VenueRejectError(msg, { venue: this.venue, code });
  }
}
