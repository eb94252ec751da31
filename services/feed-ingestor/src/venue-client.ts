import { BinanceMarketDataClient, CoinbaseMarketDataClient, type BackoffOptions, type VenueMarketData } from '@arb/venues';
import type { FeedIngestorConfig } from './config';

/** Thrown when VENUE names a venue this build has no market-data client for. */
export class UnknownVenueError extends Error {
  override readonly name = 'UnknownVenueError';
  constructor(venue: string, options?: { cause?: unknown }) {
    super(`unknown venue ${JSON.stringify(venue)}: expected one of ${Object.keys(factories).join(', ')}`, options);
  }
}

type Factory = (cfg: FeedIngestorConfig, staleAfterMs: number, reconnectBackoff: BackoffOptions) => VenueMarketData;

const BINANCE_SPEEDS = { '@depth': '1000ms', '@depth@100ms': '100ms', '@depth@0ms': '0ms' } as const;

/** One entry per venue: adding a venue = one line here plus its folder in @arb/venues. */
const factories: Record<string, Factory> = {
  binance: (cfg, staleAfterMs, reconnectBackoff) =>
    new BinanceMarketDataClient({
      wsBaseUrl: cfg.venues.binance.wsUrl,
      restBaseUrl: cfg.venues.binance.restUrl,
      symbols: cfg.symbols,
      depthSpeed: BINANCE_SPEEDS[cfg.venues.binance.depthStream],
      snapshotLimit: cfg.venues.binance.snapshotLimit,
      staleAfterMs,
    }, { reconnectBackoff }),
  coinbase: (cfg, staleAfterMs, reconnectBackoff) =>
    new CoinbaseMarketDataClient({
      wsUrl: cfg.venues.coinbase.wsUrl,
      restBaseUrl: cfg.venues.coinbase.restUrl,
      symbols: cfg.symbols,
      staleAfterMs,
    }, { reconnectBackoff }),
};

export function createVenueClient(venue: string, cfg: FeedIngestorConfig): VenueMarketData {
  const factory = factories[venue];
  if (factory === undefined) throw new UnknownVenueError(venue);
  const deadAfterMs = Math.max(1000, Math.round(cfg.feed.staleAfterMs * cfg.feed.deadAfterFactor));
  const { initialMs, maxMs } = cfg.feed.reconnect;
  return factory(cfg, deadAfterMs, { initialMs, maxMs: Math.max(initialMs, maxMs), factor: 2, jitter: 0.5 });
}
