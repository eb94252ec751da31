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
