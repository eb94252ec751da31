import { Type, type Static } from '@sinclair/typebox';
import { SYMBOL_PATTERN, UDECIMAL_PATTERN } from '@arb/contracts';
import { FaultsConfig } from './faults-schema';
import { AccountsConfig, TradingConfig } from './trading-schema';
import { RivalsConfig, WindowsConfig } from './world-schema';

const Dec = Type.String({ pattern: UDECIMAL_PATTERN, maxLength: 40 });
const Port = Type.Integer({ minimum: 0, maximum: 65535 });

/** Trading rules and book size profile of one symbol on one venue. */
export const InstrumentConfig = Type.Object(
  {
    tickSize: Dec,
    stepSize: Dec,
    /** Typical size of one book level (base units); actual sizes vary around it. */
    levelSize: Dec,
    minQty: Type.Optional(Dec),
    maxQty: Type.Optional(Dec),
    minNotional: Type.Optional(Dec),
    maxNotional: Type.Optional(Dec),
  },
  { additionalProperties: false },
);
export type InstrumentConfig = Static<typeof InstrumentConfig>;

/** Market-model and book-shape settings every venue has. */
const venueCommon = {
  port: Port,
  /** The venue's mid follows the fair price with this time constant (ms). */
  lagMs: Type.Number({ minimum: 0, default: 20 }),
  /** Stationary std-dev (bps) of the venue's own mean-reverting noise around the fair price. */
  noiseBps: Type.Number({ minimum: 0, default: 0.3 }),
  /** Minimum quoted spread (bps); never less than one tick. */
  spreadBps: Type.Number({ minimum: 0, default: 0.5 }),
  /** Price levels kept per side. */
  depthLevels: Type.Integer({ minimum: 1, maximum: 5000, default: 40 }),
  /** Gap between adjacent levels is 1..maxGapTicks ticks. */
  maxGapTicks: Type.Integer({ minimum: 1, maximum: 1000, default: 3 }),
  /** Level size grows by this fraction per level away from the top. */
  sizeGrowth: Type.Number({ minimum: 0, maximum: 10, default: 0.05 }),
  /** Decimals printed on the wire (default: the tick's own decimals). */
  priceDecimals: Type.Optional(Type.Integer({ minimum: 0, maximum: 18 })),
  sizeDecimals: Type.Integer({ minimum: 0, maximum: 18, default: 8 }),
  /** Per normalized symbol (BTC-USDT); a symbol without an entry gets rules derived from its price. */
  instruments: Type.Record(Type.String({ pattern: SYMBOL_PATTERN }), InstrumentConfig, { default: {} }),
  faults: FaultsConfig,
};

export const BinanceConfig = Type.Object(
  {
    ...venueCommon,
    /** Server ping frame interval; a connection whose pong is late by pongTimeoutMs is closed. */
    pingIntervalMs: Type.Integer({ minimum: 10, default: 20000 }),
    pongTimeoutMs: Type.Integer({ minimum: 10, default: 60000 }),
    /** REQUEST_WEIGHT per minute before 429 -1003. */
    weightLimitPerMinute: Type.Integer({ minimum: 1, default: 6000 }),
    /** Incoming WS messages per second allowed per connection (Binance: 5); more closes it. */
    maxIncomingPerSec: Type.Integer({ minimum: 1, default: 5 }),
  },
  { additionalProperties: false },
);
export type BinanceConfig = Static<typeof BinanceConfig>;

export const CoinbaseConfig = Type.Object(
  {
    ...venueCommon,
    /** A connection that has not subscribed within this time is closed. */
    subscribeTimeoutMs: Type.Integer({ minimum: 10, default: 5000 }),
    heartbeatIntervalMs: Type.Integer({ minimum: 10, default: 1000 }),
  },
  { additionalProperties: false },
);
export type CoinbaseConfig = Static<typeof CoinbaseConfig>;

export const SymbolConfig = Type.Object(
  {
    symbol: Type.String({ pattern: SYMBOL_PATTERN }),
    startPrice: Dec,
    /** Fair-price volatility in bps per sqrt(second). */
    volatilityBps: Type.Number({ minimum: 0, default: 1.5 }),
  },
  { additionalProperties: false },
);
export type SymbolConfig = Static<typeof SymbolConfig>;

export const SimConfig = Type.Object(
  {
    seed: Type.Integer({ minimum: 0, maximum: 4294967295, default: 1 }),
    host: Type.String({ default: '127.0.0.1' }),
    /** Model step (ms); work is batched per step. */
    tickMs: Type.Number({ minimum: 1, maximum: 1000, default: 10 }),
    symbols: Type.Array(SymbolConfig, { minItems: 1 }),
    rate: Type.Object(
      {
        /** Target total level updates per second over all books (moves + size churn). */
        levelUpdatesPerSec: Type.Number({ minimum: 0, maximum: 1_000_000, default: 2000 }),
        /** A churn change touches 1..maxLevelsPerChange levels. */
        maxLevelsPerChange: Type.Integer({ minimum: 1, maximum: 100, default: 3 }),
        /** Most model steps run in one timer callback when the process fell behind. */
        maxCatchUpSteps: Type.Integer({ minimum: 1, default: 50 }),
      },
      { additionalProperties: false, default: {} },
    ),
    jumps: Type.Object(
      {
        /** Expected jumps per minute per symbol (0 = none). */
        perMinute: Type.Number({ minimum: 0, default: 2 }),
        minBps: Type.Number({ minimum: 0, default: 5 }),
        maxBps: Type.Number({ minimum: 0, default: 40 }),
        /** The other venues follow the leader after a delay drawn in [minDelayMs, maxDelayMs]. */
        minDelayMs: Type.Number({ minimum: 0, default: 30 }),
        maxDelayMs: Type.Number({ minimum: 0, default: 1500 }),
      },
      { additionalProperties: false, default: {} },
    ),
    venues: Type.Object({ binance: BinanceConfig, coinbase: CoinbaseConfig }, { additionalProperties: false }),
    control: Type.Object(
      {
        port: Port,
        /** Book states kept per (venue, symbol) for /control/book?seq=; 0 = off. */
        historySize: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
      },
      { additionalProperties: false },
    ),
    /** A WebSocket client that lets this much pile up unsent is disconnected (slow consumer). */
    maxBufferedBytes: Type.Integer({ minimum: 1024, default: 64 * 1024 * 1024 }),
    /** Trading accounts per venue (API keys and starting balances). */
    accounts: AccountsConfig,
    /** Matching, fees and trading fault injection. */
    trading: TradingConfig,
    /** Ground truth: the arbitrage windows between the venues (GET /control/windows). */
    windows: WindowsConfig,
    /** Competition: rival takers sweep the windows after a reaction time; the venues then converge. */
    rivals: RivalsConfig,
  },
  { additionalProperties: false },
);
export type SimConfig = Static<typeof SimConfig>;

/** What the exchange-sim process reads from the shared config (other sections pass through). */
export const ExchangeSimServiceConfig = Type.Object(
  {
    sim: SimConfig,
    log: Type.Object({ level: Type.String({ default: 'info' }) }, { default: {} }),
  },
  { additionalProperties: true },
);
export type ExchangeSimServiceConfig = Static<typeof ExchangeSimServiceConfig>;
