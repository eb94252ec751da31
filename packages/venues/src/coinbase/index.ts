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
export { loadPrivateKey, buildJwt, verifyJwt, jwtUri, JWT_TTL_SEC, type JwtInput, type DecodedJwt } from './signing';
export * as tradingWire from './trading-wire';
export {
  coinbaseStatus,
  orderStateFromHistorical,
  orderStateFromUserOrder,
  parseCreateOrder,
  parseGetOrder,
  parseListOrders,
  parseBatchCancel,
  parseAccounts,
  parseFills,
  parseUserWsFrame,
  coinbaseError,
  createFailure,
  type CoinbaseUserWsFrame,
} from './trading-parse';
export * from './trading-config';
export { CoinbaseTradingClient, type CoinbaseTradingCounters } from './trading-client';
export { CoinbaseUserStream, type CoinbaseUserStreamState, type CoinbaseUserStreamCounters, type CoinbaseUserStreamOptions } from './user-stream';
