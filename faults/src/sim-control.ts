import { fetchMetrics } from '@arb/testkit';
import Big from 'big.js';

/** An order as the simulator knows it (GET /control/orders). */
export interface SimOrder {
  readonly venue: string;
  readonly clientOrderId: string;
  readonly side: 'buy' | 'sell';
  readonly status: string;
  readonly final: boolean;
  readonly filledQty: string;
  readonly filledQuote: string;
  readonly fee: string;
  readonly feeAsset: string;
  readonly tradeKey: string;
  readonly createdTs?: number;
  /** Trading faults the sim injected into this order (timeout, slowAck, arrivalDelay, lateFill). */
  readonly faults?: readonly string[];
}

/** GET /control/trading-stats: trades as the venues saw them. */
export interface SimTradingStats {
  readonly maxConcurrentTrades: number;
  readonly inFlightTrades: number;
  readonly orders: number;
  readonly fills: number;
  readonly trades: number;
  readonly rejected: number;
  readonly faults: Readonly<Record<string, { rejected: number; timeouts: number; errors5xx: number; lateArrivals: number; lateFills: number; heldRequests: number; refused?: number }>>;
}

export type Venue = 'binance' | 'coinbase';

/** Counters of one venue (GET /control/stats `venues.<venue>`), the ones the suite reads. */
export interface SimVenueStats {
  readonly disconnectsInjected: number;
  readonly freezes: number;
  readonly messagesDropped: number;
  readonly messagesCorrupted: number;
}

export interface SimLevels {
  readonly bids: [string, string][];
  readonly asks: [string, string][];
}

/** Error of a control API call (HTTP status and body). */
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

/** The exchange simulator's control API (the venues' truth and the fault switches). */
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

  /** Market-data faults of one venue (POST /control/faults); `reset` puts back the configured ones (none). */
  faults(venue: Venue, faults: Readonly<Record<string, number>>): Promise<unknown> {
    return this.call('/control/faults', { venue, faults });
  }

  resetFaults(venue: Venue): Promise<unknown> {
    return this.call('/control/faults', { venue, reset: true });
  }

  tradingFaults(venue: Venue, faults: Readonly<Record<string, number | boolean>>): Promise<unknown> {
    return this.call('/control/trading-faults', { venue, faults });
  }

  resetTradingFaults(venue: Venue): Promise<unknown> {
    return this.call('/control/trading-faults', { venue, reset: true });
  }

  /** `venue` jumps by `bps` now; the other venue follows after `durationMs` (an arbitrage window). */
  dislocate(symbol: string, venue: Venue, bps: number, durationMs: number): Promise<unknown> {
    return this.call('/control/dislocate', { symbol, venue, bps, durationMs });
  }

  /** The simulator's Prometheus page (`sim_bad_input_total{venue,kind}`, ...). */
  metrics(): Promise<string> {
    return fetchMetrics(`${this.baseUrl}/metrics`);
  }

  async orders(clientOrderIdPrefix = ''): Promise<SimOrder[]> {
    const q = clientOrderIdPrefix === '' ? '' : `?clientOrderIdPrefix=${encodeURIComponent(clientOrderIdPrefix)}`;
    return (await this.call<{ orders: SimOrder[] }>(`/control/orders${q}`)).orders;
  }

  /** Each venue's (first) account: asset → free + locked, the venue's true holdings. */
  async holdings(): Promise<Map<string, Map<string, Big>>> {
    const all = await this.call<Record<string, { balances: { asset: string; free: string; locked: string }[] }[]>>('/control/accounts');
    const out = new Map<string, Map<string, Big>>();
    for (const [venue, accounts] of Object.entries(all)) {
      out.set(venue, new Map((accounts[0]?.balances ?? []).map((b) => [b.asset, new Big(b.free).plus(b.locked)])));
    }
    return out;
  }

  tradingStats(): Promise<SimTradingStats> {
    return this.call<SimTradingStats>('/control/trading-stats');
  }

  async venueStats(venue: Venue): Promise<SimVenueStats> {
    const s = await this.call<{ venues: Record<Venue, SimVenueStats> }>('/control/stats');
    return s.venues[venue];
  }

  /** The best bid and ask of `venue`'s true book now. */
  async top(venue: string, symbol: string): Promise<{ bid: string; ask: string }> {
    const b = await this.call<SimLevels>(`/control/book?venue=${venue}&symbol=${symbol}&depth=1`);
    return { bid: b.bids[0]?.[0] ?? '0', ask: b.asks[0]?.[0] ?? '0' };
  }

  /** The true book of `venue` at its sequence `venueSeq` (404 when the history no longer holds it). */
  book(venue: string, symbol: string, venueSeq: number, depth: number): Promise<SimLevels> {
    return this.call<SimLevels>(`/control/book?venue=${venue}&symbol=${symbol}&seq=${venueSeq}&depth=${depth}`);
  }
}
