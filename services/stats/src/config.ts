import { Type, type Static } from '@sinclair/typebox';
import { UDecimal } from '@arb/contracts';
import { NatsSection } from '@arb/service-kit';

const Asset = Type.String({ pattern: '^[A-Z0-9]{2,12}$' });

/** The stats service's view of the shared config (other services' sections pass through). */
export const StatsConfig = Type.Object(
  {
    mode: Type.String(),
    nats: NatsSection,
    http: Type.Object({ host: Type.String(), port: Type.Integer({ minimum: 0, maximum: 65535 }) }),
    log: Type.Object({ level: Type.String({ default: 'info' }) }, { default: {} }),
    /** Shared with the detector: USD value of pegged assets (quote assets and fee assets). */
    markets: Type.Object(
      { usdPegs: Type.Record(Asset, UDecimal, { default: { USD: '1', USDT: '1', USDC: '1' } }) },
      { default: {}, additionalProperties: true },
    ),
    stats: Type.Object(
      {
        /** Distinct keys per scope kind (venue, route, symbol, variant); more are summed under `__other__`. */
        maxKeysPerScope: Type.Integer({ minimum: 1, maximum: 10_000, default: 200 }),
        /** Report ids remembered to ignore a report journaled twice (oldest forgotten first). */
        maxTrackedReportIds: Type.Integer({ minimum: 1, maximum: 50_000_000, default: 1_000_000 }),
        timeseries: Type.Object(
          {
            intervalMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 5000 }),
            points: Type.Integer({ minimum: 2, maximum: 100_000, default: 720 }),
          },
          { default: {}, additionalProperties: false },
        ),
        feeds: Type.Object(
          {
            /** A venue without a FeedStatus for this long counts as stale (not live). */
            statusTimeoutMs: Type.Integer({ minimum: 100, default: 5000 }),
            maxVenues: Type.Integer({ minimum: 1, maximum: 1000, default: 64 }),
            maxSymbolsPerVenue: Type.Integer({ minimum: 1, maximum: 10_000, default: 500 }),
          },
          { default: {}, additionalProperties: false },
        ),
        availability: Type.Object(
          {
            /** How often the executors' ARB_OPPS consumer is probed and the trading conditions re-checked. */
            probeMs: Type.Integer({ minimum: 100, maximum: 60_000, default: 1000 }),
            /** A probe older than this no longer counts: the executor is taken as not ready. */
            executorStaleMs: Type.Integer({ minimum: 200, maximum: 600_000, default: 5000 }),
            /** Observation starts this long after the service started (every venue has sent a FeedStatus by then). */
            warmupMs: Type.Integer({ minimum: 0, maximum: 600_000, default: 2000 }),
          },
          { default: {}, additionalProperties: false },
        ),
        journal: Type.Object(
          {
            /** Wait this long before re-creating the journal consumer after an error. */
            retryMs: Type.Integer({ minimum: 10, default: 1000 }),
            /** Messages pulled per request while replaying. */
            batch: Type.Integer({ minimum: 1, maximum: 10_000, default: 500 }),
          },
          { default: {}, additionalProperties: false },
        ),
        /** Minimum time between two log lines about one kind of bad input. */
        logIntervalMs: Type.Integer({ minimum: 100, default: 10_000 }),
      },
      { default: {}, additionalProperties: false },
    ),
  },
  { additionalProperties: true },
);
export type StatsConfig = Static<typeof StatsConfig>;
