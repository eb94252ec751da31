import type { SimProcess } from './sim-process';

/**
 * Environment of the real executor against exchange-sim: NATS, Redis, both venues' endpoints, and client-side
 * order rate limits lifted (the sim is not Binance: the shipped 50 orders / 10 s would throttle a benchmark), and the
 * daily volume limit (5M USD) raised: a benchmark trades a day's volume in minutes, and the soak would stop trading.
 * Everything else (semaphore, route locks, inventory, leg risk, loss and exposure limits) is the shipped default.
 */
export function executorEnv(natsUrl: string, redisUrl: string, sim: SimProcess): Record<string, string> {
  return {
    ARB__NATS__URL: natsUrl,
    ARB__REDIS__URL: redisUrl,
    ...sim.venueEnv(),
    ARB__EXECUTOR__RISK__DAILY_VOLUME_LIMIT_USD: '10000000000',
    ARB__EXECUTOR__RATE_LIMITS:
      '{binance: [{name: weight, limit: 10000000, intervalMs: 60000}, {name: orders10s, limit: 10000000, intervalMs: 10000}], coinbase: [{name: private, limit: 1000000, intervalMs: 1000}, {name: public, limit: 1000000, intervalMs: 1000}]}',
  };
}
