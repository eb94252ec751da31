interface TradeState {
  open: number;
  /** When the trade stops being in flight (all orders final + hold); Infinity while orders are open. */
  endsAt: number;
}

export interface TradingStats {
  maxConcurrentTrades: number;
  inFlightTrades: number;
  /** Orders received (every order that passed authentication and parsing, rejected ones included). */
  orders: number;
  fills: number;
  trades: number;
  rejected: number;
  byVenue: Record<string, { orders: number; fills: number; rejected: number }>;
}

/**
 * Concurrency of trades as the venues see them. A trade = the client order ids sharing the text
 * before the last '-' (over all venues). It is in flight from its first order's arrival until all
 * its orders are final AND `holdMs` has passed; a later order of the same trade reopens it.
 * Lazy: no timers (trades past their end are dropped on the next arrival or read).
 */
export class TradeTracker {
  private readonly trades = new Map<string, TradeState>();
  private inFlight = 0;
  private max = 0;
  private orders = 0;
  private fills = 0;
  private rejected = 0;
  private seen = new Set<string>();
  private byVenue = new Map<string, { orders: number; fills: number; rejected: number }>();

  constructor(private readonly holdMs: () => number) {}

  /** An order of `tradeKey` arrived (still open). */
  arrive(venue: string, tradeKey: string, now = performance.now()): void {
    this.expire(now);
    this.orders++;
    this.venue(venue).orders++;
    this.seen.add(tradeKey);
    const t = this.trades.get(tradeKey);
    if (t) {
      t.open++;
      t.endsAt = Infinity;
    } else {
      this.trades.set(tradeKey, { open: 1, endsAt: Infinity });
      this.inFlight++;
      if (this.inFlight > this.max) this.max = this.inFlight;
    }
  }

  /** One order of `tradeKey` became final with `fills` fills (`rejected`: never reached the engine). */
  final(venue: string, tradeKey: string, fills: number, rejected: boolean, now = performance.now()): void {
    this.fills += fills;
    this.venue(venue).fills += fills;
    if (rejected) {
      this.rejected++;
      this.venue(venue).rejected++;
    }
    const t = this.trades.get(tradeKey);
    if (!t) return;
    t.open = Math.max(0, t.open - 1);
    if (t.open === 0) t.endsAt = now + this.holdMs();
    this.expire(now);
  }

  stats(now = performance.now()): TradingStats {
    this.expire(now);
    return {
      maxConcurrentTrades: this.max,
      inFlightTrades: this.inFlight,
      orders: this.orders,
      fills: this.fills,
      trades: this.seen.size,
      rejected: this.rejected,
      byVenue: Object.fromEntries([...this.byVenue.entries()].map(([k, v]) => [k, { ...v }])),
    };
  }

  /** Zeroes the counters; trades in flight stay tracked (the max restarts from them). */
  reset(now = performance.now()): void {
    this.expire(now);
    this.max = this.inFlight;
    this.orders = this.fills = this.rejected = 0;
    this.seen = new Set(this.trades.keys());
    this.byVenue = new Map();
  }

  private expire(now: number): void {
    for (const [key, t] of this.trades) {
      if (t.open === 0 && t.endsAt <= now) {
        this.trades.delete(key);
        this.inFlight--;
      }
    }
  }

  private venue(name: string): { orders: number; fills: number; rejected: number } {
    let v = this.byVenue.get(name);
    if (!v) this.byVenue.set(name, (v = { orders: 0, fills: 0, rejected: 0 }));
    return v;
  }
}
