import { Type, type Static } from '@sinclair/typebox';
import { SYMBOL_PATTERN, VENUE_PATTERN } from '@arb/contracts';

const Url = Type.String({ minLength: 1 });

/** The feed-ingestor's view of the shared config (other services' sections pass through). */
export const FeedIngestorConfig = Type.Object(
  {
    mode: Type.String(),
    nats: Type.Object({ url: Url }),
    http: Type.Object({ host: Type.String(), port: Type.Integer({ minimum: 0, maximum: 65535 }) }),
    log: Type.Object({ level: Type.String({ default: 'info' }) }, { default: {} }),
    symbols: Type.Array(Type.String({ pattern: SYMBOL_PATTERN }), { minItems: 1, uniqueItems: true }),
    venues: Type.Object(
      {
        binance: Type.Object({
          wsUrl: Url,
          restUrl: Url,
          depthStream: Type.Union([Type.Literal('@depth'), Type.Literal('@depth@100ms'), Type.Literal('@depth@0ms')]),
          /** REST snapshot depth: 1-100 costs weight 5, 101-500 25, 501-1000 50 (of 6000/min per IP). */
          snapshotLimit: Type.Integer({ minimum: 1, maximum: 5000, default: 1000 }),
          /** REST weight per minute the snapshots may use, of the IP's 6000 that the executors share. */
          snapshotWeightPerMinute: Type.Integer({ minimum: 5, maximum: 6000, default: 3000 }),
        }),
        coinbase: Type.Object({ wsUrl: Url, restUrl: Url }),
      },
      { additionalProperties: true },
    ),
    feed: Type.Object(
      {
        /** Which venue this process serves; `VENUE` in the environment wins. */
        venue: Type.Optional(Type.String({ pattern: VENUE_PATTERN })),
        /**
         * Replicas of one venue split the symbols (static shards): this one connects for the symbols with stable
         * hash(symbol) % count === index (the detector's partition hash). Ignored when `symbols` is set.
         */
        partition: Type.Object(
          {
            index: Type.Integer({ minimum: 0, default: 0 }),
            count: Type.Integer({ minimum: 1, maximum: 1024, default: 1 }),
          },
          { default: {}, additionalProperties: false },
        ),
        /** Explicit symbols of this replica (overrides `partition`); each must be one of the top-level `symbols`. */
        symbols: Type.Optional(Type.Array(Type.String({ pattern: SYMBOL_PATTERN }), { minItems: 1, uniqueItems: true })),
        depth: Type.Integer({ minimum: 1, maximum: 1000, default: 20 }),
        staleAfterMs: Type.Integer({ minimum: 10, default: 1000 }),
        statusIntervalMs: Type.Integer({ minimum: 50, default: 1000 }),
        /** A connection silent this many times `staleAfterMs` is considered dead and reconnected. */
        deadAfterFactor: Type.Number({ minimum: 1, default: 3 }),
        /**
         * Delay between reconnect attempts: initialMs, doubling up to maxMs, half of it random. maxMs bounds how long
         * a feed stays down after its venue is reachable again.
         */
        reconnect: Type.Object(
          { initialMs: Type.Integer({ minimum: 10, default: 250 }), maxMs: Type.Integer({ minimum: 10, default: 5000 }) },
          { default: {}, additionalProperties: false },
        ),
        /**
         * Delay between sync attempts of one book (a snapshot that is crossed, older than the stream or failed; a
         * book that breaks again before it stayed in sync healthyAfterMs, 0 = any synced book is healthy): the first
         * at once, then initialMs doubling up to maxMs, `jitter` of each delay random. maxMs bounds how long a book
         * stays down once the venue is good again.
         */
        resync: Type.Object(
          {
            initialMs: Type.Integer({ minimum: 10, default: 250 }),
            maxMs: Type.Integer({ minimum: 10, default: 5000 }),
            jitter: Type.Number({ minimum: 0, maximum: 1, default: 0.5 }),
            healthyAfterMs: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 0 }),
          },
          { default: {}, additionalProperties: false },
        ),
      },
      { default: {} },
    ),
  },
  { additionalProperties: true },
);
export type FeedIngestorConfig = Static<typeof FeedIngestorConfig>;
