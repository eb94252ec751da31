export * from './wire';
export {
  parseBinanceFrame,
  parseDepthSnapshot,
  parseExchangeInfo,
  type BinanceEvent,
  type BinanceDepthEvent,
  type BinanceBookTickerEvent,
  type BinanceResponseEvent,
  type BinanceErrorEvent,
  type BinanceShutdownEvent,
  type BinanceOtherEvent,
  type BinanceDepthSnapshot,
} from './parse';
export { BinanceBookSync, needsSnapshot, type BinanceSyncResult } from './book-sync';
export * from './config';
export { BinanceMarketDataClient, type BinanceClientDeps } from './market-data-client';
export { hmacKey, signPayload, encodeParams, signedQuery, signWsParams, wsSignaturePayload, type ParamValue } from './signing';
export * as tradingWire from './trading-wire';
export {
  binanceStatus,
  parseOrderBody,
  parseAccount,
  parseServerTime,
  parseMyTrades,
  orderStateFromReport,
  parseWsApiFrame,
  binanceError,
  type WsApiFrame,
} from './trading-parse';
export * from './trading-config';
export { BinanceTradingClient, type BinanceTradingCounters } from './trading-client';
export { BinanceUserStream, type UserStreamState, type UserStreamCounters, type BinanceUserStreamOptions } from './user-stream';
