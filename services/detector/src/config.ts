import { Type, type Static } from '@sinclair/typebox';
import {
  ConfidenceParams,
  EdgeParams,
  MarketabilityParams,
  RiskPremiumParams,
  SYMBOL_PATTERN,
  UDecimal,
  VENUE_PATTERN,
  VolatilityParams,
} from '@arb/contracts';
import { NatsSection, RedisSection } from '@arb/service-kit';

const Symbol = Type.String({ pattern: SYMBOL_PATTERN });
const Venue = Type.String({ pattern: VENUE_PATTERN });
/** Asset code: `BTC`, `USDT`. */
const Asset = Type.String({ pattern: '^[A-Z0-9]{2,12}$' });
const PositiveMs = (dflt: number, min = 1) => Type.Integer({ minimum: min, maximum: 3_600_000, default: dflt });

/** Instrument rules and fees of one venue (all decimal strings); every field may be overridden per symbol. */
export const MarketRules = Type.Object(
  {
    /** Taker fee as a fraction of notional (`0.001` = 10 bps), charged in quote on each leg. */
    takerFee: Type.Optional(UDecimal),
    /** Minimum and maximum order size in base. */
    minSize: Type.Optional(UDecimal),
    maxSize: Type.Optional(UDecimal),
    /** Order size step (base); sizes are rounded down to it. */
    lotStep: Type.Optional(UDecimal),
    /** Price tick (quote). */
    tick: Type.Optional(UDecimal),
    /** Minimum order notional (quote). */
    minNotional: Type.Optional(UDecimal),
  },
  { additionalProperties: false },
);
export type MarketRules = Static<typeof MarketRules>;

/** One venue: its default rules, plus per-symbol overrides of any of them. */
export const VenueMarkets = Type.Object(
  { ...MarketRules.properties, symbols: Type.Optional(Type.Record(Symbol, MarketRules)) },
  { additionalProperties: false },
);
export type VenueMarkets = Static<typeof VenueMarkets>;

export const DetectorSection = Type.Object(
  {
    /**
     * How replicas split the symbols. `static`: stable hash(symbol) % count === index (a dead replica's symbols wait for
     * its restart). `dynamic`: replicas heartbeat in the KV bucket arb_members and split the symbol universe by
     * rendezvous hashing over the live ones (a dead replica's symbols move to the others after ttlMs). Ignored when
     * `symbols` is set.
     */
    partition: Type.Object(
      {
        mode: Type.Union([Type.Literal('static'), Type.Literal('dynamic')], { default: 'static' }),
        index: Type.Integer({ minimum: 0, default: 0 }),
        count: Type.Integer({ minimum: 1, maximum: 1024, default: 1 }),
        /** dynamic: heartbeat put interval. */
        heartbeatMs: Type.Integer({ minimum: 20, maximum: 60_000, default: 500 }),
        /** dynamic: a replica silent this long is dead (its symbols move); at least 3 x heartbeatMs. */
        ttlMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 2000 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** Explicit symbols of this replica (overrides `partition`). */
    symbols: Type.Optional(Type.Array(Symbol, { uniqueItems: true })),
    /** Net edge threshold in percent of buy notional (`0.05` = 5 bps). */
    minProfitPct: UDecimal,
    /** Minimum expected profit in USD. */
    minProfitUsd: UDecimal,
    /** Maximum buy-leg notional (quote) of one trade. */
    riskLimitPerTrade: UDecimal,
    minConfidence: Type.Number({ minimum: 0, maximum: 1, default: 0.6 }),
    /** A book older than this (local receive time) is left out. */
    stalenessMs: PositiveMs(1000),
    /** Opportunity lifetime: expiresTs = detectedTs + executionWindowMs. */
    executionWindowMs: PositiveMs(500),
    /** Variant stamped on the opportunities of the default share (all of them when no runtime A/B variant is set). */
    variant: Type.String({ pattern: '^[a-z0-9_-]{1,32}$', default: 'default' }),
    /** Runtime A/B variants (arb_config KV): a route's variant is chosen per time bucket of this length (0: never rotates). */
    variants: Type.Object(
      { bucketMs: Type.Integer({ minimum: 0, maximum: 86_400_000, default: 60_000 }) },
      { default: {}, additionalProperties: false },
    ),
    /** Volatility estimator per (venue, symbol): jump-robust variance rate of mid log-returns (see @arb/domain). */
    volatility: Type.Object(VolatilityParams.properties, { default: {}, additionalProperties: false }),
    /** Volatility risk premium: threshold += min(maxExtraBps, sigmas x vol x sqrt(horizon)). The only use of vol. */
    risk: Type.Object(RiskPremiumParams.properties, { default: {}, additionalProperties: false }),
    /** Confidence model (product of freshness, depth, persistence, feed health factors). */
    confidence: Type.Object(
      {
        ...ConfidenceParams.properties,
        /**
         * Obsolete (volatility is no longer a confidence factor: it is priced once, as the threshold premium). Accepted
         * so that older overrides still load; ignored, with a warning at start-up.
         */
        volReferenceBps: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
      },
      { default: {}, additionalProperties: false },
    ),
    /** Edge persistence tracking per route: flicker window and gap, and the longest gap that still continues a run. */
    edges: Type.Object(EdgeParams.properties, { default: {}, additionalProperties: false }),
    /** Entry pricing that fills: allowance on the limits paid out of the edge, size haircut against the touched levels. */
    marketability: Type.Object(MarketabilityParams.properties, { default: {}, additionalProperties: false }),
    feedStatus: Type.Object(
      {
        /** Leave out venues that never sent a FeedStatus (false: trust books until a status says otherwise). */
        required: Type.Boolean({ default: true }),
        /** A FeedStatus older than this counts as not live (the ingestor sends one every second). */
        timeoutMs: PositiveMs(3000),
      },
      { default: {} },
    ),
    /** Re-publish an unchanged route only after it expired, or when its size moved by more than this fraction. */
    suppression: Type.Object(
      {
        sizeTolerance: Type.Number({ minimum: 0, maximum: 1, default: 0.1 }),
        minIntervalMs: Type.Integer({ minimum: 0, maximum: 60_000, default: 100 }),
        releaseOnReport: Type.Boolean({ default: true }),
      },
      { default: {} },
    ),
    publish: Type.Object(
      {
        /** PubAck wait; acks are never awaited on the hot path, failures are counted. */
        ackTimeoutMs: PositiveMs(2000),
      },
      { default: {} },
    ),
    /**
     * What a BookSnapshot must satisfy to be believed (refused ones are counted in detector_books_dropped_total by
     * reason): received/published at most maxFutureMs in our future (clock differences between hosts) and at most
     * maxAgeMs ago, and a seq at most maxSeqJump above the stored book's unless the next book confirms the jump.
     */
    intake: Type.Object(
      {
        maxFutureMs: Type.Integer({ minimum: 0, maximum: 60_000, default: 500 }),
        maxAgeMs: PositiveMs(10_000, 100),
        maxSeqJump: Type.Integer({ minimum: 1, default: 1_000_000 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** Write-behind mirror of the latest books to Redis. */
    mirror: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        flushIntervalMs: PositiveMs(50),
        /** Key TTL: a dead feed's book vanishes. */
        ttlMs: PositiveMs(5000, 100),
        /** Most keys held while Redis is down; newer keys beyond it are dropped (counted). */
        maxPending: Type.Integer({ minimum: 1, default: 10_000 }),
        /** A flush with no reply in this time fails (and the next one retries). */
        commandTimeoutMs: PositiveMs(1000),
      },
      { default: {} },
    ),
  },
  { additionalProperties: false },
);
export type DetectorSection = Static<typeof DetectorSection>;

export const MarketsSection = Type.Object(
  {
    /** Quote assets valued 1:1 in USD (or at the given rate). */
    usdPegs: Type.Record(Asset, UDecimal, { default: { USD: '1', USDT: '1', USDC: '1' } }),
    /** Rules for venues not listed under `venues` (absent: their books are ignored). */
    defaults: Type.Optional(VenueMarkets),
    venues: Type.Record(Venue, VenueMarkets, { default: {} }),
  },
  { additionalProperties: false },
);
export type MarketsSection = Static<typeof MarketsSection>;

export const InventorySection = Type.Object(
  {
    /** `config`: the balances below; `redis`: `arb:inv:<venue>:<asset>` hashes (field `available`), polled. */
    source: Type.Union([Type.Literal('config'), Type.Literal('redis')], { default: 'config' }),
    /** Redis poll interval (never read on the hot path). */
    refreshMs: PositiveMs(1000, 50),
    /** Available balance per venue and asset (decimal strings); absent = 0. */
    balances: Type.Record(Venue, Type.Record(Asset, UDecimal), { default: {} }),
  },
  { additionalProperties: false },
);
export type InventorySection = Static<typeof InventorySection>;

/** The detector's view of the shared config (other services' sections pass through). */
export const DetectorConfig = Type.Object(
  {
    mode: Type.String(),
    nats: NatsSection,
    redis: RedisSection,
    http: Type.Object({ host: Type.String(), port: Type.Integer({ minimum: 0, maximum: 65535 }) }),
    log: Type.Object({ level: Type.String({ default: 'info' }) }, { default: {} }),
    /** The symbol universe (used to pick this replica's share when partitioned). */
    symbols: Type.Array(Symbol, { uniqueItems: true, default: [] }),
    detector: DetectorSection,
    markets: MarketsSection,
    inventory: InventorySection,
  },
  { additionalProperties: true },
);
export type DetectorConfig = Static<typeof DetectorConfig>;
