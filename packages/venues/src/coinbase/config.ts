/** Coinbase Advanced Trade endpoints, product ids and channel names. */

export const COINBASE_VENUE = 'coinbase';

export interface CoinbaseEndpoints {
  /** Market-data WebSocket URL, e.g. `wss://advanced-trade-ws.coinbase.com`. */
  readonly wsUrl: string;
  /** REST base without path, e.g. `https://api.coinbase.com`. */
  readonly restBaseUrl: string;
}

export const COINBASE_LIVE: CoinbaseEndpoints = {
  wsUrl: 'wss://advanced-trade-ws.coinbase.com',
  restBaseUrl: 'https://api.coinbase.com',
};

/** The exchange simulator's Coinbase endpoints on one local port (WebSocket at `/`). */
export function coinbaseSimEndpoints(port: number, host = '127.0.0.1'): CoinbaseEndpoints {
  return { wsUrl: `ws://${host}:${port}/`, restBaseUrl: `http://${host}:${port}` };
}

export const LEVEL2_CHANNEL = 'level2';
export const HEARTBEATS_CHANNEL = 'heartbeats';

export interface CoinbaseMarketDataConfig extends CoinbaseEndpoints {
  /** Normalized symbols, `BTC-USD`. */
  readonly symbols: readonly string[];
  /** Product id per normalized symbol when they differ (default: the same string, e.g. `BTC-USDT`). */
  readonly productIds?: Readonly<Record<string, string>>;
  /** No frame for this long (ms) = dead connection (heartbeats come every second). */
  readonly staleAfterMs?: number;
  readonly connectTimeoutMs?: number;
  readonly restTimeoutMs?: number;
  /** Resubscribe a product whose snapshot has not arrived this long (ms) after subscribing. */
  readonly snapshotTimeoutMs?: number;
  /** Least time (ms) between two resubscribes of one product (venue message rate limits). Default 500. */
  readonly minResubscribeIntervalMs?: number;
  /** Optional JWT provider for authenticated subscriptions (public market data works without). */
  readonly jwt?: () => string;
}

/** Normalized symbol → product id (`BTC-USD` → `BTC-USD`, or an alias from config). */
export function toProductId(symbol: string, aliases?: Readonly<Record<string, string>>): string {
  return aliases?.[symbol] ?? symbol.toUpperCase();
}

/** Public products endpoint, optionally filtered to some product ids. */
export function productsUrl(restBaseUrl: string, productIds: readonly string[] = []): string {
  const base = `${restBaseUrl.replace(/\/+$/, '')}/api/v3/brokerage/market/products`;
  if (productIds.length === 0) return base;
  return `${base}?${productIds.map((p) => `product_ids=${encodeURIComponent(p)}`).join('&')}`;
}
