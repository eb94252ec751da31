export * from './common';
export * as binance from './binance';
export * as coinbase from './coinbase';
export { BinanceMarketDataClient, type BinanceMarketDataConfig, BINANCE_LIVE, binanceSimEndpoints } from './binance';
export { CoinbaseMarketDataClient, type CoinbaseMarketDataConfig, COINBASE_LIVE, coinbaseSimEndpoints } from './coinbase';
export { BinanceTradingClient, type BinanceTradingConfig, BINANCE_TRADING_LIVE, binanceTradingSimEndpoints } from './binance';
export { CoinbaseTradingClient, type CoinbaseTradingConfig, COINBASE_TRADING_LIVE, coinbaseTradingSimEndpoints } from './coinbase';
