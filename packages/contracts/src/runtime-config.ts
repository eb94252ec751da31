import { Type, type Static } from '@sinclair/typebox';
import { UDecimal } from './primitives';

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
