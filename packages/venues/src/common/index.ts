export {
  type BookEvent,
  type StatusEvent,
  type RejectedEvent,
  type ErrorEvent,
  type MarketDataEvent,
  type MarketDataListener,
  type SymbolMarketDataStatus,
  type VenueMarketData,
  overallState,
  emptyCounters,
} from './venue-market-data';
export { WsConnection, WsConnectionError, type WsConnectionHandlers, type WsConnectionOptions } from './ws-connection';
export { getJson, VenueHttpError, type GetJsonOptions } from './http';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export { ResyncBackoff, DEFAULT_RESYNC_BACKOFF, type ResyncBackoffOptions } from './resync-backoff';
export { ParseError, sampleOf } from './parse-error';
export { nowMs } from './clock';
export { FeedTracker } from './feed-tracker';
export type { InstrumentInfo } from './instrument';
export {
  type OrderSide,
  type OrderStatus,
  type PlaceIocRequest,
  type OrderFill,
  type OrderState,
  type Balance,
  type VenueTradingClient,
  isFinalStatus,
  CLIENT_ORDER_ID_PATTERN,
} from './trading';
export {
  type VenueErrorDetails,
  VenueError,
  VenueRejectError,
  VenueAuthError,
  ClockSkewError,
  VenueRateLimitError,
  VenueUnavailableError,
  VenueTimeoutError,
  OrderNotFoundError,
  isOutcomeUnknown,
} from './trading-errors';
export { Secret, CredentialsError, readSecret, binanceCredentials, coinbaseCredentials, binanceCredentialsFromEnv, coinbaseCredentialsFromEnv } from './credentials';
export type { Env, BinanceCredentials, CoinbaseCredentials } from './credentials';
export { RateLimiter, type RateLimitRule, type RateCost, type RateLimiterOptions } from './rate-limiter';
export { applyOrderRules, type OrderRulesOptions, type CheckedOrder } from './order-rules';
export { mergeOrderState, OrderStateCache, feeOfFills, avgPriceOf, splitSymbol } from './order-state';
export { dec } from './trading-decimal';
export { tradingHttp, retryAfterMs, TradingConnections, type TradingHttpRequest, type TradingHttpResponse, type HttpMethod } from './trading-http';
