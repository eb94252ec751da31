export { startExchangeSim, type ExchangeSim, type ExchangeSimPorts, type StartOptions } from './sim';
export {
  SimConfig,
  BinanceConfig,
  CoinbaseConfig,
  InstrumentConfig,
  SymbolConfig,
  ExchangeSimServiceConfig,
} from './config/schema';
export { FaultsConfig, FaultsPatch, FAULTS_OFF } from './config/faults-schema';
export { WindowsConfig, RivalsConfig, ReactionConfig, RivalSymbolConfig } from './config/world-schema';
export { parseSimConfig, checkSimConfig } from './config/parse';
export { testSimConfig } from './config/test-config';
export { SimConfigError } from './config/errors';
export { Market, VENUES, type VenueName, type MarketBook, type MarketCounters } from './model/market';
export { Rng } from './model/rng';
export { parseStream, binanceSymbol, type StreamSpec } from './binance/streams';
export type { VenueStats } from './net/stats';
export type { TrueBook } from './control/book-query';
export { SimWorld } from './world/world';
export { WindowsDoc, WindowDoc, WindowSnapshotDoc } from './world/windows-doc';
export type { WindowCause, CloseReason } from './world/window-record';
