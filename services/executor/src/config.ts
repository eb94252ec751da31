import { Type, type Static } from '@sinclair/typebox';
import { SYMBOL_PATTERN, UDecimal, VENUE_PATTERN } from '@arb/contracts';
import { NatsSection, RedisSection } from '@arb/service-kit';

const Url = Type.String({ minLength: 1 });
const Symbol = Type.String({ pattern: SYMBOL_PATTERN });
const Venue = Type.String({ pattern: VENUE_PATTERN });
const Asset = Type.String({ pattern: '^[A-Z0-9]{2,12}$' });
const Ms = (dflt: number, min = 1) => Type.Integer({ minimum: min, maximum: 86_400_000, default: dflt });
const Bps = (dflt: number) => Type.Number({ minimum: 0, maximum: 10_000, default: dflt });

export const LegRiskPolicy = Type.Union([Type.Literal('hedge'), Type.Literal('unwind'), Type.Literal('hold')], { default: 'hedge' });
export type LegRiskPolicy = Static<typeof LegRiskPolicy>;

export const ExecutorSection = Type.Object(
  {
    /** Executor id (in-flight records, semaphore holders, reports). Empty: `<hostname>-<pid>-<random>`. A stable id
     *  (e.g. the pod name) lets a restarted executor reclaim its own in-flight records at once. */
    id: Type.String({ pattern: '^[A-Za-z0-9_-]{0,48}$', default: '' }),
    /** Venues this executor trades (default: every venue under `venues`). */
    venues: Type.Array(Venue, { uniqueItems: true, default: [] }),
    /** A venue request without an answer in this long: outcome unknown (the order is then queried). */
    requestTimeoutMs: Ms(2_000, 50),
    /** Client-side rate limits per venue (default: the venue's published limits). Raise only against exchange-sim. */
    rateLimits: Type.Record(
      Venue,
      Type.Array(Type.Object({ name: Type.String({ minLength: 1 }), limit: Type.Integer({ minimum: 1 }), intervalMs: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })),
      { default: {} },
    ),
    consumer: Type.Object(
      {
        /** JetStream redelivers an unacked opportunity after this; must exceed a whole trade (orders + leg risk). */
        ackWaitMs: Ms(30_000, 1000),
        /** Unacked messages of the shared consumer (all replicas together). */
        maxAckPending: Type.Integer({ minimum: 1, maximum: 100_000, default: 256 }),
        maxDeliver: Type.Integer({ minimum: 1, maximum: 100, default: 5 }),
        /** Opportunities one process handles at once (they mostly wait for the semaphore or venues). */
        localConcurrency: Type.Integer({ minimum: 1, maximum: 10_000, default: 32 }),
        /** Pull heartbeat: two missed ones (the consumer's NATS leader died or moved) re-send the pull to the new leader. */
        heartbeatMs: Ms(1_000, 500),
      },
      { default: {} },
    ),
    concurrency: Type.Object(
      {
        semaphoreName: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'trades' }),
        /** Cluster-wide trades at once (RuntimeConfig params.maxConcurrentTrades overrides it live). */
        maxConcurrentTrades: Type.Integer({ minimum: 0, maximum: 1000, default: 5 }),
        leaseMs: Ms(10_000, 100),
        renewIntervalMs: Ms(2_000, 10),
        /** No free slot or route busy: `wait` up to waitMs (bounded by the opportunity's expiry), or `skip` at once. */
        onBusy: Type.Union([Type.Literal('wait'), Type.Literal('skip')], { default: 'wait' }),
        waitMs: Ms(200, 0),
        routeLockTtlMs: Ms(30_000, 100),
      },
      { default: {} },
    ),
    /**
     * Minimum TTL of the arb:opp:done:<id> idempotency marker. The executor raises it at start-up to the journal's
     * (ARB_EXECS) duplicate window + admission.maxOpportunityAgeMs + 1 min, so a trade's report is never dropped as a
     * duplicate of an earlier one (an opportunity is refused once older than maxOpportunityAgeMs anyway).
     */
    dedupTtlMs: Ms(600_000, 1000),
    admission: Type.Object(
      {
        /** Refused (status expired) once detected longer ago than this by local time, whatever its expiresTs says:
         *  the effective expiry is min(expiresTs, detectedTs + maxOpportunityAgeMs). */
        maxOpportunityAgeMs: Ms(2_000, 10),
        /** A detectedTs further than this in our future is refused (bad-timestamp). */
        maxClockSkewMs: Ms(1_000, 0),
        /** The latest md.book.<venue>.<symbol> of each leg (by local receive time) must be at most this old (no-book). */
        maxBookAgeMs: Ms(5_000, 10),
        /** A limit price further than this from the current touch (buy: best ask, sell: best bid) is refused
         *  (book-deviation); the notional limit is checked on size × max(limit, touch) of either leg. */
        maxLimitDeviationBps: Bps(100),
      },
      { default: {} },
    ),
    venueHealth: Type.Object(
      {
        /** A 429 without Retry-After pauses trading on the venue this long. */
        rateLimitPauseMs: Ms(1_000, 1),
        /** A ban (Binance 418) without Retry-After pauses it this long. */
        banPauseMs: Ms(60_000, 1),
        /** This many refused orders in a row (rejects, 5xx) pause the venue (0 = never). */
        maxConsecutiveRejects: Type.Integer({ minimum: 0, maximum: 1000, default: 5 }),
        /** First pause after a reject streak; doubles on each further streak up to maxRejectPauseMs; an accepted
         *  order resets it. */
        rejectPauseMs: Ms(5_000, 1),
        maxRejectPauseMs: Ms(60_000, 1),
        /** The private order stream down longer than this makes the venue unavailable (0 = ignore the stream). */
        streamDownMs: Ms(5_000, 0),
        /** After a rate-limit pause, an authenticated read (balances) must succeed before trading resumes; tried
         *  this often. */
        probeIntervalMs: Ms(1_000, 10),
      },
      { default: {} },
    ),
    credentials: Type.Object(
      {
        /** Authenticated read (balances) per venue: the executor is ready and consumes only while all pass. */
        recheckMs: Ms(60_000, 100),
        /** Re-check interval while a check fails. */
        retryMs: Ms(5_000, 100),
        timeoutMs: Ms(5_000, 100),
      },
      { default: {} },
    ),
    riskFeed: Type.Object(
      {
        /** The journal follower compares its position with ARB_EXECS' last sequence this often. */
        checkIntervalMs: Ms(500, 10),
        /** Risk figures not confirmed at the journal's end for this long: trading is skipped (risk-stale). */
        maxStaleMs: Ms(3_000, 10),
        /** The stream ahead and nothing applied for this long: the consumer is re-created after the last applied
         *  sequence. */
        stallMs: Ms(2_000, 10),
      },
      { default: {} },
    ),
    /** Both legs must be final within this; what is still open is cancelled. */
    orderTimeoutMs: Ms(3_000, 10),
    /** getOrder polling while a leg is not final (private-stream updates end it sooner). */
    pollIntervalMs: Ms(100, 5),
    legRisk: Type.Object(
      {
        policy: LegRiskPolicy,
        /** Orders per phase (hedge, then unwind); at most 7 so a report's legs (2 + 7 + 7) fit its 16. */
        maxAttempts: Type.Integer({ minimum: 1, maximum: 7, default: 3 }),
        /** Hedge limit: up to this much worse than the failed leg's limit price. */
        hedgeSlippageBps: Bps(20),
        /** Unwind limit: up to this much worse than the filled leg's average price. */
        unwindSlippageBps: Bps(30),
        /** Each further unwind attempt: this much wider than the previous one (30, 60, 90 bps by default). */
        unwindWidenBps: Bps(30),
        retryDelayMs: Ms(50, 0),
        /** After hedge attempts are used up: unwind what is left, or hold it (exposed). */
        hedgeFallback: Type.Union([Type.Literal('unwind'), Type.Literal('hold')], { default: 'unwind' }),
      },
      { default: {} },
    ),
    risk: Type.Object(
      {
        /** Buy-leg notional (quote, USD-valued) above this is skipped. */
        maxNotionalPerTrade: Type.Optional(UDecimal),
        /** Filled notional of both legs today (UTC, USD) above which new trades are skipped. */
        dailyVolumeLimitUsd: Type.Optional(UDecimal),
        /** Realized loss today (USD) at which the kill switch trips. */
        dailyLossLimitUsd: Type.Optional(UDecimal),
        /** Net residual base exposure today (USD, summed over symbols) above which trading stops. */
        maxResidualExposureUsd: Type.Optional(UDecimal),
      },
      { default: {} },
    ),
    inventory: Type.Object(
      {
        /** Reserve quote (buy venue, incl. fee) and base (sell venue) in arb:inv:<venue>:<asset> before sending. */
        enabled: Type.Boolean({ default: true }),
        /** Seed missing ledger entries from the venues' balances (free + locked), and reconcile existing ones with them. */
        syncFromVenues: Type.Boolean({ default: true }),
        /** How often the ledger is compared with the venue balances and corrected (only while no trade is in flight). */
        reconcileIntervalMs: Ms(15_000, 500),
      },
      { default: {} },
    ),
    inflight: Type.Object(
      {
        heartbeatMs: Ms(1_000, 10),
        /** An executor whose heartbeat is older than this is dead: its records are taken over. */
        heartbeatTtlMs: Ms(5_000, 50),
        /** How often dead executors' (and our own orphaned or followed-up) records are looked for. */
        sweepIntervalMs: Ms(2_000, 50),
        /** A venue not knowing an order means "never arrived" only once this long passed since it was sent. */
        notFoundGraceMs: Ms(10_000, 0),
        /** An order whose outcome stays unknown this long after it was sent is journaled as unknown and given up. */
        followUpGiveUpMs: Ms(600_000, 1_000),
        /** Redis errors writing the record before a hedge/unwind order are retried this long; then it is not sent. */
        recordWriteRetryMs: Ms(5_000, 0),
        /** How long after journaling a trade late private-stream fills of its orders are still watched for. */
        lateFillWindowMs: Ms(300_000, 1_000),
        /** Trades watched for late fills at once (the oldest are forgotten first). */
        lateFillMaxTrades: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 2_000 }),
      },
      { default: {} },
    ),
    journal: Type.Object(
      {
        ackTimeoutMs: Ms(2_000),
        retryDelayMs: Ms(250),
        /** Reading a trade's reports back (after a `duplicate` publish, to compare): longest wait, most messages. */
        readTimeoutMs: Ms(5_000, 100),
        readMaxMessages: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 200_000 }),
      },
      { default: {} },
    ),
    paper: Type.Object(
      {
        /** Simulated round trip of an order (fill at half of it, answer at the end). */
        latencyMs: Ms(20, 0),
        /** A book older than this (local receive time) fills nothing. */
        maxBookAgeMs: Ms(2_000),
        balances: Type.Record(Venue, Type.Record(Asset, UDecimal), { default: {} }),
      },
      { default: {} },
    ),
  },
  { additionalProperties: false },
);
export type ExecutorSection = Static<typeof ExecutorSection>;

/** Fees and instrument rules of one venue as in `markets.venues` (shared with the detector; decimal strings). */
const MarketRules = {
  takerFee: Type.Optional(UDecimal),
  minSize: Type.Optional(UDecimal),
  maxSize: Type.Optional(UDecimal),
  lotStep: Type.Optional(UDecimal),
  tick: Type.Optional(UDecimal),
  minNotional: Type.Optional(UDecimal),
};
export const VenueMarkets = Type.Object(
  { ...MarketRules, symbols: Type.Optional(Type.Record(Symbol, Type.Object(MarketRules, { additionalProperties: true }))) },
  { additionalProperties: true },
);
export type VenueMarkets = Static<typeof VenueMarkets>;

/** Client-side credentials (sim mode: config/sim.yaml `credentials:`; live mode reads env/files instead). */
export const CredentialsSection = Type.Object(
  {
    binance: Type.Optional(Type.Object({ apiKey: Type.String({ minLength: 1 }), secretKey: Type.String({ minLength: 1 }) }, { additionalProperties: true })),
    coinbase: Type.Optional(Type.Object({ keyName: Type.String({ minLength: 1 }), privateKey: Type.String({ minLength: 1 }) }, { additionalProperties: true })),
  },
  { additionalProperties: true, default: {} },
);
export type CredentialsSection = Static<typeof CredentialsSection>;

/** The executor's view of the shared config (other services' sections pass through). */
export const ExecutorConfig = Type.Object(
  {
    mode: Type.Union([Type.Literal('sim'), Type.Literal('paper'), Type.Literal('live')]),
    nats: NatsSection,
    redis: RedisSection,
    http: Type.Object({ host: Type.String(), port: Type.Integer({ minimum: 0, maximum: 65535 }) }),
    log: Type.Object({ level: Type.String({ default: 'info' }) }, { default: {} }),
    symbols: Type.Array(Symbol, { uniqueItems: true, default: [] }),
    venues: Type.Record(
      Venue,
      Type.Object(
        {
          restUrl: Url,
          wsUrl: Url,
          /** The private trading WebSocket (Binance WS API, Coinbase user channel); '' = derived from wsUrl as
           *  exchange-sim serves it (`<wsUrl>/ws-api/v3`, `<wsUrl>/user`). */
          tradingWsUrl: Type.Optional(Type.String()),
        },
        { additionalProperties: true },
      ),
      { default: {} },
    ),
    markets: Type.Object(
      {
        usdPegs: Type.Record(Asset, UDecimal, { default: { USD: '1', USDT: '1', USDC: '1' } }),
        venues: Type.Record(Venue, VenueMarkets, { default: {} }),
      },
      { additionalProperties: true, default: {} },
    ),
    credentials: CredentialsSection,
    executor: ExecutorSection,
  },
  { additionalProperties: true },
);
export type ExecutorConfig = Static<typeof ExecutorConfig>;
