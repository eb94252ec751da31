import { Type, type Static } from '@sinclair/typebox';
import { Count, Decimal, EpochMs, SymbolId, UDecimal, VenueId } from './primitives';

export const OpportunityLeg = Type.Object(
  {
    venue: VenueId,
    /**
     * The IOC limit price the executor sends: the worst price level touched, moved outward by the marketability
     * allowance (buy: up, sell: down; tick-rounded) — see `factors.marketability`.
     */
    limitPrice: UDecimal,
    /** Expected average fill price at the books the opportunity was computed from. */
    vwap: UDecimal,
    size: UDecimal,
  },
  { additionalProperties: false },
);
export type OpportunityLeg = Static<typeof OpportunityLeg>;

export const BookRef = Type.Object(
  { recvTs: EpochMs, seq: Count, venueSeq: Count },
  { additionalProperties: false },
);

const Unit = Type.Number({ minimum: 0, maximum: 1 });
const NonNegative = Type.Number({ minimum: 0 });

/**
 * Why the detector published an opportunity: the confidence factors (their product is `confidence`), the volatility
 * and threshold it was judged by, and how the limit prices were made marketable. Floats are for display and
 * analysis only; prices are decimal strings.
 */
export const OpportunityFactors = Type.Object(
  {
    /** Confidence factors, each in [0, 1] (product = `confidence`). */
    freshness: Unit,
    depth: Unit,
    persistence: Unit,
    health: Unit,
    /** σ used (bps per √second, the higher of both venues; the prior while the estimator warms up). */
    volBps: NonNegative,
    /** Volatility risk premium added to the base threshold (bps of buy notional). */
    premiumBps: NonNegative,
    /** Net-edge threshold applied: base (`minProfitPct`) + premium, bps of buy notional. */
    thresholdBps: NonNegative,
    marketability: Type.Object(
      {
        /** Worst levels touched by the size (the limits before the allowance). */
        buyTouched: UDecimal,
        sellTouched: UDecimal,
        /** Allowance applied on each leg, bps of its touched price (limit vs touched). */
        buyBps: NonNegative,
        sellBps: NonNegative,
        /** Expected net profit (quote) if both legs fill entirely at their limit prices. */
        netAtLimitsQuote: Decimal,
      },
      { additionalProperties: false },
    ),
    /** Size before the haircut against the last touched levels (equal to `size` when it did not bind). */
    sizeBeforeHaircut: UDecimal,
  },
  { additionalProperties: false },
);
export type OpportunityFactors = Static<typeof OpportunityFactors>;

/** A detected cross-venue edge on `arb.opp.<symbol>` (stream ARB_OPPS). */
export const Opportunity = Type.Object(
  {
    v: Type.Literal(1),
    id: Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    symbol: SymbolId,
    buy: OpportunityLeg,
    sell: OpportunityLeg,
    size: UDecimal,
    grossEdgeBps: Decimal,
    netEdgeBps: Decimal,
    profitQuote: Decimal,
    profitUsd: Decimal,
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    detectedTs: EpochMs,
    expiresTs: EpochMs,
    books: Type.Object({ buy: BookRef, sell: BookRef }, { additionalProperties: false }),
    variant: Type.String({ minLength: 1, maxLength: 32 }),
    /** Optional for messages of older producers; the detector always sets it. */
    factors: Type.Optional(OpportunityFactors),
  },
  { $id: 'Opportunity', additionalProperties: false },
);
export type Opportunity = Static<typeof Opportunity>;
