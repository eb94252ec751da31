import { Type, type Static } from '@sinclair/typebox';
import { SYMBOL_PATTERN, UDECIMAL_PATTERN } from '@arb/contracts';

const Dec = Type.String({ pattern: UDECIMAL_PATTERN, maxLength: 40 });
const Ms = (def: number, description: string) => Type.Number({ minimum: 0, maximum: 600_000, default: def, description });

/** Ground truth: every arbitrage window between the venues (GET /control/windows). */
export const WindowsConfig = Type.Object(
  {
    /** Windows kept (a ring: the oldest are forgotten first; counters keep counting). */
    capacity: Type.Integer({ minimum: 10, maximum: 1_000_000, default: 10_000 }),
  },
  { additionalProperties: false, default: {} },
);
export type WindowsConfig = Static<typeof WindowsConfig>;

const Distribution = Type.Union([Type.Literal('lognormal'), Type.Literal('fixed')]);

/** How long a rival takes from a window's opening to its sweep (model ms). */
export const ReactionConfig = Type.Object(
  {
    /** 'lognormal' (heavy right tail, set by median and p90) or 'fixed' (always medianMs). */
    distribution: Type.Union([Type.Literal('lognormal'), Type.Literal('fixed')], { default: 'lognormal' }),
    medianMs: Ms(40, 'median reaction time'),
    /** 90th percentile (lognormal only; >= medianMs). */
    p90Ms: Ms(250, '90th percentile of the reaction time'),
    /** Draws are clamped to [minMs, maxMs]. */
    minMs: Ms(1, 'shortest reaction'),
    maxMs: Ms(5000, 'longest reaction'),
  },
  { additionalProperties: false, default: {} },
);
export type ReactionConfig = Static<typeof ReactionConfig>;

/** Per-symbol override of the rivals (absent keys: the global value). No defaults here on purpose. */
export const RivalSymbolConfig = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    share: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    minEdgeBps: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000 })),
    reaction: Type.Optional(
      Type.Object(
        {
          distribution: Type.Optional(Distribution),
          medianMs: Type.Optional(Type.Number({ minimum: 0, maximum: 600_000 })),
          p90Ms: Type.Optional(Type.Number({ minimum: 0, maximum: 600_000 })),
          minMs: Type.Optional(Type.Number({ minimum: 0, maximum: 600_000 })),
          maxMs: Type.Optional(Type.Number({ minimum: 0, maximum: 600_000 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type RivalSymbolConfig = Static<typeof RivalSymbolConfig>;

/**
 * Competition: rival takers (a sim-internal account) sweep the mispriced liquidity of a window on both venues after a
 * reaction time, trading only what is profitable after their own fees.
 */
export const RivalsConfig = Type.Object(
  {
    /** The switch: false = nobody else trades the windows (the old, kind simulator). */
    enabled: Type.Boolean({ default: true }),
    /** Fraction of the profitable size one rival takes (1 = all of it; below 1, the next rival comes after a new reaction time). */
    share: Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 1 }),
    /** A rival only trades units whose net edge after its fees is above this (bps of buy notional). */
    minEdgeBps: Type.Number({ minimum: 0, maximum: 10_000, default: 0 }),
    /** Rival taker fee per venue (decimal rate); a venue not listed: its sim.trading.<venue>.takerFee. */
    takerFee: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9]{0,31}$' }), Dec, { default: {} }),
    reaction: ReactionConfig,
    /** Per normalized symbol (BTC-USDT): overrides of enabled / share / minEdgeBps / reaction. */
    symbols: Type.Record(Type.String({ pattern: SYMBOL_PATTERN }), RivalSymbolConfig, { default: {} }),
  },
  { additionalProperties: false, default: {} },
);
export type RivalsConfig = Static<typeof RivalsConfig>;
