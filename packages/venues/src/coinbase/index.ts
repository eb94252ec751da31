export * from './wire';
export {
  parseCoinbaseFrame,
  parseProducts,
  type CoinbaseFrame,
  type CoinbaseL2Frame,
  type CoinbaseL2Event,
  type CoinbaseHeartbeatFrame,
  type CoinbaseOtherFrame,
  type CoinbaseErrorFrame,
} from './parse';
export { CoinbaseBookSync, type CoinbaseSeqResult, type CoinbaseSyncResult } from './book-sync';
export * from './config';
export { CoinbaseMarketDataClient, type CoinbaseClientDeps } from './market-data-client';
