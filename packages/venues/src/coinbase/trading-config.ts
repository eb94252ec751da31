import type { CoinbaseCredentials } from '../common/credentials';
import type { OrderRulesOptions } from '../common/order-rules';
import type { RateLimitRule } from '../common/rate-limiter';

/** Coinbase Advanced Trade trading endpoints: REST base and the private (user) WebSocket URL. */
export interface CoinbaseTradingEndpoints {
  /** e.g. `https://api.coinbase.com` (no path). */
  readonly restBaseUrl: string;
  /** e.g. `wss://advanced-trade-ws-user.coinbase.com`. */
  readonly userWsUrl: string;
}

export const COINBASE_TRADING_LIVE: CoinbaseTradingEndpoints = {
  restBaseUrl: 'https://api.coinbase.com',
  userWsUrl: 'wss://advanced-trade-ws-user.coinbase.com',
};

/** The exchange simulator's Coinbase trading endpoints (REST on its Coinbase port, user channel at `/user`). */
export function coinbaseTradingSimEndpoints(port: number, host = '127.0.0.1'): CoinbaseTradingEndpoints {
  return { restBaseUrl: `http://${host}:${port}`, userWsUrl: `ws://${host}:${port}/user` };
}

/** Published Advanced Trade REST limits: private endpoints 30 requests/s per user, public 10 requests/s per IP. */
export const COINBASE_RATE_LIMITS: readonly RateLimitRule[] = [
  { name: 'private', limit: 30, intervalMs: 1000 },
  { name: 'public', limit: 10, intervalMs: 1000 },
];

export interface CoinbaseTradingConfig extends CoinbaseTradingEndpoints, OrderRulesOptions {
  readonly credentials: CoinbaseCredentials;
  /** Product id per normalized symbol when they differ (default: the same string). */
  readonly productIds?: Readonly<Record<string, string>>;
  /** No complete answer within this long = VenueTimeoutError (outcome unknown). Default 5000. */
  readonly requestTimeoutMs?: number;
  readonly rateLimits?: readonly RateLimitRule[];
  /** Longest wait for the client-side limiter before failing with VenueRateLimitError (nothing sent). Default 2000. */
  readonly maxRateLimitWaitMs?: number;
  readonly instrumentsTtlMs?: number;
  /**
   * The create-order answer carries only the order id: placeIocLimit then waits up to this long (ms) for a final
   * state (user channel or order polls) and returns the latest state it has. Default 2000.
   */
  readonly settleTimeoutMs?: number;
  /** Poll interval of the order while settling (ms). Default 100. */
  readonly settlePollMs?: number;
  /** Read per-fill rows (`GET /orders/historical/fills`) for filled orders. Default false (aggregates only). */
  readonly fetchFills?: boolean;
  /**
   * Lookup by client order id without a known order id lists the product's orders (newest first): at most this many
   * pages. When the listing goes on beyond them the lookup fails (VenueUnavailableError LOOKUP_INCOMPLETE, retryable)
   * instead of answering "not found". Default 50.
   */
  readonly lookupPages?: number;
  /** Page size of that listing (the venue's maximum). Default 1000. */
  readonly lookupPageSize?: number;
  /** Private stream: no frame (heartbeats arrive every second) for this long = dead connection. Default 30000. */
  readonly streamStaleAfterMs?: number;
}
