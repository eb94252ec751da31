import type { Balance, InstrumentInfo, OrderState, PlaceIocRequest, VenueTradingClient } from '@arb/venues';
import type { VenueHealth } from './health';

/**
 * A venue trading client that tells the venue's health what each request showed (rate limits, bans, refused
 * credentials, refused orders, accepted orders), so admission can stop sending trades to a venue that refuses us.
 * Behaviour is otherwise the wrapped client's, unchanged.
 */
export class GuardedTradingClient implements VenueTradingClient {
  constructor(
    private readonly inner: VenueTradingClient,
    private readonly health: VenueHealth,
    private readonly now: () => number,
  ) {}

  get venue(): string {
    return this.inner.venue;
  }

  placeIocLimit(req: PlaceIocRequest): Promise<OrderState> {
    return this.watch(this.inner.placeIocLimit(req), true, true);
  }

  getOrder(symbol: string, clientOrderId: string): Promise<OrderState | null> {
    return this.watch(this.inner.getOrder(symbol, clientOrderId), false, true);
  }

  cancelOrder(symbol: string, clientOrderId: string): Promise<OrderState> {
    return this.watch(this.inner.cancelOrder(symbol, clientOrderId), false, true);
  }

  balances(): Promise<Balance[]> {
    return this.watch(this.inner.balances(), false, true);
  }

  /** Public data: its success says nothing about our access, its rate limits do. */
  instruments(symbols: readonly string[]): Promise<InstrumentInfo[]> {
    return this.watch(this.inner.instruments(symbols), false, false);
  }

  onOrderUpdate(listener: (o: OrderState) => void): () => void {
    return this.inner.onOrderUpdate(listener);
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  /** Safe summary for logs (the wrapped client's). */
  toJSON(): unknown {
    const inner = this.inner as { toJSON?: () => unknown };
    return typeof inner.toJSON === 'function' ? inner.toJSON() : { venue: this.venue };
  }

  private async watch<T>(p: Promise<T>, order: boolean, authenticated: boolean): Promise<T> {
    try {
      const v = await p;
      if (authenticated) this.health.observe({ kind: 'ok', order }, this.now());
      return v;
    } catch (error) {
      this.health.observe({ kind: 'error', order, error }, this.now());
      throw error;
    }
  }
}
