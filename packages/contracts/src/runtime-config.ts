import { Type, type Static } from '@sinclair/typebox';
import { UDecimal } from './primitives';

const Ms = (min = 1) => Type.Optional(Type.Integer({ minimum: min, maximum: 3_600_000 }));
const Fraction = Type.Optional(Type.Number({ minimum: 0, maximum: 1 }));

/**
 * Volatility estimator (per venue and symbol): exponentially weighted, jump-robust (winsorized) variance rate of mid
 * log-returns, with a prior counted as `priorWeightMs` of data at `priorVolBps`.
 */
export const VolatilityParams = Type.Object(
  {
    /** Half-life of the weighting, ms of local time. */
    halfLifeMs: Ms(),
    /** Mids closer than this to the last sample are skipped (the next return spans the gap). */
    minIntervalMs: Ms(0),
    /** σ (bps per √s) assumed before data, and the estimate data is shrunk toward. */
    priorVolBps: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10_000 })),
    /** Weight of the prior, as ms of observed data (it never decays: the estimate is shrunk toward the prior). */
    priorWeightMs: Ms(1),
    /** A return beyond clipSigmas × σ × √dt counts as that size: a jump is not noise. */
    clipSigmas: Type.Optional(Type.Number({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type VolatilityParams = Static<typeof VolatilityParams>;

/** Volatility risk premium on the net-edge threshold: min(maxExtraBps, sigmas × σ × √horizon). */
export const RiskPremiumParams = Type.Object(
  {
    horizonMs: Type.Optional(Type.Number({ minimum: 0, maximum: 600_000 })),
    sigmas: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    maxExtraBps: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
export type RiskPremiumParams = Static<typeof RiskPremiumParams>;

/** Confidence model: product of freshness, depth, persistence and feed-health factors. */
export const ConfidenceParams = Type.Object(
  {
    /** freshness = 1 − (age / staleness)^freshnessPower. */
    freshnessPower: Type.Optional(Type.Number({ minimum: 1, maximum: 10 })),
    depthPenalty: Fraction,
    newEdgeScore: Fraction,
    persistMs: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 600_000 })),
    flickerPenalty: Fraction,
    incidentPenalty: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type ConfidenceParams = Static<typeof ConfidenceParams>;

/** Edge persistence tracking per route. */
export const EdgeParams = Type.Object(
  {
    /** Window over which flickers are counted. */
    windowMs: Ms(),
    /** Observations further apart than this break a run. */
    maxGapMs: Ms(),
    /** A re-appearance after an absence shorter than this is a flicker; after a longer one, a new edge. */
    flickerGapMs: Ms(0),
  },
  { additionalProperties: false },
);
export type EdgeParams = Static<typeof EdgeParams>;

/** Re-publishing of an unchanged route. */
export const SuppressionParams = Type.Object(
  {
    sizeTolerance: Fraction,
    minIntervalMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
    /** Lift a route's suppression when the report of its last opportunity shows fills (the trade took liquidity). */
    releaseOnReport: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SuppressionParams = Static<typeof SuppressionParams>;

/** Entry pricing that fills: an allowance on the limit prices paid out of the edge, and a size haircut. */
export const MarketabilityParams = Type.Object(
  {
    /** Share of the net edge above the threshold paid as allowance (both legs together, split evenly). */
    edgeShare: Fraction,
    /** Cap of the allowance per leg, bps of its touched price. */
    maxLegBps: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
    /** Take at most this share of the last touched level on each side (1 = no haircut). */
    lastLevelShare: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);
export type MarketabilityParams = Static<typeof MarketabilityParams>;

/** Trading parameters that may be overridden at run time (all optional: absent = use file config). */
export const TradingParams = Type.Object(
  {
    minProfitPct: Type.Optional(UDecimal),
    minProfitUsd: Type.Optional(UDecimal),
    riskLimitPerTrade: Type.Optional(UDecimal),
    minConfidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    stalenessMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000 })),
    executionWindowMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000 })),
    maxConcurrentTrades: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    /** Detection: each object overrides field by field (file ← runtime params ← variant params). */
    volatility: Type.Optional(VolatilityParams),
    risk: Type.Optional(RiskPremiumParams),
    confidence: Type.Optional(ConfidenceParams),
    edges: Type.Optional(EdgeParams),
    suppression: Type.Optional(SuppressionParams),
    marketability: Type.Optional(MarketabilityParams),
  },
  { additionalProperties: false },
);
export type TradingParams = Static<typeof TradingParams>;

export const Variant = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9_-]{1,32}$' }),
    /** Share of opportunities routed to this variant, in (0, 1]. Shares sum to at most 1. */
    share: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    params: TradingParams,
  },
  { additionalProperties: false },
);
export type Variant = Static<typeof Variant>;

/** The document stored in the `arb_config` KV bucket; services watch it and apply it live. */
export const RuntimeConfig = Type.Object(
  {
    v: Type.Literal(1),
    killSwitch: Type.Boolean(),
    /** Why the kill switch is set (operator note or the risk limit that tripped it). */
    killReason: Type.Optional(Type.String({ maxLength: 256 })),
    params: TradingParams,
    variants: Type.Array(Variant, { maxItems: 8 }),
    updatedTs: Type.Number({ minimum: 0 }),
    updatedBy: Type.String({ maxLength: 128 }),
  },
  { $id: 'RuntimeConfig', additionalProperties: false },
);
export type RuntimeConfig = Static<typeof RuntimeConfig>;
