import { BinanceMarketDataClient, CoinbaseMarketDataClient, type BackoffOptions, type ResyncBackoffOptions, type VenueMarketData } from '@arb/venues';
import type { FeedIngestorConfig } from './config';

/** Thrown when VENUE names a venue this build has no market-data client for. */
export class UnknownVenueError extends Error {
  override readonly name = 'UnknownVenueError';
  constructor(venue: string, options?: { cause?: unknown }) {
    super(`unknown venue ${JSON.stringify(venue)}: expected one of ${Object.keys(factories).join(', ')}`, options);
  }
}

interface ClientTiming {
  readonly staleAfterMs: number;
  readonly reconnectBackoff: BackoffOptions;
  readonly resyncBackoff: ResyncBackoffOptions;
}

type Factory = (cfg: FeedIngestorConfig, symbols: readonly string[], t: ClientTiming) => VenueMarketData;

const BINANCE_SPEEDS = { '@depth': '1000ms', '@depth@100ms': '100ms', '@depth@0ms': '0ms' } as const;

/** One entry per venue: adding a venue = one line here plus its folder in @arb/venues. */
const factories: Record<string, Factory> = {
  binance: (cfg, symbols, { staleAfterMs, reconnectBackoff, resyncBackoff }) =>
    new BinanceMarketDataClient({
      wsBaseUrl: cfg.venues.binance.wsUrl,
      restBaseUrl: cfg.venues.binance.restUrl,
      symbols,
      depthSpeed: BINANCE_SPEEDS[cfg.venues.binance.depthStream],
      snapshotLimit: cfg.venues.binance.snapshotLimit,
      snapshotWeightPerMinute: cfg.venues.binance.snapshotWeightPerMinute,
      staleAfterMs,
    }, { reconnectBackoff, resyncBackoff }),
  coinbase: (cfg, symbols, { staleAfterMs, reconnectBackoff, resyncBackoff }) =>
    new CoinbaseMarketDataClient({
      wsUrl: cfg.venues.coinbase.wsUrl,
      restBaseUrl: cfg.venues.coinbase.restUrl,
      symbols,
      staleAfterMs,
    }, { reconnectBackoff, resyncBackoff }),
};

/** The market-data client of `venue` for `symbols` (this replica's shard of cfg.symbols). */
export function createVenueClient(venue: string, cfg: FeedIngestorConfig, symbols: readonly string[]): VenueMarketData {
  const factory = factories[venue];
  if (factory === undefined) throw new UnknownVenueError(venue);
  const deadAfterMs = Math.max(1000, Math.round(cfg.feed.staleAfterMs * cfg.feed.deadAfterFactor));
  const { initialMs, maxMs } = cfg.feed.reconnect;
  const r = cfg.feed.resync;
  return factory(cfg, symbols, {
    staleAfterMs: deadAfterMs,
    reconnectBackoff: { initialMs, maxMs: Math.max(initialMs, maxMs), factor: 2, jitter: 0.5 },
    resyncBackoff: { initialMs: r.initialMs, maxMs: Math.max(r.initialMs, r.maxMs), factor: 2, jitter: r.jitter, healthyAfterMs: r.healthyAfterMs },
  });
}
