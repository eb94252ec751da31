import type { CcxtVenue } from './ccxt';

/** An order as the simulator records it (GET /control/orders). */
export interface SimOrder {
  readonly venue: string;
  readonly symbol: string;
  readonly clientOrderId: string;
  readonly venueOrderId: string | null;
  readonly side: 'buy' | 'sell';
  readonly status: string;
  readonly final: boolean;
  readonly type: string;
  readonly timeInForce: string;
  readonly requestedQty: string;
  readonly limitPrice: string | null;
  readonly filledQty: string;
  readonly avgPrice: string | null;
  readonly filledQuote: string;
  readonly fee: string;
  readonly feeAsset: string;
  readonly fills: ReadonlyArray<{ price: string; qty: string; fee: string; feeAsset: string; tradeId: string; maker: boolean }>;
  readonly account: string;
}

export interface SimBalance {
  readonly asset: string;
  readonly free: string;
  readonly locked: string;
}

/** The TRUE book of (venue, symbol) at a state (GET /control/book). */
export interface SimBook {
  readonly seq: number | null;
  readonly updateId: number;
  readonly bids: Array<[string, string]>;
  readonly asks: Array<[string, string]>;
}

/** Error of a control API call. */
export class SimControlError extends Error {
  override readonly name = 'SimControlError';
  constructor(
    readonly path: string,
    readonly status: number,
    body: string,
  ) {
    super(`exchange-sim ${path}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

/** The simulator's control API: its own records (orders, balances, true books) and the fault switches. */
export class SimControl {
  constructor(readonly baseUrl: string) {}

  async call<T>(path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new SimControlError(path, res.status, text);
    return JSON.parse(text) as T;
  }

  async orders(venue: CcxtVenue): Promise<SimOrder[]> {
    return (await this.call<{ orders: SimOrder[] }>(`/control/orders?venue=${venue}`)).orders;
  }

  async order(venue: CcxtVenue, venueOrderId: string): Promise<SimOrder | undefined> {
    return (await this.orders(venue)).find((o) => o.venueOrderId === venueOrderId);
  }

  /** The venue's first account (the one config/sim.yaml's credentials open). */
  async account(venue: CcxtVenue): Promise<{ key: string; balances: SimBalance[] }> {
    const all = await this.call<Record<string, Array<{ key: string; balances: SimBalance[] }>>>(`/control/accounts?venue=${venue}`);
    const first = all[venue]?.[0];
    if (!first) throw new SimControlError('/control/accounts', 200, `no ${venue} account`);
    return first;
  }

  /** Now (no selector), as of a venue sequence (`seq`: Binance u, Coinbase sequence_num) or a book update id. */
  book(venue: CcxtVenue, symbol: string, at: { seq?: number; updateId?: number } = {}, depth = 20): Promise<SimBook> {
    const q = at.seq !== undefined ? `&seq=${at.seq}` : at.updateId !== undefined ? `&updateId=${at.updateId}` : '';
    return this.call<SimBook>(`/control/book?venue=${venue}&symbol=${symbol}${q}&depth=${depth}`);
  }

  faults(venue: CcxtVenue, faults: Readonly<Record<string, number>>): Promise<unknown> {
    return this.call('/control/faults', { venue, faults });
  }

  resetFaults(venue: CcxtVenue): Promise<unknown> {
    return this.call('/control/faults', { venue, reset: true });
  }

  dislocate(venue: CcxtVenue, symbol: string, bps: number, durationMs: number): Promise<unknown> {
    return this.call('/control/dislocate', { venue, symbol, bps, durationMs });
  }
}
