import type { BinanceCredentials } from '../common/credentials';
import type { OrderRulesOptions } from '../common/order-rules';
import type { RateLimitRule } from '../common/rate-limiter';

/** Binance Spot trading endpoints: REST base and the WebSocket API URL (private order updates). */
export interface BinanceTradingEndpoints {
  /** e.g. `https://api.binance.com` (no path). */
  readonly restBaseUrl: string;
  /** e.g. `wss://ws-api.binance.com:443/ws-api/v3`. */
  readonly wsApiUrl: string;
}

export const BINANCE_TRADING_LIVE: BinanceTradingEndpoints = {
  restBaseUrl: 'https://api.binance.com',
  wsApiUrl: 'wss://ws-api.binance.com:443/ws-api/v3',
};

/** The exchange simulator's Binance trading endpoints (same port as its market data). */
export function binanceTradingSimEndpoints(port: number, host = '127.0.0.1'): BinanceTradingEndpoints {
  return { restBaseUrl: `http://${host}:${port}`, wsApiUrl: `ws://${host}:${port}/ws-api/v3` };
}

/** Published Spot limits (rest-api.md "LIMITS", exchangeInfo `rateLimits`): weight per IP, orders per account. */
export const BINANCE_RATE_LIMITS: readonly RateLimitRule[] = [
  { name: 'weight', limit: 6000, intervalMs: 60_000 },
  { name: 'orders10s', limit: 50, intervalMs: 10_000 },
  { name: 'orders1d', limit: 160_000, intervalMs: 86_400_000 },
];

/** Request weights (rest-api.md) of the endpoints the trading client uses. */
export const BINANCE_WEIGHTS = {
  newOrder: 1,
  queryOrder: 4,
  cancelOrder: 1,
  account: 20,
  myTradesByOrder: 5,
  time: 1,
  exchangeInfo: 20,
} as const;

export interface BinanceTradingConfig extends BinanceTradingEndpoints, OrderRulesOptions {
  readonly credentials: BinanceCredentials;
  /** `recvWindow` sent with signed requests (ms, ≤ 60000). Default 5000. */
  readonly recvWindowMs?: number;
  /** No complete answer within this long = VenueTimeoutError (outcome unknown). Default 5000. */
  readonly requestTimeoutMs?: number;
  /** Re-read the server time this often while started (ms). Default 300000; 0 = only at start and on -1021. */
  readonly timeSyncIntervalMs?: number;
  /** Rate rules; default BINANCE_RATE_LIMITS. Lower them to leave room for other processes on the same IP/account. */
  readonly rateLimits?: readonly RateLimitRule[];
  /** Longest wait for the client-side limiter before failing with VenueRateLimitError (nothing sent). Default 2000. */
  readonly maxRateLimitWaitMs?: number;
  /** Cached exchangeInfo rules are re-read after this long (ms). Default 3600000. */
  readonly instrumentsTtlMs?: number;
  /** Private stream: a connection without any frame (server pings every 20 s) for this long is dead. Default 60000. */
  readonly streamStaleAfterMs?: number;
  /** getOrder reads the fills (`GET /api/v3/myTrades?orderId=`) when the query answer has executed qty the client has no fills for. Default true. */
  readonly fetchMissingFills?: boolean;
}
