import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Both bench venues: taker fee 10 bps, lot 0.001, tick 0.01, min notional 10 (as in the detector's own tests). */
const MARKET = '{takerFee: "0.001", minSize: "0.001", maxSize: "10", lotStep: "0.001", tick: "0.01", minNotional: "10"}';
const BALANCES = '{USDT: "100000000", BTC: "1000"}';

/** Whether the built detector knows `detector.suppression.minIntervalMs` (a per-route re-publish interval). */
export function detectorHasMinInterval(root: string): boolean {
  try {
    return readFileSync(join(root, 'services', 'detector', 'dist', 'config.js'), 'utf8').includes('minIntervalMs');
  } catch {
    return false;
  }
}

/**
 * Environment of the real detector for the latency benchmark: venues alpha and beta (EdgeBooks), ample inventory,
 * net edge ≥ 5 bps (EdgeBooks open about 10.7 bps) and profit ≥ 1 USD; the per-route re-publish interval (where
 * the build has one) at 0 so the new terms of every update are published and every update is timed. Everything
 * else is the shipped default (confidence, volatility, suppression of unchanged terms, Redis mirror, JetStream).
 */
export function detectorEnv(natsUrl: string, redisUrl: string, root: string): Record<string, string> {
  return {
    ARB__NATS__URL: natsUrl,
    ARB__REDIS__URL: redisUrl,
    ARB__MARKETS__VENUES__ALPHA: MARKET,
    ARB__MARKETS__VENUES__BETA: MARKET,
    ARB__INVENTORY__BALANCES__ALPHA: BALANCES,
    ARB__INVENTORY__BALANCES__BETA: BALANCES,
    ARB__DETECTOR__MIN_PROFIT_PCT: '0.05',
    ARB__DETECTOR__MIN_PROFIT_USD: '1',
    ...(detectorHasMinInterval(root) ? { ARB__DETECTOR__SUPPRESSION__MIN_INTERVAL_MS: '0' } : {}),
  };
}
