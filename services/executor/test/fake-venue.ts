import Big from 'big.js';
import {
  OrderNotFoundError,
  VenueRejectError,
  VenueTimeoutError,
  type Balance,
  type InstrumentInfo,
  type OrderState,
  type PlaceIocRequest,
  type VenueTradingClient,
} from '@arb/venues';

/** How the fake venue treats one order. */
export type FakeBehavior =
  | { kind: 'fill'; fraction?: string; price?: string; feeRate?: string; feeAsset?: 'base' | 'quote' }
  | { kind: 'reject' }
  /** Executes (like `fill`) but the answer never comes: the client times out (outcome unknown). */
  | { kind: 'timeout'; fraction?: string }
  /** Answers `new` (not final); the final state comes later via the private stream after `afterMs`. */
  | { kind: 'late'; fraction?: string; afterMs: number }
  /** Answers `new` and stays open until cancelled. */
  | { kind: 'open' };

/** An in-memory VenueTradingClient for unit tests: scripted behaviour per order, exact balances. */
export class FakeVenue implements VenueTradingClient {
  readonly orders = new Map<string, OrderState>();
  readonly placed: PlaceIocRequest[] = [];
  readonly cancels: string[] = [];
  private readonly listeners = new Set<(o: OrderState) => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  behave: (req: PlaceIocRequest) => FakeBehavior = () => ({ kind: 'fill' });
  instrumentsList: InstrumentInfo[] = [];

  constructor(readonly venue: string) {}

  async placeIocLimit(req: PlaceIocRequest): Promise<OrderState> {
    this.placed.push(req);
    const b = this.behave(req);
    if (b.kind === 'reject') throw new VenueRejectError('Filter failure', { venue: this.venue, code: -1013 });
    if (b.kind === 'timeout') {
      this.orders.set(req.clientOrderId, this.executed(req, b.fraction ?? '1'));
      throw new VenueTimeoutError('no answer', { venue: this.venue, timeoutMs: 10 });
    }
    if (b.kind === 'late' || b.kind === 'open') {
      const pending = this.state(req, 'new', '0', null);
      this.orders.set(req.clientOrderId, pending);
      if (b.kind === 'late') {
        const t = setTimeout(() => {
          this.timers.delete(t);
          const done = this.executed(req, b.fraction ?? '1');
          this.orders.set(req.clientOrderId, done);
          for (const l of this.listeners) l(done);
        }, b.afterMs);
        this.timers.add(t);
      }
      return pending;
    }
    const s = this.executed(req, b.fraction ?? '1', b.price, b.feeRate, b.feeAsset);
    this.orders.set(req.clientOrderId, s);
    return s;
  }

  async getOrder(_symbol: string, clientOrderId: string): Promise<OrderState | null> {
    return this.orders.get(clientOrderId) ?? null;
  }

  async cancelOrder(_symbol: string, clientOrderId: string): Promise<OrderState> {
    this.cancels.push(clientOrderId);
    const o = this.orders.get(clientOrderId);
    if (o === undefined) throw new OrderNotFoundError('unknown order', { venue: this.venue });
    if (o.final) return o;
    const c: OrderState = { ...o, status: 'canceled', final: true };
    this.orders.set(clientOrderId, c);
    return c;
  }

  async balances(): Promise<Balance[]> {
    return [];
  }

  async instruments(symbols: readonly string[]): Promise<InstrumentInfo[]> {
    return this.instrumentsList.filter((i) => symbols.includes(i.symbol));
  }

  onOrderUpdate(listener: (o: OrderState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private executed(req: PlaceIocRequest, fraction: string, price?: string, feeRate = '0.001', feeAsset: 'base' | 'quote' = 'quote'): OrderState {
    const qty = new Big(req.qty).times(fraction);
    const px = price ?? req.limitPrice;
    const quote = qty.times(px);
    const [base, q] = req.symbol.split('-') as [string, string];
    const fee = feeAsset === 'quote' ? quote.times(feeRate) : qty.times(feeRate);
    const s = this.state(req, qty.eq(req.qty) ? 'filled' : 'expired', qty.toFixed(), qty.gt(0) ? px : null);
    return { ...s, final: true, filledQuote: quote.toFixed(), fee: fee.toFixed(), feeAsset: feeAsset === 'quote' ? q : base, fills: qty.gt(0) ? [{ price: px, qty: qty.toFixed(), fee: fee.toFixed(), feeAsset: feeAsset === 'quote' ? q : base }] : [] };
  }

  private state(req: PlaceIocRequest, status: OrderState['status'], filled: string, avg: string | null): OrderState {
    const [, q] = req.symbol.split('-') as [string, string];
    return {
      venue: this.venue, symbol: req.symbol, clientOrderId: req.clientOrderId, venueOrderId: `v-${req.clientOrderId}`, side: req.side, status,
      final: status !== 'new' && status !== 'partially_filled', requestedQty: req.qty, filledQty: filled, avgPrice: avg, filledQuote: '0', fee: '0', feeAsset: q, fills: [], updatedTs: Date.now(),
    };
  }
}

export function instrument(symbol: string, over: Partial<InstrumentInfo> = {}): InstrumentInfo {
  const [base, quote] = symbol.split('-') as [string, string];
  return { symbol, venueSymbol: symbol, baseAsset: base, quoteAsset: quote, trading: true, tickSize: '0.01', stepSize: '0.00001', minQty: '0.00001', maxQty: null, minNotional: '1', maxNotional: null, ...over };
}
